//! Russian e-wallets and phone numbers: YooMoney (with its check digits), WebMoney
//! purses, phone numbers (QIWI wallets are phone numbers).

/// YooMoney check: the number is `N X Y Z` where N (first digit) is the length of X
/// and Z is the last two digits. Y reversed and padded to 20 digits, then X reversed
/// and padded to 10, each digit (0 counting as 10) weighted by 13^k mod 99 for k from
/// 2 up; Z = (sum mod 99) + 1. Digits only, 11-16 of them.
pub fn validate_yoomoney(digits: &str) -> bool {
    yoomoney_bytes(digits.as_bytes())
}

pub(crate) fn yoomoney_bytes(d: &[u8]) -> bool {
    if !(11..=16).contains(&d.len()) || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let n = (d[0] - b'0') as usize;
    if n == 0 || 1 + n + 2 > d.len() {
        return false;
    }
    let x = &d[1..1 + n];
    let y = &d[1 + n..d.len() - 2];
    let z = (d[d.len() - 2] - b'0') as u32 * 10 + (d[d.len() - 1] - b'0') as u32;
    if y.len() > 20 || x.len() > 10 || z == 0 {
        return false;
    }
    let mut seq = [0u32; 30];
    for (k, &c) in y.iter().rev().enumerate() {
        seq[k] = (c - b'0') as u32;
    }
    for (k, &c) in x.iter().rev().enumerate() {
        seq[20 + k] = (c - b'0') as u32;
    }
    let mut w = 13u32 * 13 % 99;
    let mut sum = 0u32;
    for v in seq {
        let v = if v == 0 { 10 } else { v };
        sum += v * w;
        w = w * 13 % 99;
    }
    sum % 99 + 1 == z
}

/// WebMoney purse: one of the letters Z R E C D G U B (upper case) and 12 digits.
/// There is no checksum; returns the purse type.
pub fn validate_webmoney(s: &str) -> Option<&'static str> {
    let b = s.as_bytes();
    if b.len() != 13 || !b[1..].iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(match b[0] {
        b'Z' => "WMZ (USD)",
        b'R' => "WMR (RUB)",
        b'E' => "WME (EUR)",
        b'C' => "WMC (credit)",
        b'D' => "WMD (credit)",
        b'G' => "WMG (gold)",
        b'U' => "WMU (UAH)",
        b'B' => "WMB (BYN)",
        _ => return None,
    })
}

/// Checks an international phone number written as `+` and digits (no separators):
/// 8-15 digits (E.164), country code 7 or 1 with exactly 11 digits. Returns a detail.
pub fn validate_phone(s: &str) -> Option<&'static str> {
    let d = s.strip_prefix('+')?.as_bytes();
    phone_intl(d)
}

pub(crate) fn phone_intl(d: &[u8]) -> Option<&'static str> {
    if !(8..=15).contains(&d.len()) || !d.iter().all(u8::is_ascii_digit) || d[0] == b'0' {
        return None;
    }
    match d[0] {
        b'7' if d.len() == 11 => Some("Russia/Kazakhstan (+7)"),
        b'7' => None,
        b'1' if d.len() == 11 => Some("NANP (+1)"),
        b'1' => None,
        _ => Some("E.164"),
    }
}

/// Russian national form: 11 digits starting with 8 and an area/mobile code
/// starting 3, 4, 8 or 9.
pub(crate) fn phone_ru_national(d: &[u8]) -> bool {
    d.len() == 11 && d[0] == b'8' && matches!(d[1], b'3' | b'4' | b'8' | b'9')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yoomoney_reference() {
        for v in ["41001100113", "41001123494", "41002100117"] {
            assert!(validate_yoomoney(v), "{v}");
        }
        assert!(!validate_yoomoney("41001100114"));
        assert!(!validate_yoomoney("41001123484"));
    }

    #[test]
    fn webmoney() {
        assert_eq!(validate_webmoney("Z123456789012"), Some("WMZ (USD)"));
        assert_eq!(validate_webmoney("Q123456789012"), None);
        assert_eq!(validate_webmoney("Z12345678901"), None);
    }
}

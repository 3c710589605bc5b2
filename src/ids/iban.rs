//! IBAN: per-country length and BBAN structure (SWIFT IBAN registry), ISO 7064
//! mod 97-10, and the Spanish national check digits.

/// Country code, total IBAN length, BBAN structure as runs of `<count><class>` where
/// class is `n` (digits), `a` (letters) or `c` (letters or digits).
const COUNTRIES: &[(&str, u8, &str)] = &[
    ("AD", 24, "8n12c"),
    ("AE", 23, "19n"),
    ("AL", 28, "8n16c"),
    ("AT", 20, "16n"),
    ("AZ", 28, "4a20c"),
    ("BA", 20, "16n"),
    ("BE", 16, "12n"),
    ("BG", 22, "4a6n8c"),
    ("BH", 22, "4a14c"),
    ("BI", 27, "23n"),
    ("BR", 29, "23n1a1c"),
    ("BY", 28, "4c4n16c"),
    ("CH", 21, "5n12c"),
    ("CR", 22, "18n"),
    ("CY", 28, "8n16c"),
    ("CZ", 24, "20n"),
    ("DE", 22, "18n"),
    ("DJ", 27, "23n"),
    ("DK", 18, "14n"),
    ("DO", 28, "4c20n"),
    ("EE", 20, "16n"),
    ("EG", 29, "25n"),
    ("ES", 24, "20n"),
    ("FI", 18, "14n"),
    ("FK", 18, "2a12n"),
    ("FO", 18, "14n"),
    ("FR", 27, "10n11c2n"),
    ("GB", 22, "4a14n"),
    ("GE", 22, "2a16n"),
    ("GI", 23, "4a15c"),
    ("GL", 18, "14n"),
    ("GR", 27, "7n16c"),
    ("GT", 28, "24c"),
    ("HN", 28, "4a20n"),
    ("HR", 21, "17n"),
    ("HU", 28, "24n"),
    ("IE", 22, "4a14n"),
    ("IL", 23, "19n"),
    ("IQ", 23, "4a15n"),
    ("IS", 26, "22n"),
    ("IT", 27, "1a10n12c"),
    ("JO", 30, "4a4n18c"),
    ("KW", 30, "4a22c"),
    ("KZ", 20, "3n13c"),
    ("LB", 28, "4n20c"),
    ("LC", 32, "4a24c"),
    ("LI", 21, "5n12c"),
    ("LT", 20, "16n"),
    ("LU", 20, "3n13c"),
    ("LV", 21, "4a13c"),
    ("LY", 25, "21n"),
    ("MC", 27, "10n11c2n"),
    ("MD", 24, "20c"),
    ("ME", 22, "18n"),
    ("MK", 19, "3n10c2n"),
    ("MN", 20, "16n"),
    ("MR", 27, "23n"),
    ("MT", 31, "4a5n18c"),
    ("MU", 30, "4a19n3a"),
    ("NI", 28, "4a20n"),
    ("NL", 18, "4a10n"),
    ("NO", 15, "11n"),
    ("OM", 23, "3n16c"),
    ("PK", 24, "4a16c"),
    ("PL", 28, "24n"),
    ("PS", 29, "4a21c"),
    ("PT", 25, "21n"),
    ("QA", 29, "4a21c"),
    ("RO", 24, "4a16c"),
    ("RS", 22, "18n"),
    ("RU", 33, "14n15c"),
    ("SA", 24, "2n18c"),
    ("SC", 31, "4a20n3a"),
    ("SD", 18, "14n"),
    ("SE", 24, "20n"),
    ("SI", 19, "15n"),
    ("SK", 24, "20n"),
    ("SM", 27, "1a10n12c"),
    ("SO", 23, "19n"),
    ("ST", 25, "21n"),
    ("SV", 28, "4a20n"),
    ("TL", 23, "19n"),
    ("TN", 24, "20n"),
    ("TR", 26, "6n16c"),
    ("UA", 29, "6n19c"),
    ("VA", 22, "18n"),
    ("VG", 24, "4a16n"),
    ("XK", 20, "16n"),
    ("YE", 30, "4a4n18c"),
];

/// The registry entry for a country code (two ASCII letters, any case).
fn country(cc: &[u8]) -> Option<&'static (&'static str, u8, &'static str)> {
    if cc.len() < 2 {
        return None;
    }
    let a = cc[0].to_ascii_uppercase();
    let b = cc[1].to_ascii_uppercase();
    COUNTRIES
        .iter()
        .find(|(c, _, _)| c.as_bytes()[0] == a && c.as_bytes()[1] == b)
}

/// The IBAN length registered for a country code (two ASCII letters, any case).
pub(crate) fn country_length(cc: &[u8]) -> Option<usize> {
    country(cc).map(|c| c.1 as usize)
}

fn structure_ok(bban: &[u8], structure: &str) -> bool {
    let mut pos = 0usize;
    let mut count = 0usize;
    for &s in structure.as_bytes() {
        if s.is_ascii_digit() {
            count = count * 10 + (s - b'0') as usize;
            continue;
        }
        if pos + count > bban.len() {
            return false;
        }
        let ok = bban[pos..pos + count].iter().all(|&c| match s {
            b'n' => c.is_ascii_digit(),
            b'a' => c.is_ascii_alphabetic(),
            _ => c.is_ascii_alphanumeric(),
        });
        if !ok {
            return false;
        }
        pos += count;
        count = 0;
    }
    pos == bban.len()
}

fn mod97(iban: &[u8]) -> u32 {
    let mut r = 0u32;
    for &c in iban[4..].iter().chain(iban[..4].iter()) {
        let c = c.to_ascii_uppercase();
        if c.is_ascii_digit() {
            r = (r * 10 + (c - b'0') as u32) % 97;
        } else {
            let v = (c - b'A') as u32 + 10;
            r = (r * 100 + v) % 97;
        }
    }
    r
}

/// Spanish CCC check digits (the two digits inside the BBAN).
fn spain_ok(bban: &[u8]) -> bool {
    const W: [u32; 10] = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];
    let dc = |digits: &[u8]| -> u8 {
        let s: u32 = digits
            .iter()
            .zip(W)
            .map(|(&c, w)| (c - b'0') as u32 * w)
            .sum();
        match 11 - s % 11 {
            11 => 0,
            10 => 1,
            v => v as u8,
        }
    };
    let mut first = [b'0'; 10];
    first[2..].copy_from_slice(&bban[..8]);
    dc(&first) == bban[8] - b'0' && dc(&bban[10..20]) == bban[9] - b'0'
}

/// Checks compact IBAN characters (ASCII letters and digits, any case, no separators).
/// Returns the country code.
pub(crate) fn check_iban(s: &[u8]) -> Option<&'static str> {
    if s.len() < 5 || !s.iter().all(u8::is_ascii_alphanumeric) {
        return None;
    }
    let (cc, len, structure) = country(s)?;
    if s.len() != *len as usize || !s[2].is_ascii_digit() || !s[3].is_ascii_digit() {
        return None;
    }
    let mut up = [0u8; 34];
    for (d, c) in up.iter_mut().zip(s) {
        *d = c.to_ascii_uppercase();
    }
    let up = &up[..s.len()];
    if !structure_ok(&up[4..], structure) || mod97(up) != 1 {
        return None;
    }
    if *cc == "ES" && !spain_ok(&up[4..]) {
        return None;
    }
    Some(cc)
}

/// Validates an IBAN written compactly or with spaces, dashes or dots between groups,
/// in any case. Returns the country code.
pub fn validate_iban(s: &str) -> Option<&'static str> {
    let mut buf = [0u8; 34];
    let mut n = 0;
    for c in s.chars() {
        match c {
            ' ' | '-' | '.' | '\u{a0}' => {}
            c if c.is_ascii_alphanumeric() => {
                if n == buf.len() {
                    return None;
                }
                buf[n] = c as u8;
                n += 1;
            }
            _ => return None,
        }
    }
    check_iban(&buf[..n])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_consistent() {
        for (cc, len, st) in COUNTRIES {
            let mut total = 0usize;
            let mut count = 0usize;
            for &s in st.as_bytes() {
                if s.is_ascii_digit() {
                    count = count * 10 + (s - b'0') as usize;
                } else {
                    total += count;
                    count = 0;
                }
            }
            assert_eq!(total + 4, *len as usize, "{cc}");
        }
    }

    #[test]
    fn examples() {
        assert_eq!(validate_iban("DE89 3704 0044 0532 0130 00"), Some("DE"));
        assert_eq!(validate_iban("gb29nwbk60161331926819"), Some("GB"));
        assert_eq!(validate_iban("DE89 3704 0044 0532 0130 01"), None);
        assert_eq!(validate_iban("ES2121000418450200051331"), None);
        assert_eq!(validate_iban("ES9121000418450200051332"), Some("ES"));
    }
}

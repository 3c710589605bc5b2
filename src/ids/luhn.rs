//! Luhn (mod 10) check digit.

/// Whether a string of ASCII digits passes the Luhn check (false on any other byte
/// or on fewer than two digits).
pub fn luhn_valid(digits: &str) -> bool {
    luhn_bytes(digits.as_bytes())
}

pub(crate) fn luhn_bytes(d: &[u8]) -> bool {
    if d.len() < 2 {
        return false;
    }
    let mut sum = 0u32;
    for (k, &c) in d.iter().rev().enumerate() {
        if !c.is_ascii_digit() {
            return false;
        }
        let mut v = (c - b'0') as u32;
        if k % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn() {
        assert!(luhn_valid("49927398716"));
        assert!(!luhn_valid("4992739871"));
        assert!(luhn_valid("4012888888881881"));
        assert!(!luhn_valid("4242424242424240"));
        assert!(!luhn_valid("12a4"));
    }
}

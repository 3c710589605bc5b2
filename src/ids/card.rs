//! Bank card numbers (PAN): IIN prefix and length table, then Luhn.

use super::luhn::luhn_bytes;
use super::Checksum;

/// A card scheme by IIN prefix and allowed lengths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scheme {
    pub name: &'static str,
    pub min: u8,
    pub max: u8,
    /// Lengths allowed when written without separators (a subset of min..=max).
    pub compact: &'static [u8],
    /// UnionPay numbers need not pass Luhn.
    pub luhn_optional: bool,
}

const VISA: Scheme = Scheme {
    name: "Visa",
    min: 13,
    max: 19,
    compact: &[16, 19],
    luhn_optional: false,
};
const MASTERCARD: Scheme = Scheme {
    name: "Mastercard",
    min: 16,
    max: 16,
    compact: &[16],
    luhn_optional: false,
};
const MIR: Scheme = Scheme {
    name: "Mir",
    min: 16,
    max: 19,
    compact: &[16, 17, 18, 19],
    luhn_optional: false,
};
const MAESTRO: Scheme = Scheme {
    name: "Maestro",
    min: 12,
    max: 19,
    compact: &[16, 17, 18, 19],
    luhn_optional: false,
};
const UNIONPAY: Scheme = Scheme {
    name: "UnionPay",
    min: 14,
    max: 19,
    compact: &[16, 17, 18, 19],
    luhn_optional: true,
};
const AMEX: Scheme = Scheme {
    name: "American Express",
    min: 15,
    max: 15,
    compact: &[15],
    luhn_optional: false,
};
const JCB: Scheme = Scheme {
    name: "JCB",
    min: 16,
    max: 19,
    compact: &[16, 17, 18, 19],
    luhn_optional: false,
};
const DISCOVER: Scheme = Scheme {
    name: "Discover",
    min: 16,
    max: 19,
    compact: &[16, 17, 18, 19],
    luhn_optional: false,
};

fn prefix(d: &[u8], n: usize) -> u32 {
    d[..n].iter().fold(0u32, |a, &c| a * 10 + (c - b'0') as u32)
}

/// The scheme whose IIN prefix starts `d` (ASCII digits, at least 4), ignoring length.
pub(crate) fn scheme_by_prefix(d: &[u8]) -> Option<Scheme> {
    if d.len() < 4 || !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let p1 = prefix(d, 1);
    let p2 = prefix(d, 2);
    let p3 = prefix(d, 3);
    let p4 = prefix(d, 4);
    Some(match p1 {
        4 => VISA,
        2 if (2200..=2204).contains(&p4) => MIR,
        2 if (2221..=2720).contains(&p4) => MASTERCARD,
        5 if (51..=55).contains(&p2) => MASTERCARD,
        5 if p2 == 50 || (56..=59).contains(&p2) => MAESTRO,
        3 if p2 == 34 || p2 == 37 => AMEX,
        3 if (3528..=3589).contains(&p4) => JCB,
        6 if p2 == 62 => UNIONPAY,
        6 if p4 == 6011 || (644..=649).contains(&p3) || p2 == 65 => DISCOVER,
        6 if p2 == 63 || p2 == 67 => MAESTRO,
        8 if p2 == 81 => UNIONPAY,
        _ => return None,
    })
}

/// Validates ASCII digits as a card number: scheme (prefix + length) and Luhn.
/// UnionPay numbers that fail Luhn are `Unchecked` when `allow_unchecked`.
pub(crate) fn check_card(d: &[u8], allow_unchecked: bool) -> Option<(Checksum, Scheme)> {
    let s = scheme_by_prefix(d)?;
    let len = d.len() as u8;
    if len < s.min || len > s.max {
        return None;
    }
    if s.name == "Visa" && !matches!(len, 13 | 16 | 19) {
        return None;
    }
    if luhn_bytes(d) {
        Some((Checksum::Valid, s))
    } else if s.luhn_optional && allow_unchecked {
        Some((Checksum::Unchecked, s))
    } else {
        None
    }
}

/// Validates a card number given as ASCII digits (no separators): returns the
/// checksum status and the scheme name ("Visa", "Mastercard", "Mir", "Maestro",
/// "UnionPay", "American Express", "JCB", "Discover"). UnionPay numbers that fail
/// Luhn but match prefix and length are `Checksum::Unchecked`.
pub fn validate_card(digits: &str) -> Option<(Checksum, &'static str)> {
    check_card(digits.as_bytes(), true).map(|(c, s)| (c, s.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_vectors() {
        for v in [
            "4012888888881881",
            "5555555555554444",
            "2223003122003222",
            "2200123456789019",
        ] {
            assert_eq!(validate_card(v).map(|x| x.0), Some(Checksum::Valid), "{v}");
        }
        for v in ["40128888888818820", "4242424242424240", "5555555555554446"] {
            assert_eq!(validate_card(v), None, "{v}");
        }
        assert_eq!(validate_card("2200123456789019").unwrap().1, "Mir");
        assert_eq!(validate_card("2223003122003222").unwrap().1, "Mastercard");
        assert_eq!(
            validate_card("6212345678901234"),
            Some((Checksum::Unchecked, "UnionPay"))
        );
    }
}

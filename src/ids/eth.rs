//! Ethereum / EVM addresses and the EIP-55 mixed-case checksum.

use super::Checksum;
use tiny_keccak::{Hasher, Keccak};

/// Keccak-256 (the original Keccak padding, as Ethereum and Monero use).
pub(crate) fn keccak256(data: &[u8]) -> [u8; 32] {
    let mut k = Keccak::v256();
    k.update(data);
    let mut out = [0u8; 32];
    k.finalize(&mut out);
    out
}

/// Validates `0x` + 40 hex digits. All-lower or all-upper hex carries no checksum
/// (`Unchecked`); mixed case must match EIP-55 (`Valid`) or the address is rejected.
pub fn validate_eth(s: &str) -> Option<Checksum> {
    let b = s.as_bytes();
    if b.len() != 42 || b[0] != b'0' || b[1] != b'x' {
        return None;
    }
    let hex = &b[2..];
    if !hex.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let has_lower = hex.iter().any(u8::is_ascii_lowercase);
    let has_upper = hex.iter().any(u8::is_ascii_uppercase);
    if !(has_lower && has_upper) {
        return Some(Checksum::Unchecked);
    }
    let mut lower = [0u8; 40];
    for (d, c) in lower.iter_mut().zip(hex) {
        *d = c.to_ascii_lowercase();
    }
    let h = keccak256(&lower);
    for (i, &c) in hex.iter().enumerate() {
        if c.is_ascii_digit() {
            continue;
        }
        let nibble = if i % 2 == 0 {
            h[i / 2] >> 4
        } else {
            h[i / 2] & 0xF
        };
        if (nibble >= 8) != c.is_ascii_uppercase() {
            return None;
        }
    }
    Some(Checksum::Valid)
}

/// The EIP-55 checksummed form of `0x` + 40 hex digits (any case), or `None`.
pub fn to_eip55(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() != 42 || !s.starts_with("0x") || !b[2..].iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let lower = s[2..].to_ascii_lowercase();
    let h = keccak256(lower.as_bytes());
    let mut out = String::with_capacity(42);
    out.push_str("0x");
    for (i, c) in lower.chars().enumerate() {
        let nibble = if i % 2 == 0 {
            h[i / 2] >> 4
        } else {
            h[i / 2] & 0xF
        };
        out.push(if nibble >= 8 {
            c.to_ascii_uppercase()
        } else {
            c
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eip55() {
        assert_eq!(
            validate_eth("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
            Some(Checksum::Valid)
        );
        assert_eq!(
            validate_eth("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"),
            None
        );
        assert_eq!(
            validate_eth("0xde709f2102306220921060314715629080e2fb77"),
            Some(Checksum::Unchecked)
        );
    }
}

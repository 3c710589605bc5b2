//! Base58 (Bitcoin alphabet) and Base58Check addresses: Bitcoin, Litecoin,
//! Dogecoin, Tron, Zcash transparent.
//!
//! Why not the `bs58` crate (with `check`): it was tried. It keeps every
//! official vector green (tests/ids_vectors.rs), but the Wasm engine grew by
//! 1,558 bytes (812 gzipped) where this decoder is 60 lines, and this one
//! decodes onto a stack buffer with the 64-byte cap the candidate scanner
//! wants (every Base58-looking word of a page is tried). Measured
//! 2026-12-03, Rust 1.95, bs58 0.5.1.

use super::{Checksum, IdKind};
use sha2::{Digest, Sha256};

const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

const fn build_index() -> [u8; 128] {
    let mut t = [0xFFu8; 128];
    let mut i = 0;
    while i < 58 {
        t[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t
}

/// Value of each ASCII character in the Base58 alphabet, 0xFF when not in it.
pub(crate) const INDEX: [u8; 128] = build_index();

/// Whether a byte is in the Base58 alphabet.
#[inline]
pub(crate) fn is_b58(c: u8) -> bool {
    c < 128 && INDEX[c as usize] != 0xFF
}

/// Longest decoded payload handled (Base58Check addresses are 25-26 bytes).
const MAX_BYTES: usize = 64;

/// Decodes Base58 (Bitcoin alphabet) into bytes. `None` on a character outside the
/// alphabet or a result longer than 64 bytes.
pub fn base58_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = [0u8; MAX_BYTES];
    let n = decode_into(s.as_bytes(), &mut out)?;
    Some(out[MAX_BYTES - n..].to_vec())
}

/// Decodes into the tail of `out` (big-endian); returns the number of bytes.
fn decode_into(s: &[u8], out: &mut [u8; MAX_BYTES]) -> Option<usize> {
    let zeros = s.iter().take_while(|&&c| c == b'1').count();
    // Big-endian base-256 accumulator in `out`, growing leftwards; `used` bytes live.
    let mut used = 0usize;
    for &c in &s[zeros..] {
        if c >= 128 {
            return None;
        }
        let v = INDEX[c as usize];
        if v == 0xFF {
            return None;
        }
        let mut carry = v as u32;
        let mut k = 0;
        while k < used || carry != 0 {
            if k == MAX_BYTES {
                return None;
            }
            let idx = MAX_BYTES - 1 - k;
            let x = if k < used { out[idx] as u32 } else { 0 } * 58 + carry;
            out[idx] = (x & 0xFF) as u8;
            carry = x >> 8;
            k += 1;
        }
        used = used.max(k);
    }
    let total = used + zeros;
    if total > MAX_BYTES {
        return None;
    }
    for k in used..total {
        out[MAX_BYTES - 1 - k] = 0;
    }
    Some(total)
}

fn double_sha256(data: &[u8]) -> [u8; 32] {
    let a = Sha256::digest(data);
    let b = Sha256::digest(a);
    b.into()
}

/// Decodes Base58Check: the payload (version bytes included) when the last four
/// bytes are the first four of SHA-256(SHA-256(payload)).
pub fn base58check_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = [0u8; MAX_BYTES];
    let n = decode_into(s.as_bytes(), &mut out)?;
    let data = &out[MAX_BYTES - n..];
    if n < 5 {
        return None;
    }
    let (payload, check) = data.split_at(n - 4);
    if double_sha256(payload)[..4] != *check {
        return None;
    }
    Some(payload.to_vec())
}

/// Classifies a Base58Check mainnet address by its version bytes: Bitcoin P2PKH
/// (0x00) and P2SH (0x05), Litecoin (0x30, 0x32), Dogecoin (0x1E, 0x16), Tron
/// (0x41), Zcash transparent (0x1CB8, 0x1CBD). `3...` (0x05) is reported as Bitcoin
/// (Litecoin's legacy P2SH shares it).
pub fn validate_base58_address(s: &str) -> Option<(IdKind, Checksum, &'static str)> {
    if !(25..=36).contains(&s.len()) {
        return None;
    }
    let p = base58check_decode(s)?;
    let r = match (p.len(), p[0]) {
        (21, 0x00) => (IdKind::Btc, "P2PKH"),
        (21, 0x05) => (IdKind::Btc, "P2SH"),
        (21, 0x30) => (IdKind::Ltc, "P2PKH"),
        (21, 0x32) => (IdKind::Ltc, "P2SH"),
        (21, 0x1E) => (IdKind::Doge, "P2PKH"),
        (21, 0x16) => (IdKind::Doge, "P2SH"),
        (21, 0x41) => (IdKind::Trx, "Base58Check"),
        (22, 0x1C) if p[1] == 0xB8 => (IdKind::Zec, "t1 (P2PKH)"),
        (22, 0x1C) if p[1] == 0xBD => (IdKind::Zec, "t3 (P2SH)"),
        _ => return None,
    };
    Some((r.0, Checksum::Valid, r.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes() {
        assert_eq!(base58_decode("").unwrap(), Vec::<u8>::new());
        assert_eq!(base58_decode("11").unwrap(), vec![0, 0]);
        assert_eq!(base58_decode("5Q").unwrap(), vec![0xFF]);
        assert_eq!(base58_decode("LUv").unwrap(), vec![0xFF, 0xFF]);
        assert!(base58_decode("0").is_none());
        assert_eq!(
            validate_base58_address("1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo").map(|x| x.0),
            Some(IdKind::Btc)
        );
        assert_eq!(
            validate_base58_address("TNDzfERDpxLDS2w1q6yaFC7pzqaSQ3Bg3r").map(|x| x.0),
            Some(IdKind::Trx)
        );
        assert!(validate_base58_address("1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mp").is_none());
    }
}

//! Monero addresses: CryptoNote Base58 (8-byte blocks to 11 characters), a varint
//! network tag, and the first four bytes of Keccak-256 as checksum.

use super::base58::INDEX;
use super::eth::keccak256;

/// Encoded size of a block of 0..=8 bytes.
const ENCODED: [usize; 9] = [0, 2, 3, 5, 6, 7, 9, 10, 11];

fn decoded_size(enc: usize) -> Option<usize> {
    ENCODED.iter().position(|&e| e == enc)
}

/// Decodes CryptoNote Base58: full 11-character blocks give 8 bytes, the last block
/// is shorter. `None` on a bad character, a bad last-block length or an overflowing
/// block.
pub fn monero_base58_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let full = b.len() / 11;
    let rest = b.len() % 11;
    let rest_bytes = decoded_size(rest)?;
    let mut out = Vec::with_capacity(full * 8 + rest_bytes);
    for chunk in b.chunks(11) {
        let size = decoded_size(chunk.len())?;
        let mut v: u128 = 0;
        for &c in chunk {
            if c >= 128 || INDEX[c as usize] == 0xFF {
                return None;
            }
            v = v * 58 + INDEX[c as usize] as u128;
        }
        if (size < 8 && (v >> (8 * size)) != 0) || (v >> 64) != 0 {
            return None;
        }
        let bytes = (v as u64).to_be_bytes();
        out.extend_from_slice(&bytes[8 - size..]);
    }
    Some(out)
}

fn read_varint(b: &[u8]) -> Option<(u64, usize)> {
    let mut v = 0u64;
    for (i, &c) in b.iter().enumerate().take(10) {
        v |= ((c & 0x7F) as u64) << (7 * i);
        if c & 0x80 == 0 {
            // A final zero byte after others is a non-canonical encoding.
            if c == 0 && i > 0 {
                return None;
            }
            return Some((v, i + 1));
        }
    }
    None
}

/// Decodes a CryptoNote address: varint tag and data, after checking the 4-byte
/// Keccak-256 checksum.
pub fn monero_decode_address(s: &str) -> Option<(u64, Vec<u8>)> {
    let raw = monero_base58_decode(s)?;
    if raw.len() < 5 {
        return None;
    }
    let (body, check) = raw.split_at(raw.len() - 4);
    if keccak256(body)[..4] != *check {
        return None;
    }
    let (tag, n) = read_varint(body)?;
    Some((tag, body[n..].to_vec()))
}

/// Validates a Monero mainnet address: standard (tag 18, 95 chars), subaddress
/// (tag 42, 95 chars) or integrated (tag 19, 106 chars). Returns the type.
pub fn validate_xmr(s: &str) -> Option<&'static str> {
    let (tag, data) = match s.len() {
        95 | 106 => monero_decode_address(s)?,
        _ => return None,
    };
    match (tag, data.len()) {
        (18, 64) => Some("standard"),
        (42, 64) => Some("subaddress"),
        (19, 72) => Some("integrated"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks() {
        assert_eq!(monero_base58_decode("11").unwrap(), vec![0]);
        assert_eq!(monero_base58_decode("jpXCZedGfVQ").unwrap(), vec![0xFF; 8]);
        assert!(monero_base58_decode("jpXCZedGfVR").is_none());
        assert!(monero_base58_decode("5R").is_none());
        assert!(monero_base58_decode("1").is_none());
        assert_eq!(
            validate_xmr("4AzKEX4gXdJdNeM6dfiBFL7kqund3HYGvMBF3ttsNd9SfzgYB6L7ep1Yg1osYJzLdaKAYSLVh6e6jKnAuzj3bw1oGy9kXCb"),
            Some("standard")
        );
    }
}

//! Folding with an offset map back to the original text.
//!
//! STUB: the real implementation replaces this file. The public API below is the contract.

/// Text folded for matching, with a map from every folded byte back to the
/// original text, in UTF-16 code units (as the DOM counts).
#[derive(Debug, Clone, Default)]
pub struct Folded {
    text: String,
    starts: Vec<u32>,
    ends: Vec<u32>,
}

impl Folded {
    /// The folded text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Maps the folded byte range `[start, end)` (on char boundaries, `start < end`)
    /// to the original range in UTF-16 code units.
    pub fn span(&self, start: usize, end: usize) -> (u32, u32) {
        (self.starts[start], self.ends[end - 1])
    }
}

/// Folds page text. `block_starts` are sorted UTF-16 offsets where a new block
/// (post, comment, paragraph) begins: a `'\n'` is emitted in the folded text
/// there, so nothing matches across two blocks.
pub fn fold(text: &str, block_starts: &[u32]) -> Folded {
    let _ = block_starts;
    let mut f = Folded::default();
    let mut u = 0u32;
    for c in text.chars() {
        let n = c.len_utf16() as u32;
        for l in c.to_lowercase() {
            let mut b = [0u8; 4];
            for _ in 0..l.encode_utf8(&mut b).len() {
                f.starts.push(u);
                f.ends.push(u + n);
            }
            f.text.push(l);
        }
        u += n;
    }
    f
}

/// Folds a rule pattern exactly the way [`fold`] folds page text.
pub fn fold_pattern(pattern: &str) -> String {
    fold(pattern, &[]).text
}

/// Whether `c`, a char of folded text, is part of a word (Unicode letters,
/// marks and digits of any script: Cyrillic and Arabic letters are word chars).
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

//! Conversions between UTF-8 byte offsets and UTF-16 offsets (as the DOM counts).

/// Byte ↔ UTF-16 offset conversion for one text, with checkpoints every
/// [`STEP`] bytes so a conversion walks at most one step of text.
#[derive(Debug, Clone)]
pub struct Utf16Index<'a> {
    text: &'a str,
    ascii: bool,
    /// (byte, utf16) at the first char boundary at or after each multiple of STEP.
    checkpoints: Vec<(u32, u32)>,
}

const STEP: usize = 64;

impl<'a> Utf16Index<'a> {
    /// Indexes `text` (one pass).
    pub fn new(text: &'a str) -> Utf16Index<'a> {
        let ascii = text.is_ascii();
        let mut checkpoints = Vec::new();
        if !ascii {
            checkpoints.reserve(text.len() / STEP + 1);
            let mut u = 0u32;
            let mut next = 0usize;
            for (i, c) in text.char_indices() {
                while i >= next {
                    checkpoints.push((i as u32, u));
                    next += STEP;
                }
                u += c.len_utf16() as u32;
            }
            while text.len() >= next {
                checkpoints.push((text.len() as u32, u));
                next += STEP;
            }
        }
        Utf16Index {
            text,
            ascii,
            checkpoints,
        }
    }

    /// UTF-16 offset of a byte offset (clamped to the text; rounded down to a char boundary).
    pub fn utf16(&self, byte: usize) -> u32 {
        let byte = byte.min(self.text.len());
        if self.ascii {
            return byte as u32;
        }
        let mut k = byte / STEP;
        while k > 0 && self.checkpoints[k].0 as usize > byte {
            k -= 1;
        }
        let (b0, u0) = self.checkpoints[k];
        let mut u = u0;
        for (i, c) in self.text[b0 as usize..].char_indices() {
            if b0 as usize + i + c.len_utf8() > byte {
                break;
            }
            u += c.len_utf16() as u32;
        }
        u
    }

    /// Byte offset of a UTF-16 offset (clamped; inside a surrogate pair it
    /// rounds down to the start of the char).
    pub fn byte(&self, utf16: u32) -> usize {
        if self.ascii {
            return (utf16 as usize).min(self.text.len());
        }
        let k = self.checkpoints.partition_point(|&(_, u)| u <= utf16);
        let (b0, u0) = self.checkpoints[k.saturating_sub(1)];
        let mut u = u0;
        let mut b = b0 as usize;
        for c in self.text[b..].chars() {
            let n = c.len_utf16() as u32;
            if u + n > utf16 {
                break;
            }
            u += n;
            b += c.len_utf8();
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let t = "ab😀вг\u{0627}".repeat(50);
        let idx = Utf16Index::new(&t);
        let mut u = 0;
        for (i, c) in t.char_indices() {
            assert_eq!(idx.utf16(i), u);
            assert_eq!(idx.byte(u), i);
            u += c.len_utf16() as u32;
        }
        assert_eq!(idx.utf16(t.len()), u);
        assert_eq!(idx.byte(u), t.len());
        assert_eq!(idx.byte(u + 100), t.len());
    }

    #[test]
    fn ascii_is_identity() {
        let idx = Utf16Index::new("hello");
        assert_eq!(idx.utf16(3), 3);
        assert_eq!(idx.byte(9), 5);
    }
}

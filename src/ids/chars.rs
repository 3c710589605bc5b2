//! Character classes for candidate scanning, folding to ASCII without allocation.
//!
//! Digits in Arabic-Indic (U+0660-0669), Extended Arabic-Indic (U+06F0-06F9) and
//! fullwidth (U+FF10-FF19) forms fold to ASCII digits; fullwidth Latin letters fold to
//! ASCII letters (case kept). Zero-width characters and the soft hyphen are ignorable
//! inside a candidate (an evasion). Offsets are always bytes of the original text.

/// Class of one character of page text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ch {
    /// A digit of any supported script, folded to an ASCII digit byte.
    Digit(u8),
    /// An ASCII or fullwidth Latin letter, folded to an ASCII letter byte (case kept).
    Letter(u8),
    /// Zero-width space/joiners, word joiner, BOM, soft hyphen: skipped inside candidates.
    Ignorable,
    /// A horizontal space usable inside a written number (space, NBSP, thin spaces...).
    Space,
    /// A hyphen or dash.
    Dash,
    /// A full stop.
    Dot,
    /// `(`.
    Open,
    /// `)`.
    Close,
    /// `+` (ASCII or fullwidth).
    Plus,
    /// Anything else (including newlines and tabs, which end every candidate).
    Other,
}

/// Decodes the UTF-8 scalar starting at `b[i]` (which must be a char boundary of a
/// valid UTF-8 string) and returns it with its byte length.
#[inline]
pub(crate) fn decode_char(b: &[u8], i: usize) -> (u32, usize) {
    let b0 = b[i] as u32;
    if b0 < 0x80 {
        (b0, 1)
    } else if b0 < 0xE0 {
        (((b0 & 0x1F) << 6) | (b[i + 1] as u32 & 0x3F), 2)
    } else if b0 < 0xF0 {
        (
            ((b0 & 0x0F) << 12) | ((b[i + 1] as u32 & 0x3F) << 6) | (b[i + 2] as u32 & 0x3F),
            3,
        )
    } else {
        (
            ((b0 & 0x07) << 18)
                | ((b[i + 1] as u32 & 0x3F) << 12)
                | ((b[i + 2] as u32 & 0x3F) << 6)
                | (b[i + 3] as u32 & 0x3F),
            4,
        )
    }
}

/// Classifies a code point.
#[inline]
pub(crate) fn class_of(cp: u32) -> Ch {
    match cp {
        0x30..=0x39 => Ch::Digit(cp as u8),
        0x41..=0x5A | 0x61..=0x7A => Ch::Letter(cp as u8),
        0x20 => Ch::Space,
        0x2D => Ch::Dash,
        0x2E => Ch::Dot,
        0x28 => Ch::Open,
        0x29 => Ch::Close,
        0x2B | 0xFF0B => Ch::Plus,
        0x0660..=0x0669 => Ch::Digit(b'0' + (cp - 0x0660) as u8),
        0x06F0..=0x06F9 => Ch::Digit(b'0' + (cp - 0x06F0) as u8),
        0xFF10..=0xFF19 => Ch::Digit(b'0' + (cp - 0xFF10) as u8),
        0xFF21..=0xFF3A => Ch::Letter(b'A' + (cp - 0xFF21) as u8),
        0xFF41..=0xFF5A => Ch::Letter(b'a' + (cp - 0xFF41) as u8),
        0x200B..=0x200D | 0x2060 | 0xFEFF | 0x00AD => Ch::Ignorable,
        0x00A0 | 0x2000..=0x200A | 0x202F | 0x205F | 0x3000 => Ch::Space,
        0x2010..=0x2015 | 0x2212 | 0xFF0D => Ch::Dash,
        0xFF0E => Ch::Dot,
        0xFF08 => Ch::Open,
        0xFF09 => Ch::Close,
        _ => Ch::Other,
    }
}

/// Class and byte length of the character at `b[i]`.
#[inline]
pub(crate) fn class_at(b: &[u8], i: usize) -> (Ch, usize) {
    let (cp, len) = decode_char(b, i);
    (class_of(cp), len)
}

/// Whether the character that ends just before byte `i` is a word character
/// (a letter or digit of any script, or `_`): a candidate may not start there.
pub(crate) fn word_before(text: &str, i: usize) -> bool {
    match text[..i].chars().next_back() {
        Some(c) => is_word(c),
        None => false,
    }
}

/// Whether the character at byte `i` is a word character: a candidate may not end there.
pub(crate) fn word_at(text: &str, i: usize) -> bool {
    match text[i..].chars().next() {
        Some(c) => is_word(c),
        None => false,
    }
}

/// The character ending just before byte `i`, if any.
pub(crate) fn char_before(text: &str, i: usize) -> Option<char> {
    text[..i].chars().next_back()
}

/// The character starting at byte `i`, if any.
pub(crate) fn char_at(text: &str, i: usize) -> Option<char> {
    text[i..].chars().next()
}

#[inline]
pub(crate) fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Longest candidate value kept (a Monero integrated address has 106 characters).
pub(crate) const WBUF: usize = 128;

/// A maximal run of letters and digits (any supported script), zero-width characters
/// inside it ignored.
pub(crate) struct Word {
    /// Byte offset of the first letter or digit.
    pub start: usize,
    /// Byte offset just after the last letter or digit.
    pub end: usize,
    /// Number of letters and digits.
    pub len: usize,
    /// Folded ASCII of the first `min(len, WBUF)` letters and digits.
    pub buf: [u8; WBUF],
    /// Number of digits.
    pub digits: usize,
}

impl Word {
    /// The folded ASCII bytes kept (all of them when `len <= WBUF`).
    #[inline]
    pub fn bytes(&self) -> &[u8] {
        &self.buf[..self.len.min(WBUF)]
    }

    /// Whether every character is a digit.
    #[inline]
    pub fn all_digits(&self) -> bool {
        self.digits == self.len
    }

    /// Whether every character was kept in `buf`.
    #[inline]
    pub fn complete(&self) -> bool {
        self.len <= WBUF
    }

    /// The folded text, when complete.
    pub fn as_str(&self) -> Option<&str> {
        if self.complete() {
            std::str::from_utf8(self.bytes()).ok()
        } else {
            None
        }
    }
}

/// Reads the word starting at byte `i`, which must hold a letter or digit.
pub(crate) fn read_word(b: &[u8], i: usize) -> Word {
    let mut w = Word {
        start: i,
        end: i,
        len: 0,
        buf: [0; WBUF],
        digits: 0,
    };
    let n = b.len();
    let mut j = i;
    loop {
        // ASCII fast path.
        while j < n && b[j].is_ascii_alphanumeric() {
            let c = b[j];
            if w.len < WBUF {
                w.buf[w.len] = c;
            }
            w.len += 1;
            w.digits += c.is_ascii_digit() as usize;
            j += 1;
        }
        w.end = j;
        if j >= n || b[j] < 0x80 {
            break;
        }
        // Non-ASCII: a foldable letter/digit continues the word; ignorables are
        // skipped only when a letter or digit follows them.
        let (cls, l) = class_at(b, j);
        match cls {
            Ch::Digit(c) | Ch::Letter(c) => {
                if w.len < WBUF {
                    w.buf[w.len] = c;
                }
                w.len += 1;
                w.digits += c.is_ascii_digit() as usize;
                j += l;
                w.end = j;
            }
            Ch::Ignorable => {
                let mut k = j + l;
                let mut hops = 0;
                while k < n && hops < 4 {
                    let (c2, l2) = class_at(b, k);
                    if c2 == Ch::Ignorable {
                        k += l2;
                        hops += 1;
                    } else {
                        break;
                    }
                }
                if k < n && matches!(class_at(b, k).0, Ch::Digit(_) | Ch::Letter(_)) {
                    j = k;
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_digits_and_skips_zero_width() {
        let s = "x ٤٢\u{200B}７６ab\u{200D} y";
        let b = s.as_bytes();
        let w = read_word(b, 2);
        assert_eq!(w.as_str(), Some("4276ab"));
        assert_eq!(&s[w.start..w.end], "٤٢\u{200B}７６ab");
    }
}

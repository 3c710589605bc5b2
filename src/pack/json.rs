//! A small JSON reader that remembers where every value is.
//!
//! `serde_json` stops at the first error and forgets positions once a value is
//! built; pack authors need every error located at its line and column, so the
//! pack reader parses into [`Node`]s that carry their byte offset. The grammar
//! is RFC 8259 JSON; depth and size are bounded (see [`crate::limits`]).

use crate::limits;
use std::fmt;

/// A JSON value with the byte offset where it starts in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Byte offset of the value's first character.
    pub offset: usize,
    /// The value itself.
    pub value: Value,
}

/// A JSON value whose children are [`Node`]s.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, kept as written, parsed on demand.
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Node>),
    /// An object: members in source order, keys with their own offsets.
    Object(Vec<(String, usize, Node)>),
}

impl Value {
    /// The JSON type name, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

/// A syntax error with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset of the error.
    pub offset: usize,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

/// Line and column (both 1-based, column in characters) of a byte offset.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let mut o = offset;
    while !src.is_char_boundary(o) {
        o -= 1;
    }
    let before = &src[..o];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// Line and column of any byte offset of one text, each found in a bounded
/// number of steps: `(line, column)` is recorded at a char boundary every
/// [`LineIndex::STEP`] bytes, so a lookup walks at most one step of text
/// whatever the order of lookups (a pack's errors and rule locations are not
/// always asked in document order, and a minified pack is one long line).
pub struct LineIndex<'a> {
    src: &'a str,
    /// (byte, line, column) at the first char boundary at or after each multiple of STEP.
    marks: Vec<(usize, u32, u32)>,
}

impl<'a> LineIndex<'a> {
    const STEP: usize = 64;

    /// Indexes `src` (one pass).
    pub fn new(src: &'a str) -> Self {
        let mut marks = Vec::with_capacity(src.len() / Self::STEP + 2);
        let (mut line, mut column) = (1u32, 1u32);
        let mut next = 0usize;
        for (i, ch) in src.char_indices() {
            while i >= next {
                marks.push((i, line, column));
                next += Self::STEP;
            }
            if ch == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        marks.push((src.len(), line, column));
        LineIndex { src, marks }
    }

    /// Line and column (1-based, column in characters) of a byte offset;
    /// an offset inside a char counts from that char's start.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.src.len());
        let mut k = (offset / Self::STEP).min(self.marks.len() - 1);
        while k > 0 && self.marks[k].0 > offset {
            k -= 1;
        }
        let (at, mut line, mut column) = self.marks[k];
        for (i, ch) in self.src[at..].char_indices() {
            if at + i + ch.len_utf8() > offset {
                break;
            }
            if ch == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        (line, column)
    }
}

/// Parses one JSON document.
pub fn parse(src: &str) -> Result<Node, SyntaxError> {
    if src.len() > limits::MAX_PACK_BYTES {
        return Err(SyntaxError {
            offset: 0,
            reason: format!(
                "pack is {} bytes, over the limit of {} bytes",
                src.len(),
                limits::MAX_PACK_BYTES
            ),
        });
    }
    let mut p = Parser {
        s: src.as_bytes(),
        src,
        i: 0,
        depth: 0,
    };
    // A UTF-8 byte order mark is tolerated.
    if src.starts_with('\u{feff}') {
        p.i = 3;
    }
    p.ws();
    let node = p.value()?;
    p.ws();
    if p.i < p.s.len() {
        return Err(p.err("unexpected characters after the end of the document"));
    }
    Ok(node)
}

struct Parser<'a> {
    s: &'a [u8],
    src: &'a str,
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    fn err(&self, reason: &str) -> SyntaxError {
        SyntaxError {
            offset: self.i,
            reason: reason.to_string(),
        }
    }

    fn ws(&mut self) {
        while let Some(&b) = self.s.get(self.i) {
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    fn value(&mut self) -> Result<Node, SyntaxError> {
        let offset = self.i;
        let value = match self.s.get(self.i) {
            None => return Err(self.err("unexpected end of input, expected a value")),
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.word("true", Value::Bool(true))?,
            Some(b'f') => self.word("false", Value::Bool(false))?,
            Some(b'n') => self.word("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => {
                let c = self.src[self.i..].chars().next().unwrap_or('?');
                return Err(self.err(&format!("unexpected character {c:?}, expected a value")));
            }
        };
        Ok(Node { offset, value })
    }

    fn word(&mut self, w: &str, v: Value) -> Result<Value, SyntaxError> {
        if self.s[self.i..].starts_with(w.as_bytes()) {
            self.i += w.len();
            Ok(v)
        } else {
            Err(self.err("invalid literal, expected true, false or null"))
        }
    }

    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > limits::MAX_JSON_DEPTH {
            return Err(self.err(&format!(
                "nesting deeper than {} levels",
                limits::MAX_JSON_DEPTH
            )));
        }
        Ok(())
    }

    fn object(&mut self) -> Result<Value, SyntaxError> {
        self.enter()?;
        self.i += 1;
        let mut members = Vec::new();
        self.ws();
        if self.s.get(self.i) == Some(&b'}') {
            self.i += 1;
            self.depth -= 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.ws();
            if self.s.get(self.i) != Some(&b'"') {
                return Err(self.err("expected a quoted member name"));
            }
            let key_offset = self.i;
            let key = self.string()?;
            self.ws();
            if self.s.get(self.i) != Some(&b':') {
                return Err(self.err("expected ':' after the member name"));
            }
            self.i += 1;
            self.ws();
            let v = self.value()?;
            members.push((key, key_offset, v));
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    break;
                }
                _ => return Err(self.err("expected ',' or '}' in object")),
            }
        }
        self.depth -= 1;
        Ok(Value::Object(members))
    }

    fn array(&mut self) -> Result<Value, SyntaxError> {
        self.enter()?;
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.s.get(self.i) == Some(&b']') {
            self.i += 1;
            self.depth -= 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.ws();
            items.push(self.value()?);
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    break;
                }
                _ => return Err(self.err("expected ',' or ']' in array")),
            }
        }
        self.depth -= 1;
        Ok(Value::Array(items))
    }

    fn number(&mut self) -> Result<Value, SyntaxError> {
        let start = self.i;
        if self.s.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        let digits = |p: &mut Self| {
            let st = p.i;
            while p.s.get(p.i).is_some_and(u8::is_ascii_digit) {
                p.i += 1;
            }
            p.i - st
        };
        match self.s.get(self.i) {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(self.err("invalid number")),
        }
        if self.s.get(self.i) == Some(&b'.') {
            self.i += 1;
            if digits(self) == 0 {
                return Err(self.err("invalid number: digits expected after '.'"));
            }
        }
        if matches!(self.s.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.s.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if digits(self) == 0 {
                return Err(self.err("invalid number: digits expected in the exponent"));
            }
        }
        self.src[start..self.i]
            .parse::<f64>()
            .map(Value::Number)
            .map_err(|_| SyntaxError {
                offset: start,
                reason: "invalid number".into(),
            })
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let h = self
            .s
            .get(self.i..self.i + 4)
            .and_then(|b| std::str::from_utf8(b).ok())
            .and_then(|t| u32::from_str_radix(t, 16).ok())
            .ok_or_else(|| self.err("invalid \\u escape: four hex digits expected"))?;
        self.i += 4;
        Ok(h)
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        let start = self.i;
        self.i += 1;
        let mut out = String::new();
        loop {
            let run = self.i;
            while let Some(&b) = self.s.get(self.i) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.i += 1;
            }
            out.push_str(&self.src[run..self.i]);
            match self.s.get(self.i) {
                None => {
                    return Err(SyntaxError {
                        offset: start,
                        reason: "unterminated string".into(),
                    })
                }
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let e = self.s.get(self.i).copied();
                    self.i += 1;
                    match e {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let hi = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&hi) {
                                if self.s.get(self.i..self.i + 2) != Some(b"\\u") {
                                    return Err(self.err("lone high surrogate in \\u escape"));
                                }
                                self.i += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.err("invalid low surrogate in \\u escape"));
                                }
                                char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                            } else {
                                char::from_u32(hi)
                            };
                            out.push(c.ok_or_else(|| self.err("lone surrogate in \\u escape"))?);
                        }
                        _ => {
                            self.i -= 1;
                            return Err(self.err("invalid escape in string"));
                        }
                    }
                }
                Some(_) => return Err(self.err("control character in string (escape it)")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_with_offsets() {
        let n = parse(r#" {"a": [1, "x\u00e9"], "b": {"c": null}} "#).unwrap();
        let Value::Object(m) = n.value else { panic!() };
        assert_eq!(m[0].0, "a");
        assert_eq!(m[0].1, 2);
        let Value::Array(items) = &m[0].2.value else {
            panic!()
        };
        assert_eq!(items[1].value, Value::String("xé".into()));
        assert_eq!(items[1].offset, 11);
    }

    #[test]
    fn errors_are_located() {
        let src = "{\n  \"a\": [1,,2]\n}";
        let e = parse(src).unwrap_err();
        assert_eq!(line_col(src, e.offset), (2, 11));
        assert_eq!(LineIndex::new(src).line_col(e.offset), (2, 11));
        assert!(parse("[1] x").is_err());
        assert!(parse("\"abc").is_err());
        assert!(parse("{\"a\" 1}").is_err());
    }

    #[test]
    fn depth_is_bounded() {
        let deep = "[".repeat(100_000);
        assert!(parse(&deep).unwrap_err().reason.contains("nesting"));
    }

    #[test]
    fn surrogates() {
        let n = parse(r#""\ud83d\ude00""#).unwrap();
        assert_eq!(n.value, Value::String("😀".into()));
        assert!(parse(r#""\ud83d""#).is_err());
    }
}

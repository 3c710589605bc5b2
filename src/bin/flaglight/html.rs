//! HTML to text with block boundaries, for the CLI (native only).
//!
//! The charset comes from a byte order mark, then a `<meta charset>` or
//! `<meta http-equiv="Content-Type">` in the first 4 KiB, then UTF-8 if the
//! bytes are valid UTF-8, else windows-1252 (the HTML standard's fallback).

use ego_tree::NodeRef;
use scraper::{Html, Node};

/// Text extracted from a page: blocks joined by `'\n'`, with block starts in UTF-16 units.
pub struct Extracted {
    /// The text.
    pub text: String,
    /// UTF-16 offsets where blocks start.
    pub block_starts: Vec<u32>,
}

const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "head", "svg", "math", "textarea", "select",
    "option", "input", "button", "iframe", "object",
];

const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Decodes bytes to a string using the document's charset.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (s, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (s.into_owned(), enc.name());
    }
    if let Some(enc) = sniff_meta(&bytes[..bytes.len().min(4096)]) {
        // A page that says UTF-16 in a meta tag is really ASCII-compatible.
        let enc = if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
            encoding_rs::UTF_8
        } else {
            enc
        };
        let (s, _) = enc.decode_without_bom_handling(bytes);
        return (s.into_owned(), enc.name());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "UTF-8"),
        Err(_) => {
            let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (s.into_owned(), "windows-1252")
        }
    }
}

fn sniff_meta(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut i = 0;
    while let Some(p) = find(&lower[i..], b"<meta") {
        let start = i + p;
        let end = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            let mut j = c + 7;
            while j < tag.len() && matches!(tag[j], b' ' | b'=' | b'"' | b'\'') {
                j += 1;
            }
            let k = tag[j..]
                .iter()
                .position(|b| matches!(b, b'"' | b'\'' | b' ' | b';' | b'/' | b'>'))
                .map_or(tag.len(), |k| j + k);
            if let Some(enc) = encoding_rs::Encoding::for_label(&tag[j..k]) {
                return Some(enc);
            }
        }
        i = end.max(start + 1);
        if i >= lower.len() {
            break;
        }
    }
    None
}

fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).position(|w| w == n)
}

/// Extracts the visible text of a page with its block boundaries.
pub fn extract(bytes: &[u8]) -> Extracted {
    let (src, _) = decode(bytes);
    let doc = Html::parse_document(&src);
    let mut st = State {
        text: String::new(),
        blocks: vec![0],
        u16: 0,
        pending_space: false,
        pending_block: false,
    };
    walk(doc.tree.root(), &mut st, false);
    Extracted {
        text: st.text,
        block_starts: st.blocks,
    }
}

struct State {
    text: String,
    blocks: Vec<u32>,
    u16: u32,
    pending_space: bool,
    pending_block: bool,
}

impl State {
    fn push(&mut self, s: &str) {
        self.u16 += s.encode_utf16().count() as u32;
        self.text.push_str(s);
    }

    /// A line break within the block: written as a newline when more text follows.
    fn line_break(&mut self) {
        if !self.pending_block && !self.text.is_empty() && !self.text.ends_with('\n') {
            self.push("\n");
        }
        self.pending_space = false;
    }

    /// A block ends here; the break is written when more text follows.
    fn block_break(&mut self) {
        self.pending_space = false;
        self.pending_block = !self.text.is_empty();
    }

    fn start_text(&mut self) {
        if self.pending_block {
            self.pending_block = false;
            self.push("\n");
            self.blocks.push(self.u16);
        }
    }

    fn text(&mut self, t: &str, pre: bool) {
        if pre {
            if !t.is_empty() {
                self.start_text();
                self.push(t);
            }
            return;
        }
        // Runs of HTML whitespace collapse to one space, as a browser renders them.
        let mut first = true;
        for word in t.split(|c: char| c.is_whitespace() && c != '\u{a0}') {
            if !first {
                self.pending_space = true;
            }
            first = false;
            if word.is_empty() {
                continue;
            }
            self.start_text();
            let at_block_start = self.blocks.last() == Some(&self.u16);
            if self.pending_space && !at_block_start && !self.text.is_empty() {
                self.push(" ");
            }
            self.pending_space = false;
            self.push(word);
        }
    }
}

fn walk(node: NodeRef<'_, Node>, st: &mut State, pre: bool) {
    for child in node.children() {
        match child.value() {
            Node::Text(t) => st.text(t, pre),
            Node::Element(e) => {
                let name = e.name();
                if SKIP.contains(&name) {
                    continue;
                }
                if name == "br" {
                    // A line break inside a post: words on either side stay
                    // apart, but the post stays one block (a cue on one line
                    // and a card number on the next still pair).
                    st.line_break();
                    continue;
                }
                let block = BLOCK.contains(&name);
                if block {
                    st.block_break();
                }
                walk(child, st, pre || name == "pre");
                if block {
                    st.block_break();
                }
            }
            Node::Document | Node::Fragment => walk(child, st, pre),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_inline() {
        let e = extract(b"<html><head><title>t</title><script>x()</script></head><body><div>Join <b>the</b>\n  caliphate</div><p>second<br>line</p></body></html>");
        assert_eq!(e.text, "Join the caliphate\nsecond\nline");
        assert_eq!(e.block_starts, vec![0, 19]);
    }

    #[test]
    fn windows_1251() {
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1251.encode("<meta charset=\"windows-1251\"><p>джихад</p>");
        assert_eq!(decode(&bytes).1, "windows-1251");
        assert_eq!(extract(&bytes).text, "джихад");
    }
}

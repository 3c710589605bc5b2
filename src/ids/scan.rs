//! The candidate scanner: one pass over the bytes of a block of text.
//!
//! Only a few byte values can start a candidate (ASCII letters and digits, `+`, `@`,
//! and the lead bytes of Arabic-Indic and fullwidth characters); everything else is
//! skipped a byte at a time. A letter or digit starts a *word* (a maximal run of
//! letters and digits, zero-width characters inside ignored, foldable digits and
//! letters folded to ASCII); all-digit words start a *numeric run* (digit groups
//! joined by short separator gaps) that is cut into cards, phones and YooMoney
//! wallets; other words are tried as addresses, IBANs, WebMoney purses and links.

use super::bech32::{segwit_decode, segwit_detail};
use super::card::check_card;
use super::chars::{char_at, char_before, class_at, read_word, word_at, Ch, Word};
use super::iban::{check_iban, country_length};
use super::links::{handle_at, link_at, may_start_link};
use super::ru::{phone_intl, phone_ru_national, validate_webmoney, yoomoney_bytes};
use super::{base58, eth, monero, Checksum, IdKind, IdMatch};

/// Most digit groups kept in one numeric run.
const MAXG: usize = 24;
/// Most digits kept in one numeric run.
const MAXD: usize = 64;

/// Byte classes for the outer loop.
const SKIP: u8 = 0;
const ALNUM: u8 = 1;
const PLUS: u8 = 2;
const AT: u8 = 3;
const LEAD: u8 = 4;

const fn build_table() -> [u8; 256] {
    let mut t = [SKIP; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        if c.is_ascii_alphanumeric() {
            t[i] = ALNUM;
        }
        i += 1;
    }
    t[b'+' as usize] = PLUS;
    t[b'@' as usize] = AT;
    // Arabic-Indic digits (D9 A0-A9), Extended Arabic-Indic (DB B0-B9), fullwidth
    // forms (EF BC/BD ..).
    t[0xD9] = LEAD;
    t[0xDB] = LEAD;
    t[0xEF] = LEAD;
    t
}
const TABLE: [u8; 256] = build_table();

/// Scans one block of text.
pub(crate) fn scan(text: &str) -> Vec<IdMatch> {
    let mut s = Scanner {
        text,
        b: text.as_bytes(),
        out: Vec::new(),
    };
    s.run();
    s.out.sort_by_key(|m| (m.start, m.end));
    s.out
}

struct Scanner<'a> {
    text: &'a str,
    b: &'a [u8],
    out: Vec<IdMatch>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Gap {
    Ws,
    Dash,
    Dot,
    Paren,
}

#[derive(Clone, Copy, Default)]
struct Group {
    start: usize,
    end: usize,
    d0: usize,
    len: usize,
}

struct Run {
    groups: [Group; MAXG],
    /// `gaps[k]` joins `groups[k]` and `groups[k + 1]`.
    gaps: [Gap; MAXG],
    ng: usize,
    digits: [u8; MAXD],
    nd: usize,
    overflow: bool,
    dirty_start: bool,
    dirty_end: bool,
}

impl Run {
    fn push(&mut self, w: &Word) {
        if self.overflow || self.ng == MAXG || self.nd + w.len > MAXD || !w.complete() {
            self.overflow = true;
            return;
        }
        self.digits[self.nd..self.nd + w.len].copy_from_slice(w.bytes());
        self.groups[self.ng] = Group {
            start: w.start,
            end: w.end,
            d0: self.nd,
            len: w.len,
        };
        self.nd += w.len;
        self.ng += 1;
    }

    fn digits(&self, i: usize, j: usize) -> &[u8] {
        let a = self.groups[i].d0;
        let z = self.groups[j - 1].d0 + self.groups[j - 1].len;
        &self.digits[a..z]
    }

    fn lens(&self, i: usize, j: usize) -> impl Iterator<Item = usize> + '_ {
        self.groups[i..j].iter().map(|g| g.len)
    }

    fn inner_gaps(&self, i: usize, j: usize) -> &[Gap] {
        &self.gaps[i..j - 1]
    }

    /// Groups `1..` of exactly three digits after a first group of one to three:
    /// a number with thousands separators ("1 500 000"), not an identifier.
    fn thousands(&self, i: usize, j: usize) -> bool {
        j - i >= 2
            && (1..=3).contains(&self.groups[i].len)
            && self.groups[i + 1..j].iter().all(|g| g.len == 3)
    }

    /// Groups that read as a list of numbers rather than one identifier: three or
    /// more groups that are all round ("5500 5600 5700") or that step by a constant
    /// ("5000 5100 5200 5300", "2019 2020 2021").
    fn number_list(&self, i: usize, j: usize) -> bool {
        if j - i < 3 {
            return false;
        }
        let val = |g: &Group| -> i64 {
            self.digits[g.d0..g.d0 + g.len]
                .iter()
                .fold(0, |a, &c| a * 10 + (c - b'0') as i64)
        };
        let gs = &self.groups[i..j];
        if gs.iter().all(|g| g.len >= 3 && val(g) % 100 == 0) {
            return true;
        }
        // Groups as long as the first, in order: a constant non-zero step?
        let mut same = gs.iter().filter(|g| g.len == gs[0].len).map(val);
        let (Some(a), Some(b)) = (same.next(), same.next()) else {
            return false;
        };
        let step = b - a;
        let mut prev = b;
        let mut count = 2;
        for v in same {
            if v - prev != step {
                return false;
            }
            prev = v;
            count += 1;
        }
        step != 0 && count >= 3
    }

    /// Three consecutive groups joined by the same dash or dot that read as a date
    /// (Y-M-D or D-M-Y with a year 1900-2099).
    fn has_date(&self, i: usize, j: usize) -> bool {
        let val = |g: &Group| -> u32 {
            self.digits[g.d0..g.d0 + g.len]
                .iter()
                .fold(0, |a, &c| a * 10 + (c - b'0') as u32)
        };
        for k in i..j.saturating_sub(2) {
            let (g0, g1, g2) = (&self.groups[k], &self.groups[k + 1], &self.groups[k + 2]);
            if self.gaps[k] != self.gaps[k + 1] || self.gaps[k] == Gap::Paren {
                continue;
            }
            let (y, m, d) = if g0.len == 4 && g1.len <= 2 && g2.len <= 2 {
                (val(g0), val(g1), val(g2))
            } else if g0.len <= 2 && g1.len <= 2 && g2.len == 4 {
                (val(g2), val(g1), val(g0))
            } else {
                continue;
            };
            let md = (1..=12).contains(&m) && (1..=31).contains(&d)
                || (1..=12).contains(&d) && (1..=31).contains(&m);
            if (1900..=2099).contains(&y) && md {
                return true;
            }
        }
        false
    }
}

/// Card groupings people write: 4-4-4-4, 4-4-4-4-3 (any last group of 1-4 after at
/// least three groups of four), and Amex/Diners 4-6-5, 4-6-4.
fn regular(lens: &[usize]) -> bool {
    let n = lens.len();
    if lens == [4, 6, 5] || lens == [4, 6, 4] {
        return true;
    }
    n >= 3 && lens[..n - 1].iter().all(|&l| l == 4) && (1..=4).contains(&lens[n - 1])
}

impl<'a> Scanner<'a> {
    fn run(&mut self) {
        let b = self.b;
        let n = b.len();
        let mut i = 0;
        while i < n {
            match b[i..].iter().position(|&x| TABLE[x as usize] != SKIP) {
                Some(k) => i += k,
                None => break,
            }
            let c = TABLE[b[i] as usize];
            i = match c {
                ALNUM => self.on_word(i),
                PLUS => self.on_plus(i, 1),
                AT => self.on_at(i, 1),
                _ => {
                    // Most Arabic letters share these lead bytes: skip them cheaply.
                    let b1 = if i + 1 < n { b[i + 1] } else { 0 };
                    let maybe = match b[i] {
                        0xD9 => (0xA0..=0xA9).contains(&b1),
                        0xDB => (0xB0..=0xB9).contains(&b1),
                        _ => b1 == 0xBC || b1 == 0xBD,
                    };
                    if !maybe {
                        i += if b[i] == 0xEF { 3 } else { 2 };
                        continue;
                    }
                    let (cls, l) = class_at(b, i);
                    match cls {
                        Ch::Digit(_) | Ch::Letter(_) => self.on_word(i),
                        Ch::Plus => self.on_plus(i, l),
                        Ch::Other if l == 3 && b[i + 1] == 0xBC && b[i + 2] == 0xA0 => {
                            self.on_at(i, l)
                        }
                        _ => i + l,
                    }
                }
            };
        }
    }

    /// Whether a word character ends just before byte `i`.
    #[inline]
    fn word_before(&self, i: usize) -> bool {
        if i == 0 {
            return false;
        }
        let p = self.b[i - 1];
        if p < 0x80 {
            p.is_ascii_alphanumeric() || p == b'_'
        } else {
            super::chars::word_before(self.text, i)
        }
    }

    #[inline]
    fn word_at(&self, i: usize) -> bool {
        if i >= self.b.len() {
            return false;
        }
        let p = self.b[i];
        if p < 0x80 {
            p.is_ascii_alphanumeric() || p == b'_'
        } else {
            word_at(self.text, i)
        }
    }

    fn on_at(&mut self, i: usize, len: usize) -> usize {
        match handle_at(self.text, i, len) {
            Some(m) => {
                let e = m.end;
                self.out.push(m);
                e
            }
            None => i + len,
        }
    }

    fn on_plus(&mut self, i: usize, len: usize) -> usize {
        let p = i + len;
        if p >= self.b.len() || self.word_before(i) {
            return p;
        }
        if !matches!(class_at(self.b, p).0, Ch::Digit(_)) {
            return p;
        }
        if let Some(c) = char_before(self.text, i) {
            if matches!(c, '+' | '-' | '*' | '/' | '=' | '^' | '.' | ',') {
                return p;
            }
        }
        let w = read_word(self.b, p);
        if !w.all_digits() {
            return w.end;
        }
        self.numeric_run(w, Some(i))
    }

    fn on_word(&mut self, i: usize) -> usize {
        // Fast path: a short word of ASCII letters needs only the link and IBAN checks.
        let b = self.b;
        let n = b.len();
        let j = i + b[i..]
            .iter()
            .position(|c| !c.is_ascii_alphabetic())
            .unwrap_or(n - i);
        if j - i < 13 && j > i && (j >= n || (b[j] < 0x80 && !b[j].is_ascii_digit())) {
            if self.word_before(i) {
                return j;
            }
            let next = if j < n { b[j] } else { 0 };
            if (next == b'.' || next == b'-') && may_start_link(b[i].to_ascii_lowercase()) {
                if let Some(m) = link_at(self.text, i) {
                    let e = m.end;
                    self.out.push(m);
                    return e;
                }
            }
            if !(j - i == 2 && self.sep_then_digit(j)) {
                return j;
            }
        }
        let w = read_word(self.b, i);
        if self.word_before(w.start) {
            return w.end;
        }
        if w.all_digits() {
            return self.numeric_run(w, None);
        }
        let after_word = self.word_at(w.end);
        let b = self.b;
        let first = w.buf[0];
        // Links: a short word followed by '.' or '-' ("paypal.me", "ko-fi.com", "t.me").
        if w.len <= 14
            && w.end < b.len()
            && matches!(b[w.end], b'.' | b'-')
            && first.is_ascii_alphabetic()
            && may_start_link(first.to_ascii_lowercase())
            && w.end - w.start == w.len
        {
            if let Some(m) = link_at(self.text, w.start) {
                let e = m.end;
                self.out.push(m);
                return e;
            }
        }
        if after_word {
            return w.end;
        }
        // IBAN: two letters, then check digits (maybe after one separator).
        if w.len >= 2 && first.is_ascii_alphabetic() && w.buf[1].is_ascii_alphabetic() {
            let maybe = if w.len >= 4 {
                w.buf[2].is_ascii_digit() && w.buf[3].is_ascii_digit()
            } else {
                w.len == 2 && self.sep_then_digit(w.end)
            };
            if maybe {
                if let Some(m) = self.iban(&w) {
                    let e = m.end;
                    self.out.push(m);
                    return e;
                }
            }
        }
        if w.len >= 13 && w.complete() {
            if let Some(m) = self.token(&w) {
                self.out.push(m);
            }
        }
        w.end
    }

    /// Whether one separator and then a digit follow byte `i`.
    fn sep_then_digit(&self, i: usize) -> bool {
        if i >= self.b.len() {
            return false;
        }
        let (c, l) = class_at(self.b, i);
        matches!(c, Ch::Space | Ch::Dash | Ch::Dot)
            && i + l < self.b.len()
            && matches!(class_at(self.b, i + l).0, Ch::Digit(_))
    }

    /// Addresses and WebMoney purses: one word of 13+ ASCII-folded characters.
    fn token(&self, w: &Word) -> Option<IdMatch> {
        let s = w.as_str()?;
        let bytes = s.as_bytes();
        let mk = |kind, checksum, detail| {
            Some(IdMatch {
                start: w.start,
                end: w.end,
                kind,
                checksum,
                value: s.to_string(),
                detail,
            })
        };
        let len = bytes.len();
        if len == 42 && bytes[0] == b'0' && bytes[1] == b'x' {
            let c = eth::validate_eth(s)?;
            let detail = if c == Checksum::Valid {
                "EIP-55"
            } else {
                "no checksum (single case)"
            };
            return mk(IdKind::Eth, c, detail);
        }
        if len >= 14 && bytes[..3].eq_ignore_ascii_case(b"bc1") {
            let (v, p) = segwit_decode("bc", s)?;
            return mk(IdKind::Btc, Checksum::Valid, segwit_detail(v, p.len()));
        }
        if len >= 15 && bytes[..4].eq_ignore_ascii_case(b"ltc1") {
            let (v, p) = segwit_decode("ltc", s)?;
            return mk(IdKind::Ltc, Checksum::Valid, segwit_detail(v, p.len()));
        }
        if (len == 95 || len == 106) && matches!(bytes[0], b'4' | b'8') {
            let d = monero::validate_xmr(s)?;
            return mk(IdKind::Xmr, Checksum::Valid, d);
        }
        if (25..=35).contains(&len)
            && matches!(
                bytes[0],
                b'1' | b'3' | b'L' | b'M' | b'D' | b'9' | b'A' | b'T' | b't'
            )
            && bytes.iter().all(|&c| base58::is_b58(c))
        {
            let (k, c, d) = base58::validate_base58_address(s)?;
            return mk(k, c, d);
        }
        if len == 13 {
            let d = validate_webmoney(s)?;
            return mk(IdKind::WebMoney, Checksum::Unchecked, d);
        }
        None
    }

    /// An IBAN starting with word `w` (country code first), compact or in groups
    /// joined by single spaces, dashes or dots.
    fn iban(&self, w: &Word) -> Option<IdMatch> {
        let want = country_length(&w.buf[..2])?;
        if w.len > want {
            return None;
        }
        let mut buf = [0u8; 34];
        buf[..w.len].copy_from_slice(w.bytes());
        let mut n = w.len;
        let mut end = w.end;
        let mut grouped = false;
        while n < want {
            let (c, l) = self.gap_one(end)?;
            let _ = c;
            let nw = read_word(self.b, end + l);
            if n + nw.len > want || !nw.complete() {
                return None;
            }
            buf[n..n + nw.len].copy_from_slice(nw.bytes());
            n += nw.len;
            end = nw.end;
            grouped = true;
        }
        if self.word_at(end) {
            return None;
        }
        // A longer number written in the same groups continues past the IBAN length.
        if grouped && self.gap_one(end).is_some() {
            let (_, l) = self.gap_one(end)?;
            if matches!(class_at(self.b, end + l).0, Ch::Digit(_)) {
                return None;
            }
        }
        let cc = check_iban(&buf[..n])?;
        let value: String = buf[..n]
            .iter()
            .map(|c| c.to_ascii_uppercase() as char)
            .collect();
        Some(IdMatch {
            start: w.start,
            end,
            kind: IdKind::Iban,
            checksum: Checksum::Valid,
            value,
            detail: cc,
        })
    }

    /// One separator (space, dash or dot; zero-width characters around it ignored)
    /// at `i` followed by a letter or digit: returns its class and byte length.
    fn gap_one(&self, i: usize) -> Option<(Ch, usize)> {
        let b = self.b;
        let mut j = i;
        let mut sep = None;
        while j < b.len() && j - i < 16 {
            let (c, l) = class_at(b, j);
            match c {
                Ch::Ignorable => j += l,
                Ch::Space | Ch::Dash | Ch::Dot if sep.is_none() => {
                    sep = Some(c);
                    j += l;
                }
                Ch::Digit(_) | Ch::Letter(_) => return sep.map(|s| (s, j - i)),
                _ => return None,
            }
        }
        None
    }

    /// Reads the separator gap at `i`; returns its kind and the byte offset of the
    /// digit after it, or `None` when no digit group follows a valid gap.
    fn read_gap(&self, i: usize) -> Option<(Gap, usize)> {
        let b = self.b;
        let (mut ws, mut dash, mut dot, mut paren) = (0u32, 0u32, 0u32, 0u32);
        let mut j = i;
        let mut hops = 0;
        loop {
            if j >= b.len() || hops > 8 {
                return None;
            }
            let (c, l) = class_at(b, j);
            match c {
                Ch::Space => ws += 1,
                Ch::Dash => dash += 1,
                Ch::Dot => dot += 1,
                Ch::Open | Ch::Close => paren += 1,
                Ch::Ignorable => {}
                Ch::Digit(_) => break,
                _ => return None,
            }
            hops += 1;
            if ws + dash + dot + paren > 3 {
                return None;
            }
            j += l;
        }
        let total = ws + dash + dot + paren;
        let gap = if total == 0 {
            return None;
        } else if dot == 1 && total == 1 {
            Gap::Dot
        } else if dot > 0 {
            return None;
        } else if paren == 1 && dash == 0 {
            Gap::Paren
        } else if paren > 0 {
            return None;
        } else if dash == 1 {
            Gap::Dash
        } else if dash > 1 {
            return None;
        } else {
            Gap::Ws
        };
        Some((gap, j))
    }

    /// Whether what precedes byte `i` makes a number part of a larger token: a URL
    /// path or query, `#`/`№`, or a dash/dot glued to a word ("ID-123", "v1.123").
    fn compound_before(&self, i: usize) -> bool {
        match char_before(self.text, i) {
            None => false,
            Some(c) => match c {
                '/' | '=' | '?' | '&' | '#' | '№' | '_' | '\\' | '%' | '@' | '+' | '$' | '€'
                | '£' | '₽' => true,
                // "12:30" style, not "Карта:4276...".
                ':' => {
                    let p = i - 1;
                    char_before(self.text, p).is_some_and(|c| c.is_numeric())
                }
                // "ID-4276...", but not "тел.8912..." or "No.4276...".
                '-' => {
                    let p = i - 1;
                    char_before(self.text, p).is_some_and(|c| c.is_alphanumeric())
                }
                // "v1.4276...", "1,4276..." (versions, decimals).
                '.' | ',' => {
                    let p = i - 1;
                    char_before(self.text, p).is_some_and(|c| c.is_numeric())
                }
                _ => false,
            },
        }
    }

    /// Whether what follows byte `i` makes a number part of a larger token.
    fn compound_after(&self, i: usize) -> bool {
        match char_at(self.text, i) {
            None => false,
            Some(c) => match c {
                '/' | '@' | '\\' | '%' | '=' | '_' | '€' | '£' | '₽' | '$' => true,
                // "...12345?page=2" is a URL query; "…1881? No." ends a sentence.
                '-' | '.' | ',' | ':' | '?' | '&' => {
                    char_at(self.text, i + 1).is_some_and(|c| c.is_alphanumeric())
                }
                _ => false,
            },
        }
    }

    fn numeric_run(&mut self, first: Word, plus: Option<usize>) -> usize {
        if self.word_at(first.end) {
            return first.end;
        }
        let mut run = Run {
            groups: [Group::default(); MAXG],
            gaps: [Gap::Ws; MAXG],
            ng: 0,
            digits: [0; MAXD],
            nd: 0,
            overflow: false,
            dirty_start: plus.is_none() && self.compound_before(first.start),
            dirty_end: false,
        };
        run.push(&first);
        let mut end = first.end;
        while let Some((gap, j)) = self.read_gap(end) {
            let w = read_word(self.b, j);
            if !w.all_digits() || self.word_at(w.end) {
                run.dirty_end = true;
                break;
            }
            if !run.overflow && run.ng < MAXG {
                run.gaps[run.ng - 1] = gap;
            }
            run.push(&w);
            end = w.end;
        }
        if !run.dirty_end && self.compound_after(end) {
            run.dirty_end = true;
        }
        if !run.overflow {
            self.analyze(&run, plus);
        }
        end
    }

    fn push_run(
        &mut self,
        run: &Run,
        i: usize,
        j: usize,
        m: (IdKind, Checksum, &'static str, String),
    ) {
        self.out.push(IdMatch {
            start: run.groups[i].start,
            end: run.groups[j - 1].end,
            kind: m.0,
            checksum: m.1,
            value: m.3,
            detail: m.2,
        });
    }

    fn analyze(&mut self, run: &Run, plus: Option<usize>) {
        let ng = run.ng;
        if let Some(p) = plus {
            let d = run.digits(0, ng);
            if run.dirty_end
                || run.inner_gaps(0, ng).contains(&Gap::Dot)
                || run.thousands(0, ng)
                || run.has_date(0, ng)
            {
                return;
            }
            if let Some(detail) = phone_intl(d) {
                let mut value = String::with_capacity(d.len() + 1);
                value.push('+');
                value.push_str(std::str::from_utf8(d).unwrap_or_default());
                self.out.push(IdMatch {
                    start: p,
                    end: run.groups[ng - 1].end,
                    kind: IdKind::Phone,
                    checksum: Checksum::Unchecked,
                    value,
                    detail,
                });
            }
            return;
        }
        // Cards first (checksummed), leftmost, longest.
        let mut used = [false; MAXG];
        let mut i = 0;
        while i < ng {
            let mut found = None;
            for j in (i + 1..=ng).rev() {
                let nd = run.digits(i, j).len();
                if !(12..=19).contains(&nd) {
                    continue;
                }
                let after_card = i > 0 && used[i - 1];
                if let Some(m) = self.card(run, i, j, after_card) {
                    found = Some((j, m));
                    break;
                }
            }
            if let Some((j, m)) = found {
                self.push_run(run, i, j, m);
                // A 4100... number valid both as a card and as a YooMoney wallet: both.
                if let Some(y) = self.yoomoney(run, i, j) {
                    self.push_run(run, i, j, y);
                }
                for u in used.iter_mut().take(j).skip(i) {
                    *u = true;
                }
                i = j;
            } else {
                i += 1;
            }
        }
        // The rest, segment by segment: phones and YooMoney wallets.
        let mut a = 0;
        while a < ng {
            if used[a] {
                a += 1;
                continue;
            }
            let mut z = a;
            while z < ng && !used[z] {
                z += 1;
            }
            if !((a == 0 && run.dirty_start) || (z == ng && run.dirty_end)) {
                if let Some(m) = self.national_phone(run, a, z) {
                    self.push_run(run, a, z, m);
                } else if let Some(m) = self.yoomoney(run, a, z) {
                    self.push_run(run, a, z, m);
                }
            }
            a = z;
        }
    }

    /// Whether groups `j..j + 4` are four groups of four digits that make a valid
    /// card on their own (a second card written right after the first).
    fn next_is_card(&self, run: &Run, j: usize) -> bool {
        j + 4 <= run.ng
            && run.groups[j..j + 4].iter().all(|g| g.len == 4)
            && !(j + 4 < run.ng && run.gaps[j + 3] == run.gaps[j] && run.groups[j + 4].len >= 3)
            && check_card(run.digits(j, j + 4), false).is_some()
    }

    /// A card made of groups `i..j`; `after_card` when group `i - 1` ends a card.
    fn card(
        &self,
        run: &Run,
        i: usize,
        j: usize,
        after_card: bool,
    ) -> Option<(IdKind, Checksum, &'static str, String)> {
        let ng = run.ng;
        if (i == 0 && run.dirty_start) || (j == ng && run.dirty_end) {
            return None;
        }
        let inner = run.inner_gaps(i, j);
        if inner.contains(&Gap::Paren) {
            return None;
        }
        let mut lens = [0usize; MAXG];
        for (k, l) in run.lens(i, j).enumerate() {
            lens[k] = l;
        }
        let lens = &lens[..j - i];
        let d = run.digits(i, j);
        let compact = j == i + 1;
        let reg = !compact && regular(lens);
        let uniform = inner.windows(2).all(|w| w[0] == w[1]);
        if compact {
            if i > 0 && run.gaps[i - 1] != Gap::Ws {
                return None;
            }
            if j < ng && run.gaps[j - 1] != Gap::Ws {
                return None;
            }
        } else if reg {
            if !uniform {
                return None;
            }
            let kind = inner[0];
            if i > 0 && run.gaps[i - 1] == kind && !after_card {
                return None;
            }
            if j < ng
                && run.gaps[j - 1] == kind
                && run.groups[j].len >= 3
                && !self.next_is_card(run, j)
            {
                return None;
            }
        } else {
            // Irregular grouping: only a whole run of whitespace-joined groups.
            if i != 0
                || j != ng
                || inner.iter().any(|&g| g != Gap::Ws)
                || lens.iter().any(|&l| l < 2)
                || d.len() < 16
                || run.thousands(i, j)
                || j - i > 8
            {
                return None;
            }
        }
        if !compact && run.number_list(i, j) {
            return None;
        }
        let (checksum, scheme) = check_card(d, reg)?;
        if compact && !scheme.compact.contains(&(d.len() as u8)) {
            return None;
        }
        Some((
            IdKind::Card,
            checksum,
            scheme.name,
            String::from_utf8_lossy(d).into_owned(),
        ))
    }

    fn national_phone(
        &self,
        run: &Run,
        a: usize,
        z: usize,
    ) -> Option<(IdKind, Checksum, &'static str, String)> {
        let d = run.digits(a, z);
        // QIWI wallets are also written 7 9XX XXX XX XX (mobile numbers only).
        let seven = d.len() == 11 && d[0] == b'7' && d[1] == b'9';
        if !(phone_ru_national(d) || seven) || run.inner_gaps(a, z).contains(&Gap::Dot) {
            return None;
        }
        if z - a > 1 {
            let first = run.groups[a].len;
            if !(first == 1 || first == 4)
                || run.groups[a + 1..z]
                    .iter()
                    .any(|g| !(2..=7).contains(&g.len))
            {
                return None;
            }
            if run.has_date(a, z) {
                return None;
            }
        }
        let mut value = String::with_capacity(12);
        value.push_str("+7");
        value.push_str(std::str::from_utf8(&d[1..]).unwrap_or_default());
        Some((
            IdKind::Phone,
            Checksum::Unchecked,
            "Russia (national 8)",
            value,
        ))
    }

    fn yoomoney(
        &self,
        run: &Run,
        a: usize,
        z: usize,
    ) -> Option<(IdKind, Checksum, &'static str, String)> {
        let d = run.digits(a, z);
        if !d.starts_with(b"4100") || run.inner_gaps(a, z).iter().any(|&g| g != Gap::Ws) {
            return None;
        }
        if !yoomoney_bytes(d) {
            return None;
        }
        Some((
            IdKind::YooMoney,
            Checksum::Valid,
            "wallet",
            String::from_utf8_lossy(d).into_owned(),
        ))
    }
}

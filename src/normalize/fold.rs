//! The folding state machine: per-char entries in, folded text and offset
//! map out, with the context-dependent transforms (run collapse, leetspeak,
//! spaced-out letters, whitespace runs) applied on the way.
//!
//! Everything is emitted eagerly into the output buffers; the two contextual
//! decisions that need to look back (leetspeak at the end of a word, the
//! rejoin of a run of spaced-out letters) rewrite only the tail they concern,
//! so the cost stays linear and the common case (a word without digits, not a
//! single letter) never revisits its bytes.

use super::tables::{
    compute, entry_char, entry_class, entry_kind, letter_script, page, Page, ASCII, C_DIGIT,
    C_LEET, C_LETTER, C_NEWLINE, C_NUM, C_SEP, C_SPACE, K_EXPAND, K_MARK, K_UNIT, S_ARA, S_CYR,
};

/// One folded char with its source span (UTF-16).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unit {
    pub ch: char,
    pub s: u32,
    pub e: u32,
}

/// Reusable buffers for the rewrites.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scratch {
    units: Vec<Unit>,
    fin: Vec<Unit>,
    merged: Vec<Unit>,
    gaps: Vec<bool>,
    gap_spans: Vec<[u32; 2]>,
    groups: Vec<(usize, usize)>,
    tail_text: Vec<u8>,
    tail_map: Vec<[u32; 2]>,
    pub(crate) block_starts: Vec<u32>,
    /// (original UTF-16 offset, original byte offset, folded byte offset)
    /// of every block break.
    pub(crate) breaks: Vec<(u32, usize, usize)>,
}

/// Longest word (in folded chars) that leetspeak applies to; longer tokens
/// are identifiers, hashes or addresses and keep their digits.
pub(crate) const LEET_MAX_TOKEN: usize = 24;
/// Longest run of digits/symbols inside a word that leetspeak rewrites.
pub(crate) const LEET_MAX_RUN: usize = 3;
/// A whitespace gap of this many chars or more inside a spaced-out run is a
/// word break ("h o l y   w a r" → "holy war").
pub(crate) const WIDE_GAP: u32 = 3;

const RUN_KIND_NONE: u8 = 0;
const RUN_KIND_WS: u8 = 1;
const RUN_KIND_SEP: u8 = 2;

/// The folding state over one call: output buffers and what the contextual
/// transforms need to remember (current word, whitespace run, pending run of
/// spaced-out letters and the gap after its last letter).
pub(crate) struct Folder<'a> {
    // folded text as UTF-8 bytes (always valid UTF-8 at char boundaries)
    text: &'a mut Vec<u8>,
    map: &'a mut Vec<[u32; 2]>,
    sc: &'a mut Scratch,
    // current token (run of letters, digits and leet symbols)
    in_tok: bool,
    tok_start: usize,
    tok_units: u32,
    tok_letters: bool,
    tok_leet: bool,
    // a leet char came after a letter, and then a letter after that:
    // only then can leetspeak apply (it needs a run between two letters)
    tok_leet_after_letter: bool,
    tok_internal: bool,
    tok_cont: bool,
    last_letter: char,
    // whitespace run: its single output char is the last char of `text`
    in_ws: bool,
    // whether the last non-mark source char produced output (marks attach to it)
    prev_emitted: bool,
    // run of single-letter tokens
    run_active: bool,
    run_start: usize,
    run_end: usize,
    run_count: u32,
    run_letters: u32,
    run_leet: u32,
    run_kind: u8,
    last_single_start: usize,
    last_single_letter: bool,
    pending_wide: bool,
    // after a run was joined: its last word, if one char (start, end, letter)
    last_group: Option<(usize, usize, bool)>,
    // the gap after the last single-letter token
    gap_ws: u32,
    gap_sep: u32,
}

impl<'a> Folder<'a> {
    pub(crate) fn new(
        text: &'a mut Vec<u8>,
        map: &'a mut Vec<[u32; 2]>,
        sc: &'a mut Scratch,
    ) -> Self {
        Folder {
            text,
            map,
            sc,
            in_tok: false,
            tok_start: 0,
            tok_units: 0,
            tok_letters: false,
            tok_leet: false,
            tok_leet_after_letter: false,
            tok_internal: false,
            tok_cont: false,
            last_letter: '\0',
            in_ws: false,
            prev_emitted: false,
            run_active: false,
            run_start: 0,
            run_end: 0,
            run_count: 0,
            run_letters: 0,
            run_leet: 0,
            run_kind: RUN_KIND_NONE,
            last_single_start: 0,
            last_single_letter: false,
            pending_wide: false,
            last_group: None,
            gap_ws: 0,
            gap_sep: 0,
        }
    }

    /// Folds `text`, emitting a block break at each offset of `starts`
    /// (sorted; 0 and offsets past the end are ignored), then ends the last
    /// segment.
    ///
    /// `FAST` enables the fast paths (8-byte blocks, ASCII words); without
    /// them every char takes the general path, which tests use as the
    /// reference the fast paths must agree with.
    pub(crate) fn run<const FAST: bool>(&mut self, text: &str, starts: &[u32]) {
        let bytes = text.as_bytes();
        let n = bytes.len();
        let mut i = 0usize;
        let mut u = 0u32;
        let mut bi = 0usize;
        let mut next = starts.first().copied().unwrap_or(u32::MAX);
        let mut last_break = 0u32;
        let mut cached: Option<(u32, &'static Page)> = None;
        while i < n {
            if next <= u {
                while next <= u && next != u32::MAX {
                    if next > 0 && u != last_break {
                        self.block_break(u, i);
                        last_break = u;
                    }
                    bi += 1;
                    next = starts.get(bi).copied().unwrap_or(u32::MAX);
                }
            }
            let b = bytes[i];
            if b < 0x80 {
                // Eight bytes at a time while the text is plain lowercase or
                // capitalized words and single spaces.
                if FAST && !self.run_active && (next - u) as usize >= 8 {
                    if let Some(chunk) = bytes.get(i..i + 8) {
                        let mut w = [0u8; 8];
                        w.copy_from_slice(chunk);
                        if self.swar_block(u64::from_le_bytes(w), u) {
                            i += 8;
                            u += 8;
                            continue;
                        }
                    }
                }
                let ent = ASCII[b as usize];
                let class = entry_class(ent);
                if FAST && class == C_LETTER && !self.in_tok && !self.run_active {
                    // A word starts with no spaced-out run pending.
                    self.start_token();
                }
                if FAST && class == C_LETTER && self.in_tok && !self.tok_cont {
                    // Fast path: ASCII letters continuing a word.
                    let room = (next - u) as usize;
                    let limit = if room < n - i { i + room } else { n };
                    let mut last = if self.last_letter.is_ascii() {
                        self.last_letter as u8
                    } else {
                        0
                    };
                    let start_units = i;
                    let mut j = i + 1;
                    while j < limit && is_ascii_letter(bytes[j]) {
                        j += 1;
                    }
                    let run = &bytes[i..j];
                    let dup = run.first().is_some_and(|&b| b | 0x20 == last)
                        || run.windows(2).any(|w| (w[0] | 0x20) == (w[1] | 0x20));
                    if !dup {
                        // No collapse: copy, lowercase, one span per byte.
                        self.text.extend(run.iter().map(|&b| b | 0x20));
                        let end = u + (j - i) as u32;
                        self.map.extend((u..end).map(|x| [x, x + 1]));
                        last = run.last().map_or(last, |&b| b | 0x20);
                        u = end;
                        i = j;
                    } else {
                        for &b in run {
                            let ch = b | 0x20;
                            if ch == last {
                                if let Some(m) = self.map.last_mut() {
                                    m[1] = u + 1;
                                }
                            } else {
                                self.text.push(ch);
                                self.map.push([u, u + 1]);
                                last = ch;
                            }
                            u += 1;
                        }
                        i = j;
                    }
                    self.tok_units = self.tok_units.saturating_add((i - start_units) as u32);
                    self.last_letter = last as char;
                    self.tok_letters = true;
                    self.tok_internal |= self.tok_leet_after_letter;
                    self.prev_emitted = true;
                    continue;
                }
                if FAST && class == C_SPACE && !self.in_ws && !self.run_active {
                    // The common word end: one space, no run pending.
                    if self.in_tok {
                        if self.tok_internal || self.tok_cont || self.token_is_one_char() {
                            self.end_token();
                        } else {
                            self.in_tok = false;
                            self.last_letter = '\0';
                        }
                    }
                    if !self.run_active {
                        self.in_ws = true;
                        self.text.push(b' ');
                        self.map.push([u, u + 1]);
                        self.prev_emitted = true;
                        i += 1;
                        u += 1;
                        continue;
                    }
                }
                let e = u.saturating_add(1);
                if entry_kind(ent) == K_UNIT {
                    self.units(&[ent], u, e, text, i + 1);
                    self.prev_emitted = true;
                } else {
                    self.prev_emitted = false;
                }
                i += 1;
                u = e;
                continue;
            }
            // Non-ASCII: decode one char (the text is valid UTF-8).
            let (cp, len) = decode(bytes, i, b);
            let e = u.saturating_add(if len == 4 { 2 } else { 1 });
            let p = match cached {
                Some((idx, p)) if idx == cp >> 8 => Some(p),
                _ => {
                    let p = page(cp);
                    if let Some(p) = p {
                        cached = Some((cp >> 8, p));
                    }
                    p
                }
            };
            if let Some(p) = p {
                let ent = p.entry(cp);
                if FAST
                    && len < 4
                    && entry_kind(ent) == K_UNIT
                    && entry_class(ent) == C_LETTER
                    && !self.run_active
                {
                    // Fast path: a run of BMP letters of one page in a word.
                    if !self.in_tok {
                        self.start_token();
                    }
                    self.letter_run(bytes, &mut i, &mut u, next, ent, len, p, cp >> 8);
                    continue;
                }
                i += len;
                match entry_kind(ent) {
                    K_UNIT => {
                        self.units(&[ent], u, e, text, i);
                        self.prev_emitted = true;
                    }
                    K_EXPAND => {
                        self.units(p.expansion(ent), u, e, text, i);
                        self.prev_emitted = true;
                    }
                    K_MARK => self.mark(e),
                    _ => self.prev_emitted = false,
                }
            } else {
                i += len;
                let comp = compute(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                match comp.kind {
                    K_UNIT | K_EXPAND => {
                        self.units(comp.units(), u, e, text, i);
                        self.prev_emitted = true;
                    }
                    K_MARK => self.mark(e),
                    _ => self.prev_emitted = false,
                }
            }
            u = e;
        }
        while next <= u && next != u32::MAX {
            if next > 0 && u != last_break {
                self.block_break(u, i);
                last_break = u;
            }
            bi += 1;
            next = starts.get(bi).copied().unwrap_or(u32::MAX);
        }
        self.end_segment();
    }

    /// Fast path: folds 8 ASCII bytes at once when that is plainly
    /// possible, and returns false (changing nothing) otherwise.
    ///
    /// It is possible when: the bytes are printable ASCII or `'\n'`; no
    /// spaced-out run is pending and the current word has no digits or leet
    /// symbols; no letter repeats the one before it; whitespace is single;
    /// no word in the block is a single char; no letter follows a digit or
    /// leet symbol; the word running past the block is letters only. Then
    /// every byte folds to itself (letters lowercased) with a span of its own,
    /// and no word needs the leetspeak check.
    #[inline(always)]
    fn swar_block(&mut self, x: u64, u: u32) -> bool {
        const LO: u64 = 0x0101_0101_0101_0101;
        const HI: u64 = 0x8080_8080_8080_8080;
        const M7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
        if x & HI != 0 {
            return false;
        }
        // For ASCII bytes: 0x80 in each byte equal to `c`.
        let eq = |c: u8| !((x ^ (LO * u64::from(c))).wrapping_add(M7)) & HI;
        // 0x80 in each byte >= `c` (ASCII bytes, no carries).
        let ge = |v: u64, c: u8| v.wrapping_add(LO * (0x80 - u64::from(c))) & HI;
        let newline = eq(b'\n');
        if (!ge(x, 0x20) & HI & !newline) | eq(0x7F) != 0 {
            return false;
        }
        let folded_case = x | (LO * 0x20);
        let letter = ge(folded_case, b'a') & !ge(folded_case, b'z' + 1);
        let space = eq(b' ') | newline;
        let leet = (ge(x, b'0') & !ge(x, b'9' + 1)) | eq(b'@') | eq(b'$') | eq(b'!') | eq(b'|');
        let token = letter | leet;
        let bound = HI & !token;
        // The char before the block, as the state knows it.
        let (prev_lower, prev_space, prev_token, prev2_bound) = if self.in_ws {
            (0u64, 0x80u64, 0u64, 0u64)
        } else if self.in_tok {
            if self.tok_leet || self.last_letter == '\0' {
                return false;
            }
            let l = if self.last_letter.is_ascii() {
                self.last_letter as u64
            } else {
                0
            };
            (l, 0, 0x80, if self.token_is_one_char() { 0x80 } else { 0 })
        } else {
            (0, 0, 0, 0)
        };
        let prev_bound = 0x80 & !prev_token;
        let lower = x | (letter >> 2);
        // A letter equal to the one before it (collapse), whitespace after
        // whitespace, a letter after a digit or symbol (leetspeak), a
        // one-char word (spaced-out run).
        let same = !((lower ^ ((lower << 8) | prev_lower)).wrapping_add(M7)) & HI;
        let doubled = (same & letter) | (space & ((space << 8) | prev_space));
        let leet_letter = letter & (leet << 8);
        let one_char =
            bound & ((token << 8) | prev_token) & ((bound << 16) | (prev_bound << 8) | prev2_bound);
        if doubled | leet_letter | one_char != 0 {
            return false;
        }
        // The word running past the block must be letters only.
        let tail = match bound {
            0 => !0u64,
            b => (!0u64).checked_shl(64 - b.leading_zeros()).unwrap_or(0),
        };
        if leet & tail != 0 {
            return false;
        }
        let out = self.text.len();
        self.text.extend_from_slice(&lower.to_le_bytes());
        self.map.extend_from_slice(&[
            [u, u + 1],
            [u + 1, u + 2],
            [u + 2, u + 3],
            [u + 3, u + 4],
            [u + 4, u + 5],
            [u + 5, u + 6],
            [u + 6, u + 7],
            [u + 7, u + 8],
        ]);
        self.prev_emitted = true;
        if bound >> 56 != 0 {
            self.in_ws = space >> 56 != 0;
            self.in_tok = false;
            self.last_letter = '\0';
            return true;
        }
        if bound != 0 || !self.in_tok {
            // A word starts in this block, after its last boundary (or at its start).
            let p = if bound != 0 {
                (63 - bound.leading_zeros() as usize) / 8 + 1
            } else {
                0
            };
            self.in_tok = true;
            self.tok_start = out + p;
            self.tok_units = (8 - p) as u32;
            self.tok_leet = false;
            self.tok_leet_after_letter = false;
            self.tok_internal = false;
            self.tok_cont = false;
        } else {
            self.tok_units = self.tok_units.saturating_add(8);
        }
        self.in_ws = false;
        self.tok_letters = true;
        self.last_letter = char::from((lower >> 56) as u8);
        true
    }

    /// A combining mark or variation selector ending at `e`: it joins the
    /// output of the char before it.
    fn mark(&mut self, e: u32) {
        if self.prev_emitted {
            self.extend_last(e);
        }
    }

    /// Fast path: folds letters of page `page_idx` (BMP, 2 or 3 bytes each,
    /// UNIT entries) continuing the current word, which must not continue a
    /// spaced-out run. The first one (entry `ent`, `len` bytes) is at `i`.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn letter_run(
        &mut self,
        bytes: &[u8],
        i: &mut usize,
        u: &mut u32,
        next: u32,
        ent: u32,
        len: usize,
        p: &Page,
        page_idx: u32,
    ) {
        let (mut ent, mut len) = (ent, len);
        let mut units = 0u32;
        loop {
            let ch = entry_char(ent);
            let e = *u + 1;
            units += 1;
            if ch == self.last_letter {
                let n = ch.len_utf8();
                let at = self.map.len().saturating_sub(n);
                if let Some(tail) = self.map.get_mut(at..) {
                    for m in tail {
                        m[1] = e;
                    }
                }
            } else {
                self.last_letter = ch;
                self.push(ch, *u, e);
            }
            *i += len;
            *u = e;
            if *u >= next {
                break;
            }
            let Some(&b) = bytes.get(*i) else { break };
            if !(0xC2..0xF0).contains(&b) {
                break;
            }
            let (cp, l) = decode(bytes, *i, b);
            if cp >> 8 != page_idx {
                break;
            }
            let x = p.entry(cp);
            if entry_kind(x) != K_UNIT || entry_class(x) != C_LETTER {
                break;
            }
            ent = x;
            len = l;
        }
        self.tok_units = self.tok_units.saturating_add(units);
        self.tok_letters = true;
        self.tok_internal |= self.tok_leet_after_letter;
        self.prev_emitted = true;
    }

    /// Grows the span of the last folded char to end at `e`.
    #[inline]
    fn extend_last(&mut self, e: u32) {
        let mut pos = self.text.len().saturating_sub(1);
        while pos > 0 && self.text.get(pos).is_some_and(|&b| b & 0xC0 == 0x80) {
            pos -= 1;
        }
        if let Some(tail) = self.map.get_mut(pos..) {
            for m in tail {
                m[1] = m[1].max(e);
            }
        }
    }

    #[inline(always)]
    fn push(&mut self, ch: char, s: u32, e: u32) {
        let cp = ch as u32;
        if cp < 0x80 {
            self.text.push(cp as u8);
            self.map.push([s, e]);
        } else if cp < 0x800 {
            self.text
                .extend_from_slice(&[0xC0 | (cp >> 6) as u8, 0x80 | (cp & 0x3F) as u8]);
            self.map.extend_from_slice(&[[s, e], [s, e]]);
        } else {
            let mut buf = [0u8; 4];
            let n = ch.encode_utf8(&mut buf).len();
            self.text.extend_from_slice(&buf[..n]);
            for _ in 0..n {
                self.map.push([s, e]);
            }
        }
    }

    /// The folded units of one source char; `after` is the byte after it.
    /// "I S I S!": a '!' or '|' that no letter or digit follows is
    /// punctuation, not leet, so it does not glue itself to the word (or the
    /// single letter) before it. Decided on folded chars ('！' is '!') and on
    /// what follows once folded, so folding stays idempotent.
    #[inline(always)]
    fn units(&mut self, units: &[u32], s: u32, e: u32, text: &str, after: usize) {
        for (k, &x) in units.iter().enumerate() {
            let ch = entry_char(x);
            if (ch == '!' || ch == '|')
                && units[k + 1..]
                    .iter()
                    .all(|&y| matches!(entry_char(y), '!' | '|'))
                && trailing_mark(text, after)
            {
                self.other_unit(ch, s, e);
            } else {
                self.unit(x, s, e);
            }
        }
    }

    #[inline(always)]
    fn unit(&mut self, ent: u32, s: u32, e: u32) {
        let ch = entry_char(ent);
        let class = entry_class(ent);
        if class == C_LETTER {
            self.tok_unit(ch, C_LETTER, s, e)
        } else if class == C_SPACE {
            self.ws_unit(false, s, e)
        } else if matches!(class, C_DIGIT | C_NUM | C_LEET) {
            self.tok_unit(ch, class, s, e)
        } else if class == C_NEWLINE {
            self.ws_unit(true, s, e)
        } else if class == C_SEP {
            self.sep_unit(ch, s, e)
        } else {
            self.other_unit(ch, s, e)
        }
    }

    #[inline(always)]
    fn tok_unit(&mut self, ch: char, class: u32, s: u32, e: u32) {
        if !self.in_tok {
            self.start_token();
        }
        self.tok_units = self.tok_units.saturating_add(1);
        if class == C_LETTER {
            if self.last_letter == ch {
                // Run of the same letter: one folded letter spanning them all.
                self.extend_last(e);
                return;
            }
            self.last_letter = ch;
            self.tok_letters = true;
            self.tok_internal |= self.tok_leet_after_letter;
        } else {
            self.last_letter = '\0';
            if class != C_NUM {
                self.tok_leet = true;
                self.tok_leet_after_letter |= self.tok_letters;
            }
        }
        self.push(ch, s, e);
    }

    fn start_token(&mut self) {
        self.in_ws = false;
        self.in_tok = true;
        self.tok_start = self.text.len();
        self.tok_units = 0;
        self.tok_letters = false;
        self.tok_leet = false;
        self.tok_leet_after_letter = false;
        self.tok_internal = false;
        self.last_letter = '\0';
        // Invalid gaps end the run as soon as they are seen, so an active run
        // here means the gap before this token was a valid one.
        self.tok_cont = self.run_active;
        if self.run_active {
            if self.run_kind == RUN_KIND_NONE {
                self.run_kind = if self.gap_sep > 0 {
                    RUN_KIND_SEP
                } else {
                    RUN_KIND_WS
                };
            }
            self.pending_wide = self.gap_ws >= WIDE_GAP;
        }
    }

    /// Ends the current token, if any. A token that folds to one letter or
    /// leet char ("a", "1", also "aaa") is a candidate for a spaced-out run.
    fn end_token(&mut self) {
        if !self.in_tok {
            return;
        }
        self.in_tok = false;
        self.last_letter = '\0';
        if self.tok_internal {
            self.finalize_token();
        }
        let single = if self.tok_units == 1 {
            if self.tok_letters {
                Some(true)
            } else if self.tok_leet {
                Some(false)
            } else {
                None
            }
        } else {
            self.one_char_token()
        };
        let Some(letter) = single else {
            if self.tok_cont {
                // The spaced-out run ends before this token.
                self.resolve_run();
            }
            return;
        };
        if self.tok_cont && self.run_active {
            self.run_count = self.run_count.saturating_add(1);
            self.run_end = self.text.len();
            self.sc.gaps.push(self.pending_wide);
            if letter {
                self.run_letters = self.run_letters.saturating_add(1);
            } else {
                self.run_leet = self.run_leet.saturating_add(1);
            }
        } else {
            self.begin_run(self.tok_start, self.text.len(), letter);
        }
        self.last_single_start = self.tok_start;
        self.last_single_letter = letter;
        self.gap_ws = 0;
        self.gap_sep = 0;
    }

    /// Whether the current token's folded text so far is one char.
    #[inline(always)]
    fn token_is_one_char(&self) -> bool {
        let r = self.text.len().wrapping_sub(self.tok_start);
        match self.text.get(self.tok_start) {
            Some(&b) if r <= 4 => {
                r == 1
                    || (b >= 0xF0 && r == 4)
                    || ((0xE0..0xF0).contains(&b) && r == 3)
                    || ((0xC0..0xE0).contains(&b) && r == 2)
            }
            _ => false,
        }
    }

    /// Whether the token just ended (several units) folded to one char, and
    /// if so whether it is a letter (else a leet char).
    fn one_char_token(&self) -> Option<bool> {
        let region = self.text.get(self.tok_start..)?;
        if region.is_empty() || region.len() > 4 || count_chars(region) != 1 {
            return None;
        }
        let c = std::str::from_utf8(region).ok()?.chars().next()?;
        if c.is_alphabetic() {
            Some(true)
        } else if is_leet_char(c) {
            Some(false)
        } else {
            None
        }
    }

    /// Starts a run with one single-char token at `[start, end)`.
    fn begin_run(&mut self, start: usize, end: usize, letter: bool) {
        self.run_active = true;
        self.run_start = start;
        self.run_end = end;
        self.run_count = 1;
        self.run_letters = u32::from(letter);
        self.run_leet = u32::from(!letter);
        self.run_kind = RUN_KIND_NONE;
        self.sc.gaps.clear();
    }

    fn ws_unit(&mut self, newline: bool, s: u32, e: u32) {
        self.end_token();
        if self.run_active {
            if newline || self.gap_sep > 0 {
                self.resolve_run();
            } else {
                if self.gap_ws == 0 {
                    self.set_gap_kind(RUN_KIND_WS);
                }
                self.gap_ws = self.gap_ws.saturating_add(1);
            }
        }
        if self.in_ws {
            if newline {
                if let Some(last) = self.text.last_mut() {
                    if *last == b' ' {
                        *last = b'\n';
                    }
                }
            }
            self.extend_last(e);
        } else {
            self.in_ws = true;
            self.push(if newline { '\n' } else { ' ' }, s, e);
        }
    }

    fn sep_unit(&mut self, ch: char, s: u32, e: u32) {
        self.end_token();
        self.in_ws = false;
        if self.run_active {
            if self.gap_ws > 0 || self.gap_sep > 0 {
                self.resolve_run();
            } else {
                self.set_gap_kind(RUN_KIND_SEP);
                self.gap_sep = 1;
            }
        }
        self.push(ch, s, e);
    }

    fn other_unit(&mut self, ch: char, s: u32, e: u32) {
        self.end_token();
        self.in_ws = false;
        self.resolve_run();
        self.push(ch, s, e);
    }

    /// The first char of a gap tells its kind; a run keeps one kind of gap
    /// ("и т.д." is not a run of three). On a change the run so far is
    /// resolved and its last letter starts a new run.
    fn set_gap_kind(&mut self, kind: u8) {
        if self.run_kind == RUN_KIND_NONE || self.run_kind == kind {
            return;
        }
        let (start, end, letter) = (
            self.last_single_start,
            self.run_end,
            self.last_single_letter,
        );
        if self.resolve_run() {
            // Joined: its last word restarts a run if it is one char.
            if let Some((start, end, letter)) = self.last_group {
                self.begin_run(start, end, letter);
                self.last_single_start = start;
                self.last_single_letter = letter;
            }
            return;
        }
        self.begin_run(start, end, letter);
    }

    /// Ends a block (segment): nothing carries over.
    pub(crate) fn end_segment(&mut self) {
        self.end_token();
        self.resolve_run();
        self.in_ws = false;
        self.prev_emitted = false;
        self.gap_ws = 0;
        self.gap_sep = 0;
    }

    /// Emits the `'\n'` of a block start at UTF-16 offset `at`.
    pub(crate) fn block_break(&mut self, at: u32, byte: usize) {
        self.end_segment();
        self.sc.breaks.push((at, byte, self.text.len()));
        self.push('\n', at, at);
    }

    /// Collects the folded chars of `text[from..to]` with their spans.
    fn collect(text: &[u8], map: &[[u32; 2]], from: usize, to: usize, out: &mut Vec<Unit>) {
        let Some(region) = text.get(from..to).and_then(|r| std::str::from_utf8(r).ok()) else {
            return;
        };
        for (i, ch) in region.char_indices() {
            let b = from + i;
            let s = map.get(b).map_or(0, |m| m[0]);
            let e = map.get(b + ch.len_utf8() - 1).map_or(s, |m| m[1]);
            out.push(Unit { ch, s, e });
        }
    }

    fn emit_units(&mut self, units: &[Unit]) {
        for u in units {
            self.push(u.ch, u.s, u.e);
        }
    }

    /// Applies leetspeak to the token that just ended, if it changes it.
    fn finalize_token(&mut self) {
        let start = self.tok_start;
        let region_len = self.text.len().saturating_sub(start);
        // More bytes than 4 * the limit means more chars than the limit.
        if region_len > 4 * LEET_MAX_TOKEN {
            return;
        }
        let mut units = std::mem::take(&mut self.sc.units);
        let mut fin = std::mem::take(&mut self.sc.fin);
        units.clear();
        fin.clear();
        Self::collect(self.text, self.map, start, self.text.len(), &mut units);
        if finalize(&units, &mut fin) {
            self.text.truncate(start);
            self.map.truncate(start);
            self.emit_units(&fin);
        }
        self.sc.units = units;
        self.sc.fin = fin;
    }

    /// Ends the run of single-letter tokens. Returns true if it was rewritten
    /// (joined), which consumes its tokens.
    fn resolve_run(&mut self) -> bool {
        if !self.run_active {
            return false;
        }
        self.run_active = false;
        if self.run_count < 3 || self.run_letters == 0 || self.run_letters < self.run_leet {
            return false;
        }
        let (start, end) = (self.run_start, self.run_end);
        if end > self.text.len() || start > end {
            return false;
        }
        let mut sc = std::mem::take(self.sc);
        sc.units.clear();
        sc.gap_spans.clear();
        sc.fin.clear();
        sc.groups.clear();
        // Split the region into letters and gap chars.
        if let Some(region) = self
            .text
            .get(start..end)
            .and_then(|r| std::str::from_utf8(r).ok())
        {
            for (i, ch) in region.char_indices() {
                let b = start + i;
                let s = self.map.get(b).map_or(0, |m| m[0]);
                let e = self.map.get(b + ch.len_utf8() - 1).map_or(s, |m| m[1]);
                if is_token_char(ch) {
                    sc.units.push(Unit { ch, s, e });
                } else {
                    sc.gap_spans.push([s, e]);
                }
            }
        }
        // Groups: split at wide whitespace gaps (word breaks).
        let mut g0 = 0;
        for i in 0..sc.units.len() {
            let last = i + 1 == sc.units.len();
            let wide = !last && sc.gaps.get(i).copied().unwrap_or(false);
            if last || wide {
                let f0 = sc.fin.len();
                finalize(&sc.units[g0..=i], &mut sc.fin);
                sc.groups.push((f0, sc.fin.len()));
                g0 = i + 1;
            }
        }
        // The gap span that separates group k from group k+1.
        let mut sep_spans: Vec<[u32; 2]> = Vec::new();
        {
            let mut count = 0usize;
            for (i, &w) in sc.gaps.iter().enumerate() {
                if i + 1 >= sc.units.len() {
                    break;
                }
                if w {
                    sep_spans.push(sc.gap_spans.get(i).copied().unwrap_or([0, 0]));
                    count += 1;
                }
            }
            debug_assert!(count + 1 == sc.groups.len() || sc.groups.is_empty());
        }
        // Tail after the run (the gap so far, at most the first char of a token).
        sc.tail_text.clear();
        sc.tail_map.clear();
        sc.tail_text
            .extend_from_slice(self.text.get(end..).unwrap_or(&[]));
        sc.tail_map
            .extend_from_slice(self.map.get(end..).unwrap_or(&[]));
        self.text.truncate(start);
        self.map.truncate(start);
        // Emit groups; a row of three or more groups that are one letter each
        // is merged (so that folding the output again changes nothing).
        let ngroups = sc.groups.len();
        let mut k = 0;
        // Start of the last group emitted and how many chars it has.
        let mut last = (start, 0usize);
        while k < ngroups {
            let single =
                |k: usize, g: &[(usize, usize)]| g.get(k).is_some_and(|&(a, b)| b - a == 1);
            let mut j = k;
            while j < ngroups && single(j, &sc.groups) {
                j += 1;
            }
            if j - k >= 3 {
                sc.merged.clear();
                for &(a, b) in &sc.groups[k..j] {
                    sc.merged.extend_from_slice(&sc.fin[a..b]);
                }
                let mut out = Vec::new();
                finalize(&sc.merged, &mut out);
                last = (self.text.len(), out.len());
                self.emit_units(&out);
                if j < ngroups {
                    let sp = sep_spans.get(j - 1).copied().unwrap_or([0, 0]);
                    self.push(' ', sp[0], sp[1]);
                }
                k = j;
                continue;
            }
            let (a, b) = sc.groups[k];
            last = (self.text.len(), b - a);
            for u in &sc.fin[a..b] {
                self.push(u.ch, u.s, u.e);
            }
            if k + 1 < ngroups {
                let sp = sep_spans.get(k).copied().unwrap_or([0, 0]);
                self.push(' ', sp[0], sp[1]);
            }
            k += 1;
        }
        let new_end = self.text.len();
        self.last_group = None;
        if last.1 == 1 {
            let c = self
                .text
                .get(last.0..new_end)
                .and_then(|r| std::str::from_utf8(r).ok())
                .and_then(|r| r.chars().next());
            if let Some(c) = c {
                if c.is_alphabetic() || is_leet_char(c) {
                    self.last_group = Some((last.0, new_end, c.is_alphabetic()));
                }
            }
        }
        self.text.extend_from_slice(&sc.tail_text);
        self.map.extend_from_slice(&sc.tail_map);
        if self.in_tok && self.tok_start >= end {
            self.tok_start = self.tok_start - end + new_end;
        }
        *self.sc = sc;
        true
    }
}

/// Number of chars in valid UTF-8 bytes.
fn count_chars(b: &[u8]) -> usize {
    b.iter().filter(|&&x| x & 0xC0 != 0x80).count()
}

/// Whether `b` is an ASCII letter.
#[inline(always)]
fn is_ascii_letter(b: u8) -> bool {
    (b | 0x20).wrapping_sub(b'a') < 26
}

/// Decodes the non-ASCII char starting at `bytes[i]` (lead byte `b`) of
/// valid UTF-8: its code point and length in bytes.
#[inline(always)]
fn decode(bytes: &[u8], i: usize, b: u8) -> (u32, usize) {
    let cont = |k: usize| u32::from(bytes.get(i + k).copied().unwrap_or(0x80) & 0x3F);
    if b < 0xE0 {
        ((u32::from(b & 0x1F) << 6) | cont(1), 2)
    } else if b < 0xF0 {
        ((u32::from(b & 0x0F) << 12) | (cont(1) << 6) | cont(2), 3)
    } else {
        (
            (u32::from(b & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3),
            4,
        )
    }
}

/// Whether the text from byte `i` on is a run of `!`/`|` that ends the text
/// or is followed by something that cannot continue a word: not a letter,
/// digit, mark or one of the other leet symbols.
fn trailing_mark(text: &str, i: usize) -> bool {
    let Some(rest) = text.get(i..) else {
        return true;
    };
    // Judge what follows as folding sees it: by the first char of its
    // compatibility decomposition ('！' is '!', '﹩' is '$'), looking past
    // invisible chars and marks, which fold to nothing.
    for c in rest.chars() {
        if crate::normalize::tables::is_removed(c)
            || unicode_normalization::char::is_combining_mark(c)
        {
            continue;
        }
        let mut first = None;
        unicode_normalization::char::decompose_compatible(c, |d| {
            if first.is_none() {
                first = Some(d);
            }
        });
        let d = first.unwrap_or(c);
        if d == '!' || d == '|' {
            continue;
        }
        return !(d.is_alphanumeric() || d == '@' || d == '$');
    }
    true
}

/// Whether a folded char can be part of a token (a word).
#[inline]
pub(crate) fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '@' | '$' | '!' | '|')
}

/// `[start, end)` of every maximal run of leet chars in a token's units.
fn leet_runs(x: &[Unit]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < x.len() {
        if !is_leet_char(x[i].ch) {
            i += 1;
            continue;
        }
        let a = i;
        while i < x.len() && is_leet_char(x[i].ch) {
            i += 1;
        }
        runs.push((a, i));
    }
    runs
}

fn is_leet_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '@' | '$' | '!' | '|')
}

/// Leetspeak table for a script: digit or symbol → folded letter.
fn leet_map(script: u32, c: char) -> Option<char> {
    match script {
        S_CYR => match c {
            '0' => Some('o'), // о
            '3' => Some('з'),
            '4' => Some('ч'),
            '6' => Some('б'),
            '7' => Some('t'), // т
            '8' => Some('b'), // в
            '@' => Some('a'), // а
            _ => None,
        },
        S_ARA => match c {
            '1' => Some('\u{627}'), // ١ looks like alef
            '5' => Some('\u{647}'), // ٥ looks like heh
            _ => None,
        },
        _ => match c {
            '0' => Some('o'),
            '1' | '!' | '|' => Some('i'),
            '3' => Some('e'),
            '4' | '@' => Some('a'),
            '5' | '$' => Some('s'),
            '6' | '8' => Some('b'),
            '7' => Some('t'),
            '9' => Some('g'),
            _ => None,
        },
    }
}

fn push_collapse(out: &mut Vec<Unit>, base: usize, u: Unit) {
    if out.len() > base {
        if let Some(last) = out.last_mut() {
            if last.ch == u.ch && u.ch.is_alphabetic() {
                last.e = last.e.max(u.e);
                last.s = last.s.min(u.s);
                return;
            }
        }
    }
    out.push(u);
}

/// Folds one token (its chars with spans): collapses runs of the same letter
/// and applies leetspeak. Appends to `out`; returns whether the result
/// differs from `inp`.
pub(crate) fn finalize(inp: &[Unit], out: &mut Vec<Unit>) -> bool {
    let base = out.len();
    for &u in inp {
        push_collapse(out, base, u);
    }
    let mut changed = out.len() - base != inp.len();
    let x = &mut out[base..];
    let n = x.len();
    let (mut letters, mut leet) = (0usize, 0usize);
    let (mut ara, mut cyr) = (false, false);
    for u in x.iter() {
        if u.ch.is_alphabetic() {
            letters += 1;
            match letter_script(u.ch) {
                S_ARA => ara = true,
                S_CYR => cyr = true,
                _ => {}
            }
        } else if is_leet_char(u.ch) {
            leet += 1;
        }
    }
    if letters == 0 || leet == 0 || letters < leet || n > LEET_MAX_TOKEN {
        return changed;
    }
    // The table follows the letters present: Arabic, else Cyrillic (a letter
    // with no Latin look-alike), else Latin. Conversion adds letters of the
    // chosen script only, so folding again picks the same table.
    let script = if ara {
        S_ARA
    } else if cyr {
        S_CYR
    } else {
        0
    };
    // Find runs of leet chars; a run is mappable if short, fully in the table,
    // and not a trailing run holding '!' (sentence punctuation).
    let run_ok = |x: &[Unit], a: usize, b: usize| -> bool {
        b - a <= LEET_MAX_RUN
            && x[a..b].iter().all(|u| leet_map(script, u.ch).is_some())
            && !(b == x.len() && x[a..b].iter().any(|u| u.ch == '!'))
    };
    // Leetspeak applies only when some mappable run sits between two letters;
    // then every mappable run of the token is converted.
    let runs = leet_runs(x);
    let internal = |&(a, b): &(usize, usize)| {
        a > 0 && b < n && x[a - 1].ch.is_alphabetic() && x[b].ch.is_alphabetic()
    };
    if !runs.iter().any(|r| internal(r) && run_ok(x, r.0, r.1)) {
        return changed;
    }
    for (a, b) in runs {
        if run_ok(x, a, b) {
            for u in &mut x[a..b] {
                if let Some(m) = leet_map(script, u.ch) {
                    u.ch = m;
                    changed = true;
                }
            }
        }
    }
    // Collapse again (conversion may have created runs: "l33t" → "leet" → "let").
    let mut w = base;
    for r in base..out.len() {
        let u = out[r];
        if w > base && out[w - 1].ch == u.ch && u.ch.is_alphabetic() {
            out[w - 1].e = out[w - 1].e.max(u.e);
        } else {
            out[w] = u;
            w += 1;
        }
    }
    out.truncate(w);
    changed
}

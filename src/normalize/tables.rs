//! Per-character folding: what one source char becomes before any context
//! (tokens, runs, leetspeak) is considered.
//!
//! Every char maps to one packed `u32` *entry*:
//!
//! ```text
//! bits  0..=20  the folded char (kind UNIT) or, for kind EXPAND, the pool
//!               offset (bits 0..=15) and the number of units (bits 16..=20)
//! bits 21..=23  class of the folded char (C_*); C_OTHER for the other
//!               kinds, so a class test alone never takes them for letters
//! bits 30..=31  kind (K_*)
//! ```
//!
//! ASCII comes from a `const` table; code points below U+20000 come from
//! 256-entry pages built lazily (once, on first use, through `OnceLock`), so
//! a Cyrillic page costs about 256 decompositions once and then one load per
//! char. Anything above is computed on the fly without heap allocation.

use std::sync::OnceLock;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// One folded char (see [`entry_char`]).
pub(crate) const K_UNIT: u32 = 0;
/// Several folded chars, stored in the page pool.
pub(crate) const K_EXPAND: u32 = 1;
/// Nothing: zero-width, joiners, bidi controls, soft hyphen, tatweel, ...
pub(crate) const K_REMOVED: u32 = 2;
/// A combining mark or variation selector: nothing, but it belongs to the
/// char before it (the span of that char's output grows over it).
pub(crate) const K_MARK: u32 = 3;

/// A letter (Unicode `Alphabetic`).
pub(crate) const C_LETTER: u32 = 0;
/// An ASCII digit (after folding Arabic-Indic and fullwidth digits).
pub(crate) const C_DIGIT: u32 = 1;
/// Another numeric char (word char, never leetspeak).
pub(crate) const C_NUM: u32 = 2;
/// A leetspeak symbol: `@ $ ! |`.
pub(crate) const C_LEET: u32 = 3;
/// A separator that may space out letters: `. - _ * ~ · • ‧ ∙ ⋅` and dashes.
pub(crate) const C_SEP: u32 = 4;
/// Any other char (punctuation, symbols, emoji): kept as folded.
pub(crate) const C_OTHER: u32 = 5;
/// Horizontal whitespace: folds to `' '`.
pub(crate) const C_SPACE: u32 = 6;
/// Line or paragraph break: folds to `'\n'`.
pub(crate) const C_NEWLINE: u32 = 7;

/// Not a letter, or a letter of no script the leetspeak tables care about.
pub(crate) const S_NONE: u32 = 0;
/// A Latin letter.
pub(crate) const S_LAT: u32 = 1;
/// A Cyrillic letter (in folded text: one without a Latin look-alike, д ж и л п ...).
pub(crate) const S_CYR: u32 = 2;
/// An Arabic-script letter.
pub(crate) const S_ARA: u32 = 3;

const CLASS_SHIFT: u32 = 21;
const KIND_SHIFT: u32 = 30;

const fn enc(ch: u32, class: u32, kind: u32) -> u32 {
    ch | (class << CLASS_SHIFT) | (kind << KIND_SHIFT)
}

/// The kind (`K_*`) of an entry.
#[inline(always)]
pub(crate) fn entry_kind(e: u32) -> u32 {
    e >> KIND_SHIFT
}

/// The class (`C_*`) of a UNIT entry.
#[inline(always)]
pub(crate) fn entry_class(e: u32) -> u32 {
    (e >> CLASS_SHIFT) & 7
}

/// The folded char of a UNIT entry.
#[inline(always)]
pub(crate) fn entry_char(e: u32) -> char {
    char::from_u32(e & 0x1F_FFFF).unwrap_or('\u{FFFD}')
}

/// Pool offset and length of an EXPAND entry.
#[inline(always)]
fn entry_pool(e: u32) -> (usize, usize) {
    ((e & 0xFFFF) as usize, ((e >> 16) & 0x1F) as usize)
}

const fn ascii_entry(b: u8) -> u32 {
    match b {
        b'\n' | 0x0B | 0x0C | b'\r' => enc(b'\n' as u32, C_NEWLINE, K_UNIT),
        b' ' | b'\t' => enc(b' ' as u32, C_SPACE, K_UNIT),
        0..=0x1F | 0x7F => enc(0, C_OTHER, K_REMOVED),
        b'A'..=b'Z' => ascii_letter(b + 32),
        b'a'..=b'z' => ascii_letter(b),
        b'0'..=b'9' => enc(b as u32, C_DIGIT, K_UNIT),
        b'@' | b'$' | b'!' | b'|' => enc(b as u32, C_LEET, K_UNIT),
        b'.' | b'-' | b'_' | b'*' | b'~' => enc(b as u32, C_SEP, K_UNIT),
        _ => enc(b as u32, C_OTHER, K_UNIT),
    }
}

const fn ascii_letter(b: u8) -> u32 {
    enc(b as u32, C_LETTER, K_UNIT)
}

const fn build_ascii() -> [u32; 128] {
    let mut t = [0u32; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = ascii_entry(b as u8);
        b += 1;
    }
    t
}

/// Entries for ASCII, indexed by byte.
pub(crate) static ASCII: [u32; 128] = build_ascii();

/// Chars that fold to nothing and are transparent (they neither end a word
/// nor count as a gap).
pub(crate) fn is_removed(c: char) -> bool {
    matches!(c as u32,
        0x00..=0x08 | 0x0E..=0x1F | 0x7F..=0x84 | 0x86..=0x9F
        | 0xAD            // soft hyphen
        | 0x034F          // combining grapheme joiner
        | 0x061C          // Arabic letter mark
        | 0x0640          // tatweel
        | 0x0674          // Arabic high hamza (left over from decomposing ٵ ٶ ٷ ٸ)
        | 0x06E5 | 0x06E6 // Arabic small waw / small yeh (Quranic annotation)
        | 0x115F | 0x1160 | 0x3164 | 0xFFA0 // Hangul fillers (invisible)
        | 0x17B4 | 0x17B5 // Khmer inherent vowels (invisible)
        | 0x180E          // Mongolian vowel separator
        | 0x200B..=0x200F // ZWSP, ZWNJ, ZWJ, LRM, RLM
        | 0x202A..=0x202E // bidi embeddings and overrides
        | 0x2060..=0x206F // word joiner, invisible operators, bidi isolates, deprecated format chars
        | 0xFEFF          // BOM / ZWNBSP
        | 0xFFF9..=0xFFFB // interlinear annotation
        | 0x1BCA0..=0x1BCA3 // shorthand format controls
        | 0xE0000..=0xE007F // tags
    )
}

/// Line and paragraph separators (hard separators, fold to `'\n'`).
pub(crate) fn is_newline(c: char) -> bool {
    matches!(
        c,
        '\n' | '\u{0B}' | '\u{0C}' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Combining marks (all of Mn, Mc, Me), variation selectors and emoji skin
/// tone modifiers: stripped, but attached to the preceding char's span.
///
/// Except U+0345 COMBINING GREEK YPOGEGRAMMENI, which full case folding turns
/// into ι (ᾳ → αι, as its uppercase ᾼ → ΑΙ): it folds to a letter.
pub(crate) fn is_mark_like(c: char) -> bool {
    matches!(c as u32, 0xFE00..=0xFE0F | 0xE0100..=0xE01EF | 0x1F3FB..=0x1F3FF)
        || (is_combining_mark(c) && c != '\u{345}')
}

/// Separators between spaced-out letters (besides whitespace).
fn is_sep(c: char) -> bool {
    matches!(
        c,
        '.' | '-'
            | '_'
            | '*'
            | '~'
            | '\u{B7}'   // · middle dot
            | '\u{2010}' // ‐ hyphen (U+2011 folds to it)
            | '\u{2012}' // ‒ figure dash
            | '\u{2013}' // – en dash
            | '\u{2014}' // — em dash
            | '\u{2015}' // ― horizontal bar
            | '\u{2022}' // • bullet
            | '\u{2027}' // ‧ hyphenation point
            | '\u{2043}' // ⁃ hyphen bullet
            | '\u{2219}' // ∙ bullet operator
            | '\u{22C5}' // ⋅ dot operator
            | '\u{30FB}' // ・ katakana middle dot
    )
}

/// Script of a folded letter, for choosing a leetspeak table.
pub(crate) fn letter_script(c: char) -> u32 {
    let cp = c as u32;
    match cp {
        0x61..=0x7A
        | 0xC0..=0x2AF
        | 0x1D00..=0x1DBF
        | 0x1E00..=0x1EFF
        | 0x2C60..=0x2C7F
        | 0xA720..=0xA7FF
        | 0xAB30..=0xAB6F
        | 0xFB00..=0xFB06 => S_LAT,
        0x400..=0x52F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => S_CYR,
        0x600..=0x6FF | 0x750..=0x77F | 0x870..=0x8FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => S_ARA,
        _ => S_NONE,
    }
}

/// The entry for one already-folded char.
pub(crate) fn classify(y: char) -> u32 {
    let cp = y as u32;
    if cp < 0x80 {
        return ASCII[cp as usize];
    }
    if is_newline(y) {
        enc('\n' as u32, C_NEWLINE, K_UNIT)
    } else if y.is_whitespace() {
        enc(' ' as u32, C_SPACE, K_UNIT)
    } else if is_sep(y) {
        enc(cp, C_SEP, K_UNIT)
    } else if y.is_alphabetic() {
        enc(cp, C_LETTER, K_UNIT)
    } else if y.is_numeric() {
        enc(cp, C_NUM, K_UNIT)
    } else {
        enc(cp, C_OTHER, K_UNIT)
    }
}

/// Script-independent single-char folds applied after case folding:
/// Arabic-Indic digits, Arabic letter variants, and the look-alike skeleton.
///
/// The look-alike table maps lowercase forms only; uppercase forms reach it
/// through case folding, so `fold(upper) == fold(lower)` holds.
fn map_special(x: char) -> char {
    match x {
        // Arabic-Indic and Extended (Persian/Urdu) Arabic-Indic digits.
        '\u{660}'..='\u{669}' => char::from(b'0' + (x as u32 - 0x660) as u8),
        '\u{6F0}'..='\u{6F9}' => char::from(b'0' + (x as u32 - 0x6F0) as u8),
        // Negative circled and negative squared Latin capitals (🅐 🅰), which
        // have no compatibility decomposition.
        '\u{1F150}'..='\u{1F169}' => char::from(b'a' + (x as u32 - 0x1F150) as u8),
        '\u{1F170}'..='\u{1F189}' => char::from(b'a' + (x as u32 - 0x1F170) as u8),
        // Arabic: alef variants without a decomposition (alef wasla, wavy hamza).
        '\u{671}' | '\u{672}' | '\u{673}' => '\u{627}',
        // ta marbuta and heh look-alikes → heh.
        '\u{629}' | '\u{6C3}' | '\u{6D5}' | '\u{6C1}' | '\u{6BE}' => '\u{647}',
        // alef maqsura, Farsi yeh, Pashto e, yeh barree → yeh.
        '\u{649}' | '\u{6CC}' | '\u{6D0}' | '\u{6D2}' => '\u{64A}',
        // keheh (Persian kaf), swash kaf → kaf.
        '\u{6A9}' | '\u{6AA}' => '\u{643}',
        // Cyrillic look-alikes (lowercase; uppercase folds here first).
        'а' => 'a',
        'в' => 'b', // В = B
        'е' => 'e',
        'һ' => 'h',
        'і' => 'i',
        'ј' => 'j',
        'к' => 'k',
        'м' => 'm', // М = M
        'н' => 'h', // Н = H
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'т' => 't', // Т = T
        'у' => 'y',
        'х' => 'x',
        'ѕ' => 's',
        'ԁ' => 'd',
        'ԛ' => 'q',
        'ԝ' => 'w',
        'ӏ' => 'i', // palochka: Ӏ = I
        'ү' => 'y',
        'ѵ' => 'v',
        // Greek look-alikes (lowercase; where the two cases suggest different
        // Latin letters, the uppercase one wins: attackers write in caps).
        'α' => 'a',
        'β' => 'b',
        'γ' => 'y',
        'ε' => 'e',
        'ζ' => 'z', // Ζ = Z
        'η' => 'h', // Η = H
        'ι' => 'i',
        'κ' => 'k',
        'μ' => 'm', // Μ = M (µ micro sign folds here via NFKC)
        'ν' => 'n', // Ν = N
        'ο' => 'o',
        'ρ' => 'p',
        'τ' => 't',
        'υ' => 'y', // Υ = Y
        'χ' => 'x',
        'ω' => 'w',
        'ϲ' => 'c', // lunate sigma
        'ϳ' => 'j', // yot
        // Armenian look-alikes.
        'օ' => 'o',
        'ս' => 'u',
        'հ' => 'h',
        'ո' => 'n',
        // Latin letters that are look-alikes of basic Latin: dotless i/j, IPA,
        // small capitals, letters with a stroke.
        'ı' => 'i',
        'ȷ' => 'j',
        'ǀ' => 'i',
        'ɑ' => 'a',
        'ɡ' => 'g',
        'ɩ' => 'i',
        'ʋ' => 'v',
        'ᴀ' => 'a',
        'ʙ' => 'b',
        'ᴄ' => 'c',
        'ᴅ' => 'd',
        'ᴇ' => 'e',
        'ꜰ' => 'f',
        'ɢ' => 'g',
        'ʜ' => 'h',
        'ɪ' => 'i',
        'ᴊ' => 'j',
        'ᴋ' => 'k',
        'ʟ' => 'l',
        'ᴍ' => 'm',
        'ɴ' => 'n',
        'ᴏ' => 'o',
        'ᴘ' => 'p',
        'ꞯ' => 'q',
        'ʀ' => 'r',
        'ꜱ' => 's',
        'ᴛ' => 't',
        'ᴜ' => 'u',
        'ᴠ' => 'v',
        'ᴡ' => 'w',
        'ʏ' => 'y',
        'ᴢ' => 'z',
        'ø' => 'o',
        'ł' => 'l',
        'đ' => 'd',
        'ħ' => 'h',
        'ƀ' => 'b',
        'ɨ' => 'i',
        'ŧ' => 't',
        'ƶ' => 'z',
        'ǥ' => 'g',
        'ƒ' => 'f',
        _ => x,
    }
}

/// Most chars one source char may fold to (U+FDFA gives 18).
pub(crate) const MAX_UNITS: usize = 31;

/// A small fixed-capacity char buffer (no heap).
struct CharBuf {
    c: [char; MAX_UNITS],
    len: usize,
}

impl CharBuf {
    fn new() -> Self {
        CharBuf {
            c: ['\0'; MAX_UNITS],
            len: 0,
        }
    }
    fn push(&mut self, ch: char) {
        if let Some(slot) = self.c.get_mut(self.len) {
            *slot = ch;
            self.len += 1;
        }
    }
    fn as_slice(&self) -> &[char] {
        self.c.get(..self.len).unwrap_or(&[])
    }
}

fn skip(d: char) -> bool {
    is_mark_like(d) || is_removed(d)
}

/// One round: compatibility decomposition, mark stripping, case folding
/// (lower(upper(lower(c))), which gives full case folding: ß → ss, ς → σ,
/// ı → i, ᲀ → в, ...), then [`map_special`].
fn fold_once(c: char, out: &mut CharBuf) {
    decompose_compatible(c, |d| {
        if skip(d) {
            return;
        }
        for l1 in d.to_lowercase() {
            for up in l1.to_uppercase() {
                for l2 in up.to_lowercase() {
                    decompose_compatible(l2, |x| {
                        if !skip(x) {
                            let y = map_special(x);
                            if !is_removed(y) {
                                out.push(y);
                            }
                        }
                    });
                }
            }
        }
    });
}

/// Folds `c` to a fixed point (every output char folds to itself).
fn fold_full(c: char, out: &mut CharBuf, depth: u32) {
    let mut tmp = CharBuf::new();
    fold_once(c, &mut tmp);
    if depth >= 4 || tmp.as_slice() == [c] {
        for &y in tmp.as_slice() {
            out.push(y);
        }
        return;
    }
    for &y in tmp.as_slice() {
        fold_full(y, out, depth + 1);
    }
}

/// The entries one char folds to, computed without tables.
pub(crate) struct Computed {
    /// K_UNIT (one entry in `units[0]`), K_EXPAND (`len` entries), K_REMOVED or K_MARK.
    pub kind: u32,
    /// The UNIT entries.
    pub units: [u32; MAX_UNITS],
    /// How many of `units` are used.
    pub len: usize,
}

impl Computed {
    fn of(kind: u32, e: u32) -> Self {
        let mut units = [0u32; MAX_UNITS];
        units[0] = e;
        Computed {
            kind,
            units,
            len: usize::from(kind == K_UNIT),
        }
    }
    /// The UNIT entries produced.
    pub fn units(&self) -> &[u32] {
        self.units.get(..self.len).unwrap_or(&[])
    }
}

/// Computes what `c` folds to (the slow path behind the tables).
pub(crate) fn compute(c: char) -> Computed {
    let cp = c as u32;
    if cp < 0x80 {
        let e = ASCII[cp as usize];
        return Computed::of(entry_kind(e), e);
    }
    if is_newline(c) {
        return Computed::of(K_UNIT, enc('\n' as u32, C_NEWLINE, K_UNIT));
    }
    if is_removed(c) {
        return Computed::of(K_REMOVED, 0);
    }
    if c.is_whitespace() || cp == 0x2800 {
        return Computed::of(K_UNIT, enc(' ' as u32, C_SPACE, K_UNIT));
    }
    if is_mark_like(c) {
        return Computed::of(K_MARK, 0);
    }
    let mut buf = CharBuf::new();
    fold_full(c, &mut buf, 0);
    let chars = buf.as_slice();
    match chars.len() {
        0 => Computed::of(K_REMOVED, 0),
        1 => Computed::of(K_UNIT, classify(chars[0])),
        n => {
            let mut units = [0u32; MAX_UNITS];
            for (slot, &y) in units.iter_mut().zip(chars) {
                *slot = classify(y);
            }
            Computed {
                kind: K_EXPAND,
                units,
                len: n,
            }
        }
    }
}

/// 256 entries and the pool their EXPAND entries point into.
pub(crate) struct Page {
    e: [u32; 256],
    pool: Vec<u32>,
}

fn build_page(idx: u32) -> Page {
    let mut page = Page {
        e: [0; 256],
        pool: Vec::new(),
    };
    for lo in 0..256u32 {
        let cp = (idx << 8) | lo;
        let Some(c) = char::from_u32(cp) else {
            page.e[lo as usize] = enc(0, C_OTHER, K_REMOVED);
            continue;
        };
        let comp = compute(c);
        page.e[lo as usize] = match comp.kind {
            K_UNIT => comp.units[0],
            K_EXPAND => {
                let off = page.pool.len() as u32;
                page.pool.extend_from_slice(comp.units());
                // Pages hold at most 256 * 31 pool entries: fits in 16 bits.
                enc(off | ((comp.len as u32) << 16), C_OTHER, K_EXPAND)
            }
            k => enc(0, C_OTHER, k),
        };
    }
    page
}

const PAGE_COUNT: usize = 0x200;

static PAGES: [OnceLock<Box<Page>>; PAGE_COUNT] = [const { OnceLock::new() }; PAGE_COUNT];

/// The page holding `cp`, if `cp` is below U+20000.
#[inline]
pub(crate) fn page(cp: u32) -> Option<&'static Page> {
    let idx = (cp >> 8) as usize;
    PAGES
        .get(idx)
        .map(|p| &**p.get_or_init(|| Box::new(build_page(idx as u32))))
}

impl Page {
    /// The entry for `cp` (the low 8 bits index the page).
    #[inline(always)]
    pub(crate) fn entry(&self, cp: u32) -> u32 {
        self.e[(cp & 0xFF) as usize]
    }

    /// The UNIT entries of an EXPAND entry of this page.
    #[inline]
    pub(crate) fn expansion(&self, e: u32) -> &[u32] {
        let (off, len) = entry_pool(e);
        self.pool.get(off..off + len).unwrap_or(&[])
    }
}

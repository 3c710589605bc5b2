//! Folding with an offset map back to the original text.
//!
//! Page text and rule patterns are folded the same way, so that a keyword
//! matches however it was disguised, and every folded byte maps back to the
//! original text in UTF-16 code units (as the DOM counts), so a match can be
//! highlighted where it was written.
//!
//! # Transforms, in order
//!
//! **Per char** (context free, from precomputed tables):
//!
//! 1. *Compatibility decomposition and case folding.* Each char is
//!    decomposed (NFKD, `unicode_normalization::char::decompose_compatible`),
//!    combining marks are dropped, and the rest is case folded as
//!    `lower(upper(lower(c)))`, which gives full case folding (ß → ss,
//!    ẞ → ss, final ς → σ, ᲀ → в, ﬁ → fi) and a sane Turkish i: I, İ, ı and i
//!    all fold to `i`. No recomposition is needed because marks are gone.
//!    Mathematical, fullwidth, circled and superscript letters and digits fold
//!    to plain ones, and so do the negative circled/squared capitals (🅘 🅸,
//!    which have no decomposition); Arabic presentation forms fold to letters
//!    (ﷲ → الله). The Greek ypogegrammeni (U+0345) folds to ι as full case
//!    folding says (ᾳ and ᾼ → ai).
//! 2. *Removal.* Zero-width chars (U+200B–U+200F), joiners and invisible
//!    operators (U+2060–U+206F, U+034F, U+180E), soft hyphen, BOM, bidi
//!    controls (U+202A–U+202E, U+2066–U+2069, U+061C), Hangul fillers, tag
//!    chars, C0/C1 controls and the Arabic tatweel fold to nothing and are
//!    transparent: a word with a zero-width space inside is still one word.
//!    Combining marks of every kind (Mn, Mc, Me: accents, Arabic tashkeel
//!    U+064B–U+065F and superscript alef U+0670, Quranic marks; Mc too, so
//!    Indic vowel signs go as well, on both sides alike), variation
//!    selectors and emoji skin tones also fold to nothing, but their span is
//!    added to the char before them, so a highlight never splits a cluster.
//!    The braille blank U+2800 counts as a space.
//! 3. *Arabic.* Alef variants أ إ آ ٱ → ا, ؤ → و, ئ → ي (hamza ء stays),
//!    ة → ه, ى → ي, Persian/Urdu ک ڪ → ك, ی ې ے → ي, ە ہ ھ ۃ → ه.
//! 4. *Digits.* Arabic-Indic (U+0660–U+0669), Extended Arabic-Indic
//!    (U+06F0–U+06F9), fullwidth and other compatibility digits → ASCII.
//! 5. *Look-alike skeleton* (in the spirit of Unicode TR39), applied to
//!    lowercase forms so that `fold(upper) == fold(lower)` always holds:
//!    - Cyrillic: а→a в→b е→e һ→h і→i ј→j к→k м→m н→h о→o р→p с→c т→t
//!      у→y х→x ѕ→s ԁ→d ԛ→q ԝ→w ӏ→i ү→y ѵ→v (plus ё→e, й→и, ї→i through
//!      mark stripping). В→b, Н→h, М→m, Т→t exist for the capitals that look
//!      Latin ("НАМАS"); their lowercase forms go along.
//!    - Greek: α→a β→b γ→y ε→e ζ→z η→h ι→i κ→k μ→m ν→n ο→o ρ→p τ→t υ→y
//!      χ→x ω→w ϲ→c ϳ→j. Where the two cases suggest different letters
//!      (Η/η, Ν/ν, Υ/υ, Μ/μ) the capital's look wins.
//!    - Armenian օ→o ս→u հ→h ո→n; Latin dotless ı ȷ, IPA ɑ ɡ ɩ ʋ ǀ, small
//!      capitals (ᴀ ʙ ᴄ ... ᴢ → a b c ... z) and letters with a stroke
//!      (ø ł đ ħ ƀ ɨ ŧ ƶ ǥ ƒ) → the basic Latin letter.
//!
//!    Letters without a Latin look-alike (д ж и л п з ч, θ λ π σ, Arabic)
//!    stay in their script.
//!
//! **In context** (no transform crosses a block start):
//!
//! 6. *Leetspeak inside words.* A token is a maximal run of letters, digits
//!    and the symbols `@ $ ! |` (removed chars and marks do not end it).
//!    Within a token, a *leet run* is a maximal run
//!    of ASCII digits and those symbols. The token is rewritten only if it
//!    has at least one letter, no more digits/symbols than letters, at most
//!    24 chars, and at least one leet run *between two letters* that is at
//!    most 3 chars long and fully in the table of the token's script. Then
//!    every such short, fully mappable run is rewritten, the ones at the
//!    edges too ("h3ll0" → "hello", "1s1s" → "isis"), except a trailing run
//!    holding `!` (punctuation: "j1had!" → "jihad!"). So pure numbers stay
//!    ("2024", "$200", "1,500"), digits glued to a word stay ("isis2024",
//!    "covid19", "win10", "4chan", "@user", "$TSLA"), and long alphanumeric
//!    identifiers stay. A leading-only or trailing-only substitution is not
//!    undone ("0sama", "jihad4" stay): the word must show leetspeak inside.
//!    `@` between letters maps too, so "user@mail" folds to "useramail"
//!    (payment identifiers are found on the original text). Tables:
//!    - Latin (default): 0→o 1→i 3→e 4→a 5→s 6→b 7→t 8→b 9→g @→a $→s !→i |→i
//!    - Cyrillic: 0→о(o) 3→з 4→ч 6→б 7→т(t) 8→в(b) @→а(a)
//!    - Arabic: 1→ا (١ looks like alef), 5→ه (٥ looks like heh)
//!
//!    The table follows the folded letters of the token: Arabic if it has
//!    an Arabic letter, else Cyrillic if it has a Cyrillic letter without a
//!    Latin look-alike (д ж и л п ...), else Latin. Homoglyph swaps do not
//!    change the table, and folding again picks the same one.
//! 7. *Runs of the same letter* collapse to one letter ("jiiihaaad" → "jihad",
//!    "allah" → "alah" on both sides). Digits never collapse.
//! 8. *Spaced-out letters* are rejoined. A *single-char token* is a token
//!    whose folded form is one letter or one digit/symbol ("a", "1", and also
//!    "aa", which collapses to "a"). A run of at least 3 single-char tokens,
//!    with at least as many letters as digits/symbols, where every gap is
//!    either whitespace without a line break or exactly one separator
//!    (`. - _ * ~ · • ‧ ∙ ⋅`, the dashes U+2010–U+2015, `・`) and all gaps
//!    are of the same kind, is joined into one word, which is then folded
//!    as a word (leetspeak, collapse): "I S I S", "I.S.I.S", "и-г-и-л",
//!    "д ж и х а д", "ج ه ا د", "1 s 1 s" → one word spanning from the run's
//!    first letter to its last. In a whitespace run, a gap of 1–2
//!    whitespace chars (space, NBSP, tab, any Unicode space) joins and a gap
//!    of 3 or more is a word break ("h o l y   w a r" → "holy war"); three or
//!    more one-letter words in a row are joined anyway. (Longer gaps count as
//!    gaps at all, unlike a strict "1–2 spaces", because whitespace runs fold
//!    to one space and `fold` must be idempotent on patterns: "a   b   c"
//!    folds to "abc", not to "a b c", which would fold again to "abc".)
//!    Ordinary text keeps its spaces: "a b and I" has only two single
//!    letters in a row, "и т.д." mixes gap kinds, "a, b, c" has commas.
//!    Nothing joins across a line break or a block start.
//! 9. *Whitespace.* Any run of whitespace folds to one `' '`, or to one
//!    `'\n'` if it holds a line or paragraph separator (`\n \r \v \f`,
//!    U+0085, U+2028, U+2029). Punctuation is kept as folded by NFKC.
//!
//! A block start emits a `'\n'` with an empty span at its offset; everything
//! above restarts after it.
//!
//! # Offset map and cost
//!
//! Each folded byte carries the UTF-16 range `[start, end)` of the source
//! chars that produced it (8 bytes per folded byte). A char that merges
//! several source chars (a collapsed run, a whitespace run) spans all of
//! them; a removed char belongs to no span unless it sits inside one.
//! Starts and ends never decrease along the folded text.
//!
//! Folding is one pass over the text. ASCII costs a `const` table lookup per
//! char, and plain ASCII (letters, single spaces, ordinary punctuation, no
//! doubled letter, no one-letter word, no digit inside a word) goes 8 bytes
//! at a time with word-parallel (SWAR) tests. Other chars below U+20000 cost
//! a lookup in a 256-entry page built on first use (about 256
//! decompositions per page, once per process), with a tight loop for a run
//! of letters of one page; chars above U+20000 are folded on the fly. A word
//! is revisited only if it has a digit or symbol between letters (leetspeak
//! check, at most 24 chars) or ends a run of spaced-out letters. No heap
//! allocation per char; with [`fold_into`] the buffers are reused between
//! calls. The folded bytes are checked as UTF-8 once at the end (no
//! `unsafe`). Memory: the text plus 8 bytes per folded byte.
//!
//! Measured with the ignored test `throughput` (10 MB generated corpora,
//! release build, best of 12 rounds, on a busy shared 2-vCPU x86-64 VM):
//! about 335 MB/s on English, 185 MB/s on Russian, 225 MB/s on Arabic and
//! 170 MB/s on a 1:1:1 mix; compiled to wasm32 and run in Node 20, similar
//! corpora fold at about 540, 175, 175 and 240 MB/s. On ASCII most of the
//! time is writing the 8-byte-per-byte map.

mod fold;
mod tables;

use fold::{Folder, Scratch};

/// Text folded for matching, with a map from every folded byte back to the
/// original text, in UTF-16 code units (as the DOM counts).
#[derive(Clone, Default)]
pub struct Folded {
    text: String,
    /// `[start, end)` in UTF-16 units of the source chars of each folded byte.
    map: Vec<[u32; 2]>,
    scratch: Scratch,
}

impl std::fmt::Debug for Folded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Folded")
            .field("text", &self.text)
            .field("map", &self.map)
            .finish_non_exhaustive()
    }
}

impl Folded {
    /// An empty `Folded`, to be filled by [`fold_into`].
    pub fn new() -> Self {
        Self::default()
    }

    /// The folded text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Length of the folded text in bytes.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// Whether the folded text is empty.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Maps the folded byte range `[start, end)` (on char boundaries, `start < end`)
    /// to the original range in UTF-16 code units: from the start of the first
    /// source char that produced `start` to the end of the last source char
    /// that produced the byte before `end`.
    ///
    /// Never panics: out-of-range or empty ranges are clamped to the folded
    /// text (an empty folded text gives `(0, 0)`).
    pub fn span(&self, start: usize, end: usize) -> (u32, u32) {
        let n = self.map.len();
        if n == 0 {
            return (0, 0);
        }
        let s = start.min(n - 1);
        let e = end.clamp(s + 1, n);
        (self.map[s][0], self.map[e - 1][1])
    }

    /// The first folded byte whose source starts at or after the original
    /// UTF-16 offset `utf16` (the folded text's length when none does). Used
    /// to cut the folded text at block starts; a char boundary of the
    /// folded text. O(log n): source starts never decrease along the text.
    pub fn folded_offset(&self, utf16: u32) -> usize {
        self.boundary(self.map.partition_point(|m| m[0] < utf16))
    }

    /// [`Folded::folded_offset`] of each offset in `utf16`. Offsets that
    /// were block starts of the fold are answered from the folder's record
    /// of where it put each block break (no search over the map).
    pub fn folded_offsets(&self, utf16: &[u32]) -> Vec<usize> {
        let breaks = &self.scratch.breaks;
        utf16
            .iter()
            .map(|&u| {
                if u == 0 {
                    return 0;
                }
                match breaks.binary_search_by_key(&u, |b| b.0) {
                    Ok(k) => breaks[k].2,
                    Err(_) => self.folded_offset(u),
                }
            })
            .collect()
    }

    /// Byte offsets in the ORIGINAL text of the block starts the fold was
    /// given (as recorded while folding), in order, with `0` first: the
    /// same list as the sorted, deduplicated block starts inside the text.
    /// `None` for a start the fold did not break at (past the end of the
    /// text, or 0).
    pub fn original_block_offset(&self, utf16: u32) -> Option<usize> {
        if utf16 == 0 {
            return Some(0);
        }
        let breaks = &self.scratch.breaks;
        breaks
            .binary_search_by_key(&utf16, |b| b.0)
            .ok()
            .map(|k| breaks[k].1)
    }

    fn boundary(&self, mut i: usize) -> usize {
        while i < self.text.len() && !self.text.is_char_boundary(i) {
            i += 1;
        }
        i
    }
}

/// Folds page text. `block_starts` are sorted UTF-16 offsets where a new block
/// (post, comment, paragraph) begins: a `'\n'` is emitted in the folded text
/// there, with an empty span at that offset, and no transform works across it.
///
/// Unsorted, duplicate or out-of-range block starts are tolerated (sorted,
/// deduplicated, those past the end ignored; one inside a surrogate pair moves
/// to the end of that char).
pub fn fold(text: &str, block_starts: &[u32]) -> Folded {
    let mut f = Folded::default();
    fold_into(&mut f, text, block_starts);
    f
}

/// Like [`fold`], but reuses the buffers of `out` (its previous content is
/// replaced).
pub fn fold_into(out: &mut Folded, text: &str, block_starts: &[u32]) {
    fold_impl::<true>(out, text, block_starts);
}

/// The folding behind [`fold_into`]; `FAST = false` turns the fast paths off
/// (tests compare both).
fn fold_impl<const FAST: bool>(out: &mut Folded, text: &str, block_starts: &[u32]) {
    out.map.clear();
    out.map.reserve(text.len() + 8);
    let mut sorted_buf = std::mem::take(&mut out.scratch.block_starts);
    sorted_buf.clear();
    let starts: &[u32] = if block_starts.windows(2).all(|w| w[0] < w[1]) {
        block_starts
    } else {
        sorted_buf.extend_from_slice(block_starts);
        sorted_buf.sort_unstable();
        sorted_buf.dedup();
        &sorted_buf
    };
    let mut buf = std::mem::take(&mut out.text).into_bytes();
    buf.clear();
    buf.reserve(text.len() + 8);
    out.scratch.breaks.clear();
    Folder::new(&mut buf, &mut out.map, &mut out.scratch).run::<FAST>(text, starts);
    // The folder writes whole UTF-8 sequences only; the check is cheap and
    // keeps this free of `unsafe`.
    out.text = match String::from_utf8(buf) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    out.scratch.block_starts = sorted_buf;
}

/// Folds a rule pattern exactly the way [`fold`] folds page text (without
/// block starts), so that a pattern is found in folded text wherever the text
/// says the same thing, however disguised. `fold_pattern(fold_pattern(p))`
/// equals `fold_pattern(p)`.
pub fn fold_pattern(pattern: &str) -> String {
    fold(pattern, &[]).text
}

/// Whether `c`, a char of folded text, is part of a word: Unicode letters and
/// digits of every script (Latin, Cyrillic, Arabic, ...). Folded text holds no
/// combining marks. Punctuation, `_`, and leet symbols left as they were
/// (`@` in "@user") are not word chars.
#[inline]
pub fn is_word_char(c: char) -> bool {
    // Fast paths for the scripts pages are mostly written in (the same
    // answer as `is_alphanumeric`, without its table search): this runs for
    // every char of every post in the model's features and at both ends of
    // every keyword match.
    match c as u32 {
        0..=0x7F => c.is_ascii_alphanumeric(),
        0x0410..=0x044F => true,
        0x0621..=0x063A | 0x0641..=0x064A => true,
        _ => c.is_alphanumeric(),
    }
}

#[cfg(test)]
mod tests;

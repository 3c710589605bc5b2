//! Features of a post for the model: hashed character n-grams (within and
//! across word boundaries) and word unigrams and bigrams of the folded text.
//!
//! The folded text ([`crate::normalize`]) is read as words (maximal runs of
//! word characters); everything between words counts as one space, and the
//! post is framed by a space on each side, so `" jih"` (a word start) and
//! `"d th"` (across two words) are n-grams too. Each feature is hashed with
//! 32-bit FNV-1a, seeded, under a namespace byte (`c` chars, `w` word,
//! `b` bigram), into a table of `2^buckets_log2` weights.
//!
//! The training script reads the same features from the CLI
//! (`flaglight model-features`), so training and scanning cannot disagree.

use super::Script;
use crate::normalize::is_word_char;

/// What the features are. Stored in the model file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureSpec {
    /// The table has `2^buckets_log2` weights.
    pub buckets_log2: u8,
    /// Mixed into every hash.
    pub seed: u32,
    /// Shortest character n-gram.
    pub char_min: u8,
    /// Longest character n-gram.
    pub char_max: u8,
    /// Word unigrams.
    pub words: bool,
    /// Word bigrams.
    pub bigrams: bool,
    /// Each script (Latin, Cyrillic, Arabic) hashes into its own namespace:
    /// the table holds one model per script, trained apart (their
    /// vocabularies, amounts of data and base rates differ).
    #[serde(default)]
    pub per_script: bool,
}

impl FeatureSpec {
    /// Whether the spec is usable: table size 2^8..2^24, n-grams 1..8.
    pub fn check(&self) -> Result<(), String> {
        if !(8..=24).contains(&self.buckets_log2) {
            return Err(format!(
                "buckets_log2 {} is outside 8..=24",
                self.buckets_log2
            ));
        }
        if self.char_min == 0 || self.char_min > self.char_max || self.char_max > 8 {
            return Err(format!(
                "character n-grams {}..={} are outside 1..=8",
                self.char_min, self.char_max
            ));
        }
        Ok(())
    }

    /// Number of weights.
    pub fn buckets(&self) -> usize {
        1 << self.buckets_log2
    }
}

/// One word of the folded post: its byte range in the folded text.
pub type Word = (usize, usize);

/// The features of one post: every occurrence as (bucket, word index), and
/// the words they belong to.
#[derive(Debug, Default, Clone)]
pub struct Features {
    /// Byte ranges of the words in the folded text.
    pub words: Vec<Word>,
    /// (bucket, word) of every feature occurrence, in text order.
    pub occurrences: Vec<(u32, u32)>,
}

impl Features {
    /// Distinct buckets, sorted.
    pub fn distinct(&self) -> Vec<u32> {
        let mut v: Vec<u32> = self.occurrences.iter().map(|o| o.0).collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

const FNV_OFFSET: u32 = 0x811c_9dc5;
const FNV_PRIME: u32 = 0x0100_0193;

fn fnv(mut h: u32, bytes: &[u8]) -> u32 {
    for &b in bytes {
        h ^= b as u32;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// Bucket of a finished hash: Fibonacci hashing takes the well-mixed high bits.
fn bucket(h: u32, bits: u8) -> u32 {
    h.wrapping_mul(0x9E37_79B1) >> (32 - bits as u32)
}

/// Extracts the features of `folded` (one post's folded text, whose
/// original is mostly in `script`) into `out`.
pub fn extract(folded: &str, spec: &FeatureSpec, script: Script, out: &mut Features) {
    out.words.clear();
    out.occurrences.clear();
    let mut start = None;
    for (i, c) in folded.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.words.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.words.push((s, folded.len()));
    }
    let namespace = if spec.per_script {
        (script as u32 + 1).wrapping_mul(0x9E37_79B9)
    } else {
        0
    };
    let seed = FNV_OFFSET ^ spec.seed ^ namespace;
    char_ngrams(folded, spec, seed, out);
    for (wi, &(s, e)) in out.words.iter().enumerate() {
        if spec.words {
            let h = fnv(fnv(seed, b"w"), &folded.as_bytes()[s..e]);
            out.occurrences
                .push((bucket(h, spec.buckets_log2), wi as u32));
        }
        if spec.bigrams {
            if let Some(&(s2, e2)) = out.words.get(wi + 1) {
                let h = fnv(fnv(seed, b"b"), &folded.as_bytes()[s..e]);
                let h = fnv(fnv(h, b" "), &folded.as_bytes()[s2..e2]);
                out.occurrences
                    .push((bucket(h, spec.buckets_log2), wi as u32));
            }
        }
    }
}

/// Character n-grams over the words joined by single spaces, framed by a
/// space on each side. An n-gram belongs to the word its first letter is in
/// (a leading space: the word after it).
fn char_ngrams(folded: &str, spec: &FeatureSpec, seed: u32, out: &mut Features) {
    // (char as UTF-8 bytes, word index) of the framed sequence.
    let mut seq: Vec<([u8; 4], u8, u32)> = Vec::with_capacity(folded.len() + 2);
    let space = |w: u32| ([b' ', 0, 0, 0], 1u8, w);
    for (wi, &(s, e)) in out.words.iter().enumerate() {
        seq.push(space(wi as u32));
        for c in folded[s..e].chars() {
            let mut b = [0u8; 4];
            let n = c.encode_utf8(&mut b).len() as u8;
            seq.push((b, n, wi as u32));
        }
    }
    if out.words.is_empty() {
        return;
    }
    seq.push(space(out.words.len() as u32 - 1));
    let base = fnv(seed, b"c");
    let (lo, hi) = (spec.char_min as usize, spec.char_max as usize);
    for i in 0..seq.len() {
        let mut h = base;
        for (k, &(b, n, _)) in seq[i..].iter().take(hi).enumerate() {
            h = fnv(h, &b[..n as usize]);
            if k + 1 >= lo && !(k == 0 && b[0] == b' ') {
                out.occurrences
                    .push((bucket(h, spec.buckets_log2), seq[i].2));
            }
        }
    }
}

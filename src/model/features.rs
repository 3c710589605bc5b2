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
    /// The framed char sequence of [`char_ngrams`], kept across posts so a
    /// post costs no allocation.
    seq: Vec<([u8; 4], u8, u32)>,
    /// One bit per bucket, all clear between calls of [`Features::sum_distinct`].
    seen: Vec<u64>,
}

impl Features {
    /// The sum of `weights[b]` over the distinct buckets `b` of the
    /// occurrences, and how many there are: one pass with a bitset (cleared
    /// again after), no sort. An integer sum, so its order does not matter.
    /// Buckets outside `weights` count as weight 0.
    pub fn sum_distinct(&mut self, weights: &[i8]) -> (i64, usize) {
        let words = weights.len().div_ceil(64);
        if self.seen.len() < words {
            self.seen.resize(words, 0);
        }
        let (mut sum, mut n) = (0i64, 0usize);
        for &(b, _) in &self.occurrences {
            let (i, bit) = ((b >> 6) as usize, 1u64 << (b & 63));
            let Some(slot) = self.seen.get_mut(i) else {
                continue;
            };
            if *slot & bit == 0 {
                *slot |= bit;
                sum += weights.get(b as usize).copied().unwrap_or(0) as i64;
                n += 1;
            }
        }
        for &(b, _) in &self.occurrences {
            if let Some(slot) = self.seen.get_mut((b >> 6) as usize) {
                *slot = 0;
            }
        }
        (sum, n)
    }

    /// Distinct buckets, sorted.
    pub fn distinct(&self) -> Vec<u32> {
        let mut v: Vec<u32> = self.occurrences.iter().map(|o| o.0).collect();
        radix_sort(&mut v);
        v.dedup();
        v
    }
}

/// Sorts bucket numbers (below 2^24, [`FeatureSpec::check`]) ascending:
/// an LSD radix sort in three passes of 8 bits, linear in the post where
/// `sort_unstable` was a fifth of the model's time on long posts. Same
/// order as a comparison sort, so scores add up in the same order.
fn radix_sort(v: &mut Vec<u32>) {
    if v.len() < 64 {
        v.sort_unstable();
        return;
    }
    let mut tmp = vec![0u32; v.len()];
    for shift in [0u32, 8, 16] {
        let mut count = [0usize; 257];
        for &x in v.iter() {
            count[((x >> shift) & 0xFF) as usize + 1] += 1;
        }
        for i in 1..257 {
            count[i] += count[i - 1];
        }
        for &x in v.iter() {
            let d = ((x >> shift) & 0xFF) as usize;
            tmp[count[d]] = x;
            count[d] += 1;
        }
        std::mem::swap(v, &mut tmp);
    }
    debug_assert!(v.iter().all(|&x| x < 1 << 24));
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
    let mut seq = std::mem::take(&mut out.seq);
    seq.clear();
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
        out.seq = seq;
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
    out.seq = seq;
}

#[cfg(test)]
mod tests {
    use super::radix_sort;

    #[test]
    fn radix_sort_sorts_like_sort_unstable() {
        let mut x = 0x1234_5678u32;
        for n in [0usize, 1, 63, 64, 65, 1000, 20_000] {
            let v: Vec<u32> = (0..n)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    x & 0xFF_FFFF
                })
                .collect();
            let mut a = v.clone();
            let mut b = v;
            radix_sort(&mut a);
            b.sort_unstable();
            assert_eq!(a, b, "n = {n}");
        }
    }
}

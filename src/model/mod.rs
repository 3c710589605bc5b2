//! The post-level model: a linear classifier over hashed n-grams of the
//! folded text (see [`features`]), int8 weights, calibrated per script.
//!
//! Packs find listed phrases; real propaganda mostly does not use them. The
//! model scores each block (post) as a whole and says which words weighed
//! most, so its highlight explains itself. It is trained offline
//! (`tools/model/train.py`) and loaded from a versioned file ([`format`]);
//! a file that is corrupted, truncated or of another format version is
//! refused with a [`ModelError`], and the engine keeps working with its
//! packs.
//!
//! # Score
//! `raw = bias + scale * sum(q[b]) / sqrt(n)` over the `n` distinct buckets
//! `b` of the post (binary features, L2-normalised), then the probability
//! `p = sigmoid(a * raw + c)` with the calibration `(a, c)` of the post's
//! script (Latin, Cyrillic, Arabic). A post is a finding when `p` reaches
//! the script's threshold; its severity comes from the file's bands.
//!
//! # Cost
//! About `(char_max - char_min + 1)` hashes and one table lookup per
//! character, plus a sort of the post's buckets: ~20 µs for a 150-character
//! post (measured in the benchmark).

pub mod features;
pub mod format;

/// `char::is_alphabetic` with fast paths for ASCII and the basic Cyrillic
/// and Arabic letters (the same answer, without the table search for the
/// chars posts are mostly made of).
fn is_alphabetic(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphabetic(),
        0x0410..=0x044F | 0x0621..=0x063A | 0x0641..=0x064A => true,
        _ => c.is_alphabetic(),
    }
}

use crate::pack::Severity;
pub use features::{FeatureSpec, Features};
pub use format::{ModelError, ModelHeader};

/// The writing system a post is mostly in: each has its own calibration.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    /// Latin letters (and posts with no letters).
    Latin,
    /// Cyrillic letters.
    Cyrillic,
    /// Arabic letters.
    Arabic,
}

impl Script {
    /// Every script, in file order.
    pub const ALL: [Script; 3] = [Script::Latin, Script::Cyrillic, Script::Arabic];

    /// The script of a post, from its FOLDED text: Arabic when most letters
    /// are Arabic; Cyrillic when at least a fifth are Cyrillic (folding turns
    /// Cyrillic look-alikes such as а, о, р into Latin, and leaves about
    /// half of a Russian text's letters Cyrillic, while English spelled in
    /// look-alikes folds to all Latin and is scored as English); else Latin.
    pub fn of(folded: &str) -> Script {
        let (mut lat, mut cyr, mut ara) = (0usize, 0usize, 0usize);
        for c in folded.chars().filter(|&c| is_alphabetic(c)) {
            match c {
                '\u{0400}'..='\u{04FF}' => cyr += 1,
                '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' => {
                    ara += 1
                }
                _ => lat += 1,
            }
        }
        if ara > lat + cyr {
            Script::Arabic
        } else if cyr > 0 && cyr * 5 >= lat + cyr {
            Script::Cyrillic
        } else {
            Script::Latin
        }
    }

    /// The name used in the model file and the UI.
    pub fn as_str(self) -> &'static str {
        match self {
            Script::Latin => "latin",
            Script::Cyrillic => "cyrillic",
            Script::Arabic => "arabic",
        }
    }
}

/// How one word of a post weighed in its score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WordWeight {
    /// Byte range of the word in the folded text.
    pub range: (usize, usize),
    /// Its share of `raw - bias` (positive: towards the label).
    pub weight: f64,
}

/// A post's score.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// The linear score before calibration.
    pub raw: f64,
    /// Calibrated probability of the label, 0-1.
    pub probability: f64,
    /// The post's script (whose calibration and threshold apply).
    pub script: Script,
    /// Severity when the probability reaches the threshold.
    pub severity: Option<Severity>,
    /// The words that pushed the score up most, heaviest first (at most
    /// the file's `top_words`, only positive ones).
    pub top: Vec<WordWeight>,
}

/// A word is shown as a reason only when it carries at least this share of
/// the heaviest word's weight.
const MIN_SHARE_OF_TOP: f64 = 0.2;

/// A loaded model.
#[derive(Debug, Clone)]
pub struct Model {
    header: ModelHeader,
    weights: Vec<i8>,
    /// The header's quiet words, folded.
    quiet: std::collections::HashSet<String>,
    /// Per script (in [`Script::ALL`] order): thresholds in use (the file's,
    /// or the moderator's sensitivity).
    thresholds: [f64; 3],
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

impl Model {
    /// Loads a model file; see [`format`] for what is checked.
    pub fn load(bytes: &[u8]) -> Result<Model, ModelError> {
        let (header, weights) = format::read(bytes)?;
        let thresholds = Script::ALL.map(|s| header.calibration(s).threshold);
        let quiet = header
            .quiet_words
            .iter()
            .map(|w| crate::normalize::fold_pattern(w))
            .collect();
        Ok(Model {
            header,
            weights,
            quiet,
            thresholds,
        })
    }

    /// The file's header: name, version, spec, calibration.
    pub fn header(&self) -> &ModelHeader {
        &self.header
    }

    /// The threshold in use for a script.
    pub fn threshold(&self, script: Script) -> f64 {
        self.thresholds[script as usize]
    }

    /// Sets the threshold of a script (the moderator's sensitivity),
    /// clamped to 0.01-0.99.
    pub fn set_threshold(&mut self, script: Script, threshold: f64) {
        self.thresholds[script as usize] = threshold.clamp(0.01, 0.99);
    }

    /// Scores one post from its folded text (word ranges refer to it).
    /// `scratch` is reused across posts.
    pub fn score_folded(&self, folded: &str, scratch: &mut Features) -> Scored {
        let h = &self.header;
        let script = Script::of(folded);
        features::extract(folded, &h.spec, script, scratch);
        // The score needs the distinct buckets' weights only: summed as
        // integers in one pass (no sort); the sorted list is made for the
        // posts that are shown, for their words.
        let (sum, n) = scratch.sum_distinct(&self.weights);
        let norm = if n == 0 { 0.0 } else { 1.0 / (n as f64).sqrt() };
        let w = |b: u32| self.weights[b as usize] as f64 * h.scale * norm;
        let raw = h.bias + sum as f64 * h.scale * norm;
        let cal = h.calibration(script);
        let probability = sigmoid(cal.a * raw + cal.b);
        let severity = (probability >= self.threshold(script)).then(|| h.severity(probability));
        let top = if severity.is_some() {
            self.top_words(folded, scratch, &scratch.distinct(), &w)
        } else {
            Vec::new()
        };
        Scored {
            raw,
            probability,
            script,
            severity,
            top,
        }
    }

    /// Scores a text (folded here) as one post.
    pub fn score(&self, text: &str) -> Scored {
        let folded = crate::normalize::fold_pattern(text);
        self.score_folded(&folded, &mut Features::default())
    }

    /// Whether a folded word may be shown as a reason: not a quiet word,
    /// at least two letters.
    fn explains(&self, word: &str) -> bool {
        word.chars().nth(1).is_some() && !self.quiet.contains(word)
    }

    /// Each word's share: every distinct feature's weight split evenly over
    /// its occurrences, each occurrence credited to its word.
    fn top_words(
        &self,
        folded: &str,
        f: &Features,
        distinct: &[u32],
        w: &dyn Fn(u32) -> f64,
    ) -> Vec<WordWeight> {
        let mut count = vec![0u32; distinct.len()];
        let at = |b: u32| distinct.binary_search(&b).unwrap_or(0);
        for &(b, _) in &f.occurrences {
            count[at(b)] += 1;
        }
        let mut per_word = vec![0.0f64; f.words.len()];
        for &(b, wi) in &f.occurrences {
            if let Some(x) = per_word.get_mut(wi as usize) {
                *x += w(b) / count[at(b)] as f64;
            }
        }
        let mut top: Vec<WordWeight> = per_word
            .iter()
            .enumerate()
            .filter(|(i, &x)| {
                let (s, e) = f.words[*i];
                x > 0.0 && self.explains(&folded[s..e])
            })
            .map(|(i, &x)| WordWeight {
                range: f.words[i],
                weight: x,
            })
            .collect();
        top.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        let floor = top.first().map_or(0.0, |t| t.weight * MIN_SHARE_OF_TOP);
        top.retain(|t| t.weight >= floor);
        top.truncate(self.header.top_words as usize);
        top
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn alphabetic_fast_path_agrees() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(
                super::is_alphabetic(c),
                c.is_alphabetic(),
                "U+{:04X}",
                c as u32
            );
        }
    }
}

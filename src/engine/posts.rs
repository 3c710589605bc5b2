//! The post-level model as a part of the scan: every block (post) is
//! scored on the folded text the scan already made; a post over its
//! script's threshold becomes findings of kind `model`, one per word that
//! weighed most, all with the post's probability as score.
//!
//! Cost: the model's own (a few hashes per character), once per block.

use super::findings::{Finding, FindingKind};
use super::scantext::ScanText;
use super::work::Work;
use crate::model::{Features, Model};

/// The model with the engine's rule index for its findings.
pub(crate) struct Posts {
    pub(crate) model: Model,
    pub(crate) rule: u32,
}

impl Posts {
    /// Scores every block; findings of posts over the threshold go to `out`.
    pub(crate) fn scan(&self, t: &ScanText, out: &mut Vec<Finding>, work: &mut Work) {
        let ftext = t.ftext();
        let mut scratch = Features::default();
        for (bi, (fs, fe)) in t.folded_ranges().into_iter().enumerate() {
            let folded = ftext.get(fs..fe).unwrap_or("");
            if folded.trim().is_empty() {
                continue;
            }
            let scored = self.model.score_folded(folded, &mut scratch);
            work.model_steps += scratch.occurrences.len() as u64;
            let Some(severity) = scored.severity else {
                continue;
            };
            let score = (scored.probability * 100.0).round().clamp(1.0, 100.0) as u8;
            for (rank, w) in scored.top.iter().enumerate() {
                let (s, e) = t.folded.span(fs + w.range.0, fs + w.range.1);
                out.push(Finding {
                    start: s,
                    end: e,
                    rule: self.rule,
                    pattern: rank as u32,
                    kind: FindingKind::Model,
                    severity,
                    score,
                    checksum: None,
                    block: bi as u32,
                    weight: (w.weight * 1000.0).round().max(0.0) as u32,
                    cue: None,
                    against: None,
                });
            }
        }
    }
}

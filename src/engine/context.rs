//! The block as context: severities adjusted by what else is in the same
//! block (post), context rules (a donation cue near a validated identifier)
//! added, and every finding scored.
//!
//! Cost: findings are sorted once and handled block by block. For a context
//! rule, the cues of a block are sorted by start with a running maximum of
//! their ends, so the nearest cue of each identifier is found by one binary
//! search (the nearest cue before it is the one ending last among those that
//! start before it; the nearest after it is the first that starts after it).
//! A post of 50,000 cues and identifiers costs about 50,000 log 50,000 steps.

use super::findings::{Finding, FindingKind};
use super::identifiers::IdHit;
use super::rules::Rules;
use super::work::{log2, Work};
use crate::ids::{Checksum, IdKind};
use crate::pack::{ContextSpec, Severity};
use std::collections::HashMap;

/// One context rule, compiled.
struct ContextEntry {
    rule: u32,
    kind: u16,
    targets: Vec<IdKind>,
    window: u32,
    escalate_with: Vec<String>,
}

/// The context rules of the engine.
#[derive(Default)]
pub(crate) struct Contexts {
    entries: Vec<ContextEntry>,
    /// Names of the kinds context rules produce, indexed by [`FindingKind::Context`].
    pub(crate) kinds: Vec<String>,
    /// For each cue rule: the entries that take it as a cue.
    cue_of: HashMap<u32, Vec<u32>>,
}

impl Contexts {
    /// Adds context rule `idx`; `local` resolves the pack's rule ids to
    /// engine indices (the pack was validated: every cue exists).
    pub(crate) fn add_rule(&mut self, idx: u32, spec: &ContextSpec, local: &HashMap<&str, u32>) {
        let kind = match self.kinds.iter().position(|k| *k == spec.kind) {
            Some(i) => i,
            None => {
                self.kinds.push(spec.kind.clone());
                self.kinds.len() - 1
            }
        };
        let entry = self.entries.len() as u32;
        for cue in spec.cues.iter().filter_map(|id| local.get(id.as_str())) {
            let list = self.cue_of.entry(*cue).or_default();
            if !list.contains(&entry) {
                list.push(entry);
            }
        }
        self.entries.push(ContextEntry {
            rule: idx,
            kind: kind as u16,
            targets: spec.targets.clone(),
            window: spec.window,
            escalate_with: spec.escalate_with.clone(),
        });
    }

    /// Number of context rules.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Adjusts severities per block, adds context findings, scores all, and
    /// leaves `out` sorted by start, longest first. `ids` are sorted by block.
    pub(crate) fn apply(
        &self,
        out: &mut Vec<Finding>,
        ids: &[IdHit],
        rules: &Rules,
        work: &mut Work,
    ) {
        sort_findings(out, work);
        let mut added = Vec::new();
        for (lo, hi) in block_ranges(out) {
            let block = out[lo].block;
            adjust_block(&mut out[lo..hi], rules, work);
            let a = ids.partition_point(|h| h.block < block);
            let b = ids.partition_point(|h| h.block <= block);
            work.context_steps += 2 * log2(ids.len());
            self.block_requests(&out[lo..hi], &ids[a..b], rules, &mut added, work);
        }
        out.extend(added);
        sort_findings(out, work);
        for (lo, hi) in block_ranges(out) {
            score_block(&mut out[lo..hi], rules, work);
        }
    }

    /// Context findings of one block: for each rule, each target identifier
    /// with a cue within the window. One finding per identifier and kind,
    /// the most severe (then the widest).
    fn block_requests(
        &self,
        found: &[Finding],
        ids: &[IdHit],
        rules: &Rules,
        added: &mut Vec<Finding>,
        work: &mut Work,
    ) {
        if ids.is_empty() {
            return;
        }
        // (entry, start, end) of every cue in the block; found is sorted by start.
        let mut cues: Vec<(u32, u32, u32)> = Vec::new();
        for f in found {
            if let Some(entries) = self.cue_of.get(&f.rule) {
                cues.extend(entries.iter().map(|&e| (e, f.start, f.end)));
            }
        }
        if cues.is_empty() {
            return;
        }
        cues.sort_unstable();
        work.context_steps += cues.len() as u64 * log2(cues.len());
        let mut categories: Vec<&str> = found
            .iter()
            .filter(|f| rules.rt(f.rule).standalone)
            .map(|f| rules.meta(f.rule).category.as_str())
            .collect();
        categories.sort_unstable();
        categories.dedup();
        work.context_steps += found.len() as u64 * log2(found.len());
        let mut hits: Vec<(Finding, (u32, u32))> = Vec::new();
        for group in cues.chunk_by(|a, b| a.0 == b.0) {
            let c = &self.entries[group[0].0 as usize];
            let near = NearestCue::new(group);
            let escalate = c
                .escalate_with
                .iter()
                .any(|cat| categories.binary_search(&cat.as_str()).is_ok());
            work.context_steps += c.escalate_with.len() as u64 * log2(categories.len());
            for h in ids.iter().filter(|h| c.targets.contains(&h.kind)) {
                work.context_steps += log2(group.len()) + c.targets.len() as u64;
                let Some((cs, ce)) = near.find(h.start, h.end, c.window) else {
                    continue;
                };
                let severity = if escalate {
                    Severity::Critical
                } else {
                    rules.meta(c.rule).severity
                };
                hits.push((
                    Finding {
                        start: h.start.min(cs),
                        end: h.end.max(ce),
                        rule: c.rule,
                        pattern: u32::MAX,
                        kind: FindingKind::Context(c.kind),
                        severity,
                        score: 0,
                        checksum: None,
                        block: h.block,
                        weight: 0,
                    },
                    (h.start, h.end),
                ));
            }
        }
        // Several context rules of one kind (a strong and a weak donation
        // request) may fire for the same identifier: the moderator gets one
        // finding, the most severe (then the widest).
        hits.sort_by(|(a, ta), (b, tb)| {
            (a.kind.index(), ta)
                .cmp(&(b.kind.index(), tb))
                .then(b.severity.cmp(&a.severity))
                .then((b.end - b.start).cmp(&(a.end - a.start)))
        });
        hits.dedup_by(|(a, ta), (b, tb)| a.kind == b.kind && ta == tb);
        work.context_steps += hits.len() as u64 * log2(hits.len());
        added.extend(hits.into_iter().map(|(f, _)| f));
    }
}

/// The cues of one context rule in one block, sorted by start, with the
/// cue that ends last among the first `i + 1` (ties: the later start).
struct NearestCue<'a> {
    cues: &'a [(u32, u32, u32)],
    last_ending: Vec<usize>,
}

impl<'a> NearestCue<'a> {
    fn new(cues: &'a [(u32, u32, u32)]) -> Self {
        let mut last_ending = Vec::with_capacity(cues.len());
        let mut best = 0;
        for (i, c) in cues.iter().enumerate() {
            if c.2 >= cues[best].2 {
                best = i;
            }
            last_ending.push(best);
        }
        NearestCue { cues, last_ending }
    }

    /// The span of the cue nearest to `[s, t)` if it is within `window`
    /// (0 when they touch or overlap); on a tie the cue after wins.
    fn find(&self, s: u32, t: u32, window: u32) -> Option<(u32, u32)> {
        let i = self.cues.partition_point(|c| c.1 < s);
        let before = i
            .checked_sub(1)
            .map(|j| self.cues[self.last_ending[j]])
            .map(|c| (s.saturating_sub(c.2), c));
        let after = self.cues.get(i).map(|&c| (c.1.saturating_sub(t), c));
        let best = match (before, after) {
            (Some(b), Some(a)) => Some(if a.0 <= b.0 { a } else { b }),
            (b, a) => b.or(a),
        };
        best.filter(|(gap, _)| *gap <= window)
            .map(|(_, c)| (c.1, c.2))
    }
}

/// Sorted by start, longest first, then rule: blocks come out contiguous
/// (a block's findings start inside it).
fn sort_findings(out: &mut [Finding], work: &mut Work) {
    out.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then(b.end.cmp(&a.end))
            .then(a.rule.cmp(&b.rule))
    });
    work.finding_steps += out.len() as u64 * log2(out.len());
}

/// `[lo, hi)` index ranges of each block's findings in sorted `out`.
fn block_ranges(out: &[Finding]) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut lo = 0;
    for i in 1..=out.len() {
        if i == out.len() || out[i].block != out[lo].block {
            ranges.push((lo, i));
            lo = i;
        }
    }
    ranges
}

/// Distinct rules of the standalone findings of one block, sorted.
fn distinct_rules(found: &[Finding], rules: &Rules, pick: impl Fn(&Finding) -> bool) -> Vec<u32> {
    let mut v: Vec<u32> = found
        .iter()
        .filter(|f| rules.rt(f.rule).standalone && pick(f))
        .map(|f| f.rule)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Bare mentions stay low unless a real signal is in the block; two or more
/// different strong rules in one block raise each other one level.
fn adjust_block(found: &mut [Finding], rules: &Rules, work: &mut Work) {
    work.finding_steps += 3 * found.len() as u64;
    let plain = |f: &Finding, min: Severity| {
        f.kind.is_textual() && !rules.rt(f.rule).mention && f.severity >= min
    };
    let signal = found
        .iter()
        .any(|f| rules.rt(f.rule).standalone && plain(f, Severity::Medium));
    let strong = distinct_rules(found, rules, |f| plain(f, Severity::High)).len() >= 2;
    for f in found.iter_mut() {
        let r = rules.rt(f.rule);
        if r.mention && !signal {
            f.severity = Severity::Low;
        } else if strong && f.kind.is_textual() && !r.mention {
            f.severity = f.severity.raised();
        }
    }
}

fn base_score(s: Severity) -> i32 {
    match s {
        Severity::Low => 25,
        Severity::Medium => 50,
        Severity::High => 75,
        Severity::Critical => 90,
    }
}

/// Scores: the severity's base, a little more for each other rule that hit
/// the same block, less when no checksum vouched for an identifier. The
/// model is an independent signal: it neither counts nor is rescored.
fn score_block(found: &mut [Finding], rules: &Rules, work: &mut Work) {
    work.finding_steps += 2 * found.len() as u64;
    let n = distinct_rules(found, rules, |f| f.kind != FindingKind::Model)
        .len()
        .max(1) as i32;
    // Model findings keep their calibrated probability as score.
    for f in found.iter_mut().filter(|f| f.kind != FindingKind::Model) {
        let mut score = base_score(f.severity) + (3 * (n - 1)).min(10);
        if f.checksum == Some(Checksum::Unchecked) {
            score -= 10;
        }
        f.score = score.clamp(1, 100) as u8;
    }
}

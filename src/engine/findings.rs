//! What a scan returns: [`Finding`]s, their flat encoding for the Wasm
//! boundary, and the collector every part of a scan pushes into.

use crate::ids::{Checksum, IdKind};
use crate::limits;
use crate::pack::Severity;
use std::collections::HashSet;

/// Numbers per finding in [`encode`]: start, end, rule, pattern, kind,
/// severity, score, checksum, block, weight.
pub const ENCODED_FIELDS: usize = 10;

/// Flattens findings into [`ENCODED_FIELDS`] numbers each, for the Wasm
/// boundary (one typed array instead of one object per finding): start, end,
/// rule, pattern (`u32::MAX`: none), kind index ([`FindingKind::index`]),
/// severity (0 low .. 3 critical), score, checksum (0 none, 1 valid, 2
/// unchecked), block, weight ([`Finding::weight`]).
pub fn encode(findings: &[Finding]) -> Vec<u32> {
    let mut out = Vec::with_capacity(findings.len() * ENCODED_FIELDS);
    for f in findings {
        out.extend_from_slice(&[
            f.start,
            f.end,
            f.rule,
            f.pattern,
            f.kind.index(),
            f.severity as u32,
            f.score as u32,
            match f.checksum {
                None => 0,
                Some(Checksum::Valid) => 1,
                Some(Checksum::Unchecked) => 2,
            },
            f.block,
            f.weight,
        ]);
    }
    out
}

/// What produced a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FindingKind {
    /// A keyword or phrase rule.
    Keyword,
    /// A regex rule.
    Regex,
    /// A validated payment identifier.
    Id(IdKind),
    /// A context rule; the index is into [`super::Engine::context_kinds`].
    Context(u16),
    /// One of the words that weighed most in a post the model scored over
    /// its threshold.
    Model,
}

impl FindingKind {
    /// A stable number: 0 keyword, 1 regex, 2 model, 3.. identifier kinds
    /// in [`IdKind::ALL`] order, then context kinds; [`super::Engine::kind_names`] lists them.
    pub fn index(self) -> u32 {
        match self {
            FindingKind::Keyword => 0,
            FindingKind::Regex => 1,
            FindingKind::Model => 2,
            FindingKind::Id(k) => 3 + k.index() as u32,
            FindingKind::Context(i) => 3 + IdKind::ALL.len() as u32 + i as u32,
        }
    }

    /// Keyword and regex findings: text that says something, as opposed to
    /// identifiers and combinations.
    pub fn is_textual(self) -> bool {
        matches!(self, FindingKind::Keyword | FindingKind::Regex)
    }
}

/// One thing found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Start, in UTF-16 code units of the original text.
    pub start: u32,
    /// End (exclusive), in UTF-16 code units of the original text.
    pub end: u32,
    /// Index of the rule ([`super::Engine::rule`]).
    pub rule: u32,
    /// Index of the matched pattern within the rule (`u32::MAX` when none).
    pub pattern: u32,
    /// What kind of finding it is.
    pub kind: FindingKind,
    /// Severity after the block's context was taken into account.
    pub severity: Severity,
    /// 1-100: how sure and how serious.
    pub score: u8,
    /// For identifiers: whether a checksum vouched for it.
    pub checksum: Option<Checksum>,
    /// Index of the block the finding is in.
    pub block: u32,
    /// Model words: the word's share of the post's score, in thousandths
    /// (0 for every other kind).
    pub weight: u32,
}

/// Findings of one scan, deduplicated by (rule, start, end) and capped at
/// [`limits::MAX_FINDINGS_PER_SCAN`].
#[derive(Default)]
pub(crate) struct Collector {
    pub(crate) out: Vec<Finding>,
    seen: HashSet<(u32, u32, u32)>,
}

impl Collector {
    /// Adds a finding unless the same rule already found the same span or
    /// the scan is full.
    pub(crate) fn push(&mut self, f: Finding) {
        if self.out.len() < limits::MAX_FINDINGS_PER_SCAN
            && self.seen.insert((f.rule, f.start, f.end))
        {
            self.out.push(f);
        }
    }
}

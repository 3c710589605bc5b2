//! What a scan returns: [`Finding`]s, their flat encoding for the Wasm
//! boundary, and the collector every part of a scan pushes into.

use crate::ids::{Checksum, IdKind};
use crate::limits;
use crate::pack::Severity;
use std::collections::HashSet;

/// Numbers per finding in [`encode`]: start, end, rule, pattern, kind,
/// severity, score, checksum, block, weight, then the cue (rule, start, end,
/// reach) and the negative context (rule, start, end) that explain it.
pub const ENCODED_FIELDS: usize = 17;

/// Flattens findings into [`ENCODED_FIELDS`] numbers each, for the Wasm
/// boundary (one typed array instead of one object per finding): start, end,
/// rule, pattern (`u32::MAX`: none), kind index ([`FindingKind::index`]),
/// severity (0 low .. 3 critical), score, checksum (0 none, 1 valid, 2
/// unchecked), block, weight ([`Finding::weight`]); cue rule (`u32::MAX`:
/// none), cue start, cue end, cue reach ([`CueReach::index`], 0 when no cue);
/// against rule (`u32::MAX`: none), against start, against end
/// ([`Finding::cue`], [`Finding::against`]).
pub fn encode(findings: &[Finding]) -> Vec<u32> {
    let mut out = Vec::with_capacity(findings.len() * ENCODED_FIELDS);
    let why = |w: Option<Why>| w.map_or([u32::MAX, 0, 0], |w| [w.rule, w.start, w.end]);
    for f in findings {
        let [cr, cs, ce] = why(f.cue.map(|(w, _)| w));
        let [ar, as_, ae] = why(f.against);
        let reach = f.cue.map_or(0, |(_, r)| r.index());
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
            cr,
            cs,
            ce,
            reach,
            ar,
            as_,
            ae,
        ]);
    }
    out
}

/// Another finding that explains this one: its rule and span (UTF-16 units).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Why {
    /// Index of the rule of the explaining finding ([`super::Engine::rule`]).
    pub rule: u32,
    /// Its start.
    pub start: u32,
    /// Its end (exclusive).
    pub end: u32,
}

/// How the cue of a context finding reached its identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CueReach {
    /// Within the rule's window.
    Near,
    /// A block cue: anywhere in the same block (a footer, "details below").
    Block,
    /// Through a list: the identifier is next to another one the cue reached.
    List,
}

impl CueReach {
    /// 1 near, 2 block, 3 list (0 in [`encode`] means no cue).
    pub fn index(self) -> u32 {
        match self {
            CueReach::Near => 1,
            CueReach::Block => 2,
            CueReach::List => 3,
        }
    }

    /// The name shown to moderators: `near`, `block`, `list`.
    pub fn as_str(self) -> &'static str {
        match self {
            CueReach::Near => "near",
            CueReach::Block => "block",
            CueReach::List => "list",
        }
    }
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

    /// A payment identifier.
    pub fn is_identifier(self) -> bool {
        matches!(self, FindingKind::Id(_))
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
    /// Context findings: the cue that made the finding, and how it reached
    /// the identifier. An identifier whose reading negative context
    /// cancelled: the cue that would have made it.
    pub cue: Option<(Why, CueReach)>,
    /// Negative context: on a context finding, what lowered it; on an
    /// identifier, what cancelled a context rule's reading of it ("CA:"
    /// next to a donation cue).
    pub against: Option<Why>,
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

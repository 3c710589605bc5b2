//! The block as context: severities adjusted by what else is in the same
//! block (post), context rules (a donation cue near a validated identifier)
//! added, and every finding scored.
//!
//! A context rule reads each target identifier of a block by the nearest of
//! its cues within the window, else the nearest of its block cues anywhere
//! in the block; with `list_gap`, an identifier next to one already read (a
//! list of addresses under one label) is read the same way. Negative
//! context (`unless`) then cancels or lowers a reading: a finding of the
//! named rules at least as near the identifier as the cue, or on the cue's
//! own words (`nearer`), within the window (`window`), or anywhere in the
//! block (`block`). A label right before the next identifier belongs to it
//! ("contract:" in "BTC: x contract: y"). Each context finding names its
//! cue (and how it reached), each cancelled reading leaves a note on the
//! identifier: the moderator's card says why.
//!
//! Cost: findings are sorted once and handled block by block. For a context
//! rule, the cues, block cues and each negative slot of a block are sorted
//! by start with a running maximum of their ends, so the nearest of each to
//! an identifier is found by one binary search (the nearest before it is the
//! one ending last among those that start before it; the nearest after it is
//! the first that starts after it). Lists are two passes over the targets.
//! A post of 50,000 cues and identifiers costs about 50,000 log 50,000 steps.

use super::findings::{CueReach, Finding, FindingKind, Why};
use super::identifiers::IdHit;
use super::rules::Rules;
use super::work::{log2, Work};
use crate::ids::{Checksum, IdKind};
use crate::pack::{ContextSpec, Severity, UnlessEffect, UnlessScope};
use std::collections::HashMap;

/// One context rule, compiled.
struct ContextEntry {
    rule: u32,
    kind: u16,
    targets: Vec<IdKind>,
    window: u32,
    escalate_with: Vec<String>,
    /// Targets this close to a target already read are read the same way (0: off).
    list_gap: u32,
    /// Scope and effect of each negative-context slot ([`Role::Unless`]).
    unless: Vec<(UnlessScope, UnlessEffect)>,
}

/// What the findings of a rule are to a context rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Role {
    /// A cue within the window.
    Cue,
    /// A cue anywhere in the block.
    BlockCue,
    /// Negative context, slot `k` of the rule's `unless`.
    Unless(u16),
}

/// The context rules of the engine.
#[derive(Default)]
pub(crate) struct Contexts {
    entries: Vec<ContextEntry>,
    /// Names of the kinds context rules produce, indexed by [`FindingKind::Context`].
    pub(crate) kinds: Vec<String>,
    /// For each rule: the (entry, role) pairs its findings play.
    roles: HashMap<u32, Vec<(u32, Role)>>,
}

impl Contexts {
    /// Adds context rule `idx`; `local` resolves the pack's rule ids to
    /// engine indices (the pack was validated: every reference exists).
    pub(crate) fn add_rule(&mut self, idx: u32, spec: &ContextSpec, local: &HashMap<&str, u32>) {
        let kind = match self.kinds.iter().position(|k| *k == spec.kind) {
            Some(i) => i,
            None => {
                self.kinds.push(spec.kind.clone());
                self.kinds.len() - 1
            }
        };
        let entry = self.entries.len() as u32;
        let mut play = |ids: &[String], role: Role| {
            for rule in ids.iter().filter_map(|id| local.get(id.as_str())) {
                let list = self.roles.entry(*rule).or_default();
                if !list.contains(&(entry, role)) {
                    list.push((entry, role));
                }
            }
        };
        play(&spec.cues, Role::Cue);
        play(&spec.block_cues, Role::BlockCue);
        for (k, u) in spec.unless.iter().enumerate() {
            play(&u.rules, Role::Unless(k as u16));
        }
        self.entries.push(ContextEntry {
            rule: idx,
            kind: kind as u16,
            targets: spec.targets.clone(),
            window: spec.window,
            escalate_with: spec.escalate_with.clone(),
            list_gap: spec.list_gap,
            unless: spec.unless.iter().map(|u| (u.scope, u.effect)).collect(),
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
            let cancels = self.block_requests(&out[lo..hi], &ids[a..b], rules, &mut added, work);
            annotate(&mut out[lo..hi], &cancels, work);
        }
        out.extend(added);
        sort_findings(out, work);
        for (lo, hi) in block_ranges(out) {
            score_block(&mut out[lo..hi], rules, work);
        }
    }

    /// Context findings of one block: for each rule, each target identifier
    /// with a cue within the window (or a block cue anywhere in the block, or
    /// a neighbour in a list that was read), unless negative context cancels
    /// it. One finding per identifier and kind, the most severe (then the
    /// widest). Returns the readings that negative context cancelled.
    fn block_requests(
        &self,
        found: &[Finding],
        ids: &[IdHit],
        rules: &Rules,
        added: &mut Vec<Finding>,
        work: &mut Work,
    ) -> Vec<Cancel> {
        if ids.is_empty() {
            return Vec::new();
        }
        // What each finding of the block is to each context rule; `found`
        // is sorted by start, so each (entry, role) run comes out sorted.
        let mut marks: Vec<Mark> = Vec::new();
        for f in found {
            if let Some(roles) = self.roles.get(&f.rule) {
                marks.extend(roles.iter().map(|&(entry, role)| Mark {
                    entry,
                    role,
                    start: f.start,
                    end: f.end,
                    rule: f.rule,
                }));
            }
        }
        let mut entries: Vec<u32> = marks
            .iter()
            .filter(|m| !matches!(m.role, Role::Unless(_)))
            .map(|m| m.entry)
            .collect();
        if entries.is_empty() {
            return Vec::new();
        }
        marks.sort_unstable();
        entries.sort_unstable();
        entries.dedup();
        work.context_steps += (marks.len() + entries.len()) as u64 * log2(marks.len());
        let mut categories: Vec<&str> = found
            .iter()
            .filter(|f| rules.rt(f.rule).standalone)
            .map(|f| rules.meta(f.rule).category.as_str())
            .collect();
        categories.sort_unstable();
        categories.dedup();
        work.context_steps += found.len() as u64 * log2(found.len());
        let mut hits: Vec<(Finding, (u32, u32))> = Vec::new();
        let mut cancels = Vec::new();
        for e in entries {
            let c = &self.entries[e as usize];
            let escalate = c
                .escalate_with
                .iter()
                .any(|cat| categories.binary_search(&cat.as_str()).is_ok());
            work.context_steps += c.escalate_with.len() as u64 * log2(categories.len());
            let readings = EntryReadings::new(c, e, &marks, ids, work);
            let base = rules.meta(c.rule).severity;
            readings.emit(c, base, escalate, &mut hits, &mut cancels);
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
        // A reading one rule cancelled is not news when another rule of the
        // same kind made it anyway.
        cancels.sort_unstable_by_key(|c: &Cancel| (c.kind, c.start, c.end));
        cancels.dedup_by_key(|c| (c.kind, c.start, c.end));
        cancels.retain(|c| {
            let key = (FindingKind::Context(c.kind).index(), (c.start, c.end));
            hits.binary_search_by(|(f, t)| (f.kind.index(), *t).cmp(&key))
                .is_err()
        });
        work.context_steps += cancels.len() as u64 * (log2(cancels.len()) + log2(hits.len()));
        added.extend(hits.into_iter().map(|(f, _)| f));
        cancels
    }
}

/// A finding of the block as one context rule sees it: a cue, a block cue
/// or negative context. Sorted by entry, role, then start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Mark {
    entry: u32,
    role: Role,
    start: u32,
    end: u32,
    rule: u32,
}

impl Mark {
    fn why(self) -> Why {
        Why {
            rule: self.rule,
            start: self.start,
            end: self.end,
        }
    }
}

/// The marks of one entry and role (a run of the sorted marks).
fn run(marks: &[Mark], entry: u32, role: Role) -> &[Mark] {
    let lo = marks.partition_point(|m| (m.entry, m.role) < (entry, role));
    let hi = marks.partition_point(|m| (m.entry, m.role) <= (entry, role));
    &marks[lo..hi]
}

/// A context rule's reading of an identifier that negative context cancelled.
#[derive(Debug, Clone, Copy)]
struct Cancel {
    kind: u16,
    start: u32,
    end: u32,
    cue: (Why, CueReach),
    against: Why,
}

/// How one context rule reads one target.
#[derive(Debug, Clone, Copy)]
enum Reading {
    /// No cue reached it.
    Unread,
    /// A cue reached it; `against` lowered it.
    Read {
        cue: Mark,
        reach: CueReach,
        against: Option<Mark>,
    },
    /// A cue reached it and negative context cancelled the reading.
    Cancelled {
        cue: Mark,
        reach: CueReach,
        against: Mark,
    },
}

/// What negative context says of a reading.
enum Verdict {
    Keep,
    Lower(Mark),
    Cancel(Mark),
}

/// A target identifier with the identifiers around it (any kind).
#[derive(Clone, Copy)]
struct Target<'a> {
    hit: &'a IdHit,
    /// End of the identifier before it.
    prev: Option<u32>,
    /// Start of the identifier after it.
    next: Option<u32>,
}

impl Target<'_> {
    /// Whether another identifier lies between this one and `cue`: the cue
    /// heads a list rather than stands next to this entry.
    fn across_list(&self, cue: &Mark) -> bool {
        (cue.end <= self.hit.start && self.prev.is_some_and(|p| p > cue.end))
            || (cue.start >= self.hit.end && self.next.is_some_and(|n| n < cue.start))
    }
}

/// One context rule's readings of the target identifiers of one block.
struct EntryReadings<'a> {
    targets: Vec<Target<'a>>,
    readings: Vec<Reading>,
}

impl<'a> EntryReadings<'a> {
    /// Reads every target: the nearest cue within the window, else the
    /// nearest block cue; then lists; each reading judged by the negative
    /// context. Binary searches only: no loop over the block's findings.
    fn new(
        c: &ContextEntry,
        e: u32,
        marks: &[Mark],
        ids: &'a [IdHit],
        work: &mut Work,
    ) -> EntryReadings<'a> {
        let near = NearestCue::new(run(marks, e, Role::Cue));
        let far = NearestCue::new(run(marks, e, Role::BlockCue));
        let negs: Vec<NearestCue> = (0..c.unless.len())
            .map(|k| NearestCue::new(run(marks, e, Role::Unless(k as u16))))
            .collect();
        let targets: Vec<Target> = ids
            .iter()
            .enumerate()
            .filter(|(_, h)| c.targets.contains(&h.kind))
            .map(|(i, hit)| Target {
                hit,
                prev: i.checked_sub(1).map(|p| ids[p].end),
                next: ids.get(i + 1).map(|n| n.start),
            })
            .collect();
        work.context_steps += ids.len() as u64 * c.targets.len() as u64;
        let judge = Judge { c, negs: &negs };
        let mut readings = vec![Reading::Unread; targets.len()];
        for (i, t) in targets.iter().enumerate() {
            let (h, next) = (t.hit, t.next);
            work.context_steps += log2(near.len()) + log2(far.len());
            let cue = near
                .find(h.start, h.end, c.window, next)
                .map(|(gap, m)| {
                    let reach = if t.across_list(&m) {
                        CueReach::List
                    } else {
                        CueReach::Near
                    };
                    (gap, m, reach)
                })
                .or_else(|| {
                    far.find(h.start, h.end, u32::MAX, next)
                        .map(|(gap, m)| (gap, m, CueReach::Block))
                });
            if let Some((gap, cue, reach)) = cue {
                let verdict = judge.verdict((h, next), gap, (cue.start, cue.end), work);
                readings[i] = Reading::settle(cue, reach, verdict);
            }
        }
        let mut me = EntryReadings { targets, readings };
        if c.list_gap > 0 {
            let n = me.targets.len();
            for i in 1..n {
                me.chain(i, i - 1, c.list_gap, &judge, work);
            }
            for i in (0..n.saturating_sub(1)).rev() {
                me.chain(i, i + 1, c.list_gap, &judge, work);
            }
        }
        me
    }

    /// Target `i`, unread, next to target `from` (read) within `list_gap`:
    /// read through the list, `from` standing for the cue it is judged against.
    fn chain(&mut self, i: usize, from: usize, list_gap: u32, judge: &Judge, work: &mut Work) {
        let Reading::Read { cue, .. } = self.readings[from] else {
            return;
        };
        if !matches!(self.readings[i], Reading::Unread) {
            return;
        }
        let (a, b, next) = (
            self.targets[from].hit,
            self.targets[i].hit,
            self.targets[i].next,
        );
        let gap = if from < i {
            b.start.saturating_sub(a.end)
        } else {
            a.start.saturating_sub(b.end)
        };
        if gap > list_gap {
            return;
        }
        let verdict = judge.verdict((b, next), gap, (a.start, a.end), work);
        self.readings[i] = Reading::settle(cue, CueReach::List, verdict);
    }

    /// The rule's findings (with the identifier's span, for merging rules
    /// of one kind) and its cancelled readings.
    fn emit(
        &self,
        c: &ContextEntry,
        base: Severity,
        escalate: bool,
        hits: &mut Vec<(Finding, (u32, u32))>,
        cancels: &mut Vec<Cancel>,
    ) {
        for (t, r) in self.targets.iter().zip(&self.readings) {
            let h = t.hit;
            match *r {
                Reading::Unread => {}
                Reading::Cancelled {
                    cue,
                    reach,
                    against,
                } => cancels.push(Cancel {
                    kind: c.kind,
                    start: h.start,
                    end: h.end,
                    cue: (cue.why(), reach),
                    against: against.why(),
                }),
                Reading::Read {
                    cue,
                    reach,
                    against,
                } => {
                    // A cue next to the identifier is part of the highlight;
                    // a far one (a block cue, a list's label) is named in
                    // the explanation only.
                    let (start, end) = match reach {
                        CueReach::Near => (h.start.min(cue.start), h.end.max(cue.end)),
                        _ => (h.start, h.end),
                    };
                    let severity = match against {
                        Some(_) => base.lowered(),
                        None if escalate => Severity::Critical,
                        None => base,
                    };
                    hits.push((
                        Finding {
                            start,
                            end,
                            rule: c.rule,
                            pattern: u32::MAX,
                            kind: FindingKind::Context(c.kind),
                            severity,
                            score: 0,
                            checksum: None,
                            block: h.block,
                            weight: 0,
                            cue: Some((cue.why(), reach)),
                            against: against.map(Mark::why),
                        },
                        (h.start, h.end),
                    ));
                }
            }
        }
    }
}

impl Reading {
    fn settle(cue: Mark, reach: CueReach, verdict: Verdict) -> Reading {
        match verdict {
            Verdict::Keep => Reading::Read {
                cue,
                reach,
                against: None,
            },
            Verdict::Lower(m) => Reading::Read {
                cue,
                reach,
                against: Some(m),
            },
            Verdict::Cancel(m) => Reading::Cancelled {
                cue,
                reach,
                against: m,
            },
        }
    }
}

/// The negative context of one context rule in one block.
struct Judge<'a, 'm> {
    c: &'a ContextEntry,
    negs: &'a [NearestCue<'m>],
}

impl Judge<'_, '_> {
    /// What the negative context says of reading target `h` (followed by
    /// an identifier at `next`) by a cue at `cue`, `gap` units away. A
    /// cancel wins over a lowering.
    fn verdict(
        &self,
        (h, next): (&IdHit, Option<u32>),
        gap: u32,
        cue: (u32, u32),
        work: &mut Work,
    ) -> Verdict {
        let mut lowered = None;
        for (&(scope, effect), n) in self.c.unless.iter().zip(self.negs) {
            if n.is_empty() {
                continue;
            }
            work.context_steps += 2 * log2(n.len());
            let hit = match scope {
                UnlessScope::Block => n.find(h.start, h.end, u32::MAX, None),
                UnlessScope::Window => n.find(h.start, h.end, self.c.window, None),
                // At least as near the target as the cue, or on the cue's
                // own words or the word next to them ("do NOT send" around
                // "send", "fake support").
                UnlessScope::Nearer => n
                    .find(h.start, h.end, self.c.window, next)
                    .filter(|(g, _)| *g <= gap)
                    .or_else(|| n.find(cue.0, cue.1, NEXT_WORD, None)),
            };
            match (hit, effect) {
                (None, _) => {}
                (Some((_, m)), UnlessEffect::Cancel) => return Verdict::Cancel(m),
                (Some((_, m)), UnlessEffect::Lower) => {
                    lowered.get_or_insert(m);
                }
            }
        }
        lowered.map_or(Verdict::Keep, Verdict::Lower)
    }
}

/// Most findings looked at for one cancelled reading (those that start and
/// end where the identifier does): the note is an explanation, and a
/// hostile pack could stack any number of rules on one span.
const ANNOTATE_SCAN: usize = 32;

/// Notes on the identifier findings of a block why a context rule did not
/// read them as its kind ("CA:" next to a donation cue). `found` is sorted
/// by start, longest first.
fn annotate(found: &mut [Finding], cancels: &[Cancel], work: &mut Work) {
    for c in cancels {
        let i = found.partition_point(|f| {
            (f.start, std::cmp::Reverse(f.end)) < (c.start, std::cmp::Reverse(c.end))
        });
        work.context_steps += log2(found.len()) + ANNOTATE_SCAN as u64;
        for f in found[i..].iter_mut().take(ANNOTATE_SCAN) {
            if (f.start, f.end) != (c.start, c.end) {
                break;
            }
            if matches!(f.kind, FindingKind::Id(_)) && f.against.is_none() {
                f.against = Some(c.against);
                f.cue = Some(c.cue);
            }
        }
    }
}

/// The marks of one context rule and role in one block, sorted by start,
/// with the mark that ends last among the first `i + 1` (ties: the later
/// start).
struct NearestCue<'a> {
    cues: &'a [Mark],
    last_ending: Vec<usize>,
}

impl<'a> NearestCue<'a> {
    fn new(cues: &'a [Mark]) -> Self {
        let mut last_ending = Vec::with_capacity(cues.len());
        let mut best = 0;
        for (i, c) in cues.iter().enumerate() {
            if c.end >= cues[best].end {
                best = i;
            }
            last_ending.push(best);
        }
        NearestCue { cues, last_ending }
    }

    fn len(&self) -> usize {
        self.cues.len()
    }

    fn is_empty(&self) -> bool {
        self.cues.is_empty()
    }

    /// The mark nearest to `[s, t)` if it is within `window`, with its gap
    /// (0 when they touch or overlap); on a tie the mark after wins. A mark
    /// after the target that ends right before the next identifier (at
    /// `next`) is that identifier's label ("contract:" in "BTC: x
    /// contract: y"), not words about this one, and is passed over.
    fn find(&self, s: u32, t: u32, window: u32, next: Option<u32>) -> Option<(u32, Mark)> {
        let i = self.cues.partition_point(|c| c.start < s);
        let before = i
            .checked_sub(1)
            .map(|j| self.cues[self.last_ending[j]])
            .map(|c| (s.saturating_sub(c.end), c));
        let labels_next =
            |c: &Mark| next.is_some_and(|n| c.start >= t && c.end <= n && n - c.end <= LABEL_GAP);
        let after = self
            .cues
            .get(i)
            .filter(|c| !labels_next(c))
            .map(|&c| (c.start.saturating_sub(t), c));
        let best = match (before, after) {
            (Some(b), Some(a)) => Some(if a.0 <= b.0 { a } else { b }),
            (b, a) => b.or(a),
        };
        best.filter(|(gap, _)| *gap <= window)
    }
}

/// Most UTF-16 units between a label and the identifier it names (": ").
const LABEL_GAP: u32 = 3;

/// Most UTF-16 units between a cue and a negative word read with it
/// ("fake support": one space).
const NEXT_WORD: u32 = 1;

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

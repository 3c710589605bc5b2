//! The engine: compiled packs and `scan()`.
//!
//! [`Engine::new`] compiles the keyword and phrase patterns of every pack into
//! one Aho-Corasick automaton over folded text (see [`crate::normalize`]), the
//! regex rules through the `regex` crate with the limits of [`crate::limits`],
//! and remembers identifier and context rules. [`Engine::scan`] folds the text
//! once, runs the automaton once (whatever the number of patterns), checks word
//! boundaries itself (Unicode-aware, with Arabic clitic prefixes and stems),
//! runs the regexes, finds payment identifiers block by block, and then
//! combines findings per block: severity raised when several distinct
//! high-signal rules hit one block, lowered for bare mentions, and context
//! rules (a donation cue near a validated identifier) added.
//!
//! Offsets in and out are UTF-16 code units of the original text, as the DOM
//! counts them. No finding crosses a block boundary.
//!
//! # Cost
//! Folding and the automaton are linear in the text; regexes are linear too
//! (the `regex` crate guarantees it), each one a pass over the text, so keep
//! regex rules few. Identifier candidates are found by cheap byte scanning.

mod regexes;
mod text;

use crate::ids::{self, Checksum, IdKind};
use crate::limits;
use crate::normalize::{self, is_word_char};
use crate::pack::{Loc, Pack, PackError, PackErrors, RuleKind, Severity};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::collections::{HashMap, HashSet};

pub use text::Utf16Index;

/// Numbers per finding in [`encode`]: start, end, rule, pattern, kind,
/// severity, score, checksum.
pub const ENCODED_FIELDS: usize = 8;

/// Flattens findings into [`ENCODED_FIELDS`] numbers each, for the Wasm
/// boundary (one typed array instead of one object per finding): start, end,
/// rule, pattern (`u32::MAX`: none), kind index ([`FindingKind::index`]),
/// severity (0 low .. 3 critical), score, checksum (0 none, 1 valid, 2 unchecked).
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
    /// A context rule; the index is into [`Engine::context_kinds`].
    Context(u16),
}

impl FindingKind {
    /// A stable number: 0 keyword, 1 regex, 2.. identifier kinds in
    /// [`IdKind::ALL`] order, then context kinds; [`Engine::kind_names`] lists them.
    pub fn index(self) -> u32 {
        match self {
            FindingKind::Keyword => 0,
            FindingKind::Regex => 1,
            FindingKind::Id(k) => 2 + IdKind::ALL.iter().position(|x| *x == k).unwrap_or(0) as u32,
            FindingKind::Context(i) => 2 + IdKind::ALL.len() as u32 + i as u32,
        }
    }
}

/// One thing found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Start, in UTF-16 code units of the original text.
    pub start: u32,
    /// End (exclusive), in UTF-16 code units of the original text.
    pub end: u32,
    /// Index of the rule ([`Engine::rule`]).
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
}

/// What a moderator is told about a rule.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RuleMeta {
    /// The rule's id (unique within its pack).
    pub id: String,
    /// The pack's id.
    pub pack: String,
    /// The pack's name.
    pub pack_name: String,
    /// The pack's version.
    pub pack_version: String,
    /// Category.
    pub category: String,
    /// Base severity.
    pub severity: Severity,
    /// Rule kind.
    pub kind: RuleKind,
    /// Why the rule exists.
    pub description: String,
    /// Patterns as written in the pack.
    pub patterns: Vec<String>,
    /// Marked as a bare mention.
    pub mention: bool,
    /// Reported on its own (false: only a cue or target of context rules).
    pub standalone: bool,
}

/// A rule example that did not behave as its pack says.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExampleFailure {
    /// Pack id.
    pub pack: String,
    /// Rule id.
    pub rule: String,
    /// Where the rule is in its pack's source.
    pub loc: Loc,
    /// The example text.
    pub example: String,
    /// True for a `match` example that was not found, false for a `no_match` that was.
    pub expected_match: bool,
}

#[derive(Debug, Clone)]
struct AcEntry {
    rule: u32,
    pattern: u32,
    stem: bool,
    /// Pattern starts with an Arabic letter: clitic prefixes may precede it.
    arabic: bool,
    /// Variant of an `ال...` pattern with the article dropped after `ل` (للدولة).
    needs_lam: bool,
    /// First and last chars of the folded pattern are word chars.
    word_start: bool,
    word_end: bool,
}

struct RegexEntry {
    rule: u32,
    pattern: u32,
    re: regex_automata::meta::Regex,
    hir: regex_syntax::hir::Hir,
    folded: bool,
}

/// The regexes that run on one kind of text (folded or original), with the
/// set that says, block by block, which of them can match at all.
struct RegexGroup {
    members: Vec<usize>,
    gate: Option<regex_automata::meta::Regex>,
}

impl RegexGroup {
    fn new(regexes: &[RegexEntry], folded: bool) -> RegexGroup {
        let members: Vec<usize> = (0..regexes.len())
            .filter(|&i| regexes[i].folded == folded)
            .collect();
        let hirs: Vec<&regex_syntax::hir::Hir> = members.iter().map(|&i| &regexes[i].hir).collect();
        RegexGroup {
            gate: regexes::gate(&hirs),
            members,
        }
    }
}

struct ContextEntry {
    rule: u32,
    kind: u16,
    cues: Vec<u32>,
    targets: Vec<IdKind>,
    window: u32,
    escalate_with: Vec<String>,
}

struct RuleRt {
    whole_word: bool,
    stem_max: u32,
    except: HashSet<String>,
    case_sensitive: bool,
    clitics: bool,
    mention: bool,
    standalone: bool,
    id_kinds: Vec<IdKind>,
}

/// Compiled packs, ready to scan. Build once, scan many times.
pub struct Engine {
    meta: Vec<RuleMeta>,
    rt: Vec<RuleRt>,
    examples: Vec<(crate::pack::Examples, Loc)>,
    ac: Option<AhoCorasick>,
    ac_entries: Vec<AcEntry>,
    regexes: Vec<RegexEntry>,
    folded_regexes: RegexGroup,
    original_regexes: RegexGroup,
    id_rules: Vec<u32>,
    contexts: Vec<ContextEntry>,
    context_kinds: Vec<String>,
    needs_ids: bool,
    clitic_prefixes: HashSet<String>,
    lam_prefixes: HashSet<String>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("rules", &self.meta.len())
            .field("keywords", &self.ac_entries.len())
            .field("regexes", &self.regexes.len())
            .finish()
    }
}

/// Arabic letters: clitic prefixes are only looked for before Arabic patterns.
fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}')
}

thread_local! {
    /// Folding buffers reused across scans on this thread.
    static SCRATCH: std::cell::Cell<normalize::Folded> = std::cell::Cell::new(normalize::Folded::new());
}

/// Folded texts up to this size keep their buffers for the next scan.
const SCRATCH_KEEP_BYTES: usize = 16 << 20;

/// Longest span a cue can have (UTF-16 units) for the context search: a cue
/// is a keyword or regex match, bounded by the pattern limits.
const CUE_REACH: u32 = 4_096;

fn base_score(s: Severity) -> i32 {
    match s {
        Severity::Low => 25,
        Severity::Medium => 50,
        Severity::High => 75,
        Severity::Critical => 90,
    }
}

impl Engine {
    /// Compiles packs into an engine. Fails with every error located when a
    /// pack cannot be compiled (duplicate pack ids, too many patterns, a regex
    /// over the limits).
    pub fn new(packs: &[Pack]) -> Result<Engine, PackErrors> {
        let mut errors = Vec::new();
        let mut meta = Vec::new();
        let mut rt = Vec::new();
        let mut examples = Vec::new();
        let mut ac_patterns: Vec<String> = Vec::new();
        let mut ac_entries = Vec::new();
        let mut regexes = Vec::new();
        let mut id_rules = Vec::new();
        let mut contexts = Vec::new();
        let mut context_kinds: Vec<String> = Vec::new();
        let mut pack_ids = HashSet::new();
        let mut regex_count = 0usize;
        let art = normalize::fold_pattern("ال");

        for pack in packs {
            let err = |path: String, loc: Loc, rule: Option<&str>, reason: String| PackError {
                source: pack.source.clone(),
                loc,
                path,
                rule_id: rule.map(str::to_string),
                reason,
            };
            if !pack_ids.insert(pack.id.clone()) {
                errors.push(err(
                    "id".into(),
                    Loc::default(),
                    None,
                    format!("another pack already has the id {:?}", pack.id),
                ));
                continue;
            }
            let first_rule = meta.len() as u32;
            let local: HashMap<&str, u32> = pack
                .rules
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id.as_str(), first_rule + i as u32))
                .collect();
            for (ri, rule) in pack.rules.iter().enumerate() {
                let idx = first_rule + ri as u32;
                let o = &rule.options;
                meta.push(RuleMeta {
                    id: rule.id.clone(),
                    pack: pack.id.clone(),
                    pack_name: pack.name.clone(),
                    pack_version: pack.version.clone(),
                    category: rule.category.clone(),
                    severity: rule.severity,
                    kind: rule.kind,
                    description: rule.description.clone(),
                    patterns: rule.patterns.clone(),
                    mention: o.mention,
                    standalone: o.standalone,
                });
                examples.push((rule.examples.clone(), rule.loc));
                let mut id_kinds = Vec::new();
                match rule.kind {
                    RuleKind::Keyword => {
                        for (pi, p) in rule.patterns.iter().enumerate() {
                            let (body, star) = match p.strip_suffix('*') {
                                Some(b) => (b, true),
                                None => (p.as_str(), false),
                            };
                            let folded = normalize::fold_pattern(body).trim().to_string();
                            let Some(first) = folded.chars().next() else {
                                continue;
                            };
                            let last = folded.chars().last().unwrap_or(first);
                            let entry = AcEntry {
                                rule: idx,
                                pattern: pi as u32,
                                stem: star || o.stem,
                                arabic: is_arabic(first),
                                needs_lam: false,
                                word_start: is_word_char(first),
                                word_end: is_word_char(last),
                            };
                            if entry.arabic && o.clitics && o.whole_word {
                                if let Some(rest) = folded.strip_prefix(art.as_str()) {
                                    if rest.chars().next().is_some_and(is_word_char) {
                                        ac_patterns.push(rest.to_string());
                                        ac_entries.push(AcEntry {
                                            needs_lam: true,
                                            ..entry.clone()
                                        });
                                    }
                                }
                            }
                            ac_patterns.push(folded);
                            ac_entries.push(entry);
                        }
                    }
                    RuleKind::Regex => {
                        for (pi, p) in rule.patterns.iter().enumerate() {
                            regex_count += 1;
                            let loc = rule.pattern_locs.get(pi).copied().unwrap_or(rule.loc);
                            let path = format!("rules[{ri}].patterns[{pi}]");
                            if regex_count > limits::MAX_REGEXES {
                                errors.push(err(
                                    path,
                                    loc,
                                    Some(&rule.id),
                                    format!(
                                        "more than {} regex patterns in all packs",
                                        limits::MAX_REGEXES
                                    ),
                                ));
                                continue;
                            }
                            match regexes::compile(p, o.fold, !o.case_sensitive) {
                                Ok(c) => regexes.push(RegexEntry {
                                    rule: idx,
                                    pattern: pi as u32,
                                    re: c.re,
                                    hir: c.hir,
                                    folded: o.fold,
                                }),
                                Err(e) => errors.push(err(path, loc, Some(&rule.id), e)),
                            }
                        }
                    }
                    RuleKind::Identifier => {
                        id_kinds = rule
                            .patterns
                            .iter()
                            .filter_map(|p| IdKind::parse(p))
                            .collect();
                        id_rules.push(idx);
                    }
                    RuleKind::Context => {
                        if let Some(c) = &rule.context {
                            let kind = match context_kinds.iter().position(|k| *k == c.kind) {
                                Some(i) => i,
                                None => {
                                    context_kinds.push(c.kind.clone());
                                    context_kinds.len() - 1
                                }
                            };
                            contexts.push(ContextEntry {
                                rule: idx,
                                kind: kind as u16,
                                cues: c
                                    .cues
                                    .iter()
                                    .filter_map(|id| local.get(id.as_str()).copied())
                                    .collect(),
                                targets: c.targets.clone(),
                                window: c.window,
                                escalate_with: c.escalate_with.clone(),
                            });
                        }
                    }
                }
                rt.push(RuleRt {
                    whole_word: o.whole_word,
                    stem_max: o.stem_max,
                    except: o
                        .except
                        .iter()
                        .map(|w| normalize::fold_pattern(w).trim().to_string())
                        .collect(),
                    case_sensitive: o.case_sensitive,
                    clitics: o.clitics,
                    mention: o.mention,
                    standalone: o.standalone || rule.kind == RuleKind::Context,
                    id_kinds,
                });
            }
        }
        if ac_patterns.len() > limits::MAX_KEYWORDS {
            errors.push(PackError {
                source: String::new(),
                loc: Loc::default(),
                path: String::new(),
                rule_id: None,
                reason: format!(
                    "{} keyword patterns in all packs, over the limit of {}",
                    ac_patterns.len(),
                    limits::MAX_KEYWORDS
                ),
            });
        }
        if !errors.is_empty() {
            return Err(PackErrors(errors));
        }
        let ac = if ac_patterns.is_empty() {
            None
        } else {
            // A DFA is about twice as fast as the contiguous NFA (measured here
            // on folded text: ~450 against ~210 MB/s) but its memory grows with
            // states x byte classes: ~9 MB for 1k generated keywords, ~43 MB for
            // 5k. Small sets get the DFA; larger ones the contiguous NFA (~1 MB
            // per 5k keywords, built in a few ms).
            let pattern_bytes: usize = ac_patterns.iter().map(String::len).sum();
            let kind = if pattern_bytes <= limits::AC_DFA_MAX_PATTERN_BYTES {
                Some(AhoCorasickKind::DFA)
            } else {
                Some(AhoCorasickKind::ContiguousNFA)
            };
            let built = AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(kind)
                .build(&ac_patterns)
                .or_else(|_| {
                    AhoCorasick::builder()
                        .match_kind(MatchKind::Standard)
                        .build(&ac_patterns)
                });
            match built {
                Ok(a) => Some(a),
                Err(e) => {
                    return Err(PackErrors(vec![PackError {
                        source: String::new(),
                        loc: Loc::default(),
                        path: String::new(),
                        rule_id: None,
                        reason: format!("the keyword automaton could not be built: {e}"),
                    }]))
                }
            }
        };
        let needs_ids = !id_rules.is_empty() || !contexts.is_empty();
        let mut clitic_prefixes = HashSet::new();
        for conj in ["", "و", "ف"] {
            for prep in ["", "ب", "ل", "ك"] {
                for article in ["", "ال"] {
                    let raw = if prep == "ل" && article == "ال" {
                        format!("{conj}لل")
                    } else {
                        format!("{conj}{prep}{article}")
                    };
                    if !raw.is_empty() {
                        clitic_prefixes.insert(normalize::fold_pattern(&raw));
                    }
                }
            }
        }
        let lam_prefixes = ["لل", "ولل", "فلل"]
            .iter()
            .map(|p| normalize::fold_pattern(p))
            .collect();
        Ok(Engine {
            meta,
            rt,
            examples,
            ac,
            ac_entries,
            folded_regexes: RegexGroup::new(&regexes, true),
            original_regexes: RegexGroup::new(&regexes, false),
            regexes,
            id_rules,
            contexts,
            context_kinds,
            needs_ids,
            clitic_prefixes,
            lam_prefixes,
        })
    }

    /// Parses, validates and compiles packs given as `(source name, JSON)`.
    pub fn from_json(sources: &[(&str, &str)]) -> Result<Engine, PackErrors> {
        let mut packs = Vec::new();
        let mut errors = Vec::new();
        for (name, src) in sources {
            match Pack::parse(src, name) {
                Ok(p) => packs.push(p),
                Err(e) => errors.extend(e.0),
            }
        }
        if !errors.is_empty() {
            return Err(PackErrors(errors));
        }
        Engine::new(&packs)
    }

    /// Metadata of every rule, indexed by [`Finding::rule`].
    pub fn rules(&self) -> &[RuleMeta] {
        &self.meta
    }

    /// Metadata of one rule.
    pub fn rule(&self, index: u32) -> Option<&RuleMeta> {
        self.meta.get(index as usize)
    }

    /// Names of the kinds produced by context rules, indexed by [`FindingKind::Context`].
    pub fn context_kinds(&self) -> &[String] {
        &self.context_kinds
    }

    /// Names of every finding kind, indexed by [`FindingKind::index`].
    pub fn kind_names(&self) -> Vec<&str> {
        let mut v = vec!["keyword", "regex"];
        v.extend(IdKind::ALL.iter().map(|k| k.as_str()));
        v.extend(self.context_kinds.iter().map(String::as_str));
        v
    }

    /// The name of a finding kind: `keyword`, `regex`, an identifier kind, or a context kind.
    pub fn kind_name(&self, kind: FindingKind) -> &str {
        match kind {
            FindingKind::Keyword => "keyword",
            FindingKind::Regex => "regex",
            FindingKind::Id(k) => k.as_str(),
            FindingKind::Context(i) => self
                .context_kinds
                .get(i as usize)
                .map_or("context", String::as_str),
        }
    }

    /// Number of keyword patterns in the automaton.
    pub fn keyword_count(&self) -> usize {
        self.ac_entries.len()
    }

    /// Bytes of heap the compiled automaton and regexes use (approximate).
    pub fn memory_usage(&self) -> usize {
        self.ac.as_ref().map_or(0, |a| a.memory_usage())
            + self.ac_entries.len() * std::mem::size_of::<AcEntry>()
            + self
                .meta
                .iter()
                .map(|m| m.patterns.iter().map(String::len).sum::<usize>())
                .sum::<usize>()
    }

    /// Scans `text`. `block_starts` are UTF-16 offsets where blocks (posts,
    /// comments, paragraphs) begin; `0` is implied. Findings are sorted by
    /// start, longest first.
    pub fn scan(&self, text: &str, block_starts: &[u32]) -> Vec<Finding> {
        let mut all = self.scan_all(text, block_starts);
        all.retain(|f| self.rt[f.rule as usize].standalone);
        all
    }

    /// Scan keeping the findings of non-standalone rules (cues, targets).
    fn scan_all(&self, text: &str, block_starts: &[u32]) -> Vec<Finding> {
        let mut blocks: Vec<u32> = block_starts.to_vec();
        blocks.sort_unstable();
        blocks.dedup();
        if blocks.first() != Some(&0) {
            blocks.insert(0, 0);
        }
        // The folded text and its map take 9 bytes per byte of text: reuse
        // one buffer per thread instead of allocating (and faulting in)
        // tens of megabytes on every scan of a big page.
        let mut folded = SCRATCH.with(|s| s.take());
        normalize::fold_into(&mut folded, text, &blocks);
        let out = self.scan_folded(text, &blocks, &folded);
        // A big page's buffers are not kept: the next scan may be small.
        if folded.len() <= SCRATCH_KEEP_BYTES {
            SCRATCH.with(|s| s.replace(folded));
        }
        out
    }

    fn scan_folded(&self, text: &str, blocks: &[u32], folded: &normalize::Folded) -> Vec<Finding> {
        let block_of = |pos: u32| -> u32 { (blocks.partition_point(|&b| b <= pos) - 1) as u32 };
        let same_block = |s: u32, e: u32| e <= s || block_of(s) == block_of(e - 1);
        let ftext = folded.as_str();
        let orig_index: std::cell::OnceCell<Utf16Index> = std::cell::OnceCell::new();
        let index = || orig_index.get_or_init(|| Utf16Index::new(text));
        let mut out: Vec<Finding> = Vec::new();
        let mut seen: HashSet<(u32, u32, u32)> = HashSet::new();
        let mut push = |out: &mut Vec<Finding>, f: Finding| {
            if out.len() < limits::MAX_FINDINGS_PER_SCAN && seen.insert((f.rule, f.start, f.end)) {
                out.push(f);
            }
        };

        // Keywords: one pass of the automaton over the folded text.
        if let Some(ac) = &self.ac {
            for m in ac.find_overlapping_iter(ftext) {
                let e = &self.ac_entries[m.pattern().as_usize()];
                let r = &self.rt[e.rule as usize];
                let Some((start, end)) = self.accept(ftext, m.start(), m.end(), e, r) else {
                    continue;
                };
                let (s, t) = folded.span(start, end);
                if !same_block(s, t) {
                    continue;
                }
                if r.case_sensitive && !self.case_agrees(text, index(), s, t, e) {
                    continue;
                }
                push(
                    &mut out,
                    self.textual(e.rule, e.pattern, FindingKind::Keyword, s, t, block_of(s)),
                );
            }
        }

        // Regexes. With a gate (a RegexSet of the group), one pass of the
        // set over each block says which regexes can match there, and only
        // those run, on that block: the cost no longer grows with the number
        // of regex rules times the text.
        let orig_ranges: std::cell::OnceCell<Vec<(usize, usize)>> = std::cell::OnceCell::new();
        let original_block_ranges = || {
            orig_ranges.get_or_init(|| {
                // The folder recorded where each block starts in the text;
                // only a start it did not break at needs the UTF-16 index.
                let starts: Vec<usize> = blocks
                    .iter()
                    .map(|&b| {
                        folded
                            .original_block_offset(b)
                            .unwrap_or_else(|| index().byte(b))
                    })
                    .collect();
                ranges_from(&starts, text.len())
            })
        };
        for (group, on_folded) in [
            (&self.folded_regexes, true),
            (&self.original_regexes, false),
        ] {
            if group.members.is_empty() {
                continue;
            }
            let hay_all = if on_folded { ftext } else { text };
            let mut patset = regex_automata::PatternSet::new(group.members.len());
            let whole = [(0, hay_all.len())];
            let folded_ranges;
            let ranges: &[(usize, usize)] = match (&group.gate, on_folded) {
                (None, _) => &whole,
                (Some(_), true) => {
                    folded_ranges = ranges_from(&folded.folded_offsets(blocks), ftext.len());
                    &folded_ranges
                }
                (Some(_), false) => original_block_ranges(),
            };
            for &(rs, re_end) in ranges {
                let Some(hay) = hay_all.get(rs..re_end) else {
                    continue;
                };
                let gated: Vec<usize>;
                let run: &[usize] = match &group.gate {
                    Some(set) => {
                        gated = regexes::gated(set, hay, &mut patset)
                            .into_iter()
                            .map(|i| group.members[i])
                            .collect();
                        &gated
                    }
                    None => &group.members,
                };
                for &ri in run {
                    let rx = &self.regexes[ri];
                    let r = &self.rt[rx.rule as usize];
                    for m in rx.re.find_iter(hay) {
                        let (ms, me) = (rs + m.start(), rs + m.end());
                        if ms == me {
                            continue;
                        }
                        if r.whole_word && !word_bounded(hay_all, ms, me) {
                            continue;
                        }
                        let (s, t) = if on_folded {
                            folded.span(ms, me)
                        } else {
                            (index().utf16(ms), index().utf16(me))
                        };
                        if !same_block(s, t) {
                            continue;
                        }
                        push(
                            &mut out,
                            self.textual(
                                rx.rule,
                                rx.pattern,
                                FindingKind::Regex,
                                s,
                                t,
                                block_of(s),
                            ),
                        );
                    }
                }
            }
        }

        // Payment identifiers, block by block on the original text.
        let mut id_found: Vec<(u32, u32, IdKind, Checksum, u32)> = Vec::new();
        if self.needs_ids {
            for (bi, &(bs, be)) in original_block_ranges().iter().enumerate() {
                let Some(slice) = text.get(bs..be) else {
                    continue;
                };
                // Identifiers are rare: count UTF-16 units from the block's
                // start for each, instead of indexing the whole text.
                let base = blocks.get(bi).copied().unwrap_or(0);
                let utf16 = |b: usize| {
                    base + slice
                        .get(..b)
                        .map_or(0, |p| p.encode_utf16().count() as u32)
                };
                for m in ids::scan(slice) {
                    id_found.push((utf16(m.start), utf16(m.end), m.kind, m.checksum, bi as u32));
                }
            }
            for &(s, t, kind, checksum, block) in &id_found {
                for &ri in &self.id_rules {
                    if self.rt[ri as usize].id_kinds.contains(&kind) {
                        push(
                            &mut out,
                            Finding {
                                start: s,
                                end: t,
                                rule: ri,
                                pattern: self.meta[ri as usize]
                                    .patterns
                                    .iter()
                                    .position(|p| p == kind.as_str())
                                    .map_or(u32::MAX, |p| p as u32),
                                kind: FindingKind::Id(kind),
                                severity: self.meta[ri as usize].severity,
                                score: 0,
                                checksum: Some(checksum),
                                block,
                            },
                        );
                    }
                }
            }
        }

        self.contextualize(&mut out, &id_found);
        out.sort_by(|a, b| {
            a.start
                .cmp(&b.start)
                .then(b.end.cmp(&a.end))
                .then(a.rule.cmp(&b.rule))
        });
        out
    }

    /// A keyword or regex finding at the rule's own severity (the block's
    /// context adjusts it later).
    fn textual(
        &self,
        rule: u32,
        pattern: u32,
        kind: FindingKind,
        start: u32,
        end: u32,
        block: u32,
    ) -> Finding {
        Finding {
            start,
            end,
            rule,
            pattern,
            kind,
            severity: self.meta[rule as usize].severity,
            score: 0,
            checksum: None,
            block,
        }
    }

    /// Checks word boundaries, clitics and stems for an automaton match at
    /// `[s, e)` of the folded text; returns the accepted span (widened to
    /// the whole word when a clitic prefix or a stem's ending is part of it).
    fn accept(
        &self,
        f: &str,
        s: usize,
        e: usize,
        entry: &AcEntry,
        r: &RuleRt,
    ) -> Option<(usize, usize)> {
        let mut start = s;
        let mut end = e;
        if r.whole_word && entry.word_start {
            let prev = f[..s].chars().next_back();
            if prev.is_some_and(is_word_char) {
                if !(entry.arabic && r.clitics) {
                    return None;
                }
                let ws = word_start(f, s);
                let prefix = &f[ws..s];
                let ok = if entry.needs_lam {
                    self.lam_prefixes.contains(prefix)
                } else {
                    self.clitic_prefixes.contains(prefix)
                };
                if !ok {
                    return None;
                }
                start = ws;
            } else if entry.needs_lam {
                return None;
            }
        }
        if entry.stem {
            let mut extra = 0u32;
            for (i, c) in f[e..].char_indices() {
                if !is_word_char(c) {
                    break;
                }
                extra += 1;
                end = e + i + c.len_utf8();
            }
            if extra > r.stem_max {
                return None;
            }
            if !r.except.is_empty() {
                let word = &f[word_start(f, s).min(s)..end];
                if r.except.contains(&f[s..end]) || r.except.contains(word) {
                    return None;
                }
            }
        } else if r.whole_word && entry.word_end && f[e..].chars().next().is_some_and(is_word_char)
        {
            return None;
        }
        Some((start, end))
    }

    /// For case-sensitive rules: do the letters of the original match have the
    /// pattern's case? Letters are compared one by one when both have the same
    /// number; otherwise (folding joined or dropped letters) the all-capitals
    /// shape of both is compared.
    fn case_agrees(&self, text: &str, idx: &Utf16Index, s: u32, t: u32, entry: &AcEntry) -> bool {
        let Some(orig) = text.get(idx.byte(s)..idx.byte(t)) else {
            return false;
        };
        let pat = &self.meta[entry.rule as usize].patterns[entry.pattern as usize];
        let pat = pat.strip_suffix('*').unwrap_or(pat);
        let a: Vec<bool> = orig
            .chars()
            .filter(|c| c.is_alphabetic())
            .map(char::is_uppercase)
            .collect();
        let b: Vec<bool> = pat
            .chars()
            .filter(|c| c.is_alphabetic())
            .map(char::is_uppercase)
            .collect();
        if a.len() >= b.len() && !b.is_empty() {
            a[..b.len()] == b[..]
        } else {
            a.iter().all(|&u| u) == b.iter().all(|&u| u)
        }
    }

    /// Adjusts severities and scores per block and adds context findings.
    fn contextualize(&self, out: &mut Vec<Finding>, ids: &[(u32, u32, IdKind, Checksum, u32)]) {
        // Per block: distinct high-signal rules, and whether any non-mention signal is there.
        let mut strong: HashMap<u32, HashSet<u32>> = HashMap::new();
        let mut signal: HashSet<u32> = HashSet::new();
        let mut distinct: HashMap<u32, HashSet<u32>> = HashMap::new();
        for f in out.iter() {
            let r = &self.rt[f.rule as usize];
            if !r.standalone {
                continue;
            }
            distinct.entry(f.block).or_default().insert(f.rule);
            let textual = matches!(f.kind, FindingKind::Keyword | FindingKind::Regex);
            if textual && !r.mention && f.severity >= Severity::Medium {
                signal.insert(f.block);
            }
            if textual && !r.mention && f.severity >= Severity::High {
                strong.entry(f.block).or_default().insert(f.rule);
            }
        }
        for f in out.iter_mut() {
            let r = &self.rt[f.rule as usize];
            let textual = matches!(f.kind, FindingKind::Keyword | FindingKind::Regex);
            if r.mention && !signal.contains(&f.block) {
                f.severity = Severity::Low;
            } else if textual && !r.mention && strong.get(&f.block).is_some_and(|s| s.len() >= 2) {
                f.severity = f.severity.raised();
            }
        }

        // Context rules: a target identifier near a cue in the same block.
        // Categories present per block (for escalation), computed once.
        let mut categories: HashMap<u32, HashSet<&str>> = HashMap::new();
        for f in out.iter() {
            if self.rt[f.rule as usize].standalone {
                categories
                    .entry(f.block)
                    .or_default()
                    .insert(self.meta[f.rule as usize].category.as_str());
            }
        }
        // (finding, the target identifier's span) for every context hit.
        let mut added: Vec<(Finding, (u32, u32))> = Vec::new();
        for c in &self.contexts {
            // This rule's cues as (block, start, end), sorted: the cues of one
            // block near one identifier are found by binary search, so a page
            // with many cues and identifiers stays linearithmic.
            let mut cues: Vec<(u32, u32, u32)> = out
                .iter()
                .filter(|f| c.cues.contains(&f.rule))
                .map(|f| (f.block, f.start, f.end))
                .collect();
            cues.sort_unstable();
            for &(s, t, kind, _, block) in ids {
                if !c.targets.contains(&kind) {
                    continue;
                }
                let lo = cues.partition_point(|x| x.0 < block);
                let hi = cues.partition_point(|x| x.0 <= block);
                let here = &cues[lo..hi];
                // Cues starting after t + window are too far; walk back from
                // there over cues that could still reach the identifier.
                let upto = here.partition_point(|x| x.1 <= t.saturating_add(c.window));
                let reach = s.saturating_sub(c.window + CUE_REACH);
                let near = here[..upto]
                    .iter()
                    .rev()
                    .take_while(|x| x.1 >= reach)
                    .map(|x| (s.saturating_sub(x.2).max(x.1.saturating_sub(t)), x))
                    .filter(|(gap, _)| *gap <= c.window)
                    .min_by_key(|(gap, _)| *gap);
                let Some((_, &(_, cs, ce))) = near else {
                    continue;
                };
                let escalate = categories
                    .get(&block)
                    .is_some_and(|cats| c.escalate_with.iter().any(|e| cats.contains(e.as_str())));
                let base = self.meta[c.rule as usize].severity;
                added.push((
                    Finding {
                        start: s.min(cs),
                        end: t.max(ce),
                        rule: c.rule,
                        pattern: u32::MAX,
                        kind: FindingKind::Context(c.kind),
                        severity: if escalate { Severity::Critical } else { base },
                        score: 0,
                        checksum: None,
                        block,
                    },
                    (s, t),
                ));
            }
        }
        // Several context rules of one kind (a strong and a weak donation
        // request) may fire for the same identifier: the moderator gets one
        // finding, the most severe (then the widest).
        added.sort_by(|(a, ta), (b, tb)| {
            (a.kind.index(), ta)
                .cmp(&(b.kind.index(), tb))
                .then(b.severity.cmp(&a.severity))
                .then((b.end - b.start).cmp(&(a.end - a.start)))
        });
        added.dedup_by(|(a, ta), (b, tb)| a.kind == b.kind && ta == tb);
        for (f, _) in added {
            distinct.entry(f.block).or_default().insert(f.rule);
            out.push(f);
        }

        for f in out.iter_mut() {
            let n = distinct.get(&f.block).map_or(1, HashSet::len) as i32;
            let mut score = base_score(f.severity) + (3 * (n - 1)).min(10);
            if f.checksum == Some(Checksum::Unchecked) {
                score -= 10;
            }
            f.score = score.clamp(1, 100) as u8;
        }
    }

    /// Runs every rule's examples: each `match` must be found by that rule,
    /// each `no_match` must not. Returns the failures (empty when all pass).
    pub fn check_examples(&self) -> Vec<ExampleFailure> {
        let mut failures = Vec::new();
        for (ri, (ex, loc)) in self.examples.iter().enumerate() {
            let m = &self.meta[ri];
            let hit = |text: &str| self.scan_all(text, &[]).iter().any(|f| f.rule == ri as u32);
            for (list, expected) in [(&ex.matches, true), (&ex.no_matches, false)] {
                for example in list {
                    if hit(example) != expected {
                        failures.push(ExampleFailure {
                            pack: m.pack.clone(),
                            rule: m.id.clone(),
                            loc: *loc,
                            example: example.clone(),
                            expected_match: expected,
                        });
                    }
                }
            }
        }
        failures
    }
}

/// `[start, end)` byte ranges from sorted block start offsets.
fn ranges_from(starts: &[usize], len: usize) -> Vec<(usize, usize)> {
    starts
        .iter()
        .enumerate()
        .map(|(i, &s)| {
            (
                s.min(len),
                starts
                    .get(i + 1)
                    .map_or(len, |&n| n.min(len))
                    .max(s.min(len)),
            )
        })
        .collect()
}

/// Start of the word that contains the char ending at `pos`.
fn word_start(f: &str, pos: usize) -> usize {
    let mut ws = pos;
    for (i, c) in f[..pos].char_indices().rev() {
        if !is_word_char(c) {
            break;
        }
        ws = i;
    }
    ws
}

fn word_bounded(hay: &str, s: usize, e: usize) -> bool {
    let first = hay[s..e].chars().next();
    let last = hay[s..e].chars().next_back();
    let before = hay[..s].chars().next_back();
    let after = hay[e..].chars().next();
    let left_ok = !(first.is_some_and(is_word_char) && before.is_some_and(is_word_char));
    let right_ok = !(last.is_some_and(is_word_char) && after.is_some_and(is_word_char));
    left_ok && right_ok
}

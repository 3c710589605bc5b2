//! The engine: compiled packs and `scan()`.
//!
//! [`Engine::new`] hands each rule to the part that compiles it:
//! - `keywords`: every keyword and phrase of every pack in one Aho-Corasick
//!   automaton over folded text (see [`crate::normalize`]), with word
//!   boundaries, Arabic clitic prefixes, stems and case checked after it;
//! - `regexes`: regex rules through the `regex` crate under the limits of
//!   [`crate::limits`], gated block by block by one set;
//! - `identifiers`: payment identifiers validated by checksum;
//! - `context`: the block (post) as context — severities adjusted by what
//!   else is in it, context rules (a donation cue near a validated
//!   identifier) added, every finding scored.
//!
//! [`Engine::scan`] folds the text once and runs each part in that order.
//! Offsets in and out are UTF-16 code units of the original text, as the DOM
//! counts them. No finding crosses a block boundary.
//!
//! # Cost
//! Every part is linear in the text (regexes too: the `regex` crate
//! guarantees it), plus a sort of the findings. [`Engine::scan_counted`]
//! returns the steps each part took ([`Work`]); tests use it to prove that
//! four times the input costs four times the work.

mod context;
mod findings;
mod identifiers;
mod keywords;
mod posts;
mod regexes;
mod rules;
mod scantext;
mod text;
mod work;

use crate::ids::IdKind;
use crate::limits;
use crate::model::Model;
use crate::normalize;
use crate::pack::{Loc, Pack, PackError, PackErrors, RuleKind};
use context::Contexts;
use identifiers::Identifiers;
use keywords::{Keywords, KeywordsBuilder};
use posts::Posts;
use regexes::{Regexes, RegexesBuilder};
use rules::Rules;
use scantext::{block_list, ScanText};
use std::collections::{HashMap, HashSet};

pub use findings::{encode, CueReach, Finding, FindingKind, Why, ENCODED_FIELDS};
pub use rules::{ExampleFailure, RuleMeta};
pub use text::Utf16Index;
pub use work::Work;

/// Compiled packs, ready to scan. Build once, scan many times.
pub struct Engine {
    rules: Rules,
    keywords: Keywords,
    regexes: Regexes,
    identifiers: Identifiers,
    contexts: Contexts,
    posts: Option<Posts>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("rules", &self.rules.len())
            .field("keywords", &self.keywords.len())
            .field("regexes", &self.regexes.len())
            .finish()
    }
}

thread_local! {
    /// Folding buffers reused across scans on this thread.
    static SCRATCH: std::cell::Cell<normalize::Folded> = std::cell::Cell::new(normalize::Folded::new());
}

/// Folded texts up to this size keep their buffers for the next scan.
const SCRATCH_KEEP_BYTES: usize = 16 << 20;

/// An error of the engine as a whole (not of one rule).
fn engine_error(reason: String) -> PackError {
    PackError {
        source: String::new(),
        loc: Loc::default(),
        path: String::new(),
        rule_id: None,
        reason,
    }
}

/// The parts being built while packs are read.
struct Builder {
    rules: Rules,
    keywords: KeywordsBuilder,
    regexes: RegexesBuilder,
    identifiers: Identifiers,
    contexts: Contexts,
    errors: Vec<PackError>,
}

impl Builder {
    /// Hands every rule of `pack` to its part.
    fn add_pack(&mut self, pack: &Pack) {
        let first = self.rules.len() as u32;
        let local: HashMap<&str, u32> = pack
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), first + i as u32))
            .collect();
        for (ri, rule) in pack.rules.iter().enumerate() {
            let idx = self.rules.add(pack, rule);
            match rule.kind {
                RuleKind::Keyword => self.keywords.add_rule(idx, rule),
                RuleKind::Regex => {
                    let err = |path: String, loc: Loc, reason: String| PackError {
                        source: pack.source.clone(),
                        loc,
                        path,
                        rule_id: Some(rule.id.clone()),
                        reason,
                    };
                    self.regexes.add_rule(idx, ri, rule, &err, &mut self.errors);
                }
                RuleKind::Identifier => self.identifiers.add_rule(idx, &self.rules),
                RuleKind::Context => {
                    if let Some(spec) = &rule.context {
                        self.contexts.add_rule(idx, spec, &local);
                        self.identifiers.require();
                    }
                }
                // Packs cannot declare model rules (the parser refuses the kind).
                RuleKind::Model => {}
            }
        }
    }

    /// Checks the limits over all packs, then builds the automaton.
    fn finish(mut self) -> Result<Engine, PackErrors> {
        let (keywords, contexts) = (self.keywords.len(), self.contexts.len());
        if keywords > limits::MAX_KEYWORDS {
            self.errors.push(engine_error(format!(
                "{keywords} keyword patterns in all packs, over the limit of {}",
                limits::MAX_KEYWORDS
            )));
        }
        if contexts > limits::MAX_CONTEXT_RULES {
            self.errors.push(engine_error(format!(
                "{contexts} context rules in all packs, over the limit of {}",
                limits::MAX_CONTEXT_RULES
            )));
        }
        if !self.errors.is_empty() {
            return Err(PackErrors(self.errors));
        }
        let keywords = self
            .keywords
            .build()
            .map_err(|e| PackErrors(vec![engine_error(e)]))?;
        Ok(Engine {
            rules: self.rules,
            keywords,
            regexes: self.regexes.build(),
            identifiers: self.identifiers,
            contexts: self.contexts,
            posts: None,
        })
    }
}

impl Engine {
    /// Compiles packs into an engine. Fails with every error located when a
    /// pack cannot be compiled (duplicate pack ids, too many patterns, a regex
    /// over the limits).
    pub fn new(packs: &[Pack]) -> Result<Engine, PackErrors> {
        let mut b = Builder {
            rules: Rules::default(),
            keywords: KeywordsBuilder::new(),
            regexes: RegexesBuilder::default(),
            identifiers: Identifiers::default(),
            contexts: Contexts::default(),
            errors: Vec::new(),
        };
        let mut pack_ids = HashSet::new();
        for pack in packs {
            if !pack_ids.insert(pack.id.as_str()) {
                b.errors.push(PackError {
                    path: "id".into(),
                    source: pack.source.clone(),
                    ..engine_error(format!("another pack already has the id {:?}", pack.id))
                });
                continue;
            }
            b.add_pack(pack);
        }
        b.finish()
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

    /// Adds the post-level model (or, with `None`, removes it). Its findings
    /// name it as their rule: id `model`, the model's name as pack, its
    /// version as pack version.
    pub fn set_model(&mut self, model: Option<Model>) {
        let Some(model) = model else {
            if let Some(p) = self.posts.take() {
                self.rules.truncate(p.rule);
            }
            return;
        };
        let rule = match &self.posts {
            Some(p) => p.rule,
            None => self.rules.len() as u32,
        };
        self.rules.truncate(rule);
        self.rules.add_model(model.header());
        self.posts = Some(Posts { model, rule });
    }

    /// The post-level model, if one is set.
    pub fn model(&self) -> Option<&Model> {
        self.posts.as_ref().map(|p| &p.model)
    }

    /// The post-level model, to change its thresholds.
    pub fn model_mut(&mut self) -> Option<&mut Model> {
        self.posts.as_mut().map(|p| &mut p.model)
    }

    /// Metadata of every rule, indexed by [`Finding::rule`].
    pub fn rules(&self) -> &[RuleMeta] {
        &self.rules.meta
    }

    /// Metadata of one rule.
    pub fn rule(&self, index: u32) -> Option<&RuleMeta> {
        self.rules.meta.get(index as usize)
    }

    /// Names of the kinds produced by context rules, indexed by [`FindingKind::Context`].
    pub fn context_kinds(&self) -> &[String] {
        &self.contexts.kinds
    }

    /// Names of every finding kind, indexed by [`FindingKind::index`].
    pub fn kind_names(&self) -> Vec<&str> {
        let mut v = vec!["keyword", "regex", "model"];
        v.extend(IdKind::ALL.iter().map(|k| k.as_str()));
        v.extend(self.contexts.kinds.iter().map(String::as_str));
        v
    }

    /// The name of a finding kind: `keyword`, `regex`, an identifier kind, or a context kind.
    pub fn kind_name(&self, kind: FindingKind) -> &str {
        match kind {
            FindingKind::Keyword => "keyword",
            FindingKind::Regex => "regex",
            FindingKind::Model => "model",
            FindingKind::Id(k) => k.as_str(),
            FindingKind::Context(i) => self
                .contexts
                .kinds
                .get(i as usize)
                .map_or("context", String::as_str),
        }
    }

    /// Number of keyword patterns in the automaton.
    pub fn keyword_count(&self) -> usize {
        self.keywords.len()
    }

    /// Bytes of heap the compiled automaton and regexes use (approximate).
    pub fn memory_usage(&self) -> usize {
        self.keywords.memory_usage() + self.rules.pattern_bytes()
    }

    /// Scans `text`. `block_starts` are UTF-16 offsets where blocks (posts,
    /// comments, paragraphs) begin; `0` is implied. Findings are sorted by
    /// start, longest first.
    pub fn scan(&self, text: &str, block_starts: &[u32]) -> Vec<Finding> {
        self.scan_counted(text, block_starts).0
    }

    /// [`Engine::scan`], with the steps each part took.
    pub fn scan_counted(&self, text: &str, block_starts: &[u32]) -> (Vec<Finding>, Work) {
        let mut work = Work::default();
        let mut all = self.scan_all(text, block_starts, &mut work);
        all.retain(|f| self.rules.rt(f.rule).standalone);
        (all, work)
    }

    /// Scan keeping the findings of non-standalone rules (cues, targets).
    fn scan_all(&self, text: &str, block_starts: &[u32], work: &mut Work) -> Vec<Finding> {
        let blocks = block_list(block_starts);
        // The folded text and its map take 9 bytes per byte of text: reuse
        // one buffer per thread instead of allocating (and faulting in)
        // tens of megabytes on every scan of a big page.
        let mut folded = SCRATCH.with(|s| s.take());
        normalize::fold_into(&mut folded, text, &blocks);
        work.folded_bytes += text.len() as u64;
        let out = self.scan_folded(&ScanText::new(text, &folded, &blocks), work);
        // A big page's buffers are not kept: the next scan may be small.
        if folded.len() <= SCRATCH_KEEP_BYTES {
            SCRATCH.with(|s| s.replace(folded));
        }
        out
    }

    fn scan_folded(&self, t: &ScanText, work: &mut Work) -> Vec<Finding> {
        let mut out = findings::Collector::default();
        self.keywords.scan(t, &self.rules, &mut out, work);
        self.regexes.scan(t, &self.rules, &mut out, work);
        let ids = self.identifiers.scan(t, &self.rules, &mut out, work);
        let mut out = out.out;
        if let Some(posts) = &self.posts {
            posts.scan(t, &mut out, work);
        }
        self.contexts.apply(&mut out, &ids, &self.rules, work);
        out
    }

    /// Runs every rule's examples: each `match` must be found by that rule,
    /// each `no_match` must not. Returns the failures (empty when all pass).
    pub fn check_examples(&self) -> Vec<ExampleFailure> {
        let mut failures = Vec::new();
        for (ri, (ex, loc)) in self.rules.examples.iter().enumerate() {
            let m = &self.rules.meta[ri];
            let hit = |text: &str| {
                self.scan_all(text, &[], &mut Work::default())
                    .iter()
                    .any(|f| f.rule == ri as u32)
            };
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

//! Every rule of the compiled packs, by index: what the moderator is told
//! about it ([`RuleMeta`]) and what the scan needs of its options.

use crate::ids::IdKind;
use crate::normalize;
use crate::pack::{Examples, Loc, Pack, Rule, RuleKind, Severity};
use std::collections::HashSet;

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

/// The options of a rule that the scan reads.
pub(crate) struct RuleRt {
    pub(crate) whole_word: bool,
    pub(crate) stem_max: u32,
    /// Folded whole words a stem must not match.
    pub(crate) except: HashSet<String>,
    pub(crate) case_sensitive: bool,
    pub(crate) clitics: bool,
    pub(crate) mention: bool,
    pub(crate) standalone: bool,
}

/// Every rule of the engine, indexed by [`super::Finding::rule`].
#[derive(Default)]
pub(crate) struct Rules {
    pub(crate) meta: Vec<RuleMeta>,
    pub(crate) rt: Vec<RuleRt>,
    pub(crate) examples: Vec<(Examples, Loc)>,
}

impl Rules {
    /// Adds one rule of `pack`; returns its index.
    pub(crate) fn add(&mut self, pack: &Pack, rule: &Rule) -> u32 {
        let o = &rule.options;
        self.meta.push(RuleMeta {
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
        self.examples.push((rule.examples.clone(), rule.loc));
        self.rt.push(RuleRt {
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
        });
        (self.meta.len() - 1) as u32
    }

    pub(crate) fn len(&self) -> usize {
        self.meta.len()
    }

    /// Drops the rules from index `n` on.
    pub(crate) fn truncate(&mut self, n: u32) {
        self.meta.truncate(n as usize);
        self.rt.truncate(n as usize);
        self.examples.truncate(n as usize);
    }

    /// Adds the rule the post-level model's findings name.
    pub(crate) fn add_model(&mut self, h: &crate::model::ModelHeader) {
        self.meta.push(RuleMeta {
            id: "model".into(),
            pack: h.name.clone(),
            pack_name: format!("post-level model {}", h.name),
            pack_version: h.version.clone(),
            category: h.category.clone(),
            severity: h.bands[0].severity,
            kind: RuleKind::Model,
            description:
                "A post the model scored over its threshold; the highlighted words weighed most."
                    .into(),
            patterns: Vec::new(),
            mention: false,
            standalone: true,
        });
        self.examples.push((Examples::default(), Loc::default()));
        self.rt.push(RuleRt {
            whole_word: true,
            stem_max: 0,
            except: HashSet::new(),
            case_sensitive: false,
            clitics: false,
            mention: false,
            standalone: true,
        });
    }

    pub(crate) fn meta(&self, rule: u32) -> &RuleMeta {
        &self.meta[rule as usize]
    }

    pub(crate) fn rt(&self, rule: u32) -> &RuleRt {
        &self.rt[rule as usize]
    }

    /// The index of identifier kind `kind` among the rule's patterns
    /// (`u32::MAX` when the rule does not list it by name).
    pub(crate) fn id_pattern(&self, rule: u32, kind: IdKind) -> u32 {
        self.meta(rule)
            .patterns
            .iter()
            .position(|p| p == kind.as_str())
            .map_or(u32::MAX, |p| p as u32)
    }

    /// Bytes of the patterns as written (for [`super::Engine::memory_usage`]).
    pub(crate) fn pattern_bytes(&self) -> usize {
        self.meta
            .iter()
            .map(|m| m.patterns.iter().map(String::len).sum::<usize>())
            .sum()
    }
}

//! Rule packs: the JSON format, its validation, and located errors.
//!
//! A pack is a versioned JSON document of rules written by a team or a
//! moderator. [`Pack::parse`] reads one and validates all of it, collecting
//! every error with its place (line, column and a path such as
//! `rules[12].patterns[3]`) instead of stopping at the first. Nothing in a pack
//! is ever run as code: regexes go through the `regex` crate with the limits in
//! [`crate::limits`], so matching stays linear in the text on any input.
//!
//! ```json
//! {
//!   "id": "my-team", "name": "My team's list", "version": "1.0.0",
//!   "languages": ["en"], "license": "CC0-1.0",
//!   "rules": [{
//!     "id": "call-to-join", "category": "extremism", "severity": "high",
//!     "kind": "keyword", "patterns": ["join the caliphate", "hijra now"],
//!     "examples": {"match": ["Brothers, join the caliphate!"], "no_match": ["the caliphate fell"]}
//!   }]
//! }
//! ```

pub mod json;
mod parse;

use crate::ids::IdKind;
use std::fmt;

/// How serious a finding is.
#[derive(
    serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look (a bare organisation name in a news sentence, a bare identifier).
    Low = 0,
    /// Likely relevant.
    Medium = 1,
    /// Propaganda phrasing, a donation request.
    High = 2,
    /// Calls to kill, fundraising next to propaganda.
    Critical = 3,
}

impl Severity {
    /// Every severity, lowest first.
    pub const ALL: [Severity; 4] = [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    /// The name used in packs and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Parses a name from [`Severity::as_str`].
    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// One level up, at most critical.
    pub fn raised(self) -> Severity {
        match self {
            Severity::Low => Severity::Medium,
            Severity::Medium => Severity::High,
            _ => Severity::Critical,
        }
    }

    /// One level down, at least low.
    pub fn lowered(self) -> Severity {
        match self {
            Severity::Critical => Severity::High,
            Severity::High => Severity::Medium,
            _ => Severity::Low,
        }
    }
}

/// What a rule's patterns are.
#[derive(serde::Serialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum RuleKind {
    /// Keywords and phrases, matched on folded text; a trailing `*` makes a stem.
    Keyword,
    /// Regular expressions (the `regex` crate's syntax), on folded or original text.
    Regex,
    /// Payment-identifier kinds (`card`, `btc`, ...), validated by checksum.
    Identifier,
    /// A combination of other findings in one block (see [`ContextSpec`]).
    Context,
    /// The post-level model (never written in a pack: the engine adds it).
    Model,
}

impl RuleKind {
    /// The name used in packs.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Keyword => "keyword",
            RuleKind::Regex => "regex",
            RuleKind::Identifier => "identifier",
            RuleKind::Context => "context",
            RuleKind::Model => "model",
        }
    }
}

/// Matching options of a rule. Every field has a default; see the README.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleOptions {
    /// Match whole words only (Unicode word boundaries). Default true.
    pub whole_word: bool,
    /// Every pattern is a stem: the word may continue after it. Default false
    /// (a single pattern can also end in `*`).
    pub stem: bool,
    /// Most letters a stem may add. Default [`crate::limits::DEFAULT_STEM_MAX`].
    pub stem_max: u32,
    /// Whole words that a stem must not match (e.g. `игр*` but not `игрушка`).
    pub except: Vec<String>,
    /// Letter case must agree with the pattern (abbreviations like `ИГ`). Default false.
    pub case_sensitive: bool,
    /// Match on folded text (true, default) or on the original text (regex only).
    pub fold: bool,
    /// A mention (an organisation's bare name): low severity unless other
    /// signals are in the same block. Default false.
    pub mention: bool,
    /// Arabic clitic prefixes (و ف ب ل ك ال, combined) may precede Arabic
    /// patterns. Default true.
    pub clitics: bool,
    /// Identifier rules: report a bare identifier on its own. Default true;
    /// false keeps it only as a context target (phone numbers, handles).
    pub standalone: bool,
}

impl Default for RuleOptions {
    fn default() -> Self {
        RuleOptions {
            whole_word: true,
            stem: false,
            stem_max: crate::limits::DEFAULT_STEM_MAX,
            except: Vec::new(),
            case_sensitive: false,
            fold: true,
            mention: false,
            clitics: true,
            standalone: true,
        }
    }
}

/// What a `context` rule combines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextSpec {
    /// The finding kind it produces, e.g. `donation_request`.
    pub kind: String,
    /// Ids of rules (in the same pack) whose findings are cues.
    pub cues: Vec<String>,
    /// Identifier kinds that are targets.
    pub targets: Vec<IdKind>,
    /// Most UTF-16 units between a cue and a target.
    pub window: u32,
    /// Categories whose findings in the same block make the finding critical.
    pub escalate_with: Vec<String>,
    /// Ids of rules (in the same pack) whose findings are cues for every
    /// target of their block, however far: a footer label, "details below".
    pub block_cues: Vec<String>,
    /// A target at most this many UTF-16 units from a target already read
    /// (a list of addresses under one label) is read the same way; 0: off.
    pub list_gap: u32,
    /// Negative context: findings that cancel or lower the reading.
    pub unless: Vec<Unless>,
}

/// Negative context of a `context` rule: when a finding of one of `rules` is
/// in `scope` of a target, the rule's reading of that target is cancelled or
/// lowered ("CA: 0x..." is a token contract, not a donation address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unless {
    /// Ids of rules (in the same pack) whose findings are the negative context.
    pub rules: Vec<String>,
    /// How near the target such a finding must be.
    pub scope: UnlessScope,
    /// What it does to the reading.
    pub effect: UnlessEffect,
}

/// How near a negative finding must be to the target it speaks against.
#[derive(serde::Serialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum UnlessScope {
    /// Within the window and at least as near the target as the cue that
    /// made the reading, or on that cue's words or the word next to them
    /// (the same words read another way: "do NOT send" around "send",
    /// "fake support").
    Nearer,
    /// Within the rule's window of the target.
    Window,
    /// Anywhere in the target's block.
    Block,
}

impl UnlessScope {
    /// The name used in packs.
    pub fn as_str(self) -> &'static str {
        match self {
            UnlessScope::Nearer => "nearer",
            UnlessScope::Window => "window",
            UnlessScope::Block => "block",
        }
    }

    /// Parses a name from [`UnlessScope::as_str`].
    pub fn parse(s: &str) -> Option<UnlessScope> {
        [UnlessScope::Nearer, UnlessScope::Window, UnlessScope::Block]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// What negative context does to a reading.
#[derive(serde::Serialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum UnlessEffect {
    /// No finding of the rule for that target.
    Cancel,
    /// The finding one severity level lower (and never escalated).
    Lower,
}

impl UnlessEffect {
    /// The name used in packs.
    pub fn as_str(self) -> &'static str {
        match self {
            UnlessEffect::Cancel => "cancel",
            UnlessEffect::Lower => "lower",
        }
    }

    /// Parses a name from [`UnlessEffect::as_str`].
    pub fn parse(s: &str) -> Option<UnlessEffect> {
        [UnlessEffect::Cancel, UnlessEffect::Lower]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// A pack's text for people in several languages: language tag (`en`, `ru`,
/// `ar`, ...) to text. Packs may give `name` and `description` (the pack's
/// and each rule's) as `{"en": ..., "ru": ..., "ar": ...}`, English required
/// as the fallback, or as a plain string (then this is empty).
pub type Translations = std::collections::BTreeMap<String, String>;

/// Examples a rule must (and must not) match; `check-pack` runs them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Examples {
    /// Texts the rule must find.
    pub matches: Vec<String>,
    /// Texts the rule must not find.
    pub no_matches: Vec<String>,
}

/// Where something is in a pack's source.
#[derive(serde::Serialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Loc {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// One rule of a pack.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Unique within the pack.
    pub id: String,
    /// Category, e.g. `extremism`, `donation`.
    pub category: String,
    /// Base severity.
    pub severity: Severity,
    /// What the patterns are.
    pub kind: RuleKind,
    /// Patterns as written (for identifier rules: identifier kind names).
    pub patterns: Vec<String>,
    /// Where each pattern is in the source.
    pub pattern_locs: Vec<Loc>,
    /// Matching options.
    pub options: RuleOptions,
    /// For `context` rules.
    pub context: Option<ContextSpec>,
    /// Why the rule exists, for the moderator (English when translated).
    pub description: String,
    /// The description in every language the pack gives (empty for a plain string).
    pub description_i18n: Translations,
    /// Examples.
    pub examples: Examples,
    /// Where the rule is in the source.
    pub loc: Loc,
}

/// A validated rule pack.
#[derive(Debug, Clone, PartialEq)]
pub struct Pack {
    /// Stable identifier, `[a-z0-9._-]`.
    pub id: String,
    /// Human name (English when translated).
    pub name: String,
    /// The name in every language the pack gives (empty for a plain string).
    pub name_i18n: Translations,
    /// The pack's version, e.g. `1.2.0`.
    pub version: String,
    /// Languages (BCP 47 tags such as `en`, `ru`, `ar`).
    pub languages: Vec<String>,
    /// License of the pack's content.
    pub license: String,
    /// What the pack is for (English when translated).
    pub description: String,
    /// The description in every language the pack gives (empty for a plain string).
    pub description_i18n: Translations,
    /// Where the pack is published, if anywhere.
    pub homepage: Option<String>,
    /// Hours between subscription updates the pack asks for.
    pub update_interval_hours: Option<u32>,
    /// The rules.
    pub rules: Vec<Rule>,
    /// Name of the source (file name or URL) used in error messages.
    pub source: String,
}

/// One problem in a pack, with its place.
#[derive(serde::Serialize, Debug, Clone, PartialEq, Eq)]
pub struct PackError {
    /// Source name (file or URL) of the pack.
    pub source: String,
    /// Line and column in the source (0 when not known).
    pub loc: Loc,
    /// JSON path, e.g. `rules[12].patterns[3]` (empty for the whole document).
    pub path: String,
    /// The rule's id, when the error is inside a rule that has one.
    pub rule_id: Option<String>,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.source)?;
        if self.loc.line > 0 {
            write!(f, ":{}:{}", self.loc.line, self.loc.column)?;
        }
        f.write_str(": ")?;
        if !self.path.is_empty() {
            f.write_str(&self.path)?;
            if let Some(id) = &self.rule_id {
                write!(f, " (rule {id:?})")?;
            }
            f.write_str(": ")?;
        }
        f.write_str(&self.reason)
    }
}

/// Every problem found in one or more packs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PackErrors(pub Vec<PackError>);

impl PackErrors {
    /// The errors.
    pub fn errors(&self) -> &[PackError] {
        &self.0
    }
}

impl fmt::Display for PackErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PackErrors {}

impl Pack {
    /// Parses and validates a pack. `source` names it in errors (a file name or URL).
    pub fn parse(src: &str, source: &str) -> Result<Pack, PackErrors> {
        parse::parse_pack(src, source)
    }
}

/// Checks a rule regex without compiling it: length, syntax (errors give the
/// character position), nesting, and that it cannot match the empty string.
/// Compiled size is checked when an engine is built.
pub fn check_regex(pattern: &str, case_insensitive: bool) -> Result<(), String> {
    regex_hir(pattern, case_insensitive).map(|_| ())
}

/// The syntax tree of a rule regex after the checks of [`check_regex`]
/// (the engine compiles from it, so a pattern is parsed once).
pub fn regex_hir(pattern: &str, case_insensitive: bool) -> Result<regex_syntax::hir::Hir, String> {
    if pattern.chars().count() > crate::limits::MAX_REGEX_CHARS {
        return Err(format!(
            "regex longer than {} characters",
            crate::limits::MAX_REGEX_CHARS
        ));
    }
    if let Some(span) = unicode_class(pattern) {
        return Err(located(pattern, &span, UNICODE_CLASS_MISSING));
    }
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .nest_limit(crate::limits::REGEX_NEST_LIMIT)
        .build()
        .parse(pattern)
        .map_err(|e| regex_syntax_error(pattern, &e))?;
    if hir.properties().minimum_len() == Some(0) {
        return Err("regex matches the empty string".into());
    }
    Ok(hir)
}

/// Why `\p{...}` and `\P{...}` are refused.
const UNICODE_CLASS_MISSING: &str = "Unicode categories and scripts such as \\p{L} or \\p{Cyrillic} are not available; \\w, \\d, \\s and case folding are, or write a range such as [а-яё]";

/// Where a pattern uses a Unicode class (`\p{...}`, `\P{...}`), if it does.
/// The engine is built without Unicode's general category and script tables
/// (Cargo.toml: they cost ~25 KB of the Wasm); refusing every such class
/// here, not only those the tables would be needed for, keeps the answer the
/// same whatever features another crate turns on in the same build (the
/// benchmark's `regex` does, in tests).
fn unicode_class(pattern: &str) -> Option<regex_syntax::ast::Span> {
    use regex_syntax::ast::{self, Ast, ClassSetItem, Visitor};
    struct Find;
    impl Visitor for Find {
        type Output = ();
        type Err = ast::Span;
        fn finish(self) -> Result<(), ast::Span> {
            Ok(())
        }
        fn visit_pre(&mut self, a: &Ast) -> Result<(), ast::Span> {
            match a {
                Ast::ClassUnicode(c) => Err(c.span),
                _ => Ok(()),
            }
        }
        fn visit_class_set_item_pre(&mut self, item: &ClassSetItem) -> Result<(), ast::Span> {
            match item {
                ClassSetItem::Unicode(c) => Err(c.span),
                _ => Ok(()),
            }
        }
    }
    let tree = ast::parse::ParserBuilder::new()
        .nest_limit(crate::limits::REGEX_NEST_LIMIT)
        .build()
        .parse(pattern)
        .ok()?;
    ast::visit(&tree, Find).err()
}

/// `what` located at `span` of `pattern`, counted in characters from 1.
fn located(pattern: &str, span: &regex_syntax::ast::Span, what: &str) -> String {
    let at = pattern
        .get(..span.start.offset)
        .map_or(span.start.offset, |p| p.chars().count())
        + 1;
    format!("invalid regex at character {at}: {what}")
}

fn regex_syntax_error(pattern: &str, e: &regex_syntax::Error) -> String {
    let (span, kind) = match e {
        regex_syntax::Error::Parse(p) => (*p.span(), p.kind().to_string()),
        regex_syntax::Error::Translate(t) => (*t.span(), t.kind().to_string()),
        other => return format!("invalid regex: {other}"),
    };
    located(pattern, &span, &kind)
}

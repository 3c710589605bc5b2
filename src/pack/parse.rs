//! Turns a JSON [`Node`] tree into a [`Pack`], collecting every error.

use super::json::{self, Node, Value};
use super::*;
use crate::limits;
use std::collections::HashSet;

struct Ctx<'a> {
    source: &'a str,
    errors: Vec<PackError>,
    rule_id: Option<String>,
    /// Locations in bounded steps, in any order (counting lines from the
    /// start for each rule made a 40k-rule pack take a minute).
    lines: json::LineIndex<'a>,
}

impl Ctx<'_> {
    fn loc(&mut self, offset: usize) -> Loc {
        let (line, column) = self.lines.line_col(offset);
        Loc { line, column }
    }

    fn error(&mut self, offset: usize, path: &str, reason: impl Into<String>) {
        let loc = self.loc(offset);
        self.errors.push(PackError {
            source: self.source.to_string(),
            loc,
            path: path.to_string(),
            rule_id: self.rule_id.clone(),
            reason: reason.into(),
        });
    }

    fn string(&mut self, n: &Node, path: &str, max_chars: usize) -> Option<String> {
        match &n.value {
            Value::String(s) => {
                if s.chars().count() > max_chars {
                    self.error(
                        n.offset,
                        path,
                        format!("longer than {max_chars} characters"),
                    );
                    None
                } else {
                    Some(s.clone())
                }
            }
            v => {
                self.error(
                    n.offset,
                    path,
                    format!("expected a string, found {}", v.type_name()),
                );
                None
            }
        }
    }

    fn nonempty(&mut self, n: &Node, path: &str, max_chars: usize) -> Option<String> {
        let s = self.string(n, path, max_chars)?;
        if s.trim().is_empty() {
            self.error(n.offset, path, "must not be empty");
            return None;
        }
        Some(s)
    }

    /// Text for people (a name, a description): a string, or an object of
    /// translations by language tag (`{"en": ..., "ru": ..., "ar": ...}`)
    /// that must include English, the fallback. Returns the English (or the
    /// only) text and the translations (empty for a plain string).
    fn text(
        &mut self,
        n: &Node,
        path: &str,
        max_chars: usize,
        required: bool,
    ) -> Option<(String, Translations)> {
        let Value::Object(members) = &n.value else {
            let s = if required {
                self.nonempty(n, path, max_chars)
            } else {
                self.string(n, path, max_chars)
            };
            return s.map(|s| (s, Translations::new()));
        };
        let mut out = Translations::new();
        let mut ok = true;
        for (lang, koff, v) in members {
            let p = join(path, lang);
            if !is_lang_tag(lang) {
                self.error(
                    *koff,
                    &p,
                    "expected a language tag such as \"en\", \"ru\" or \"ar\"",
                );
                ok = false;
            } else if out.contains_key(lang) {
                self.error(*koff, &p, "duplicate language");
                ok = false;
            } else if let Some(s) = self.nonempty(v, &p, max_chars) {
                out.insert(lang.clone(), s);
            } else {
                ok = false;
            }
        }
        let Some(en) = out.get("en").cloned() else {
            if ok {
                self.error(
                    n.offset,
                    path,
                    "translations need \"en\", the text shown when the UI language has none",
                );
            }
            return None;
        };
        ok.then_some((en, out))
    }

    /// A non-empty identifier: lower-case letters, digits, '.', '_', '-'.
    fn ident(&mut self, n: &Node, path: &str, max_chars: usize) -> Option<String> {
        let s = self.nonempty(n, path, max_chars)?;
        if !is_ident(&s) {
            self.error(
                n.offset,
                path,
                "use lower-case letters, digits, '.', '_' and '-' only",
            );
            return None;
        }
        Some(s)
    }

    fn boolean(&mut self, n: &Node, path: &str) -> Option<bool> {
        match n.value {
            Value::Bool(b) => Some(b),
            ref v => {
                self.error(
                    n.offset,
                    path,
                    format!("expected true or false, found {}", v.type_name()),
                );
                None
            }
        }
    }

    fn uint(&mut self, n: &Node, path: &str, min: u32, max: u32) -> Option<u32> {
        match n.value {
            Value::Number(x) if x.fract() == 0.0 && x >= min as f64 && x <= max as f64 => {
                Some(x as u32)
            }
            Value::Number(_) => {
                self.error(
                    n.offset,
                    path,
                    format!("expected a whole number from {min} to {max}"),
                );
                None
            }
            ref v => {
                self.error(
                    n.offset,
                    path,
                    format!("expected a number, found {}", v.type_name()),
                );
                None
            }
        }
    }

    fn array<'n>(&mut self, n: &'n Node, path: &str, max: usize) -> Option<&'n [Node]> {
        match &n.value {
            Value::Array(items) => {
                if items.len() > max {
                    self.error(
                        n.offset,
                        path,
                        format!("{} items, over the limit of {max}", items.len()),
                    );
                    None
                } else {
                    Some(items)
                }
            }
            v => {
                self.error(
                    n.offset,
                    path,
                    format!("expected an array, found {}", v.type_name()),
                );
                None
            }
        }
    }

    fn strings(&mut self, n: &Node, path: &str, max: usize, max_chars: usize) -> Vec<String> {
        let Some(items) = self.array(n, path, max) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, it) in items.iter().enumerate() {
            if let Some(s) = self.string(it, &format!("{path}[{i}]"), max_chars) {
                out.push(s);
            }
        }
        out
    }

    /// Object members, reporting unknown and duplicate keys; returns a lookup.
    fn object<'n>(
        &mut self,
        n: &'n Node,
        path: &str,
        known: &[&str],
    ) -> Option<Vec<(&'n str, &'n Node)>> {
        let Value::Object(members) = &n.value else {
            self.error(
                n.offset,
                path,
                format!("expected an object, found {}", n.value.type_name()),
            );
            return None;
        };
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (k, koff, v) in members {
            let p = join(path, k);
            if !seen.insert(k.as_str()) {
                self.error(*koff, &p, "duplicate field");
                continue;
            }
            if !known.contains(&k.as_str()) {
                self.error(
                    *koff,
                    &p,
                    format!("unknown field (expected one of: {})", known.join(", ")),
                );
                continue;
            }
            out.push((k.as_str(), v));
        }
        Some(out)
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn get<'n>(m: &[(&str, &'n Node)], k: &str) -> Option<&'n Node> {
    m.iter().find(|(key, _)| *key == k).map(|(_, v)| *v)
}

/// A BCP 47 language tag as packs use them: a 2-3 letter language, then
/// optional subtags (`en`, `ru`, `ar`, `pt-BR`, `zh-Hant`).
fn is_lang_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let lang = parts.next().unwrap_or("");
    (2..=3).contains(&lang.len())
        && lang.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn is_ident(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

const PACK_FIELDS: &[&str] = &[
    "id",
    "name",
    "version",
    "languages",
    "license",
    "description",
    "homepage",
    "update_interval_hours",
    "format",
    "rules",
];
const RULE_FIELDS: &[&str] = &[
    "id",
    "category",
    "severity",
    "kind",
    "patterns",
    "options",
    "context",
    "description",
    "examples",
];
const OPTION_FIELDS: &[&str] = &[
    "whole_word",
    "stem",
    "stem_max",
    "except",
    "case_sensitive",
    "fold",
    "mention",
    "clitics",
    "standalone",
];
const CONTEXT_FIELDS: &[&str] = &[
    "kind",
    "cues",
    "targets",
    "window",
    "escalate_with",
    "block_cues",
    "list_gap",
    "unless",
];
const UNLESS_FIELDS: &[&str] = &["rules", "scope", "effect"];
/// Most negative-context entries in one context rule.
const MAX_UNLESS: usize = 20;

pub(super) fn parse_pack(src: &str, source: &str) -> Result<Pack, PackErrors> {
    let root = json::parse(src).map_err(|e| {
        let (line, column) = json::line_col(src, e.offset);
        PackErrors(vec![PackError {
            source: source.to_string(),
            loc: Loc {
                line: line as u32,
                column: column as u32,
            },
            path: String::new(),
            rule_id: None,
            reason: format!("invalid JSON: {}", e.reason),
        }])
    })?;
    let mut cx = Ctx {
        source,
        errors: Vec::new(),
        rule_id: None,
        lines: json::LineIndex::new(src),
    };
    let pack = read_pack(&mut cx, &root);
    cx.errors.sort_by_key(|e| (e.loc.line, e.loc.column));
    match pack {
        Some(p) if cx.errors.is_empty() => Ok(p),
        _ => {
            if cx.errors.is_empty() {
                cx.error(root.offset, "", "not a valid pack");
            }
            Err(PackErrors(cx.errors))
        }
    }
}

fn read_pack(cx: &mut Ctx, root: &Node) -> Option<Pack> {
    let m = cx.object(root, "", PACK_FIELDS)?;
    for k in ["id", "name", "version", "rules"] {
        if get(&m, k).is_none() {
            cx.error(root.offset, k, "required field is missing");
        }
    }
    let short = limits::MAX_SHORT_FIELD_CHARS;
    let id = get(&m, "id").and_then(|n| cx.ident(n, "id", 64));
    let name = get(&m, "name").and_then(|n| cx.text(n, "name", short, true));
    let version = get(&m, "version").and_then(|n| {
        let s = cx.nonempty(n, "version", 64)?;
        if !s
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        {
            cx.error(
                n.offset,
                "version",
                "expected numbers separated by dots, such as 1.2.0",
            );
            return None;
        }
        Some(s)
    });
    let languages = get(&m, "languages")
        .map(|n| cx.strings(n, "languages", 100, 35))
        .unwrap_or_default();
    let license = get(&m, "license")
        .and_then(|n| cx.string(n, "license", short))
        .unwrap_or_default();
    let (description, description_i18n) = get(&m, "description")
        .and_then(|n| cx.text(n, "description", limits::MAX_DESCRIPTION_CHARS, false))
        .unwrap_or_default();
    let homepage = get(&m, "homepage").and_then(|n| cx.string(n, "homepage", 2000));
    let update_interval_hours = get(&m, "update_interval_hours")
        .and_then(|n| cx.uint(n, "update_interval_hours", 1, 24 * 365));
    if let Some(n) = get(&m, "format") {
        // Only format 1 exists; `uint` reports anything else.
        let _ = cx.uint(n, "format", 1, 1);
    }
    let mut rules = Vec::new();
    if let Some(rn) = get(&m, "rules") {
        if let Some(items) = cx.array(rn, "rules", limits::MAX_RULES_PER_PACK) {
            // Duplicates are found on the raw ids, so a rule with other
            // errors still counts.
            let mut ids: HashSet<&str> = HashSet::new();
            for (i, it) in items.iter().enumerate() {
                if let Some(idn) = raw_rule_id(it) {
                    if let Value::String(id) = &idn.value {
                        if !ids.insert(id.as_str()) {
                            cx.rule_id = Some(id.clone());
                            cx.error(idn.offset, &format!("rules[{i}].id"), "duplicate rule id");
                            cx.rule_id = None;
                        }
                    }
                }
            }
            for (i, it) in items.iter().enumerate() {
                if let Some(r) = read_rule(cx, it, i) {
                    rules.push(r);
                }
            }
            check_context_refs(cx, &rules, items);
        }
    }
    let (name, name_i18n) = name?;
    Some(Pack {
        id: id?,
        name,
        name_i18n,
        version: version?,
        languages,
        license,
        description,
        description_i18n,
        homepage,
        update_interval_hours,
        rules,
        source: cx.source.to_string(),
    })
}

fn check_context_refs(cx: &mut Ctx, rules: &[Rule], items: &[Node]) {
    let kinds: std::collections::HashMap<&str, RuleKind> =
        rules.iter().map(|r| (r.id.as_str(), r.kind)).collect();
    for (i, r) in rules.iter().enumerate() {
        let Some(c) = &r.context else { continue };
        cx.rule_id = Some(r.id.clone());
        let ctx_node = items.get(i).and_then(|n| member(n, "context"));
        let mut refs: Vec<(String, &str, Option<&Node>)> = Vec::new();
        let list = |key: &str| ctx_node.and_then(|n| member(n, key)).and_then(element_list);
        for (key, ids) in [("cues", &c.cues), ("block_cues", &c.block_cues)] {
            let nodes = list(key);
            for (j, id) in ids.iter().enumerate() {
                let node = nodes.and_then(|v| v.get(j));
                refs.push((format!("rules[{i}].context.{key}[{j}]"), id, node));
            }
        }
        let unless_nodes = list("unless");
        for (k, u) in c.unless.iter().enumerate() {
            let nodes = unless_nodes
                .and_then(|v| v.get(k))
                .and_then(|n| member(n, "rules"))
                .and_then(element_list);
            for (j, id) in u.rules.iter().enumerate() {
                let node = nodes.and_then(|v| v.get(j));
                refs.push((
                    format!("rules[{i}].context.unless[{k}].rules[{j}]"),
                    id,
                    node,
                ));
            }
        }
        let rule_off = items.get(i).map_or(0, |n| n.offset);
        for (path, id, node) in refs {
            let off = node.map_or(rule_off, |n| n.offset);
            match kinds.get(id) {
                None => cx.error(off, &path, format!("no rule with id {id:?} in this pack")),
                Some(RuleKind::Context) => cx.error(
                    off,
                    &path,
                    "name a keyword, regex or identifier rule, not a context rule",
                ),
                Some(_) => {}
            }
        }
        cx.rule_id = None;
    }
}

/// The value of an object member.
fn member<'n>(n: &'n Node, key: &str) -> Option<&'n Node> {
    match &n.value {
        Value::Object(members) => members.iter().find(|(k, _, _)| k == key).map(|(_, _, v)| v),
        _ => None,
    }
}

/// The elements of an array.
fn element_list(n: &Node) -> Option<&[Node]> {
    match &n.value {
        Value::Array(items) => Some(items),
        _ => None,
    }
}

fn raw_rule_id(n: &Node) -> Option<&Node> {
    match &n.value {
        Value::Object(members) => members
            .iter()
            .find(|(k, _, _)| k == "id")
            .map(|(_, _, v)| v),
        _ => None,
    }
}

fn read_rule(cx: &mut Ctx, n: &Node, i: usize) -> Option<Rule> {
    let base = format!("rules[{i}]");
    // Find the id first so that every error in the rule names it.
    cx.rule_id = match raw_rule_id(n).map(|v| &v.value) {
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    let m = cx.object(n, &base, RULE_FIELDS)?;
    for k in ["id", "category", "severity", "kind"] {
        if get(&m, k).is_none() {
            cx.error(n.offset, &join(&base, k), "required field is missing");
        }
    }
    let id = get(&m, "id").and_then(|v| cx.ident(v, &join(&base, "id"), 100));
    let category = get(&m, "category").and_then(|v| cx.ident(v, &join(&base, "category"), 64));
    let severity = get(&m, "severity").and_then(|v| {
        let p = join(&base, "severity");
        let s = cx.string(v, &p, 64)?;
        let sev = Severity::parse(&s);
        if sev.is_none() {
            cx.error(
                v.offset,
                &p,
                format!("{s:?} is not a severity (low, medium, high or critical)"),
            );
        }
        sev
    });
    let kind = get(&m, "kind").and_then(|v| {
        let p = join(&base, "kind");
        let s = cx.string(v, &p, 64)?;
        let k = match s.as_str() {
            "keyword" => Some(RuleKind::Keyword),
            "regex" => Some(RuleKind::Regex),
            "identifier" => Some(RuleKind::Identifier),
            "context" => Some(RuleKind::Context),
            _ => None,
        };
        if k.is_none() {
            cx.error(
                v.offset,
                &p,
                format!("{s:?} is not a rule kind (keyword, regex, identifier or context)"),
            );
        }
        k
    });
    let options = match get(&m, "options") {
        Some(o) => read_options(cx, o, &join(&base, "options"), kind),
        None => RuleOptions::default(),
    };
    let (patterns, pattern_locs) = match get(&m, "patterns") {
        Some(p) => read_patterns(cx, p, &join(&base, "patterns"), kind, &options),
        None => {
            if kind.is_some_and(|k| k != RuleKind::Context) {
                cx.error(
                    n.offset,
                    &join(&base, "patterns"),
                    "required field is missing",
                );
            }
            (Vec::new(), Vec::new())
        }
    };
    let context = match (get(&m, "context"), kind) {
        (Some(c), Some(RuleKind::Context)) => read_context(cx, c, &join(&base, "context")),
        (Some(c), Some(_)) => {
            cx.error(
                c.offset,
                &join(&base, "context"),
                "only rules of kind \"context\" take a context",
            );
            None
        }
        (None, Some(RuleKind::Context)) => {
            cx.error(
                n.offset,
                &join(&base, "context"),
                "a context rule needs a context (kind, cues, targets)",
            );
            None
        }
        _ => None,
    };
    if kind == Some(RuleKind::Context) && !patterns.is_empty() {
        cx.error(
            n.offset,
            &join(&base, "patterns"),
            "context rules take no patterns",
        );
    }
    let (description, description_i18n) = get(&m, "description")
        .and_then(|v| {
            cx.text(
                v,
                &join(&base, "description"),
                limits::MAX_DESCRIPTION_CHARS,
                false,
            )
        })
        .unwrap_or_default();
    let examples = get(&m, "examples")
        .map(|v| read_examples(cx, v, &join(&base, "examples")))
        .unwrap_or_default();
    let loc = cx.loc(n.offset);
    cx.rule_id = None;
    Some(Rule {
        id: id?,
        category: category?,
        severity: severity?,
        kind: kind?,
        patterns,
        pattern_locs,
        options,
        context: if kind == Some(RuleKind::Context) {
            Some(context?)
        } else {
            None
        },
        description,
        description_i18n,
        examples,
        loc,
    })
}

fn read_options(cx: &mut Ctx, n: &Node, path: &str, kind: Option<RuleKind>) -> RuleOptions {
    let mut o = RuleOptions::default();
    let Some(m) = cx.object(n, path, OPTION_FIELDS) else {
        return o;
    };
    for (k, v) in m {
        let p = join(path, k);
        match k {
            "whole_word" => o.whole_word = cx.boolean(v, &p).unwrap_or(o.whole_word),
            "stem" => o.stem = cx.boolean(v, &p).unwrap_or(o.stem),
            "stem_max" => o.stem_max = cx.uint(v, &p, 0, 64).unwrap_or(o.stem_max),
            "except" => o.except = cx.strings(v, &p, 10_000, limits::MAX_KEYWORD_CHARS),
            "case_sensitive" => o.case_sensitive = cx.boolean(v, &p).unwrap_or(false),
            "fold" => {
                o.fold = cx.boolean(v, &p).unwrap_or(true);
                if !o.fold && kind != Some(RuleKind::Regex) {
                    cx.error(
                        v.offset,
                        &p,
                        "\"fold\": false is only for regex rules (keywords always match folded text)",
                    );
                }
            }
            "mention" => o.mention = cx.boolean(v, &p).unwrap_or(false),
            "clitics" => o.clitics = cx.boolean(v, &p).unwrap_or(true),
            "standalone" => o.standalone = cx.boolean(v, &p).unwrap_or(true),
            _ => {}
        }
    }
    o
}

fn read_patterns(
    cx: &mut Ctx,
    n: &Node,
    path: &str,
    kind: Option<RuleKind>,
    options: &RuleOptions,
) -> (Vec<String>, Vec<Loc>) {
    let mut pats = Vec::new();
    let mut locs = Vec::new();
    let Some(items) = cx.array(n, path, limits::MAX_PATTERNS_PER_RULE) else {
        return (pats, locs);
    };
    if items.is_empty() && kind != Some(RuleKind::Context) {
        cx.error(n.offset, path, "at least one pattern is needed");
    }
    let mut seen = HashSet::new();
    for (j, it) in items.iter().enumerate() {
        let p = format!("{path}[{j}]");
        let max = if kind == Some(RuleKind::Regex) {
            limits::MAX_REGEX_CHARS
        } else {
            limits::MAX_KEYWORD_CHARS
        };
        let Some(s) = cx.string(it, &p, max) else {
            continue;
        };
        if s.trim().is_empty() {
            cx.error(it.offset, &p, "empty pattern");
            continue;
        }
        match kind {
            Some(RuleKind::Keyword) => {
                let body = s.strip_suffix('*').unwrap_or(&s);
                let folded = crate::normalize::fold_pattern(body);
                if !folded.chars().any(crate::normalize::is_word_char) {
                    cx.error(
                        it.offset,
                        &p,
                        "pattern has no letters or digits once folded",
                    );
                    continue;
                }
                if !seen.insert(folded.trim().to_string() + if s.ends_with('*') { "*" } else { "" })
                {
                    cx.error(
                        it.offset,
                        &p,
                        format!(
                            "same pattern as an earlier one once folded ({:?})",
                            folded.trim()
                        ),
                    );
                    continue;
                }
            }
            Some(RuleKind::Regex) => {
                if let Err(e) = check_regex(&s, !options.case_sensitive) {
                    cx.error(it.offset, &p, e);
                    continue;
                }
            }
            Some(RuleKind::Identifier) if IdKind::parse(&s).is_none() => {
                let names: Vec<&str> = IdKind::ALL.iter().map(|k| k.as_str()).collect();
                cx.error(
                    it.offset,
                    &p,
                    format!("{s:?} is not an identifier kind ({})", names.join(", ")),
                );
                continue;
            }
            _ => {}
        }
        pats.push(s);
        locs.push(cx.loc(it.offset));
    }
    (pats, locs)
}

fn read_context(cx: &mut Ctx, n: &Node, path: &str) -> Option<ContextSpec> {
    let m = cx.object(n, path, CONTEXT_FIELDS)?;
    for k in ["kind", "targets"] {
        if get(&m, k).is_none() {
            cx.error(n.offset, &join(path, k), "required field is missing");
        }
    }
    if get(&m, "cues").is_none() && get(&m, "block_cues").is_none() {
        cx.error(n.offset, &join(path, "cues"), "required field is missing");
    }
    let kind = get(&m, "kind").and_then(|v| {
        let p = join(path, "kind");
        let s = cx.nonempty(v, &p, 64)?;
        let reserved = s == "keyword" || s == "regex" || IdKind::parse(&s).is_some();
        if !is_ident(&s) || reserved {
            cx.error(
                v.offset,
                &p,
                "a new kind name in lower case (e.g. donation_request), not keyword, regex or an identifier kind",
            );
            return None;
        }
        Some(s)
    });
    let cues = get(&m, "cues")
        .map(|v| cx.strings(v, &join(path, "cues"), 1000, 100))
        .unwrap_or_default();
    let mut targets = Vec::new();
    if let Some(tv) = get(&m, "targets") {
        let p = join(path, "targets");
        if let Some(items) = cx.array(tv, &p, 100) {
            for (j, it) in items.iter().enumerate() {
                let pj = format!("{p}[{j}]");
                if let Some(s) = cx.string(it, &pj, 64) {
                    match IdKind::parse(&s) {
                        Some(k) => targets.push(k),
                        None => {
                            cx.error(it.offset, &pj, format!("{s:?} is not an identifier kind"))
                        }
                    }
                }
            }
        }
    }
    let window = get(&m, "window")
        .and_then(|v| cx.uint(v, &join(path, "window"), 1, limits::MAX_CONTEXT_WINDOW))
        .unwrap_or(limits::DEFAULT_CONTEXT_WINDOW);
    let escalate_with = get(&m, "escalate_with")
        .map(|v| cx.strings(v, &join(path, "escalate_with"), 100, 64))
        .unwrap_or_default();
    let block_cues = get(&m, "block_cues")
        .map(|v| cx.strings(v, &join(path, "block_cues"), 1000, 100))
        .unwrap_or_default();
    let list_gap = get(&m, "list_gap")
        .and_then(|v| cx.uint(v, &join(path, "list_gap"), 0, limits::MAX_CONTEXT_WINDOW))
        .unwrap_or(0);
    let mut unless = Vec::new();
    if let Some(uv) = get(&m, "unless") {
        let p = join(path, "unless");
        if let Some(items) = cx.array(uv, &p, MAX_UNLESS) {
            // One entry per item, even a broken one (its errors are
            // recorded and the pack is refused): rule references are then
            // checked and located by the same index.
            for (j, it) in items.iter().enumerate() {
                unless.push(read_unless(cx, it, &format!("{p}[{j}]")));
            }
        }
    }
    if cues.is_empty() && block_cues.is_empty() || targets.is_empty() {
        cx.error(
            n.offset,
            path,
            "a context needs at least one cue and one target",
        );
    }
    Some(ContextSpec {
        kind: kind?,
        cues,
        targets,
        window,
        escalate_with,
        block_cues,
        list_gap,
        unless,
    })
}

/// One entry of `context.unless`: `{"rules": [...], "scope": "nearer",
/// "effect": "cancel"}` (scope and effect optional). A broken entry is
/// reported and read as far as it goes.
fn read_unless(cx: &mut Ctx, n: &Node, path: &str) -> Unless {
    let mut u = Unless {
        rules: Vec::new(),
        scope: UnlessScope::Nearer,
        effect: UnlessEffect::Cancel,
    };
    let Some(m) = cx.object(n, path, UNLESS_FIELDS) else {
        return u;
    };
    match get(&m, "rules") {
        None => cx.error(n.offset, &join(path, "rules"), "required field is missing"),
        Some(rv) => {
            u.rules = cx.strings(rv, &join(path, "rules"), 1000, 100);
            if matches!(&rv.value, Value::Array(a) if a.is_empty()) {
                cx.error(rv.offset, &join(path, "rules"), "name at least one rule");
            }
        }
    }
    if let Some(v) = get(&m, "scope") {
        let names = "nearer, window, block";
        if let Some(s) = choice(cx, v, &join(path, "scope"), UnlessScope::parse, names) {
            u.scope = s;
        }
    }
    if let Some(v) = get(&m, "effect") {
        let names = "cancel, lower";
        if let Some(e) = choice(cx, v, &join(path, "effect"), UnlessEffect::parse, names) {
            u.effect = e;
        }
    }
    u
}

/// A string that must be one of a few names.
fn choice<T>(
    cx: &mut Ctx,
    n: &Node,
    path: &str,
    parse: fn(&str) -> Option<T>,
    names: &str,
) -> Option<T> {
    let s = cx.string(n, path, 64)?;
    let v = parse(&s);
    if v.is_none() {
        cx.error(n.offset, path, format!("{s:?} is not one of: {names}"));
    }
    v
}

fn read_examples(cx: &mut Ctx, n: &Node, path: &str) -> Examples {
    let mut ex = Examples::default();
    let Some(m) = cx.object(n, path, &["match", "no_match"]) else {
        return ex;
    };
    let max = limits::MAX_EXAMPLES_PER_RULE;
    if let Some(v) = get(&m, "match") {
        ex.matches = cx.strings(v, &join(path, "match"), max, limits::MAX_EXAMPLE_CHARS);
    }
    if let Some(v) = get(&m, "no_match") {
        ex.no_matches = cx.strings(v, &join(path, "no_match"), max, limits::MAX_EXAMPLE_CHARS);
    }
    ex
}

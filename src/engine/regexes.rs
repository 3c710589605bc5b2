//! Regex rules: compiled with the limits of [`crate::limits`]; rules that run
//! on folded text have their literals and small classes folded the same way
//! the text is, so a pack author writes `джихад\w*` and it matches the folded
//! page text (where, say, Cyrillic `а` became Latin `a`).

use super::findings::{Collector, Finding, FindingKind};
use super::rules::Rules;
use super::scantext::ScanText;
use super::work::Work;
use crate::limits;
use crate::normalize::{self, is_word_char};
use crate::pack::{Loc, PackError, Rule};
use regex_automata::meta::{Config, Regex};
use regex_automata::{Input, MatchKind, PatternSet};
use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind};

struct RegexEntry {
    rule: u32,
    pattern: u32,
    re: Regex,
    hir: Hir,
    folded: bool,
}

/// The regexes that run on one kind of text (folded or original), with the
/// set that says, block by block, which of them can match at all.
struct RegexGroup {
    members: Vec<usize>,
    gate: Option<Regex>,
}

impl RegexGroup {
    fn new(regexes: &[RegexEntry], folded: bool) -> RegexGroup {
        let members: Vec<usize> = (0..regexes.len())
            .filter(|&i| regexes[i].folded == folded)
            .collect();
        let hirs: Vec<&Hir> = members.iter().map(|&i| &regexes[i].hir).collect();
        RegexGroup {
            gate: gate(&hirs),
            members,
        }
    }
}

/// Regex patterns gathered from the packs, compiled one by one as they come.
#[derive(Default)]
pub(crate) struct RegexesBuilder {
    entries: Vec<RegexEntry>,
    count: usize,
}

impl RegexesBuilder {
    /// Compiles the patterns of regex rule `rule` (engine index `idx`, index
    /// `ri` in its pack); errors are located with `err`.
    pub(crate) fn add_rule(
        &mut self,
        idx: u32,
        ri: usize,
        rule: &Rule,
        err: &dyn Fn(String, Loc, String) -> PackError,
        errors: &mut Vec<PackError>,
    ) {
        let o = &rule.options;
        for (pi, p) in rule.patterns.iter().enumerate() {
            self.count += 1;
            let loc = rule.pattern_locs.get(pi).copied().unwrap_or(rule.loc);
            let path = format!("rules[{ri}].patterns[{pi}]");
            if self.count > limits::MAX_REGEXES {
                let reason = format!(
                    "more than {} regex patterns in all packs",
                    limits::MAX_REGEXES
                );
                errors.push(err(path, loc, reason));
                continue;
            }
            match compile(p, o.fold, !o.case_sensitive) {
                Ok(c) => self.entries.push(RegexEntry {
                    rule: idx,
                    pattern: pi as u32,
                    re: c.re,
                    hir: c.hir,
                    folded: o.fold,
                }),
                Err(e) => errors.push(err(path, loc, e)),
            }
        }
    }

    /// Builds the gates.
    pub(crate) fn build(self) -> Regexes {
        Regexes {
            folded: RegexGroup::new(&self.entries, true),
            original: RegexGroup::new(&self.entries, false),
            entries: self.entries,
        }
    }
}

/// The compiled regex rules.
pub(crate) struct Regexes {
    entries: Vec<RegexEntry>,
    folded: RegexGroup,
    original: RegexGroup,
}

impl Regexes {
    /// Number of regexes.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Runs the regexes block by block. With a gate (a set of the group's
    /// regexes), one pass of the set over each block says which regexes can
    /// match there, and only those run, on that block: the cost no longer
    /// grows with the number of regex rules times the text.
    pub(crate) fn scan(&self, t: &ScanText, rules: &Rules, out: &mut Collector, work: &mut Work) {
        for (group, on_folded) in [(&self.folded, true), (&self.original, false)] {
            if group.members.is_empty() {
                continue;
            }
            let hay_all = if on_folded { t.ftext() } else { t.text };
            let whole = [(0, hay_all.len())];
            let folded_ranges;
            let ranges: &[(usize, usize)] = match (&group.gate, on_folded) {
                (None, _) => &whole,
                (Some(_), true) => {
                    folded_ranges = t.folded_ranges();
                    &folded_ranges
                }
                (Some(_), false) => t.original_ranges(),
            };
            let mut patset = PatternSet::new(group.members.len());
            for &(rs, re_end) in ranges {
                let Some(hay) = hay_all.get(rs..re_end) else {
                    continue;
                };
                let run: Vec<usize> = match &group.gate {
                    Some(set) => {
                        work.regex_bytes += hay.len() as u64;
                        gated(set, hay, &mut patset)
                            .into_iter()
                            .map(|i| group.members[i])
                            .collect()
                    }
                    None => group.members.clone(),
                };
                for ri in run {
                    work.regex_bytes += hay.len() as u64;
                    self.run_one(&self.entries[ri], t, rules, (rs, hay), on_folded, out);
                }
            }
        }
    }

    /// One regex over one block (`rs`: the block's byte offset in `hay_all`).
    fn run_one(
        &self,
        rx: &RegexEntry,
        t: &ScanText,
        rules: &Rules,
        (rs, hay): (usize, &str),
        on_folded: bool,
        out: &mut Collector,
    ) {
        let hay_all = if on_folded { t.ftext() } else { t.text };
        let r = rules.rt(rx.rule);
        for m in rx.re.find_iter(hay) {
            let (ms, me) = (rs + m.start(), rs + m.end());
            if ms == me || (r.whole_word && !word_bounded(hay_all, ms, me)) {
                continue;
            }
            let (s, e) = if on_folded {
                t.folded.span(ms, me)
            } else {
                (t.index().utf16(ms), t.index().utf16(me))
            };
            if !t.same_block(s, e) {
                continue;
            }
            out.push(Finding {
                start: s,
                end: e,
                rule: rx.rule,
                pattern: rx.pattern,
                kind: FindingKind::Regex,
                severity: rules.meta(rx.rule).severity,
                score: 0,
                checksum: None,
                block: t.block_of(s),
                cue: None,
                against: None,
                weight: 0,
            });
        }
    }
}

/// Whether `[s, e)` of `hay` starts and ends at word boundaries (where its
/// own first and last chars are word chars).
fn word_bounded(hay: &str, s: usize, e: usize) -> bool {
    let first = hay[s..e].chars().next();
    let last = hay[s..e].chars().next_back();
    let before = hay[..s].chars().next_back();
    let after = hay[e..].chars().next();
    let left_ok = !(first.is_some_and(is_word_char) && before.is_some_and(is_word_char));
    let right_ok = !(last.is_some_and(is_word_char) && after.is_some_and(is_word_char));
    left_ok && right_ok
}

/// Classes larger than this are left as written (`\w`, `\p{L}`): folding them
/// one char at a time would be slow and they already cover the folded forms.
const MAX_CLASS_TO_FOLD: u32 = 4_096;

/// A compiled rule regex.
struct Compiled {
    /// The regex.
    re: Regex,
    /// What it was compiled from (folded when it runs on folded text), for
    /// the engine's gate.
    hir: Hir,
}

fn config() -> Config {
    Config::new()
        .nfa_size_limit(Some(limits::REGEX_SIZE_LIMIT))
        .hybrid_cache_capacity(limits::REGEX_DFA_SIZE_LIMIT)
}

/// Compiles a rule's regex; `folded` says it runs on folded text. Syntax
/// errors were reported with their position when the pack was parsed; here
/// they are checked again (an engine may be given packs built in code) and
/// the compiled size is checked against the limit.
///
/// The regex is built from its syntax tree (`build_from_hir`): the folded
/// tree is never printed and parsed again, which for Unicode classes such as
/// `\w` was most of the compile time.
fn compile(pattern: &str, folded: bool, case_insensitive: bool) -> Result<Compiled, String> {
    // Folded text is lower case and its literals are folded below, so case
    // folding in the regex itself would only turn literals into classes
    // (and cost the literal prefilter): a folded regex is parsed as written.
    let hir = crate::pack::regex_hir(pattern, case_insensitive && !folded)?;
    let hir = if folded { fold_hir(&hir) } else { hir };
    let re = Regex::builder()
        .configure(config())
        .build_from_hir(&hir)
        .map_err(|e| match e.size_limit() {
            Some(n) => format!(
                "regex too big once compiled (over the limit of {n} bytes): simplify it or split it into several patterns"
            ),
            None => format!("regex could not be compiled: {e}"),
        })?;
    Ok(Compiled { re, hir })
}

/// All regexes of one kind (folded or original) in one multi-pattern regex
/// that reports every pattern matching in a block (`MatchKind::All`), so one
/// pass over a block tells which regexes to run there. `None` for fewer than
/// two regexes or when the set would be over its limits (then every regex
/// runs on the whole text).
fn gate(hirs: &[&Hir]) -> Option<Regex> {
    if hirs.len() < 2 {
        return None;
    }
    Regex::builder()
        .configure(
            Config::new()
                .match_kind(MatchKind::All)
                .nfa_size_limit(Some(limits::REGEX_SET_SIZE_LIMIT))
                .hybrid_cache_capacity(limits::REGEX_SET_DFA_SIZE_LIMIT),
        )
        .build_many_from_hir(hirs)
        .ok()
}

/// Indices (into the gate's patterns) of the patterns that match in `hay`.
fn gated(gate: &Regex, hay: &str, set: &mut PatternSet) -> Vec<usize> {
    set.clear();
    gate.which_overlapping_matches(&Input::new(hay), set);
    set.iter().map(|p| p.as_usize()).collect()
}

fn fold_char(c: char) -> Option<char> {
    let mut buf = [0u8; 4];
    let f = normalize::fold_pattern(c.encode_utf8(&mut buf));
    let mut it = f.chars();
    match (it.next(), it.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

fn fold_hir(h: &Hir) -> Hir {
    match h.kind() {
        // A literal run folds as a whole, like a keyword: "kill" becomes
        // "kil" (repeated letters collapse in page text too), "ДЖИХАД" the
        // folded Cyrillic-with-look-alikes form. Folding is idempotent, so a
        // literal already written in folded form stays as it is.
        HirKind::Literal(lit) => match std::str::from_utf8(&lit.0) {
            Ok(s) => Hir::literal(normalize::fold_pattern(s).into_bytes()),
            Err(_) => h.clone(),
        },
        HirKind::Class(Class::Unicode(cls)) => {
            let size: u32 = cls
                .iter()
                .map(|r| r.end() as u32 - r.start() as u32 + 1)
                .sum();
            if size > MAX_CLASS_TO_FOLD {
                return h.clone();
            }
            // Collect first and canonicalize once: `ClassUnicode::push`
            // canonicalizes on every call.
            let mut ranges: Vec<ClassUnicodeRange> = cls.iter().copied().collect();
            for r in cls.iter() {
                for cp in r.start() as u32..=r.end() as u32 {
                    if let Some(f) = char::from_u32(cp).and_then(fold_char) {
                        ranges.push(ClassUnicodeRange::new(f, f));
                    }
                }
            }
            Hir::class(Class::Unicode(ClassUnicode::new(ranges)))
        }
        HirKind::Repetition(rep) => {
            let mut rep = rep.clone();
            rep.sub = Box::new(fold_hir(&rep.sub));
            Hir::repetition(rep)
        }
        HirKind::Capture(cap) => {
            let mut cap = cap.clone();
            cap.sub = Box::new(fold_hir(&cap.sub));
            Hir::capture(cap)
        }
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(fold_hir).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(fold_hir).collect()),
        _ => h.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_regex_matches_folded_text() {
        let re = compile(r"джихад\w*", true, true).unwrap().re;
        let text = normalize::fold("Объявлен ДЖИХАДОМ", &[]);
        assert!(re.is_match(text.as_str()));
        assert!(compile("(unclosed", true, true).is_err());
    }

    #[test]
    fn literals_fold_like_keywords() {
        let re = compile(r"kill (all )?the kuffar", true, true).unwrap().re;
        let text = normalize::fold("KILL ALL THE KUFFAR", &[]);
        assert!(re.is_match(text.as_str()));
        let re = compile(r"[А-Я]+ИЛ", true, true).unwrap().re;
        assert!(re.is_match(normalize::fold("ИГИЛ", &[]).as_str()));
    }

    #[test]
    fn original_regex_is_plain() {
        let re = compile(r"(?-i)ИГ", false, false).unwrap().re;
        assert!(re.is_match("ИГ"));
        assert!(!re.is_match("иг"));
    }

    #[test]
    fn catastrophic_and_nested_are_refused_or_bounded() {
        // On the original text the regex is refused as too big. On folded
        // text the repeated literal collapses like page text does ("aaaaa"
        // folds to "a"), so it compiles small: bounded either way.
        assert!(compile("(a{5}){5}{5}{5}{5}{5}{5}", false, true).is_err());
        if let Ok(c) = compile("(a{5}){5}{5}{5}{5}{5}", true, true) {
            assert!(c.hir.to_string().len() < 100, "{}", c.hir);
        }
        let nested = "(".repeat(200) + "a" + &")".repeat(200);
        assert!(compile(&nested, true, true).is_err());
        assert!(compile(&nested, false, true).is_err());
    }
}

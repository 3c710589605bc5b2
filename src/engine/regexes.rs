//! Regex rules: compiled with the limits of [`crate::limits`]; rules that run
//! on folded text have their literals and small classes folded the same way
//! the text is, so a pack author writes `джихад\w*` and it matches the folded
//! page text (where, say, Cyrillic `а` became Latin `a`).

use crate::limits;
use crate::normalize;
use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind};

/// Classes larger than this are left as written (`\w`, `\p{L}`): folding them
/// one char at a time would be slow and they already cover the folded forms.
const MAX_CLASS_TO_FOLD: u32 = 4_096;

/// A compiled rule regex and the source it was compiled from (flags inline),
/// for the engine's [`regex::RegexSet`] that gates which regexes run where.
pub struct Compiled {
    /// The regex.
    pub re: regex::Regex,
    /// Its source with flags inline.
    pub source: String,
}

/// Compiles a rule's regex; `folded` says it runs on folded text. Syntax
/// errors were reported with their position when the pack was parsed.
pub fn compile(pattern: &str, folded: bool, case_insensitive: bool) -> Result<Compiled, String> {
    if !folded {
        let re = crate::pack::build_regex(pattern, case_insensitive)?;
        let source = if case_insensitive {
            format!("(?i){pattern}")
        } else {
            pattern.to_string()
        };
        return Ok(Compiled { re, source });
    }
    // Folded text is lower case and its literals are folded below, so case
    // folding in the regex itself would only turn literals into classes
    // (and cost the literal prefilter): parse case-sensitively.
    crate::pack::check_regex(pattern, case_insensitive)?;
    let hir = regex_syntax::ParserBuilder::new()
        .nest_limit(limits::REGEX_NEST_LIMIT)
        .build()
        .parse(pattern)
        .map_err(|e| format!("invalid regex: {e}"))?;
    let printed = fold_hir(&hir).to_string();
    let re = regex::RegexBuilder::new(&printed)
        .size_limit(limits::REGEX_SIZE_LIMIT)
        .dfa_size_limit(limits::REGEX_DFA_SIZE_LIMIT)
        .nest_limit(limits::REGEX_NEST_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(n) => {
                format!("regex too big once folded and compiled (over {n} bytes)")
            }
            other => format!("regex could not be compiled once folded: {other}"),
        })?;
    Ok(Compiled {
        re,
        source: printed,
    })
}

/// All regexes of one kind (folded or original) in one set, so one pass over
/// a block tells which of them can match there. `None` when the set would be
/// over the limits (then every regex runs on the whole text).
pub fn gate(sources: &[&str]) -> Option<regex::RegexSet> {
    if sources.len() < 2 {
        return None;
    }
    regex::RegexSetBuilder::new(sources)
        .size_limit(limits::REGEX_SET_SIZE_LIMIT)
        .dfa_size_limit(limits::REGEX_SET_DFA_SIZE_LIMIT)
        .nest_limit(limits::REGEX_NEST_LIMIT)
        .build()
        .ok()
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
            let mut out = cls.clone();
            for r in cls.iter() {
                for cp in r.start() as u32..=r.end() as u32 {
                    if let Some(c) = char::from_u32(cp) {
                        if let Some(f) = fold_char(c) {
                            out.push(ClassUnicodeRange::new(f, f));
                        }
                    }
                }
            }
            Hir::class(Class::Unicode(ClassUnicode::new(out.iter().copied())))
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
            assert!(c.source.len() < 100, "{}", c.source);
        }
        let nested = "(".repeat(200) + "a" + &")".repeat(200);
        assert!(compile(&nested, true, true).is_err());
        assert!(compile(&nested, false, true).is_err());
    }
}

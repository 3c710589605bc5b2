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

/// Compiles a rule's regex; `folded` says it runs on folded text.
pub fn compile(
    pattern: &str,
    folded: bool,
    case_insensitive: bool,
) -> Result<regex::Regex, String> {
    if !folded {
        return crate::pack::build_regex(pattern, case_insensitive);
    }
    // Validate as written first, so errors point into the author's pattern.
    crate::pack::build_regex(pattern, case_insensitive)?;
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .nest_limit(limits::REGEX_NEST_LIMIT)
        .build()
        .parse(pattern)
        .map_err(|e| format!("invalid regex: {e}"))?;
    let printed = fold_hir(&hir).to_string();
    regex::RegexBuilder::new(&printed)
        .size_limit(limits::REGEX_SIZE_LIMIT)
        .dfa_size_limit(limits::REGEX_DFA_SIZE_LIMIT)
        .nest_limit(limits::REGEX_NEST_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(n) => {
                format!("regex too big once folded and compiled (over {n} bytes)")
            }
            other => format!("regex could not be compiled once folded: {other}"),
        })
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
        HirKind::Literal(lit) => match std::str::from_utf8(&lit.0) {
            Ok(s) => {
                // Fold char by char: folding a fragment as a whole could join
                // or collapse across what the author meant as separate pieces.
                let mut out = String::new();
                for c in s.chars() {
                    let mut buf = [0u8; 4];
                    let f = normalize::fold_pattern(c.encode_utf8(&mut buf));
                    if f.is_empty() && !c.is_whitespace() {
                        continue;
                    }
                    if f.is_empty() {
                        out.push(c);
                    } else {
                        out.push_str(&f);
                    }
                }
                Hir::literal(out.into_bytes())
            }
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
        let re = compile(r"джихад\w*", true, true).unwrap();
        let text = normalize::fold("Объявлен ДЖИХАДОМ", &[]);
        assert!(re.is_match(text.as_str()));
    }

    #[test]
    fn original_regex_is_plain() {
        let re = compile(r"(?-i)ИГ", false, false).unwrap();
        assert!(re.is_match("ИГ"));
        assert!(!re.is_match("иг"));
    }

    #[test]
    fn catastrophic_and_nested_are_refused_or_bounded() {
        assert!(compile("(a{5}){5}{5}{5}{5}{5}", true, true).is_err());
        let nested = "(".repeat(200) + "a" + &")".repeat(200);
        assert!(compile(&nested, true, true).is_err());
    }
}

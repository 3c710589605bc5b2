//! Keyword and phrase rules: every pattern of every pack in one Aho-Corasick
//! automaton over folded text, with word boundaries, Arabic clitic prefixes,
//! stems and case checked after the automaton (the `regex` crate's Unicode
//! `\b` is slow on non-ASCII text; DESIGN.md).
//!
//! Cost: one automaton pass over the folded text, then per match a bounded
//! walk (at most the longest clitic prefix back, at most the
//! rule's `stem_max` + 1 forward for a stem, at most [`limits::MAX_KEYWORD_CHARS`]
//! back for an `except` word), so a page of one enormous word costs what a
//! page of short ones does.

use super::findings::{Collector, Finding, FindingKind};
use super::rules::{RuleRt, Rules};
use super::scantext::ScanText;
use super::work::Work;
use crate::limits;
use crate::normalize::{self, is_word_char};
use crate::pack::Rule;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::collections::HashSet;

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

/// Patterns gathered from the packs, before the automaton is built.
pub(crate) struct KeywordsBuilder {
    patterns: Vec<String>,
    entries: Vec<AcEntry>,
    article: String,
}

impl KeywordsBuilder {
    pub(crate) fn new() -> Self {
        KeywordsBuilder {
            patterns: Vec::new(),
            entries: Vec::new(),
            article: normalize::fold_pattern("ال"),
        }
    }

    /// Adds the patterns of keyword rule `rule` (engine index `idx`).
    pub(crate) fn add_rule(&mut self, idx: u32, rule: &Rule) {
        let o = &rule.options;
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
                if let Some(rest) = folded.strip_prefix(self.article.as_str()) {
                    if rest.chars().next().is_some_and(is_word_char) {
                        self.patterns.push(rest.to_string());
                        self.entries.push(AcEntry {
                            needs_lam: true,
                            ..entry.clone()
                        });
                    }
                }
            }
            self.patterns.push(folded);
            self.entries.push(entry);
        }
    }

    /// Number of automaton patterns so far.
    pub(crate) fn len(&self) -> usize {
        self.patterns.len()
    }

    /// Builds the automaton.
    pub(crate) fn build(self) -> Result<Keywords, String> {
        let (ac, pad) = if self.patterns.is_empty() {
            (None, 0)
        } else {
            let (ac, pad) = automaton(&self.patterns)?;
            (Some(ac), pad)
        };
        let clitic_prefixes = clitic_prefixes();
        let lam_prefixes: HashSet<String> = ["لل", "ولل", "فلل"]
            .iter()
            .map(|p| normalize::fold_pattern(p))
            .collect();
        let max_prefix_chars = clitic_prefixes
            .iter()
            .chain(&lam_prefixes)
            .map(|p| p.chars().count())
            .max()
            .unwrap_or(0);
        Ok(Keywords {
            ac,
            pad,
            entries: self.entries,
            clitic_prefixes,
            lam_prefixes,
            max_prefix_chars,
        })
    }
}

/// Patterns from which the automaton gets a pad (see [`automaton`]).
const PAD_FROM_PATTERNS: usize = 2_048;

/// Builds the automaton; returns it with the number of pad patterns in
/// front of ours (their ids come first).
///
/// A DFA is about twice as fast as the contiguous NFA (measured here on
/// folded text: ~450 against ~210 MB/s) but its memory grows with states x
/// byte classes: ~9 MB for 1k generated keywords, ~43 MB for 5k. Small sets
/// get the DFA; larger ones the contiguous NFA (~1 MB per 5k keywords).
///
/// The pad: aho-corasick 1.1 moves match states in front of the others
/// after building its trie (`noncontiguous::Compiler::shuffle`) by pairwise
/// swaps, then resolves each state's new id by walking its cycle of swaps
/// (`Remapper::remap`). When most patterns add only one (match) state to
/// the trie — numbered handles, "abu_1" .. "abu_40000", phone-like lists —
/// the few early non-match states are swapped along the whole list, the
/// cycles grow as long as the list, and the build turns quadratic (40k
/// such patterns: 1.1 s; 200k: 24 s, measured here). A first pattern that
/// can never match (bytes 0xFF never occur in UTF-8 text) gives the trie
/// `n / 16` early non-match states, which cuts every cycle to about 16
/// swaps: 34 ms for 40k, 159 ms for 200k; other pattern sets build as fast
/// as before, for about 16 bytes per pad state.
fn automaton(patterns: &[String]) -> Result<(AhoCorasick, usize), String> {
    let pattern_bytes: usize = patterns.iter().map(String::len).sum();
    let kind = if pattern_bytes <= limits::AC_DFA_MAX_PATTERN_BYTES {
        AhoCorasickKind::DFA
    } else {
        AhoCorasickKind::ContiguousNFA
    };
    let pad = (patterns.len() >= PAD_FROM_PATTERNS).then(|| vec![0xFFu8; patterns.len() / 16 + 1]);
    let all = || {
        pad.iter()
            .map(Vec::as_slice)
            .chain(patterns.iter().map(String::as_bytes))
    };
    let builder = |kind: Option<AhoCorasickKind>| {
        AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(kind)
            .build(all())
    };
    builder(Some(kind))
        .or_else(|_| builder(None))
        .map(|ac| (ac, usize::from(pad.is_some())))
        .map_err(|e| format!("the keyword automaton could not be built: {e}"))
}

/// Every combination of conjunction, preposition and article, folded.
fn clitic_prefixes() -> HashSet<String> {
    let mut out = HashSet::new();
    for conj in ["", "و", "ف"] {
        for prep in ["", "ب", "ل", "ك"] {
            for article in ["", "ال"] {
                let raw = if prep == "ل" && article == "ال" {
                    format!("{conj}لل")
                } else {
                    format!("{conj}{prep}{article}")
                };
                if !raw.is_empty() {
                    out.insert(normalize::fold_pattern(&raw));
                }
            }
        }
    }
    out
}

/// Arabic letters: clitic prefixes are only looked for before Arabic patterns.
fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}')
}

/// The compiled keyword rules.
pub(crate) struct Keywords {
    ac: Option<AhoCorasick>,
    /// Pad patterns in front of ours in the automaton (see [`automaton`]).
    pad: usize,
    entries: Vec<AcEntry>,
    clitic_prefixes: HashSet<String>,
    lam_prefixes: HashSet<String>,
    /// Longest clitic prefix in chars: how far back a match looks for one.
    max_prefix_chars: usize,
}

impl Keywords {
    /// Number of automaton patterns.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Heap bytes of the automaton and its entries.
    pub(crate) fn memory_usage(&self) -> usize {
        self.ac.as_ref().map_or(0, |a| a.memory_usage())
            + self.entries.len() * std::mem::size_of::<AcEntry>()
    }

    /// One automaton pass over the folded text; accepted matches go to `out`.
    pub(crate) fn scan(&self, t: &ScanText, rules: &Rules, out: &mut Collector, work: &mut Work) {
        let Some(ac) = &self.ac else { return };
        let ftext = t.ftext();
        for m in ac.find_overlapping_iter(ftext) {
            work.keyword_matches += 1;
            let Some(e) = m
                .pattern()
                .as_usize()
                .checked_sub(self.pad)
                .map(|i| &self.entries[i])
            else {
                continue;
            };
            let r = rules.rt(e.rule);
            let Some((start, end)) = self.accept(ftext, m.start(), m.end(), e, r, work) else {
                continue;
            };
            let (s, end16) = t.folded.span(start, end);
            if !t.same_block(s, end16) {
                continue;
            }
            if r.case_sensitive && !case_agrees(t, rules, s, end16, e) {
                continue;
            }
            out.push(Finding {
                start: s,
                end: end16,
                rule: e.rule,
                pattern: e.pattern,
                kind: FindingKind::Keyword,
                severity: rules.meta(e.rule).severity,
                score: 0,
                checksum: None,
                block: t.block_of(s),
                cue: None,
                against: None,
                weight: 0,
            });
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
        work: &mut Work,
    ) -> Option<(usize, usize)> {
        let mut start = s;
        if r.whole_word && entry.word_start {
            let prev = f[..s].chars().next_back();
            if prev.is_some_and(is_word_char) {
                if !(entry.arabic && r.clitics) {
                    return None;
                }
                let ws = word_start(f, s, self.max_prefix_chars, work)?;
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
        let end = if entry.stem {
            stem_end(f, s, e, r, work)?
        } else if r.whole_word && entry.word_end && f[e..].chars().next().is_some_and(is_word_char)
        {
            return None;
        } else {
            e
        };
        Some((start, end))
    }
}

/// Start of the word that contains the char ending at `pos`, if the word
/// starts at most `max` chars before `pos` (`None` when it is longer).
fn word_start(f: &str, pos: usize, max: usize, work: &mut Work) -> Option<usize> {
    let mut ws = pos;
    for (n, (i, c)) in f[..pos].char_indices().rev().enumerate() {
        work.boundary_steps += 1;
        if !is_word_char(c) {
            return Some(ws);
        }
        if n == max {
            return None;
        }
        ws = i;
    }
    Some(ws)
}

/// End of a stem match: the stem at `[s, e)` takes the rest of its word,
/// at most `stem_max` letters, and must not make an `except` word.
fn stem_end(f: &str, s: usize, e: usize, r: &RuleRt, work: &mut Work) -> Option<usize> {
    let mut end = e;
    let mut extra = 0u32;
    for (i, c) in f[e..].char_indices() {
        work.boundary_steps += 1;
        if !is_word_char(c) {
            break;
        }
        extra += 1;
        if extra > r.stem_max {
            return None;
        }
        end = e + i + c.len_utf8();
    }
    if !r.except.is_empty() {
        let ws = word_start(f, s, limits::MAX_KEYWORD_CHARS, work).unwrap_or(s);
        if r.except.contains(&f[s..end]) || r.except.contains(&f[ws..end]) {
            return None;
        }
    }
    Some(end)
}

/// For case-sensitive rules: do the letters of the original match have the
/// pattern's case? Letters are compared one by one when both have the same
/// number; otherwise (folding joined or dropped letters) the all-capitals
/// shape of both is compared.
fn case_agrees(t: &ScanText, rules: &Rules, s: u32, end: u32, entry: &AcEntry) -> bool {
    let idx = t.index();
    let Some(orig) = t.text.get(idx.byte(s)..idx.byte(end)) else {
        return false;
    };
    let pat = &rules.meta(entry.rule).patterns[entry.pattern as usize];
    let pat = pat.strip_suffix('*').unwrap_or(pat);
    let shape = |s: &str| -> Vec<bool> {
        s.chars()
            .filter(|c| c.is_alphabetic())
            .map(char::is_uppercase)
            .collect()
    };
    let (a, b) = (shape(orig), shape(pat));
    if a.len() >= b.len() && !b.is_empty() {
        a[..b.len()] == b[..]
    } else {
        a.iter().all(|&u| u) == b.iter().all(|&u| u)
    }
}

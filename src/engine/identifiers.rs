//! Identifier rules: payment identifiers found block by block on the
//! original text ([`crate::ids::scan`]), validated, and reported by every
//! rule that lists their kind.
//!
//! Cost: one candidate scan per block, then UTF-16 offsets by a cursor that
//! only moves forward through the block (identifiers come sorted by start),
//! so a post of 50,000 identifiers costs fifty thousand times one, not the
//! square of it.

use super::findings::{Collector, Finding, FindingKind};
use super::rules::Rules;
use super::scantext::ScanText;
use super::work::Work;
use crate::ids::{self, Checksum, IdKind};

/// One validated identifier of a scan, in UTF-16 offsets of the original.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IdHit {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) kind: IdKind,
    pub(crate) checksum: Checksum,
    pub(crate) block: u32,
}

/// The identifier rules, by the kind they report.
#[derive(Default)]
pub(crate) struct Identifiers {
    /// For each kind (by [`IdKind::index`]): the rules listing it, with the
    /// kind's index among the rule's patterns.
    by_kind: [Vec<(u32, u32)>; IdKind::ALL.len()],
    /// Some rule (identifier or context) needs identifiers at all.
    needed: bool,
}

impl Identifiers {
    /// Adds identifier rule `idx` (its kinds are its patterns).
    pub(crate) fn add_rule(&mut self, idx: u32, rules: &Rules) {
        for kind in IdKind::ALL {
            let pattern = rules.id_pattern(idx, kind);
            if pattern != u32::MAX {
                self.by_kind[kind.index()].push((idx, pattern));
            }
        }
        self.needed = true;
    }

    /// A context rule needs identifiers even when no identifier rule reports them.
    pub(crate) fn require(&mut self) {
        self.needed = true;
    }

    /// Finds the identifiers of every block; reports them through the rules
    /// that list their kind and returns them all (context rules use them).
    pub(crate) fn scan(
        &self,
        t: &ScanText,
        rules: &Rules,
        out: &mut Collector,
        work: &mut Work,
    ) -> Vec<IdHit> {
        let mut hits = Vec::new();
        if !self.needed {
            return hits;
        }
        for (bi, &(bs, be)) in t.original_ranges().iter().enumerate() {
            let Some(slice) = t.text.get(bs..be) else {
                continue;
            };
            work.id_bytes += slice.len() as u64;
            let base = t.blocks.get(bi).copied().unwrap_or(0);
            let mut cursor = Utf16Cursor::new(slice, base);
            for m in ids::scan(slice) {
                let start = cursor.at(m.start, work);
                let end = start + utf16_len(slice.get(m.start..m.end).unwrap_or(""), work);
                hits.push(IdHit {
                    start,
                    end,
                    kind: m.kind,
                    checksum: m.checksum,
                    block: bi as u32,
                });
            }
        }
        for h in &hits {
            for &(rule, pattern) in &self.by_kind[h.kind.index()] {
                out.push(Finding {
                    start: h.start,
                    end: h.end,
                    rule,
                    pattern,
                    kind: FindingKind::Id(h.kind),
                    severity: rules.meta(rule).severity,
                    score: 0,
                    checksum: Some(h.checksum),
                    block: h.block,
                    cue: None,
                    against: None,
                    weight: 0,
                });
            }
        }
        hits
    }
}

fn utf16_len(s: &str, work: &mut Work) -> u32 {
    work.offset_steps += s.len() as u64;
    s.encode_utf16().count() as u32
}

/// Byte -> UTF-16 offsets in one block, for byte offsets that never go back.
struct Utf16Cursor<'a> {
    text: &'a str,
    byte: usize,
    utf16: u32,
}

impl<'a> Utf16Cursor<'a> {
    fn new(text: &'a str, base: u32) -> Self {
        Utf16Cursor {
            text,
            byte: 0,
            utf16: base,
        }
    }

    /// The UTF-16 offset of `byte` (at or after the last one asked).
    fn at(&mut self, byte: usize, work: &mut Work) -> u32 {
        if byte > self.byte {
            let step = self.text.get(self.byte..byte).unwrap_or("");
            self.utf16 += utf16_len(step, work);
            self.byte = byte;
        }
        self.utf16
    }
}

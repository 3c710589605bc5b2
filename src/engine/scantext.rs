//! The text of one scan as every part sees it: the original, its folded
//! form with the offset map, and the blocks.

use super::text::Utf16Index;
use crate::normalize::Folded;
use std::cell::OnceCell;

/// Block starts as a scan uses them: sorted, deduplicated, `0` first.
pub(crate) fn block_list(block_starts: &[u32]) -> Vec<u32> {
    let mut blocks: Vec<u32> = block_starts.to_vec();
    blocks.sort_unstable();
    blocks.dedup();
    if blocks.first() != Some(&0) {
        blocks.insert(0, 0);
    }
    blocks
}

/// One scan's text. Lookups that not every scan needs (the UTF-16 index of
/// the original, block byte ranges) are computed on first use.
pub(crate) struct ScanText<'a> {
    pub(crate) text: &'a str,
    pub(crate) folded: &'a Folded,
    /// UTF-16 offsets where blocks start, sorted, `0` first.
    pub(crate) blocks: &'a [u32],
    index: OnceCell<Utf16Index<'a>>,
    original_ranges: OnceCell<Vec<(usize, usize)>>,
}

impl<'a> ScanText<'a> {
    pub(crate) fn new(text: &'a str, folded: &'a Folded, blocks: &'a [u32]) -> Self {
        ScanText {
            text,
            folded,
            blocks,
            index: OnceCell::new(),
            original_ranges: OnceCell::new(),
        }
    }

    /// The folded text.
    pub(crate) fn ftext(&self) -> &'a str {
        self.folded.as_str()
    }

    /// Byte <-> UTF-16 conversion for the original text.
    pub(crate) fn index(&self) -> &Utf16Index<'a> {
        self.index.get_or_init(|| Utf16Index::new(self.text))
    }

    /// The block a UTF-16 offset is in.
    pub(crate) fn block_of(&self, pos: u32) -> u32 {
        (self.blocks.partition_point(|&b| b <= pos) - 1) as u32
    }

    /// Whether `[s, e)` lies inside one block.
    pub(crate) fn same_block(&self, s: u32, e: u32) -> bool {
        e <= s || self.block_of(s) == self.block_of(e - 1)
    }

    /// `[start, end)` byte ranges of the blocks in the original text.
    pub(crate) fn original_ranges(&self) -> &[(usize, usize)] {
        self.original_ranges.get_or_init(|| {
            // The folder recorded where each block starts in the text; only
            // a start it did not break at needs the UTF-16 index.
            let starts: Vec<usize> = self
                .blocks
                .iter()
                .map(|&b| {
                    self.folded
                        .original_block_offset(b)
                        .unwrap_or_else(|| self.index().byte(b))
                })
                .collect();
            ranges_from(&starts, self.text.len())
        })
    }

    /// `[start, end)` byte ranges of the blocks in the folded text.
    pub(crate) fn folded_ranges(&self) -> Vec<(usize, usize)> {
        ranges_from(&self.folded.folded_offsets(self.blocks), self.ftext().len())
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

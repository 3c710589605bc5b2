//! Counts of the steps a scan takes, by part.
//!
//! Tests prove that a scan's cost is linear by counting, not by the clock:
//! four times the input must cost about four times the steps, on any machine,
//! busy or not. Each counter counts the inner steps of one part, so a part
//! that turned quadratic shows up by name. The benchmark prints them too.

/// Steps of one scan ([`super::Engine::scan_counted`]).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Work {
    /// Bytes of original text folded.
    pub folded_bytes: u64,
    /// Keyword-automaton matches examined.
    pub keyword_matches: u64,
    /// Characters walked to check word boundaries, Arabic clitics and stem endings.
    pub boundary_steps: u64,
    /// Bytes of blocks searched by the regex gate and by the regexes it let run.
    pub regex_bytes: u64,
    /// Bytes of blocks scanned for payment identifiers.
    pub id_bytes: u64,
    /// Characters walked to turn identifier offsets into UTF-16 offsets.
    pub offset_steps: u64,
    /// Binary-search and comparison steps of the context rules.
    pub context_steps: u64,
    /// Findings sorted, adjusted and scored (each counted once per pass).
    pub finding_steps: u64,
    /// Feature occurrences the post-level model hashed and weighed.
    pub model_steps: u64,
}

impl Work {
    /// Every counter summed.
    pub fn total(&self) -> u64 {
        self.folded_bytes
            + self.keyword_matches
            + self.boundary_steps
            + self.regex_bytes
            + self.id_bytes
            + self.offset_steps
            + self.context_steps
            + self.finding_steps
            + self.model_steps
    }

    /// The counters by name, for tests and the benchmark.
    pub fn by_part(&self) -> [(&'static str, u64); 9] {
        [
            ("folded_bytes", self.folded_bytes),
            ("keyword_matches", self.keyword_matches),
            ("boundary_steps", self.boundary_steps),
            ("regex_bytes", self.regex_bytes),
            ("id_bytes", self.id_bytes),
            ("offset_steps", self.offset_steps),
            ("context_steps", self.context_steps),
            ("finding_steps", self.finding_steps),
            ("model_steps", self.model_steps),
        ]
    }
}

/// `ceil(log2(n + 1))`: the steps of one binary search over `n` items.
pub(crate) fn log2(n: usize) -> u64 {
    (usize::BITS - n.leading_zeros()) as u64
}

//! Every limit that protects the engine from hostile packs and pages, in one place.
//!
//! Packs come from files and URLs the moderator did not write; pages are
//! written by whoever wants to evade or hang the tool. Each limit below turns
//! what would be a hang or an out-of-memory into a located error.

/// Largest pack document, in bytes.
pub const MAX_PACK_BYTES: usize = 16 * 1024 * 1024;
/// Deepest nesting of arrays/objects in a pack document.
pub const MAX_JSON_DEPTH: usize = 64;
/// Most rules in one pack.
pub const MAX_RULES_PER_PACK: usize = 50_000;
/// Most patterns in one rule.
pub const MAX_PATTERNS_PER_RULE: usize = 20_000;
/// Most keyword patterns over all packs of one engine.
pub const MAX_KEYWORDS: usize = 200_000;
/// Longest keyword or phrase, in characters.
pub const MAX_KEYWORD_CHARS: usize = 200;
/// Longest regex source, in characters.
pub const MAX_REGEX_CHARS: usize = 1_000;
/// Most regex patterns over all packs of one engine.
pub const MAX_REGEXES: usize = 500;
/// Most context rules over all packs of one engine (each one is looked at
/// for every block that holds one of its cues).
pub const MAX_CONTEXT_RULES: usize = 500;
/// `regex` crate: compiled program size limit per regex, in bytes.
pub const REGEX_SIZE_LIMIT: usize = 4 << 20;
/// `regex` crate: lazy DFA cache size per regex, in bytes.
pub const REGEX_DFA_SIZE_LIMIT: usize = 4 << 20;
/// `regex` crate: size limit of the set that gates all regexes of an engine.
pub const REGEX_SET_SIZE_LIMIT: usize = 64 << 20;
/// `regex` crate: lazy DFA cache of that set (a set of ~100 regexes fell to
/// 0.1 MB/s with the default 2 MiB cache and ran at ~300 MB/s with 8 MiB).
pub const REGEX_SET_DFA_SIZE_LIMIT: usize = 8 << 20;
/// `regex` crate: deepest nesting of groups and repetitions.
pub const REGEX_NEST_LIMIT: u32 = 32;
/// Most examples per rule (match + no_match).
pub const MAX_EXAMPLES_PER_RULE: usize = 100;
/// Longest example, in characters.
pub const MAX_EXAMPLE_CHARS: usize = 5_000;
/// Longest short text field (id, name, version, category, ...), in characters.
pub const MAX_SHORT_FIELD_CHARS: usize = 200;
/// Longest description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 5_000;
/// Largest context window, in UTF-16 code units.
pub const MAX_CONTEXT_WINDOW: u32 = 5_000;
/// Context window used when a context rule does not give one.
pub const DEFAULT_CONTEXT_WINDOW: u32 = 300;
/// Most extra letters a stem (`word*`) may take when the rule does not say.
pub const DEFAULT_STEM_MAX: u32 = 8;
/// Most findings one scan returns; beyond it the scan stops collecting.
pub const MAX_FINDINGS_PER_SCAN: usize = 200_000;
/// Total bytes of folded keyword patterns up to which the keyword automaton
/// is a DFA (fast, memory-hungry); above it, a contiguous NFA.
pub const AC_DFA_MAX_PATTERN_BYTES: usize = 32_768;

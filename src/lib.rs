//! # flaglight engine
//!
//! Finds extremist content and donation requests in page text, for
//! trust-and-safety moderators. The same core runs natively (the `flaglight`
//! CLI, tests, benchmarks) and in the browser extension's background,
//! compiled to WebAssembly (`wasm.rs` is the only file that knows
//! wasm-bindgen; everything else is plain Rust).
//!
//! ## How to use it
//!
//! ```
//! use flaglight::engine::Engine;
//!
//! let pack = r#"{"id": "demo", "name": "Demo", "version": "1.0.0",
//!   "rules": [{"id": "join", "category": "extremism", "severity": "high",
//!              "kind": "keyword", "patterns": ["join the caliphate"]}]}"#;
//! let engine = Engine::from_json(&[("demo.json", pack)]).expect("valid pack");
//! // Two posts; the second starts at UTF-16 offset 11.
//! let text = "first post\nBrothers, J0IN the c a l i p h a t e!";
//! let findings = engine.scan(text, &[0, 11]);
//! assert_eq!(findings.len(), 1);
//! assert_eq!(findings[0].block, 1);
//! assert_eq!(engine.rule(findings[0].rule).unwrap().id, "join");
//! ```
//!
//! ## The parts
//! - [`normalize`]: folding (NFKC, case, diacritics, Arabic letter variants,
//!   digits, Latin/Cyrillic/Greek look-alikes, leetspeak, repeated letters,
//!   spaced-out letters) with a map from every folded byte back to the
//!   original text in UTF-16 units.
//! - [`pack`]: the rule-pack JSON format; every error is collected with its
//!   line, column and path.
//! - [`ids`]: payment identifiers (cards, IBAN, crypto addresses, Russian
//!   e-wallets, phones, payment links), validated by checksum.
//! - [`engine`]: compiles packs (one Aho-Corasick automaton for every keyword,
//!   regexes gated by one set) and scans text block by block.
//! - [`anchor`]: finds a reviewer flag's quote again in a changed page.
//! - [`limits`]: every limit against hostile packs and pages, in one place.
//!
//! ## What it costs
//! A scan folds the text once (one pass), runs the keyword automaton once
//! whatever the number of keywords, runs one regex-set pass per block plus
//! the regexes that can match there, and scans each block for identifier
//! candidates. Everything is linear in the text. Measured figures are in the
//! README and printed by `./build.sh bench`.
//!
//! ## Untrusted input
//! Packs and pages are untrusted. Packs are data (never code): regexes use
//! the `regex` crate (linear time, no backtracking) under the size, cache and
//! nesting limits of [`limits`]; JSON nesting, pack size, rule and pattern
//! counts are bounded; every error is reported, never a panic. Pages may be
//! huge or hostile (megabytes of zero-width characters, one 10 MB line,
//! thousands of identifiers in one post): every step is linear or
//! linearithmic, and the number of findings per scan is capped.
#![warn(missing_docs)]

pub mod anchor;
pub mod engine;
pub mod ids;
pub mod limits;
pub mod model;
pub mod normalize;
pub mod pack;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

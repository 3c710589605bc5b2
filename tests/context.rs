//! Context rules through the public API: negative context (`unless`), block
//! cues, lists of addresses under one label, and the pack format of those
//! fields with located errors.

use flaglight::pack::{Pack, UnlessEffect, UnlessScope};

fn pack(rules: &str) -> String {
    format!(
        r#"{{"id": "t", "name": "test", "version": "1.0.0", "license": "CC0-1.0", "rules": [{rules}]}}"#
    )
}

const CUE: &str = r#"{"id": "cue", "category": "donation", "severity": "low", "kind": "keyword", "patterns": ["donate"], "options": {"standalone": false}}"#;
const NEG: &str = r#"{"id": "neg", "category": "donation", "severity": "low", "kind": "keyword", "patterns": ["contract"], "options": {"standalone": false}}"#;
const IDS: &str = r#"{"id": "ids", "category": "donation", "severity": "low", "kind": "identifier", "patterns": ["btc", "eth"]}"#;

fn context(fields: &str) -> String {
    format!(
        r#"{{"id": "req", "category": "donation", "severity": "high", "kind": "context", "context": {{"kind": "donation_request", "targets": ["btc", "eth"], {fields}}}}}"#
    )
}

fn errors(src: &str) -> Vec<String> {
    match Pack::parse(src, "p.json") {
        Ok(_) => vec![],
        Err(e) => e.errors().iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn unless_block_cues_and_list_gap_are_read() {
    let src = pack(&format!(
        "{CUE}, {NEG}, {IDS}, {}",
        context(
            r#""cues": ["cue"], "block_cues": ["cue"], "list_gap": 40,
               "unless": [{"rules": ["neg"]}, {"rules": ["neg"], "scope": "block", "effect": "lower"}]"#
        )
    ));
    let p = Pack::parse(&src, "p.json").unwrap_or_else(|e| panic!("{e}"));
    let c = p.rules[3].context.as_ref().unwrap();
    assert_eq!(c.block_cues, vec!["cue"]);
    assert_eq!(c.list_gap, 40);
    assert_eq!(c.unless.len(), 2);
    assert_eq!(
        (c.unless[0].scope, c.unless[0].effect),
        (UnlessScope::Nearer, UnlessEffect::Cancel),
        "defaults"
    );
    assert_eq!(
        (c.unless[1].scope, c.unless[1].effect),
        (UnlessScope::Block, UnlessEffect::Lower)
    );
}

#[test]
fn block_cues_alone_are_enough_cues() {
    let src = pack(&format!(
        "{CUE}, {IDS}, {}",
        context(r#""block_cues": ["cue"]"#)
    ));
    assert_eq!(errors(&src), Vec::<String>::new());
    let src = pack(&format!("{CUE}, {IDS}, {}", context(r#""cues": []"#)));
    assert!(
        errors(&src)
            .iter()
            .any(|e| e.contains("at least one cue and one target")),
        "{:?}",
        errors(&src)
    );
}

#[test]
fn bad_unless_entries_are_located() {
    // One rule per line so that every error's line says which entry it is.
    let src = format!(
        r#"{{"id": "t", "name": "test", "version": "1.0.0", "rules": [
{CUE},
{NEG},
{IDS},
{{"id": "req", "category": "donation", "severity": "high", "kind": "context", "context": {{"kind": "donation_request", "cues": ["cue"], "targets": ["btc"],
  "block_cues": ["nope"],
  "list_gap": -3,
  "unless": [
    {{"rules": ["neg", "missing"], "scope": "everywhere"}},
    {{"rules": [], "effect": "ignore", "colour": 1}},
    {{"scope": "block"}},
    {{"rules": ["req"]}},
    "neg"
  ]}}}}
]}}"#
    );
    let e = errors(&src);
    let want = [
        "p.json:6:18: rules[3].context.block_cues[0] (rule \"req\"): no rule with id \"nope\" in this pack",
        "p.json:7:15: rules[3].context.list_gap (rule \"req\"): expected a whole number from 0 to 5000",
        "p.json:9:44: rules[3].context.unless[0].scope (rule \"req\"): \"everywhere\" is not one of: nearer, window, block",
        "p.json:9:23: rules[3].context.unless[0].rules[1] (rule \"req\"): no rule with id \"missing\" in this pack",
        "p.json:10:15: rules[3].context.unless[1].rules (rule \"req\"): name at least one rule",
        "p.json:10:29: rules[3].context.unless[1].effect (rule \"req\"): \"ignore\" is not one of: cancel, lower",
        "p.json:10:39: rules[3].context.unless[1].colour (rule \"req\"): unknown field (expected one of: rules, scope, effect)",
        "p.json:11:5: rules[3].context.unless[2].rules (rule \"req\"): required field is missing",
        "p.json:12:16: rules[3].context.unless[3].rules[0] (rule \"req\"): name a keyword, regex or identifier rule, not a context rule",
        "p.json:13:5: rules[3].context.unless[4] (rule \"req\"): expected an object, found a string",
    ];
    for w in want {
        assert!(
            e.iter().any(|x| x == w),
            "missing\n  {w}\nin\n  {}",
            e.join("\n  ")
        );
    }
    assert_eq!(e.len(), want.len(), "{}", e.join("\n"));
}

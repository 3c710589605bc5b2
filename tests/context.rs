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

// ---------- behaviour ----------

use flaglight::engine::{CueReach, Engine, Finding, FindingKind};
use flaglight::pack::Severity;

const BTC: &str = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";
const ETH: &str = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
const TRX: &str = "TNDzfERDpxLDS2w1q6yaFC7pzqaSQ3Bg3r";

fn kw(id: &str, patterns: &str) -> String {
    format!(
        r#"{{"id": "{id}", "category": "donation", "severity": "low", "kind": "keyword", "patterns": [{patterns}], "options": {{"standalone": false}}}}"#
    )
}

/// A donation pack: cue "donate"/"support us", footer cue "details below",
/// negatives "contract" (nearer), "for sale" (window), "giveaway" (block),
/// "maybe" (lowers), an extremism keyword for escalation.
fn donation_engine(context_fields: &str) -> Engine {
    let rules = [
        kw("cue", r#""donate", "support us", "send""#),
        kw("footer", r#""details below""#),
        kw("neg-token", r#""contract", "do not send""#),
        kw("neg-sale", r#""for sale""#),
        kw("neg-scam", r#""giveaway""#),
        kw("neg-soft", r#""maybe""#),
        r#"{"id": "ext", "category": "extremism", "severity": "high", "kind": "keyword", "patterns": ["caliphate"]}"#.to_string(),
        r#"{"id": "ids", "category": "donation", "severity": "low", "kind": "identifier", "patterns": ["btc", "eth", "trx"]}"#.to_string(),
        format!(
            r#"{{"id": "req", "category": "donation", "severity": "high", "kind": "context", "context": {{"kind": "donation_request", "cues": ["cue"], "targets": ["btc", "eth", "trx"], "window": 60, "escalate_with": ["extremism"], {context_fields}}}}}"#
        ),
    ];
    let src = pack(&rules.join(", "));
    Engine::from_json(&[("d.json", &src)]).unwrap_or_else(|e| panic!("{e}"))
}

const ALL_NEGATIVES: &str = r#""block_cues": ["footer"], "list_gap": 20, "unless": [
    {"rules": ["neg-token"], "scope": "nearer"},
    {"rules": ["neg-sale"], "scope": "window"},
    {"rules": ["neg-scam"], "scope": "block"},
    {"rules": ["neg-soft"], "scope": "nearer", "effect": "lower"}]"#;

fn requests<'a>(e: &Engine, found: &'a [Finding]) -> Vec<&'a Finding> {
    found
        .iter()
        .filter(|f| e.kind_name(f.kind) == "donation_request")
        .collect()
}

fn quote(text: &str, s: u32, t: u32) -> String {
    let u: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(&u[s as usize..t as usize]).unwrap()
}

/// The donation requests of `text`, as the quoted identifier each one is for.
fn requested(e: &Engine, text: &str) -> Vec<String> {
    let found = e.scan(text, &[]);
    let mut ids: Vec<String> = requests(e, &found)
        .iter()
        .filter_map(|r| {
            found
                .iter()
                .find(|f| {
                    matches!(f.kind, FindingKind::Id(_)) && r.start <= f.start && f.end <= r.end
                })
                .map(|f| quote(text, f.start, f.end))
        })
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn a_nearer_negative_cancels_and_the_identifier_says_why() {
    let e = donation_engine(ALL_NEGATIVES);
    let text = format!("Please donate to the team. Token contract: {ETH}");
    let found = e.scan(&text, &[]);
    assert!(requests(&e, &found).is_empty(), "{found:?}");
    let id = found
        .iter()
        .find(|f| matches!(f.kind, FindingKind::Id(_)))
        .unwrap();
    let against = id
        .against
        .expect("the identifier names what cancelled the reading");
    assert_eq!(e.rule(against.rule).unwrap().id, "neg-token");
    assert_eq!(quote(&text, against.start, against.end), "contract");
    let (cue, reach) = id.cue.expect("and the cue it outweighed");
    assert_eq!(
        (quote(&text, cue.start, cue.end).as_str(), reach),
        ("donate", CueReach::Near)
    );
    // The same negative farther from the address than the cue: a request,
    // which names its cue.
    let text = format!("Token contract news above. Please donate: {ETH}");
    let found = e.scan(&text, &[]);
    let r = requests(&e, &found);
    assert_eq!(r.len(), 1, "{found:?}");
    let (cue, reach) = r[0].cue.unwrap();
    assert_eq!(
        (e.rule(cue.rule).unwrap().id.as_str(), reach),
        ("cue", CueReach::Near)
    );
    assert_eq!(r[0].against, None);
}

#[test]
fn a_negative_on_the_cue_words_cancels_them() {
    let e = donation_engine(ALL_NEGATIVES);
    // "do not send" contains the cue "send" and is as near as it.
    assert!(requested(&e, &format!("Warning: do not send anything to {TRX}")).is_empty());
    assert_eq!(requested(&e, &format!("Please send to {TRX}")), vec![TRX]);
}

#[test]
fn window_and_block_scopes() {
    let e = donation_engine(ALL_NEGATIVES);
    // "for sale" within the window, even farther than the cue.
    assert!(requested(
        &e,
        &format!("Stickers for sale, donate what you like: {BTC}")
    )
    .is_empty());
    let far = "x".repeat(80);
    assert_eq!(
        requested(
            &e,
            &format!("Stickers for sale. {far} Please donate: {BTC}")
        ),
        vec![BTC],
        "beyond the window a sale says nothing"
    );
    // "giveaway" anywhere in the block.
    assert!(requested(&e, &format!("Giveaway! {far} Please donate: {BTC}")).is_empty());
    // Blocks are separate.
    let text = format!("Giveaway!\nPlease donate: {BTC}");
    let found = e.scan(&text, &[10]);
    assert_eq!(requests(&e, &found).len(), 1);
}

#[test]
fn lowering_takes_one_level_and_never_escalates() {
    let e = donation_engine(ALL_NEGATIVES);
    let sev = |text: &str| {
        let found = e.scan(text, &[]);
        let r = requests(&e, &found);
        assert_eq!(r.len(), 1, "{text}: {found:?}");
        (
            r[0].severity,
            r[0].against.map(|a| e.rule(a.rule).unwrap().id.clone()),
        )
    };
    assert_eq!(
        sev(&format!("Please donate: {BTC}")),
        (Severity::High, None)
    );
    assert_eq!(
        sev(&format!("The caliphate needs you. Please donate: {BTC}")),
        (Severity::Critical, None)
    );
    assert_eq!(
        sev(&format!("The caliphate needs you. Donate, maybe {BTC}")),
        (Severity::Medium, Some("neg-soft".to_string()))
    );
}

#[test]
fn a_block_cue_reaches_every_address_of_the_block() {
    let e = donation_engine(ALL_NEGATIVES);
    let long = "We have been reporting for three years without ads. ".repeat(6);
    let text = format!("Details below. {long}\n\nBTC {BTC}");
    let found = e.scan(&text, &[]);
    let r = requests(&e, &found);
    assert_eq!(r.len(), 1, "{found:?}");
    // Only the identifier is highlighted; the far cue is in the explanation.
    assert_eq!(quote(&text, r[0].start, r[0].end), BTC);
    let (cue, reach) = r[0].cue.unwrap();
    assert_eq!(
        (quote(&text, cue.start, cue.end).as_str(), reach),
        ("Details below", CueReach::Block)
    );
    // Without the block cue the window is the limit.
    let e = donation_engine(r#""unless": []"#);
    let text = format!("Please donate. {long}\n\nBTC {BTC}");
    assert!(requested(&e, &text).is_empty());
}

#[test]
fn a_list_under_one_label_is_read_as_one() {
    let e = donation_engine(ALL_NEGATIVES);
    let list = format!("Please donate:\nBTC: {BTC}\nETH: {ETH}\nUSDT (TRC20): {TRX}");
    // The window (60) reaches the first two; the third through the list.
    let found = e.scan(&list, &[]);
    let mut reach: Vec<(String, CueReach)> = requests(&e, &found)
        .iter()
        .map(|r| (quote(&list, r.start, r.end), r.cue.unwrap().1))
        .collect();
    reach.sort();
    assert!(
        reach.contains(&(TRX.to_string(), CueReach::List)),
        "{reach:?}"
    );
    assert_eq!(reach.len(), 3, "{reach:?}");
    // A list that follows its address, read backwards.
    let after = format!("BTC: {BTC}\nETH: {ETH}\nUSDT: {TRX}\nplease donate");
    assert_eq!(requested(&e, &after).len(), 3);
    // A gap wider than list_gap ends the list; a nearer negative cancels
    // one entry and the list stops there.
    let gap = "and then something else entirely. ".repeat(3);
    let text = format!("Please donate: {BTC} {gap} {TRX}");
    assert_eq!(requested(&e, &text), vec![BTC]);
    let text = format!("Please donate:\nBTC: {BTC}\ncontract: {ETH}\nTRX: {TRX}");
    assert_eq!(requested(&e, &text), vec![BTC]);
    // A label belongs to the identifier it names, not to the one before.
    let text = format!("Token contract: {ETH}\nDonate: {BTC}");
    assert_eq!(requested(&e, &text), vec![BTC]);
    // Without list_gap only the window counts.
    let e = donation_engine(r#""unless": []"#);
    let found = e.scan(&list, &[]);
    assert_eq!(requests(&e, &found).len(), 2, "{found:?}");
}

#[test]
fn every_explanation_is_in_the_flat_encoding() {
    let e = donation_engine(ALL_NEGATIVES);
    let text = format!("Please donate: {BTC}\nToken contract: {ETH}");
    let found = e.scan(&text, &[]);
    let flat = flaglight::engine::encode(&found);
    let n = flaglight::engine::ENCODED_FIELDS;
    assert_eq!(flat.len(), found.len() * n);
    for (f, row) in found.iter().zip(flat.chunks(n)) {
        let cue = f.cue.map_or([u32::MAX, 0, 0, 0], |(w, r)| {
            [w.rule, w.start, w.end, r.index()]
        });
        let against = f
            .against
            .map_or([u32::MAX, 0, 0], |w| [w.rule, w.start, w.end]);
        assert_eq!(&row[8..10], &[f.block, f.weight]);
        assert_eq!(&row[10..14], &cue);
        assert_eq!(&row[14..17], &against);
    }
    assert!(found.iter().any(|f| f.against.is_some()));
    assert!(found
        .iter()
        .any(|f| f.cue.is_some_and(|(_, r)| r == CueReach::Near)));
}

#[test]
fn negatives_blocks_and_lists_stay_linear() {
    let e = donation_engine(ALL_NEGATIVES);
    let unit = format!(
        "Details below. donate {BTC} contract {ETH} maybe {TRX} for sale {BTC} giveaway {ETH}\n"
    );
    let small = unit.repeat(500);
    let big = unit.repeat(2_000);
    let (_, ws) = e.scan_counted(&small, &[]);
    let (_, wb) = e.scan_counted(&big, &[]);
    // One block: every identifier searches the cues and negatives of the
    // whole post by binary search (n log n), never a scan of them.
    for ((part, a), (_, b)) in ws.by_part().into_iter().zip(wb.by_part()) {
        let ratio = b as f64 / a.max(1) as f64;
        assert!(
            ratio <= 4.0 * 1.5,
            "{part}: 4x the input took {ratio:.1}x the steps ({a} -> {b})"
        );
    }
}

//! Properties of every scan on arbitrary text and block starts, checked by
//! proptest: what fuzzing cannot see (it only finds crashes and hangs).
//! - every finding lies inside the text and inside one block, and its block
//!   index is the block its start is in;
//! - offsets are UTF-16 units on char boundaries (never inside a surrogate pair);
//! - findings come sorted by start, longest first;
//! - the same scan twice gives the same findings (no state leaks between scans).

use flaglight::engine::Engine;
use proptest::prelude::*;

fn builtin() -> Engine {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/extension/packs");
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/index.json")).unwrap())
            .unwrap();
    let sources: Vec<(String, String)> = index["packs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let name = f.as_str().unwrap().to_string();
            let src = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
            (name, src)
        })
        .collect();
    let refs: Vec<(&str, &str)> = sources
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let mut e = Engine::from_json(&refs).unwrap();
    let model = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/extension/models/extremism.flm"
    ))
    .unwrap();
    e.set_model(Some(flaglight::model::Model::load(&model).unwrap()));
    e
}

/// Text made of pieces that reach the engine's deeper paths: cue words,
/// identifiers, look-alikes, spacing, zero-width and combining marks,
/// astral characters, Arabic and Cyrillic, block-like newlines.
fn text() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "donate ",
        "на карту ",
        "للدعم ",
        "4012 8888 8888 1881",
        "4012888888881881 ",
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq ",
        "0x52908400098527886E0F7030069857D2E4169EE7 ",
        "+7 912 345-67-89 ",
        "join the caliphate ",
        "j0in ",
        "c a l i p h a t e ",
        "ИГИЛ ",
        "джихадом ",
        "الدولة الإسلامية ",
        "ولل",
        "\u{200b}",
        "\u{0301}",
        "😀",
        "\n",
        " ",
        "a",
        "ё",
        "ـ",
        "٤",
        "ﾠ",
        "khilafah ",
        "the lions ",
        "mujahideen ",
        "news ",
        "reported ",
        ".",
        "!",
        "@user ",
        "t.me/chan ",
    ]);
    prop::collection::vec(atoms, 0..60).prop_map(|v| v.concat())
}

fn utf16_boundaries(text: &str) -> Vec<bool> {
    // ok[i]: a char starts at UTF-16 offset i (or i is the end).
    let mut ok = Vec::new();
    for c in text.chars() {
        ok.push(true);
        if c.len_utf16() == 2 {
            ok.push(false);
        }
    }
    ok.push(true);
    ok
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn findings_stay_inside_their_block(t in text(), cuts in prop::collection::vec(0u32..400, 0..8)) {
        thread_local! { static ENGINE: Engine = builtin(); }
        ENGINE.with(|e| {
            let n = t.encode_utf16().count() as u32;
            let found = e.scan(&t, &cuts);
            let mut blocks: Vec<u32> = cuts.iter().copied().filter(|&c| c <= n).collect();
            blocks.push(0);
            blocks.sort_unstable();
            blocks.dedup();
            let ok = utf16_boundaries(&t);
            for f in &found {
                prop_assert!(f.start <= f.end && f.end <= n, "{f:?} outside {n}");
                prop_assert!(ok[f.start as usize] && ok[f.end as usize], "{f:?} inside a surrogate pair");
                let b = blocks.partition_point(|&s| s <= f.start) - 1;
                prop_assert_eq!(f.block as usize, b, "{:?} in block {}", f, b);
                let block_end = blocks.get(b + 1).copied().unwrap_or(n);
                prop_assert!(f.end <= block_end.max(f.start), "{f:?} crosses into the next block at {block_end}");
                prop_assert!(e.rule(f.rule).is_some());
                prop_assert!((1..=100).contains(&f.score));
            }
            for w in found.windows(2) {
                prop_assert!(w[0].start < w[1].start || (w[0].start == w[1].start && w[0].end >= w[1].end));
            }
            prop_assert_eq!(&found, &e.scan(&t, &cuts));
            Ok(())
        })?;
    }
}

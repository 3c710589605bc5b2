//! `Engine::scan` with the built-in packs and model on arbitrary text and
//! block starts: findings inside the text, inside their block, sorted.
#![no_main]
use flaglight::engine::Engine;
use flaglight::model::Model;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const PACKS: &[(&str, &str)] = &[
    ("extremism-en.json", include_str!("../../extension/packs/extremism-en.json")),
    ("extremism-ru.json", include_str!("../../extension/packs/extremism-ru.json")),
    ("extremism-ar.json", include_str!("../../extension/packs/extremism-ar.json")),
    ("donation.json", include_str!("../../extension/packs/donation.json")),
];

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        let mut e = Engine::from_json(PACKS).expect("built-in packs");
        let model = include_bytes!("../../extension/models/extremism.flm");
        e.set_model(Some(Model::load(model).expect("built-in model")));
        e
    })
}

fuzz_target!(|data: &[u8]| {
    // First byte: how many block starts follow (u16 each), then the text.
    let Some((&n, rest)) = data.split_first() else { return };
    let n = (n as usize % 16).min(rest.len() / 2);
    let (head, text) = rest.split_at(2 * n);
    let Ok(text) = std::str::from_utf8(text) else { return };
    let blocks: Vec<u32> = head.chunks(2).map(|c| u16::from_le_bytes([c[0], c[1]]) as u32).collect();
    let len = text.encode_utf16().count() as u32;
    let found = engine().scan(text, &blocks);
    let mut starts: Vec<u32> = blocks.iter().copied().filter(|&b| b <= len).collect();
    starts.push(0);
    starts.sort_unstable();
    starts.dedup();
    for f in &found {
        assert!(f.start <= f.end && f.end <= len, "{f:?} outside {len}");
        let b = starts.partition_point(|&s| s <= f.start) - 1;
        assert_eq!(f.block as usize, b, "{f:?}");
        let next = starts.get(b + 1).copied().unwrap_or(len);
        assert!(f.end <= next.max(f.start), "{f:?} crosses a block start at {next}");
    }
    for w in found.windows(2) {
        assert!(w[0].start <= w[1].start);
    }
});

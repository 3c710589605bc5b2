//! Folding with its offset map: every folded byte maps back inside the
//! original (in UTF-16 units), spans never run backwards, and folding a
//! folded pattern changes nothing (idempotence).
#![no_main]
use flaglight::normalize;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&cut, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let len = text.encode_utf16().count() as u32;
    let blocks = [0, cut as u32 % (len + 1)];
    let f = normalize::fold(text, &blocks);
    let folded = f.as_str();
    let mut last = 0;
    for (i, _) in folded.char_indices() {
        let (s, e) = f.span(i, i + 1);
        assert!(s <= e && e <= len, "byte {i}: ({s}, {e}) outside {len}");
        assert!(s >= last || folded.as_bytes()[i] == b'\n', "spans went backwards at byte {i}");
        last = s;
    }
    let once = normalize::fold_pattern(text);
    assert_eq!(normalize::fold_pattern(&once), once, "folding is not idempotent");
});

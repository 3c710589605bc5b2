//! The approximate quote search for reviewer flags: any page and selector,
//! a bounded answer inside the page.
#![no_main]
use flaglight::anchor::{anchor, QuoteSelector};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(all) = std::str::from_utf8(data) else { return };
    // page \x1f exact \x1f prefix \x1f suffix \x1f position
    let mut parts = all.splitn(5, '\u{1f}');
    let page = parts.next().unwrap_or("");
    let exact = parts.next().unwrap_or("");
    let prefix = parts.next().unwrap_or("");
    let suffix = parts.next().unwrap_or("");
    let position = parts.next().and_then(|p| p.parse::<u32>().ok());
    let len = page.encode_utf16().count() as u32;
    if let Some(a) = anchor(page, &QuoteSelector { exact, prefix, suffix, position }) {
        assert!(a.start <= a.end && a.end <= len, "{a:?} outside {len}");
        assert!((0.0..=1.0).contains(&a.score));
    }
});

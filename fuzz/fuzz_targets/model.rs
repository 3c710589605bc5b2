//! The model loader on arbitrary bytes: refused with a reason or loaded,
//! never a panic; a loaded model scores text to a probability.
#![no_main]
use flaglight::model::Model;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = Model::load(data) {
        let s = m.score("the lions of the khilafah");
        assert!((0.0..=1.0).contains(&s.probability));
    }
    // The same bytes behind a valid header-and-checksum frame reach the
    // header and weight checks, which a random file rarely does.
    let mut framed = b"FLMODEL\0\x01\x00".to_vec();
    framed.extend_from_slice(&(data.len() as u32).to_le_bytes());
    framed.extend_from_slice(data);
    framed.extend_from_slice(&flaglight_sha256(&framed));
    let _ = Model::load(&framed);
});

fn flaglight_sha256(b: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(b).into()
}

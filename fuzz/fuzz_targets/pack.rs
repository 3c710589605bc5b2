//! Pack parser and validator, then the engine's compile and the pack's own
//! examples: any bytes, never a panic; an accepted pack compiles or is
//! refused with located errors.
#![no_main]
use flaglight::engine::Engine;
use flaglight::pack::Pack;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    match Pack::parse(src, "fuzz.json") {
        Ok(pack) => {
            // Examples run full scans: only for small packs, so the fuzzer
            // spends its time on the parser and the compile.
            let examples: usize = pack
                .rules
                .iter()
                .map(|r| r.examples.matches.len() + r.examples.no_matches.len())
                .sum();
            if let Ok(engine) = Engine::new(&[pack]) {
                if examples <= 20 {
                    let _ = engine.check_examples();
                }
            }
        }
        Err(errors) => {
            for e in errors.errors() {
                assert!(e.loc.line >= 1 && e.loc.column >= 1, "{e}");
            }
        }
    }
});

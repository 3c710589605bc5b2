//! Helpers shared by integration tests: linear cost checked by comparing two
//! sizes in the same run, never against the clock.

#![allow(dead_code)]

use flaglight::engine::Engine;
use flaglight::model::format::{self, Band, Calibration, ModelHeader};
use flaglight::model::{features, FeatureSpec, Features, Script};
use flaglight::normalize;
use flaglight::pack::Severity;
use std::collections::BTreeMap;
use std::time::Instant;

/// The built-in packs as the extension ships them (`extension/packs/`), by file name.
pub const BUILTIN_PACKS: &[(&str, &str)] = &[
    (
        "extremism-en.json",
        include_str!("../../extension/packs/extremism-en.json"),
    ),
    (
        "extremism-ru.json",
        include_str!("../../extension/packs/extremism-ru.json"),
    ),
    (
        "extremism-ar.json",
        include_str!("../../extension/packs/extremism-ar.json"),
    ),
    (
        "donation.json",
        include_str!("../../extension/packs/donation.json"),
    ),
];

/// An engine of the built-in packs; one that does not compile fails the test with the error.
pub fn builtin_engine() -> Engine {
    Engine::from_json(BUILTIN_PACKS)
        .unwrap_or_else(|e| panic!("built-in packs do not compile:\n{e}"))
}

/// Fastest of `rounds` runs of `f`, in seconds.
fn fastest(rounds: usize, f: &mut dyn FnMut()) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..rounds {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed().as_secs_f64());
    }
    best
}

/// Asserts that `big` (the same work on `scale` times the input) takes less
/// than `max_ratio` times what `small` takes. Both are timed in this run,
/// interleaved, fastest of three, so a machine that is slow or busy slows
/// both; a quadratic cost shows as a ratio near `scale` squared.
///
/// Callers use `scale` 32 and `max_ratio` 320. Linear work measured up to
/// 5x slower per byte once its input no longer fits the 2 MB L2 cache
/// (e.g. 26x for 8x the zero-width characters), so a ratio up to ~160 is
/// still linear; a quadratic cost would be ~1,000x. (Hardware instruction
/// counters, which caches do not sway, are not available on these machines.)
pub fn assert_time_grows_at_most(
    what: &str,
    scale: f64,
    max_ratio: f64,
    mut small: impl FnMut(),
    mut big: impl FnMut(),
) {
    let (mut s, mut b) = (f64::MAX, f64::MAX);
    for _ in 0..3 {
        s = s.min(fastest(1, &mut small));
        b = b.min(fastest(1, &mut big));
    }
    // Below a millisecond timer noise dominates; count from there.
    let ratio = b / s.max(1e-3);
    assert!(
        ratio < max_ratio,
        "{what}: {scale}x the input took {ratio:.1}x the time ({:.1} ms -> {:.1} ms), over {max_ratio}x",
        s * 1e3,
        b * 1e3
    );
}

// ---- a small model that likes one propaganda-like line ----------------------

/// The feature spec of the test model.
pub fn test_model_spec() -> FeatureSpec {
    FeatureSpec {
        buckets_log2: 12,
        seed: 7,
        char_min: 2,
        char_max: 4,
        words: true,
        bigrams: true,
        per_script: true,
    }
}

/// The test model's header: thresholds 0.5, bands medium and high from 0.9.
pub fn test_model_header() -> ModelHeader {
    let cal = Calibration {
        a: 1.0,
        b: 0.0,
        threshold: 0.5,
    };
    ModelHeader {
        name: "test-model".into(),
        version: "0.1.0".into(),
        labels: ["other".into(), "extremism".into()],
        category: "extremism".into(),
        spec: test_model_spec(),
        scale: 0.01,
        bias: -1.0,
        calibration: Script::ALL
            .into_iter()
            .map(|s| (s, cal))
            .collect::<BTreeMap<_, _>>(),
        bands: vec![
            Band {
                min: 0.0,
                severity: Severity::Medium,
            },
            Band {
                min: 0.9,
                severity: Severity::High,
            },
        ],
        top_words: 3,
        quiet_words: vec!["the".into(), "of".into()],
        about: serde_json::Value::Null,
    }
}

/// Weights that like the words of `pos` and dislike those of `neg`.
pub fn test_model_weights(pos: &[&str], neg: &[&str]) -> Vec<i8> {
    let mut w = vec![0i8; 1 << test_model_spec().buckets_log2];
    let mut f = Features::default();
    for (texts, v) in [(neg, -60i8), (pos, 60)] {
        for t in texts {
            let folded = normalize::fold_pattern(t);
            features::extract(&folded, &test_model_spec(), Script::of(&folded), &mut f);
            for b in f.distinct() {
                w[b as usize] = v;
            }
        }
    }
    w
}

/// The test model file.
pub fn test_model_bytes() -> Vec<u8> {
    format::write(
        &test_model_header(),
        &test_model_weights(
            &["the lions of the khilafah will slaughter the kuffar"],
            &["reported police said court"],
        ),
    )
}

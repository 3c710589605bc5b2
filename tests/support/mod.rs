//! Helpers shared by integration tests: linear cost checked by comparing two
//! sizes in the same run, never against the clock.

#![allow(dead_code)]

use std::time::Instant;

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
/// interleaved, fastest of five, so a machine that is slow or busy slows
/// both; a quadratic cost shows as a ratio near `scale` squared.
pub fn assert_time_grows_at_most(
    what: &str,
    scale: f64,
    max_ratio: f64,
    mut small: impl FnMut(),
    mut big: impl FnMut(),
) {
    let (mut s, mut b) = (f64::MAX, f64::MAX);
    for _ in 0..5 {
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

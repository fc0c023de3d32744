//! Solution of exercise `ch01-amdahl`: Amdahl's law, and the law turned around.

use std::time::Duration;

// ANCHOR: solution
/// Amdahl's predicted speed-up on `p` threads of a program with serial fraction `f`.
pub fn predicted_speedup(f: f64, p: usize) -> f64 {
    1.0 / (f + (1.0 - f) / p as f64)
}

/// The measured speed-up: the time on one thread over the time on `p` threads.
pub fn measured_speedup(t1: Duration, tp: Duration) -> f64 {
    t1.as_secs_f64() / tp.as_secs_f64()
}

/// The serial fraction that explains `speedup` on `p` threads by Amdahl's law;
/// `None` for `p < 2`, where every fraction gives the speed-up 1.
pub fn implied_serial_fraction(speedup: f64, p: usize) -> Option<f64> {
    if p < 2 {
        return None;
    }
    let p = p as f64;
    // Solve 1/S = f + (1 − f)/p for f.
    Some((1.0 / speedup - 1.0 / p) / (1.0 - 1.0 / p))
}
// ANCHOR_END: solution

//! Exercise `ch01-amdahl`: predict the speed-up with Amdahl's law, and check the
//! prediction against a measured run.
//!
//! Read first: the recipe `intro_amdahl` (1st edition §1.6) and its page.
//!
//! 1. [`predicted_speedup`]: Amdahl's law, `S = 1 / (f + (1 − f) / p)`;
//! 2. [`measured_speedup`]: `S = T1 / Tp`, the time on one thread over the time on
//!    `p`;
//! 3. [`implied_serial_fraction`]: turn the law around. Given a measured speed-up
//!    on `p > 1` threads, which serial fraction would explain it?
//!    `f = (1/S − 1/p) / (1 − 1/p)` (the Karp–Flatt metric). When it comes out
//!    larger than the `f` you measured, something else than the serial phase is
//!    not shared out: starting threads, waiting for the slowest block, too few
//!    cores.
//!
//! Then run the whole measurement: `cargo run -p lab-ch01 --bin lab_amdahl` prints
//! the prediction beside the measured speed-up for 1, 2 … threads.
//!
//! Check your work with `cookbook lab check ch01-amdahl` (it also runs
//! `lab_amdahl`, which needs the first two exercises).

use std::time::Duration;

/// Amdahl's predicted speed-up on `p` threads of a program with serial fraction `f`.
pub fn predicted_speedup(f: f64, p: usize) -> f64 {
    todo!("predicted_speedup")
}

/// The measured speed-up: the time on one thread over the time on `p` threads.
pub fn measured_speedup(t1: Duration, tp: Duration) -> f64 {
    todo!("measured_speedup")
}

/// The serial fraction that explains `speedup` on `p` threads by Amdahl's law;
/// `None` for `p < 2`, where every fraction gives the speed-up 1.
pub fn implied_serial_fraction(speedup: f64, p: usize) -> Option<f64> {
    todo!("implied_serial_fraction")
}

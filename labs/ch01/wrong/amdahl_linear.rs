//! WRONG ON PURPOSE, a test fixture (feature `wrong-amdahl-linear`): a prediction
//! that forgets the serial part, "p threads, p times faster". `tests/amdahl.rs` must
//! reject it.

#[allow(dead_code)]
#[path = "../solutions/amdahl.rs"]
mod solution;

pub use solution::{implied_serial_fraction, measured_speedup};

/// Always `p`.
pub fn predicted_speedup(_f: f64, p: usize) -> f64 {
    p as f64
}

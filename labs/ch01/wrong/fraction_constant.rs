//! WRONG ON PURPOSE, a test fixture (feature `wrong-fraction-constant`): a
//! `serial_fraction` that returns a plausible constant, the 0.1 of the book's
//! example, whatever was measured. `tests/fraction.rs` must reject it.

#[allow(dead_code)]
#[path = "../solutions/fraction.rs"]
mod solution;

pub use solution::{Measured, Phases, measure};

/// Always 0.1.
pub fn serial_fraction(_phases: Phases) -> Option<f64> {
    Some(0.1)
}

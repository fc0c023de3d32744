//! WRONG ON PURPOSE, a test fixture (feature `wrong-parallel-serial`): the right
//! blocks and the right total, but every block is summed on the calling thread.
//! A test that only compared totals would pass it; `tests/parallel.rs` must not.

use std::ops::Range;

#[allow(dead_code)]
#[path = "../solutions/parallel.rs"]
mod solution;

pub use solution::blocks;

/// The right total, computed without a single thread.
pub fn parallel_sum<F>(units: Range<u64>, threads: usize, unit: F) -> u64
where
    F: Fn(u64) -> u64 + Sync,
{
    blocks(units, threads).into_iter().map(|b| b.map(&unit).fold(0, u64::wrapping_add)).fold(0, u64::wrapping_add)
}

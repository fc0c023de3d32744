//! Exercise `ch01-parallel`: share a serial loop out over threads.
//!
//! Read first: the recipes `intro_multithreading_test` (2nd edition
//! `Chapter01/multithreading_test.py`) and `intro_task_mapping` (1st edition §1.5).
//!
//! [`serial_sum`](crate::workload::serial_sum) adds up `unit(i)` for every `i` of a
//! range, on one thread. Write the same sum computed by `threads` threads:
//!
//! 1. [`blocks`]: cut the range into at most `parts` contiguous blocks, in order,
//!    whose sizes differ by at most one (the larger ones first), none empty;
//! 2. [`parallel_sum`]: start one thread per block (`std::thread::scope` lets the
//!    threads borrow `unit`), let each sum its block, and add up the threads'
//!    results. The calling thread only waits and adds.
//!
//! Check your work with `cookbook lab check ch01-parallel`.

use std::ops::Range;

/// Cut `units` into `parts.min(units.len())` contiguous blocks, in order, none
/// empty, whose sizes differ by at most one, the larger ones first.
/// `blocks(0..10, 3)` is `[0..4, 4..7, 7..10]`.
///
/// # Panics
///
/// If `parts` is 0.
pub fn blocks(units: Range<u64>, parts: usize) -> Vec<Range<u64>> {
    todo!("blocks")
}

/// The wrapping sum of `unit(i)` over `units`, computed by `threads` threads, one
/// per block of [`blocks`]`(units, threads)`.
///
/// # Panics
///
/// If `threads` is 0.
pub fn parallel_sum<F>(units: Range<u64>, threads: usize, unit: F) -> u64
where
    F: Fn(u64) -> u64 + Sync,
{
    todo!("parallel_sum")
}

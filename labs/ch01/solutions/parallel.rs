//! Solution of exercise `ch01-parallel`: a block decomposition (1st edition §1.5)
//! and one scoped thread per block.

use std::ops::Range;
use std::thread;

// ANCHOR: solution
/// Cut `units` into `parts.min(units.len())` contiguous blocks, in order, none
/// empty, whose sizes differ by at most one, the larger ones first.
/// `blocks(0..10, 3)` is `[0..4, 4..7, 7..10]`.
///
/// # Panics
///
/// If `parts` is 0.
pub fn blocks(units: Range<u64>, parts: usize) -> Vec<Range<u64>> {
    assert!(parts > 0, "cannot cut a range into 0 blocks");
    let len = units.end.saturating_sub(units.start);
    let parts = (parts as u64).min(len);
    let mut out = Vec::new();
    let mut start = units.start;
    for b in 0..parts {
        // The first `len % parts` blocks get one unit more than the others.
        let size = len / parts + u64::from(b < len % parts);
        out.push(start..start + size);
        start += size;
    }
    out
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
    let unit = &unit;
    thread::scope(|s| {
        // Start every thread first, then wait: joining each one as soon as it is
        // started would run the blocks one after the other.
        let handles: Vec<_> = blocks(units, threads)
            .into_iter()
            .map(|block| s.spawn(move || block.map(unit).fold(0, u64::wrapping_add)))
            .collect();
        handles.into_iter().map(|h| h.join().expect("a worker thread panicked")).fold(0, u64::wrapping_add)
    })
}
// ANCHOR_END: solution

//! Exercise `ch01-parallel`: the blocks cover the range as asked, the parallel sum
//! equals the serial one, and each block really runs on a thread of its own.
//! `cookbook lab check ch01-parallel` runs these.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Mutex;
use std::thread::{self, ThreadId};

use lab_ch01::parallel::{blocks, parallel_sum};
use lab_ch01::workload::{serial_sum, unit};

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch01-parallel` runs it")]
fn blocks_of_a_small_range() {
    assert_eq!(blocks(0..10, 3), [0..4, 4..7, 7..10], "10 units in 3 blocks: 4 + 3 + 3");
    assert_eq!(blocks(5..9, 2), [5..7, 7..9], "the blocks start where the range starts");
    assert_eq!(blocks(0..3, 5), [0..1, 1..2, 2..3], "no empty block: 3 units make at most 3 blocks");
    assert_eq!(blocks(4..4, 3), Vec::<Range<u64>>::new(), "an empty range has no block");
    assert_eq!(blocks(0..7, 1), [0..7], "one part is the whole range");
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch01-parallel` runs it")]
fn blocks_cover_any_range_evenly() {
    for start in [0, 3, 1_000] {
        for len in 0..40 {
            for parts in 1..12 {
                let b = blocks(start..start + len, parts);
                let what = format!("blocks({start}..{}, {parts}) = {b:?}", start + len);
                assert_eq!(b.len() as u64, len.min(parts as u64), "{what}: wrong number of blocks");
                let mut next = start;
                for r in &b {
                    assert!(r.start == next && r.end > r.start, "{what}: not contiguous, in order, and non-empty");
                    next = r.end;
                }
                assert_eq!(next, start + len, "{what}: does not end where the range ends");
                let sizes: Vec<u64> = b.iter().map(|r| r.end - r.start).collect();
                assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{what}: the larger blocks must come first");
                if let (Some(big), Some(small)) = (sizes.first(), sizes.last()) {
                    assert!(big - small <= 1, "{what}: sizes differ by more than one");
                }
            }
        }
    }
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch01-parallel` runs it")]
fn the_parallel_sum_is_the_serial_sum() {
    for units in [0..0, 0..1, 10..13, 0..1_000, 12_345..20_000] {
        let expected = serial_sum(units.clone(), unit);
        for threads in 1..=8 {
            let got = parallel_sum(units.clone(), threads, unit);
            assert_eq!(got, expected, "parallel_sum({units:?}, {threads} threads) differs from serial_sum");
        }
    }
    // A unit whose values wrap around: the sum must wrap as serial_sum's does.
    let big = |i: u64| u64::MAX / 3 + i;
    assert_eq!(parallel_sum(0..10, 4, big), serial_sum(0..10, big), "the sum must wrap like serial_sum's");
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch01-parallel` runs it")]
fn each_block_runs_on_a_thread_of_its_own() {
    let caller = thread::current().id();
    for (units, threads) in [(0..100, 4), (7..10, 8), (0..9, 2), (0..50, 1)] {
        let seen: Mutex<Vec<(ThreadId, u64)>> = Mutex::new(Vec::new());
        let total = parallel_sum(units.clone(), threads, |i| {
            seen.lock().unwrap().push((thread::current().id(), i));
            i
        });
        assert_eq!(total, units.clone().sum::<u64>(), "the sum of {units:?}");
        let mut by_thread: BTreeMap<String, Vec<u64>> = BTreeMap::new();
        for (id, i) in seen.into_inner().unwrap() {
            assert!(id != caller, "unit {i} ran on the calling thread: the work must run on the spawned threads");
            by_thread.entry(format!("{id:?}")).or_default().push(i);
        }
        let mut ran: Vec<Range<u64>> = by_thread
            .into_values()
            .map(|mut v| {
                v.sort_unstable();
                v[0]..v[v.len() - 1] + 1
            })
            .collect();
        ran.sort_by_key(|r| r.start);
        assert_eq!(
            ran,
            blocks(units.clone(), threads),
            "{units:?} on {threads} threads: each thread must run exactly one block of blocks()"
        );
    }
}

//! Exercise `ch02-counter`: many threads share one counter; no increment may be
//! lost, and `increment_below` must never take the count past its limit.
//! `cookbook lab check ch02-counter` runs these.

use std::thread;

use lab_ch02::counter::Counter;

const THREADS: u64 = 4;

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch02-counter` runs it")]
fn no_increment_is_lost() {
    const EACH: u64 = 2_000;
    let counter = Counter::new();
    thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                for _ in 0..EACH {
                    counter.increment();
                }
            });
        }
    });
    let expected = THREADS * EACH;
    let got = counter.get();
    assert!(
        got == expected,
        "{} of {expected} increments were lost: {THREADS} threads read the same count and wrote it back plus one",
        expected.saturating_sub(got)
    );
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch02-counter` runs it")]
fn the_limit_is_never_passed() {
    const LIMIT: u64 = 500;
    const TRIES: u64 = 400; // per thread: 1 600 tries in all, for 500 places
    let counter = Counter::new();
    let taken: u64 = thread::scope(|s| {
        let workers: Vec<_> = (0..THREADS)
            .map(|_| s.spawn(|| (0..TRIES).filter(|_| counter.increment_below(LIMIT)).count() as u64))
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    let count = counter.get();
    assert!(
        taken == LIMIT && count == LIMIT,
        "the limit {LIMIT} was passed: increment_below said yes {taken} times, and the count is {count}"
    );
}

//! Exercise `ch02-counter`: fix a racy counter.
//!
//! Read first: the recipes `thread_lock` (1st edition §2.6) and `thread_lock_scope`.
//!
//! This counter is shared by many threads, and it is wrong: run
//! `cookbook lab check ch02-counter` and see the tests lose increments and pass the
//! limit. Each method reads the count, lets another thread run (the
//! `thread::yield_now()` stands for the switch CPython may make between any two
//! bytecodes), then acts on what it read, which may be stale by then.
//!
//! Fix it, so that no increment is ever lost and `increment_below(limit)` never
//! takes the count past `limit`, however the threads interleave. You may change
//! the field and every method body, but keep the `yield_now()` between the check
//! and the act: a fix must hold whatever runs in between.

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

/// A count shared by threads.
pub struct Counter {
    value: AtomicU64,
}

impl Counter {
    /// A counter at 0.
    pub fn new() -> Self {
        Counter { value: AtomicU64::new(0) }
    }

    /// Add one.
    pub fn increment(&self) {
        let seen = self.value.load(Ordering::SeqCst); // check: read the count
        thread::yield_now(); // another thread may run here
        self.value.store(seen + 1, Ordering::SeqCst); // act: write what was read, plus one
    }

    /// Add one if the count is below `limit`, and say whether it did.
    pub fn increment_below(&self, limit: u64) -> bool {
        let seen = self.value.load(Ordering::SeqCst); // check
        thread::yield_now();
        if seen < limit {
            self.value.store(seen + 1, Ordering::SeqCst); // act
            true
        } else {
            false
        }
    }

    /// The count now.
    pub fn get(&self) -> u64 {
        self.value.load(Ordering::SeqCst)
    }
}

impl Default for Counter {
    fn default() -> Self {
        Self::new()
    }
}

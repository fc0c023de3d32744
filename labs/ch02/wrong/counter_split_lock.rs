//! WRONG ON PURPOSE, a test fixture (feature `wrong-counter-split-lock`): a "fix" of
//! `ch02-counter` that puts a lock around the read and another around the write.
//! Each access is locked, but the lock is released between the check and the act,
//! so two threads can still act on the same stale value. `tests/counter.rs` must
//! reject it.

use std::sync::{Mutex, MutexGuard};
use std::thread;

/// A counter whose every access is locked, one access at a time.
pub struct Counter {
    value: Mutex<u64>,
}

impl Counter {
    pub fn new() -> Self {
        Counter { value: Mutex::new(0) }
    }

    fn lock(&self) -> MutexGuard<'_, u64> {
        self.value.lock().unwrap()
    }

    pub fn increment(&self) {
        let seen = *self.lock(); // the guard is dropped at the end of this statement
        thread::yield_now();
        *self.lock() = seen + 1;
    }

    pub fn increment_below(&self, limit: u64) -> bool {
        let seen = *self.lock();
        thread::yield_now();
        if seen < limit {
            *self.lock() = seen + 1;
            true
        } else {
            false
        }
    }

    pub fn get(&self) -> u64 {
        *self.lock()
    }
}

impl Default for Counter {
    fn default() -> Self {
        Self::new()
    }
}

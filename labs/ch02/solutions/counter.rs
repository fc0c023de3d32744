//! Solution of exercise `ch02-counter`: the racy counter, fixed with a `Mutex` whose
//! guard is held from the check to the act. (Atomics fix it too: `fetch_add` for
//! `increment`, and `fetch_update` or a `compare_exchange` loop for
//! `increment_below`.)

use std::sync::{Mutex, MutexGuard};
use std::thread;

/// A count shared by threads.
pub struct Counter {
    value: Mutex<u64>,
}

impl Counter {
    /// A counter at 0.
    pub fn new() -> Self {
        Counter { value: Mutex::new(0) }
    }

    // ANCHOR: solution
    fn lock(&self) -> MutexGuard<'_, u64> {
        self.value.lock().unwrap()
    }

    /// Add one.
    pub fn increment(&self) {
        // One guard from the read to the write: a thread that runs in between
        // waits for the lock, and cannot act on the value this thread read.
        let mut value = self.lock();
        let seen = *value; // check
        thread::yield_now(); // still holding the lock
        *value = seen + 1; // act
    }

    /// Add one if the count is below `limit`, and say whether it did.
    pub fn increment_below(&self, limit: u64) -> bool {
        let mut value = self.lock();
        let seen = *value;
        thread::yield_now();
        if seen < limit {
            *value = seen + 1;
            true
        } else {
            false
        }
    }
    // ANCHOR_END: solution

    /// The count now.
    pub fn get(&self) -> u64 {
        *self.lock()
    }
}

impl Default for Counter {
    fn default() -> Self {
        Self::new()
    }
}

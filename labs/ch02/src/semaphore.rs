//! Exercise `ch02-semaphore`: a counting semaphore from a `Mutex` and a `Condvar`.
//!
//! Read first: the recipe `thread_semaphore` (1st edition §2.8) and its page.
//!
//! A semaphore holds a number of permits. `acquire()` takes one, and waits while
//! there is none; `release()` gives one back and wakes a thread that waits;
//! `try_acquire()` takes one only if one is there now. The struct, `new` and
//! `available` are written for you: write the three methods that say `todo!()`.
//!
//! Check your work with `cookbook lab check ch02-semaphore`: it runs the tests in
//! `labs/ch02/tests/semaphore.rs`, then loom's model checks in
//! `labs/ch02/tests/loom_semaphore.rs`, which try every interleaving of a few
//! threads. Under `--cfg loom`, `crate::sync` hands out loom's `Mutex` and
//! `Condvar`, which have the same methods as std's.

use crate::sync::{Condvar, Mutex};

/// A counting semaphore, like Python's `threading.Semaphore`: `release()` may raise
/// the count above the initial value.
pub struct Semaphore {
    /// The number of permits available now.
    permits: Mutex<usize>,
    /// Signalled by `release()`; `acquire()` waits on it while `permits` is 0.
    released: Condvar,
}

impl Semaphore {
    /// A semaphore with `permits` permits available.
    pub fn new(permits: usize) -> Self {
        Semaphore { permits: Mutex::new(permits), released: Condvar::new() }
    }

    /// Take a permit, waiting as long as none is available.
    pub fn acquire(&self) {
        // Lock the count; wait on `released` while it is 0 (`Condvar::wait` hands
        // the lock back while it sleeps, and takes it again before it returns);
        // then take a permit.
        todo!("Semaphore::acquire")
    }

    /// Take a permit if one is available now, without waiting; return whether one
    /// was taken.
    pub fn try_acquire(&self) -> bool {
        todo!("Semaphore::try_acquire")
    }

    /// Give a permit back and wake one waiting thread, if any.
    pub fn release(&self) {
        todo!("Semaphore::release")
    }

    /// The number of permits available at this instant (for tests and reports).
    pub fn available(&self) -> usize {
        *self.permits.lock().unwrap()
    }
}

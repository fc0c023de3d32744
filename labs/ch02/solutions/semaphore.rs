//! Solution of exercise `ch02-semaphore`: a counting semaphore from a `Mutex` and a
//! `Condvar`. Chapter 2's own, with a permit guard and its reasons written out, is
//! `ch02-threads/src/semaphore.rs`.

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

    // ANCHOR: solution
    /// Take a permit, waiting as long as none is available.
    pub fn acquire(&self) {
        let mut permits = self.permits.lock().unwrap();
        // `while`, not `if`: when `wait` returns, another thread may have taken the
        // permit that `release()` announced, so the count is checked again.
        while *permits == 0 {
            permits = self.released.wait(permits).unwrap();
        }
        *permits -= 1;
    }

    /// Take a permit if one is available now, without waiting; return whether one
    /// was taken.
    pub fn try_acquire(&self) -> bool {
        let mut permits = self.permits.lock().unwrap();
        // The check and the decrement under one lock: nobody can come between them.
        if *permits == 0 {
            return false;
        }
        *permits -= 1;
        true
    }

    /// Give a permit back and wake one waiting thread, if any.
    pub fn release(&self) {
        *self.permits.lock().unwrap() += 1;
        // The count has changed (and the lock is released) before the waiter is
        // woken: when it looks, the permit is there.
        self.released.notify_one();
    }
    // ANCHOR_END: solution

    /// The number of permits available at this instant (for tests and reports).
    pub fn available(&self) -> usize {
        *self.permits.lock().unwrap()
    }
}

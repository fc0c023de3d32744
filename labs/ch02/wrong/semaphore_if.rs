//! WRONG ON PURPOSE, a test fixture (feature `wrong-semaphore-if`): the solution of
//! `ch02-semaphore` with `if` instead of `while` before `wait()`. A thread woken by
//! `release()` takes a permit without looking again, although another thread may
//! have taken it in the meantime. `tests/loom_semaphore.rs` must reject it.

use crate::sync::{Condvar, Mutex};

/// A semaphore whose `acquire` does not check the count again after a wake-up.
pub struct Semaphore {
    permits: Mutex<usize>,
    released: Condvar,
}

impl Semaphore {
    pub fn new(permits: usize) -> Self {
        Semaphore { permits: Mutex::new(permits), released: Condvar::new() }
    }

    pub fn acquire(&self) {
        let mut permits = self.permits.lock().unwrap();
        if *permits == 0 {
            permits = self.released.wait(permits).unwrap();
        }
        // In a release build this wraps below zero instead of panicking.
        *permits = permits.wrapping_sub(1);
    }

    pub fn try_acquire(&self) -> bool {
        let mut permits = self.permits.lock().unwrap();
        if *permits == 0 {
            return false;
        }
        *permits -= 1;
        true
    }

    pub fn release(&self) {
        let mut permits = self.permits.lock().unwrap();
        *permits = permits.wrapping_add(1);
        drop(permits);
        self.released.notify_one();
    }

    pub fn available(&self) -> usize {
        *self.permits.lock().unwrap()
    }
}

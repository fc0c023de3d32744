//! A counting semaphore built from a `Mutex` and a `Condvar`.
//!
//! Python's `threading.Semaphore(n)` is a counter of *permits*: `acquire()` takes one,
//! waiting while there is none, and `release()` gives one back and wakes a waiter.
//! Rust's standard library has no counting semaphore. An early one,
//! `std::sync::Semaphore`, was never made stable: it was still unstable in Rust 1.0,
//! was deprecated in Rust 1.7.0 (the standard library chose to wrap the operating
//! system's primitives rather than build its own on top of them), and was removed
//! later. A `Mutex` that owns its data, channels and `Condvar` cover most of its
//! uses, and a semaphore is only a few lines on top of them.
//! `tokio::sync::Semaphore` is the well-known one, but it is the *async* kind: its
//! `acquire()` is a future that a tokio task awaits, not a call that blocks an OS
//! thread. So the chapter builds its own, which is also the classic exercise of the
//! book's §2.8:
//!
//! - the count lives in a `Mutex<usize>`: every operation on it is atomic, which is
//!   what the book means when it says that semaphore operations must be indivisible;
//! - a `Condvar` lets `acquire()` sleep, without spinning, until `release()` adds a
//!   permit. The waiter re-checks the count in a loop after every wake-up, because a
//!   condition variable may wake a thread spuriously, and because another thread may
//!   take the permit first.
//!
//! [`Semaphore::permit`] returns a [`Permit`] guard that gives the permit back when it
//! is dropped, the counterpart of Python's `with semaphore:`.
//!
//! The types come from [`crate::sync`], so that under `--cfg loom` the semaphore is
//! made of loom's instrumented twins and `tests/loom.rs` can check it in every
//! interleaving.
//!
//! ```
//! use ch02_threads::semaphore::Semaphore;
//!
//! let sem = Semaphore::new(2);
//! let first = sem.permit();
//! sem.acquire();
//! assert!(!sem.try_acquire()); // both permits are taken
//! drop(first); // the guard gives its permit back
//! assert_eq!(sem.available(), 1);
//! sem.release(); // and this gives back the one taken by acquire()
//! assert_eq!(sem.available(), 2);
//! ```

use std::fmt;

use crate::sync::{Condvar, Mutex, MutexGuard};

// ANCHOR: semaphore
/// A counting semaphore: a number of permits that threads take and give back.
///
/// Like Python's `threading.Semaphore` (not `BoundedSemaphore`), `release()` may raise
/// the count above the initial value: `Semaphore::new(0)` is the book's signal from a
/// producer to a consumer.
pub struct Semaphore {
    /// The number of permits available now.
    permits: Mutex<usize>,
    /// Signalled by `release()`; `acquire()` waits on it while `permits` is 0.
    released: Condvar,
}

/// A permit taken with [`Semaphore::permit`]; dropping it releases the permit.
#[must_use = "the permit is released as soon as the guard is dropped"]
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Semaphore {
    /// A semaphore with `permits` permits available (Python's `Semaphore(value)`).
    pub fn new(permits: usize) -> Self {
        Semaphore { permits: Mutex::new(permits), released: Condvar::new() }
    }

    /// Lock the count. The lock is only ever held for a few instructions that cannot
    /// panic, so a poisoned lock still holds a valid count and is used as it is.
    fn count(&self) -> MutexGuard<'_, usize> {
        self.permits.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Take a permit, waiting as long as none is available (Python's `acquire()`).
    pub fn acquire(&self) {
        let mut permits = self.count();
        // A loop, not an `if`: after a wake-up the count may still be 0 (a spurious
        // wake-up, or another thread took the permit first).
        while *permits == 0 {
            permits = self.released.wait(permits).unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        *permits -= 1;
    }

    /// Take a permit if one is available now; never waits
    /// (Python's `acquire(blocking=False)`). Returns whether a permit was taken.
    pub fn try_acquire(&self) -> bool {
        let mut permits = self.count();
        if *permits == 0 {
            false
        } else {
            *permits -= 1;
            true
        }
    }

    /// Give a permit back and wake one waiting thread, if any (Python's `release()`).
    ///
    /// It need not be the thread that acquired: in the book's producer/consumer the
    /// producer releases what the consumer acquires.
    ///
    /// # Panics
    ///
    /// If the count would overflow `usize`.
    pub fn release(&self) {
        let mut permits = self.count();
        *permits = permits.checked_add(1).expect("semaphore count overflowed usize");
        drop(permits);
        // One new permit is enough for one waiter. The lock is released first, so the
        // woken thread does not wake up only to block on the mutex.
        self.released.notify_one();
    }

    /// Take a permit, waiting if needed, and return a guard that releases it when
    /// dropped (Python's `with semaphore:`).
    pub fn permit(&self) -> Permit<'_> {
        self.acquire();
        Permit { semaphore: self }
    }

    /// The number of permits available at this instant. Other threads may change it
    /// right after, so use it for reports and tests, not for deciding whether to
    /// acquire (use [`try_acquire`](Self::try_acquire) for that).
    pub fn available(&self) -> usize {
        *self.count()
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.semaphore.release();
    }
}
// ANCHOR_END: semaphore

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Semaphore").field("available", &self.available()).finish()
    }
}

impl fmt::Debug for Permit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Permit").finish_non_exhaustive()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;
    use std::thread;
    use std::time::Duration;

    #[test]
    fn counts_permits() {
        let sem = Semaphore::new(3);
        assert_eq!(sem.available(), 3);
        sem.acquire();
        assert!(sem.try_acquire());
        assert_eq!(sem.available(), 1);
        assert!(sem.try_acquire());
        assert!(!sem.try_acquire());
        assert_eq!(sem.available(), 0);
        sem.release();
        sem.release();
        assert_eq!(sem.available(), 2);
    }

    #[test]
    fn release_may_exceed_the_initial_count() {
        let sem = Semaphore::new(0);
        assert!(!sem.try_acquire());
        sem.release();
        sem.release();
        assert_eq!(sem.available(), 2);
        assert!(sem.try_acquire());
        assert!(sem.try_acquire());
        assert!(!sem.try_acquire());
    }

    #[test]
    fn permit_guard_releases_on_drop() {
        let sem = Semaphore::new(1);
        {
            let _permit = sem.permit();
            assert_eq!(sem.available(), 0);
            assert!(!sem.try_acquire());
        }
        assert_eq!(sem.available(), 1);
    }

    #[test]
    fn acquire_waits_for_release() {
        let sem = Arc::new(Semaphore::new(0));
        let (tx, rx) = mpsc::channel();
        let waiter = {
            let sem = Arc::clone(&sem);
            thread::spawn(move || {
                sem.acquire();
                tx.send(()).unwrap();
            })
        };
        // With no permit the waiter cannot get through.
        assert!(rx.recv_timeout(Duration::from_millis(100)).is_err());
        sem.release();
        rx.recv_timeout(Duration::from_secs(10)).expect("release() did not wake the waiting thread");
        waiter.join().unwrap();
        assert_eq!(sem.available(), 0);
    }

    #[test]
    fn never_more_holders_than_permits() {
        const PERMITS: usize = 3;
        let sem = Arc::new(Semaphore::new(PERMITS));
        let inside = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let workers: Vec<_> = (0..8)
            .map(|_| {
                let (sem, inside, most) = (Arc::clone(&sem), Arc::clone(&inside), Arc::clone(&most));
                thread::spawn(move || {
                    for _ in 0..200 {
                        let _permit = sem.permit();
                        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        thread::yield_now();
                        inside.fetch_sub(1, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        for w in workers {
            w.join().unwrap();
        }
        let most = most.load(Ordering::SeqCst);
        assert!((1..=PERMITS).contains(&most), "{most} threads held permits at once");
        assert_eq!(sem.available(), PERMITS);
    }

    #[test]
    fn every_release_wakes_a_waiter() {
        let sem = Arc::new(Semaphore::new(0));
        let waiters: Vec<_> = (0..4)
            .map(|_| {
                let sem = Arc::clone(&sem);
                thread::spawn(move || sem.acquire())
            })
            .collect();
        for _ in 0..4 {
            sem.release();
        }
        for w in waiters {
            w.join().unwrap();
        }
        assert_eq!(sem.available(), 0);
    }
}

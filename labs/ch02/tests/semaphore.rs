//! Exercise `ch02-semaphore`, with real threads: the count, waiting for a permit,
//! and never more holders than permits. `cookbook lab check ch02-semaphore` runs
//! these, then the loom checks in `loom_semaphore.rs`.
#![cfg(not(loom))]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use common::{stays_blocked, within};
use lab_ch02::semaphore::Semaphore;

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch02-semaphore` runs it")]
fn acquire_and_try_acquire_take_the_permits_there_are() {
    let sem = Semaphore::new(3);
    sem.acquire();
    assert!(sem.try_acquire(), "try_acquire() refused one of the 3 permits");
    assert_eq!(sem.available(), 1, "3 permits, 2 taken");
    assert!(sem.try_acquire(), "try_acquire() refused the last permit");
    assert!(!sem.try_acquire(), "try_acquire() took a permit when none was left");
    assert_eq!(sem.available(), 0, "a failed try_acquire() must not change the count");
    sem.release();
    sem.release();
    assert_eq!(sem.available(), 2, "2 releases give 2 permits back");
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch02-semaphore` runs it")]
fn release_may_raise_the_count_above_the_start() {
    let sem = Semaphore::new(0);
    assert!(!sem.try_acquire(), "Semaphore::new(0) has no permit");
    sem.release();
    sem.release();
    assert_eq!(sem.available(), 2, "a release on Semaphore::new(0) must be remembered");
    assert!(sem.try_acquire() && sem.try_acquire(), "both released permits can be taken");
    assert!(!sem.try_acquire(), "only 2 permits were released");
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch02-semaphore` runs it")]
fn acquire_waits_until_a_release() {
    within("acquire_waits_until_a_release", || {
        let sem = Arc::new(Semaphore::new(0));
        let (tx, rx) = mpsc::channel();
        let waiter = {
            let sem = Arc::clone(&sem);
            thread::spawn(move || {
                sem.acquire();
                tx.send(()).unwrap();
            })
        };
        if !stays_blocked(&rx, Duration::from_millis(200)) {
            // Either acquire() did not wait, or it panicked: show which.
            if let Err(panic) = waiter.join() {
                std::panic::resume_unwind(panic);
            }
            panic!("acquire() on a semaphore with no permit returned without waiting");
        }
        sem.release();
        rx.recv().expect("release() did not let the waiting acquire() through");
        waiter.join().unwrap();
        assert_eq!(sem.available(), 0, "the waiter took the released permit");
    });
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch02-semaphore` runs it")]
fn every_release_lets_one_waiter_through() {
    within("every_release_lets_one_waiter_through", || {
        let sem = Arc::new(Semaphore::new(0));
        let through = Arc::new(AtomicUsize::new(0));
        let waiters: Vec<_> = (0..4)
            .map(|_| {
                let (sem, through) = (Arc::clone(&sem), Arc::clone(&through));
                thread::spawn(move || {
                    sem.acquire();
                    through.fetch_add(1, Ordering::SeqCst);
                })
            })
            .collect();
        for _ in 0..4 {
            sem.release();
        }
        for w in waiters {
            w.join().unwrap();
        }
        assert_eq!(through.load(Ordering::SeqCst), 4, "4 releases, 4 waiters through");
        assert_eq!(sem.available(), 0, "every released permit was taken once");
    });
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch02-semaphore` runs it")]
fn never_more_holders_than_permits() {
    within("never_more_holders_than_permits", || {
        const PERMITS: usize = 3;
        let sem = Arc::new(Semaphore::new(PERMITS));
        let inside = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let workers: Vec<_> = (0..8)
            .map(|_| {
                let (sem, inside, most) = (Arc::clone(&sem), Arc::clone(&inside), Arc::clone(&most));
                thread::spawn(move || {
                    for _ in 0..200 {
                        sem.acquire();
                        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        thread::yield_now();
                        inside.fetch_sub(1, Ordering::SeqCst);
                        sem.release();
                    }
                })
            })
            .collect();
        for w in workers {
            w.join().unwrap();
        }
        let most = most.load(Ordering::SeqCst);
        assert!(most <= PERMITS, "{most} threads held one of {PERMITS} permits at once");
        assert_eq!(sem.available(), PERMITS, "every permit is back at the end");
    });
}

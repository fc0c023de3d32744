//! Exercise `ch02-semaphore`, model-checked with loom: every interleaving of a few
//! threads, within loom's bounds. A lost wake-up shows as loom's "deadlock", two
//! holders of one permit as a failed assertion or a data race on a
//! `loom::cell::UnsafeCell`.
//!
//! `cookbook lab check ch02-semaphore` runs it as:
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test -p lab-ch02 --release --target-dir target/loom --test loom_semaphore -- --include-ignored
//! ```
#![cfg(loom)]

use lab_ch02::semaphore::Semaphore;
use lab_ch02::sync::{Arc, AtomicUsize, Ordering};
use loom::cell::UnsafeCell;
use loom::thread;

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch02-semaphore` runs it")]
fn a_semaphore_of_one_is_mutual_exclusion() {
    loom::model(|| {
        let sem = Arc::new(Semaphore::new(1));
        let cell = Arc::new(UnsafeCell::new(0_u32));
        let other = {
            let (sem, cell) = (Arc::clone(&sem), Arc::clone(&cell));
            thread::spawn(move || {
                sem.acquire();
                cell.with_mut(|v| unsafe { *v += 1 });
                sem.release();
            })
        };
        sem.acquire();
        cell.with_mut(|v| unsafe { *v += 1 });
        sem.release();
        other.join().unwrap();
        assert_eq!(cell.with(|v| unsafe { *v }), 2);
        assert_eq!(sem.available(), 1, "the one permit is back at the end");
    });
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch02-semaphore` runs it")]
fn a_woken_waiter_looks_at_the_count_again() {
    // Two threads, one permit, two rounds each. A thread woken by release() may find
    // that the other thread took the permit back first (no preemption needed: the
    // releasing thread just goes on and acquires again). An `if` before `wait()`
    // then lets the woken thread in as well.
    loom::model(|| {
        let sem = Arc::new(Semaphore::new(1));
        let inside = Arc::new(AtomicUsize::new(0));
        let work = {
            let (sem, inside) = (Arc::clone(&sem), Arc::clone(&inside));
            move || {
                for _ in 0..2 {
                    sem.acquire();
                    let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                    assert!(
                        now <= 1,
                        "{now} threads hold the one permit: a woken thread did not check the count again"
                    );
                    inside.fetch_sub(1, Ordering::SeqCst);
                    sem.release();
                }
            }
        };
        let other = thread::spawn(work.clone());
        work();
        other.join().unwrap();
        assert_eq!(sem.available(), 1, "the one permit is back at the end");
    });
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch02-semaphore` runs it")]
fn release_wakes_a_waiter() {
    loom::model(|| {
        let sem = Arc::new(Semaphore::new(0));
        let waiter = {
            let sem = Arc::clone(&sem);
            thread::spawn(move || sem.acquire())
        };
        sem.release();
        waiter.join().unwrap();
        assert_eq!(sem.available(), 0, "the waiter took the released permit");
    });
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch02-semaphore` runs it")]
fn two_releases_wake_two_waiters() {
    loom::model(|| {
        let sem = Arc::new(Semaphore::new(0));
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let sem = Arc::clone(&sem);
                thread::spawn(move || sem.acquire())
            })
            .collect();
        sem.release();
        sem.release();
        for w in waiters {
            w.join().unwrap();
        }
        assert_eq!(sem.available(), 0, "each waiter took one permit");
    });
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch02-semaphore` runs it")]
fn try_acquire_takes_only_what_is_there() {
    loom::model(|| {
        let sem = Arc::new(Semaphore::new(1));
        let other = {
            let sem = Arc::clone(&sem);
            thread::spawn(move || sem.try_acquire())
        };
        let mine = sem.try_acquire();
        let theirs = other.join().unwrap();
        assert!(mine != theirs, "exactly one of two try_acquire() gets the one permit");
        assert_eq!(sem.available(), 0);
    });
}

//! Model checks of the chapter's hand-built `Semaphore` and `Event` with loom.
//!
//! Built with `--cfg loom`, `ch02_threads::sync` hands out loom's instrumented
//! `Mutex`, `Condvar`, `Arc` and atomics, and `loom::model` runs each closure below
//! once for every interleaving of its threads that loom's bounds allow. A lost
//! wake-up shows up as a deadlock ("all threads blocked"), two holders of one permit
//! as a failed assertion or a data race on a `loom::cell::UnsafeCell`.
//!
//! Run (the first build takes a while):
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test -p ch02-threads --test loom --release --target-dir target/loom
//! ```
#![cfg(loom)]

use ch02_threads::event::Event;
use ch02_threads::semaphore::Semaphore;
use ch02_threads::sync::{Arc, AtomicUsize, Ordering};
use loom::cell::UnsafeCell;
use loom::thread;

/// A model builder with a preemption bound, for the one model too big to explore
/// in full (loom's documentation notes that most bugs need only two or three
/// preemptions to show).
fn bounded(preemptions: usize) -> loom::model::Builder {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(preemptions);
    builder
}

#[test]
fn semaphore_of_one_is_mutual_exclusion() {
    // Two threads with Semaphore(1) never both inside: loom reports a data race if
    // both could touch the cell at once.
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
        {
            let _permit = sem.permit();
            cell.with_mut(|v| unsafe { *v += 1 });
        }
        other.join().unwrap();
        assert_eq!(cell.with(|v| unsafe { *v }), 2);
        assert_eq!(sem.available(), 1);
    });
}

#[test]
fn semaphore_never_hands_out_more_than_its_permits() {
    // Three threads, two permits: at most two inside at any moment, and every
    // permit is back at the end. Unbounded, this model takes many minutes; with
    // three preemptions it takes a fraction of a second and still finds a semaphore
    // whose check and decrement are separate steps.
    bounded(3).check(|| {
        let sem = Arc::new(Semaphore::new(2));
        let inside = Arc::new(AtomicUsize::new(0));
        let work = {
            let (sem, inside) = (Arc::clone(&sem), Arc::clone(&inside));
            move || {
                let _permit = sem.permit();
                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                assert!(now <= 2, "{now} threads hold one of 2 permits");
                inside.fetch_sub(1, Ordering::SeqCst);
            }
        };
        let a = thread::spawn(work.clone());
        let b = thread::spawn(work.clone());
        work();
        a.join().unwrap();
        b.join().unwrap();
        assert_eq!(sem.available(), 2);
    });
}

#[test]
fn semaphore_release_wakes_a_waiter() {
    // Semaphore(0): the waiter can only get through thanks to release(). A lost
    // wake-up would leave it blocked, which loom reports as a deadlock.
    loom::model(|| {
        let sem = Arc::new(Semaphore::new(0));
        let waiter = {
            let sem = Arc::clone(&sem);
            thread::spawn(move || sem.acquire())
        };
        sem.release();
        waiter.join().unwrap();
        assert_eq!(sem.available(), 0);
    });
}

#[test]
fn semaphore_two_releases_wake_two_waiters() {
    // notify_one per release must not be "used up" by the wrong thread.
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
        assert_eq!(sem.available(), 0);
    });
}

#[test]
fn semaphore_try_acquire_takes_only_what_is_there() {
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

#[test]
fn event_wait_returns_once_set() {
    // Whichever runs first, the waiter returns: set() before wait() lets it through
    // at once, set() during wait() wakes it.
    loom::model(|| {
        let event = Arc::new(Event::new());
        let waiter = {
            let event = Arc::clone(&event);
            thread::spawn(move || {
                event.wait();
                assert!(event.is_set());
            })
        };
        event.set();
        waiter.join().unwrap();
    });
}

#[test]
fn event_set_then_clear_wakes_a_thread_already_waiting() {
    // The book's §2.10 pattern. The main thread calls set() only once the waiter is
    // really blocked in wait(), then clear() at once. With a flag alone the woken
    // waiter could see the flag down again and sleep for ever (a deadlock for loom);
    // the generation counter lets it through in every interleaving.
    loom::model(|| {
        let event = Arc::new(Event::new());
        let waiter = {
            let event = Arc::clone(&event);
            thread::spawn(move || event.wait())
        };
        while event.waiters() == 0 {
            thread::yield_now();
        }
        event.set();
        event.clear();
        waiter.join().unwrap();
        assert!(!event.is_set());
        assert_eq!(event.waiters(), 0);
    });
}

#[test]
fn event_set_then_clear_wakes_every_waiter() {
    // Two waiters already blocked: one set() followed by clear() wakes both.
    loom::model(|| {
        let event = Arc::new(Event::new());
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let event = Arc::clone(&event);
                thread::spawn(move || event.wait())
            })
            .collect();
        while event.waiters() < 2 {
            thread::yield_now();
        }
        event.set();
        event.clear();
        for w in waiters {
            w.join().unwrap();
        }
        assert_eq!(event.waiters(), 0);
    });
}

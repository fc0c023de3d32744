//! # Thread synchronisation with a lock — and what happens without one
//!
//! **Book:** 1st edition §2.6 *Thread synchronization with Lock and RLock*
//! (「2.6 使用Lock进行线程同步」; printed edition「使用Lock与RLock实现线程同步」).
//! The 2nd edition's lock recipe uses another listing: see `thread_lock_scope`.
//!
//! **Run:** `cargo run --bin thread_lock` (or `cookbook run 2.6`).
//! Try `--increment-only` to make lost updates obvious, and `--count 1000000`.
//!
//! ## What it shows
//!
//! Two threads add 1 and take 1 away `--count` times each from a shared integer.
//! With a lock the result is always 0. Without one, updates are lost: each thread
//! reads the value, computes the new one, and writes it back, and a write can
//! overwrite the other thread's work done in between. Three pairs of threads run,
//! one pair after the other, the two threads of a pair started at the same moment:
//!
//! 1. **with a lock**: a `Mutex<i64>`;
//! 2. **racy**: an atomic integer updated by a separate `load` and `store`, the same
//!    read-then-write that Python's `x += 1` does;
//! 3. **atomic**: `fetch_add` / `fetch_sub`, one indivisible read-modify-write that
//!    needs no lock at all.
//!
//! ## Python → Rust
//!
//! - In Python the lock and the integer are two separate globals: nothing stops a
//!   function from touching the integer without `acquire()`. In Rust the `Mutex`
//!   *owns* the integer; the only way to reach it is `lock()`, and the guard it
//!   returns releases the lock when it goes out of scope. The unlocked version
//!   cannot be written by accident. Here it is written on purpose, with an atomic
//!   so that it stays memory-safe (a plain `static mut` would be undefined
//!   behaviour, not just a wrong answer).
//! - There is no GIL. On CPython the racy total is often still 0, because the GIL
//!   switches threads only every few milliseconds. In Rust, on two or more cores,
//!   both threads really run at once and the racy total is usually far from 0.
//!   Whether the race shows in a given run is still up to the scheduler: the test
//!   asserts only what a lock guarantees.
//!
//! ## Output
//!
//! The book's two lines, a third for the atomic pair, and the facts
//! `with_lock = 0`, `race_condition = Y`, `atomic = 0`.

use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

use clap::Parser;

/// Increment and decrement a shared integer from two threads, with a lock, without
/// one, and with atomic operations (1st edition §2.6).
#[derive(Parser)]
#[command(name = "thread_lock")]
struct Args {
    /// Iterations per thread (the book's COUNT).
    #[arg(long, default_value_t = 100_000, value_parser = cookbook_support::positive_usize)]
    count: usize,

    /// Make both threads of each pair increment, so the expected total is
    /// 2 × count and every lost update shows as a shortfall.
    #[arg(long)]
    increment_only: bool,
}

/// Start two threads that run `work(+1)` and `work(step)` at the same moment, and
/// join them. Both spin until the other is running too: thread start-up takes tens
/// of microseconds and 100 000 iterations take about a millisecond, so without the
/// rendezvous one thread could be done before the other begins, and there would be
/// nothing to race with.
fn run_pair(step: i64, work: impl Fn(i64) + Send + Sync + 'static) {
    let work = Arc::new(work);
    let ready = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = [1, step]
        .into_iter()
        .map(|delta| {
            let (work, ready) = (Arc::clone(&work), Arc::clone(&ready));
            thread::spawn(move || {
                ready.fetch_add(1, Ordering::AcqRel);
                while ready.load(Ordering::Acquire) < 2 {
                    std::hint::spin_loop();
                }
                work(delta);
            })
        })
        .collect();
    for h in handles {
        h.join().expect("a worker thread panicked");
    }
}

fn main() {
    let args = Args::parse();
    let count = args.count;
    // The second thread of each pair adds `step`: -1 as in the book, or +1.
    let step: i64 = if args.increment_only { 1 } else { -1 };

    // Each pair runs on its own, so that its two threads have the two cores of a
    // small machine to themselves.

    // 1. With a lock. `lock()` is the book's acquire(); the end of the guard's
    //    scope (here, the end of the statement) is its release().
    let with_lock = Arc::new(Mutex::new(0_i64));
    let counter = Arc::clone(&with_lock);
    run_pair(step, move |delta| {
        for _ in 0..count {
            *counter.lock().unwrap() += delta;
        }
    });

    // 2. Racy: read, then write back. Another thread's write in between is lost.
    let racy = Arc::new(AtomicI64::new(0));
    let counter = Arc::clone(&racy);
    run_pair(step, move |delta| {
        for _ in 0..count {
            let seen = counter.load(Ordering::Relaxed);
            counter.store(seen + delta, Ordering::Relaxed);
        }
    });

    // 3. Atomic read-modify-write: no lock, and no lost update.
    let atomic = Arc::new(AtomicI64::new(0));
    let counter = Arc::clone(&atomic);
    run_pair(step, move |delta| {
        for _ in 0..count {
            counter.fetch_add(delta, Ordering::Relaxed);
        }
    });

    let with_lock = *with_lock.lock().unwrap();
    let racy = racy.load(Ordering::Relaxed);
    let atomic = atomic.load(Ordering::Relaxed);
    let expected = if args.increment_only { 2 * count as i64 } else { 0 };

    println!("the value of shared variable with lock management is {with_lock}");
    println!("the value of shared variable with race condition is {racy}");
    println!("the value of shared variable with atomic operations is {atomic}");
    println!();
    println!("expected = {expected}");
    println!("with_lock = {with_lock}");
    println!("race_condition = {racy}");
    println!("atomic = {atomic}");
    if racy == expected {
        println!("(the race did not show this time: run it again, or raise --count)");
    } else if args.increment_only {
        // Every lost update is one increment missing from the total.
        println!("lost_updates = {}", expected - racy);
    } else {
        // Lost increments and lost decrements partly cancel: this is how far off
        // the total is, not how many updates were lost.
        println!("off_by = {}", (racy - expected).abs());
    }
}

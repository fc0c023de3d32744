//! # Thread synchronisation with a lock, and what happens without one
//!
//! **Book:** 1st edition §2.6 *Thread synchronization with Lock and RLock*
//! (「2.6 使用Lock进行线程同步」; printed edition「使用Lock与RLock实现线程同步」).
//! The 2nd edition's lock recipe uses another listing: see `thread_lock_scope`.
//!
//! **Run:** `cargo run --bin thread_lock` (or `cookbook run 2.6`); add
//! `--increment-only` to count the lost updates.
//!
//! Two threads add 1 and take 1 away `--count` times each from one shared integer,
//! three times over: with a `Mutex`, with a racy read-then-write, and with atomic
//! read-modify-write operations. The lock and the atomics always end at 0; the racy
//! version loses updates in every run.

use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use std::thread;

use clap::Parser;
use cookbook_support::{Status, Trace, fail};

/// Increment and decrement a shared integer from two threads, with a lock, without
/// one, and with atomic operations (1st edition §2.6).
#[derive(Parser)]
#[command(name = "thread_lock")]
struct Args {
    /// Iterations per thread, the book's COUNT [1–10000000].
    #[arg(long, default_value_t = 100_000, value_parser = cookbook_support::count(1, 10_000_000))]
    count: usize,

    /// Make both threads of each pair increment, so the expected total is
    /// 2 × count and every lost update shows as a shortfall.
    #[arg(long)]
    increment_only: bool,

    #[command(flatten)]
    trace: Trace,
}

// ANCHOR: listing
/// With the lock: `lock()` is the book's `acquire()`, and the guard it returns
/// is released at the end of the statement, the book's `release()`.
fn locked_update(shared: &Mutex<i64>, delta: i64) {
    *shared.lock().unwrap() += delta;
}

/// Without a lock: Python's `shared += delta` is a read, an add and a write.
fn racy_update(shared: &AtomicI64, delta: i64) {
    let seen = shared.load(Ordering::Relaxed); // read
    // CPython may switch to another thread between the read and the write (its
    // switch interval, 5 ms by default). Give the scheduler that chance here,
    // every time, so that the race shows on one core as on many.
    thread::yield_now();
    // Write: whatever the other thread wrote since our read is lost.
    shared.store(seen + delta, Ordering::Relaxed);
}

/// Atomic: read, add and write in one indivisible step of the hardware.
fn atomic_update(shared: &AtomicI64, delta: i64) {
    shared.fetch_add(delta, Ordering::Relaxed);
}

/// Start two threads that run `work(+1)` and `work(step)` `count` times each, and
/// wait for both. They borrow the shared integer: `thread::scope` joins them
/// before it returns, so no `Arc` is needed.
fn run_pair(pair: &str, count: usize, step: i64, work: impl Fn(i64) + Sync) -> Result<(), String> {
    thread::scope(|s| {
        let mut workers = Vec::new();
        for (worker, delta) in [(1, 1), (2, step)] {
            let work = &work;
            let spawned = thread::Builder::new().name(format!("{pair} {worker}")).spawn_scoped(s, move || {
                let _run = tracing::info_span!("run", worker).entered();
                for _ in 0..count {
                    work(delta);
                }
            });
            // A thread the system refuses to start is an error, not a panic.
            workers.push(spawned.map_err(|e| format!("cannot start a thread: {e}"))?);
        }
        let panicked = workers.into_iter().map(|w| w.join()).filter(Result::is_err).count();
        if panicked == 0 { Ok(()) } else { Err("a worker thread panicked".to_string()) }
    })
}

fn main() -> ExitCode {
    let args = Args::parse();
    let _session = args.trace.start();
    let count = args.count;
    // The second thread of each pair adds `step`: -1 as in the book, or +1.
    let step: i64 = if args.increment_only { 1 } else { -1 };

    // The three pairs run one after the other, so that the two threads of each
    // have the cores to themselves.
    let with_lock = Mutex::new(0_i64);
    let racy = AtomicI64::new(0);
    let atomic = AtomicI64::new(0);
    let pairs = run_pair("with lock", count, step, |delta| locked_update(&with_lock, delta))
        .and_then(|()| run_pair("racy", count, step, |delta| racy_update(&racy, delta)))
        .and_then(|()| run_pair("atomic", count, step, |delta| atomic_update(&atomic, delta)));
    if let Err(why) = pairs {
        return fail(why);
    }

    let with_lock = with_lock.into_inner().unwrap();
    let racy = racy.into_inner();
    let atomic = atomic.into_inner();
    println!("the value of shared variable with lock management is {with_lock}");
    println!("the value of shared variable with race condition is {racy}");
    println!("the value of shared variable with atomic operations is {atomic}");
    // ANCHOR_END: listing

    let expected = if args.increment_only { 2 * count as i64 } else { 0 };
    println!();
    println!("expected = {expected}");
    println!("with_lock = {with_lock}");
    println!("race_condition = {racy}");
    println!("atomic = {atomic}");
    if racy == expected {
        println!("(the racy total came out right this time: run it again)");
    } else if args.increment_only {
        // Every lost update is one increment missing from the total.
        println!("lost_updates = {}", expected - racy);
    } else {
        // Lost increments and lost decrements partly cancel: this is how far off
        // the total is, not how many updates were lost.
        println!("off_by = {}", (racy - expected).abs());
    }
    if with_lock != expected || atomic != expected {
        return fail(format!("the lock or the atomics lost an update: expected {expected}"));
    }
    Status::Success.into()
}

//! # How long a lock is held: the guard's scope
//!
//! **Book:** 2nd edition `Chapter02/MyThreadClass_lock.py` and
//! `Chapter02/MyThreadClass_lock_2.py` (第2章 基于线程的并行性), the 2nd edition's lock
//! recipe. It relates to 1st edition §2.6 *Thread synchronization with Lock and
//! RLock* (「2.6 使用Lock进行线程同步」), whose own listing is `thread_lock`.
//!
//! **Run:** `cargo run --bin thread_lock_scope` (the first file; up to 90 s: try
//! `--delay-scale 0.1`), and `cargo run --bin thread_lock_scope -- --release-early`
//! (the second file).
//!
//! ## What it shows
//!
//! Nine threads `Thread#1`…`Thread#9` each sleep a random 1–10 s. Every thread
//! takes one shared lock, prints that it is running, sleeps, and prints that it is
//! over. *How long it holds the lock* is the whole lesson:
//!
//! - `--hold-during-sleep` (default, `MyThreadClass_lock.py`): the lock is held
//!   across the sleep. Only one thread runs at a time; the nine sleeps add up.
//! - `--release-early` (`MyThreadClass_lock_2.py`): the lock is given back right
//!   after the first print. Only the print is serialised; the sleeps overlap and
//!   the run takes about as long as the longest one.
//!
//! ## Python → Rust
//!
//! - Python's `threadLock.acquire()` … `threadLock.release()` are two calls that
//!   can be placed anywhere (or forgotten). In Rust, `lock()` returns a *guard*,
//!   and the lock is held exactly as long as the guard lives: to the end of its
//!   block, or until `drop(guard)`. The critical section is the guard's scope.
//! - The lock here protects no data, only a stretch of code: a `Mutex<()>`. (When
//!   there is data, the mutex owns it: see `thread_lock`.)
//! - Beware `let _ = lock.lock()`: `_` is not a variable, so the guard is dropped
//!   at once and nothing is locked. Name it, even `_guard`, to keep it alive.
//!
//! ## Output
//!
//! The 2nd edition's lines, `End`, `--- S seconds ---`, then the facts `mode`,
//! `pid`, `max_duration_ms`, `sum_duration_ms` and `elapsed_ms`. In hold mode each
//! running line is followed at once by the same thread's over line, and the
//! elapsed time is at least the sum of the sleeps; in release mode the lines
//! interleave and the elapsed time is close to the longest sleep.

use std::process;
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Instant;

use clap::Parser;
use cookbook_support::rng::{Rng, seeded};
use cookbook_support::{Common, EXIT_FAILURE};

/// Nine threads share one lock; hold it across the sleep, or give it back
/// after the first print (2nd edition MyThreadClass_lock.py, _lock_2.py).
#[derive(Parser)]
#[command(name = "thread_lock_scope")]
struct Args {
    /// Keep the lock while sleeping (MyThreadClass_lock.py). This is the default.
    #[arg(long, conflicts_with = "release_early")]
    hold_during_sleep: bool,

    /// Give the lock back right after the first print (MyThreadClass_lock_2.py).
    #[arg(long)]
    release_early: bool,

    /// How many threads (the book's 9).
    #[arg(long, default_value_t = 9, value_parser = cookbook_support::positive_usize)]
    threads: usize,

    #[command(flatten)]
    common: Common,
}

/// The 2nd edition's `MyThreadClass`, with the global `threadLock` passed in.
struct MyThreadClass {
    name: String,
    /// Seconds to sleep (before `--delay-scale`).
    duration: u64,
    lock: Arc<Mutex<()>>,
    release_early: bool,
    common: Common,
}

impl MyThreadClass {
    fn start(self) -> std::io::Result<JoinHandle<()>> {
        thread::Builder::new().name(self.name.clone()).spawn(move || self.run())
    }

    fn run(self) {
        if self.release_early {
            // MyThreadClass_lock_2.py: only the first print is locked.
            let guard = self.lock.lock().unwrap();
            println!("---> {} running, belonging to process ID {}", self.name, process::id());
            drop(guard); // the book's threadLock.release(), before the sleep
            self.common.sleep(self.duration as f64);
            println!("---> {} over", self.name);
        } else {
            // MyThreadClass_lock.py: the guard lives to the end of this block,
            // so the lock is held across the sleep and the second print.
            let _guard = self.lock.lock().unwrap();
            println!("---> {} running, belonging to process ID {}", self.name, process::id());
            self.common.sleep(self.duration as f64);
            println!("---> {} over", self.name);
        } // in hold mode, released here
    }
}

fn main() {
    let args = Args::parse();
    let mut rng = seeded(args.common.seed());
    let lock = Arc::new(Mutex::new(()));
    let start_time = Instant::now();

    // Thread creation, with random durations of 1 to 10 seconds.
    let threads: Vec<MyThreadClass> = (1..=args.threads)
        .map(|k| MyThreadClass {
            name: format!("Thread#{k}"),
            duration: rng.random_range(1..=10),
            lock: Arc::clone(&lock),
            release_early: args.release_early,
            common: args.common.clone(),
        })
        .collect();
    let durations_ms: Vec<u128> = threads.iter().map(|t| args.common.scaled(t.duration as f64).as_millis()).collect();

    // Thread running, then thread joining.
    let mut handles = Vec::new();
    for t in threads {
        match t.start() {
            Ok(h) => handles.push(h),
            Err(e) => {
                eprintln!("cannot start a thread: {e}");
                process::exit(EXIT_FAILURE);
            }
        }
    }
    let mut failed = false;
    for h in handles {
        failed |= h.join().is_err();
    }
    if failed {
        eprintln!("a thread panicked");
        process::exit(EXIT_FAILURE);
    }

    let elapsed = start_time.elapsed();
    println!("End");
    println!("--- {:.6} seconds ---", elapsed.as_secs_f64());
    println!();
    println!("mode = {}", if args.release_early { "release" } else { "hold" });
    println!("pid = {}", process::id());
    println!("max_duration_ms = {}", durations_ms.iter().max().copied().unwrap_or(0));
    println!("sum_duration_ms = {}", durations_ms.iter().sum::<u128>());
    println!("elapsed_ms = {}", elapsed.as_millis());
}

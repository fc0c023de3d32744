//! # Thread synchronisation with a barrier
//!
//! **Book:** 2nd edition `Chapter02/Barrier.py` (第2章 基于线程的并行性). The 1st
//! edition has only the process barrier (§3.8 「使用进程屏障」, recipe
//! `process_barrier`).
//!
//! **Run:** `cargo run --bin thread_barrier`.
//!
//! ## What it shows
//!
//! Three runners, Huey, Dewey and Louie, start a race. Each runs for a random 2 to
//! 4 seconds, prints the time it reached the finish line, and waits there. A
//! barrier for three threads keeps every runner waiting until the last one
//! arrives; then all three are let through at once. Exactly one of them is told it
//! is the *leader*, which is handy when one thread must do some work after each
//! phase (merge results, print a summary) and the others must not.
//!
//! ## Python → Rust
//!
//! - `threading.Barrier(3)` → `std::sync::Barrier::new(3)`, shared with `Arc`.
//!   `wait()` blocks until three threads have called it.
//! - Python's `wait()` returns an index, 0 to 2, different in each thread. Rust's
//!   returns a `BarrierWaitResult` whose `is_leader()` is true in exactly one.
//! - The 2nd edition's runners take their names with `runners.pop()` from a shared
//!   global list: a hidden data race, harmless only because the GIL makes
//!   `list.pop` atomic. In Rust each runner's name is *moved* into its closure;
//!   nothing is shared but the barrier.
//! - Python's `Barrier` can time out, be reset and be broken
//!   (`BrokenBarrierError`); std's `Barrier` has none of that and is reusable: the
//!   same barrier serves the next phase.
//!
//! ## Output
//!
//! `START RACE!!!!`, three `<name> reached the barrier at: <time>` lines, then
//! three `<name> passed the barrier` lines (added to the book's output, to make
//! the barrier visible: no runner passes before all have arrived), one
//! `leader = <name>` fact, and `Race over!`.

use std::process;
use std::sync::{Arc, Barrier};
use std::thread;

use clap::Parser;
use cookbook_support::rng::{Rng, for_worker};
use cookbook_support::{Common, EXIT_FAILURE};

/// Three runners meet at a barrier; none passes until all have arrived
/// (2nd edition Barrier.py).
#[derive(Parser)]
#[command(name = "thread_barrier")]
struct Args {
    #[command(flatten)]
    common: Common,
}

const RUNNERS: [&str; 3] = ["Huey", "Dewey", "Louie"];

/// ctime-style local time with microseconds, so that arrivals within the same
/// second (at a small `--delay-scale`) can still be told apart.
fn now() -> String {
    chrono::Local::now().format("%a %b %e %H:%M:%S%.6f %Y").to_string()
}

fn runner(name: &str, secs: u64, finish_line: &Barrier, common: &Common) {
    common.sleep(secs as f64);
    println!("{name} reached the barrier at: {}", now());
    let result = finish_line.wait();
    println!("{name} passed the barrier");
    if result.is_leader() {
        println!("leader = {name}");
    }
}

fn main() {
    let args = Args::parse();
    let seed = args.common.seed();
    let finish_line = Arc::new(Barrier::new(RUNNERS.len()));

    println!("START RACE!!!!");
    let mut threads = Vec::new();
    for (i, name) in RUNNERS.into_iter().enumerate() {
        // Each runner's time comes from its own generator, so it does not depend
        // on which thread happens to draw first. randrange(2, 5): 2, 3 or 4 s.
        let secs = for_worker(seed, i as u64).random_range(2..=4);
        let (finish_line, common) = (Arc::clone(&finish_line), args.common.clone());
        threads.push(thread::spawn(move || runner(name, secs, &finish_line, &common)));
    }

    let mut failed = false;
    for t in threads {
        failed |= t.join().is_err();
    }
    if failed {
        eprintln!("a runner panicked");
        process::exit(EXIT_FAILURE);
    }
    println!("Race over!");
}

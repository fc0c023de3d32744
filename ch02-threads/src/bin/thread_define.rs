//! # How to define a thread: spawn a closure, join its handle
//!
//! **Book:** 1st edition §2.3 *How to define a thread* (「2.3 如何定义一个线程」;
//! printed edition「如何定义线程」). 2nd edition `Chapter02/Thread_definition.py`
//! (第2章 基于线程的并行性).
//!
//! **Run:** `cargo run --bin thread_define` (or `cookbook run 2.3`).
//! Try `--concurrent`, and `--threads 10` as in the 2nd edition.
//!
//! ## What it shows
//!
//! The smallest threaded program: a function, a loop that starts one thread per
//! number, and a `join` that waits for each. Every thread prints
//! `function called by thread i`.
//!
//! **A book error this recipe keeps on purpose, and fixes behind a flag.** The
//! book's loop calls `start()` and then `join()` on the same thread before it
//! starts the next one, so only one thread ever runs at a time and the lines come
//! out 0, 1, 2, 3, 4 every time, although the book's screenshot shows them shuffled
//! (the Chinese translator points this out). The default run keeps the book's loop
//! so you can see that; `--concurrent` starts every thread first and joins them
//! all afterwards, and then the order is up to the scheduler.
//!
//! ## Python → Rust
//!
//! - `threading.Thread(target=function, args=(i,))` then `start()` becomes
//!   `thread::spawn(move || function(i))`. The argument is *captured* by the
//!   `move` closure instead of being passed as a tuple.
//! - A Python `Thread` object exists before it runs ("created, not started"). A
//!   Rust thread starts the moment `spawn` returns; what you keep is its
//!   `JoinHandle`.
//! - `join()` returns a `Result`: `Err` if the thread panicked. Python's `join()`
//!   returns `None` either way and the exception is only printed.
//!
//! ## Output
//!
//! One line per thread, `function called by thread i`. By default they are in
//! order 0…n−1; with `--concurrent` each number appears once, in any order.

use std::thread;

use clap::Parser;

/// Start one thread per number; each prints which thread called the function
/// (1st edition §2.3).
#[derive(Parser)]
#[command(name = "thread_define")]
struct Args {
    /// How many threads to start (the book's 5; the 2nd edition uses 10).
    #[arg(long, default_value_t = 5, value_parser = cookbook_support::positive_usize)]
    threads: usize,

    /// Start every thread first, then join them all: the threads really run at
    /// the same time. Without it each thread is joined before the next one starts,
    /// as in the book's listing.
    #[arg(long)]
    concurrent: bool,
}

/// The thread's target: the book's `function(i)`.
fn function(i: usize) {
    println!("function called by thread {i}");
}

fn main() {
    let args = Args::parse();
    let mut failed = false;

    if args.concurrent {
        // Start them all, keep the handles, then wait for each.
        let handles: Vec<_> = (0..args.threads).map(|i| thread::spawn(move || function(i))).collect();
        for handle in handles {
            failed |= handle.join().is_err();
        }
    } else {
        // The book's loop: start, then join at once. The main thread waits for
        // thread i to finish before it creates thread i + 1, so nothing overlaps.
        for i in 0..args.threads {
            let handle = thread::spawn(move || function(i));
            failed |= handle.join().is_err();
        }
    }

    if failed {
        eprintln!("a thread panicked");
        std::process::exit(cookbook_support::EXIT_FAILURE);
    }
}

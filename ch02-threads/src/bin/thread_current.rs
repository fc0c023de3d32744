//! # How to determine the current thread: named threads
//!
//! **Book:** 1st edition §2.4 *How to determine the current thread*
//! (「2.4 如何确定当前的线程」; printed edition「如何确定当前的线程」).
//! 2nd edition `Chapter02/Thread_determine.py` (第2章 基于线程的并行性).
//!
//! **Run:** `cargo run --bin thread_current` (or `cookbook run 2.4`).
//! Try `--names abc` (the 2nd edition's `function_A/B/C`) and `--unnamed-third`.
//!
//! ## What it shows
//!
//! Three threads get a name when they are built. Each asks "who am I?" with
//! `thread::current().name()`, prints `<name> is Starting`, sleeps 2 s, and prints
//! `<name> is Exiting`. The main thread joins all three.
//!
//! **Book errors this recipe fixes.** The book's listing and its discussion differ:
//! the discussion builds the third thread *without* a name (to show the default)
//! and joins all three threads, which the listing never does. Here the threads are
//! always joined, and `--unnamed-third` is the discussion's variant.
//!
//! ## Python → Rust
//!
//! - `threading.Thread(name='first_function', target=first_function)` becomes
//!   `thread::Builder::new().name(...).spawn(...)`, and
//!   `threading.currentThread().getName()` becomes `thread::current().name()`.
//! - Python gives every unnamed thread a made-up name, `Thread-N`. A Rust thread
//!   without a name has none: `name()` returns `None`. What every Rust thread does
//!   have is a `ThreadId`, unique for the life of the process; the unnamed thread
//!   prints that instead.
//! - Without `join`, Python still waits for its (non-daemon) threads at exit. A
//!   Rust program ends when `main` returns, killing threads still running: the
//!   joins are not optional here.
//!
//! ## Output
//!
//! Six lines: one Starting and one Exiting per thread. The three Starting lines
//! come first (each thread sleeps before it exits), in an order the scheduler picks.

use std::thread;

use clap::{Parser, ValueEnum};

/// Start three named threads; each prints its own name on entry and on exit
/// (1st edition §2.4).
#[derive(Parser)]
#[command(name = "thread_current")]
struct Args {
    /// Which names to give the threads.
    #[arg(long, value_enum, default_value_t = Names::Book)]
    names: Names,

    /// Start the third thread without a name, as in the book's discussion.
    #[arg(long)]
    unnamed_third: bool,

    #[command(flatten)]
    common: cookbook_support::Common,
}

#[derive(Clone, Copy, ValueEnum)]
enum Names {
    /// first_function, second_function, third_function (1st edition)
    Book,
    /// function_A, function_B, function_C (2nd edition)
    Abc,
}

/// What the running thread calls itself: its name, or, for a thread built
/// without one, `<unnamed ThreadId(N)>`.
fn current_name() -> String {
    let me = thread::current();
    match me.name() {
        Some(name) => name.to_string(),
        None => format!("<unnamed {:?}>", me.id()),
    }
}

/// The body of each thread. The book writes three identical functions, one per
/// thread; only the name, which the thread looks up itself, tells them apart.
fn function(common: &cookbook_support::Common) {
    println!("{} is Starting", current_name());
    common.sleep(2.0);
    println!("{} is Exiting", current_name());
}

fn main() {
    let args = Args::parse();
    let names = match args.names {
        Names::Book => ["first_function", "second_function", "third_function"],
        Names::Abc => ["function_A", "function_B", "function_C"],
    };

    let mut handles = Vec::new();
    for (i, name) in names.into_iter().enumerate() {
        let common = args.common.clone();
        let mut builder = thread::Builder::new();
        if !(args.unnamed_third && i == 2) {
            builder = builder.name(name.to_string());
        }
        // `spawn` on a Builder returns a Result: the operating system may refuse
        // a new thread (thread::spawn panics in that case instead).
        match builder.spawn(move || function(&common)) {
            Ok(handle) => handles.push(handle),
            Err(e) => {
                eprintln!("cannot start a thread: {e}");
                std::process::exit(cookbook_support::EXIT_FAILURE);
            }
        }
    }

    // The joins of the book's discussion: main waits for all three.
    let mut failed = false;
    for handle in handles {
        failed |= handle.join().is_err();
    }
    if failed {
        eprintln!("a thread panicked");
        std::process::exit(cookbook_support::EXIT_FAILURE);
    }
}

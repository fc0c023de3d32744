//! # How to determine the current thread: named threads
//!
//! **Book:** 1st edition §2.4 *How to determine the current thread*
//! (「2.4 如何确定当前的线程」; printed edition「如何确定当前的线程」).
//! 2nd edition `Chapter02/Thread_determine.py` (第2章 基于线程的并行性).
//!
//! **Run:** `cargo run --bin thread_current` (or `cookbook run 2.4`); try
//! `--names abc` (the 2nd edition's names) and `--unnamed-third`.
//!
//! Three threads get a name when they are built. Each asks "who am I?" with
//! `thread::current().name()`, prints `<name> is Starting`, sleeps 2 s and prints
//! `<name> is Exiting`; the main thread joins all three.

use std::process::ExitCode;
use std::thread;

use clap::{Parser, ValueEnum};
use cookbook_support::{Delay, Status, Trace, fail};

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
    delay: Delay,

    #[command(flatten)]
    trace: Trace,
}

#[derive(Clone, Copy, ValueEnum)]
enum Names {
    /// first_function, second_function, third_function (1st edition)
    Book,
    /// function_A, function_B, function_C (2nd edition)
    Abc,
}

// ANCHOR: listing
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
fn function(delay: &Delay) {
    println!("{} is Starting", current_name());
    delay.sleep(2.0);
    println!("{} is Exiting", current_name());
}

fn main() -> ExitCode {
    let args = Args::parse();
    let _session = args.trace.start();
    let mut names = match args.names {
        Names::Book => [Some("first_function"), Some("second_function"), Some("third_function")],
        Names::Abc => [Some("function_A"), Some("function_B"), Some("function_C")],
    };
    if args.unnamed_third {
        // The book's discussion: the third thread is built without a name.
        names[2] = None;
    }

    // The scope joins every thread it started before it returns: the joins of
    // the book's discussion. (A Rust program ends when `main` returns, and takes
    // its threads with it; Python waits for them.)
    let delay = &args.delay;
    let result = thread::scope(|s| {
        let mut handles = Vec::new();
        for (i, name) in names.into_iter().enumerate() {
            let mut builder = thread::Builder::new();
            if let Some(name) = name {
                builder = builder.name(name.to_string());
            }
            // A Builder's spawn returns a Result: the system may refuse a thread.
            let spawned = builder.spawn_scoped(s, move || {
                let _run = tracing::info_span!("run", worker = i).entered();
                function(delay)
            });
            handles.push(spawned.map_err(|e| format!("cannot start a thread: {e}"))?);
        }
        let panicked = handles.into_iter().map(|h| h.join()).filter(Result::is_err).count();
        if panicked == 0 { Ok(()) } else { Err("a thread panicked".to_string()) }
    });
    match result {
        Ok(()) => Status::Success.into(),
        Err(why) => fail(why),
    }
}
// ANCHOR_END: listing

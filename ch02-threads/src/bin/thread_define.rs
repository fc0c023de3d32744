//! # How to define a thread: spawn a closure, join its handle
//!
//! **Book:** 1st edition §2.3 *How to define a thread* (「2.3 如何定义一个线程」;
//! printed edition「如何定义线程」). 2nd edition `Chapter02/Thread_definition.py`
//! (第2章 基于线程的并行性).
//!
//! **Run:** `cargo run --bin thread_define` (or `cookbook run 2.3`); then
//! `-- --concurrent`, and `--threads 10` as in the 2nd edition.
//!
//! A loop starts one thread per number and each thread prints
//! `function called by thread i`. The book's loop joins each thread before it
//! starts the next, so only one ever runs at a time; `--concurrent` starts them all
//! first and joins them afterwards. For each thread the recipe reports how many
//! other threads had been started and not yet joined when it began: those are the
//! ones that could run beside it.

use std::process::ExitCode;
use std::thread::{self, JoinHandle};

use clap::Parser;
use cookbook_support::{Status, Trace, fail};

/// Start one thread per number; each prints which thread called the function
/// (1st edition §2.3).
#[derive(Parser)]
#[command(name = "thread_define")]
struct Args {
    /// How many threads to start [1–1000] (the book's 5; the 2nd edition uses 10).
    #[arg(long, default_value_t = 5, value_parser = cookbook_support::count(1, 1000))]
    threads: usize,

    /// Start every thread first, then join them all: the threads really run at
    /// the same time. Without it each thread is joined before the next one starts,
    /// as in the book's listing.
    #[arg(long)]
    concurrent: bool,

    #[command(flatten)]
    trace: Trace,
}

// ANCHOR: listing
/// The thread's target: the book's `function(i)`.
fn function(i: usize) {
    println!("function called by thread {i}");
}

/// The threads `main` has started and not joined yet, and for every thread it
/// started, how many others were in that state at that moment: the threads that
/// could be running beside it.
#[derive(Default)]
struct Threads {
    unjoined: Vec<JoinHandle<()>>,
    alongside: Vec<usize>,
}

impl Threads {
    /// `threading.Thread(target=function, args=(i,))` and `start()` in one call:
    /// the `move` closure captures `i`, and the thread runs as soon as `spawn`
    /// returns. The system may refuse a thread: that is an `Err`, not a panic.
    fn start(&mut self, i: usize) -> Result<(), String> {
        self.alongside.push(self.unjoined.len());
        let handle = thread::Builder::new()
            .spawn(move || {
                let _run = tracing::info_span!("run", worker = i).entered();
                function(i)
            })
            .map_err(|e| format!("cannot start thread {i}: {e}"))?;
        self.unjoined.push(handle);
        Ok(())
    }

    /// `join()` every thread started so far. A Rust `join` returns `Err` when the
    /// thread panicked, where Python's returns `None` either way.
    fn join_all(&mut self) -> Result<(), String> {
        let panicked = self.unjoined.drain(..).map(JoinHandle::join).filter(Result::is_err).count();
        if panicked == 0 { Ok(()) } else { Err(format!("{panicked} thread(s) panicked")) }
    }
}

/// The book's loop: start thread i, then join it at once, so thread i + 1 does
/// not exist until thread i is over.
fn book_loop(n: usize) -> Result<Vec<usize>, String> {
    let mut threads = Threads::default();
    for i in 0..n {
        threads.start(i)?;
        threads.join_all()?;
    }
    Ok(std::mem::take(&mut threads.alongside))
}

/// Start them all, then wait for each.
fn concurrent_loop(n: usize) -> Result<Vec<usize>, String> {
    let mut threads = Threads::default();
    for i in 0..n {
        threads.start(i)?;
    }
    threads.join_all()?;
    Ok(std::mem::take(&mut threads.alongside))
}

/// A thread left unjoined when a loop gives up early is waited for here.
impl Drop for Threads {
    fn drop(&mut self) {
        let _ = self.join_all();
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let _session = args.trace.start();
    let run = if args.concurrent { concurrent_loop } else { book_loop };
    let alongside = match run(args.threads) {
        Ok(alongside) => alongside,
        Err(why) => return fail(why),
    };
    // ANCHOR_END: listing

    println!();
    for (i, others) in alongside.iter().enumerate() {
        println!("thread = {i} alongside = {others}");
    }
    println!("most_alongside = {}", alongside.iter().max().copied().unwrap_or(0));
    Status::Success.into()
}

//! # How to use a thread in a subclass — a struct that runs itself
//!
//! **Book:** 1st edition §2.5 *How to use a thread in a subclass*
//! (「2.5 如何实现一个线程」; printed edition「如何在子类中使用线程」).
//! 2nd edition `Chapter02/MyThreadClass.py` and `Chapter02/Thread_name_and_processes.py`
//! (第2章 基于线程的并行性).
//!
//! **Run:** `cargo run --bin thread_subclass` (or `cookbook run 2.5`);
//! `cargo run --bin thread_subclass -- --variant second` for the 2nd edition.
//! Try `--exit-after 3` to raise the exit flag while the threads run.
//!
//! ## What it shows
//!
//! Python builds a thread by subclassing `threading.Thread`: `__init__` stores the
//! thread's data and `run()` is its body; `start()`, inherited, runs `run()` on a
//! new thread. Rust has no inheritance. The same shape is a struct that holds the
//! thread's data plus a small trait, [`Runnable`], whose one required method is
//! `run(self)` and whose provided method `start(self)` moves the struct into a new
//! thread and calls `run` there: the trait's default method plays the base class.
//!
//! - `--variant first` (default, 1st edition): `Thread-1` prints the local time
//!   every second, `Thread-2` every two seconds, five times each.
//! - `--variant second` (2nd edition): nine threads `Thread#1`…`Thread#9` each
//!   sleep a random 1–10 s and print the process ID they belong to, which is the
//!   same for all: threads live inside one process.
//!
//! **Book errors this recipe fixes.** The 1st edition's listing indents
//! `print_time` inside the class, so `run()` cannot call it as written; it stops a
//! thread with `thread.exit()` (the Python 2 module, gone in Python 3) when a
//! global `exitFlag` is set; and it never joins its threads, so `Exiting Main
//! Thread` would not come last as the printed output shows. Here `print_time` is a
//! free function, the exit flag is an `AtomicBool` that the loop checks, and main
//! joins both threads.
//!
//! ## Python → Rust
//!
//! - No subclassing: a struct + a trait with a provided `start()`.
//! - `start()` *consumes* the struct (`self`, not `&self`): its data moves into the
//!   new thread, so the main thread cannot touch it any more. No lock is needed
//!   for data only one thread can reach.
//! - A thread cannot be killed from outside, in Rust or (really) in Python. It must
//!   cooperate: here it checks a shared `AtomicBool` before every sleep and returns
//!   when it is set. Returning from `run` is Rust's `thread.exit()`.
//!
//! ## Output
//!
//! First variant: `Starting Thread-k`, five `Thread-k: <ctime-style local time>`
//! lines each, `Exiting Thread-k`, and `Exiting Main Thread` last. Second variant:
//! nine running/over pairs, `End`, `--- S seconds ---`, and the facts `pid`,
//! `max_duration_ms`, `sum_duration_ms`, `elapsed_ms` (the threads overlap, so the
//! elapsed time is about the longest sleep, not their sum).

use std::process;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::Instant;

use clap::{Parser, ValueEnum};
use cookbook_support::rng::{Rng, seeded};
use cookbook_support::{Common, EXIT_FAILURE};

/// A struct that runs itself on a thread of its own: Python's `Thread` subclass
/// (1st edition §2.5, 2nd edition MyThreadClass.py).
#[derive(Parser)]
#[command(name = "thread_subclass")]
struct Args {
    /// Which edition's listing to run.
    #[arg(long, value_enum, default_value_t = Variant::First)]
    variant: Variant,

    /// first variant: raise the exit flag after this many (book) seconds, so the
    /// threads stop before their fifth line. Without it the flag is never raised,
    /// as in the book.
    #[arg(long, value_name = "SECS", value_parser = cookbook_support::args::non_negative_f64)]
    exit_after: Option<f64>,

    /// second variant: how many threads (the book's 9).
    #[arg(long, default_value_t = 9, value_parser = cookbook_support::positive_usize)]
    threads: usize,

    #[command(flatten)]
    common: Common,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum Variant {
    /// two threads printing the time (1st edition)
    First,
    /// nine threads with random durations (2nd edition)
    Second,
}

/// The part of Python's `Thread` class that a subclass inherits: give a value a
/// `run` and it gets a `start`.
trait Runnable: Send + Sized + 'static {
    /// The thread's name, as Python's `self.name`.
    fn name(&self) -> &str;

    /// The thread's body: the method a Python subclass overrides.
    fn run(self);

    /// Move `self` into a new thread, named after it, and run it there.
    fn start(self) -> std::io::Result<JoinHandle<()>> {
        thread::Builder::new().name(self.name().to_string()).spawn(move || self.run())
    }
}

// ---------------------------------------------------------------------------
// 1st edition: myThread and print_time
// ---------------------------------------------------------------------------

/// The 1st edition's `myThread`. (The book also stores a `threadID` it never
/// reads; it is left out.)
struct MyThread {
    name: String,
    /// Seconds between two time lines (the book calls it `counter`).
    delay: f64,
    /// The book's global `exitFlag`, shared with main.
    exit_flag: Arc<AtomicBool>,
    common: Common,
}

impl Runnable for MyThread {
    fn name(&self) -> &str {
        &self.name
    }

    fn run(self) {
        println!("Starting {}", self.name);
        print_time(&self.name, self.delay, 5, &self.exit_flag, &self.common);
        println!("Exiting {}", self.name);
    }
}

/// Print the local time `counter` times, sleeping `delay` seconds before each,
/// unless the exit flag is raised first.
fn print_time(thread_name: &str, delay: f64, mut counter: u32, exit_flag: &AtomicBool, common: &Common) {
    while counter > 0 {
        if exit_flag.load(Ordering::Acquire) {
            // The book's `thread.exit()`: leave the thread by returning.
            println!("{thread_name}: exit flag raised, stopping early");
            return;
        }
        common.sleep(delay);
        // time.ctime(): "Sun Apr 12 15:42:00 2015", in local time.
        println!("{thread_name}: {}", chrono::Local::now().format("%a %b %e %H:%M:%S %Y"));
        counter -= 1;
    }
}

// ---------------------------------------------------------------------------
// 2nd edition: MyThreadClass
// ---------------------------------------------------------------------------

/// The 2nd edition's `MyThreadClass`: a name and how long to sleep.
struct MyThreadClass {
    name: String,
    duration: u64,
    common: Common,
}

impl Runnable for MyThreadClass {
    fn name(&self) -> &str {
        &self.name
    }

    fn run(self) {
        // Every thread reports the same process: threads share their process.
        println!("---> {} running, belonging to process ID {}", self.name, process::id());
        self.common.sleep(self.duration as f64);
        println!("---> {} over", self.name);
    }
}

fn join_all(handles: Vec<JoinHandle<()>>) {
    let mut failed = false;
    for handle in handles {
        failed |= handle.join().is_err();
    }
    if failed {
        eprintln!("a thread panicked");
        process::exit(EXIT_FAILURE);
    }
}

fn start_or_exit(thread: impl Runnable) -> JoinHandle<()> {
    thread.start().unwrap_or_else(|e| {
        eprintln!("cannot start a thread: {e}");
        process::exit(EXIT_FAILURE);
    })
}

fn first(args: &Args) {
    let exit_flag = Arc::new(AtomicBool::new(false));
    // Create new threads: ("Thread-1", every second), ("Thread-2", every 2 s).
    let thread1 = MyThread {
        name: "Thread-1".into(),
        delay: 1.0,
        exit_flag: Arc::clone(&exit_flag),
        common: args.common.clone(),
    };
    let thread2 = MyThread {
        name: "Thread-2".into(),
        delay: 2.0,
        exit_flag: Arc::clone(&exit_flag),
        common: args.common.clone(),
    };

    // Start new threads. `thread1` and `thread2` are moved: from here on only
    // their threads own them.
    let handles = vec![start_or_exit(thread1), start_or_exit(thread2)];

    if let Some(secs) = args.exit_after {
        args.common.sleep(secs);
        println!("main: raising the exit flag");
        exit_flag.store(true, Ordering::Release);
    }

    // The joins the book's listing forgot.
    join_all(handles);
    println!("Exiting Main Thread");
}

fn second(args: &Args) {
    let mut rng = seeded(args.common.seed());
    let start_time = Instant::now();

    // Thread creation: random durations of 1 to 10 seconds, drawn up front.
    let threads: Vec<MyThreadClass> = (1..=args.threads)
        .map(|k| MyThreadClass {
            name: format!("Thread#{k}"),
            duration: rng.random_range(1..=10),
            common: args.common.clone(),
        })
        .collect();
    let durations_ms: Vec<u128> = threads.iter().map(|t| args.common.scaled(t.duration as f64).as_millis()).collect();

    // Thread running, then thread joining.
    let handles: Vec<_> = threads.into_iter().map(start_or_exit).collect();
    join_all(handles);

    let elapsed = start_time.elapsed();
    println!("End");
    println!("--- {:.6} seconds ---", elapsed.as_secs_f64());
    println!();
    println!("pid = {}", process::id());
    println!("max_duration_ms = {}", durations_ms.iter().max().copied().unwrap_or(0));
    println!("sum_duration_ms = {}", durations_ms.iter().sum::<u128>());
    println!("elapsed_ms = {}", elapsed.as_millis());
}

fn main() {
    let args = Args::parse();
    match args.variant {
        Variant::First => first(&args),
        Variant::Second => second(&args),
    }
}

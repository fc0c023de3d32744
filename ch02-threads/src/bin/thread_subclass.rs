//! # How to use a thread in a subclass: a struct that runs itself
//!
//! **Book:** 1st edition §2.5 *How to use a thread in a subclass*
//! (「2.5 如何实现一个线程」; printed edition「如何在子类中使用线程」).
//! 2nd edition `Chapter02/MyThreadClass.py` and `Chapter02/Thread_name_and_processes.py`
//! (第2章 基于线程的并行性).
//!
//! **Run:** `cargo run --bin thread_subclass` (or `cookbook run 2.5`), and
//! `-- --variant second` for the 2nd edition; `-- --exit-after 3` raises the exit
//! flag while the threads run.
//!
//! Python builds a thread by subclassing `threading.Thread`. Rust has no
//! inheritance: a struct holds the thread's data, and a small trait, `Runnable`,
//! asks for `run(self)` and provides `start(self)`, which moves the struct into a
//! new thread and calls `run` there.

use std::process::{self, ExitCode};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, Scope, ScopedJoinHandle};
use std::time::Instant;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser, ValueEnum};
use cookbook_support::rng::{Rng, seeded};
use cookbook_support::{Common, Status, fail};

/// A struct that runs itself on a thread of its own: Python's `Thread` subclass
/// (1st edition §2.5, 2nd edition MyThreadClass.py).
#[derive(Parser)]
#[command(name = "thread_subclass")]
struct Args {
    /// Which edition's listing to run.
    #[arg(long, value_enum, default_value_t = Variant::First)]
    variant: Variant,

    /// First variant only: raise the exit flag after this many seconds [0–3600],
    /// scaled like the sleeps, so the threads stop early. Without it the flag is
    /// never raised, as in the book.
    #[arg(long, value_name = "SECS", value_parser = cookbook_support::seconds)]
    exit_after: Option<f64>,

    /// Second variant only: how many threads [1–1000] (default: the book's 9).
    #[arg(long, value_parser = cookbook_support::count(1, 1000))]
    threads: Option<usize>,

    /// Seed (second variant only), delay scale and trace.
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

/// A flag that belongs to the other variant is refused, as clap refuses a bad
/// value: one line on stderr and exit status 2.
fn refuse_flags_of_the_other_variant(args: &Args) {
    let misplaced = match args.variant {
        Variant::First if args.threads.is_some() => Some("--threads applies to --variant second only"),
        Variant::First if args.common.seed.seed.is_some() => Some("--seed applies to --variant second only"),
        Variant::Second if args.exit_after.is_some() => Some("--exit-after applies to --variant first only"),
        _ => None,
    };
    if let Some(why) = misplaced {
        Args::command().error(ErrorKind::ArgumentConflict, why).exit();
    }
}

// ANCHOR: runnable
/// The part of Python's `Thread` class that a subclass inherits: give a value a
/// `run` and it gets a `start`.
trait Runnable: Send + Sized {
    /// The thread's name, as Python's `self.name`.
    fn name(&self) -> &str;

    /// The thread's body: the method a Python subclass overrides.
    fn run(self);

    /// Python's inherited `start()`: move `self` into a new thread of `scope`,
    /// named after it, and run it there. `self`, not `&self`: from here on only
    /// the new thread owns the struct.
    fn start<'scope>(self, scope: &'scope Scope<'scope, '_>) -> Result<ScopedJoinHandle<'scope, ()>, String>
    where
        Self: 'scope,
    {
        let name = self.name().to_string();
        thread::Builder::new()
            .name(name.clone())
            .spawn_scoped(scope, move || self.run())
            .map_err(|e| format!("cannot start {name}: {e}"))
    }
}

/// Wait for every thread; `Err` if one of them panicked.
fn join_all(handles: Vec<ScopedJoinHandle<'_, ()>>) -> Result<(), String> {
    let panicked = handles.into_iter().map(ScopedJoinHandle::join).filter(Result::is_err).count();
    if panicked == 0 { Ok(()) } else { Err(format!("{panicked} thread(s) panicked")) }
}
// ANCHOR_END: runnable

// ANCHOR: first
/// The 1st edition's `myThread`. (The book also stores a `threadID` it never
/// reads; it is left out.)
struct MyThread<'a> {
    worker: usize,
    name: String,
    /// Seconds between two time lines (the book calls it `counter`).
    delay: f64,
    /// The book's global `exitFlag`, borrowed from `main`.
    exit_flag: &'a AtomicBool,
    common: &'a Common,
}

impl Runnable for MyThread<'_> {
    fn name(&self) -> &str {
        &self.name
    }

    fn run(self) {
        let _run = tracing::info_span!("run", worker = self.worker).entered();
        println!("Starting {}", self.name);
        print_time(&self.name, self.delay, 5, self.exit_flag, self.common);
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

fn first(args: &Args) -> Result<(), String> {
    let exit_flag = AtomicBool::new(false);
    thread::scope(|s| {
        // Create new threads: ("Thread-1", every second), ("Thread-2", every 2 s).
        let thread1 =
            MyThread { worker: 1, name: "Thread-1".into(), delay: 1.0, exit_flag: &exit_flag, common: &args.common };
        let thread2 =
            MyThread { worker: 2, name: "Thread-2".into(), delay: 2.0, exit_flag: &exit_flag, common: &args.common };

        // Start new threads. `thread1` and `thread2` are moved: from here on only
        // their threads own them.
        let mut handles = vec![thread1.start(s)?];
        handles.push(thread2.start(s)?);

        if let Some(secs) = args.exit_after {
            args.common.sleep(secs);
            // Raised first, announced second: a thread that prints a time line
            // after this announcement sees the flag at its next check.
            exit_flag.store(true, Ordering::Release);
            println!("main: exit flag raised");
        }

        // The joins the book's listing forgot.
        join_all(handles)
    })?;
    println!("Exiting Main Thread");
    Ok(())
}
// ANCHOR_END: first

// ANCHOR: second
/// The 2nd edition's `MyThreadClass`: a name and how long to sleep.
struct MyThreadClass<'a> {
    worker: usize,
    name: String,
    duration: u64,
    common: &'a Common,
}

impl Runnable for MyThreadClass<'_> {
    fn name(&self) -> &str {
        &self.name
    }

    fn run(self) {
        let _run = tracing::info_span!("run", worker = self.worker).entered();
        // Every thread reports the same process: threads share their process.
        println!("---> {} running, belonging to process ID {}", self.name, process::id());
        self.common.sleep(self.duration as f64);
        println!("---> {} over", self.name);
    }
}

fn second(args: &Args) -> Result<(), String> {
    let mut rng = seeded(args.common.seed());
    let start_time = Instant::now();

    // Thread creation: random durations of 1 to 10 seconds, drawn up front.
    let threads: Vec<MyThreadClass> = (1..=args.threads.unwrap_or(9))
        .map(|k| MyThreadClass {
            worker: k,
            name: format!("Thread#{k}"),
            duration: rng.random_range(1..=10),
            common: &args.common,
        })
        .collect();
    let durations_ms: Vec<u128> = threads.iter().map(|t| args.common.scaled(t.duration as f64).as_millis()).collect();

    // Thread running, then thread joining.
    thread::scope(|s| {
        let mut handles = Vec::new();
        for t in threads {
            handles.push(t.start(s)?);
        }
        join_all(handles)
    })?;

    let elapsed = start_time.elapsed();
    println!("End");
    println!("--- {:.6} seconds ---", elapsed.as_secs_f64());
    // ANCHOR_END: second
    println!();
    println!("pid = {}", process::id());
    println!("max_duration_ms = {}", durations_ms.iter().max().copied().unwrap_or(0));
    println!("sum_duration_ms = {}", durations_ms.iter().sum::<u128>());
    println!("elapsed_ms = {}", elapsed.as_millis());
    Ok(())
}

fn main() -> ExitCode {
    let args = Args::parse();
    refuse_flags_of_the_other_variant(&args);
    let _session = args.common.start();
    let run = match args.variant {
        Variant::First => first,
        Variant::Second => second,
    };
    match run(&args) {
        Ok(()) => Status::Success.into(),
        Err(why) => fail(why),
    }
}

//! # How long a lock is held: the guard's scope
//!
//! **Book:** 2nd edition `Chapter02/MyThreadClass_lock.py` and
//! `Chapter02/MyThreadClass_lock_2.py` (第2章 基于线程的并行性), the 2nd edition's lock
//! recipe; Chinese title「锁的作用范围」(this cookbook's own title). It relates to
//! 1st edition §2.6 *Thread synchronization with Lock and RLock*
//! (「2.6 使用Lock进行线程同步」), whose own listing is `thread_lock`.
//!
//! **Run:** `cargo run --bin thread_lock_scope -- --delay-scale 0.1` (the first
//! file; the book's sleeps add up to a minute or more), and
//! `cargo run --bin thread_lock_scope -- --release-early --delay-scale 0.1` (the
//! second file).
//!
//! Nine threads share one lock; each takes it, prints that it is running, sleeps a
//! random 1–10 s and prints that it is over. Holding the lock across the sleep
//! makes the threads take turns; giving it back after the first print lets the
//! sleeps overlap. In Rust the lock is held exactly as long as its guard lives.

use std::process::{self, ExitCode};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::Instant;

use clap::Parser;
use cookbook_support::rng::{Rng, seeded};
use cookbook_support::{Common, Status, fail};
use tracing::span::EnteredSpan;

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

    /// How many threads [1–100] (the book's 9).
    #[arg(long, default_value_t = 9, value_parser = cookbook_support::count(1, 100))]
    threads: usize,

    #[command(flatten)]
    common: Common,
}

/// What a thread does, in the order the [`Log`] records it.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Event {
    Locked,
    Released,
    Slept,
    Woke,
}

/// Every thread's events, in the order they happened: a logical clock, not a
/// time. (The log's own mutex is held only while an event is pushed.)
#[derive(Default)]
struct Log(Mutex<Vec<(usize, Event)>>);

impl Log {
    fn note(&self, worker: usize, event: Event) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).push((worker, event));
    }
}

/// A guard of the book's `threadLock`, noted in the log when it is taken and when
/// it is dropped, and drawn as a `hold` span in between.
struct Held<'a> {
    log: &'a Log,
    worker: usize,
    _span: EnteredSpan,
    _guard: MutexGuard<'a, ()>,
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        // Noted before the fields drop: the guard, released last, is still held.
        self.log.note(self.worker, Event::Released);
    }
}

// ANCHOR: listing
/// The 2nd edition's `MyThreadClass`: a name and how long to sleep.
struct MyThreadClass {
    worker: usize,
    name: String,
    /// Seconds to sleep (before `--delay-scale`).
    duration: u64,
}

/// What the threads share: the book's global `threadLock`, which guards no data
/// (`Mutex<()>`), only a stretch of code; and the log of what they did.
struct Shared<'a> {
    thread_lock: Mutex<()>,
    log: Log,
    common: &'a Common,
}

impl Shared<'_> {
    /// `threadLock.acquire()`. The lock is held for as long as the guard lives.
    fn acquire(&self, t: &MyThreadClass) -> Held<'_> {
        let guard = {
            let _wait = tracing::info_span!("wait", on = "lock").entered();
            // A thread that panicked while holding the lock leaves it poisoned;
            // the others carry on (the lock guards no data), and main reports it.
            self.thread_lock.lock().unwrap_or_else(PoisonError::into_inner)
        };
        self.log.note(t.worker, Event::Locked);
        let span = tracing::info_span!("hold", lock = "threadLock").entered();
        Held { log: &self.log, worker: t.worker, _span: span, _guard: guard }
    }

    /// `time.sleep(self.duration)`, noted in the log.
    fn sleep(&self, t: &MyThreadClass) {
        self.log.note(t.worker, Event::Slept);
        self.common.sleep(t.duration as f64);
        self.log.note(t.worker, Event::Woke);
    }
}

/// MyThreadClass_lock.py: the guard lives to the end of the function, so the
/// lock is held across the sleep and the second print.
fn hold_during_sleep(t: &MyThreadClass, shared: &Shared) {
    let _guard = shared.acquire(t);
    println!("---> {} running, belonging to process ID {}", t.name, process::id());
    shared.sleep(t);
    println!("---> {} over", t.name);
} // `_guard` is dropped here: the book's threadLock.release()

/// MyThreadClass_lock_2.py: only the first print is locked.
fn release_early(t: &MyThreadClass, shared: &Shared) {
    let guard = shared.acquire(t);
    println!("---> {} running, belonging to process ID {}", t.name, process::id());
    drop(guard); // the book's threadLock.release(), before the sleep
    shared.sleep(t);
    println!("---> {} over", t.name);
}

fn main() -> ExitCode {
    let args = Args::parse();
    let _session = args.common.start();
    let run = if args.release_early { release_early } else { hold_during_sleep };
    let mut rng = seeded(args.common.seed());
    let shared = Shared { thread_lock: Mutex::new(()), log: Log::default(), common: &args.common };
    let start_time = Instant::now();

    // Thread creation, with random durations of 1 to 10 seconds.
    let threads: Vec<MyThreadClass> = (1..=args.threads)
        .map(|k| MyThreadClass { worker: k, name: format!("Thread#{k}"), duration: rng.random_range(1..=10) })
        .collect();

    // Thread running, then thread joining (the scope joins them all).
    let result = thread::scope(|s| {
        let mut handles = Vec::new();
        for t in &threads {
            let shared = &shared;
            let spawned = thread::Builder::new().name(t.name.clone()).spawn_scoped(s, move || {
                let _run = tracing::info_span!("run", worker = t.worker).entered();
                run(t, shared)
            });
            handles.push(spawned.map_err(|e| format!("cannot start {}: {e}", t.name))?);
        }
        let panicked = handles.into_iter().map(|h| h.join()).filter(Result::is_err).count();
        if panicked == 0 { Ok(()) } else { Err(format!("{panicked} thread(s) panicked")) }
    });
    if let Err(why) = result {
        return fail(why);
    }
    let elapsed = start_time.elapsed();
    println!("End");
    println!("--- {:.6} seconds ---", elapsed.as_secs_f64());
    // ANCHOR_END: listing

    println!();
    let log = shared.log.0.into_inner().unwrap_or_else(PoisonError::into_inner);
    report_order(&threads, &log);
    let durations_ms: Vec<u128> = threads.iter().map(|t| args.common.scaled(t.duration as f64).as_millis()).collect();
    println!("mode = {}", if args.release_early { "release" } else { "hold" });
    println!("pid = {}", process::id());
    println!("max_duration_ms = {}", durations_ms.iter().max().copied().unwrap_or(0));
    println!("sum_duration_ms = {}", durations_ms.iter().sum::<u128>());
    println!("elapsed_ms = {}", elapsed.as_millis());
    Status::Success.into()
}

/// For each thread, where in the log it took the lock, gave it back, fell asleep
/// and woke up; then the most threads that were holding the lock, and asleep, at
/// the same point of the log.
fn report_order(threads: &[MyThreadClass], log: &[(usize, Event)]) {
    let step = |worker: usize, event: Event| {
        log.iter().position(|&e| e == (worker, event)).map_or("none".to_string(), |i| i.to_string())
    };
    for t in threads {
        println!(
            "thread = {} locked = {} released = {} slept = {} woke = {}",
            t.worker,
            step(t.worker, Event::Locked),
            step(t.worker, Event::Released),
            step(t.worker, Event::Slept),
            step(t.worker, Event::Woke)
        );
    }
    let most_at_once = |begin: Event, end: Event| {
        let mut now = 0_usize;
        let mut most = 0;
        for &(_, event) in log {
            if event == begin {
                now += 1;
                most = most.max(now);
            } else if event == end {
                now = now.saturating_sub(1);
            }
        }
        most
    };
    println!("holding_at_once = {}", most_at_once(Event::Locked, Event::Released));
    println!("asleep_at_once = {}", most_at_once(Event::Slept, Event::Woke));
}

//! # Readers and writers: starvation and fairness
//!
//! **Book:** an extra recipe, in neither edition of the Cookbook. It comes from
//! *Mastering Concurrency in Python*, chapter 13 (starvation and the readers–writers
//! problem); the Chinese title 「读者-写者问题：饥饿与公平」 is this cookbook's own.
//!
//! **Run:** `cargo run --bin thread_readers_writers` (2 seconds per lock); try
//! `--policy readers-preference` and `--writers 3`.
//!
//! Readers that always overlap share a record with a writer, under four
//! readers–writers locks in turn. No lock lets a reader see a half-written record;
//! the readers-preference lock never lets the writer in while the readers run
//! (starvation), the fair ones do.

use std::process::ExitCode;
use std::sync::Barrier;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use ch02_threads::rwlock::{ReaderPrefRwLock, TurnstileRwLock};
use clap::{Parser, ValueEnum};
use cookbook_support::args::non_negative_f64;
use cookbook_support::{Status, Trace, count, fail};

/// Readers and writers share a record under four readers–writers locks: see which
/// ones let writers starve.
#[derive(Parser)]
#[command(name = "thread_readers_writers")]
struct Args {
    /// Reader threads [1–64].
    #[arg(long, default_value_t = 4, value_parser = count(1, 64))]
    readers: usize,

    /// Writer threads [1–16].
    #[arg(long, default_value_t = 1, value_parser = count(1, 16))]
    writers: usize,

    /// How long each lock's run lasts, in seconds [0.01–60].
    #[arg(long, default_value_t = 2.0, value_parser = bounded_seconds(0.01, 60.0))]
    duration: f64,

    /// How long a reader reads, and a writer pauses between its two fields, in
    /// seconds [0.00001–0.1].
    #[arg(long, default_value_t = 0.001, value_parser = bounded_seconds(0.000_01, 0.1))]
    hold: f64,

    /// Which lock to run (all four by default).
    #[arg(long, value_enum, default_value_t = Which::All)]
    policy: Which,

    #[command(flatten)]
    trace: Trace,
}

/// clap value parser: seconds from `lo` to `hi`.
fn bounded_seconds(lo: f64, hi: f64) -> impl Fn(&str) -> Result<f64, String> + Clone {
    move |s| {
        let v = non_negative_f64(s)?;
        if (lo..=hi).contains(&v) { Ok(v) } else { Err(format!("`{s}` is not between {lo} and {hi} seconds")) }
    }
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum Which {
    All,
    ReadersPreference,
    Turnstile,
    Std,
    ParkingLot,
}

/// The shared record: writers always leave `first == second`.
#[derive(Default)]
struct Record {
    first: u64,
    second: u64,
}

// ANCHOR: policy
/// The four locks behind one interface: run `f` as a reader or as a writer, and
/// ask whether a new reader would get in now.
trait Policy: Sync {
    fn read<R>(&self, f: impl FnOnce(&Record) -> R) -> R;
    fn write(&self, f: impl FnOnce(&mut Record));
    /// `try_read` succeeds: a reader arriving now would not wait.
    fn admits_a_reader(&self) -> bool;
}

impl Policy for ReaderPrefRwLock<Record> {
    fn read<R>(&self, f: impl FnOnce(&Record) -> R) -> R {
        f(&self.read())
    }
    fn write(&self, f: impl FnOnce(&mut Record)) {
        f(&mut self.write())
    }
    fn admits_a_reader(&self) -> bool {
        self.try_read().is_some()
    }
}

impl Policy for TurnstileRwLock<Record> {
    fn read<R>(&self, f: impl FnOnce(&Record) -> R) -> R {
        f(&self.read())
    }
    fn write(&self, f: impl FnOnce(&mut Record)) {
        f(&mut self.write())
    }
    fn admits_a_reader(&self) -> bool {
        self.try_read().is_some()
    }
}

impl Policy for std::sync::RwLock<Record> {
    fn read<R>(&self, f: impl FnOnce(&Record) -> R) -> R {
        f(&self.read().unwrap_or_else(|e| e.into_inner()))
    }
    fn write(&self, f: impl FnOnce(&mut Record)) {
        f(&mut self.write().unwrap_or_else(|e| e.into_inner()))
    }
    fn admits_a_reader(&self) -> bool {
        self.try_read().is_ok()
    }
}

impl Policy for parking_lot::RwLock<Record> {
    fn read<R>(&self, f: impl FnOnce(&Record) -> R) -> R {
        f(&self.read())
    }
    fn write(&self, f: impl FnOnce(&mut Record)) {
        f(&mut self.write())
    }
    fn admits_a_reader(&self) -> bool {
        self.try_read().is_some()
    }
}
// ANCHOR_END: policy

/// What one lock's run counted.
struct Report {
    /// Threads that panicked.
    panicked: usize,
    reads: u64,
    torn_reads: u64,
    /// Writes that got in while the readers were still running.
    writes: u64,
    /// Writes that got in only after the readers had stopped.
    late_writes: u64,
    longest_wait: Duration,
}

// ANCHOR: run
/// Run the readers and writers against `lock` for `--duration`.
fn run_policy(lock: &impl Policy, args: &Args) -> Report {
    let hold = cookbook_support::args::duration(args.hold);
    let (reads, torn, writes, late_writes) =
        (AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0));
    let longest_wait_us = AtomicU64::new(0);
    let next_value = AtomicU64::new(1);
    // Readers inside now, as the readers themselves count them.
    let inside = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // Everybody starts at the same moment, the main thread too (it keeps time).
    let start = Barrier::new(args.readers + args.writers + 1);

    let reader = |worker: usize| {
        let _run = tracing::info_span!("run", worker).entered();
        start.wait();
        while !stop.load(Ordering::SeqCst) {
            let torn_read = lock.read(|record| {
                let _hold = tracing::info_span!("hold", lock = "read").entered();
                inside.fetch_add(1, Ordering::SeqCst);
                let first = record.first;
                thread::sleep(hold); // read slowly: a writer inside now would tear it
                let torn_read = first != record.second;
                relay(&inside, || lock.admits_a_reader() && !stop.load(Ordering::SeqCst));
                torn_read
            });
            reads.fetch_add(1, Ordering::SeqCst);
            if torn_read {
                torn.fetch_add(1, Ordering::SeqCst);
            }
        }
    };
    let writer = |worker: usize| {
        let _run = tracing::info_span!("run", worker).entered();
        start.wait();
        // The readers are reading when the writers arrive.
        while inside.load(Ordering::SeqCst) == 0 && !stop.load(Ordering::SeqCst) {
            thread::yield_now();
        }
        while !stop.load(Ordering::SeqCst) {
            let asked = Instant::now();
            let mut got_in_late = false;
            let wait = tracing::info_span!("wait", on = "lock").entered();
            lock.write(|record| {
                drop(wait);
                longest_wait_us.fetch_max(asked.elapsed().as_micros() as u64, Ordering::SeqCst);
                got_in_late = stop.load(Ordering::SeqCst);
                let _hold = tracing::info_span!("hold", lock = "write").entered();
                let value = next_value.fetch_add(1, Ordering::SeqCst);
                record.first = value;
                thread::sleep(hold); // half-written: a reader now would see it torn
                record.second = value;
            });
            (if got_in_late { &late_writes } else { &writes }).fetch_add(1, Ordering::SeqCst);
        }
    };

    let panicked = thread::scope(|s| {
        let (reader, writer) = (&reader, &writer);
        let roles = (0..args.readers + args.writers).map(|k| (k, k < args.readers));
        let threads: Vec<_> = roles
            .map(|(k, reads)| {
                let spawned = thread::Builder::new().spawn_scoped(s, move || if reads { reader(k) } else { writer(k) });
                spawned.unwrap_or_else(|e| {
                    // The others would wait for it at the start: end here.
                    eprintln!("thread_readers_writers: cannot start a thread: {e}");
                    std::process::exit(Status::Failure.code())
                })
            })
            .collect();
        start.wait();
        thread::sleep(cookbook_support::args::duration(args.duration));
        stop.store(true, Ordering::SeqCst);
        // A starved writer gets in now that the readers have stopped, writes once,
        // sees `stop` and leaves.
        threads.into_iter().map(|t| t.join()).filter(Result::is_err).count()
    });

    Report {
        panicked,
        reads: reads.into_inner(),
        torn_reads: torn.into_inner(),
        writes: writes.into_inner(),
        late_writes: late_writes.into_inner(),
        longest_wait: Duration::from_micros(longest_wait_us.into_inner()),
    }
}
/// The readers' relay, run by a reader inside the room: leave only when another
/// reader is inside, so that the room is never empty, unless `may_stay()` says
/// otherwise (the lock would turn a new reader away, as a fair lock does while a
/// writer waits, or the run is over). The count only drops from 2 or more, in one
/// atomic step, so two readers cannot both leave the last place.
fn relay(inside: &AtomicUsize, may_stay: impl Fn() -> bool) {
    loop {
        let now = inside.load(Ordering::SeqCst);
        if now >= 2 && inside.compare_exchange(now, now - 1, Ordering::SeqCst, Ordering::SeqCst).is_ok() {
            return;
        }
        if !may_stay() {
            inside.fetch_sub(1, Ordering::SeqCst);
            return;
        }
        thread::sleep(Duration::from_micros(20));
    }
}
// ANCHOR_END: run

fn main() -> ExitCode {
    let args = Args::parse();
    let _session = args.trace.start();
    println!(
        "{} readers, {} writer(s), {} s per lock, {} s per read and per write",
        args.readers, args.writers, args.duration, args.hold
    );

    let mut torn_total = 0;
    let policies: [(Which, &str, &str); 4] = [
        (Which::ReadersPreference, "readers-preference", "reader count + room: the first reader in locks writers out"),
        (Which::Turnstile, "turnstile", "a waiting writer closes the turnstile to new readers"),
        (Which::Std, "std", "std::sync::RwLock"),
        (Which::ParkingLot, "parking_lot", "parking_lot::RwLock, fair"),
    ];
    for (which, name, what) in policies {
        if args.policy != Which::All && args.policy != which {
            continue;
        }
        println!();
        println!("== {name}: {what} ==");
        let report = match which {
            Which::ReadersPreference => run_policy(&ReaderPrefRwLock::new(Record::default()), &args),
            Which::Turnstile => run_policy(&TurnstileRwLock::new(Record::default()), &args),
            Which::Std => run_policy(&std::sync::RwLock::new(Record::default()), &args),
            Which::ParkingLot | Which::All => run_policy(&parking_lot::RwLock::new(Record::default()), &args),
        };
        if report.panicked > 0 {
            return fail(format!("{} thread(s) of the {name} run panicked", report.panicked));
        }
        let wait_ms = report.longest_wait.as_millis();
        println!("reads done: {}, writes done while the readers read: {}", report.reads, report.writes);
        println!("longest writer wait: {wait_ms} ms");
        if report.writes == 0 {
            println!(
                "the writers were starved: no write got in while the readers read ({} got in after they stopped)",
                report.late_writes
            );
        }
        println!(
            "policy = {name} torn_reads = {} reads = {} writes = {} late_writes = {} longest_wait_ms = {wait_ms}",
            report.torn_reads, report.reads, report.writes, report.late_writes
        );
        torn_total += report.torn_reads;
    }

    if torn_total > 0 {
        return fail(format!("{torn_total} read(s) saw a half-written record: a lock let a reader in during a write"));
    }
    Status::Success.into()
}

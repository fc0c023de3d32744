//! # Readers and writers: starvation and fairness
//!
//! **Book:** an extra recipe, in neither edition of the Cookbook. It comes from
//! *Mastering Concurrency in Python*, chapter 13 (starvation and the readers–writers
//! problem). Chinese title:「读者-写者问题：饥饿与公平」.
//!
//! **Run:** `cargo run --bin thread_readers_writers` (about 2 seconds per policy).
//! Try `--policy readers-preference`, `--readers 1`, `--writers 3`.
//!
//! ## What it shows
//!
//! A record of two numbers is shared by `--readers` threads that read it over and
//! over and `--writers` threads that update it as often as they can. A writer always
//! keeps the two numbers equal, but it writes them one after the other, with a short
//! pause in between: a reader that got in during that pause would see them differ
//! (a *torn read*). A readers–writers lock prevents that, and lets the readers in
//! together, since reading at the same time does no harm. The same run is made
//! under four locks, one after the other, for `--duration-ms` each:
//!
//! 1. **readers-preference**: the classic hand-made lock of the chapter library
//!    (`ch02_threads::rwlock::ReaderPrefRwLock`): a count of readers under a mutex;
//!    the first reader in locks the writers out, the last one out lets them in;
//! 2. **turnstile**: the same plus a turnstile that a waiting writer closes in front
//!    of new readers (`ch02_threads::rwlock::TurnstileRwLock`);
//! 3. **std**: `std::sync::RwLock` (its fairness is up to the platform; on Linux it
//!    makes new readers wait while a writer is waiting);
//! 4. **parking_lot**: `parking_lot::RwLock`, which is fair.
//!
//! The readers take turns so that the room is never empty: each one reads for
//! `--hold-us` microseconds and comes straight back. Under readers preference a
//! reader gets in whenever another reader is inside, so the count of readers never
//! falls to zero and the writer waits until the readers stop, at the end of the
//! run. That is **starvation**: nothing is deadlocked, every thread is running, and
//! yet one of them never gets its turn. The turnstile and the fair locks let the
//! writer in within a few reads.
//!
//! ## Python → Rust
//!
//! - In Python the lock and the record are separate objects: a reader that forgot
//!   the lock would still run. Here each lock *owns* the record; `read()` returns a
//!   guard that only gives `&Record`, `write()` one that gives `&mut Record`, and
//!   the compiler refuses any other way in.
//! - Python's `threading` has no readers–writers lock at all; the standard library
//!   of Rust has one (`std::sync::RwLock`), and `parking_lot` a fair one.
//! - No GIL: four readers really read at the same time on a multi-core machine,
//!   which is what makes the readers' room stay occupied.
//!
//! ## Output
//!
//! For each policy: the reads and writes done, the longest time a writer waited for
//! the lock, then the facts `policy = <p> torn_reads = 0`, `<p>.reads = N`,
//! `<p>.writes = N`, `<p>.longest_writer_wait_ms = N`. Starvation shows as few
//! writes and a longest wait close to the whole run; it is shown, not guaranteed
//! (a scheduler may still empty the room now and then).

use std::sync::Barrier;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use ch02_threads::rwlock::{ReaderPrefRwLock, TurnstileRwLock};
use clap::{Parser, ValueEnum};

/// Readers and writers share a record under four readers–writers locks: see which
/// ones let writers starve.
#[derive(Parser)]
#[command(name = "thread_readers_writers")]
struct Args {
    /// Reader threads.
    #[arg(long, default_value_t = 4, value_parser = cookbook_support::positive_usize)]
    readers: usize,

    /// Writer threads.
    #[arg(long, default_value_t = 1, value_parser = cookbook_support::positive_usize)]
    writers: usize,

    /// How long each policy runs, in milliseconds.
    #[arg(long, default_value_t = 2000, value_parser = cookbook_support::positive_usize)]
    duration_ms: usize,

    /// How long a reader reads, and a writer pauses between its two fields, in
    /// microseconds.
    #[arg(long, default_value_t = 1000, value_parser = cookbook_support::positive_usize)]
    hold_us: usize,

    /// Which lock to run (all four by default).
    #[arg(long, value_enum, default_value_t = Which::All)]
    policy: Which,
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

/// The four locks behind one interface: run `f` as a reader or as a writer.
trait Policy: Sync {
    fn read<R>(&self, f: impl FnOnce(&Record) -> R) -> R;
    fn write(&self, f: impl FnOnce(&mut Record));
}

impl Policy for ReaderPrefRwLock<Record> {
    fn read<R>(&self, f: impl FnOnce(&Record) -> R) -> R {
        f(&self.read())
    }
    fn write(&self, f: impl FnOnce(&mut Record)) {
        f(&mut self.write())
    }
}

impl Policy for TurnstileRwLock<Record> {
    fn read<R>(&self, f: impl FnOnce(&Record) -> R) -> R {
        f(&self.read())
    }
    fn write(&self, f: impl FnOnce(&mut Record)) {
        f(&mut self.write())
    }
}

impl Policy for std::sync::RwLock<Record> {
    fn read<R>(&self, f: impl FnOnce(&Record) -> R) -> R {
        f(&self.read().unwrap())
    }
    fn write(&self, f: impl FnOnce(&mut Record)) {
        f(&mut self.write().unwrap())
    }
}

impl Policy for parking_lot::RwLock<Record> {
    fn read<R>(&self, f: impl FnOnce(&Record) -> R) -> R {
        f(&self.read())
    }
    fn write(&self, f: impl FnOnce(&mut Record)) {
        f(&mut self.write())
    }
}

/// What one policy's run counted.
#[derive(Default)]
struct Report {
    reads: u64,
    torn_reads: u64,
    /// Writes that got in while the readers were still running.
    writes: u64,
    /// Writes that got in only after the readers had stopped.
    late_writes: u64,
    longest_wait: Duration,
}

/// Run the readers and writers against `lock` for `duration`.
fn run_policy(lock: impl Policy, args: &Args) -> Report {
    let duration = Duration::from_millis(args.duration_ms as u64);
    let hold = Duration::from_micros(args.hold_us as u64);
    let reads = AtomicU64::new(0);
    let torn = AtomicU64::new(0);
    let writes = AtomicU64::new(0);
    let late_writes = AtomicU64::new(0);
    let longest_wait_us = AtomicU64::new(0);
    let stop = AtomicBool::new(false);
    let next_value = AtomicU64::new(1);
    // Everybody starts at the same moment, the main thread too (it keeps time).
    let start = Barrier::new(args.readers + args.writers + 1);

    thread::scope(|s| {
        for _ in 0..args.readers {
            s.spawn(|| {
                start.wait();
                while !stop.load(Ordering::Relaxed) {
                    let torn_read = lock.read(|record| {
                        let first = record.first;
                        thread::sleep(hold); // read slowly: the readers overlap
                        first != record.second
                    });
                    reads.fetch_add(1, Ordering::Relaxed);
                    if torn_read {
                        torn.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
        for _ in 0..args.writers {
            s.spawn(|| {
                start.wait();
                while !stop.load(Ordering::Relaxed) {
                    let asked = Instant::now();
                    let mut got_in_late = false;
                    lock.write(|record| {
                        longest_wait_us.fetch_max(asked.elapsed().as_micros() as u64, Ordering::Relaxed);
                        got_in_late = stop.load(Ordering::Relaxed);
                        let value = next_value.fetch_add(1, Ordering::Relaxed);
                        record.first = value;
                        thread::sleep(hold); // half-written: a reader now would see it torn
                        record.second = value;
                    });
                    if got_in_late {
                        late_writes.fetch_add(1, Ordering::Relaxed);
                    } else {
                        writes.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
        start.wait();
        thread::sleep(duration);
        stop.store(true, Ordering::Relaxed);
        // The scope joins every thread here. A starved writer gets in now that the
        // readers have stopped, writes once, sees `stop` and leaves.
    });

    Report {
        reads: reads.into_inner(),
        torn_reads: torn.into_inner(),
        writes: writes.into_inner(),
        late_writes: late_writes.into_inner(),
        longest_wait: Duration::from_micros(longest_wait_us.into_inner()),
    }
}

fn main() {
    let args = Args::parse();
    println!(
        "{} readers, {} writer(s), {} ms per policy, {} µs per read and per write",
        args.readers, args.writers, args.duration_ms, args.hold_us
    );

    let mut torn_total = 0;
    let policies: [(Which, &str, &str); 4] = [
        (Which::ReadersPreference, "readers-preference", "reader count + mutex: the first reader in locks writers out"),
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
            Which::ReadersPreference => run_policy(ReaderPrefRwLock::new(Record::default()), &args),
            Which::Turnstile => run_policy(TurnstileRwLock::new(Record::default()), &args),
            Which::Std => run_policy(std::sync::RwLock::new(Record::default()), &args),
            Which::ParkingLot => run_policy(parking_lot::RwLock::new(Record::default()), &args),
            Which::All => unreachable!("`All` is not a policy of its own"),
        };
        let wait_ms = report.longest_wait.as_millis();
        println!("reads done: {}, writes done: {}", report.reads, report.writes);
        println!("longest writer wait: {wait_ms} ms");
        if report.writes == 0 {
            println!(
                "the writers were starved: no write got in while the readers ran ({} got in after they stopped)",
                report.late_writes
            );
        } else if report.longest_wait.as_millis() * 2 > args.duration_ms as u128 {
            println!("a writer waited for more than half the run: starvation");
        }
        println!("policy = {name} torn_reads = {}", report.torn_reads);
        println!("{name}.reads = {}", report.reads);
        println!("{name}.writes = {}", report.writes);
        println!("{name}.longest_writer_wait_ms = {wait_ms}");
        torn_total += report.torn_reads;
    }

    if torn_total > 0 {
        eprintln!("error: {torn_total} reader(s) saw a half-written record: a lock let a reader in during a write");
        std::process::exit(1);
    }
}

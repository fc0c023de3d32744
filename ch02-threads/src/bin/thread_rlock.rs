//! # Thread synchronisation with a reentrant lock (RLock)
//!
//! **Book:** 1st edition §2.7 *Thread synchronization with RLock*
//! (「2.7 使用RLock进行线程同步」; printed edition「使用RLock实现线程同步」).
//! 2nd edition `Chapter02/Rlock.py` (第2章 基于线程的并行性).
//!
//! **Run:** `cargo run --bin thread_rlock` (or `cookbook run 2.7`); try
//! `-- --random` (the 2nd edition's version) and `-- --non-reentrant` (the same
//! box with a lock that is not reentrant).
//!
//! A box of items has `add()` and `remove()`; each takes the box's lock and calls
//! `execute(±1)`, which takes the same lock again. A reentrant lock lets the thread
//! that owns it lock it again. An adder thread and a remover thread use the box.
//! With a lock that is not reentrant, the second lock waits for the first, held by
//! the waiting thread itself: `--non-reentrant` waits a bounded time, reports the
//! self-deadlock and exits.

use std::cell::Cell;
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

use clap::Parser;
use cookbook_support::rng::{Rng, resolve_seed, seeded};
use cookbook_support::{Delay, Status, Trace, fail};
use parking_lot::{Mutex, ReentrantMutex};

/// A box whose add() and remove() lock a reentrant lock and call execute(),
/// which locks it again (1st edition §2.7, 2nd edition Rlock.py).
#[derive(Parser)]
#[command(name = "thread_rlock")]
struct Args {
    /// Items to add and to remove [1–1000] (the 1st edition's 5).
    #[arg(long, default_value_t = 5, value_parser = cookbook_support::count(1, 1000))]
    items: usize,

    /// The 2nd edition: add a random 10 to 20 items and remove 1 to 10.
    #[arg(long, conflicts_with = "items")]
    random: bool,

    /// With --random: seed of the random counts [0–18446744073709551615]; without
    /// it a seed is drawn and printed as `seed = N`.
    #[arg(long, value_name = "U64", requires = "random")]
    seed: Option<u64>,

    /// Put the box around a mutex that is not reentrant, and watch execute() wait
    /// for the lock that its own thread holds.
    #[arg(long, conflicts_with_all = ["items", "random", "delay_scale"])]
    non_reentrant: bool,

    /// With --non-reentrant: how long execute() waits for the lock before it gives
    /// up, in seconds [0–3600].
    #[arg(long, value_name = "SECS", default_value_t = 0.5, value_parser = cookbook_support::seconds, requires = "non_reentrant")]
    timeout: f64,

    #[command(flatten)]
    delay: Delay,

    #[command(flatten)]
    trace: Trace,
}

// ANCHOR: listing
/// The book's `Box` (Rust's prelude already has a `Box`). The reentrant lock owns
/// the count, as a `Mutex` would.
struct ItemBox {
    total_items: ReentrantMutex<Cell<i64>>,
}

impl ItemBox {
    /// Lock (perhaps again, on the same thread) and change the count.
    fn execute(&self, n: i64) {
        let items = self.total_items.lock();
        items.set(items.get() + n);
    }

    fn add(&self) {
        let _guard = self.total_items.lock();
        self.execute(1); // locks a second time: fine, this thread owns the lock
    }

    fn remove(&self) {
        let _guard = self.total_items.lock();
        self.execute(-1);
    }
}

/// What a thread does with the box.
#[derive(Clone, Copy)]
enum Job {
    Add,
    Remove,
}

impl Job {
    fn apply(self, bx: &ItemBox) {
        match self {
            Job::Add => bx.add(),
            Job::Remove => bx.remove(),
        }
    }
}

/// A thread's run in one edition's words: do `job` `items` times, and return how
/// many items it handled.
type Worker = fn(&ItemBox, Job, usize, &Delay) -> usize;

/// 1st edition: the adder and the remover, one item a second. Returns how many
/// items the thread handled.
fn first_edition(bx: &ItemBox, job: Job, mut items: usize, delay: &Delay) -> usize {
    let mut done = 0;
    while items > 0 {
        match job {
            Job::Add => println!("adding 1 item in the box"),
            Job::Remove => println!("removing 1 item in the box"),
        }
        job.apply(bx);
        done += 1;
        delay.sleep(1.0);
        items -= 1;
    }
    done
}

/// 2nd edition (Rlock.py): the same loop, with its messages.
fn second_edition(bx: &ItemBox, job: Job, mut items: usize, delay: &Delay) -> usize {
    let (verb, past) = match job {
        Job::Add => ("ADD", "ADDED"),
        Job::Remove => ("REMOVE", "REMOVED"),
    };
    println!("N° {items} items to {verb}");
    let mut done = 0;
    while items > 0 {
        job.apply(bx);
        done += 1;
        delay.sleep(1.0);
        items -= 1;
        println!("{past} one item -->{items} item to {verb}");
    }
    done
}

/// The same box around `parking_lot::Mutex`, which is not reentrant (neither is
/// `std::sync::Mutex`, but only parking_lot's can wait with a time limit).
struct PlainBox {
    total_items: Mutex<i64>,
    timeout: Duration,
}

impl PlainBox {
    /// The box's `execute`, with `lock()` replaced by a wait of at most `timeout`.
    /// `Err` says how long it waited in vain.
    fn execute(&self, n: i64) -> Result<(), Duration> {
        let _wait = tracing::info_span!("wait", on = "lock").entered();
        let start = Instant::now();
        match self.total_items.try_lock_for(self.timeout) {
            Some(mut items) => {
                *items += n;
                Ok(())
            }
            None => Err(start.elapsed()),
        }
    }

    fn add(&self) -> Result<(), Duration> {
        let _guard = self.total_items.lock();
        let _hold = tracing::info_span!("hold", lock = "box").entered();
        println!("add(): locked the box; now execute(1) locks it again");
        self.execute(1)
    }
}

fn non_reentrant(timeout: f64) -> ExitCode {
    let bx = PlainBox { total_items: Mutex::new(0), timeout: cookbook_support::args::duration(timeout) };
    match bx.add() {
        Err(waited) => {
            println!("execute(): waited {:.3} s for the lock and gave up", waited.as_secs_f64());
            println!("the lock was held by add(), on this same thread: with lock() it would wait for itself forever");
            println!("deadlock = true");
            println!("waited_ms = {}", waited.as_millis());
            Status::Success.into()
        }
        Ok(()) => {
            println!("deadlock = false");
            fail("one thread locked a mutex that is not reentrant twice, which it must not be able to do")
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let _session = args.trace.start();
    if args.non_reentrant {
        return non_reentrant(args.timeout);
    }

    // The edition is chosen once: its messages and its counts.
    let (worker, to_add, to_remove): (Worker, usize, usize) = if args.random {
        let mut rng = seeded(resolve_seed(args.seed));
        (second_edition, rng.random_range(10..=20), rng.random_range(1..=10))
    } else {
        println!("putting {} items in the box", args.items);
        (first_edition, args.items, args.items)
    };

    let bx = ItemBox { total_items: ReentrantMutex::new(Cell::new(0)) };
    // The book's t1 names `add` as its target; the adder is meant. Each thread's
    // function returns how many items it handled, and join() hands that back.
    let counts = thread::scope(|s| {
        let (bx, delay) = (&bx, &args.delay);
        let start = |worker_no: usize, name: &str, job: Job, items: usize| {
            thread::Builder::new()
                .name(name.to_string())
                .spawn_scoped(s, move || {
                    let _run = tracing::info_span!("run", worker = worker_no).entered();
                    worker(bx, job, items, delay)
                })
                .map_err(|e| format!("cannot start the {name}: {e}"))
        };
        let adder = start(1, "adder", Job::Add, to_add)?;
        let remover = start(2, "remover", Job::Remove, to_remove)?;
        match (adder.join(), remover.join()) {
            (Ok(added), Ok(removed)) => Ok((added, removed)),
            _ => Err("a thread panicked".to_string()),
        }
    });
    let (added, removed) = match counts {
        Ok(counts) => counts,
        Err(why) => return fail(why),
    };

    let remaining = bx.total_items.lock().get();
    println!("{remaining} items still remain in the box");
    // ANCHOR_END: listing
    println!();
    println!("added = {added}");
    println!("removed = {removed}");
    println!("remaining = {remaining}");
    if remaining != added as i64 - removed as i64 {
        return fail(format!("the box holds {remaining} items, expected {added} - {removed}"));
    }
    Status::Success.into()
}

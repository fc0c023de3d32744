//! # The dining philosophers: deadlock and two cures
//!
//! **Book:** an extra recipe, in neither edition of the Cookbook as a listing. The
//! 1st edition describes the deadlock it shows in prose, in §2.6 *Thread
//! synchronization with Lock and RLock* (「2.6 使用Lock进行线程同步」: two threads
//! that each hold one lock and want the other's) and §2.8 *Thread synchronization
//! with semaphores* (「2.8 使用信号量进行线程同步」: two semaphores waited on in
//! opposite orders). The problem itself is the classic of *Mastering Concurrency in
//! Python*, chapter 12. Chinese title:「哲学家就餐问题：死锁及其避免」.
//!
//! **Run:** `cargo run --bin thread_dining_philosophers` (the deadlock), then
//! `-- --strategy ordered` and `-- --strategy waiter` (the two cures).
//!
//! ## What it shows
//!
//! `--philosophers` philosophers sit at a round table with one fork between each
//! pair of neighbours: philosopher `k` has fork `k` on the left and fork `k + 1` on
//! the right (the last one's right fork is fork 0). To eat, a philosopher needs
//! both forks. Each fork is a `parking_lot::Mutex<()>`.
//!
//! - **naive** (default): everybody picks up the left fork, then reaches for the
//!   right one. If all of them pick up their left fork before anyone reaches to the
//!   right, every fork is taken and every philosopher waits for a neighbour who
//!   waits too: a circle of waits, a **deadlock**. A `std::sync::Barrier` makes sure
//!   they all hold their left fork before anyone reaches, so the deadlock happens on
//!   every run, not once in a while. Each philosopher then waits for the right fork
//!   with `try_lock_for(--timeout-ms)` instead of forever; when every one of them
//!   has timed out, the program reports the deadlock and ends cleanly.
//! - **ordered**: number the forks and always pick up the lower-numbered one first.
//!   The last philosopher then reaches for fork 0 before fork n − 1, like its right
//!   neighbour, so the circle of waits can never close.
//! - **waiter**: a waiter (the library's counting `Semaphore`, with n − 1 permits)
//!   lets at most n − 1 philosophers reach for forks at a time. With one seat empty,
//!   at least one of those at the table finds both its forks free.
//!
//! With a cure, every philosopher eats `--meals` times. While eating it marks both
//! its forks "in use" (an atomic flag per fork); finding a flag already set would
//! mean a neighbour is eating with the same fork, and is counted as a violation.
//!
//! ## Python → Rust
//!
//! - Rust prevents *data races* at compile time, not deadlocks: a deadlock comes
//!   from the order in which locks are taken, and the compiler has no rule about
//!   that. This program compiles without a warning and still deadlocks.
//! - Python's `lock.acquire(timeout=0.5)` is `parking_lot`'s `try_lock_for`:
//!   `std::sync::Mutex` has only `lock()` (wait forever) and `try_lock()` (do not
//!   wait at all).
//! - A fork is a `Mutex<()>`: it guards no data, only the right to eat. The guard it
//!   returns puts the fork back down when it goes out of scope, so a philosopher
//!   cannot forget to.
//!
//! ## Output
//!
//! naive: each philosopher picks up its left fork and gives up on its right one,
//! then `deadlock detected: every philosopher holds one fork and waits for another`
//! and the facts `deadlock = true`, `meals_eaten = 0`. ordered and waiter:
//! `Philosopher k eats (meal m)` lines, then `deadlock = false`, `meals_eaten`,
//! `meals_per_philosopher` and `neighbour_violations = 0`.

use std::sync::Barrier;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use ch02_threads::semaphore::Semaphore;
use clap::{Parser, ValueEnum};
use cookbook_support::rng::{self, Rng};
use parking_lot::Mutex;

/// The longest think, in seconds (scaled by --delay-scale).
const THINK_SECS: f64 = 0.05;
/// How long a meal lasts, in seconds (scaled by --delay-scale).
const EAT_SECS: f64 = 0.1;

/// Philosophers share forks around a table: watch them deadlock, then cure it by
/// ordering the forks or by seating at most n − 1 at a time.
#[derive(Parser)]
#[command(name = "thread_dining_philosophers")]
struct Args {
    /// Philosophers around the table (and as many forks); at least 2.
    #[arg(long, default_value_t = 5, value_parser = at_least_two)]
    philosophers: usize,

    /// Meals each philosopher eats (ordered and waiter strategies).
    #[arg(long, default_value_t = 3, value_parser = cookbook_support::positive_usize)]
    meals: usize,

    /// How the philosophers pick up their forks.
    #[arg(long, value_enum, default_value_t = Strategy::Naive)]
    strategy: Strategy,

    /// How long a naive philosopher waits for its right fork before giving up, in
    /// milliseconds.
    #[arg(long, default_value_t = 500, value_parser = cookbook_support::positive_usize)]
    timeout_ms: usize,

    #[command(flatten)]
    common: cookbook_support::Common,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum Strategy {
    /// Left fork, then right fork: deadlocks.
    Naive,
    /// Lower-numbered fork first: never deadlocks.
    Ordered,
    /// A waiter seats at most n − 1 philosophers at a time: never deadlocks.
    Waiter,
}

/// clap value parser: a table needs two philosophers (one would need its only
/// fork twice).
fn at_least_two(s: &str) -> Result<usize, String> {
    let n = cookbook_support::positive_usize(s)?;
    if n >= 2 { Ok(n) } else { Err("a table needs at least 2 philosophers".to_string()) }
}

fn main() {
    let args = Args::parse();
    let n = args.philosophers;
    let forks: Vec<Mutex<()>> = (0..n).map(|_| Mutex::new(())).collect();
    // Philosopher k: fork k on the left, fork k + 1 on the right.
    let left = |k: usize| k;
    let right = |k: usize| (k + 1) % n;

    if args.strategy == Strategy::Naive {
        naive(&args, &forks, left, right);
        return;
    }

    // The cures. Every philosopher thinks, takes two forks, eats, puts them down,
    // `--meals` times.
    let seed = args.common.seed();
    let waiter = Semaphore::new(n - 1);
    let in_use: Vec<AtomicBool> = (0..n).map(|_| AtomicBool::new(false)).collect();
    let violations = AtomicUsize::new(0);
    let meals: Vec<AtomicUsize> = (0..n).map(|_| AtomicUsize::new(0)).collect();
    println!("{n} philosophers, {} meals each, strategy {}", args.meals, name(args.strategy));

    thread::scope(|s| {
        for k in 0..n {
            let (forks, waiter, in_use, violations, meals) = (&forks, &waiter, &in_use, &violations, &meals);
            let args = &args;
            s.spawn(move || {
                let mut rng = rng::for_worker(seed, k as u64);
                for meal in 1..=args.meals {
                    args.common.sleep(rng.random_range(0.0..THINK_SECS)); // think

                    // The waiter's permit is taken first and given back last: it is
                    // declared before the forks, so it is dropped after them.
                    let _seat = (args.strategy == Strategy::Waiter).then(|| waiter.permit());
                    let (first, second) = match args.strategy {
                        Strategy::Ordered => (left(k).min(right(k)), left(k).max(right(k))),
                        _ => (left(k), right(k)),
                    };
                    let _first = forks[first].lock();
                    let _second = forks[second].lock();

                    // Eat. A fork already marked in use would mean that a neighbour
                    // is eating with it too.
                    for f in [left(k), right(k)] {
                        if in_use[f].swap(true, Ordering::SeqCst) {
                            violations.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                    println!("Philosopher {k} eats (meal {meal})");
                    meals[k].fetch_add(1, Ordering::SeqCst);
                    args.common.sleep(EAT_SECS);
                    for f in [left(k), right(k)] {
                        in_use[f].store(false, Ordering::SeqCst);
                    }
                } // forks down, then the seat
            });
        }
    });

    let meals: Vec<usize> = meals.into_iter().map(AtomicUsize::into_inner).collect();
    let eaten: usize = meals.iter().sum();
    let violations = violations.into_inner();
    println!("every philosopher has eaten; the table is clear");
    println!("deadlock = false");
    println!("meals_eaten = {eaten}");
    println!("meals_per_philosopher = {}", meals.iter().map(|m| m.to_string()).collect::<Vec<_>>().join(" "));
    println!("neighbour_violations = {violations}");
    if violations > 0 || eaten != n * args.meals {
        eprintln!("error: two neighbours ate with the same fork, or a meal is missing");
        std::process::exit(1);
    }
}

/// Everybody takes the left fork, then reaches for the right one.
fn naive(
    args: &Args,
    forks: &[Mutex<()>],
    left: impl Fn(usize) -> usize + Sync,
    right: impl Fn(usize) -> usize + Sync,
) {
    let n = forks.len();
    let timeout = Duration::from_millis(args.timeout_ms as u64);
    println!("{n} philosophers, strategy naive: left fork first, then the right one");
    // All hold their left fork before anybody reaches for a right one...
    let all_hold_left = Barrier::new(n);
    // ...and nobody puts a fork down before everybody has given up. Without this
    // second barrier, the first philosopher to time out would put its fork down and
    // free a neighbour: a real deadlock waits forever, so nobody may leave early.
    let all_gave_up = Barrier::new(n);
    let gave_up = AtomicUsize::new(0);
    let ate = AtomicUsize::new(0);

    thread::scope(|s| {
        for k in 0..n {
            let (all_hold_left, all_gave_up, gave_up, ate) = (&all_hold_left, &all_gave_up, &gave_up, &ate);
            let (left, right) = (&left, &right);
            s.spawn(move || {
                let _left_fork = forks[left(k)].lock();
                println!("Philosopher {k} picks up fork {} (left)", left(k));
                all_hold_left.wait();
                match forks[right(k)].try_lock_for(timeout) {
                    Some(_right_fork) => {
                        println!("Philosopher {k} eats (meal 1)");
                        ate.fetch_add(1, Ordering::SeqCst);
                    }
                    None => {
                        println!(
                            "Philosopher {k} waited {} ms for fork {} (right) and gives up",
                            timeout.as_millis(),
                            right(k)
                        );
                        gave_up.fetch_add(1, Ordering::SeqCst);
                    }
                }
                all_gave_up.wait();
            });
        }
    });

    let gave_up = gave_up.into_inner();
    if gave_up == n {
        println!("deadlock detected: every philosopher holds one fork and waits for another");
        println!("(each fork was released only after its holder gave up; try --strategy ordered or waiter)");
        println!("deadlock = true");
        println!("meals_eaten = {}", ate.into_inner());
    } else {
        // Cannot happen: every right fork is someone's left fork, held throughout.
        println!("deadlock = false");
        println!("meals_eaten = {}", ate.into_inner());
        eprintln!("error: only {gave_up} of {n} philosophers were stuck: the deadlock did not form");
        std::process::exit(1);
    }
}

fn name(strategy: Strategy) -> &'static str {
    match strategy {
        Strategy::Naive => "naive",
        Strategy::Ordered => "ordered (lower-numbered fork first)",
        Strategy::Waiter => "waiter (at most n - 1 philosophers at the table)",
    }
}

//! # Thread synchronisation with a semaphore
//!
//! **Book:** 1st edition §2.8 *Thread synchronization with semaphores*
//! (「2.8 使用信号量进行线程同步」; printed edition「使用信号量实现线程同步」).
//! 2nd edition `Chapter02/Semaphore.py`.
//!
//! **Run:** `cargo run --bin thread_semaphore` (or `cookbook run 2.8`). The book's
//! producer sleeps 10 s per round: add `--delay-scale 0.1` to make it 1 s. The 2nd
//! edition's version is `--rounds 10 --producer-delay-ms 3000`.
//!
//! ## What it shows
//!
//! A semaphore that starts at **0** used as a signal. In each round a producer and a
//! consumer start together. The consumer calls `acquire()` at once and blocks, because
//! there is no permit yet. The producer takes its time, makes an item, stores it and
//! calls `release()`: that creates the one permit, which lets the consumer through to
//! read the item. Whoever runs first, the consumer can never read the item before it
//! exists.
//!
//! ## Python → Rust
//!
//! - `threading.Semaphore(0)` → the chapter's [`Semaphore::new(0)`](ch02_threads::semaphore::Semaphore),
//!   a count in a `Mutex<usize>` plus a `Condvar` to sleep on. Rust's standard library
//!   has no counting semaphore, and `tokio::sync::Semaphore` is the async one, for
//!   tasks rather than threads. The book insists that `acquire` and `release` must be
//!   atomic, or two threads can both decrement a count of 1; here that is what the
//!   semaphore's internal mutex guarantees.
//! - The book's `global item` → `Arc<Mutex<Option<u32>>>`. Rust refuses to let two
//!   threads share a plain integer. The semaphore decides *when* the consumer may
//!   look; the mutex is what makes looking legal at all. `Option` says "not produced
//!   yet", where Python would raise `NameError` on a missing global.
//! - `release()` is called by the producer and `acquire()` by the consumer: a
//!   semaphore, unlike a lock, is not owned by the thread that took it. That is why
//!   this recipe does not use the RAII guard `Semaphore::permit()`, which gives the
//!   permit back in the thread that took it.
//! - The threads are joined at the end of every round, as in the book, so the rounds
//!   do not overlap.
//!
//! ## Output
//!
//! The book's lines: `consumer is waiting.`, `producer notify : produced item number X`,
//! `Consumer notify : consumed item number X`, then `program terminated`. After each
//! round a fact `round = R produced = X consumed = X`, and at the end
//! `permits_left = 0`: every permit released was acquired.

use std::sync::{Arc, Mutex};
use std::thread;

use ch02_threads::semaphore::Semaphore;
use clap::Parser;
use cookbook_support::Common;
use cookbook_support::rng::{Rng, for_worker};

/// A producer signals a waiting consumer with a semaphore that starts at 0
/// (1st edition §2.8, 2nd edition Semaphore.py).
#[derive(Parser)]
#[command(name = "thread_semaphore")]
struct Args {
    /// Rounds of one producer and one consumer (the book: 5; the 2nd edition: 10).
    #[arg(long, default_value_t = 5, value_parser = cookbook_support::positive_usize)]
    rounds: usize,

    /// How long the producer works before each item, in milliseconds, scaled by
    /// --delay-scale (the book: 10 s; the 2nd edition: 3 s).
    #[arg(long, value_name = "MS", default_value_t = 10_000)]
    producer_delay_ms: u64,

    #[command(flatten)]
    common: Common,
}

fn main() {
    let args = Args::parse();
    let seed = args.common.seed();
    let delay = args.common.scaled(args.producer_delay_ms as f64 / 1000.0);

    // The book's `semaphore = threading.Semaphore(0)`: no permit until a producer
    // makes one.
    let semaphore = Arc::new(Semaphore::new(0));
    // The book's `global item`. None until the producer stores a value.
    let item: Arc<Mutex<Option<u32>>> = Arc::new(Mutex::new(None));
    let mut failures = 0;

    for round in 1..=args.rounds {
        // One generator per round, derived from the seed, so the items of a run do
        // not depend on how the threads are scheduled.
        let mut rng = for_worker(seed, round as u64);

        let producer = {
            let (semaphore, item) = (Arc::clone(&semaphore), Arc::clone(&item));
            thread::spawn(move || {
                thread::sleep(delay);
                let produced: u32 = rng.random_range(0..=1000);
                *item.lock().unwrap() = Some(produced);
                println!("producer notify : produced item number {produced}");
                // One permit: wakes the consumer if it is already waiting, or lets
                // its acquire() through at once if it is not there yet.
                semaphore.release();
                produced
            })
        };

        let consumer = {
            let (semaphore, item) = (Arc::clone(&semaphore), Arc::clone(&item));
            thread::spawn(move || {
                println!("consumer is waiting.");
                semaphore.acquire();
                // The permit was released after the item was stored, so it is there.
                let consumed = item.lock().unwrap().take();
                match consumed {
                    Some(x) => println!("Consumer notify : consumed item number {x}"),
                    None => println!("Consumer notify : no item to consume"),
                }
                consumed
            })
        };

        let produced = producer.join().expect("the producer panicked");
        let consumed = consumer.join().expect("the consumer panicked");
        match consumed {
            Some(consumed) => {
                println!("round = {round} produced = {produced} consumed = {consumed}");
                if consumed != produced {
                    failures += 1;
                }
            }
            None => {
                println!("round = {round} produced = {produced} consumed = none");
                failures += 1;
            }
        }
    }

    println!("permits_left = {}", semaphore.available());
    println!("program terminated");
    if failures > 0 {
        eprintln!("thread_semaphore: {failures} round(s) consumed something else than was produced");
        std::process::exit(1);
    }
}

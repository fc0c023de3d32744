//! # Thread synchronisation with a semaphore
//!
//! **Book:** 1st edition §2.8 *Thread synchronization with semaphores*
//! (「2.8 使用信号量进行线程同步」; printed edition「使用信号量实现线程同步」).
//! 2nd edition `Chapter02/Semaphore.py` (第2章 基于线程的并行性).
//!
//! **Run:** `cargo run --bin thread_semaphore -- --delay-scale 0.1` (or
//! `cookbook run 2.8`; the book's producer works 10 s per round). The 2nd
//! edition's version: `--rounds 10 --producer-delay 3`.
//!
//! A semaphore that starts at 0 is a signal. In each round a consumer waits in
//! `acquire()` while a producer makes an item, stores it and calls `release()`,
//! which lets the consumer through to read it. The semaphore is the chapter's own
//! (`ch02_threads::semaphore`), a `Mutex<usize>` and a `Condvar`.

use std::process::ExitCode;
use std::sync::{Mutex, PoisonError};
use std::thread;

use ch02_threads::semaphore::Semaphore;
use clap::Parser;
use cookbook_support::rng::{ChaCha8Rng, Rng, for_worker};
use cookbook_support::{Common, Status, fail};

/// A producer signals a waiting consumer with a semaphore that starts at 0
/// (1st edition §2.8, 2nd edition Semaphore.py).
#[derive(Parser)]
#[command(name = "thread_semaphore")]
struct Args {
    /// Rounds of one producer and one consumer [1–1000] (the book: 5; the 2nd
    /// edition: 10).
    #[arg(long, default_value_t = 5, value_parser = cookbook_support::count(1, 1000))]
    rounds: usize,

    /// Seconds the producer works before each item [0–3600], scaled by
    /// --delay-scale (the book: 10; the 2nd edition: 3).
    #[arg(long, value_name = "SECS", default_value_t = 10.0, value_parser = cookbook_support::seconds)]
    producer_delay: f64,

    #[command(flatten)]
    common: Common,
}

/// Releases the semaphore when it is dropped: at the end of the producer, or
/// while a panicking producer unwinds (Python's `try: … finally: release()`).
struct ReleaseOnDrop<'a>(&'a Semaphore);

impl Drop for ReleaseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.release();
    }
}

// ANCHOR: listing
/// The book's `global item`: `None` until the producer stores a value. Rust
/// will not let two threads share a plain integer; the mutex makes the accesses
/// legal, the semaphore puts them in order.
type Item = Mutex<Option<u32>>;

fn producer(semaphore: &Semaphore, item: &Item, mut rng: ChaCha8Rng, args: &Args) -> u32 {
    // The permit is released when `_signal` is dropped, after the item is stored
    // and announced. If this thread panicked first, the permit would still be
    // released, and the consumer would find no item instead of waiting forever.
    let _signal = ReleaseOnDrop(semaphore);
    args.common.sleep(args.producer_delay);
    let produced: u32 = rng.random_range(0..=1000);
    *item.lock().unwrap_or_else(PoisonError::into_inner) = Some(produced);
    println!("producer notify : produced item number {produced}");
    produced
} // semaphore.release(): one permit, which lets the consumer through

fn consumer(semaphore: &Semaphore, item: &Item) -> Option<u32> {
    println!("consumer is waiting.");
    {
        let _wait = tracing::info_span!("wait", on = "semaphore").entered();
        semaphore.acquire();
    }
    // The permit was released after the item was stored, so it is there.
    let consumed = item.lock().unwrap_or_else(PoisonError::into_inner).take();
    match consumed {
        Some(x) => println!("Consumer notify : consumed item number {x}"),
        None => println!("Consumer notify : no item to consume"),
    }
    consumed
}

/// One round: start a producer and a consumer, and join both.
fn round(semaphore: &Semaphore, item: &Item, rng: ChaCha8Rng, args: &Args) -> Result<(u32, Option<u32>), String> {
    thread::scope(|s| {
        let start = |name: &str| thread::Builder::new().name(name.to_string());
        let producer_thread = start("producer")
            .spawn_scoped(s, || {
                let _run = tracing::info_span!("run", worker = 1).entered();
                producer(semaphore, item, rng, args)
            })
            .map_err(|e| format!("cannot start the producer: {e}"))?;
        let consumer_thread = start("consumer")
            .spawn_scoped(s, || {
                let _run = tracing::info_span!("run", worker = 2).entered();
                consumer(semaphore, item)
            })
            .map_err(|e| format!("cannot start the consumer: {e}"))?;
        match (producer_thread.join(), consumer_thread.join()) {
            (Ok(produced), Ok(consumed)) => Ok((produced, consumed)),
            _ => Err("a thread panicked".to_string()),
        }
    })
}

fn main() -> ExitCode {
    let args = Args::parse();
    let _session = args.common.start();
    let seed = args.common.seed();
    // The book's `semaphore = threading.Semaphore(0)`: no permit until a producer
    // makes one.
    let semaphore = Semaphore::new(0);
    let item: Item = Mutex::new(None);
    let mut wrong = 0;

    for r in 1..=args.rounds {
        // One generator per round, derived from the seed, so the items of a run do
        // not depend on how the threads are scheduled.
        let (produced, consumed) = match round(&semaphore, &item, for_worker(seed, r as u64), &args) {
            Ok(pair) => pair,
            Err(why) => return fail(why),
        };
        match consumed {
            Some(consumed) => println!("round = {r} produced = {produced} consumed = {consumed}"),
            None => println!("round = {r} produced = {produced} consumed = none"),
        }
        if consumed != Some(produced) {
            wrong += 1;
        }
    }
    println!("permits_left = {}", semaphore.available());
    println!("program terminated");
    // ANCHOR_END: listing
    if wrong > 0 {
        return fail(format!("{wrong} round(s) consumed something else than was produced"));
    }
    Status::Success.into()
}

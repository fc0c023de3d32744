//! # Thread synchronisation with a condition variable
//!
//! **Book:** 1st edition §2.9 *Thread synchronization with a condition*
//! (「2.9 使用条件进行线程同步」; printed edition「使用条件实现线程同步」).
//! 2nd edition `Chapter02/Condition.py` (第2章 基于线程的并行性).
//!
//! **Run:** `cargo run --bin thread_condition -- --delay-scale 0.1` (or
//! `cookbook run 2.9`; the book's run takes about 40 s). The 2nd edition's faster
//! producer: `--producer-delay 0.5`.
//!
//! A producer adds an item every second, a consumer takes one every two seconds,
//! twenty times each, through a buffer of at most ten items. The producer waits on
//! a condition variable while the buffer is full, the consumer while it is empty,
//! and each notifies the other after changing it. The waits re-test their
//! condition in a loop (`Condvar::wait_while`), where the book tests it once.

use std::process::ExitCode;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;

use clap::Parser;
use cookbook_support::{Delay, Status, Trace, fail};

/// A producer and a consumer share a bounded buffer, synchronised by a
/// condition variable (1st edition §2.9, 2nd edition Condition.py).
#[derive(Parser)]
#[command(name = "thread_condition")]
struct Args {
    /// Items each side produces or consumes [1–10000] (the book's 20).
    #[arg(long, default_value_t = 20, value_parser = cookbook_support::count(1, 10_000))]
    items: usize,

    /// Items the consumer takes [1–10000] (default: as many as --items). Ask for
    /// more than are produced, and the consumer would wait forever for an item
    /// that never comes: the recipe notices that the producer has left, reports
    /// it and exits 1.
    #[arg(long, value_parser = cookbook_support::count(1, 10_000))]
    consume: Option<usize>,

    /// Most items the buffer may hold [1–10000] (the book's 10).
    #[arg(long, default_value_t = 10, value_parser = cookbook_support::count(1, 10_000))]
    capacity: usize,

    /// Seconds the producer sleeps before each item [0–3600] (1st edition 1;
    /// 2nd edition 0.5).
    #[arg(long, default_value_t = 1.0, value_name = "SECS", value_parser = cookbook_support::seconds)]
    producer_delay: f64,

    /// Seconds the consumer sleeps before each item [0–3600] (the book's 2).
    #[arg(long, default_value_t = 2.0, value_name = "SECS", value_parser = cookbook_support::seconds)]
    consumer_delay: f64,

    #[command(flatten)]
    delay: Delay,

    #[command(flatten)]
    trace: Trace,
}

// ANCHOR: listing
/// What the lock guards: the book's global `items`, and whether each side has
/// left (so that the other never waits for it forever).
struct Shelf {
    items: Vec<u32>,
    producer_left: bool,
    consumer_left: bool,
}

/// The shelf behind its mutex, and the book's `condition` beside it.
struct Buffer {
    shelf: Mutex<Shelf>,
    condition: Condvar,
    capacity: usize,
}

impl Buffer {
    /// The book's `condition.acquire()`. The lock is only held for a few
    /// statements that cannot panic, so a poisoned lock is used as it is.
    fn acquire(&self) -> MutexGuard<'_, Shelf> {
        self.shelf.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `condition.wait()`, as a loop: sleep, with the lock released, until
    /// `waiting` is false, however often the thread is woken.
    fn wait_while<'a>(
        &self,
        shelf: MutexGuard<'a, Shelf>,
        waiting: impl FnMut(&mut Shelf) -> bool,
    ) -> MutexGuard<'a, Shelf> {
        let _wait = tracing::info_span!("wait", on = "condition").entered();
        self.condition.wait_while(shelf, waiting).unwrap_or_else(PoisonError::into_inner)
    }
}

/// One production: wait while the buffer is full, add an item, notify.
/// Returns whether it had to wait.
fn produce(buf: &Buffer) -> Result<bool, String> {
    let mut shelf = buf.acquire();
    let must_wait = shelf.items.len() >= buf.capacity;
    if must_wait {
        // The book: `if len(items) == 10: condition.wait()`, once. wait_while
        // re-tests the condition every time the thread wakes.
        shelf = buf.wait_while(shelf, |s| s.items.len() >= buf.capacity && !s.consumer_left);
        // The book prints these once the wait is over.
        println!("Producer notify : items produced are {}", shelf.items.len());
        println!("Producer notify : stop the production!!");
    }
    if shelf.items.len() >= buf.capacity {
        return Err("the consumer has left, and the buffer is full".to_string());
    }
    shelf.items.push(1);
    println!("Producer notify : total items produced {}", shelf.items.len());
    buf.condition.notify_one();
    Ok(must_wait)
} // the guard is dropped here: the book's condition.release()

/// One consumption: wait while the buffer is empty, take an item, notify.
/// Returns whether it had to wait.
fn consume(buf: &Buffer) -> Result<bool, String> {
    let mut shelf = buf.acquire();
    let must_wait = shelf.items.is_empty();
    if must_wait {
        shelf = buf.wait_while(shelf, |s| s.items.is_empty() && !s.producer_left);
        println!("Consumer notify : no item to consume");
    }
    if shelf.items.pop().is_none() {
        return Err("the producer has left, and the buffer is empty".to_string());
    }
    println!("Consumer notify : consumed 1 item");
    println!("Consumer notify : items to consume are {}", shelf.items.len());
    buf.condition.notify_one();
    Ok(must_wait)
}

/// Marks a side as gone when its thread ends, by returning or by a panic, and
/// wakes the other side, which would otherwise wait forever for an item or room.
struct Leaving<'a> {
    buf: &'a Buffer,
    producer: bool,
}

impl Drop for Leaving<'_> {
    fn drop(&mut self) {
        let mut shelf = self.buf.acquire();
        if self.producer {
            shelf.producer_left = true;
        } else {
            shelf.consumer_left = true;
        }
        drop(shelf);
        self.buf.condition.notify_all();
    }
}

/// One thread's run: `n` times, sleep `secs`, then produce (or consume). Returns
/// how many items it handled and how often it had to wait.
fn side(buf: &Buffer, producer: bool, n: usize, secs: f64, delay: &Delay) -> Result<(usize, usize), String> {
    let _leaving = Leaving { buf, producer };
    let step = if producer { produce } else { consume };
    let (mut done, mut waits) = (0, 0);
    for _ in 0..n {
        delay.sleep(secs);
        waits += usize::from(step(buf)?);
        done += 1;
    }
    Ok((done, waits))
}

fn main() -> ExitCode {
    let args = Args::parse();
    let _session = args.trace.start();
    let shelf = Shelf { items: Vec::new(), producer_left: false, consumer_left: false };
    let buf = Buffer { shelf: Mutex::new(shelf), condition: Condvar::new(), capacity: args.capacity };

    let counts = thread::scope(|s| {
        let (buf, args) = (&buf, &args);
        let start = |worker: usize, name: &str, producer: bool, secs: f64| {
            thread::Builder::new()
                .name(name.to_string())
                .spawn_scoped(s, move || {
                    let _run = tracing::info_span!("run", worker).entered();
                    let n = if producer { args.items } else { args.consume.unwrap_or(args.items) };
                    side(buf, producer, n, secs, &args.delay)
                })
                .map_err(|e| format!("cannot start the {name}: {e}"))
        };
        let producer = start(1, "producer", true, args.producer_delay)?;
        let consumer = start(2, "consumer", false, args.consumer_delay)?;
        let joined = |h: thread::ScopedJoinHandle<'_, Result<(usize, usize), String>>, name: &str| {
            h.join().unwrap_or_else(|_| Err(format!("the {name} panicked")))
        };
        // Both are joined, whatever happened to the other.
        match (joined(producer, "producer"), joined(consumer, "consumer")) {
            (Ok(p), Ok(c)) => Ok((p, c)),
            (Err(p), Err(c)) => Err(format!("{p}; {c}")),
            (Err(why), _) | (_, Err(why)) => Err(why),
        }
    });
    // ANCHOR_END: listing
    let ((produced, producer_waits), (consumed, consumer_waits)) = match counts {
        Ok(counts) => counts,
        Err(why) => return fail(why),
    };
    let final_len = buf.acquire().items.len();

    println!();
    println!("produced = {produced}");
    println!("consumed = {consumed}");
    println!("final_len = {final_len}");
    println!("producer_waits = {producer_waits}");
    println!("consumer_waits = {consumer_waits}");
    if final_len != 0 {
        return fail(format!("{final_len} items left in the buffer, expected 0"));
    }
    Status::Success.into()
}

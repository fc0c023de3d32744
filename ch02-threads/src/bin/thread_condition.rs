//! # Thread synchronisation with a condition variable
//!
//! **Book:** 1st edition §2.9 *Thread synchronization with a condition*
//! (「2.9 使用条件进行线程同步」; printed edition「使用条件实现线程同步」).
//! 2nd edition `Chapter02/Condition.py` (第2章 基于线程的并行性).
//!
//! **Run:** `cargo run --bin thread_condition` (or `cookbook run 2.9`; about 40 s:
//! try `--delay-scale 0.1`). The 2nd edition's faster producer:
//! `--producer-delay 0.5`.
//!
//! ## What it shows
//!
//! The producer–consumer problem with a bounded buffer of 10 items. The producer
//! adds an item every second, 20 times; the consumer takes one every two seconds,
//! 20 times. Neither may run past the buffer's limits: the producer waits while
//! the buffer is full, the consumer while it is empty, and each *notifies* the
//! other after changing it. A lock makes each change safe; the condition variable
//! lets a thread sleep, without holding the lock, until a change it cares about.
//!
//! **Book error this recipe fixes.** The book tests the condition once, with
//! `if`, before `wait()`, and then assumes it holds after waking. A woken thread
//! must test again: another thread may have got there first, and a condition
//! variable may wake a thread for no reason at all (a *spurious* wake-up, which
//! `std::sync::Condvar` explicitly allows). The book's code works only because
//! there is exactly one thread of each kind. Here the waits are
//! `Condvar::wait_while`, which loops until the condition is really false.
//!
//! ## Python → Rust
//!
//! - `threading.Condition()` holds its own lock (an `RLock`) and the list is a
//!   separate global. In Rust the data lives in a `Mutex<Vec<_>>` and a `Condvar`
//!   sits beside it: `wait` takes the mutex's guard, releases the lock while it
//!   sleeps, and gives the guard back, locked again, when it wakes.
//! - `condition.acquire()` … `condition.release()` → `lock()` and the guard's
//!   scope; `condition.notify()` → `notify_one()`.
//! - `if len(items) == 0: condition.wait()` →
//!   `wait_while(guard, |items| items.is_empty())`.
//!
//! ## Output
//!
//! The book's `Producer notify : …` / `Consumer notify : …` lines; every length
//! printed is between 0 and the capacity. Then the facts `produced`, `consumed`,
//! `final_len`, and how often each side had to wait (`producer_waits`,
//! `consumer_waits`), which depends on timing.

use std::process;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

use clap::Parser;
use cookbook_support::{Common, EXIT_FAILURE};

/// A producer and a consumer share a bounded buffer, synchronised by a
/// condition variable (1st edition §2.9, 2nd edition Condition.py).
#[derive(Parser)]
#[command(name = "thread_condition")]
struct Args {
    /// Items each side produces or consumes (the book's 20).
    #[arg(long, default_value_t = 20, value_parser = cookbook_support::positive_usize)]
    items: usize,

    /// Most items the buffer may hold (the book's 10).
    #[arg(long, default_value_t = 10, value_parser = cookbook_support::positive_usize)]
    capacity: usize,

    /// Seconds the producer sleeps before each item (1st edition 1; 2nd edition 0.5).
    #[arg(long, default_value_t = 1.0, value_name = "SECS", value_parser = cookbook_support::args::non_negative_f64)]
    producer_delay: f64,

    /// Seconds the consumer sleeps before each item (the book's 2).
    #[arg(long, default_value_t = 2.0, value_name = "SECS", value_parser = cookbook_support::args::non_negative_f64)]
    consumer_delay: f64,

    #[command(flatten)]
    common: Common,
}

/// The book's global `items` list and its `condition`, side by side.
struct Buffer {
    items: Mutex<Vec<u32>>,
    condition: Condvar,
    capacity: usize,
}

/// One production: wait while the buffer is full, add an item, notify.
/// Returns whether it had to wait.
fn produce(buf: &Buffer) -> bool {
    let items = buf.items.lock().unwrap();
    let must_wait = items.len() >= buf.capacity;
    if must_wait {
        println!("Producer notify : stop the production!!");
    }
    // The book: `if len(items) == 10: condition.wait()`. wait_while re-tests the
    // condition every time the thread wakes, and sleeps again while it holds.
    let mut items = buf.condition.wait_while(items, |items| items.len() >= buf.capacity).unwrap();
    items.push(1);
    println!("Producer notify : total items produced {}", items.len());
    buf.condition.notify_one();
    must_wait
} // the guard is dropped here: the book's condition.release()

/// One consumption: wait while the buffer is empty, take an item, notify.
/// Returns whether it had to wait.
fn consume(buf: &Buffer) -> bool {
    let items = buf.items.lock().unwrap();
    let must_wait = items.is_empty();
    if must_wait {
        println!("Consumer notify : no item to consume");
    }
    let mut items = buf.condition.wait_while(items, |items| items.is_empty()).unwrap();
    items.pop();
    println!("Consumer notify : consumed 1 item");
    println!("Consumer notify : items to consume are {}", items.len());
    buf.condition.notify_one();
    must_wait
}

fn main() {
    let args = Args::parse();
    let buf = Arc::new(Buffer { items: Mutex::new(Vec::new()), condition: Condvar::new(), capacity: args.capacity });

    let producer = {
        let (buf, common, n, delay) = (Arc::clone(&buf), args.common.clone(), args.items, args.producer_delay);
        thread::spawn(move || {
            let (mut done, mut waits) = (0, 0);
            for _ in 0..n {
                common.sleep(delay);
                waits += usize::from(produce(&buf));
                done += 1;
            }
            (done, waits)
        })
    };
    let consumer = {
        let (buf, common, n, delay) = (Arc::clone(&buf), args.common.clone(), args.items, args.consumer_delay);
        thread::spawn(move || {
            let (mut done, mut waits) = (0, 0);
            for _ in 0..n {
                common.sleep(delay);
                waits += usize::from(consume(&buf));
                done += 1;
            }
            (done, waits)
        })
    };

    // Each thread hands back how many items it handled and how often it waited.
    let (Ok((produced, producer_waits)), Ok((consumed, consumer_waits))) = (producer.join(), consumer.join()) else {
        eprintln!("a thread panicked");
        process::exit(EXIT_FAILURE);
    };
    let final_len = buf.items.lock().unwrap().len();

    println!();
    println!("produced = {produced}");
    println!("consumed = {consumed}");
    println!("final_len = {final_len}");
    println!("producer_waits = {producer_waits}");
    println!("consumer_waits = {consumer_waits}");
    if final_len != 0 {
        eprintln!("{final_len} items left in the buffer, expected 0");
        process::exit(EXIT_FAILURE);
    }
}

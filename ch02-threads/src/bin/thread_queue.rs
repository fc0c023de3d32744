//! # Thread communication using a queue
//!
//! **Book:** 1st edition §2.12 *Thread communication using a queue*
//! (「2.12 使用queue进行线程通信」; printed edition「使用队列实现线程通信」).
//! 2nd edition `Chapter02/Threading_with_queue.py` (第2章 基于线程的并行性).
//!
//! **Run:** `cargo run --bin thread_queue` (or `cookbook run 2.12`).
//! Try `--items 5` (the 2nd edition) and `--consumers 6`.
//!
//! ## What it shows
//!
//! One producer thread, `Thread-1`, puts ten random numbers in a queue, one a
//! second. Three consumer threads, `Thread-2` to `Thread-4`, take them out as they
//! come. Nothing else is shared: no lock, no condition, no flag. The queue does
//! all the synchronisation, which is why the book recommends it over the
//! primitives of the previous recipes.
//!
//! Each item carries a sequence number, `[seq k]`, so you can check that every
//! item was taken by exactly one consumer.
//!
//! **Book error this recipe fixes.** The book's consumers loop forever
//! (`while True: queue.get()`), so after the last item they block for good and the
//! program, which joins them, never ends. Here the end is part of the channel's
//! protocol: when the producer is done it drops its `Sender`, which *closes* the
//! channel; each consumer's loop then ends once the channel is empty, and main
//! joins them all.
//!
//! ## Python → Rust
//!
//! - `queue.Queue()` → `crossbeam_channel::unbounded()`, which returns two ends: a
//!   `Sender` to `send` (Python's `put`) and a `Receiver` to `recv` (`get`). Both
//!   can be cloned, so several threads can produce and several consume.
//!   `std::sync::mpsc` would not do: it allows one receiver only.
//! - `for item in receiver.iter()` receives until the channel is closed and empty.
//!   A channel closes when its last `Sender` is dropped, so termination needs no
//!   sentinel value and no flag.
//! - `task_done()` / `join()` (wait until every item has been *processed*) are not
//!   needed here: joining the consumers waits for the same thing, since a consumer
//!   only ends after the channel is drained. Where it is needed, a counter or
//!   `crossbeam_utils::sync::WaitGroup` plays that part.
//! - The item is *moved* into the channel: once sent, the producer cannot touch it.
//!
//! ## Output
//!
//! The book's `Producer notify : …` and `Consumer notify : …` lines, each with the
//! item's `[seq k]`, then the facts `produced`, `consumed`, and one
//! `consumer Thread-k = n` line per consumer. A consumer line may come before the
//! producer line of the same item: the producer prints after `send`, and a consumer
//! can be quicker (the book's output shows this too).

use std::process;
use std::thread::{self, JoinHandle};

use clap::Parser;
use cookbook_support::rng::{Rng, seeded};
use cookbook_support::{Common, EXIT_FAILURE};
use crossbeam_channel::{Receiver, Sender, unbounded};

/// One producer and several consumers share a channel (1st edition §2.12,
/// 2nd edition Threading_with_queue.py).
#[derive(Parser)]
#[command(name = "thread_queue")]
struct Args {
    /// Items the producer puts in the queue (the 1st edition's 10; 2nd edition 5).
    #[arg(long, default_value_t = 10, value_parser = cookbook_support::positive_usize)]
    items: usize,

    /// How many consumer threads (the book's 3).
    #[arg(long, default_value_t = 3, value_parser = cookbook_support::positive_usize)]
    consumers: usize,

    #[command(flatten)]
    common: Common,
}

/// What travels through the queue: the book's random number, with a sequence
/// number added so every item can be accounted for.
struct Item {
    seq: usize,
    value: u32,
}

fn me() -> String {
    thread::current().name().unwrap_or("?").to_string()
}

/// The producer: put `items` random numbers in the queue, one every second, then
/// return, dropping `queue` (the only `Sender`), which closes the channel.
fn producer(queue: Sender<Item>, items: usize, seed: u64, common: Common) {
    let mut rng = seeded(seed);
    for seq in 0..items {
        let value = rng.random_range(0..=256);
        if queue.send(Item { seq, value }).is_err() {
            // Only possible if every Receiver is gone.
            eprintln!("{}: every consumer has gone", me());
            return;
        }
        println!("Producer notify : item N° {value} appended to queue by {} [seq {seq}]", me());
        common.sleep(1.0);
    }
} // `queue` is dropped here: the channel is closed

/// A consumer: take items until the channel is closed and empty. Returns the
/// sequence numbers it took.
fn consumer(queue: Receiver<Item>) -> Vec<usize> {
    let mut taken = Vec::new();
    // The book's `while True: queue.get()`, except that this loop ends.
    for item in queue.iter() {
        println!("Consumer notify : {} popped from queue by {} [seq {}]", item.value, me(), item.seq);
        taken.push(item.seq);
    }
    taken
}

fn spawn_named<T: Send + 'static>(name: String, f: impl FnOnce() -> T + Send + 'static) -> JoinHandle<T> {
    thread::Builder::new().name(name).spawn(f).unwrap_or_else(|e| {
        eprintln!("cannot start a thread: {e}");
        process::exit(EXIT_FAILURE);
    })
}

fn main() {
    let args = Args::parse();
    let seed = args.common.seed();
    let (sender, receiver) = unbounded::<Item>();

    // t1 is the producer; it takes the one Sender.
    let t1 = {
        let (items, common) = (args.items, args.common.clone());
        spawn_named("Thread-1".into(), move || producer(sender, items, seed, common))
    };
    // t2, t3, t4: each consumer gets a clone of the Receiver.
    let consumers: Vec<(String, JoinHandle<Vec<usize>>)> = (2..args.consumers + 2)
        .map(|k| {
            let name = format!("Thread-{k}");
            let queue = receiver.clone();
            (name.clone(), spawn_named(name, move || consumer(queue)))
        })
        .collect();
    drop(receiver); // main itself receives nothing

    let mut failed = t1.join().is_err();
    let mut per_consumer = Vec::new();
    let mut taken_by = vec![0_usize; args.items];
    for (name, handle) in consumers {
        match handle.join() {
            Ok(seqs) => {
                for &s in &seqs {
                    taken_by[s] += 1;
                }
                per_consumer.push((name, seqs.len()));
            }
            Err(_) => failed = true,
        }
    }
    if failed {
        eprintln!("a thread panicked");
        process::exit(EXIT_FAILURE);
    }

    let consumed: usize = per_consumer.iter().map(|(_, n)| n).sum();
    println!();
    println!("produced = {}", args.items);
    println!("consumed = {consumed}");
    for (name, n) in &per_consumer {
        println!("consumer {name} = {n}");
    }
    // Every item must have been taken exactly once.
    let wrong: Vec<usize> = (0..args.items).filter(|&s| taken_by[s] != 1).collect();
    if !wrong.is_empty() {
        eprintln!("items not consumed exactly once: {wrong:?}");
        process::exit(EXIT_FAILURE);
    }
}

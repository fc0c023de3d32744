//! # Thread communication using a queue
//!
//! **Book:** 1st edition §2.12 *Thread communication using a queue*
//! (「2.12 使用queue进行线程通信」; printed edition「使用队列实现线程通信」).
//! 2nd edition `Chapter02/Threading_with_queue.py` (第2章 基于线程的并行性).
//!
//! **Run:** `cargo run --bin thread_queue` (or `cookbook run 2.12`); try
//! `--items 5` (the 2nd edition) and `--consumers 6`.
//!
//! One producer thread puts ten random numbers in a queue, one a second; three
//! consumer threads take them out. They share nothing but the queue. The book's
//! consumers never end; here the producer's end closes the channel, and that ends
//! them.

use std::process::ExitCode;
use std::thread;

use clap::Parser;
use cookbook_support::rng::{Rng, seeded};
use cookbook_support::{Common, Status, count, fail};
use crossbeam_channel::{Receiver, Sender, unbounded};

/// One producer and several consumers share a channel (1st edition §2.12,
/// 2nd edition Threading_with_queue.py).
#[derive(Parser)]
#[command(name = "thread_queue")]
struct Args {
    /// Items the producer puts in the queue: the 1st edition's 10, the 2nd
    /// edition's 5 [1–100000].
    #[arg(long, default_value_t = 10, value_parser = count(1, 100_000))]
    items: usize,

    /// Consumer threads, the book's 3 [1–1000].
    #[arg(long, default_value_t = 3, value_parser = count(1, 1000))]
    consumers: usize,

    #[command(flatten)]
    common: Common,
}

fn me() -> String {
    thread::current().name().unwrap_or("?").to_string()
}

// ANCHOR: listing
/// What travels through the queue: the book's random number, with a sequence
/// number added so that every item can be accounted for.
struct Item {
    seq: usize,
    value: u32,
}

/// The producer: put `items` random numbers in the queue, one a second, then
/// return, which drops `queue`, the only `Sender`: that closes the channel.
fn producer(queue: Sender<Item>, items: usize, seed: u64, common: &Common) {
    let mut rng = seeded(seed);
    for seq in 0..items {
        let value = rng.random_range(0..=256);
        // `send` moves the item into the channel: the producer cannot touch it again.
        if queue.send(Item { seq, value }).is_err() {
            eprintln!("{}: every consumer has gone", me());
            return;
        }
        println!("Producer notify : item N° {value} appended to queue by {} [seq {seq}]", me());
        common.sleep(1.0);
    }
} // `queue` is dropped here: the channel is closed

/// A consumer: take items until the channel is closed and empty (the book's
/// `while True: queue.get()`, except that this loop ends). Returns the sequence
/// numbers it took.
fn consumer(queue: Receiver<Item>) -> Vec<usize> {
    let mut taken = Vec::new();
    loop {
        let received = {
            let _wait = tracing::info_span!("wait", on = "queue").entered();
            queue.recv()
        };
        // `Err` means: closed, and nothing left in it.
        let Ok(item) = received else { return taken };
        println!("Consumer notify : {} popped from queue by {} [seq {}]", item.value, me(), item.seq);
        taken.push(item.seq);
    }
}

/// Start the producer as `Thread-1` and the consumers as `Thread-2`, `Thread-3`…,
/// as Python names them, and join them all: the items each consumer took.
fn run(args: &Args, seed: u64) -> Result<Vec<(String, Vec<usize>)>, String> {
    let (sender, receiver) = unbounded::<Item>();
    thread::scope(|s| {
        let named = |k: usize| thread::Builder::new().name(format!("Thread-{k}"));
        // t1 is the producer; it takes the one Sender.
        let t1 = named(1)
            .spawn_scoped(s, || {
                let _run = tracing::info_span!("run", worker = 1).entered();
                producer(sender, args.items, seed, &args.common)
            })
            .map_err(|e| format!("cannot start the producer: {e}"))?;
        // t2, t3, t4…: each consumer gets a clone of the Receiver.
        let mut consumers = Vec::new();
        let mut error = None;
        for k in 2..args.consumers + 2 {
            let queue = receiver.clone();
            let spawned = named(k).spawn_scoped(s, move || {
                let _run = tracing::info_span!("run", worker = k).entered();
                consumer(queue)
            });
            match spawned {
                Ok(handle) => consumers.push((format!("Thread-{k}"), handle)),
                Err(e) => {
                    // The consumers already started still drain the queue.
                    error = Some(format!("cannot start consumer Thread-{k}: {e}"));
                    break;
                }
            }
        }
        drop(receiver); // main itself receives nothing
        let mut taken = Vec::new();
        if t1.join().is_err() {
            error.get_or_insert("the producer panicked".to_string());
        }
        for (name, handle) in consumers {
            match handle.join() {
                Ok(seqs) => taken.push((name, seqs)),
                Err(_) => {
                    error.get_or_insert(format!("consumer {name} panicked"));
                }
            }
        }
        error.map_or(Ok(taken), Err)
    })
}
// ANCHOR_END: listing

fn main() -> ExitCode {
    let args = Args::parse();
    let _session = args.common.start();
    let seed = args.common.seed();
    let per_consumer = match run(&args, seed) {
        Ok(taken) => taken,
        Err(why) => return fail(why),
    };

    let consumed: usize = per_consumer.iter().map(|(_, seqs)| seqs.len()).sum();
    println!();
    println!("produced = {}", args.items);
    println!("consumed = {consumed}");
    for (name, seqs) in &per_consumer {
        println!("consumer = {name} items = {}", seqs.len());
    }
    // Every item must have been taken exactly once.
    let mut taken_by = vec![0_usize; args.items];
    for &s in per_consumer.iter().flat_map(|(_, seqs)| seqs) {
        taken_by[s] += 1;
    }
    let wrong: Vec<usize> = (0..args.items).filter(|&s| taken_by[s] != 1).collect();
    if !wrong.is_empty() {
        return fail(format!("items not consumed exactly once: {wrong:?}"));
    }
    Status::Success.into()
}

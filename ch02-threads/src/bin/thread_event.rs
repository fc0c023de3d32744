//! # Thread synchronisation with an event
//!
//! **Book:** 1st edition §2.10 *Thread synchronization with an event*
//! (「2.10 使用事件进行线程同步」; printed edition「使用事件实现线程同步」).
//! 2nd edition `Chapter02/Event.py`.
//!
//! **Run:** `cargo run --bin thread_event` (or `cookbook run 2.10`). Each item takes
//! 2 s as in the book; `--delay-scale 0.1` makes that 0.2 s. `--items 100` is the 1st
//! edition's count, `--max-item 100` the 2nd edition's range. `--book-consumer` runs
//! the book's consumer unchanged to show how it fails.
//!
//! ## What it shows
//!
//! A producer thread (`Thread-1`) appends random numbers to a shared list; after each
//! one it *sets* an event to tell the consumer, then *clears* it at once. A consumer
//! thread (`Thread-2`) waits on the event and pops items from the end of the list.
//!
//! ## A book error this recipe fixes
//!
//! The book's protocol is not sound (RECIPES.md §11, 1st edition §2.10):
//!
//! - **signals are lost.** The producer sets and clears the event straight away. A
//!   consumer that is still asleep (`time.sleep(2)`) at that moment is not waiting,
//!   so when it calls `wait()` after the `clear()` it waits for the *next* item: an
//!   item is left behind each time, and the list grows;
//! - **one pop per wake-up** can never catch up with those piled-up items;
//! - **the consumer never ends.** Its `while True` loop has no way out: after the last
//!   item it waits for an event that will never come again, so the program hangs.
//!
//! This recipe keeps the set-then-clear pattern, to show it, but makes the protocol
//! sound in two small steps:
//!
//! 1. each time the consumer wakes it **drains** the list (pops until it is empty),
//!    so an item whose signal was missed is picked up at the next wake-up;
//! 2. when the producer is done it raises a **`done`** flag and sets the event
//!    *without* clearing it. From then on `wait()` returns at once; the consumer reads
//!    `done`, drains what is left, and stops.
//!
//! The order matters: the consumer reads `done` *before* its last drain. If it sees
//! `done`, every item was appended before, so the drain after it finds them all.
//!
//! A second, subtler lost wake-up lives inside an event built from a bare flag: a
//! consumer that *is* waiting may be woken by `set()` but only run after `clear()`,
//! see the flag down and go back to sleep. The chapter's `Event` counts the sets (a
//! generation counter), so every thread already waiting when `set()` is called wakes
//! up, as Python's does.
//!
//! `--book-consumer` runs the book's consumer (one pop per wake-up, no way out). So
//! that the program still ends, it waits with `wait_timeout`; once the producer is
//! done and no set comes for a while, it gives up and reports how many items the
//! book's version would have left in the list, waiting for ever.
//!
//! ## Python → Rust
//!
//! - `threading.Event` → the chapter's [`Event`](ch02_threads::event::Event), made of
//!   a `Mutex` and a `Condvar`; Rust's standard library has none.
//! - The list passed to both thread classes → `Arc<Mutex<Vec<u32>>>`: `Vec::pop`
//!   takes from the end like `list.pop()`, and returns `None` on an empty list where
//!   Python raises `IndexError`.
//! - `Thread` subclasses with a `run()` method → closures given to
//!   `thread::Builder`, with the names Python would give them, `Thread-1` and
//!   `Thread-2`.
//!
//! ## Output
//!
//! The book's lines (`Producer notify : item N° X appended to list by Thread-1`, `…
//! event set …`, `Produce notify : event cleared …`, `Consumer notify : X popped from
//! list by Thread-2`), and the facts `produced = N`, `consumed = N`, and `left_in_list
//! = 0`. With `--book-consumer`, `consumed` is usually smaller and `left_in_list` says
//! what the book's consumer would have waited on for ever.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use ch02_threads::event::Event;
use clap::Parser;
use cookbook_support::Common;
use cookbook_support::rng::{Rng, seeded};

/// A producer tells a consumer about new items with an event (1st edition §2.10,
/// 2nd edition Event.py), with the book's lost signals fixed.
#[derive(Parser)]
#[command(name = "thread_event")]
struct Args {
    /// Items the producer makes (the 2nd edition: 5; the 1st edition: 100).
    #[arg(long, default_value_t = 5, value_parser = cookbook_support::positive_usize)]
    items: usize,

    /// Largest item value (the 1st edition: 256; the 2nd edition: 100).
    #[arg(long, default_value_t = 256)]
    max_item: u32,

    /// Run the book's consumer: one pop per wake-up and no way out. A timeout ends
    /// it and reports what it would have left behind.
    #[arg(long)]
    book_consumer: bool,

    #[command(flatten)]
    common: Common,
}

/// The name the current thread was given (`Thread-1`, `Thread-2`).
fn name() -> String {
    thread::current().name().unwrap_or("unnamed").to_string()
}

fn main() {
    let args = Args::parse();
    let mut rng = seeded(args.common.seed());
    let period = args.common.scaled(2.0);

    let items: Arc<Mutex<Vec<u32>>> = Arc::new(Mutex::new(Vec::new()));
    let event = Arc::new(Event::new());
    // Raised by the producer after its last item (not in the book).
    let done = Arc::new(AtomicBool::new(false));

    let book_consumer = args.book_consumer;
    let producer = {
        let (items, event, done) = (Arc::clone(&items), Arc::clone(&event), Arc::clone(&done));
        let (count, max_item) = (args.items, args.max_item);
        thread::Builder::new()
            .name("Thread-1".into())
            .spawn(move || {
                let mut appended = Vec::with_capacity(count);
                for _ in 0..count {
                    thread::sleep(period);
                    let item = rng.random_range(0..=max_item);
                    items.lock().unwrap().push(item);
                    appended.push(item);
                    println!("Producer notify : item N° {item} appended to list by {}", name());
                    println!("Producer notify : event set by {}", name());
                    event.set();
                    println!("Produce notify : event cleared by {}", name());
                    event.clear();
                }
                // Not in the book: say "no more items", and leave the event set so
                // that the consumer's next wait() returns at once, however late it is.
                // (With --book-consumer the producer stops as the book's does; the
                // flag only lets the demo's consumer give up.)
                done.store(true, Ordering::Release);
                if !book_consumer {
                    println!("Producer notify : no more items, event left set by {}", name());
                    event.set();
                }
                appended
            })
            .expect("cannot start the producer thread")
    };

    let consumer = {
        let (items, event, done) = (Arc::clone(&items), Arc::clone(&event), Arc::clone(&done));
        // How long the book's consumer waits, once the producer is done, before it
        // is declared stuck: a few periods, and never less than 200 ms.
        let patience = (period * 5).max(Duration::from_millis(200));
        thread::Builder::new()
            .name("Thread-2".into())
            .spawn(move || {
                let mut popped = Vec::new();
                let pop = |popped: &mut Vec<u32>| -> bool {
                    let item = items.lock().unwrap().pop();
                    if let Some(item) = item {
                        println!("Consumer notify : {item} popped from list by {}", name());
                        popped.push(item);
                    }
                    item.is_some()
                };
                loop {
                    thread::sleep(period);
                    if book_consumer {
                        // The book: wait, pop one item, start again; no way out.
                        // (Finished only so the demo ends: the book's would hang.)
                        if !event.wait_timeout(patience) {
                            if done.load(Ordering::Acquire) {
                                break;
                            }
                            continue;
                        }
                        pop(&mut popped);
                    } else {
                        event.wait();
                        // Read `done` BEFORE draining: if it is true, every item was
                        // appended before it, so this drain is the last one needed.
                        let finished = done.load(Ordering::Acquire);
                        while pop(&mut popped) {}
                        if finished {
                            break;
                        }
                    }
                }
                popped
            })
            .expect("cannot start the consumer thread")
    };

    let mut appended = producer.join().expect("the producer panicked");
    let mut popped = consumer.join().expect("the consumer panicked");
    let left = items.lock().unwrap().clone();

    println!();
    println!("produced = {}", appended.len());
    println!("consumed = {}", popped.len());
    println!("left_in_list = {}", left.len());
    if book_consumer && !left.is_empty() {
        println!("(the book's consumer would now wait for ever, with {} item(s) still in the list)", left.len());
    }

    // Every item appended was either popped once or is still in the list.
    popped.extend(&left);
    appended.sort_unstable();
    popped.sort_unstable();
    if appended != popped {
        eprintln!("thread_event: the items popped and left are not the items appended");
        std::process::exit(1);
    }
    if !book_consumer && !left.is_empty() {
        eprintln!("thread_event: the consumer stopped with items still in the list");
        std::process::exit(1);
    }
}

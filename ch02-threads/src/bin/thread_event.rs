//! # Thread synchronisation with an event
//!
//! **Book:** 1st edition §2.10 *Thread synchronization with an event*
//! (「2.10 使用事件进行线程同步」; printed edition「使用事件实现线程同步」).
//! 2nd edition `Chapter02/Event.py`.
//!
//! **Run:** `cargo run --bin thread_event` (or `cookbook run 2.10`); add
//! `--book-consumer` to see the book's consumer strand items.
//!
//! A producer appends random numbers to a list and, after each, sets an event and
//! clears it at once; a consumer waits on the event and pops. The book's consumer
//! misses every signal it sleeps through and never ends; this one drains the list
//! at each wake-up and stops when the producer says it is done.

use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use ch02_threads::event::Event;
use clap::Parser;
use cookbook_support::rng::{Rng, seeded};
use cookbook_support::{Common, Status, count, fail};

/// A producer tells a consumer about new items with an event (1st edition §2.10,
/// 2nd edition Event.py), with the book's lost signals fixed.
#[derive(Parser)]
#[command(name = "thread_event")]
struct Args {
    /// Items the producer makes: the 2nd edition's 5, the 1st edition's 100
    /// [1–100000].
    #[arg(long, default_value_t = 5, value_parser = count(1, 100_000))]
    items: usize,

    /// Largest item value: the 1st edition's 256, the 2nd edition's 100
    /// [0–1000000].
    #[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u32).range(0..=1_000_000))]
    max_item: u32,

    /// Run the book's consumer: one pop per wake-up, and no way out (a timeout
    /// ends it and reports what it left behind).
    #[arg(long)]
    book_consumer: bool,

    #[command(flatten)]
    common: Common,
}

/// The name the current thread was given (`Thread-1`, `Thread-2`).
fn name() -> String {
    thread::current().name().unwrap_or("unnamed").to_string()
}

// ANCHOR: listing
/// What the two threads share: the book's global list and event, and a flag that
/// the book does not have.
struct Shared {
    items: Mutex<Vec<u32>>,
    event: Event,
    /// Raised when the producer has appended its last item.
    done: AtomicBool,
}

impl Shared {
    /// `items.pop()`, printed as the book prints it. `None` on an empty list,
    /// where Python's `pop` raises `IndexError`.
    fn pop(&self) -> Option<u32> {
        let item = {
            let _hold = tracing::info_span!("hold", lock = "items").entered();
            self.items.lock().unwrap_or_else(|e| e.into_inner()).pop()
        };
        if let Some(item) = item {
            println!("Consumer notify : {item} popped from list by {}", name());
        }
        item
    }

    fn wait(&self) {
        let _wait = tracing::info_span!("wait", on = "event").entered();
        self.event.wait();
    }
}

/// Says "no more items" when dropped: at the end of the producer's loop, and also
/// if the producer panics (a drop runs while a panic unwinds), so that the
/// consumer is never left waiting for a producer that is gone.
struct NoMoreItems<'a> {
    shared: &'a Shared,
    leave_set: bool,
}

impl Drop for NoMoreItems<'_> {
    fn drop(&mut self) {
        self.shared.done.store(true, Ordering::Release);
        if self.leave_set {
            // Not in the book: set without clearing, so that every later wait()
            // returns at once, however late the consumer comes to it.
            self.shared.event.set();
        }
    }
}

/// The book's producer: sleep, append, set, clear, `count` times.
fn producer(shared: &Shared, count: usize, max_item: u32, seed: u64, common: &Common, leave_set: bool) -> Vec<u32> {
    let _done = NoMoreItems { shared, leave_set };
    let mut rng = seeded(seed);
    let mut appended = Vec::with_capacity(count.min(1024));
    for _ in 0..count {
        common.sleep(2.0);
        let item = rng.random_range(0..=max_item);
        shared.items.lock().unwrap_or_else(|e| e.into_inner()).push(item);
        appended.push(item);
        println!("Producer notify : item N° {item} appended to list by {}", name());
        println!("Producer notify : event set by {}", name());
        shared.event.set();
        println!("Produce notify : event cleared by {}", name());
        // A consumer still asleep now has missed this signal.
        shared.event.clear();
    }
    if leave_set {
        println!("Producer notify : no more items, event left set by {}", name());
    }
    appended
}

/// The book's consumer: sleep, wait, pop ONE item, for ever. Only the timeout is
/// added, so that the demo ends: once the producer is done and no signal comes
/// for `patience`, the book's program would wait for ever.
fn book_consumer(shared: &Shared, common: &Common, patience: Duration) -> Vec<u32> {
    let mut popped = Vec::new();
    loop {
        common.sleep(2.0);
        let woken = {
            let _wait = tracing::info_span!("wait", on = "event").entered();
            shared.event.wait_timeout(patience)
        };
        if woken {
            popped.extend(shared.pop());
        } else if shared.done.load(Ordering::Acquire) {
            return popped;
        }
    }
}

/// The fixed consumer: sleep, wait, then pop until the list is empty, so that an
/// item whose signal was missed is taken at the next wake-up; stop once the
/// producer is done and the list is drained.
fn draining_consumer(shared: &Shared, common: &Common) -> Vec<u32> {
    let mut popped = Vec::new();
    loop {
        common.sleep(2.0);
        shared.wait();
        // Read `done` BEFORE draining: if it is up, every item was appended before
        // it was raised, so this drain is the last one needed.
        let finished = shared.done.load(Ordering::Acquire);
        while let Some(item) = shared.pop() {
            popped.push(item);
        }
        if finished {
            return popped;
        }
    }
}

/// Start the producer as `Thread-1` and the consumer as `Thread-2`, as Python
/// names them, and join both: the items each appended, and popped.
fn run(args: &Args, shared: &Shared, seed: u64) -> Result<(Vec<u32>, Vec<u32>), String> {
    let common = &args.common;
    // How long the book's consumer waits, once the producer is done, before it is
    // declared stuck: a few periods, and never less than 200 ms.
    let patience = (common.scaled(2.0) * 5).max(Duration::from_millis(200));
    thread::scope(|s| {
        let producer = thread::Builder::new()
            .name("Thread-1".into())
            .spawn_scoped(s, || {
                let _run = tracing::info_span!("run", worker = 1).entered();
                producer(shared, args.items, args.max_item, seed, common, !args.book_consumer)
            })
            .map_err(|e| format!("cannot start the producer thread: {e}"))?;
        let consumer = thread::Builder::new().name("Thread-2".into()).spawn_scoped(s, || {
            let _run = tracing::info_span!("run", worker = 2).entered();
            if args.book_consumer { book_consumer(shared, common, patience) } else { draining_consumer(shared, common) }
        });
        let consumer = match consumer {
            Ok(c) => c,
            Err(e) => {
                // The producer still ends: it does not wait for anybody.
                let _ = producer.join();
                return Err(format!("cannot start the consumer thread: {e}"));
            }
        };
        let appended = producer.join().map_err(|_| "the producer panicked".to_string());
        let popped = consumer.join().map_err(|_| "the consumer panicked".to_string());
        Ok((appended?, popped?))
    })
}
// ANCHOR_END: listing

fn main() -> ExitCode {
    let args = Args::parse();
    let _session = args.common.start();
    let seed = args.common.seed();
    let shared = Shared { items: Mutex::new(Vec::new()), event: Event::new(), done: AtomicBool::new(false) };

    let (mut appended, mut popped) = match run(&args, &shared, seed) {
        Ok(both) => both,
        Err(why) => return fail(why),
    };
    let left = shared.items.into_inner().unwrap_or_else(|e| e.into_inner());

    println!();
    println!("produced = {}", appended.len());
    println!("consumed = {}", popped.len());
    println!("left_in_list = {}", left.len());
    if args.book_consumer && !left.is_empty() {
        println!("(the book's consumer would now wait for ever, with {} item(s) still in the list)", left.len());
    }

    // Every item appended was either popped once or is still in the list.
    popped.extend(&left);
    appended.sort_unstable();
    popped.sort_unstable();
    if appended != popped {
        return fail("the items popped and left are not the items appended");
    }
    if !args.book_consumer && !left.is_empty() {
        return fail("the consumer stopped with items still in the list");
    }
    Status::Success.into()
}

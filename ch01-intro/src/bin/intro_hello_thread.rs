//! # A first thread — and why Rust's `main` must join it
//!
//! **Book:** 1st edition §1.11 *Start working with threads in Python*
//! (「1.11 开始在Python中使用线程」; printed edition「开始在Python中使用线程」).
//! The 2nd edition has no such recipe.
//!
//! **Run:** `cargo run --bin intro_hello_thread` (or `cookbook run 1.11`): it takes
//! 20 seconds, as in the book. `--delay-scale 0.1` makes it 2 seconds; `--no-join`
//! shows what happens without the join.
//!
//! ## What it shows
//!
//! The book's `CookBook` class subclasses `Thread`; its `run()` prints a message ten
//! times, sleeping 2 seconds after each. The main program prints `Process Started`,
//! starts the thread, and prints `Process Ended` at once — while the thread carries
//! on printing for another 20 seconds. The thread runs beside the main program,
//! inside the same process.
//!
//! ## Python → Rust
//!
//! - **Subclassing `Thread`** → a plain struct with a `run(&self)` method, moved into
//!   the closure given to `std::thread::spawn`. Any value can run on a thread; it
//!   does not need to *be* a thread.
//! - **The process does not wait for the thread.** Python keeps the process alive
//!   until every non-daemon thread has finished, so the book's main can print
//!   `Process Ended` and simply stop. In Rust, returning from `main` ends the whole
//!   process, and every other thread is cut off wherever it is. So the recipe
//!   `join()`s the thread after printing `Process Ended`. With `--no-join` it does
//!   not, and the thread's output stops short: at most its first message appears,
//!   and `Thread Ended` never does.
//! - The book warns never to leave threads running unwatched in the background.
//!   Rust's `JoinHandle` is how you keep an eye on one: `join()` waits for it and
//!   hands back its result (here, how many messages it printed).
//!
//! ## Output
//!
//! `Process Started`, `Thread Starting` and `Process Ended` (these two in either
//! order), then 10 × `Hello Parallel Python CookBook!`, the fact `messages = 10` and
//! `Thread Ended` last.

use std::thread;

use clap::Parser;
use cookbook_support::{Common, positive_usize};

/// Start one thread that prints a message ten times, two seconds apart, while
/// the main program goes on (1st edition §1.11).
#[derive(Parser)]
#[command(name = "intro_hello_thread")]
struct Args {
    /// How many times the thread prints its message (the book's 10).
    #[arg(long, default_value_t = 10, value_parser = positive_usize)]
    messages: usize,

    /// Return from main without joining the thread: the process ends and the
    /// thread is cut off.
    #[arg(long)]
    no_join: bool,

    #[command(flatten)]
    common: Common,
}

/// The book's `CookBook(Thread)` class: the data the thread works with, and its
/// `run` method. It is an ordinary struct.
struct CookBook {
    message: String,
    messages: usize,
    common: Common,
}

impl CookBook {
    fn new(messages: usize, common: Common) -> Self {
        CookBook { message: "Hello Parallel Python CookBook!".to_string(), messages, common }
    }

    /// This method prints only the message.
    fn print_message(&self) {
        println!("{}", self.message);
    }

    /// Print the message `messages` times, sleeping 2 s (scaled) after each.
    /// Returns how many were printed.
    fn run(&self) -> usize {
        println!("Thread Starting");
        let mut x = 0;
        while x < self.messages {
            self.print_message();
            self.common.sleep(2.0);
            x += 1;
        }
        println!("messages = {x}");
        println!("Thread Ended");
        x
    }
}

fn main() {
    let args = Args::parse();

    // start the main process
    println!("Process Started");

    // Create the thread's object and move it into a new thread. `start()` in Python.
    let hello_rust = CookBook::new(args.messages, args.common);
    let handle = thread::spawn(move || hello_rust.run());

    // end the main process... in Python. In Rust, see below.
    println!("Process Ended");

    if args.no_join {
        // Returning from main ends the process, and the thread with it, now.
        return;
    }
    // Wait for the thread. Without this line the process would end here.
    if handle.join().is_err() {
        eprintln!("the thread panicked");
        std::process::exit(1);
    }
}

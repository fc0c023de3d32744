//! # A first thread, and why Rust's `main` must join it
//!
//! **Book:** 1st edition §1.11 *Start working with threads in Python*
//! (「1.11 开始在Python中使用线程」; printed edition「开始在Python中使用线程」).
//! The 2nd edition has no such recipe.
//!
//! **Run:** `cargo run --bin intro_hello_thread` (or `cookbook run 1.11`): it takes
//! 20 seconds, as in the book; `--delay-scale 0.1` makes it 2, and `--no-join`
//! shows what happens without the join.
//!
//! The book's `CookBook` thread prints a message ten times, two seconds apart,
//! while the main program prints `Process Ended` at once. Python waits for the
//! thread before the process ends; Rust ends the process when `main` returns, so
//! the recipe joins the thread.

use std::process::ExitCode;
use std::thread;

use clap::Parser;
use cookbook_support::{Delay, Status, Trace, count, fail};

/// Start one thread that prints a message ten times, two seconds apart, while
/// the main program goes on (1st edition §1.11).
#[derive(Parser)]
#[command(name = "intro_hello_thread")]
struct Args {
    /// How many times the thread prints its message, the book's 10 [1–1000].
    #[arg(long, default_value_t = 10, value_parser = count(1, 1000))]
    messages: usize,

    /// Return from main without joining the thread: the process ends and the
    /// thread is cut off.
    #[arg(long)]
    no_join: bool,

    #[command(flatten)]
    delay: Delay,

    #[command(flatten)]
    trace: Trace,
}

// ANCHOR: listing
/// The book's `CookBook(Thread)` class: the data the thread works with, and its
/// `run` method. It is an ordinary struct: any value can run on a thread.
struct CookBook {
    message: String,
    messages: usize,
    delay: Delay,
}

impl CookBook {
    fn new(messages: usize, delay: Delay) -> Self {
        CookBook { message: "Hello Parallel Python CookBook!".to_string(), messages, delay }
    }

    /// This method prints only the message.
    fn print_message(&self) {
        println!("{}", self.message);
    }

    /// Print the message `messages` times, sleeping 2 s (scaled) after each.
    /// Returns how many were printed.
    fn run(&self) -> usize {
        let _run = tracing::info_span!("run", worker = 1).entered();
        println!("Thread Starting");
        let mut x = 0;
        while x < self.messages {
            self.print_message();
            self.delay.sleep(2.0);
            x += 1;
        }
        println!("messages = {x}");
        println!("Thread Ended");
        x
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let _session = args.trace.start();

    // start the main process
    println!("Process Started");

    // Create the thread's object and move it into a new thread: Python's start().
    let hello_rust = CookBook::new(args.messages, args.delay);
    let handle = match thread::Builder::new().spawn(move || hello_rust.run()) {
        Ok(handle) => handle,
        Err(e) => return fail(format!("cannot start the thread: {e}")),
    };

    // end the main process... in Python. In Rust, see below.
    println!("Process Ended");

    if args.no_join {
        // Returning from main ends the process, and the thread with it, now.
        return Status::Success.into();
    }
    // Wait for the thread. Without this line the process would end here.
    match handle.join() {
        Ok(_) => Status::Success.into(),
        Err(_) => fail("the thread panicked"),
    }
}
// ANCHOR_END: listing

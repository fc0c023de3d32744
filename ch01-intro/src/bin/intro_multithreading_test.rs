//! # The multithreading test: the same ten jobs in ten threads
//!
//! **Book:** 2nd edition, Chapter 1 *Getting Started with Parallel Computing and
//! Python* (「第一章 并行计算入门和Python」), file `Chapter01/multithreading_test.py`
//! (「多线程测试」). The 1st edition has no such recipe.
//!
//! **Run:** `cargo run --release --bin intro_multithreading_test` (or
//! `cookbook run intro_multithreading_test`). Add `--python-slip` to run the
//! book's listing as it is written, and compare the two times.
//!
//! ## What it shows
//!
//! `intro_serial_test` runs `do_something` ten times in a row. Here each run gets a
//! thread of its own: `--threads` (10) threads are started, each fills its own list
//! of `--size` (10 000 000) random numbers, and the main thread joins them all and
//! times the whole. Rust has no GIL: on a machine with several cores the threads
//! really run at the same time. How much faster than the serial run they finish
//! depends on the free cores (two cores allow at most twice as fast) and, for this
//! job, on the kernel: the loop does so little per number that much of the time
//! goes to the kernel handing out fresh memory pages, and ten threads asking for
//! pages at once slow each other down.
//!
//! ## The book's slip, and why Rust refuses it
//!
//! The book builds each thread as `Thread(target=do_something(size, out_list))`.
//! The parentheses *call* `do_something` on the spot, in the main thread, while the
//! thread object is being built; its result, `None`, becomes the thread's target.
//! So all the work is done serially before the first `start()`, and the ten threads
//! then have nothing to run. The script's time is the serial time, and it seems to
//! show that threads do not help. (What the book meant is
//! `Thread(target=do_something, args=(size, out_list))`.)
//!
//! In Rust the slip does not compile. `thread::spawn` takes a closure (`FnOnce`);
//! `thread::spawn(do_something(size, &mut rng))` hands it a `Vec<f64>`, and the
//! compiler stops with error E0277, "expected a `FnOnce()` closure, found
//! `Vec<f64>`". The closure `move || do_something(size, &mut rng)` is the only way
//! to say it, and then the call happens inside the new thread. (The library's
//! documentation has that line as a `compile_fail` test.)
//!
//! `--python-slip` reproduces what the Python script does, on purpose: the ten
//! calls run in the main thread, then ten threads are spawned with empty closures
//! and joined. Each list records which thread built it, and the recipe prints
//! `work_done_in = main` or `work_done_in = threads` from those records.
//!
//! ## Python → Rust
//!
//! - `threading.Thread(target=f, args=(size, out_list))` + `start()` →
//!   `thread::spawn(move || …)`, which starts the thread at once.
//! - The list comes back through the `JoinHandle`: `join()` returns what the
//!   closure returned (the vector), where Python's `join()` returns nothing and
//!   results must be left in a shared object.
//! - Each thread owns its generator (`rng::for_worker(seed, i)`): with the same
//!   `--seed`, every list is the same as in the serial test, whatever order the
//!   threads run in, and so is the checksum.
//!
//! ## Memory
//!
//! The ten threads run at the same time, so their ten lists grow at the same time:
//! with the defaults that is 800 MB of numbers, more while the vectors double their
//! capacity. The main thread measures each list as it joins its thread and drops it
//! at once.
//!
//! ## Output
//!
//! The book's `List processing complete.` and `multithreading time= <seconds>`,
//! then the facts `threads`, `total_items`, `checksum` and `work_done_in`.

use std::process::ExitCode;
use std::thread::{self, ThreadId};
use std::time::Instant;

use ch01_intro::work::{JobReport, ListSummary, do_something};
use clap::Parser;
use cookbook_support::rng;

/// Run the 2nd edition's `do_something` job in several threads at once and time
/// it (Chapter01/multithreading_test.py).
#[derive(Parser)]
#[command(name = "intro_multithreading_test")]
struct Args {
    /// Items per list (the book's `size`).
    #[arg(long, default_value_t = 10_000_000, value_parser = cookbook_support::positive_usize)]
    size: usize,

    /// How many threads, one list each (the book's 10).
    #[arg(long, default_value_t = 10, value_parser = cookbook_support::positive_usize)]
    threads: usize,

    /// Do what the book's `Thread(target=do_something(size, out_list))` does: the
    /// work in the main thread, then threads that do nothing.
    #[arg(long)]
    python_slip: bool,

    #[command(flatten)]
    common: cookbook_support::Common,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let seed = args.common.seed();
    let size = args.size;
    let main_thread = thread::current().id();

    // One entry per list: what it held, and which thread built it.
    let mut done: Vec<(ListSummary, ThreadId)> = Vec::with_capacity(args.threads);
    let mut joined = 0;

    let start_time = Instant::now();
    if args.python_slip {
        // Python: jobs.append(Thread(target=do_something(size, out_list)))
        let mut jobs = Vec::new();
        for i in 0..args.threads {
            // The call runs right here, in the main thread, before the thread exists…
            let out_list = do_something(size, &mut rng::for_worker(seed, i as u64));
            done.push((ListSummary::of(&out_list), thread::current().id()));
            drop(out_list);
            // …and the thread gets `None` as its target: nothing to do.
            jobs.push(thread::spawn(|| {}));
        }
        for j in jobs {
            if j.join().is_err() {
                eprintln!("an (empty) thread panicked");
                return ExitCode::FAILURE;
            }
            joined += 1;
        }
    } else {
        // What the book meant: the call happens inside each thread.
        let mut jobs = Vec::new();
        for i in 0..args.threads {
            jobs.push(thread::spawn(move || {
                let mut rng = rng::for_worker(seed, i as u64);
                let out_list = do_something(size, &mut rng);
                (out_list, thread::current().id())
            }));
        }
        for (i, j) in jobs.into_iter().enumerate() {
            // join() hands back what the closure returned: the list itself.
            let Ok((out_list, built_by)) = j.join() else {
                eprintln!("thread {i} panicked");
                return ExitCode::FAILURE;
            };
            done.push((ListSummary::of(&out_list), built_by));
            joined += 1;
            // `out_list` is dropped here: measured, then freed.
        }
    }
    let elapsed = start_time.elapsed();

    println!("List processing complete.");
    println!("multithreading time= {:.6}", elapsed.as_secs_f64());

    let in_main = done.iter().filter(|(_, by)| *by == main_thread).count();
    let report = JobReport::from_summaries(done.iter().map(|(s, _)| *s));
    println!("threads = {joined}");
    println!("total_items = {}", report.total_items());
    println!("checksum = {}", report.checksum);
    let place = match in_main {
        0 => "threads",
        n if n == done.len() => "main",
        _ => "both",
    };
    println!("work_done_in = {place}");

    if report.total_items() != args.threads * size {
        eprintln!("expected {} items in all, got {}", args.threads * size, report.total_items());
        return ExitCode::FAILURE;
    }
    let expected_place = if args.python_slip { "main" } else { "threads" };
    if place != expected_place {
        eprintln!("the work should have run in the {expected_place} thread(s), not in {place}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

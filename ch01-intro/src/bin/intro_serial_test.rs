//! # The serial test: `do_something` ten times, one call after the other
//!
//! **Book:** 2nd edition, Chapter 1 *Getting Started with Parallel Computing and
//! Python* (「第一章 并行计算入门和Python」), files `Chapter01/serial_test.py` and
//! `Chapter01/do_something.py` (「串行测试」, this cookbook's own title). The 1st
//! edition has no such recipe.
//!
//! **Run:** `cargo run --release --bin intro_serial_test` (or
//! `cookbook run intro_serial_test`); `--keep-lists` builds each list whole, as
//! the book does.
//!
//! The baseline of the chapter's three tests: ten runs of `do_something`, each
//! appending ten million random numbers to a list, one after the other in the main
//! thread, timed as a whole. `intro_multithreading_test` and
//! `intro_multiprocessing_test` run the same ten jobs in threads and in processes.

use std::process::ExitCode;
use std::time::Instant;

use ch01_intro::work::{Job, JobReport, Lists, MAX_SIZE};
use clap::Parser;
use cookbook_support::{Seed, Status, Trace, count, fail};

/// Run the 2nd edition's `do_something` job several times in a row, in one
/// thread, and time it (Chapter01/serial_test.py).
#[derive(Parser)]
#[command(name = "intro_serial_test")]
struct Args {
    /// Items per list, the book's `size` [1–100000000].
    #[arg(long, default_value_t = 10_000_000, value_parser = count(1, MAX_SIZE))]
    size: usize,

    /// How many lists to build, one after the other, the book's 10 [1–1000].
    #[arg(long, default_value_t = 10, value_parser = count(1, 1000))]
    runs: usize,

    /// Build each list whole, as the book does, instead of a chunk at a time.
    #[arg(long)]
    keep_lists: bool,

    #[command(flatten)]
    seed: Seed,

    #[command(flatten)]
    trace: Trace,
}

// ANCHOR: listing
/// The book's loop: one run after the other, in this thread. Run `i` draws from
/// its own generator, made from the seed and `i`, so the threads and processes
/// tests build the same numbers.
fn serial_test(job: &Job) -> JobReport {
    let mut summaries = Vec::with_capacity(job.workers);
    for i in 0..job.workers {
        // Python: out_list = list(); do_something(size, out_list)
        summaries.push(job.worker(i));
        // Run i's list was measured and dropped: the next run starts afresh.
    }
    JobReport::from_summaries(summaries)
}
// ANCHOR_END: listing

fn main() -> ExitCode {
    let args = Args::parse();
    let _session = args.trace.start();
    let lists = if args.keep_lists { Lists::Kept } else { Lists::Chunked };
    let job = Job::from_flags::<Args>(args.runs, args.size, lists, &args.seed);

    let start_time = Instant::now();
    let report = serial_test(&job);
    let elapsed = start_time.elapsed();

    println!("List processing complete.");
    println!("serial time= {:.6}", elapsed.as_secs_f64());
    println!("lists = {}", report.lists());
    println!("total_items = {}", report.total_items());
    println!("held_per_list = {}", report.held);
    println!("checksum = {}", report.checksum);
    if let Some(len) = report.lens.iter().find(|&&len| len != job.size) {
        return fail(format!("a list holds {len} items, not {}", job.size));
    }
    Status::Success.into()
}

//! # The serial test: `do_something` ten times, one call after the other
//!
//! **Book:** 2nd edition, Chapter 1 *Getting Started with Parallel Computing and
//! Python* (「第一章 并行计算入门和Python」), files `Chapter01/serial_test.py` and
//! `Chapter01/do_something.py` (「串行测试」). The 1st edition has no such recipe.
//!
//! **Run:** `cargo run --release --bin intro_serial_test` (or
//! `cookbook run intro_serial_test`). Without `--release` the loop runs unoptimised
//! and takes many times longer. `--size 1000000` makes it quick.
//!
//! ## What it shows
//!
//! The baseline of the chapter's three tests. One job, `do_something`, fills a
//! fresh list with `--size` random numbers (ten million by default), one `push` at
//! a time. The program runs it `--runs` times (ten) in the main thread, one run
//! after the other, and times the whole. `intro_multithreading_test` and
//! `intro_multiprocessing_test` run the same ten jobs in ten threads and in ten
//! processes; compare their times with this one.
//!
//! Each list is measured (its length and the sum of its items, a checksum) and
//! dropped before the next run starts, so only one list of 80 MB is alive at a
//! time. Python rebinds `out_list` at each run, which frees the previous list too.
//!
//! ## Python → Rust
//!
//! - `out_list = list()` then `do_something(size, out_list)`, which appends to the
//!   caller's list → `do_something(size, &mut rng)`, which builds a `Vec<f64>` and
//!   returns it. The vector grows by `push` without `reserve`, like `append`.
//! - `random.random()` uses one hidden global generator → each run draws from its
//!   own generator, made from `--seed` and the run's index
//!   (`rng::for_worker(seed, i)`). The same seed gives the same numbers here as in
//!   the thread and process tests, so their checksums can be compared.
//! - A Python float in a list is a pointer to a 24-byte object; an `f64` in a `Vec`
//!   is 8 bytes stored in line. Together with compiled code, this makes the Rust
//!   loop many times faster than the Python one (about ten times with the book's
//!   sizes): that is why the book's sizes stay the defaults. So little is left to
//!   do per number that much of the time goes to the operating system handing out
//!   fresh memory pages for each 80 MB list.
//!
//! ## Output
//!
//! The book's `List processing complete.` and `serial time= <seconds>`, then the
//! facts `lists`, `items_per_list`, `total_items` and `checksum`. The time
//! includes the sum that measures each list (a few milliseconds per list).

use std::process::ExitCode;
use std::time::Instant;

use ch01_intro::work::{JobReport, ListSummary, do_something};
use clap::Parser;
use cookbook_support::rng;

/// Run the 2nd edition's `do_something` job several times in a row, in one
/// thread, and time it (Chapter01/serial_test.py).
#[derive(Parser)]
#[command(name = "intro_serial_test")]
struct Args {
    /// Items per list (the book's `size`).
    #[arg(long, default_value_t = 10_000_000, value_parser = cookbook_support::positive_usize)]
    size: usize,

    /// How many lists to build, one after the other (the book's 10).
    #[arg(long, default_value_t = 10, value_parser = cookbook_support::positive_usize)]
    runs: usize,

    #[command(flatten)]
    common: cookbook_support::Common,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let seed = args.common.seed();

    let start_time = Instant::now();
    let mut summaries = Vec::with_capacity(args.runs);
    for i in 0..args.runs {
        // Python: out_list = list(); do_something(size, out_list)
        let mut rng = rng::for_worker(seed, i as u64);
        let out_list = do_something(args.size, &mut rng);
        summaries.push(ListSummary::of(&out_list));
        // The list is dropped here, before the next run allocates its own.
    }
    let elapsed = start_time.elapsed();

    println!("List processing complete.");
    println!("serial time= {:.6}", elapsed.as_secs_f64());

    let report = JobReport::from_summaries(summaries);
    println!("lists = {}", report.lists());
    // Every list should have the same length: print it once, or fail.
    let first = report.lens[0];
    if report.lens.iter().any(|&len| len != first) {
        eprintln!("the lists have different lengths: {:?}", report.lens);
        return ExitCode::FAILURE;
    }
    println!("items_per_list = {first}");
    println!("total_items = {}", report.total_items());
    println!("checksum = {}", report.checksum);
    if first != args.size {
        eprintln!("each list should hold {} items, not {first}", args.size);
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

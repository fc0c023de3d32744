//! # The multiprocessing test: the same ten jobs in ten processes
//!
//! **Book:** 2nd edition, Chapter 1 *Getting Started with Parallel Computing and
//! Python* (「第一章 并行计算入门和Python」), file `Chapter01/multiprocessing_test.py`
//! (「多进程测试」). The 1st edition has no such recipe.
//!
//! **Run:** `cargo run --release --bin intro_multiprocessing_test` (or
//! `cookbook run intro_multiprocessing_test`).
//!
//! ## What it shows
//!
//! The third of the chapter's tests. The parent starts `--procs` (10) child
//! processes; each fills a list of `--size` (10 000 000) random numbers with
//! `do_something`, and the parent waits for every one of them and times the
//! whole. Processes share no memory, so they run in parallel in Python too: this is
//! the test where Python gains.
//!
//! The book hands every child a fresh `out_list`. Each child fills its own copy;
//! the parent's lists stay empty, and the script never looks at them. Here the
//! parent keeps a `parent_list` of its own and prints its length at the end: 0.
//! The numbers exist only in the children, and what the parent learns of them
//! (each list's length and checksum) comes back the only way it can, through an
//! explicit channel: each child prints two lines on its stdout, which the parent
//! reads through a pipe.
//!
//! ## Python → Rust
//!
//! - `multiprocessing.Process(target=do_something, args=(size, out_list))` +
//!   `start()` → the binary runs *itself* again, as
//!   `intro_multiprocessing_test __child worker --size N --seed S --index I`
//!   (`work::worker_command`, then `spawn()`). Rust cannot fork an interpreter;
//!   a child is a fresh run of the same program.
//! - The check `if let Some(role) = child::role()` at the very top of `main` plays
//!   the part of Python's `if __name__ == "__main__":` guard: the child does its
//!   job and exits instead of parsing the parent's flags and starting ten children
//!   of its own.
//! - The arguments travel as text on the command line, not as pickled objects; a
//!   `Vec` cannot be "passed" to a child at all. The results travel back as text
//!   too (`items = N`, `checksum = X`; the checksum is printed so that it parses
//!   back to the same bits).
//! - `join()` → `work::collect_worker`, which waits for the child
//!   (`wait_with_output`), checks that it exited 0 and reads its report. The
//!   parent waits for every child it started, even after a failure, so none is
//!   left behind.
//!
//! ## Memory
//!
//! The ten children run at once, each with its own 80 MB list: 800 MB with the
//! defaults, plus ten copies of a small program.
//!
//! ## Output
//!
//! One line per child with its process id, the book's `List processing
//! complete.` and `multiprocesses time= <seconds>`, then the facts `processes`,
//! `children_ok`, `total_items`, `checksum` and `parent_list_len = 0`. With the
//! same `--seed`, the checksum is the one `intro_serial_test` prints.

use std::process::ExitCode;
use std::time::Instant;

use ch01_intro::work::{self, JobReport};
use clap::Parser;
use cookbook_support::child;

/// Run the 2nd edition's `do_something` job in several child processes at once and
/// time it (Chapter01/multiprocessing_test.py).
#[derive(Parser)]
#[command(name = "intro_multiprocessing_test")]
struct Args {
    /// Items per list (the book's `size`).
    #[arg(long, default_value_t = 10_000_000, value_parser = cookbook_support::positive_usize)]
    size: usize,

    /// How many child processes, one list each (the book's 10).
    #[arg(long, default_value_t = 10, value_parser = cookbook_support::positive_usize)]
    procs: usize,

    #[command(flatten)]
    common: cookbook_support::Common,
}

fn main() -> ExitCode {
    // The child side: build one list, print its length and checksum, exit.
    if let Some(role) = child::role() {
        std::process::exit(work::worker_main(&role));
    }

    let args = Args::parse();
    let seed = args.common.seed();
    // The list the book "passes" to every child. No child can reach it.
    let parent_list: Vec<f64> = Vec::new();
    println!("parent process {} starts {} children", std::process::id(), args.procs);

    let start_time = Instant::now();
    // Python: jobs.append(Process(target=do_something, args=(size, out_list))); start()
    let mut jobs = Vec::with_capacity(args.procs);
    let mut failed = false;
    for i in 0..args.procs {
        match work::worker_command(args.size, seed, i).and_then(|mut cmd| cmd.spawn()) {
            Ok(process) => jobs.push(process),
            Err(e) => {
                eprintln!("cannot start child {i}: {e}");
                failed = true;
                break; // start no more, but still wait for those already running
            }
        }
    }
    let started = jobs.len();

    // Python: for j in jobs: j.join()
    let mut summaries = Vec::with_capacity(started);
    for (i, process) in jobs.into_iter().enumerate() {
        let pid = process.id();
        match work::collect_worker(i, process) {
            Ok(s) => {
                println!("child {i} (pid {pid}) exited 0 after building {} items", s.len);
                summaries.push(s);
            }
            Err(e) => {
                eprintln!("{e}");
                failed = true;
            }
        }
    }
    let elapsed = start_time.elapsed();

    println!("List processing complete.");
    println!("multiprocesses time= {:.6}", elapsed.as_secs_f64());

    let children_ok = summaries.len();
    let report = JobReport::from_summaries(summaries);
    println!("processes = {started}");
    println!("children_ok = {children_ok}");
    println!("total_items = {}", report.total_items());
    println!("checksum = {}", report.checksum);
    println!("parent_list_len = {}", parent_list.len());

    if !failed && report.total_items() != args.procs * args.size {
        eprintln!("expected {} items in all, got {}", args.procs * args.size, report.total_items());
        failed = true;
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

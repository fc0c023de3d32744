//! # The multiprocessing test: the same ten jobs in ten processes
//!
//! **Book:** 2nd edition, Chapter 1 *Getting Started with Parallel Computing and
//! Python* (「第一章 并行计算入门和Python」), file `Chapter01/multiprocessing_test.py`
//! (「多进程测试」, this cookbook's own title). The 1st edition has no such recipe.
//!
//! **Run:** `cargo run --release --bin intro_multiprocessing_test` (or
//! `cookbook run intro_multiprocessing_test`); `--keep-lists` builds each list
//! whole.
//!
//! The serial test's ten jobs, each in a child process: this binary started again
//! in the hidden role `worker`. Each child fills its own list; the parent's list
//! stays empty, and what the parent learns of the children's lists comes back as
//! text on a pipe. A child dies with its parent, however the parent ends.

use std::process::ExitCode;
use std::time::Instant;

use ch01_intro::work::{self, Job, JobReport, Lists, MAX_SIZE};
use clap::Parser;
use cookbook_support::child;
use cookbook_support::{Seed, Status, Trace, count, fail};

/// Run the 2nd edition's `do_something` job in several child processes at once and
/// time it (Chapter01/multiprocessing_test.py).
#[derive(Parser)]
#[command(name = "intro_multiprocessing_test")]
struct Args {
    /// Items per list, the book's `size` [1–100000000].
    #[arg(long, default_value_t = 10_000_000, value_parser = count(1, MAX_SIZE))]
    size: usize,

    /// How many child processes, one list each, the book's 10 [1–100].
    #[arg(long, default_value_t = 10, value_parser = count(1, 100))]
    procs: usize,

    /// Build each list whole, as the book does, instead of a chunk at a time.
    #[arg(long)]
    keep_lists: bool,

    #[command(flatten)]
    seed: Seed,

    #[command(flatten)]
    trace: Trace,
}

fn main() -> ExitCode {
    // ANCHOR: listing
    // Python's `if __name__ == "__main__":` guard, the other way round: a child
    // started in role `worker` builds its list, prints its report and exits,
    // before it could parse the parent's flags and start children of its own.
    if let Some(role) = child::role() {
        return work::worker_exit(&role);
    }

    let args = Args::parse();
    let _session = args.trace.start();
    let lists = if args.keep_lists { Lists::Kept } else { Lists::Chunked };
    let job = Job::from_flags::<Args>(args.procs, args.size, lists, &args.seed);
    // The list the book "passes" to every child. No child can reach it.
    let parent_list: Vec<f64> = Vec::new();
    println!("parent process {} starts {} children", std::process::id(), job.workers);

    let start_time = Instant::now();
    // Python: jobs.append(Process(target=do_something, args=(size, out_list))),
    // then j.start(). Each command is this binary: `__child worker --size N …`.
    // They are started here, in the main thread, which outlives them: a child
    // dies with the thread that started it.
    let jobs = child::spawn_all((0..job.workers).map(|i| job.worker_command(i)));
    let pids = jobs.pids();
    // Python: for j in jobs: j.join(). Every child is waited for, even when one
    // fails, and each one's report is read from its stdout.
    let summaries = match jobs.wait_all_with(|_, stdout| work::parse_worker_report(stdout)) {
        Ok(summaries) => summaries,
        Err(e) => return fail(e),
    };
    let elapsed = start_time.elapsed();
    // ANCHOR_END: listing

    for (i, (pid, s)) in pids.iter().zip(&summaries).enumerate() {
        println!("child = {i} pid = {pid} items = {} held = {}", s.len, s.held);
    }
    println!("List processing complete.");
    println!("multiprocesses time= {:.6}", elapsed.as_secs_f64());

    let report = JobReport::from_summaries(summaries);
    println!("processes = {}", report.lists());
    println!("total_items = {}", report.total_items());
    println!("held_per_list = {}", report.held);
    println!("checksum = {}", report.checksum);
    println!("parent_list_len = {}", parent_list.len());
    if report.total_items() != job.workers * job.size {
        return fail(format!("expected {} items in all, got {}", job.workers * job.size, report.total_items()));
    }
    Status::Success.into()
}

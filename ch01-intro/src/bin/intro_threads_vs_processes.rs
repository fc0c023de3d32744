//! # Threads versus processes: one job, four ways to run it
//!
//! **Book:** 2nd edition, Chapter 1 *Getting Started with Parallel Computing and
//! Python* (「第一章 并行计算入门和Python」), file `Chapter01/thread_and_processes.py`
//! (「线程与进程的比较」, this cookbook's own title). The 1st edition has no such
//! recipe.
//!
//! **Run:** `cargo run --release --bin intro_threads_vs_processes` (or
//! `cookbook run intro_threads_vs_processes`); try `--keep-lists` and
//! `--shared-list`.
//!
//! The chapter's three tests side by side, plus a rayon pool: the same job, ten
//! lists of ten million random numbers, run serially, in threads, in child
//! processes and on a pool, with each mode's time and speed-up over the serial
//! run. Every mode builds the same numbers, and the recipe checks that their
//! checksums agree bit for bit.

use std::process::ExitCode;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use ch01_intro::work::{self, CHUNK, Job, JobReport, ListSummary, Lists, MAX_SIZE, Mode};
use clap::Parser;
use cookbook_support::child;
use cookbook_support::rng::{self, Rng};
use cookbook_support::{Seed, Status, Trace, count, fail};

/// Run the 2nd edition's `do_something` job serially, in threads, in processes and
/// on a rayon pool, and compare the times (Chapter01/thread_and_processes.py).
#[derive(Parser)]
#[command(name = "intro_threads_vs_processes")]
struct Args {
    /// Items per list, the book's `size` [1–100000000].
    #[arg(long, default_value_t = 10_000_000, value_parser = count(1, MAX_SIZE))]
    size: usize,

    /// Lists, and threads or processes, per mode, the book's NUM_WORKERS [1–100].
    #[arg(long, default_value_t = 10, value_parser = count(1, 100))]
    workers: usize,

    /// The modes to run, in order (a comma-separated list).
    #[arg(long, value_delimiter = ',', default_value = "serial,threads,processes,rayon")]
    modes: Vec<Mode>,

    /// Build each list whole, as the book does, instead of a chunk at a time.
    #[arg(long)]
    keep_lists: bool,

    /// In the threads mode, push every item into one list shared by all threads,
    /// behind a mutex, as the book's global `out_list`.
    #[arg(long)]
    shared_list: bool,

    #[command(flatten)]
    seed: Seed,

    #[command(flatten)]
    trace: Trace,
}

// ANCHOR: shared
/// The book's threads, which all append to one global `out_list`. The list sits in
/// a `Mutex` that the (scoped) threads borrow, and every item takes the lock. Each
/// thread also sums what it pushed, so the checksum is added in the same order as
/// in the other modes.
fn threads_with_one_shared_list(job: &Job) -> Result<JobReport, String> {
    let out_list: Mutex<Vec<f64>> = Mutex::new(Vec::new());
    let push_all = |i: usize| {
        let _run = tracing::info_span!("run", worker = i).entered();
        let mut rng = rng::for_worker(job.seed, i as u64);
        let mut mine = ListSummary::default();
        for _ in 0..job.size {
            let x: f64 = rng.random();
            // Lock, push one item, unlock (the guard dies at the end of the line).
            out_list.lock().unwrap_or_else(PoisonError::into_inner).push(x);
            mine.add(&[x]);
        }
        mine
    };
    let summaries = work::in_threads(job.workers, push_all).map_err(|e| e.to_string())?;
    let mut report = JobReport::from_summaries(summaries);
    // The one list held every item.
    report.held = out_list.into_inner().unwrap_or_else(PoisonError::into_inner).len();
    Ok(report)
}
// ANCHOR_END: shared

fn main() -> ExitCode {
    // A child started by the processes mode builds one list and reports it.
    if let Some(role) = child::role() {
        return work::worker_exit(&role);
    }
    let args = Args::parse();
    let _session = args.trace.start();
    let lists = if args.keep_lists { Lists::Kept } else { Lists::Chunked };
    if args.shared_list {
        work::check_memory::<Args>(args.workers, args.size, Lists::Kept); // the shared list holds it all
    }
    let job = Job::from_flags::<Args>(args.workers, args.size, lists, &args.seed);
    let held = match lists {
        Lists::Chunked => format!("each worker holding at most {} items at a time", CHUNK.min(job.size)),
        Lists::Kept => format!("each worker holding its whole list of {} items", job.size),
    };
    println!("{} workers × {} items, {held}", job.workers, job.size);
    if args.shared_list {
        println!("(threads push into one Mutex<Vec<f64>>, one lock per item)");
    }

    // ANCHOR: listing
    let mut rows: Vec<(Mode, Duration, JobReport)> = Vec::new();
    for &mode in &args.modes {
        let start_time = Instant::now();
        // The processes mode starts its children from this, the main thread.
        let result = match mode {
            Mode::Threads if args.shared_list => threads_with_one_shared_list(&job),
            _ => job.run(mode).map_err(|e| e.to_string()),
        };
        let elapsed = start_time.elapsed();
        let report = match result {
            Ok(r) => r,
            Err(e) => return fail(format!("{mode} mode failed: {e}")),
        };
        let label = if mode == Mode::Threads { "threading" } else { mode.name() };
        println!("{label} time= {:.6}", elapsed.as_secs_f64());
        rows.push((mode, elapsed, report));
    }
    // ANCHOR_END: listing

    println!();
    let serial = rows.iter().find(|(m, _, _)| *m == Mode::Serial).map(|(_, t, _)| t.as_secs_f64());
    println!("{:<10} {:>7} {:>10} {:>9}", "mode", "workers", "seconds", "speed-up");
    for (mode, elapsed, _) in &rows {
        let secs = elapsed.as_secs_f64();
        let speedup = serial.map_or("—".to_string(), |s| format!("{:.2}×", s / secs));
        println!("{mode:<10} {:>7} {secs:>10.3} {speedup:>9}", job.workers);
    }
    println!();

    for (mode, _, report) in &rows {
        println!(
            "mode = {mode} total_items = {} held = {} checksum = {}",
            report.total_items(),
            report.held,
            report.checksum
        );
    }
    let expected = job.workers * job.size;
    for (mode, _, report) in &rows {
        if report.total_items() != expected {
            return fail(format!("{mode}: expected {expected} items, got {}", report.total_items()));
        }
        if report.checksum != rows[0].2.checksum {
            return fail(format!("{mode}: checksum {} differs from the {} one", report.checksum, rows[0].0));
        }
    }
    Status::Success.into()
}

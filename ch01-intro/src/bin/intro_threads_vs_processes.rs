//! # Threads versus processes: one job, four ways to run it
//!
//! **Book:** 2nd edition, Chapter 1 *Getting Started with Parallel Computing and
//! Python* (「第一章 并行计算入门和Python」), file `Chapter01/thread_and_processes.py`
//! (「线程与进程的比较」), which puts the three tests `intro_serial_test`,
//! `intro_multithreading_test` and `intro_multiprocessing_test` side by side. The
//! 1st edition has no such recipe. The root package's `do_something` benches
//! (`cargo bench`) measure the same thing with statistics.
//!
//! **Run:** `cargo run --release --bin intro_threads_vs_processes` (or
//! `cookbook run intro_threads_vs_processes`). Try `--shared-list` too.
//!
//! ## What it shows
//!
//! The same job, `--workers` (10) lists of `--size` (10 000 000) random numbers
//! built by `do_something`, runs four times:
//!
//! 1. **serial**: one list after the other in the main thread;
//! 2. **threads**: one `std::thread` per list;
//! 3. **processes**: one child process per list (this binary run again in role
//!    `worker`);
//! 4. **rayon**: a pool of `--workers` threads running the lists as parallel
//!    tasks (the book has no such row).
//!
//! A table gives each mode's time and its speed-up over the serial run. In Python
//! the GIL lets only one thread run Python code at a time, so the book's threads
//! row is no faster than the serial one and only processes gain. Rust has no GIL:
//! threads, processes and rayon can all use every core. How much they gain is
//! capped by the free cores and, for this job, by the kernel: Rust does so little
//! per number that much of the time goes to the kernel handing out fresh memory
//! pages, and workers asking for pages at once slow each other down. Processes
//! also pay for their start-up, small next to ten million items but visible with
//! a small `--size`.
//!
//! Every worker `i` draws from its own generator, `rng::for_worker(seed, i)`, so
//! the four modes build exactly the same numbers; the recipe checks that their
//! checksums are equal, bit for bit, and fails otherwise.
//!
//! ## One shared list: `--shared-list`
//!
//! The book's threads all append to one global `out_list`, which grows to a
//! hundred million items. Python's list is protected by the GIL. In Rust, threads
//! cannot share a `Vec` they could all change; it has to be put in an
//! `Arc<Mutex<Vec<f64>>>`, and every `push` takes the lock. `--shared-list` runs
//! the threads row that way, to show what a lock taken a hundred million times,
//! by ten threads fighting over it, costs. The default gives each thread its own
//! vector, which needs no lock at all. (Processes cannot share the list in either
//! language: each child appends to its own copy, and the parent's list stays
//! empty; see `intro_multiprocessing_test`.)
//!
//! ## Python → Rust
//!
//! - `threading.Thread(...)`, `multiprocessing.Process(...)` → `std::thread` and
//!   child processes (the current binary, run again), through the chapter's
//!   `work::run_job(mode, workers, size, seed)`; the lesson of each mode is
//!   spelled out in its own recipe.
//! - The 2nd edition's `Thread(target=do_something(size, out_list))` slip (the call
//!   runs in the main thread) cannot be written in Rust: see
//!   `intro_multithreading_test`. Here every mode does its work for real.
//! - The `if __name__ == "__main__":` guard → `child::role()`, checked first in
//!   `main`.
//!
//! ## Memory
//!
//! With the defaults each parallel mode holds ten lists of 80 MB at once (800 MB),
//! more while the vectors grow; `--shared-list` holds one list of 800 MB. The
//! serial mode holds one list at a time. Lists are measured (length and checksum)
//! and dropped by the worker that built them.
//!
//! ## Output
//!
//! The book's `threading time=` and `processes time=` lines, with `serial time=`
//! and `rayon time=` beside them; the table; then one fact line per mode,
//! `mode = <m> total_items = <n> checksum = <x>`. The times are for reading, not
//! for testing: they change from run to run.

use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use ch01_intro::work::{self, JobReport, ListSummary, Mode};
use clap::Parser;
use cookbook_support::child;
use cookbook_support::rng::{self, Rng};

/// Run the 2nd edition's `do_something` job serially, in threads, in processes and
/// on a rayon pool, and compare the times (Chapter01/thread_and_processes.py).
#[derive(Parser)]
#[command(name = "intro_threads_vs_processes")]
struct Args {
    /// Items per list (the book's `size`).
    #[arg(long, default_value_t = 10_000_000, value_parser = cookbook_support::positive_usize)]
    size: usize,

    /// Lists, and threads or processes, per mode (the book's NUM_WORKERS).
    #[arg(long, default_value_t = 10, value_parser = cookbook_support::positive_usize)]
    workers: usize,

    /// In the threads mode, push every item into one list shared by all threads,
    /// behind a mutex, as the book's global `out_list`.
    #[arg(long)]
    shared_list: bool,

    #[command(flatten)]
    common: cookbook_support::Common,
}

/// The book's threads: every thread appends to one list. The list sits in an
/// `Arc<Mutex<…>>`, and every item takes the lock. Each thread also measures what
/// it pushed, so the checksum is added in the same order as in the other modes.
/// Returns the usual report and the length of the shared list.
fn threads_with_one_shared_list(workers: usize, size: usize, seed: u64) -> Result<(JobReport, usize), String> {
    let out_list: Arc<Mutex<Vec<f64>>> = Arc::new(Mutex::new(Vec::new()));
    let mut jobs = Vec::with_capacity(workers);
    for i in 0..workers {
        let out_list = Arc::clone(&out_list);
        jobs.push(thread::spawn(move || {
            let mut rng = rng::for_worker(seed, i as u64);
            let mut mine = ListSummary { len: 0, checksum: 0.0 };
            for _ in 0..size {
                let x: f64 = rng.random();
                // Lock, push one item, unlock (the guard dies at the end of the line).
                out_list.lock().unwrap_or_else(PoisonError::into_inner).push(x);
                mine.len += 1;
                mine.checksum += x;
            }
            mine
        }));
    }
    let mut summaries = Vec::with_capacity(workers);
    for (i, j) in jobs.into_iter().enumerate() {
        summaries.push(j.join().map_err(|_| format!("thread {i} panicked"))?);
    }
    let shared_len = out_list.lock().unwrap_or_else(PoisonError::into_inner).len();
    Ok((JobReport::from_summaries(summaries), shared_len))
}

fn main() -> ExitCode {
    // A child started by the processes mode builds one list and reports it.
    if let Some(role) = child::role() {
        std::process::exit(work::worker_main(&role));
    }

    let args = Args::parse();
    let seed = args.common.seed();
    let (workers, size) = (args.workers, args.size);
    println!("{workers} workers × {size} items, in four modes");
    if args.shared_list {
        println!("(threads push into one Arc<Mutex<Vec<f64>>>, one lock per item)");
    }

    let mut rows: Vec<(Mode, Duration, JobReport)> = Vec::new();
    let mut shared_len = None;
    for mode in Mode::ALL {
        let start_time = Instant::now();
        let result = if mode == Mode::Threads && args.shared_list {
            threads_with_one_shared_list(workers, size, seed).map(|(report, len)| {
                shared_len = Some(len);
                report
            })
        } else {
            work::run_job(mode, workers, size, seed).map_err(|e| e.to_string())
        };
        let elapsed = start_time.elapsed();
        let report = match result {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{mode} mode failed: {e}");
                return ExitCode::FAILURE;
            }
        };
        let label = match mode {
            Mode::Threads => "threading",
            other => other.name(),
        };
        println!("{label} time= {:.6}", elapsed.as_secs_f64());
        rows.push((mode, elapsed, report));
    }

    println!();
    println!("{:<10} {:>7} {:>10} {:>9}", "mode", "workers", "seconds", "speed-up");
    let serial_secs = rows[0].1.as_secs_f64();
    for (mode, elapsed, _) in &rows {
        let secs = elapsed.as_secs_f64();
        println!("{mode:<10} {workers:>7} {secs:>10.3} {:>8.2}×", serial_secs / secs);
    }
    println!();

    let mut ok = true;
    let serial_checksum = rows[0].2.checksum;
    for (mode, _, report) in &rows {
        println!("mode = {mode} total_items = {} checksum = {}", report.total_items(), report.checksum);
        if report.total_items() != workers * size {
            eprintln!("{mode}: expected {} items, got {}", workers * size, report.total_items());
            ok = false;
        }
        if report.checksum != serial_checksum {
            eprintln!("{mode}: checksum {} differs from the serial one, {serial_checksum}", report.checksum);
            ok = false;
        }
    }
    if let Some(len) = shared_len {
        println!("shared_list_len = {len}");
        if len != workers * size {
            eprintln!("the shared list holds {len} items, not {}", workers * size);
            ok = false;
        }
    }
    if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

//! # The multithreading test: the same ten jobs in ten threads
//!
//! **Book:** 2nd edition, Chapter 1 *Getting Started with Parallel Computing and
//! Python* (「第一章 并行计算入门和Python」), file `Chapter01/multithreading_test.py`
//! (「多线程测试」, this cookbook's own title). The 1st edition has no such recipe.
//!
//! **Run:** `cargo run --release --bin intro_multithreading_test` (or
//! `cookbook run intro_multithreading_test`); `--python-slip` runs the book's
//! listing as it is written, `--keep-lists` builds each list whole.
//!
//! The serial test's ten jobs, each in a thread of its own, joined and timed as a
//! whole. Rust has no GIL, so the threads share the cores. The book's listing
//! slips: `Thread(target=do_something(size, out_list))` runs the work in the main
//! thread; in Rust that line does not compile, and `--python-slip` reproduces
//! what it does on purpose.

use std::process::ExitCode;
use std::thread::{self, ThreadId};
use std::time::Instant;

use ch01_intro::work::{Job, JobReport, ListSummary, Lists, MAX_SIZE};
use clap::Parser;
use cookbook_support::{Seed, Status, Trace, count, fail};

/// Run the 2nd edition's `do_something` job in several threads at once and time
/// it (Chapter01/multithreading_test.py).
#[derive(Parser)]
#[command(name = "intro_multithreading_test")]
struct Args {
    /// Items per list, the book's `size` [1–100000000].
    #[arg(long, default_value_t = 10_000_000, value_parser = count(1, MAX_SIZE))]
    size: usize,

    /// How many threads, one list each, the book's 10 [1–1000].
    #[arg(long, default_value_t = 10, value_parser = count(1, 1000))]
    threads: usize,

    /// Do what the book's `Thread(target=do_something(size, out_list))` does: the
    /// work in the main thread, then threads that do nothing.
    #[arg(long)]
    python_slip: bool,

    /// Build each list whole, as the book does, instead of a chunk at a time.
    #[arg(long)]
    keep_lists: bool,

    #[command(flatten)]
    seed: Seed,

    #[command(flatten)]
    trace: Trace,
}

/// What each list was, and which thread built it.
type Built = Vec<(ListSummary, ThreadId)>;

// ANCHOR: listing
/// What the book meant, `Thread(target=do_something, args=(size, out_list))`: the
/// call happens inside each thread.
fn threads_as_meant(job: &Job) -> Result<Built, String> {
    let job = *job;
    let mut jobs = Vec::with_capacity(job.workers);
    let mut error = None;
    for i in 0..job.workers {
        // Python: jobs.append(Thread(...)), then j.start(). A closure, so the work
        // runs in the new thread; its result comes back through the JoinHandle.
        let spawned = thread::Builder::new().spawn(move || (job.worker(i), thread::current().id()));
        match spawned {
            Ok(handle) => jobs.push(handle),
            Err(e) => {
                error = Some(format!("cannot start thread {i}: {e}"));
                break; // start no more, but still join those already running
            }
        }
    }
    let mut built = Vec::with_capacity(jobs.len());
    for (i, j) in jobs.into_iter().enumerate() {
        // Python: j.join(). Rust's join() hands back what the closure returned.
        match j.join() {
            Ok(list) => built.push(list),
            Err(_) => {
                error.get_or_insert(format!("thread {i} panicked"));
            }
        }
    }
    error.map_or(Ok(built), Err)
}

/// What the book's listing does: `do_something(size, out_list)` is called right
/// there, in the main thread, and the thread gets its result, `None`, as target.
fn python_slip(job: &Job) -> Result<Built, String> {
    let mut built = Vec::with_capacity(job.workers);
    let mut jobs = Vec::with_capacity(job.workers);
    for i in 0..job.workers {
        // The call runs here, in the main thread, before the thread exists…
        built.push((job.worker(i), thread::current().id()));
        // …and the thread is given nothing to do.
        let spawned = thread::Builder::new().spawn(|| {});
        jobs.push(spawned.map_err(|e| format!("cannot start thread {i}: {e}"))?);
    }
    for j in jobs {
        j.join().map_err(|_| "an (empty) thread panicked".to_string())?;
    }
    Ok(built)
}
// ANCHOR_END: listing

fn main() -> ExitCode {
    let args = Args::parse();
    let _session = args.trace.start();
    let lists = if args.keep_lists { Lists::Kept } else { Lists::Chunked };
    let job = Job::from_flags::<Args>(args.threads, args.size, lists, &args.seed);
    let run = if args.python_slip { python_slip } else { threads_as_meant };

    let start_time = Instant::now();
    let built = match run(&job) {
        Ok(built) => built,
        Err(why) => return fail(why),
    };
    let elapsed = start_time.elapsed();

    println!("List processing complete.");
    println!("multithreading time= {:.6}", elapsed.as_secs_f64());

    let main_thread = thread::current().id();
    let in_main = built.iter().filter(|(_, by)| *by == main_thread).count();
    let report = JobReport::from_summaries(built.iter().map(|(s, _)| *s));
    println!("threads = {}", report.lists());
    println!("total_items = {}", report.total_items());
    println!("held_per_list = {}", report.held);
    println!("checksum = {}", report.checksum);
    let place = match in_main {
        0 => "threads",
        n if n == built.len() => "main",
        _ => "both",
    };
    println!("work_done_in = {place}");
    if report.total_items() != job.workers * job.size {
        return fail(format!("expected {} items in all, got {}", job.workers * job.size, report.total_items()));
    }
    Status::Success.into()
}

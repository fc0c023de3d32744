//! # concurrent.futures: a thread pool and a process pool
//!
//! **Book:** 1st edition §4.2 *Using the concurrent.futures Python modules*
//! (「4.2 使用Python的 concurrent.futures 模块」; printed edition「使用 Python 的
//! concurrent.futures 模块」). 2nd edition `Chapter05/concurrent_futures_pooling.py`
//! (第5章 异步编程).
//!
//! **Run:** `cargo run --release --bin futures_pools` (or `cookbook run 4.2`);
//! `--iterations 1000000` for a quicker run.
//!
//! The same ten pieces of busy work three ways: one after another, on a pool of
//! five threads, on a pool of five processes; each pool prints its results as
//! they complete. The last lines put the three times beside the book's.

use std::process::ExitCode;
use std::time::Instant;

use ch04_async::pools::{self, MAX_ITERATIONS, ProcessPool, count};
use clap::Parser;
use cookbook_support::{Status, Trace, child, fail};

/// Busy work in sequence, on a thread pool and on a process pool (1st edition
/// §4.2, 2nd edition concurrent_futures_pooling.py).
#[derive(Parser)]
#[command(name = "futures_pools")]
struct Args {
    /// Increments in each piece of work [1–1000000000] (the book: 10000000).
    #[arg(long, default_value_t = 10_000_000, value_parser = clap::value_parser!(u64).range(1..=MAX_ITERATIONS))]
    iterations: u64,

    /// The numbers 1..=N to work on [1–1000] (the book: 10).
    #[arg(long, default_value_t = 10, value_parser = cookbook_support::count(1, 1000))]
    numbers: usize,

    /// Workers of each pool [1–64] (the book: max_workers=5).
    #[arg(long, default_value_t = 5, value_parser = cookbook_support::count(1, 64))]
    workers: usize,

    #[command(flatten)]
    trace: Trace,
}

/// The 1st edition's printed times, in seconds (CPython 3, 2015).
const BOOK_SECONDS: [(&str, f64); 3] = [("sequential", 7.94), ("thread pool", 7.63), ("process pool", 4.79)];

/// One phase's results, sorted, and its time: `phase = P results = A,B,… seconds = S`.
fn report(phase: &str, mut results: Vec<u64>, seconds: f64) {
    results.sort_unstable();
    let list: Vec<String> = results.iter().map(u64::to_string).collect();
    println!("phase = {phase} results = {} seconds = {seconds:.3}", list.join(","));
}

// ANCHOR: listing
fn main() -> ExitCode {
    // A process-pool worker is this program started again: it must take its
    // role before anything else (Python's `if __name__ == "__main__":`).
    if let Some(role) = child::role() {
        return match role.name.as_str() {
            pools::WORKER_ROLE => pools::worker_main(&role),
            other => fail(format!("unknown child role `{other}`")),
        };
    }
    let args = Args::parse();
    let _session = args.trace.start();
    let number_list: Vec<u64> = (1..=args.numbers as u64).collect();
    let mut times = Vec::new();

    // Sequential execution
    let start = Instant::now();
    let mut results = Vec::new();
    for &item in &number_list {
        let result = count(item, args.iterations);
        println!("{result}");
        results.push(result);
    }
    let seconds = start.elapsed().as_secs_f64();
    println!("Sequential execution in {seconds} seconds");
    report("sequential", results, seconds);
    times.push(seconds);

    // Thread pool execution: `with ThreadPoolExecutor(max_workers=5) as executor:`
    let start = Instant::now();
    let mut results = Vec::new();
    let pooled = pools::thread_pool(args.workers, &number_list, args.iterations, |_, result| {
        println!("{result}"); // as_completed: in the order they finish
        results.push(result);
    });
    if let Err(why) = pooled {
        return fail(why);
    }
    let seconds = start.elapsed().as_secs_f64();
    println!("Thread pool execution in {seconds} seconds");
    report("threads", results, seconds);
    times.push(seconds);

    // Process pool execution: `with ProcessPoolExecutor(max_workers=5) as executor:`
    let start = Instant::now();
    let mut results = Vec::new();
    let pooled = ProcessPool::start(args.workers, args.iterations).and_then(|pool| {
        pool.map_as_completed(&number_list, |_, result| {
            println!("{result}");
            results.push(result);
        })
    });
    let worker_pids = match pooled {
        Ok(pids) => pids,
        Err(why) => return fail(why),
    };
    let seconds = start.elapsed().as_secs_f64();
    println!("Process pool execution in {seconds} seconds");
    report("processes", results, seconds);
    times.push(seconds);
    // ANCHOR_END: listing

    // The work really ran in other processes: their ids are not this one's.
    let pids: Vec<String> = worker_pids.iter().map(u32::to_string).collect();
    println!("pid = {}", std::process::id());
    println!("worker_pids = {}", pids.join(","));

    compare(&times);
    Status::Success.into()
}

/// This run's times beside the book's, each as a speed-up over its own
/// sequential run.
fn compare(times: &[f64]) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!();
    println!("{:<14}{:>22}{:>30}", "", "this run", "the book (1st edition §4.2)");
    for (&(name, book), &ours) in BOOK_SECONDS.iter().zip(times) {
        let speedup = if ours > 0.0 { times[0] / ours } else { f64::NAN };
        println!("{name:<14}{ours:>12.3} s {speedup:>6.2}×{book:>20.2} s {:>6.2}×", BOOK_SECONDS[0].1 / book);
    }
    println!("cores = {cores}");
    println!(
        "In CPython only one thread runs Python code at a time (the GIL), so the book's thread pool is no \
         faster than its loop. Rust threads run on every core at once: on a machine with cores to spare, the \
         thread pool gains what the process pool gains, without starting processes or piping the work."
    );
}

//! # The lab's measured run: Amdahl's prediction beside the measured speed-up
//!
//! Given with the lab of chapter 1 ("Amdahl, measured"), not an exercise: it calls
//! the three functions you write in `ch01-parallel`, `ch01-fraction` and
//! `ch01-amdahl`, so it panics with "not yet implemented" until they are done.
//!
//! **Run:** `cargo run -p lab-ch01 --bin lab_amdahl` (add `--release` for a
//! faster job, and `-- --help` for the flags).
//!
//! It runs one [`Job`] on 1, 2 … `--max-threads` threads and keeps, for each
//! count, the fastest of `--repeats` runs. The one-thread run gives the serial
//! fraction `f` (`serial_fraction`); then each line sets the measured speed-up
//! `T1 / Tp` beside Amdahl's prediction for that `f`, and the serial fraction that
//! the measured speed-up implies. The result of the job is the same on every
//! line, or the program fails.
//!
//! Timings vary from run to run. On a machine with few cores the measured speed-up
//! stops growing at the number of cores, and it stays below the prediction:
//! starting threads and waiting for the slowest block cost time too, and the
//! implied serial fraction grows accordingly.

use std::process::ExitCode;

use clap::Parser;
use cookbook_support::{Status, count, fail};
use lab_ch01::amdahl::{implied_serial_fraction, measured_speedup, predicted_speedup};
use lab_ch01::fraction::{Measured, measure, serial_fraction};
use lab_ch01::workload::Job;

/// Measure a job's serial fraction, and its speed-up on 1, 2 … threads beside
/// Amdahl's prediction (the lab of chapter 1).
#[derive(Parser)]
#[command(name = "lab_amdahl")]
struct Args {
    /// Units of the serial phase [0–100000000].
    #[arg(long, default_value_t = 40_000, value_parser = count(0, 100_000_000))]
    serial_units: usize,

    /// Units of the parallel phase [1–100000000].
    #[arg(long, default_value_t = 400_000, value_parser = count(1, 100_000_000))]
    parallel_units: usize,

    /// The most threads to measure, from 1 up [1–256] (default: the number of CPUs).
    #[arg(long, value_parser = count(1, 256))]
    max_threads: Option<usize>,

    /// Runs per thread count; the fastest is kept [1–100].
    #[arg(long, default_value_t = 3, value_parser = count(1, 100))]
    repeats: usize,
}

/// The fastest of `repeats` runs on `threads` threads (by total time).
fn best_of(job: &Job, threads: usize, repeats: usize) -> Measured {
    (0..repeats)
        .map(|_| measure(job, threads))
        .min_by_key(|m| m.phases.serial + m.phases.parallel)
        .expect("at least one run")
}

fn main() -> ExitCode {
    let args = Args::parse();
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let max_threads = args.max_threads.unwrap_or(cpus);
    let job = Job { serial: args.serial_units as u64, parallel: args.parallel_units as u64 };

    println!("job: {} serial units, then {} parallel units; {cpus} CPUs", job.serial, job.parallel);
    let one = best_of(&job, 1, args.repeats);
    let t1 = one.phases.serial + one.phases.parallel;
    println!(
        "one thread: serial phase {:.4} s, parallel phase {:.4} s",
        one.phases.serial.as_secs_f64(),
        one.phases.parallel.as_secs_f64()
    );
    let Some(f) = serial_fraction(one.phases) else {
        return fail("the one-thread run took no time at all: give it more --parallel-units");
    };
    println!("serial_fraction = {f:.6}");
    println!();

    let mut results = Vec::new();
    for threads in 1..=max_threads {
        let run = if threads == 1 { one } else { best_of(&job, threads, args.repeats) };
        let tp = run.phases.serial + run.phases.parallel;
        let measured = measured_speedup(t1, tp);
        let implied = implied_serial_fraction(measured, threads).map_or("-".to_string(), |e| format!("{e:.6}"));
        println!(
            "threads = {threads} time_s = {:.4} measured = {measured:.6} predicted = {:.6} implied_f = {implied} result = {}",
            tp.as_secs_f64(),
            predicted_speedup(f, threads),
            run.result,
        );
        results.push(run.result);
    }
    results.dedup();
    if results.len() != 1 {
        return fail(format!("the job's result changed with the number of threads: {results:?}"));
    }
    println!();
    println!("result = {}", results[0]);
    Status::Success.into()
}

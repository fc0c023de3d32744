//! # Speed-up, efficiency, and the laws of Amdahl and Gustafson
//!
//! **Book:** 1st edition §1.6 *How to evaluate the performance of a parallel
//! program* (「1.6 如何评估并行程序的性能」; printed edition「如何评估并行程序的性能」),
//! a theory section with no listing: this recipe is the cookbook's own. The 2nd
//! edition has no such section.
//!
//! **Run:** `cargo run --release --bin intro_amdahl` (or `cookbook run 1.6`); try
//! `--serial-fraction 0.5`.
//!
//! Amdahl's law bounds the speed-up of a program with a serial part; Gustafson's
//! law describes a problem that grows with the machine. The recipe prints both
//! (from the chapter library, `ch01_intro::theory`), then measures a job built to
//! have exactly that serial fraction on rayon pools of 1, 2, 4 … threads.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use ch01_intro::theory::{amdahl_limit, amdahl_speedup, efficiency, gustafson_speedup};
use clap::Parser;
use cookbook_support::{Status, Trace, count, fail};
use rayon::prelude::*;

/// Print Amdahl's and Gustafson's laws for a serial fraction, and measure a job with
/// that serial fraction on 1, 2, 4 … threads (1st edition §1.6).
#[derive(Parser)]
#[command(name = "intro_amdahl")]
struct Args {
    /// The serial fraction f of the program [0–1].
    #[arg(long, default_value_t = 0.1, value_parser = fraction)]
    serial_fraction: f64,

    /// Units of work in the measured job (one unit is a few hundred microseconds
    /// in a debug build) [1–100000].
    #[arg(long, default_value_t = 2000, value_parser = count(1, 100_000))]
    work: usize,

    /// The largest pool to measure: p = 1, 2, 4 … up to this (default: the number
    /// of CPUs) [1–256].
    #[arg(long, value_parser = count(1, 256))]
    max_workers: Option<usize>,

    /// Time each pool size this many times and keep the fastest run [1–100].
    #[arg(long, default_value_t = 3, value_parser = count(1, 100))]
    repeats: usize,

    #[command(flatten)]
    trace: Trace,
}

/// clap value parser: a number between 0 and 1.
fn fraction(s: &str) -> Result<f64, String> {
    let v = cookbook_support::args::non_negative_f64(s)?;
    if v <= 1.0 { Ok(v) } else { Err(format!("`{s}` must be between 0 and 1")) }
}

/// Round to six decimals, so that 1 / 0.1 prints as 10.
fn six(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

// ANCHOR: listing
/// One unit of work: a chain of multiply-xor-shift steps, each depending on the one
/// before. `black_box` hides the value from the optimiser, so the loop really runs.
fn unit(index: u64) -> u64 {
    let mut x = index;
    for _ in 0..10_000 {
        x = black_box(x).wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        x ^= x >> 29;
    }
    x
}

/// Run the job once on a pool of `p` threads: units `0..serial` on this thread,
/// units `serial..work` shared out over the pool. Returns the time taken and the
/// job's result (the wrapping sum of every unit's value).
fn run_job(pool: &rayon::ThreadPool, serial: u64, work: u64) -> (Duration, u64) {
    let start = Instant::now();
    // The serial part: one thread, however many the pool has.
    let serial_sum = {
        let _serial = tracing::info_span!("run", worker = 0).entered();
        (0..serial).map(unit).fold(0_u64, u64::wrapping_add)
    };
    // The parallel part: rayon shares the units out over the pool's threads.
    let parallel_sum = pool.install(|| (serial..work).into_par_iter().map(unit).reduce(|| 0, u64::wrapping_add));
    let elapsed = start.elapsed();
    (elapsed, serial_sum.wrapping_add(parallel_sum))
}
// ANCHOR_END: listing

fn main() -> ExitCode {
    let args = Args::parse();
    let _session = args.trace.start();
    let f = args.serial_fraction;

    // 1. Theory.
    println!("Amdahl's and Gustafson's laws for a serial fraction f = {f}");
    println!();
    for p in [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, f64::INFINITY] {
        let s = amdahl_speedup(f, p);
        println!(
            "p = {:<4} amdahl = {:<10.6} efficiency = {:.6}  gustafson = {:.6}",
            p,
            s,
            efficiency(s, p),
            gustafson_speedup(f, p),
        );
    }
    println!();
    println!("Amdahl's limit, with as many workers as you like: 1 / f");
    println!("amdahl_limit = {}", six(amdahl_limit(f)));
    if f == 0.1 {
        println!("(the Chinese translation of §1.6 says 9 here; 1 / 0.1 = 10)");
    }

    // 2. Measurement: the same job on pools of 1, 2, 4 … threads.
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let max_workers = args.max_workers.unwrap_or(cpus);
    let mut sizes: Vec<usize> =
        std::iter::successors(Some(1_usize), |p| p.checked_mul(2)).take_while(|&p| p <= max_workers).collect();
    if sizes.last() != Some(&max_workers) {
        sizes.push(max_workers);
    }

    let work = args.work as u64;
    let serial = (f * work as f64).round() as u64;
    println!();
    println!("Measured: {work} units of work, {serial} on one thread and {} shared out over p threads;", work - serial);
    let runs = match args.repeats {
        1 => "one run".to_string(),
        n => format!("best of {n} runs"),
    };
    println!("{runs} for each p, on a machine with {cpus} CPUs");
    println!();

    let mut t1 = None;
    let mut checksums = Vec::new();
    for &p in &sizes {
        let pool = match rayon::ThreadPoolBuilder::new().num_threads(p).build() {
            Ok(pool) => pool,
            Err(e) => return fail(format!("cannot build a pool of {p} threads: {e}")),
        };
        let mut best = Duration::MAX;
        for _ in 0..args.repeats {
            let (elapsed, sum) = run_job(&pool, serial, work);
            best = best.min(elapsed);
            checksums.push(sum);
        }
        let tp = best.as_secs_f64().max(1e-9);
        let t1 = *t1.get_or_insert(tp);
        let speedup = t1 / tp;
        println!(
            "measured_p = {p:<3} time_s = {tp:.4}  speedup = {speedup:.3}  efficiency = {:.3}  predicted = {:.6}",
            efficiency(speedup, p as f64),
            amdahl_speedup(f, p as f64),
        );
        if p > cpus {
            println!("  (p = {p}: more threads than the {cpus} CPUs)");
        }
    }

    // Every run computed the same units: the result cannot depend on p.
    checksums.dedup();
    if checksums.len() != 1 {
        return fail(format!("the job's result changed with the number of threads: {checksums:?}"));
    }
    println!();
    println!("checksum = {}", checksums[0]);
    Status::Success.into()
}

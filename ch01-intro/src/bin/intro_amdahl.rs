//! # Speed-up, efficiency, and the laws of Amdahl and Gustafson
//!
//! **Book:** 1st edition §1.6 *How to evaluate the performance of a parallel
//! program* (「1.6 如何评估并行程序的性能」; printed edition「如何评估并行程序的性能」),
//! a theory section with no listing; *Mastering Concurrency in Python*, chapter 2
//! (Amdahl's law). The 2nd edition has no such section. [extra]
//!
//! **Run:** `cargo run --bin intro_amdahl` (or `cookbook run 1.6`). Try
//! `--serial-fraction 0.5`, or `--release` for a faster measured part.
//!
//! ## What it shows
//!
//! Part of almost every program must run on one worker: reading the input,
//! combining the results. Amdahl's law says what that costs. If the serial part takes
//! the fraction `f` of the time on one worker, `p` workers can at best bring the time
//! down to `f + (1 − f)/p` of it, so the speed-up is `S = 1 / (f + (1 − f)/p)`, and
//! no number of workers gets it past `1 / f`. Gustafson's law looks at it the other
//! way: give the bigger machine a bigger problem, so that each worker keeps a full
//! share; then only the fraction `f` of the *parallel* run is serial, and the scaled
//! speed-up `S = p − f (p − 1)` keeps growing.
//!
//! The recipe prints both laws for p = 1, 2, 4 … 64 and ∞ (the formulas are in the
//! chapter library, `ch01_intro::theory`), then **measures** a job built to have a
//! serial fraction of exactly `f`: `--work` units, of which the fraction `f` run on
//! one thread and the rest are shared out over a rayon pool of `p` threads. The
//! measured speed-up sits next to Amdahl's prediction.
//!
//! ## Book error fixed here
//!
//! The Chinese translation of §1.6 says that a program that is 90 % parallel can be
//! made at most 9 times faster. The formula gives `1 / 0.1 = 10`: the recipe prints
//! `amdahl_limit = 10`.
//!
//! ## Python → Rust
//!
//! - The book has no code here. In Python a measured version would need processes:
//!   the GIL lets only one thread run Python code at a time, so on CPython the
//!   "parallel" part of a pure-Python job barely speeds up at all. Rust threads run
//!   at once on all cores.
//! - Each measurement builds its own `rayon::ThreadPoolBuilder` pool with exactly
//!   `p` threads and runs the parallel part inside `pool.install`.
//! - The unit of work is a busy loop whose value goes through
//!   `std::hint::black_box`, so that the optimiser cannot drop or fold it away.
//!
//! ## Output
//!
//! One line per p, `p = 2  amdahl = 1.818182  efficiency = 0.909091
//! gustafson = 1.900000`, then `amdahl_limit = 10` (for the default f = 0.1), then one
//! line per measured pool size, `measured_p = 2  time_s = …  speedup = …
//! efficiency = …  predicted = 1.818182`, and `checksum = C`: the job's result, the
//! same for every p. On a machine with few cores the measured speed-up stops growing
//! at the number of cores; it stays below the prediction because starting threads and
//! sharing out work cost time too. Timings vary from run to run.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use ch01_intro::theory::{amdahl_limit, amdahl_speedup, efficiency, gustafson_speedup};
use clap::Parser;
use cookbook_support::positive_usize;
use rayon::prelude::*;

/// Print Amdahl's and Gustafson's laws for a serial fraction, and measure a job with
/// that serial fraction on 1, 2, 4 … threads (1st edition §1.6).
#[derive(Parser)]
#[command(name = "intro_amdahl")]
struct Args {
    /// The serial fraction f of the program, between 0 and 1.
    #[arg(long, default_value_t = 0.1, value_parser = fraction)]
    serial_fraction: f64,

    /// Units of work in the measured job (one unit is a few hundred microseconds
    /// in a debug build).
    #[arg(long, default_value_t = 2000, value_parser = positive_usize)]
    work: usize,

    /// The largest pool to measure: p = 1, 2, 4 … up to this (default: the number
    /// of CPUs).
    #[arg(long, value_parser = positive_usize)]
    max_workers: Option<usize>,

    /// Time each pool size this many times and keep the fastest run.
    #[arg(long, default_value_t = 3, value_parser = positive_usize)]
    repeats: usize,
}

/// clap value parser: a number between 0 and 1.
fn fraction(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if (0.0..=1.0).contains(&v) { Ok(v) } else { Err(format!("`{s}` must be between 0 and 1")) }
}

/// Round to six decimals, so that 1 / 0.1 prints as 10.
fn six(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

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
    let serial_sum = (0..serial).map(unit).fold(0_u64, u64::wrapping_add);
    // The parallel part: rayon shares the units out over the pool's threads.
    let parallel_sum = pool.install(|| (serial..work).into_par_iter().map(unit).reduce(|| 0, u64::wrapping_add));
    let elapsed = start.elapsed();
    (elapsed, serial_sum.wrapping_add(parallel_sum))
}

fn main() -> ExitCode {
    let args = Args::parse();
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
            Err(e) => {
                eprintln!("cannot build a pool of {p} threads: {e}");
                return ExitCode::FAILURE;
            }
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
            "measured_p = {p:<3} time_s = {tp:.4}  speedup = {speedup:.3}  efficiency = {:.3}  predicted = {:.6}{}",
            efficiency(speedup, p as f64),
            amdahl_speedup(f, p as f64),
            if p > cpus { "  (more threads than CPUs)" } else { "" },
        );
    }

    // Every run computed the same units: the result cannot depend on p.
    checksums.dedup();
    if checksums.len() != 1 {
        eprintln!("the job's result changed with the number of threads: {checksums:?}");
        return ExitCode::FAILURE;
    }
    println!();
    println!("checksum = {}", checksums[0]);
    ExitCode::SUCCESS
}

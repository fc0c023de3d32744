//! # Mapping tasks to workers: static blocks, a manager, work stealing
//!
//! **Book:** 1st edition §1.5 *How to design a parallel program*
//! (「1.5 如何设计一个并行程序」; printed edition「如何设计并行程序」), a theory section
//! with no listing. The 2nd edition has no such section. [extra]
//!
//! **Run:** `cargo run --bin intro_task_mapping` (or `cookbook run 1.5`). Try
//! `--workers 4`, `--heavy-every 100`, or a different `--seed`.
//!
//! ## What it shows
//!
//! §1.5 designs a parallel program in four steps: *decompose* the problem into
//! tasks, *assign* tasks to processes, *agglomerate* small tasks into bigger ones,
//! and *map* processes onto processors. Mapping is easy when every task costs the
//! same; when the costs differ, a fixed split leaves some workers idle while others
//! are still busy. The book names the dynamic schemes that fix this: a **manager**
//! that hands tasks to whichever worker is free, a hierarchy of managers, and
//! **decentralised** schemes where workers balance the load among themselves.
//!
//! The recipe makes `--tasks` tasks with uneven costs (seeded: most cost 1 unit, a
//! few cost 50, and these heavy ones are more frequent towards the end of the list)
//! and runs the same set three ways:
//!
//! 1. **static**: block mapping, decided before anything runs. Worker `w` gets the
//!    `w`-th contiguous block of tasks, on `std::thread::scope` threads;
//! 2. **manager**: a manager thread hands out one task at a time to whichever worker
//!    asks for one, over a `crossbeam_channel` with no buffer (a *rendezvous*
//!    channel: a send completes only when an idle worker takes the task);
//! 3. **rayon**: rayon's work stealing, the decentralised scheme: each worker keeps
//!    its own queue of work, and an idle worker steals from a busy one.
//!
//! For each it prints the total time, every worker's task count and busy time, and
//! the **imbalance**, the busiest worker's time over the mean (1.00 is perfect).
//!
//! ## Python → Rust
//!
//! - The book has no code here. In Python the same three schemes would be a list
//!   sliced over `multiprocessing.Process`es, a `Queue` read by a pool of workers,
//!   and `Pool.imap_unordered` with a small `chunksize`.
//! - `std::thread::scope` lets the static workers borrow the task list directly: the
//!   scope ends only after every thread has finished, so no `Arc` is needed.
//! - rayon *is* the decentralised scheme the book describes, built into the
//!   library: `par_iter()` splits the work in halves, and idle threads steal halves.
//!
//! ## Output
//!
//! For each strategy, a table of workers and the line
//! `strategy = <s> tasks_done = 1000 checksum = C`: every task ran exactly once (a
//! counter per task checks it, and the recipe exits 1 otherwise), and the checksum,
//! the sum of every task's result, is the same for the three strategies. The
//! imbalance of `static` is usually the highest; timings vary from run to run.

use std::process::ExitCode;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use clap::Parser;
use cookbook_support::rng::{Rng, seeded};
use cookbook_support::{Common, positive_usize};
use crossbeam_channel as channel;
use rayon::prelude::*;

/// Run the same set of uneven tasks with static block mapping, a manager handing out
/// tasks, and rayon's work stealing (1st edition §1.5).
#[derive(Parser)]
#[command(name = "intro_task_mapping")]
struct Args {
    /// Number of tasks.
    #[arg(long, default_value_t = 1000, value_parser = positive_usize)]
    tasks: usize,

    /// Number of worker threads (default: the number of CPUs).
    #[arg(long, value_parser = positive_usize)]
    workers: Option<usize>,

    /// On average one task in this many is heavy (50 times the cost of the others).
    #[arg(long, default_value_t = 50, value_parser = positive_usize)]
    heavy_every: usize,

    /// Units of work in one light task (one unit is a few microseconds in a debug
    /// build).
    #[arg(long, default_value_t = 20, value_parser = positive_usize)]
    unit_cost: usize,

    #[command(flatten)]
    common: Common,
}

/// A task: its number and how many units of work it costs.
#[derive(Clone, Copy)]
struct Task {
    id: usize,
    cost: u32,
}

/// Cost of a heavy task, in light tasks.
const HEAVY: u32 = 50;

/// Do a task's work and return its result. The result depends only on the task,
/// never on which worker ran it, so every strategy gets the same checksum.
fn execute(task: Task, unit_cost: usize) -> u64 {
    let mut x = task.id as u64 + 1;
    for _ in 0..task.cost as usize * unit_cost * 100 {
        x = std::hint::black_box(x).wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        x ^= x >> 29;
    }
    x
}

/// What every strategy records: how often each task ran, and each worker's load.
struct Tally {
    runs: Vec<AtomicU32>,
    worker_tasks: Vec<AtomicU64>,
    worker_busy_ns: Vec<AtomicU64>,
    checksum: AtomicU64,
    unit_cost: usize,
}

impl Tally {
    fn new(tasks: usize, workers: usize, unit_cost: usize) -> Self {
        let zeros = |n| (0..n).map(|_| AtomicU64::new(0)).collect::<Vec<_>>();
        Tally {
            runs: (0..tasks).map(|_| AtomicU32::new(0)).collect(),
            worker_tasks: zeros(workers),
            worker_busy_ns: zeros(workers),
            checksum: AtomicU64::new(0),
            unit_cost,
        }
    }

    /// Run `task` on worker `w`, and count it.
    fn run(&self, w: usize, task: Task) {
        let start = Instant::now();
        let value = execute(task, self.unit_cost);
        let busy = start.elapsed().as_nanos() as u64;
        self.runs[task.id].fetch_add(1, Ordering::Relaxed);
        self.worker_tasks[w].fetch_add(1, Ordering::Relaxed);
        self.worker_busy_ns[w].fetch_add(busy, Ordering::Relaxed);
        self.checksum.fetch_add(value, Ordering::Relaxed); // wraps around
    }
}

// (a) Static block mapping: worker w gets tasks [w·chunk, (w+1)·chunk).
fn static_blocks(tasks: &[Task], workers: usize, tally: &Tally) {
    let chunk = tasks.len().div_ceil(workers);
    thread::scope(|s| {
        for (w, block) in tasks.chunks(chunk).enumerate() {
            s.spawn(move || {
                for &task in block {
                    tally.run(w, task);
                }
            });
        }
    });
}

// (b) Manager/worker: the manager sends one task at a time; with a zero-capacity
//     channel each send waits until some worker is idle and receives it.
fn manager(tasks: &[Task], workers: usize, tally: &Tally) {
    let (to_workers, from_manager) = channel::bounded::<Task>(0);
    thread::scope(|s| {
        for w in 0..workers {
            let from_manager = from_manager.clone();
            s.spawn(move || {
                // The loop ends when the manager drops its sender: no more tasks.
                for task in from_manager {
                    tally.run(w, task);
                }
            });
        }
        // Only the workers hold receivers now: if they all stopped, a send would fail
        // instead of waiting for ever.
        drop(from_manager);
        s.spawn(move || {
            for &task in tasks {
                if to_workers.send(task).is_err() {
                    break; // every worker is gone (cannot happen unless one panicked)
                }
            }
            // `to_workers` is dropped here: the workers' loops end.
        });
    });
}

// (c) rayon: a pool of `workers` threads; `par_iter` splits the tasks and idle
//     threads steal work from busy ones.
fn work_stealing(tasks: &[Task], workers: usize, tally: &Tally) -> Result<(), String> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .map_err(|e| format!("cannot build a rayon pool: {e}"))?;
    pool.install(|| {
        tasks.par_iter().for_each(|&task| {
            let w = rayon::current_thread_index().expect("inside the pool");
            tally.run(w, task);
        })
    });
    Ok(())
}

/// Print one strategy's report; `Err` when a task did not run exactly once.
fn report(name: &str, elapsed: Duration, tally: &Tally) -> Result<u64, String> {
    println!("  worker  tasks  busy_s");
    let busy: Vec<f64> = tally.worker_busy_ns.iter().map(|b| b.load(Ordering::Relaxed) as f64 / 1e9).collect();
    for (w, b) in busy.iter().enumerate() {
        println!("  {w:>6}  {:>5}  {b:.4}", tally.worker_tasks[w].load(Ordering::Relaxed));
    }
    let mean = busy.iter().sum::<f64>() / busy.len() as f64;
    let max = busy.iter().cloned().fold(0.0, f64::max);
    println!(
        "  total {:.4} s, imbalance (max/mean busy) = {:.2}",
        elapsed.as_secs_f64(),
        if mean > 0.0 { max / mean } else { 1.0 }
    );

    let counts: Vec<u32> = tally.runs.iter().map(|c| c.load(Ordering::Relaxed)).collect();
    let done: u64 = counts.iter().map(|&c| c as u64).sum();
    let checksum = tally.checksum.load(Ordering::Relaxed);
    println!("strategy = {name} tasks_done = {done} checksum = {checksum}");
    if let Some((id, &c)) = counts.iter().enumerate().find(|&(_, &c)| c != 1) {
        return Err(format!("strategy {name}: task {id} ran {c} times instead of once"));
    }
    Ok(checksum)
}

fn main() -> ExitCode {
    let args = Args::parse();
    let workers = args.workers.unwrap_or_else(|| thread::available_parallelism().map_or(1, |n| n.get()));
    let seed = args.common.seed();

    // Decomposition: the tasks and their costs. One task in `heavy_every` is heavy
    // on average, but the heavy ones gather towards the end of the list, as in many
    // real problems (the long rows of a triangular matrix, the last and busiest
    // frames of an animation): the chance of being heavy grows along the list.
    let mut rng = seeded(seed);
    let n = args.tasks as f64;
    let tasks: Vec<Task> = (0..args.tasks)
        .map(|id| {
            let chance = 2.0 * (id as f64 + 0.5) / n / args.heavy_every as f64;
            let heavy = rng.random_bool(chance.min(1.0));
            Task { id, cost: if heavy { HEAVY } else { 1 } }
        })
        .collect();
    let heavy = tasks.iter().filter(|t| t.cost == HEAVY).count();
    let total_cost: u64 = tasks.iter().map(|t| t.cost as u64).sum();
    println!(
        "{} tasks ({heavy} heavy, {HEAVY}× the others), {total_cost} units of work, {workers} workers",
        tasks.len()
    );

    let strategies = [
        ("static", "(a) static block mapping on std::thread::scope"),
        ("manager", "(b) a manager hands out one task at a time over crossbeam_channel"),
        ("rayon", "(c) rayon's work stealing"),
    ];
    let mut checksums = Vec::new();
    for (name, title) in strategies {
        println!();
        println!("{title}");
        let tally = Tally::new(tasks.len(), workers, args.unit_cost);
        let start = Instant::now();
        match name {
            "static" => static_blocks(&tasks, workers, &tally),
            "manager" => manager(&tasks, workers, &tally),
            _ => {
                if let Err(why) = work_stealing(&tasks, workers, &tally) {
                    eprintln!("{why}");
                    return ExitCode::FAILURE;
                }
            }
        }
        let elapsed = start.elapsed();
        match report(name, elapsed, &tally) {
            Ok(checksum) => checksums.push(checksum),
            Err(why) => {
                eprintln!("{why}");
                return ExitCode::FAILURE;
            }
        }
    }

    checksums.dedup();
    if checksums.len() != 1 {
        eprintln!("the strategies disagree on the checksum: {checksums:?}");
        return ExitCode::FAILURE;
    }
    println!();
    println!("every task ran exactly once under every strategy; same checksum for all three");
    ExitCode::SUCCESS
}

//! # Mapping tasks to workers: static blocks, a manager, work stealing
//!
//! **Book:** 1st edition §1.5 *How to design a parallel program*
//! (「1.5 如何设计一个并行程序」; printed edition「如何设计并行程序」), a theory section
//! with no listing: this recipe is the cookbook's own. The 2nd edition has no such
//! section.
//!
//! **Run:** `cargo run --bin intro_task_mapping` (or `cookbook run 1.5`); try
//! `--workers 4`, `--heavy-every 100`, or another `--seed`.
//!
//! §1.5's last design step maps tasks onto workers. The recipe runs one set of
//! uneven tasks three ways: static blocks fixed in advance, a manager handing out
//! one task at a time to whichever worker is idle, and rayon's work stealing, the
//! decentralised scheme. It prints each worker's load and checks that every task
//! ran exactly once.

use std::process::ExitCode;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use clap::Parser;
use cookbook_support::rng::{Rng, seeded};
use cookbook_support::{Seed, Status, Trace, count, fail};
use crossbeam_channel as channel;
use rayon::prelude::*;

/// Run the same set of uneven tasks with static block mapping, a manager handing out
/// tasks, and rayon's work stealing (1st edition §1.5).
#[derive(Parser)]
#[command(name = "intro_task_mapping")]
struct Args {
    /// Number of tasks [1–100000].
    #[arg(long, default_value_t = 1000, value_parser = count(1, 100_000))]
    tasks: usize,

    /// Number of worker threads (default: the number of CPUs) [1–256].
    #[arg(long, value_parser = count(1, 256))]
    workers: Option<usize>,

    /// On average one task in this many is heavy, 50 times the cost of the others
    /// [1–100000].
    #[arg(long, default_value_t = 50, value_parser = count(1, 100_000))]
    heavy_every: usize,

    /// Units of work in one light task (one unit is a few microseconds in a debug
    /// build) [1–100].
    #[arg(long, default_value_t = 20, value_parser = count(1, 100))]
    unit_cost: usize,

    #[command(flatten)]
    seed: Seed,

    #[command(flatten)]
    trace: Trace,
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

// ANCHOR: listing
/// Start one scoped thread per worker, worker `w` running `make(w)`; drop `make`
/// (and what it owns); run `then` in this thread while the workers work; join
/// them all. A thread that cannot start stops the starting, and the ones already
/// running still end and are joined.
fn with_workers<'scope, F>(
    s: &'scope thread::Scope<'scope, '_>,
    workers: usize,
    make: impl Fn(usize) -> F,
    then: impl FnOnce(),
) -> Result<(), String>
where
    F: FnOnce() + Send + 'scope,
{
    let mut handles = Vec::with_capacity(workers);
    let mut error = None;
    for w in 0..workers {
        let work = make(w);
        let spawned = thread::Builder::new().spawn_scoped(s, move || {
            let _run = tracing::info_span!("run", worker = w).entered();
            work()
        });
        match spawned {
            Ok(h) => handles.push(h),
            Err(e) => {
                error = Some(format!("cannot start worker {w}: {e}"));
                break;
            }
        }
    }
    drop(make);
    then();
    for (w, h) in handles.into_iter().enumerate() {
        if h.join().is_err() {
            error.get_or_insert(format!("worker {w} panicked"));
        }
    }
    error.map_or(Ok(()), Err)
}

/// (a) Static block mapping, fixed before anything runs: worker `w` gets the
/// tasks `[w·chunk, (w+1)·chunk)`. The scoped threads borrow the task list.
fn static_blocks(tasks: &[Task], workers: usize, tally: &Tally) -> Result<(), String> {
    let chunk = tasks.len().div_ceil(workers);
    let blocks: Vec<&[Task]> = tasks.chunks(chunk).collect();
    thread::scope(|s| {
        let block = |w: usize| {
            let mine = blocks[w];
            move || mine.iter().for_each(|&task| tally.run(w, task))
        };
        with_workers(s, blocks.len(), block, || {})
    })
}

/// (b) Manager and workers: this thread is the manager, and sends one task at a
/// time over a channel with no buffer, so each send waits until some worker is
/// idle and takes it.
fn manager(tasks: &[Task], workers: usize, tally: &Tally) -> Result<(), String> {
    let (to_workers, from_manager) = channel::bounded::<Task>(0);
    thread::scope(|s| {
        // Each worker gets its own receiver; the original is dropped once they
        // are started, so if every worker were gone a send would fail, not hang.
        let worker = move |w: usize| {
            let from_manager = from_manager.clone();
            move || loop {
                let next = {
                    let _wait = tracing::info_span!("wait", on = "queue").entered();
                    from_manager.recv()
                };
                // `Err`: the manager dropped its sender, no more tasks.
                let Ok(task) = next else { return };
                tally.run(w, task);
            }
        };
        with_workers(s, workers, worker, move || {
            for &task in tasks {
                let _wait = tracing::info_span!("wait", on = "queue").entered();
                if to_workers.send(task).is_err() {
                    break; // every worker is gone
                }
            }
            // `to_workers` is dropped here: the workers' loops end.
        })
    })
}

/// (c) rayon's work stealing: `par_iter` splits the tasks in halves over a pool of
/// `workers` threads, and an idle thread steals a half from a busy one.
fn work_stealing(tasks: &[Task], workers: usize, tally: &Tally) -> Result<(), String> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .map_err(|e| format!("cannot build a rayon pool: {e}"))?;
    pool.install(|| {
        tasks.par_iter().for_each(|&task| {
            // Always `Some` inside the pool: it numbers the pool's threads 0..workers.
            let w = rayon::current_thread_index().unwrap_or(0);
            tally.run(w, task);
        })
    });
    Ok(())
}
// ANCHOR_END: listing

/// Print one strategy's load, one record per worker; `Err` when a task did not
/// run exactly once.
fn report(name: &str, elapsed: Duration, tally: &Tally) -> Result<u64, String> {
    let busy: Vec<f64> = tally.worker_busy_ns.iter().map(|b| b.load(Ordering::Relaxed) as f64 / 1e9).collect();
    for (w, b) in busy.iter().enumerate() {
        let tasks = tally.worker_tasks[w].load(Ordering::Relaxed);
        println!("worker = {w} strategy = {name} tasks = {tasks} busy_s = {b:.4}");
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

/// A way of mapping the tasks onto the workers.
type Strategy = fn(&[Task], usize, &Tally) -> Result<(), String>;

fn main() -> ExitCode {
    let args = Args::parse();
    let _session = args.trace.start();
    let workers = args.workers.unwrap_or_else(|| thread::available_parallelism().map_or(1, |n| n.get()));
    let seed = args.seed.seed();

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
    let heavy_late = tasks[tasks.len() / 2..].iter().filter(|t| t.cost == HEAVY).count();
    let total_cost: u64 = tasks.iter().map(|t| t.cost as u64).sum();
    println!(
        "{} tasks ({heavy} heavy, {HEAVY}× the others), {total_cost} units of work, {workers} workers",
        tasks.len()
    );
    println!("heavy = {heavy} in_second_half = {heavy_late}");

    let strategies: [(&str, &str, Strategy); 3] = [
        ("static", "(a) static block mapping on std::thread::scope", static_blocks),
        ("manager", "(b) a manager hands out one task at a time over crossbeam_channel", manager),
        ("rayon", "(c) rayon's work stealing", work_stealing),
    ];
    let mut checksums = Vec::new();
    for (name, title, strategy) in strategies {
        println!();
        println!("{title}");
        let tally = Tally::new(tasks.len(), workers, args.unit_cost);
        let start = Instant::now();
        if let Err(why) = strategy(&tasks, workers, &tally) {
            return fail(why);
        }
        match report(name, start.elapsed(), &tally) {
            Ok(checksum) => checksums.push(checksum),
            Err(why) => return fail(why),
        }
    }

    checksums.dedup();
    if checksums.len() != 1 {
        return fail(format!("the strategies disagree on the checksum: {checksums:?}"));
    }
    println!();
    println!("every task ran exactly once under every strategy; same checksum for all three");
    Status::Success.into()
}

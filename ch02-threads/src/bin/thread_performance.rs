//! # Evaluating the performance of multithreaded applications, without a GIL
//!
//! **Book:** 1st edition §2.13 *Evaluating the performance of multithread applications*
//! (「2.13 评估多线程应用的性能」; printed edition「评估多线程应用的性能」).
//! Not in the 2nd edition.
//!
//! **Run:** `cargo run --release --bin thread_performance` (or `cookbook run 2.13`);
//! try `--workload fib` and `--with-rayon --with-processes`.
//!
//! The book's stopwatch: one function run n times in a row (`non_threaded`) and once
//! in each of n threads (`threaded`), for n = 1, 2, 4 and 8, the best of 100 runs,
//! with four bodies (empty, Fibonacci, file read, URL read) that live in
//! `ch02_threads::perf` beside the benches. Without a GIL, Fibonacci threads share
//! the cores, which the book's could not.

use std::hint::black_box;
use std::io;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use ch02_threads::perf::{self, Fixture, Options, Workload};
use clap::{Parser, ValueEnum};
use cookbook_support::args::non_negative_f64;
use cookbook_support::{Status, Trace, child, count, fail};

/// Time 1st edition §2.13's four workloads run n times in a row, in n threads, and
/// optionally on a rayon pool and in n child processes.
#[derive(Parser)]
#[command(name = "thread_performance")]
struct Args {
    /// Which body of `function_to_run()` to time.
    #[arg(long, value_enum, default_value_t = Which::All)]
    workload: Which,

    /// The numbers of calls and of threads to try, the book's `num_threads`
    /// [each 1–256].
    #[arg(long, value_delimiter = ',', default_value = "1,2,4,8", value_parser = count(1, 256))]
    counts: Vec<usize>,

    /// Timed runs per measurement, of which the best is printed: the book's
    /// `repeat` [1–10000].
    #[arg(long, default_value_t = 100, value_parser = count(1, 10_000))]
    repeat: usize,

    /// Timed runs for the url workload [1–10000; default: the smaller of --repeat
    /// and 3].
    #[arg(long, value_parser = count(1, 10_000))]
    url_repeat: Option<usize>,

    /// Seconds the loopback web server waits before it answers each GET [0–1].
    #[arg(long, default_value_t = perf::DEFAULT_LATENCY_MS as f64 / 1000.0, value_parser = latency)]
    latency: f64,

    /// Steps of the Fibonacci loops, the book's 10 000 [1–1000000]. Rust runs the
    /// book's loop about a hundred times faster than CPython; 100000 makes one
    /// call about as long as the book's.
    #[arg(long, default_value_t = perf::FIB_STEPS, value_parser = count(1, perf::MAX_FIB_STEPS))]
    fib_steps: usize,

    /// Also time a rayon pool of n threads (built before timing).
    #[arg(long)]
    with_rayon: bool,

    /// Also time n child processes, each running the work once.
    #[arg(long)]
    with_processes: bool,

    #[command(flatten)]
    trace: Trace,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Which {
    Empty,
    Fib,
    FibU64,
    File,
    Url,
    All,
}

/// clap value parser of `--latency`: 0 to 1 second (the book's pages took about
/// 0.3 s).
fn latency(s: &str) -> Result<f64, String> {
    let secs = non_negative_f64(s)?;
    if secs <= 1.0 { Ok(secs) } else { Err(format!("`{s}` is more than 1 second")) }
}

// ANCHOR: listing
/// The book's `show_results`: `"%-23s %4.6f seconds"`.
fn show_results(label: &str, best: Duration) {
    println!("{label:<23} {:.6} seconds", best.as_secs_f64());
}

/// `min(Timer(...).repeat(repeat, number=1))`: run `work` `repeat` times, timing
/// each run on its own, and keep the fastest.
fn best_of(repeat: usize, mut work: impl FnMut() -> io::Result<u64>) -> io::Result<Duration> {
    let mut best = Duration::MAX;
    for _ in 0..repeat {
        let start = Instant::now();
        let result = work()?;
        let elapsed = start.elapsed();
        // Read the result, or the optimiser may delete the work.
        black_box(result);
        best = best.min(elapsed);
    }
    Ok(best)
}

/// The book's loop over `num_threads` for one workload: `non_threaded(n)` and
/// `threaded(n)` for each n, then the extra modes asked for.
fn time_workload(fixture: &Fixture, args: &Args, repeat: usize) -> io::Result<Vec<Measured>> {
    let workload = fixture.workload();
    let mut rows = Vec::new();
    let mut record = |mode, label: String, n, best| {
        show_results(&label, best);
        rows.push(Measured { workload, mode, n, best });
    };
    println!("Starting tests");
    for &n in &args.counts {
        // non_threaded(n): n calls, one after the other, in this thread.
        let best = best_of(repeat, || fixture.run_sequential(n))?;
        record("non_threaded", format!("non_threaded ({n} iters)"), n, best);

        // threaded(n): n threads started, each makes one call, all joined.
        let best = best_of(repeat, || fixture.run_threads(n))?;
        record("threaded", format!("threaded ({n} threads)"), n, best);

        if args.with_rayon {
            // The pool is built once, before timing; only the calls are timed.
            let pool = rayon::ThreadPoolBuilder::new().num_threads(n).build().map_err(io::Error::other)?;
            let best = best_of(repeat, || fixture.run_rayon(&pool, n))?;
            record("rayon", format!("rayon ({n} threads)"), n, best);
        }
        if args.with_processes {
            // Each child is this program again, in role `worker` (see `main`). The
            // main thread starts and reaps them, so they die with it.
            let worker = || child::command(perf::WORKER_ROLE, std::iter::empty::<&str>());
            let best = best_of(repeat, || fixture.run_processes(n, worker))?;
            record("processes", format!("processes ({n} procs)"), n, best);
        }
    }
    println!("Iterations complete");
    Ok(rows)
}
// ANCHOR_END: listing

/// One measurement: which workload, how it ran, how many, how long (the best).
struct Measured {
    workload: Workload,
    mode: &'static str,
    n: usize,
    best: Duration,
}

fn main() -> ExitCode {
    // A child started by `--with-processes` makes one call and exits. This check
    // comes first, as Python's `if __name__ == "__main__":` guard does.
    if let Some(role) = child::role() {
        return perf::worker_main(&role).into();
    }
    let args = Args::parse();
    let _session = args.trace.start();
    match run(&args) {
        Ok(()) => Status::Success.into(),
        Err(e) => fail(e),
    }
}

fn run(args: &Args) -> io::Result<()> {
    let workloads: Vec<Workload> = match args.workload {
        Which::Empty => vec![Workload::Empty],
        Which::Fib => vec![Workload::FibBigint],
        Which::FibU64 => vec![Workload::FibU64],
        Which::File => vec![Workload::FileRead],
        Which::Url => vec![Workload::UrlRead],
        Which::All => Workload::ALL.to_vec(),
    };
    let url_repeat = args.url_repeat.unwrap_or(args.repeat.min(3));
    let options = Options { latency: cookbook_support::args::duration(args.latency), fib_steps: args.fib_steps };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());

    println!("cores = {cores}");
    println!("build = {}", if cfg!(debug_assertions) { "debug (use --release for timings)" } else { "release" });
    println!("repeat = {} (url: {url_repeat})", args.repeat);
    println!("latency = {}", args.latency);
    println!("fib_steps = {}", args.fib_steps);

    let mut all: Vec<Measured> = Vec::new();
    for (test, &workload) in workloads.iter().enumerate() {
        // Prepare the fixture outside the timed region: the temp file or the server.
        let fixture = Fixture::prepare(workload, &options)?;
        let repeat = if workload == Workload::UrlRead { url_repeat } else { args.repeat };
        println!();
        println!("Test {}: {} — {}", test + 1, workload.cli_name(), workload.describe());
        if args.fib_steps != perf::FIB_STEPS && matches!(workload, Workload::FibBigint | Workload::FibU64) {
            println!("(with --fib-steps {} instead of the book's 10 000)", args.fib_steps);
        }
        let rows = time_workload(&fixture, args, repeat)?;
        for m in &rows {
            println!(
                "workload = {} mode = {} n = {} seconds = {:.9}",
                m.workload.cli_name(),
                m.mode,
                m.n,
                m.best.as_secs_f64()
            );
        }
        all.extend(rows);
        // Dropping the fixture deletes the file or stops the server.
    }

    print_speedups(&all, &workloads, &args.counts);
    Ok(())
}
/// The table at the end: for each workload and mode, non_threaded time ÷ that
/// mode's time, per n. Above 1 the mode is faster than the plain loop.
fn print_speedups(all: &[Measured], workloads: &[Workload], counts: &[usize]) {
    println!();
    println!("Speedup over non_threaded (non_threaded seconds / mode seconds; > 1 is faster):");
    let mut header = format!("{:<9} {:<11}", "workload", "mode");
    for n in counts {
        header.push_str(&format!(" {:>9}", format!("n={n}")));
    }
    println!("{header}");
    for &w in workloads {
        for mode in ["threaded", "rayon", "processes"] {
            let mut line = format!("{:<9} {:<11}", w.cli_name(), mode);
            let mut any = false;
            for &n in counts {
                let find = |m: &str| all.iter().find(|r| r.workload == w && r.mode == m && r.n == n);
                let cell = match (find("non_threaded"), find(mode)) {
                    (Some(seq), Some(other)) => {
                        any = true;
                        ratio(seq.best.as_secs_f64(), other.best.as_secs_f64())
                    }
                    _ => "-".to_string(),
                };
                line.push_str(&format!(" {cell:>9}"));
            }
            if any {
                println!("{line}");
            }
        }
    }
}

/// `a / b` with two decimals, or in scientific notation when it is tiny (starting a
/// thread for empty work costs thousands of times the work).
fn ratio(a: f64, b: f64) -> String {
    if b <= 0.0 {
        return "-".to_string();
    }
    let r = a / b;
    if r >= 0.01 { format!("{r:.2}") } else { format!("{r:.1e}") }
}

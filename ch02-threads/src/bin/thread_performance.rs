//! # Evaluating the performance of multithreaded applications — without a GIL
//!
//! **Book:** 1st edition §2.13 *Evaluating the performance of multithread applications*
//! (「2.13 评估多线程应用的性能」; printed edition「评估多线程应用的性能」).
//! The 2nd edition has no such section.
//!
//! **Run:** `cargo run --release --bin thread_performance` (or `cookbook run 2.13`).
//! Use `--release`: an unoptimised build measures the debug code, not the idea.
//! Try `--workload fib`, `--counts 1,2,4,8,16`, `--with-rayon --with-processes`.
//!
//! ## What it shows
//!
//! The book times one function, `function_to_run()`, run `n` times in a row
//! (`non_threaded`) and once in each of `n` threads (`threaded`), for n = 1, 2, 4, 8,
//! and prints the best of 100 runs. It swaps in four bodies for the function:
//!
//! 1. **empty** (`pass`): what starting and joining a thread costs;
//! 2. **fib**: 10 000 steps of `a, b = b, a + b`. Python integers never overflow, so
//!    this is big-integer work (F(10000) has 2 090 digits); here `num_bigint::BigUint`.
//!    **fib-u64** is our extra: the same loop on a wrapping `u64`, which is what a
//!    naive port would measure — far less work, and a wrong answer after F(93);
//! 3. **file**: open a 1 024 000-byte file and read it 1 KiB at a time, 1 000 reads;
//! 4. **url**: ten GETs, reading the first 1 KiB of each page.
//!
//! On CPython the GIL lets only one thread run Python code at a time, so the book's
//! Fibonacci threads are never faster than the plain loop; only the I/O tests gain,
//! because the GIL is released while a thread waits. **Rust has no GIL**: on a
//! machine with two free cores, two Fibonacci threads take about as long as one, and
//! the speedup table at the end shows it as a figure towards 2 — the opposite of the
//! book's conclusion for CPU-bound work.
//!
//! Two things blur that figure. Rust runs the book's loop in about 0.2 ms, a hundred
//! times faster than the book's CPython (22 ms), so starting a thread (tens of
//! microseconds, more on a virtual machine whose idle core must be woken) is a
//! visible part of each call; and on a busy machine the second core is not free.
//! `--fib-steps 100000` makes one call as long as the book's, and `--with-rayon`
//! shows threads that are already running (a pool) doing the same work.
//!
//! The workloads, their fixtures and the four ways of running them live in the
//! chapter library (`ch02_threads::perf`), because the root package's criterion
//! benches run exactly the same code (groups `book_2_13/<workload>/<mode>/<n>`;
//! their workload names are `empty`, `fib_bigint`, `fib_u64`, `file_read`,
//! `url_read`).
//!
//! ## Where the book's set-up is replaced
//!
//! - The book's data file is a local file of unstated size; here a temp file of
//!   exactly what one call reads (1 000 × 1 KiB) is written once, before timing, and
//!   deleted at the end. Each call opens it anew, as the book's function does.
//! - The book reads `https://www.packtpub.com/`; its numbers imply about 310 ms per
//!   request (3.13 s for 10). This recipe needs no network: it starts a small HTTP
//!   server on 127.0.0.1 that waits `--latency-ms` (default 50) before answering
//!   each GET, one thread per connection. What the book's fourth test teaches is
//!   the *waiting*; 50 ms keeps the same shape (the time is almost all waiting, and
//!   waiting threads overlap) at a sixth of the cost. The server and client are a
//!   few lines of `std::net`: an HTTP crate would bring TLS and much more into the
//!   build, and the lesson is not HTTP.
//! - **Fewer repeats for url:** 100 repeats of the url tests would take about 16
//!   minutes (each repeat of 1, 2, 4 and 8 sequential calls is 150 GETs × 50 ms), so
//!   the url workload runs `min(--repeat, 3)` times unless `--url-repeat` says
//!   otherwise. With a fixed latency the best of 3 is as good as the best of 100. The
//!   header prints the repeat used.
//! - The book announces "three tests" and shows four, and its prose mentions 3
//!   threads that the code never runs: here four workloads (plus fib-u64) and
//!   `--counts 1,2,4,8`, as the book's code and tables.
//!
//! ## Python → Rust
//!
//! - A `threading.Thread` subclass whose `run()` calls the function becomes
//!   `std::thread` spawning a closure; a plain object with `run()` is just a call.
//! - `timeit.Timer(...).repeat(repeat=100, number=1)` and `min(...)` become an
//!   `Instant` around each call and the smallest `Duration`. Starting the threads is
//!   inside the measurement, as in the book.
//! - `--with-rayon` adds a row for a rayon pool of `n` threads, built before timing
//!   (a pool is what the book's "Learn more" recommends); `--with-processes` adds
//!   `n` child processes, which is how Python would get past the GIL. A child is this
//!   same binary started again in role `worker` (Rust cannot fork an interpreter).
//! - Results pass through `std::hint::black_box`, or the optimiser could delete work
//!   whose result nobody reads.
//!
//! ## Output
//!
//! For each workload, the book's lines between `Starting tests` and `Iterations
//! complete` (label in 23 columns, seconds with six decimals, so sub-microsecond
//! times print as 0.000000); then one stable line per measurement,
//! `result workload=<w> mode=<non_threaded|threaded|rayon|processes> n=<n>
//! seconds=<s>` with nanosecond precision; at the end a table of speedups,
//! non_threaded time ÷ other time, per workload, mode and n.

use std::hint::black_box;
use std::io;
use std::time::{Duration, Instant};

use ch02_threads::perf::{Fixture, Options, Workload};
use clap::{Parser, ValueEnum};
use cookbook_support::child;

/// Time 1st edition §2.13's four workloads run n times in a row, in n threads, and
/// optionally on a rayon pool and in n child processes.
#[derive(Parser)]
#[command(name = "thread_performance")]
struct Args {
    /// Which body of `function_to_run()` to time.
    #[arg(long, value_enum, default_value_t = Which::All)]
    workload: Which,

    /// The numbers of calls / threads to try (the book's `num_threads`).
    #[arg(long, value_delimiter = ',', default_value = "1,2,4,8", value_parser = worker_count)]
    counts: Vec<usize>,

    /// Timed runs per measurement; the best is printed (the book's `repeat`).
    #[arg(long, default_value_t = 100, value_parser = cookbook_support::positive_usize)]
    repeat: usize,

    /// Timed runs for the url workload [default: the smaller of --repeat and 3].
    #[arg(long, value_parser = cookbook_support::positive_usize)]
    url_repeat: Option<usize>,

    /// Milliseconds the loopback web server waits before answering each GET.
    #[arg(long, default_value_t = ch02_threads::perf::DEFAULT_LATENCY_MS,
          value_parser = clap::value_parser!(u64).range(0..=10_000))]
    latency_ms: u64,

    /// Steps of the Fibonacci loops (the book's 10 000). Rust does the book's loop
    /// about a hundred times faster than CPython; 100000 (the numbers grow too, so
    /// about 100 times the work) makes one call as long as the book's.
    #[arg(long, default_value_t = ch02_threads::perf::FIB_STEPS, value_parser = fib_steps)]
    fib_steps: usize,

    /// Also time a rayon pool of n threads (built before timing).
    #[arg(long)]
    with_rayon: bool,

    /// Also time n child processes, each running the work once.
    #[arg(long)]
    with_processes: bool,
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

/// clap value parser for `--counts`: 1 to 256 workers.
fn worker_count(s: &str) -> Result<usize, String> {
    let n = cookbook_support::positive_usize(s)?;
    if n <= 256 { Ok(n) } else { Err(format!("`{s}` is more than 256 workers")) }
}

/// clap value parser for `--fib-steps`: 1 to 1 000 000 (a call then takes seconds).
fn fib_steps(s: &str) -> Result<usize, String> {
    let n = cookbook_support::positive_usize(s)?;
    if n <= 1_000_000 { Ok(n) } else { Err(format!("`{s}` is more than 1000000 steps")) }
}

/// The book's `show_results`: `"%-23s %4.6f seconds"`.
fn show_results(label: &str, best: Duration) {
    println!("{label:<23} {:.6} seconds", best.as_secs_f64());
}

/// `min(Timer(...).repeat(repeat, number=1))`: run `work` `repeat` times, timing each
/// run on its own, and keep the fastest.
fn best_of(repeat: usize, mut work: impl FnMut() -> io::Result<u64>) -> io::Result<Duration> {
    let mut best = Duration::MAX;
    for _ in 0..repeat {
        let start = Instant::now();
        let result = work()?;
        let elapsed = start.elapsed();
        black_box(result);
        best = best.min(elapsed);
    }
    Ok(best)
}

/// One measurement: which workload, how it ran, how many, how long (the best).
struct Measured {
    workload: Workload,
    mode: &'static str,
    n: usize,
    best: Duration,
}

fn main() {
    // A child process started by `--with-processes` runs one call and exits. This
    // check comes first, like Python's `if __name__ == "__main__":` guard.
    if let Some(role) = child::role() {
        if role.name == "worker" {
            std::process::exit(ch02_threads::perf::child_main(&role.args));
        }
        eprintln!("thread_performance: unknown child role `{}`", role.name);
        std::process::exit(2);
    }

    let args = Args::parse();
    if let Err(e) = run(&args) {
        eprintln!("thread_performance: {e}");
        std::process::exit(1);
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
    let options = Options { latency: Duration::from_millis(args.latency_ms), fib_steps: args.fib_steps };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());

    println!("cores = {cores}");
    println!("build = {}", if cfg!(debug_assertions) { "debug (use --release for timings)" } else { "release" });
    println!("repeat = {} (url: {url_repeat})", args.repeat);
    println!("latency_ms = {}", args.latency_ms);
    println!("fib_steps = {}", args.fib_steps);

    let mut all: Vec<Measured> = Vec::new();
    for (test, &workload) in workloads.iter().enumerate() {
        // Prepare the fixture outside the timed region: the temp file or the server.
        let fixture = Fixture::prepare(workload, &options)?;
        let repeat = if workload == Workload::UrlRead { url_repeat } else { args.repeat };
        println!();
        println!("Test {}: {} — {}", test + 1, workload.cli_name(), workload.describe());
        if args.fib_steps != ch02_threads::perf::FIB_STEPS && matches!(workload, Workload::FibBigint | Workload::FibU64)
        {
            println!("(with --fib-steps {} instead of the book's 10 000)", args.fib_steps);
        }
        println!("Starting tests");
        let mut rows: Vec<Measured> = Vec::new();
        for &n in &args.counts {
            // non_threaded(n): n calls, one after the other.
            let best = best_of(repeat, || fixture.run_sequential(n))?;
            show_results(&format!("non_threaded ({n} iters)"), best);
            rows.push(Measured { workload, mode: "non_threaded", n, best });

            // threaded(n): n threads started, then all joined.
            let best = best_of(repeat, || fixture.run_threads(n))?;
            show_results(&format!("threaded ({n} threads)"), best);
            rows.push(Measured { workload, mode: "threaded", n, best });

            if args.with_rayon {
                // The pool is built once, before timing; only the calls are timed.
                let pool = rayon::ThreadPoolBuilder::new().num_threads(n).build().map_err(io::Error::other)?;
                let best = best_of(repeat, || fixture.run_rayon(&pool, n))?;
                show_results(&format!("rayon ({n} threads)"), best);
                rows.push(Measured { workload, mode: "rayon", n, best });
            }
            if args.with_processes {
                // Each child is this binary again, in role `worker`.
                let best = best_of(repeat, || {
                    fixture.run_processes(n, || child::command("worker", std::iter::empty::<&str>()))
                })?;
                show_results(&format!("processes ({n} procs)"), best);
                rows.push(Measured { workload, mode: "processes", n, best });
            }
        }
        println!("Iterations complete");
        for m in &rows {
            println!(
                "result workload={} mode={} n={} seconds={:.9}",
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

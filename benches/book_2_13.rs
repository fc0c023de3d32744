//! 1st edition §2.13, *Evaluating the performance of multithread applications*
//! (cn「2.13 评估多线程应用的性能」), as criterion benches.
//!
//! The book times one function, `function_to_run()`, run `n` times in a row
//! (`non_threaded`) and once in each of `n` threads (`threaded`), for four bodies of
//! that function. Here the bodies are `ch02_threads::perf`'s [`Workload`]s (the
//! same code the `thread_performance` recipe runs), and each is run `n` times, for
//! n = 1, 2, 4, 8, in four ways:
//!
//! | id | what one measured iteration does |
//! | --- | --- |
//! | `book_2_13/<workload>/sequential/<n>` | `n` calls in the bench thread (the book's `non_threaded`) |
//! | `book_2_13/<workload>/threads/<n>` | spawn `n` `std::thread`s, one call each, join them (the book's `threaded`; spawning is inside the measurement, as in the book) |
//! | `book_2_13/<workload>/processes/<n>` | start `n` `bench_worker perf …` children, one call each, wait for them (Python's `multiprocessing`) |
//! | `book_2_13/<workload>/rayon/<n>` | `n` calls on a rayon pool of `n` threads built once, outside the measurement |
//!
//! Workloads: `empty`, `fib_bigint` (the book's 10 000-step loop on big integers),
//! `fib_u64` (the same loop on a wrapping `u64`: NOT the book's work), `file_read`
//! (1 000 unbuffered 1 KiB reads of a 1 024 000-byte temp file opened per call) and
//! `url_read` (10 GETs, 1 KiB read of each, to a loopback server that answers after
//! a fixed latency). The temp file and the server are made once per workload,
//! outside the measurement. Every result goes through [`black_box`].
//!
//! Environment:
//! - `BENCH_URL_LATENCY_MS` (default 50): the server's latency. One iteration of
//!   `url_read/sequential/8` takes 8 × 10 × latency (4 s at 50 ms).
//!
//! In criterion's test mode (`cargo bench --bench book_2_13 -- --test`) each bench
//! runs once; there, unless `BENCH_URL_LATENCY_MS` is set, the latency is 1 ms so the
//! smoke run stays quick (test mode reports no timings).
//!
//! The measurement times are chosen so that the whole bench runs in about
//! 4–5 minutes on 2 cores with the default latency, more than half of it in
//! `url_read` (about 75 s of it in `url_read/sequential`, which grows with the
//! latency). The `url_read` rows take ten samples of one call each, and criterion
//! says "Unable to complete 10 samples" for them: that is expected.

use std::hint::black_box;
use std::io;
use std::process::Command;
use std::time::Duration;

use ch02_threads::perf::{FIB_STEPS, FILE_SIZE, Fixture, Options, URL_GETS, URL_READ_BYTES, Workload};
use cookbook_bench::pools::rayon_pools;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, measurement::WallTime};

/// The book's numbers of threads (and of calls).
const NS: [usize; 4] = [1, 2, 4, 8];

/// The child of the processes mode.
const WORKER: &str = env!("CARGO_BIN_EXE_bench_worker");

fn test_mode() -> bool {
    std::env::args().any(|a| a == "--test")
}

/// The server latency: `BENCH_URL_LATENCY_MS`, default 50 ms (1 ms in test mode).
fn url_latency() -> Duration {
    match std::env::var("BENCH_URL_LATENCY_MS") {
        Ok(text) => match text.trim().parse::<u64>() {
            Ok(ms) => Duration::from_millis(ms),
            Err(_) => {
                panic!("BENCH_URL_LATENCY_MS must be a whole number of milliseconds, not {text:?}")
            }
        },
        Err(_) if test_mode() => {
            eprintln!("book_2_13: test mode, url_read latency 1 ms (set BENCH_URL_LATENCY_MS to change)");
            Duration::from_millis(1)
        }
        Err(_) => Duration::from_millis(ch02_threads::perf::DEFAULT_LATENCY_MS),
    }
}

/// The result of one call with the default options, to check each fixture once
/// before it is measured (the benches must measure the real work, not an error).
fn expected_once(workload: Workload) -> Option<u64> {
    match workload {
        Workload::Empty => Some(0),
        Workload::FibBigint => Some(6_942), // bits of F(10000)
        Workload::FibU64 => Some(ch02_threads::perf::fib_u64_wrapping(FIB_STEPS)),
        Workload::FileRead => Some(FILE_SIZE as u64),
        Workload::UrlRead => Some((URL_GETS * URL_READ_BYTES) as u64),
    }
}

/// A worker process command without the workload's arguments.
fn worker_command() -> io::Result<Command> {
    let mut cmd = Command::new(WORKER);
    cmd.arg("perf");
    Ok(cmd)
}

/// How long criterion measures each bench of a workload.
fn configure(group: &mut BenchmarkGroup<'_, WallTime>, workload: Workload, mode: &str, n: usize, latency: Duration) {
    match workload {
        Workload::UrlRead => {
            // Seconds per iteration: the waits dominate. Sequential waits n × 10
            // latencies; the parallel modes wait 10 latencies side by side. Ten
            // samples of ONE iteration each (flat sampling), after one warm-up call.
            // The target time is set a little under ten waits, so that criterion
            // never rounds up to two iterations a sample (which would double the
            // row's time); it then prints "Unable to complete 10 samples", which is
            // expected here.
            let waits = if mode == "sequential" { n * URL_GETS } else { URL_GETS };
            let per_iter = latency * waits as u32;
            group.sampling_mode(SamplingMode::Flat);
            group.sample_size(10);
            group.warm_up_time(Duration::from_millis(1));
            group.measurement_time((per_iter * 9).max(Duration::from_millis(1)));
        }
        Workload::Empty | Workload::FibBigint | Workload::FibU64 | Workload::FileRead => {
            // Flat sampling: every sample runs the same number of iterations, so a
            // row that takes milliseconds (8 processes, 8 × Fibonacci) fits its
            // time as well as a row that takes microseconds.
            group.sampling_mode(SamplingMode::Flat);
            // A hundred samples of about 10 ms each: short repeats, like the twins',
            // so that the fastest one misses the moments when other work takes a core.
            group.sample_size(100);
            group.warm_up_time(Duration::from_millis(300));
            group.measurement_time(Duration::from_millis(1_000));
        }
    }
}

fn bench_workload(c: &mut Criterion, workload: Workload, pools: &[(usize, rayon::ThreadPool)], latency: Duration) {
    let options = Options { latency, ..Options::default() };
    let fixture = Fixture::prepare(workload, &options)
        .unwrap_or_else(|e| panic!("cannot prepare the {} fixture: {e}", workload.bench_name()));
    // Check the work once, outside the measurement, in every mode.
    let once = fixture.run_once().expect("one call of the workload");
    if let Some(expected) = expected_once(workload) {
        assert_eq!(once, expected, "{}: one call returned {once}, expected {expected}", workload.bench_name());
    }
    assert_eq!(fixture.run_threads(2).expect("threads"), once.wrapping_mul(2));
    assert_eq!(fixture.run_rayon(&pools[1].1, 2).expect("rayon"), once.wrapping_mul(2));
    assert_eq!(fixture.run_processes(2, worker_command).expect("processes"), 2, "both workers succeed");

    let mut group = c.benchmark_group(format!("book_2_13/{}", workload.bench_name()));
    for &n in &NS {
        configure(&mut group, workload, "sequential", n, latency);
        group.bench_with_input(BenchmarkId::new("sequential", n), &n, |b, &n| {
            b.iter(|| black_box(fixture.run_sequential(black_box(n)).expect("sequential run")))
        });
        configure(&mut group, workload, "threads", n, latency);
        group.bench_with_input(BenchmarkId::new("threads", n), &n, |b, &n| {
            b.iter(|| black_box(fixture.run_threads(black_box(n)).expect("threads run")))
        });
        configure(&mut group, workload, "processes", n, latency);
        group.bench_with_input(BenchmarkId::new("processes", n), &n, |b, &n| {
            b.iter(|| {
                let ok = fixture.run_processes(black_box(n), worker_command).expect("processes run");
                assert_eq!(ok, n as u64, "every worker process succeeds");
                black_box(ok)
            })
        });
        configure(&mut group, workload, "rayon", n, latency);
        let pool = &pools.iter().find(|(threads, _)| *threads == n).expect("a pool per n").1;
        group.bench_with_input(BenchmarkId::new("rayon", n), &n, |b, &n| {
            b.iter(|| black_box(fixture.run_rayon(pool, black_box(n)).expect("rayon run")))
        });
    }
    group.finish();
    // The fixture (temp file or server) goes away here, after the group.
}

fn book_2_13(c: &mut Criterion) {
    let latency = url_latency();
    let pools = rayon_pools(&NS);
    for workload in Workload::ALL {
        bench_workload(c, workload, &pools, latency);
    }
}

criterion::criterion_group! {
    name = benches;
    config = Criterion::default().nresamples(20_000);
    targets = book_2_13
}
criterion::criterion_main!(benches);

//! 1st edition §4.2, *Using the concurrent.futures Python modules*
//! (cn「4.2 使用Python的 concurrent.futures 模块」), as criterion benches.
//!
//! The book times ten calls of `count(number)`, a loop of 10 000 000 increments,
//! three ways: one after another, on a `ThreadPoolExecutor(max_workers=5)` and on a
//! `ProcessPoolExecutor(5)`, each pool made and shut down inside the timing (the
//! `with` block). The same three here, with `ch04_async::pools`, the code of the
//! `futures_pools` recipe:
//!
//! | id | what one measured iteration does |
//! | --- | --- |
//! | `futures_4_2/sequential/10` | `count(1..=10)` in the bench thread |
//! | `futures_4_2/threads/10` | `pools::thread_pool`: 5 scoped threads take the ten numbers from a channel, the results come back as completed |
//! | `futures_4_2/processes/10` | `pools::ProcessPool`: start 5 `bench_worker __child pool-worker` processes, feed them the ten numbers over their stdin, read the answers, reap them |
//!
//! The Python twin is `python/futures_4_2.py`; the report sets both beside the
//! book's printed times (7.94 s, 7.63 s and 4.79 s).
//!
//! Environment: `FUTURES_ITERATIONS`, the increments of one `count` (default the
//! book's 10 000 000; in criterion's test mode 10 000 unless it is set). Both sides
//! read it. Each mode's results are checked once before anything is measured.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use ch04_async::pools::{self, ProcessPool, WORKER_ROLE};
use cookbook_support::child;
use criterion::{BenchmarkId, Criterion, SamplingMode};

/// The book's numbers and pool size.
const NUMBERS: u64 = 10;
const WORKERS: usize = 5;
/// The book's `range(0, 10000000)`.
const BOOK_ITERATIONS: u64 = 10_000_000;

/// The child of the processes mode.
const WORKER: &str = env!("CARGO_BIN_EXE_bench_worker");

/// One way to run the ten calls; returns the sum of their results.
type Mode = fn(&[u64], u64) -> u64;

fn iterations() -> u64 {
    match std::env::var("FUTURES_ITERATIONS") {
        Ok(text) => match text.trim().parse::<u64>() {
            Ok(n) if (1..=pools::MAX_ITERATIONS).contains(&n) => n,
            _ => panic!("FUTURES_ITERATIONS must be a whole number from 1 to {}, not {text:?}", pools::MAX_ITERATIONS),
        },
        Err(_) if std::env::args().any(|a| a == "--test") => 10_000,
        Err(_) => BOOK_ITERATIONS,
    }
}

fn sequential(numbers: &[u64], iterations: u64) -> u64 {
    numbers.iter().map(|&n| pools::count(n, iterations)).sum()
}

fn threads(numbers: &[u64], iterations: u64) -> u64 {
    let mut sum = 0;
    pools::thread_pool(WORKERS, numbers, iterations, |_, r| sum += r).expect("the thread pool failed");
    sum
}

fn processes(numbers: &[u64], iterations: u64) -> u64 {
    let args = [format!("--iterations={iterations}")];
    let commands = (0..WORKERS).map(|_| Ok(child::command_of(Path::new(WORKER), WORKER_ROLE, &args)));
    let pool = ProcessPool::start_commands(commands).expect("cannot start the process pool");
    let mut sum = 0;
    pool.map_as_completed(numbers, |_, r| sum += r).expect("the process pool failed");
    sum
}

fn futures_4_2(c: &mut Criterion) {
    let iterations = iterations();
    let numbers: Vec<u64> = (1..=NUMBERS).collect();
    let modes: [(&str, Mode); 3] = [("sequential", sequential), ("threads", threads), ("processes", processes)];
    let want = iterations * NUMBERS * (NUMBERS + 1) / 2;
    for (mode, run) in modes {
        assert_eq!(run(&numbers, iterations), want, "futures_4_2: the {mode} mode computes something else");
    }

    let mut group = c.benchmark_group("futures_4_2");
    // One iteration is ten calls of the book's loop: tens of milliseconds.
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(4));
    for (mode, run) in modes {
        group.bench_with_input(BenchmarkId::new(mode, NUMBERS), &numbers, |b, numbers| {
            b.iter(|| black_box(run(numbers, iterations)))
        });
    }
    group.finish();
}

criterion::criterion_group!(benches, futures_4_2);
criterion::criterion_main!(benches);

//! The 2nd edition's chapter 1 test (`serial_test.py`, `multithreading_test.py`,
//! `multiprocessing_test.py`), as criterion benches.
//!
//! One job is `workers` lists of `size` random floats, each built by
//! `ch01_intro::work::do_something` (one `push` at a time, no `reserve`, like
//! Python's `append`), measured and dropped. The same code runs the chapter's
//! recipes. Ids, with workers = 1, 2, 4, 8, 10:
//!
//! | id | what one measured iteration does |
//! | --- | --- |
//! | `do_something/sequential/<workers>` | the lists one after the other in the bench thread (ch01's `Mode::Serial`, `serial_test.py`) |
//! | `do_something/threads/<workers>` | one `std::thread` per list, spawned and joined (`multithreading_test.py` as the book meant it) |
//! | `do_something/processes/<workers>` | one `bench_worker` child per list, which prints its list's length and sum back (`multiprocessing_test.py`) |
//! | `do_something/rayon/<workers>` | the lists on a rayon pool of `workers` threads built outside the measurement |
//!
//! Environment: `DO_SOMETHING_SIZE`, the items per list (default 100 000; the book's
//! 10 000 000 makes 10 workers hold 800 MB at once in the parallel modes, and a
//! long run). Every job's report goes through [`black_box`], and each mode's report
//! is checked once against the sequential one (same seed, same numbers) before
//! anything is measured.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use ch01_intro::work::{JobReport, run_processes_of, run_rayon_in, run_serial, run_threads};
use cookbook_bench::pools::rayon_pools;
use criterion::{BenchmarkId, Criterion, SamplingMode};

/// The numbers of workers: the book's 10, and the §2.13 sizes below it.
const WORKERS: [usize; 5] = [1, 2, 4, 8, 10];
/// The items per list when `DO_SOMETHING_SIZE` is not set.
const DEFAULT_SIZE: usize = 100_000;
/// One seed for every run: every mode builds the same lists.
const SEED: u64 = 2_013;

/// The child of the processes mode.
const WORKER: &str = env!("CARGO_BIN_EXE_bench_worker");

fn size() -> usize {
    match std::env::var("DO_SOMETHING_SIZE") {
        Ok(text) => match text.trim().parse::<usize>() {
            Ok(n) if n > 0 => n,
            _ => panic!("DO_SOMETHING_SIZE must be a positive whole number, not {text:?}"),
        },
        Err(_) => DEFAULT_SIZE,
    }
}

fn check(mode: &str, got: &JobReport, want: &JobReport) {
    assert_eq!(got, want, "do_something: the {mode} mode disagrees with the sequential one");
}

fn do_something(c: &mut Criterion) {
    let size = size();
    let worker = Path::new(WORKER);
    let pools = rayon_pools(&WORKERS);

    // Same seed, same lists: every mode must give the sequential report, bit for bit.
    let want = run_serial(2, size, SEED);
    assert_eq!(want.lens, vec![size; 2]);
    check("threads", &run_threads(2, size, SEED).expect("threads"), &want);
    check("processes", &run_processes_of(worker, 2, size, SEED).expect("processes"), &want);
    check("rayon", &run_rayon_in(&pools[1].1, 2, size, SEED), &want);

    let mut group = c.benchmark_group("do_something");
    // About 1.5 s a bench at the default size: 20 benches, about 40 s in all. Fifty
    // samples: short repeats, so that the fastest misses the moments when other work
    // takes a core.
    group.sample_size(50);
    group.warm_up_time(Duration::from_millis(300));
    group.measurement_time(Duration::from_millis(1_200));
    group.nresamples(20_000);
    // Flat sampling: every sample runs the same number of iterations, so the rows
    // of milliseconds (10 processes) fit their time as well as the fast ones.
    group.sampling_mode(SamplingMode::Flat);
    if size > DEFAULT_SIZE {
        // Larger lists: ten samples, at least one iteration each.
        group.sample_size(10);
    }
    for (workers, pool) in &pools {
        let workers = *workers;
        group.bench_with_input(BenchmarkId::new("sequential", workers), &workers, |b, &w| {
            b.iter(|| black_box(run_serial(black_box(w), size, SEED)))
        });
        group.bench_with_input(BenchmarkId::new("threads", workers), &workers, |b, &w| {
            b.iter(|| black_box(run_threads(black_box(w), size, SEED).expect("threads run")))
        });
        group.bench_with_input(BenchmarkId::new("processes", workers), &workers, |b, &w| {
            b.iter(|| black_box(run_processes_of(worker, black_box(w), size, SEED).expect("processes run")))
        });
        group.bench_with_input(BenchmarkId::new("rayon", workers), &workers, |b, &w| {
            b.iter(|| black_box(run_rayon_in(pool, black_box(w), size, SEED)))
        });
    }
    group.finish();
}

criterion::criterion_group!(benches, do_something);
criterion::criterion_main!(benches);

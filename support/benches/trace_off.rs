//! The off path of `--trace`: what a span costs when nothing records it.
//!
//! A recipe's hot loop, `thread_lock`'s: take a lock, add one, release it. Two
//! rows, one iteration each:
//!
//! - `trace_off/plain`: the loop as it would be without instrumentation;
//! - `trace_off/span_no_subscriber`: the same loop with a `hold` span entered
//!   around the critical section, as a recipe writes it, and no subscriber
//!   installed (a run without `--trace`).
//!
//! A third row, `trace_off/span_recorded`, records the same span with the
//! cookbook's recorder on this thread (`trace::record_local`), for scale: that is
//! the price of a run *with* `--trace`, and why recipes put spans on their events
//! rather than on every iteration of a million-iteration loop.
//!
//! Two more rows are a worker as the recipes instrument it: 10 000 iterations of
//! the same loop inside one `run` span (a span per event, never per iteration):
//!
//! - `trace_off/worker_plain`: the worker without instrumentation;
//! - `trace_off/worker_span_no_subscriber`: the same worker in its `run` span,
//!   with nothing recording. This is the off path a reader's run takes.
//!
//! Run: `cargo bench -p cookbook-support --bench trace_off`.

use std::hint::black_box;
use std::sync::Mutex;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

fn trace_off(c: &mut Criterion) {
    let mut g = c.benchmark_group("trace_off");
    g.measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    let counter = Mutex::new(0_u64);

    g.bench_function("plain", |b| {
        b.iter(|| {
            *black_box(&counter).lock().unwrap() += 1;
        })
    });

    g.bench_function("span_no_subscriber", |b| {
        b.iter(|| {
            let _hold = tracing::info_span!("hold", lock = "counter").entered();
            *black_box(&counter).lock().unwrap() += 1;
        })
    });

    // Batches of 1000 spans per recording, so the recording's memory stays small.
    g.bench_function("span_recorded", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            let mut left = iters;
            while left > 0 {
                let n = left.min(1000);
                left -= n;
                let mut elapsed = Duration::ZERO;
                let trace = cookbook_support::trace::record_local(|| {
                    let start = std::time::Instant::now();
                    for _ in 0..n {
                        let _hold = tracing::info_span!("hold", lock = "counter").entered();
                        *black_box(&counter).lock().unwrap() += 1;
                    }
                    elapsed = start.elapsed();
                });
                black_box(trace);
                total += elapsed;
            }
            total
        })
    });
    const WORKER_ITERATIONS: u64 = 10_000;
    g.bench_function("worker_plain", |b| {
        b.iter(|| {
            for _ in 0..WORKER_ITERATIONS {
                *black_box(&counter).lock().unwrap() += 1;
            }
        })
    });

    g.bench_function("worker_span_no_subscriber", |b| {
        b.iter(|| {
            let _run = tracing::info_span!("run", worker = 1).entered();
            for _ in 0..WORKER_ITERATIONS {
                *black_box(&counter).lock().unwrap() += 1;
            }
        })
    });
    g.finish();
}

criterion_group!(benches, trace_off);
criterion_main!(benches);

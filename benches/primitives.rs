//! Primitive costs: what one spawn, one lock, one message, one async task and one
//! small OpenCL kernel cost in Rust, so the report can set them beside the Python
//! twins in `python/primitives.py` and the operating system's floor, measured by
//! the C twins in `c/`.
//!
//! Benchmark ids (criterion's `<group>/<function>/<parameter>`):
//!
//! | id | what one iteration is | Python twin |
//! | --- | --- | --- |
//! | `primitives/thread_spawn_join/1` | `std::thread::spawn` of an empty closure, then `join` | `threading.Thread` start + join; C `pthread_create` + `pthread_join` |
//! | `primitives/process_spawn_wait/1` | start `bench_worker noop` with `Command` (`posix_spawn` on Linux), wait for it | `multiprocessing.Process` start + join; `subprocess.run` and C `posix_spawn` of the same program |
//! | `primitives/mutex/uncontended` | one `Mutex::lock` + unlock (+ an increment), one thread | — |
//! | `primitives/mutex/contended_2` | one lock + unlock, while a second thread hammers the same lock | — |
//! | `channel/crossbeam/100000` | spawn a producer that sends 100 000 `u64` over an unbounded crossbeam channel; the bench thread receives them all; join | `queue.Queue`, one producer thread, one consumer |
//! | `channel/crossbeam_bounded_1024/100000` | the same over `crossbeam_channel::bounded(1024)`: the producer waits while 1 024 are in flight | `queue.Queue(maxsize=1024)` |
//! | `channel/std_mpsc/100000` | the same over `std::sync::mpsc::channel` | `queue.Queue` |
//! | `async/tokio_tasks/100000` | spawn 100 000 trivial tasks on a multi-thread runtime (built outside the measurement) and await all handles | `asyncio`: 100 000 tasks, `gather` |
//! | `async/tokio_tasks_current_thread/100000` | the same on a `current_thread` runtime: one thread, as asyncio's loop (the fair comparison) | the same |
//! | `async/tokio_sleeps/10000` | on a `current_thread` runtime, 10 000 tasks that each sleep a random 0–1 ms (seeded), awaited: the cost of the timers (tokio's wheel), beyond the longest sleep | `asyncio`: 10 000 tasks of `asyncio.sleep(random 0–1 ms)` (its heap of timers), `gather` |
//! | `opencl/vector_add/pocl/1048576` | write `a` and `b` to device buffers, run the kernel, read `c` back (blocking) | — |
//! | `opencl/vector_add/rayon/1048576` | `c[i] = a[i] + b[i]` with rayon's `par_iter` on the global pool | — |
//!
//! The OpenCL rows need an OpenCL platform (PoCL on a CPU is enough: every device type
//! counts). Without one they are skipped with a printed reason; everything else
//! needs nothing but Rust.
//!
//! Run: `cargo bench --bench primitives` (all), `cargo bench --bench primitives -- --test`
//! (each once, as the CI does).

use std::hint::black_box;
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;

/// Messages per channel run and tasks per tokio run (the ids carry this number).
const MESSAGES: u64 = 100_000;
const TASKS: u64 = 100_000;
/// Timers per timer run, and the longest of their random sleeps.
const TIMERS: u64 = 10_000;
const LONGEST_SLEEP_US: u64 = 1_000;
/// Length of the f32 vectors of the OpenCL / rayon vector add (2^20).
const VECTOR_LEN: usize = 1 << 20;

/// The worker binary of this package; `noop` makes it exit 0 at once.
const WORKER: &str = env!("CARGO_BIN_EXE_bench_worker");

// ---------------------------------------------------------------------------------
// primitives/*: spawn, process, mutex
// ---------------------------------------------------------------------------------

fn bench_primitives(c: &mut Criterion) {
    let mut group = c.benchmark_group("primitives");
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));

    // Creation and join are both inside the measurement, as in the Python twin.
    group.bench_function(BenchmarkId::new("thread_spawn_join", 1), |b| {
        b.iter(|| {
            let handle = thread::spawn(|| black_box(1u64));
            black_box(handle.join().expect("spawned thread panicked"))
        })
    });

    // A real child process: fork/exec of bench_worker, which returns at once for
    // `noop`. Check once outside the measurement that it really succeeds.
    let noop = || Command::new(WORKER).arg("noop").stdin(Stdio::null()).status().expect("cannot start bench_worker");
    let status = noop();
    assert!(status.success(), "bench_worker noop failed: {status}");
    group.sample_size(50);
    group.bench_function(BenchmarkId::new("process_spawn_wait", 1), |b| b.iter(|| black_box(noop())));
    group.sample_size(100);

    // One lock + unlock, nobody else wants the lock.
    let mutex = Mutex::new(0u64);
    group.bench_function(BenchmarkId::new("mutex", "uncontended"), |b| {
        b.iter(|| {
            let mut guard = black_box(&mutex).lock().unwrap();
            *guard += 1;
        })
    });

    // Two threads share one lock; `iters` lock + unlock pairs are split between
    // them and the wall time from the first thread's start to the last thread's
    // last unlock is reported, so criterion's figure is the wall time per
    // lock + unlock under contention. Spawning happens before a start barrier and
    // thread exit is not timed either: each thread stamps its own start and end.
    group.bench_function(BenchmarkId::new("mutex", "contended_2"), |b| b.iter_custom(contended_lock));

    group.finish();
}

fn contended_lock(iters: u64) -> Duration {
    let mutex = Arc::new(Mutex::new(0u64));
    let barrier = Arc::new(Barrier::new(3));
    let shares = [iters - iters / 2, iters / 2];
    let handles: Vec<_> = shares
        .into_iter()
        .map(|share| {
            let mutex = Arc::clone(&mutex);
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                barrier.wait();
                let start = Instant::now();
                for _ in 0..share {
                    let mut guard = black_box(&*mutex).lock().unwrap();
                    *guard += 1;
                }
                (start, Instant::now())
            })
        })
        .collect();
    barrier.wait();
    let stamps: Vec<(Instant, Instant)> =
        handles.into_iter().map(|h| h.join().expect("locking thread panicked")).collect();
    assert_eq!(*mutex.lock().unwrap(), iters, "lost increments");
    let start = stamps.iter().map(|s| s.0).min().expect("two threads");
    let end = stamps.iter().map(|s| s.1).max().expect("two threads");
    // Never zero, even for a single lock on a coarse clock (criterion refuses 0).
    end.saturating_duration_since(start).max(Duration::from_nanos(1))
}

// ---------------------------------------------------------------------------------
// channel/*: one producer thread, the bench thread consumes
// ---------------------------------------------------------------------------------

fn bench_channels(c: &mut Criterion) {
    let mut group = c.benchmark_group("channel");
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    group.sample_size(30);
    group.throughput(Throughput::Elements(MESSAGES));
    let expected: u64 = (0..MESSAGES).sum();

    // Channel creation and the producer's spawn + join are inside the measurement,
    // as in the Python twin (a fresh queue.Queue and producer thread per run).
    // The same round for both channels: a fresh channel, a producer thread that
    // sends 0..n, and this thread receiving and summing them.
    macro_rules! round {
        ($channel:expr, $n:expr) => {{
            let (tx, rx) = $channel;
            let n = $n;
            let producer = thread::spawn(move || {
                for i in 0..n {
                    tx.send(i).expect("receiver alive");
                }
            });
            let mut sum = 0u64;
            for _ in 0..n {
                sum += rx.recv().expect("sender alive");
            }
            producer.join().expect("producer panicked");
            assert_eq!(sum, expected);
            black_box(sum)
        }};
    }
    group.bench_with_input(BenchmarkId::new("crossbeam", MESSAGES), &MESSAGES, |b, &n| {
        b.iter(|| round!(crossbeam_channel::unbounded::<u64>(), n))
    });
    group.bench_with_input(BenchmarkId::new("crossbeam_bounded_1024", MESSAGES), &MESSAGES, |b, &n| {
        b.iter(|| round!(crossbeam_channel::bounded::<u64>(1024), n))
    });
    group.bench_with_input(BenchmarkId::new("std_mpsc", MESSAGES), &MESSAGES, |b, &n| {
        b.iter(|| round!(mpsc::channel::<u64>(), n))
    });

    group.finish();
}

// ---------------------------------------------------------------------------------
// async/*: 100 000 tokio tasks
// ---------------------------------------------------------------------------------

/// Spawn `n` trivial tasks on the runtime the caller entered, and await them all.
async fn spawn_and_await(n: u64) -> u64 {
    let handles: Vec<_> = (0..n).map(|i| tokio::spawn(async move { black_box(i) })).collect();
    let mut sum = 0u64;
    for handle in handles {
        sum += handle.await.expect("task panicked");
    }
    sum
}

fn bench_async(c: &mut Criterion) {
    // Built once, outside the measurement (the Python twin likewise times inside
    // one running event loop). asyncio's loop is one thread: the current_thread
    // runtime is the fair comparison, the multi-thread one what tokio gives by
    // default.
    let multi = tokio::runtime::Builder::new_multi_thread().build().expect("tokio runtime");
    let single = tokio::runtime::Builder::new_current_thread().enable_time().build().expect("tokio runtime");
    let expected: u64 = (0..TASKS).sum();

    let mut group = c.benchmark_group("async");
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    group.sample_size(20);
    group.throughput(Throughput::Elements(TASKS));
    for (name, runtime) in [("tokio_tasks", &multi), ("tokio_tasks_current_thread", &single)] {
        group.bench_with_input(BenchmarkId::new(name, TASKS), &TASKS, |b, &n| {
            b.iter(|| {
                let sum = runtime.block_on(spawn_and_await(n));
                assert_eq!(sum, expected);
                black_box(sum)
            })
        });
    }

    // The timer wheel: every task registers one timer of a random length; the run
    // lasts at least the longest sleep, and the rest is the timers' cost.
    let mut rng = cookbook_support::rng::seeded(2_013);
    let sleeps: Arc<Vec<Duration>> = Arc::new(
        (0..TIMERS)
            .map(|_| Duration::from_micros(cookbook_support::rng::Rng::random_range(&mut rng, 0..=LONGEST_SLEEP_US)))
            .collect(),
    );
    group.throughput(Throughput::Elements(TIMERS));
    group.bench_with_input(BenchmarkId::new("tokio_sleeps", TIMERS), &TIMERS, |b, _| {
        b.iter(|| {
            single.block_on(async {
                let handles: Vec<_> = sleeps.iter().map(|&d| tokio::spawn(tokio::time::sleep(d))).collect();
                for handle in handles {
                    handle.await.expect("task panicked");
                }
            })
        })
    });
    group.finish();
}

// ---------------------------------------------------------------------------------
// opencl/vector_add/{pocl,rayon}/1048576
// ---------------------------------------------------------------------------------

/// The kernel, kept as a real `.cl` file next to the bench.
const VECTOR_ADD_CL: &str = include_str!("kernels/vector_add.cl");

/// Everything made outside the measurement: context, in-order queue, the three
/// buffers, the compiled program and its kernel with its arguments set.
struct OpenClAdd {
    description: String,
    queue: opencl3::command_queue::CommandQueue,
    kernel: opencl3::kernel::Kernel,
    a: opencl3::memory::Buffer<f32>,
    b: opencl3::memory::Buffer<f32>,
    c: opencl3::memory::Buffer<f32>,
    len: usize,
    // Dropped last (fields drop in declaration order).
    _program: opencl3::program::Program,
    _context: opencl3::context::Context,
}

impl OpenClAdd {
    /// Picks the first device of any type on any platform (PoCL's CPU device
    /// counts) and sets everything up; `Err` is the reason to print when skipping.
    fn new(len: usize) -> Result<Self, String> {
        use opencl3::command_queue::CommandQueue;
        use opencl3::context::Context;
        use opencl3::device::{CL_DEVICE_TYPE_ALL, Device};
        use opencl3::kernel::Kernel;
        use opencl3::memory::{Buffer, CL_MEM_READ_ONLY, CL_MEM_WRITE_ONLY, ClMem};
        use opencl3::platform::get_platforms;
        use opencl3::program::Program;

        let platforms = get_platforms().map_err(|e| format!("no OpenCL platform ({e})"))?;
        let (platform, device_id) = platforms
            .iter()
            .find_map(|p| p.get_devices(CL_DEVICE_TYPE_ALL).ok().and_then(|d| d.first().copied()).map(|d| (p, d)))
            .ok_or_else(|| "no OpenCL device on any platform".to_string())?;
        let device = Device::new(device_id);
        let description = format!(
            "{} / {}",
            platform.name().unwrap_or_else(|_| "?".into()),
            device.name().unwrap_or_else(|_| "?".into())
        );
        let context = Context::from_device(&device).map_err(|e| format!("context: {e}"))?;
        // In-order queue (no properties): the final blocking read returns only
        // after the writes and the kernel before it have finished.
        let queue = CommandQueue::create_default_with_properties(&context, 0, 0)
            .or_else(|_| {
                #[allow(deprecated)]
                CommandQueue::create_default(&context, 0)
            })
            .map_err(|e| format!("command queue: {e}"))?;
        let program = Program::create_and_build_from_source(&context, VECTOR_ADD_CL, "")
            .map_err(|log| format!("kernel build failed: {log}"))?;
        let kernel = Kernel::create(&program, "vector_add").map_err(|e| format!("kernel: {e}"))?;
        // SAFETY: host_ptr is null, so no host memory is aliased.
        let make = |flags| unsafe {
            Buffer::<f32>::create(&context, flags, len, std::ptr::null_mut()).map_err(|e| format!("buffer: {e}"))
        };
        let a = make(CL_MEM_READ_ONLY)?;
        let b = make(CL_MEM_READ_ONLY)?;
        let c = make(CL_MEM_WRITE_ONLY)?;
        // SAFETY: the three arguments are cl_mem handles of buffers of `len` f32
        // each, matching the kernel's signature; they live as long as `self`.
        unsafe {
            kernel.set_arg(0, &a.get()).map_err(|e| format!("arg 0: {e}"))?;
            kernel.set_arg(1, &b.get()).map_err(|e| format!("arg 1: {e}"))?;
            kernel.set_arg(2, &c.get()).map_err(|e| format!("arg 2: {e}"))?;
        }
        Ok(Self { description, queue, kernel, a, b, c, len, _program: program, _context: context })
    }

    /// The measured part: write both inputs, run the kernel over `len`
    /// work-items, read the result back (blocking).
    fn add(&mut self, a: &[f32], b: &[f32], c: &mut [f32]) -> Result<(), String> {
        use opencl3::types::{CL_BLOCKING, CL_NON_BLOCKING};
        assert!(a.len() == self.len && b.len() == self.len && c.len() == self.len);
        let global = [self.len];
        // SAFETY: the slices outlive the commands: the queue is in order and the
        // blocking read at the end waits for the writes and the kernel.
        unsafe {
            self.queue
                .enqueue_write_buffer(&mut self.a, CL_NON_BLOCKING, 0, a, &[])
                .map_err(|e| format!("write a: {e}"))?;
            self.queue
                .enqueue_write_buffer(&mut self.b, CL_NON_BLOCKING, 0, b, &[])
                .map_err(|e| format!("write b: {e}"))?;
            self.queue
                .enqueue_nd_range_kernel(self.kernel.get(), 1, std::ptr::null(), global.as_ptr(), std::ptr::null(), &[])
                .map_err(|e| format!("kernel launch: {e}"))?;
            self.queue.enqueue_read_buffer(&self.c, CL_BLOCKING, 0, c, &[]).map_err(|e| format!("read c: {e}"))?;
        }
        Ok(())
    }
}

fn rayon_add(a: &[f32], b: &[f32], c: &mut [f32]) {
    c.par_iter_mut().zip(a.par_iter().zip(b.par_iter())).for_each(|(c, (a, b))| *c = a + b);
}

fn bench_opencl(c: &mut Criterion) {
    let len = VECTOR_LEN;
    let a: Vec<f32> = (0..len).map(|i| i as f32 * 0.5).collect();
    let b: Vec<f32> = (0..len).map(|i| (len - i) as f32 * 0.25).collect();
    let reference: Vec<f32> = a.iter().zip(&b).map(|(x, y)| x + y).collect();

    // rayon: check once against the CPU reference, outside the measurement.
    let mut out = vec![0.0f32; len];
    rayon_add(&a, &b, &mut out);
    assert_eq!(out, reference, "rayon vector add differs from the CPU reference");

    // OpenCL: set up and check once; skip the row with a reason when impossible.
    let opencl = match OpenClAdd::new(len) {
        Ok(mut cl) => {
            let mut got = vec![0.0f32; len];
            match cl.add(&a, &b, &mut got) {
                Ok(()) if got == reference => {
                    println!("opencl/vector_add: using {}", cl.description);
                    Some(cl)
                }
                Ok(()) => panic!("OpenCL vector add on {} differs from the CPU reference", cl.description),
                Err(e) => {
                    println!("opencl/vector_add/pocl: skipped: {e}");
                    None
                }
            }
        }
        Err(reason) => {
            println!("opencl/vector_add/pocl: skipped: {reason}");
            None
        }
    };

    let mut group = c.benchmark_group("opencl/vector_add");
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    group.sample_size(50);
    group.throughput(Throughput::Elements(len as u64));
    if let Some(mut cl) = opencl {
        group.bench_with_input(BenchmarkId::new("pocl", len), &len, |bench, _| {
            bench.iter(|| {
                cl.add(&a, &b, &mut out).expect("OpenCL vector add failed");
                black_box(&out);
            })
        });
    }
    group.bench_with_input(BenchmarkId::new("rayon", len), &len, |bench, _| {
        bench.iter(|| {
            rayon_add(black_box(&a), black_box(&b), &mut out);
            black_box(&out);
        })
    });
    group.finish();
}

// ---------------------------------------------------------------------------------
// Rows that wait for their chapters
// ---------------------------------------------------------------------------------
//
// TODO(ch03-processes, feature `mpi`): `mpi/ping_pong/<bytes>`: rsmpi ping-pong
//   latency between two ranks, beside the C version built by scripts/bench with
//   mpicc (the report's pair "MPI ping-pong latency"). Add one bench function here, skipped with a
//   printed reason when the bench is not run under mpirun / without the feature.
// TODO(ch05-distributed): `celery/task_round_trip/1`: one Celery task round trip on
//   RabbitMQ through the Rust worker, beside the Python worker's twin (the report's
//   pair "Celery task round trip"). Skipped with a printed reason when no broker is up.

criterion_group!(benches, bench_primitives, bench_channels, bench_async, bench_opencl);
criterion_main!(benches);

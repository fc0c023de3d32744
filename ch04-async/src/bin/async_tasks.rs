//! # Task manipulation with asyncio
//!
//! **Book:** 1st edition §4.5 *Task manipulation with Asyncio*
//! (「4.5 使用Asyncio控制任务」; printed edition「使用 Asyncio 管理任务」).
//! 2nd edition `Chapter05/asyncio_task_manipulation.py` (第5章 异步编程).
//!
//! **Run:** `cargo run --bin async_tasks -- --delay-scale 0.1` (or
//! `cookbook run 4.5`); `--sequential` awaits the three coroutines one after
//! another; `--cancellation` stops them with a timeout, an abort and a
//! `select!`; `--paused-clock` makes every sleep free and exact.
//!
//! Three tasks (factorial, Fibonacci, a binomial coefficient) share one thread:
//! each prints a step, then sleeps a second, and the runtime runs the others
//! meanwhile.

use std::process::ExitCode;
use std::time::Duration;

use ch04_async::clock::{PausedClock, Stopwatch};
use clap::Parser;
use cookbook_support::{Delay, Status, Trace, fail};
use tracing::Instrument;

/// Three coroutines run as concurrent tasks on one thread (1st edition §4.5, 2nd
/// edition asyncio_task_manipulation.py).
#[derive(Parser)]
#[command(name = "async_tasks")]
struct Args {
    /// Await the three coroutines one after another instead of as tasks.
    #[arg(long, conflicts_with = "cancellation")]
    sequential: bool,

    /// Stop the coroutines before they finish: tokio::time::timeout
    /// (asyncio.wait_for), JoinHandle::abort (Task.cancel) and select!.
    #[arg(long)]
    cancellation: bool,

    #[command(flatten)]
    clock: PausedClock,

    #[command(flatten)]
    delay: Delay,

    #[command(flatten)]
    trace: Trace,
}

/// What a coroutine has done when it is stopped: its clean-up says it.
struct Steps {
    name: &'static str,
    done: u32,
    finished: bool,
}

// ANCHOR: cleanup
/// Python's `try: … finally:` (or `except CancelledError:`) around a
/// coroutine's body. A cancelled Rust future is not interrupted by an exception:
/// it is *dropped* at the `.await` where it waits, and its locals are dropped
/// with it, so clean-up goes in a `Drop`.
impl Drop for Steps {
    fn drop(&mut self) {
        if !self.finished {
            println!("cleanup = {} steps_done = {}", self.name, self.done);
        }
    }
}
// ANCHOR_END: cleanup

// ANCHOR: listing
async fn factorial(number: u64, second: Duration) -> u64 {
    let mut steps = Steps { name: "factorial", done: 0, finished: false };
    let mut f = 1;
    for i in 2..=number {
        println!("Asyncio.Task: Compute factorial({i})");
        tokio::time::sleep(second).await; // here the task gives the thread away
        f *= i;
        steps.done += 1;
    }
    println!("Asyncio.Task - factorial({number}) = {f}");
    steps.finished = true;
    f
}

async fn fibonacci(number: u64, second: Duration) -> u64 {
    let mut steps = Steps { name: "fibonacci", done: 0, finished: false };
    let (mut a, mut b) = (0u64, 1u64);
    for i in 0..number {
        println!("Asyncio.Task: Compute fibonacci({i})");
        tokio::time::sleep(second).await;
        (a, b) = (b, a + b);
        steps.done += 1;
    }
    println!("Asyncio.Task - fibonacci({number}) = {a}");
    steps.finished = true;
    a
}

/// C(n, k) = n! / (k! (n-k)!), built up as the book does: after step i the
/// product is C(n, i), a whole number, so integer division is exact. The book
/// divides floats and prints 184756.0.
async fn binomial_coeff(n: u64, k: u64, second: Duration) -> u64 {
    let mut steps = Steps { name: "binomial", done: 0, finished: false };
    let mut result = 1;
    for i in 1..=k {
        result = result * (n - i + 1) / i;
        println!("Asyncio.Task: Compute binomialCoeff({i})");
        tokio::time::sleep(second).await;
        steps.done += 1;
    }
    println!("Asyncio.Task - binomialCoeff({n}, {k}) = {result}");
    steps.finished = true;
    result
}

/// The book: `asyncio.Task(…)` for each coroutine, then `asyncio.wait(tasks)`.
/// `tokio::spawn` starts a task at once; its `JoinHandle` is the `Task` object.
async fn as_tasks(second: Duration) -> Result<(u64, u64, u64), tokio::task::JoinError> {
    let f = tokio::spawn(factorial(10, second).instrument(tracing::info_span!("run", worker = 1)));
    let g = tokio::spawn(fibonacci(10, second).instrument(tracing::info_span!("run", worker = 2)));
    let b = tokio::spawn(binomial_coeff(20, 10, second).instrument(tracing::info_span!("run", worker = 3)));
    // Held, not entered: drawn over the whole wait, around the tasks' bars.
    let _wait = tracing::info_span!("wait", on = "tasks");
    let (f, g, b) = tokio::join!(f, g, b);
    Ok((f?, g?, b?))
}

/// The same coroutines, each awaited to its end before the next one starts: a
/// future does nothing until it is awaited, and awaiting it here waits for it.
async fn one_after_another(second: Duration) -> (u64, u64, u64) {
    let f = factorial(10, second).await;
    let g = fibonacci(10, second).await;
    let b = binomial_coeff(20, 10, second).await;
    (f, g, b)
}
// ANCHOR_END: listing

// ANCHOR: cancellation
/// Three ways to stop a coroutine before its end, each after a whole number of
/// steps and a half.
async fn cancellation(second: Duration) -> Result<(), String> {
    // asyncio.wait_for(coro, timeout): the coroutine is dropped at the timeout.
    match tokio::time::timeout(second * 5 / 2, factorial(10, second)).await {
        Ok(v) => return Err(format!("factorial finished ({v}) before its timeout")),
        Err(_) => println!("stopped = factorial how = timeout"),
    }

    // task.cancel(): abort() asks the runtime to drop the task at its next
    // await; awaiting the handle then says it was cancelled.
    let task = tokio::spawn(fibonacci(10, second).instrument(tracing::info_span!("run", worker = 2)));
    tokio::time::sleep(second * 7 / 2).await;
    task.abort();
    match task.await {
        Err(e) if e.is_cancelled() => println!("stopped = fibonacci how = abort"),
        other => return Err(format!("the aborted task ended with {other:?}")),
    }

    // asyncio.wait(…, return_when=FIRST_COMPLETED): select! polls both futures
    // and drops the one that did not finish first.
    tokio::select! {
        v = binomial_coeff(20, 10, second) => return Err(format!("binomialCoeff finished ({v}) before the deadline")),
        _ = tokio::time::sleep(second * 9 / 2) => println!("stopped = binomial how = select"),
    }
    Ok(())
}
// ANCHOR_END: cancellation

fn main() -> ExitCode {
    let args = Args::parse();
    let _session = args.trace.start();
    let second = args.delay.scaled(1.0);
    let rt = match args.clock.runtime() {
        Ok(rt) => rt,
        Err(e) => return fail(format!("cannot start the tokio runtime: {e}")),
    };
    let (results, elapsed) = rt.block_on(async {
        let watch = Stopwatch::start();
        let results = if args.cancellation {
            cancellation(second).await.map(|()| None)
        } else if args.sequential {
            Ok(Some(one_after_another(second).await))
        } else {
            as_tasks(second).await.map(Some).map_err(|e| format!("a task failed: {e}"))
        };
        (results, watch.elapsed())
    });
    match results {
        Err(why) => return fail(why),
        Ok(Some((f, g, b))) => {
            println!("factorial = {f}");
            println!("fibonacci = {g}");
            println!("binomial = {b}");
        }
        Ok(None) => {}
    }
    let clock = if args.clock.paused_clock { "virtual time" } else { "real time" };
    println!("elapsed = {:.3} s of {clock}", elapsed.as_secs_f64());
    if !args.cancellation {
        println!("(29 waits of the book's 1 s: 10 in a row when the tasks wait together, 29 one after another)");
    }
    if args.clock.paused_clock {
        println!("elapsed_virtual_ms = {}", elapsed.as_millis());
    }
    Status::Success.into()
}

//! # Dealing with asyncio and futures
//!
//! **Book:** 1st edition §4.6 *Dealing with Asyncio and Futures*
//! (「4.6 使用Asyncio和Futures」; printed edition「使用 Asyncio 和 Futures」).
//! 2nd edition `Chapter05/asyncio_and_futures.py` (第5章 异步编程).
//!
//! **Run:** `cargo run --bin async_futures -- 4 4 --delay-scale 0.1` (or
//! `cookbook run 4.6 -- 4 4`); `--swap-delays` is the book's "There's more".
//!
//! Two coroutines each complete a future: the first with the sum of 1..=N1
//! after 3 s, the second with N2! after 4 s. A done-callback on each future
//! prints its result, so the results appear in the order the futures complete.

use std::process::ExitCode;
use std::time::Duration;

use ch04_async::clock::{PausedClock, Stopwatch};
use clap::Parser;
use cookbook_support::{Delay, Status, Trace, fail};
use tokio::sync::oneshot;
use tracing::Instrument;

/// Two coroutines complete two futures; a callback prints each result (1st
/// edition §4.6, 2nd edition asyncio_and_futures.py).
#[derive(Parser)]
#[command(name = "async_futures")]
struct Args {
    /// N1: the first coroutine sums 1..=N1 [0–10000000].
    #[arg(value_parser = clap::value_parser!(u64).range(0..=10_000_000))]
    n1: u64,

    /// N2: the second coroutine computes N2! [0–34] (34! is the largest that
    /// fits a u128).
    #[arg(value_parser = clap::value_parser!(u32).range(0..=34))]
    n2: u32,

    /// Give the first coroutine the second's delay and the second the first's
    /// (4 s and 3 s): the second future completes first.
    #[arg(long)]
    swap_delays: bool,

    #[command(flatten)]
    clock: PausedClock,

    #[command(flatten)]
    delay: Delay,

    #[command(flatten)]
    trace: Trace,
}

// ANCHOR: listing
/// `future.set_result(…)`: a oneshot sender, used once. Sending consumes it, so
/// a second `set_result` cannot even be written.
type Future = oneshot::Sender<String>;

async fn first_coroutine(future: Future, n: u64, delay: Duration) {
    let count: u64 = (1..=n).sum();
    tokio::time::sleep(delay).await;
    let _ = future.send(format!("first coroutine (sum of N integers) result = {count}"));
}

async fn second_coroutine(future: Future, n: u32, delay: Duration) {
    let count: u128 = (2..=u128::from(n)).product();
    tokio::time::sleep(delay).await;
    let _ = future.send(format!("second coroutine (factorial) result = {count}"));
}

fn got_result(result: &str) {
    println!("{result}");
}

/// `future.add_done_callback(got_result)`: a task that waits for the future and
/// then calls the callback. A Python future can be read again and again with
/// `result()`; a oneshot's value is moved out once, to the one waiter.
fn add_done_callback(future: oneshot::Receiver<String>) -> tokio::task::JoinHandle<bool> {
    tokio::spawn(async move {
        // The span is entered at each poll of the receiver: on the timeline, a mark
        // when the callback starts waiting and one when the result arrives.
        match future.instrument(tracing::info_span!("wait", on = "future")).await {
            Ok(result) => {
                got_result(&result);
                true
            }
            Err(_) => false, // the coroutine ended without setting a result
        }
    })
}

async fn run(args: &Args) -> Result<(), String> {
    let (three, four) = (args.delay.scaled(3.0), args.delay.scaled(4.0));
    let (first_delay, second_delay) = if args.swap_delays { (four, three) } else { (three, four) };
    // future1 = asyncio.Future(), future2 = asyncio.Future()
    let (future1, result1) = oneshot::channel();
    let (future2, result2) = oneshot::channel();
    let callbacks = [add_done_callback(result1), add_done_callback(result2)];
    // run_until_complete(asyncio.wait(tasks))
    let first =
        tokio::spawn(first_coroutine(future1, args.n1, first_delay).instrument(tracing::info_span!("run", worker = 1)));
    let second = tokio::spawn(
        second_coroutine(future2, args.n2, second_delay).instrument(tracing::info_span!("run", worker = 2)),
    );
    let (a, b) = tokio::join!(first, second);
    a.and(b).map_err(|e| format!("a coroutine failed: {e}"))?;
    for callback in callbacks {
        if !matches!(callback.await, Ok(true)) {
            return Err("a future was dropped without a result".to_string());
        }
    }
    Ok(())
}
// ANCHOR_END: listing

fn main() -> ExitCode {
    let args = Args::parse();
    let _session = args.trace.start();
    let rt = match args.clock.runtime() {
        Ok(rt) => rt,
        Err(e) => return fail(format!("cannot start the tokio runtime: {e}")),
    };
    let (done, elapsed) = rt.block_on(async {
        let watch = Stopwatch::start();
        (run(&args).await, watch.elapsed())
    });
    if let Err(why) = done {
        return fail(why);
    }
    // The two coroutines waited at the same time: the longer wait, not the sum.
    if args.clock.paused_clock {
        println!("elapsed_virtual_ms = {}", elapsed.as_millis());
    }
    Status::Success.into()
}

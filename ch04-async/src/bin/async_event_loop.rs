//! # Event loop management with asyncio
//!
//! **Book:** 1st edition §4.3 *Event loop management with Asyncio*
//! (「4.3 使用Asyncio管理事件循环」; printed edition「使用 Asyncio 实现事件循环管理」).
//! 2nd edition `Chapter05/asyncio_event_loop.py` (第5章 异步编程).
//!
//! **Run:** `cargo run --bin async_event_loop -- --virtual-clock` (or
//! `cookbook run 4.3`); the 2nd edition's tasks that block: `--variant second`;
//! the same cycle on tokio: `--runtime tokio`.
//!
//! Three callbacks call each other in a cycle, one second apart, until the loop's
//! time is up; the loop is the chapter's own `EventLoop` (asyncio's `call_soon`,
//! `call_later`, `time`, `stop`, `run_forever`), or one tokio task that awaits
//! its sleeps.

use std::cell::{Cell, RefCell};
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

use ch04_async::clock::{PausedClock, Stopwatch};
use ch04_async::event_loop::{EventLoop, Stopped};
use clap::{CommandFactory, Parser, ValueEnum};
use cookbook_support::rng::{ChaCha8Rng, Rng, seeded};
use cookbook_support::{Common, Status, fail};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Variant {
    /// 1st edition: function_1 → function_2 → function_3 → function_1 …
    First,
    /// 2nd edition: task_A → task_B → task_C …, each blocking 0–5 s in time.sleep
    Second,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Runtime {
    /// The chapter's EventLoop of callbacks
    Library,
    /// One task on tokio's current_thread runtime
    Tokio,
}

/// Callbacks that schedule each other on an event loop (1st edition §4.3, 2nd
/// edition asyncio_event_loop.py).
#[derive(Parser)]
#[command(name = "async_event_loop")]
struct Args {
    /// Which listing to run.
    #[arg(long, value_enum, default_value_t = Variant::First)]
    variant: Variant,

    /// What runs the callbacks.
    #[arg(long, value_enum, default_value_t = Runtime::Library)]
    runtime: Runtime,

    /// Seconds the loop runs [0–3600], scaled by --delay-scale (the 1st
    /// edition: 9; the 2nd edition: 60; the default is the variant's).
    #[arg(long, value_name = "SECS", value_parser = cookbook_support::seconds)]
    run_for: Option<f64>,

    /// Run the library's loop on a simulated clock: no real waiting, the same
    /// times and order (--runtime library only).
    #[arg(long)]
    virtual_clock: bool,

    #[command(flatten)]
    clock: PausedClock,

    #[command(flatten)]
    common: Common,
}

// ANCHOR: listing
/// What the three callbacks share: the book passes `end_time` and `loop` to
/// every call; the rest is this recipe's bookkeeping.
struct Cycle {
    variant: Variant,
    /// The book's 1 second between calls, scaled.
    second: Duration,
    /// `end_time`, as a time of the loop.
    end: Duration,
    /// The 2nd edition's `random.randint(0, 5)`, seeded.
    rng: Option<RefCell<ChaCha8Rng>>,
    scale: Duration,
    calls: Cell<usize>,
}

impl Cycle {
    /// Print the call (`function_1 called`), and say how long this call blocks
    /// its thread: 0 in the 1st edition, 0–5 s in the 2nd.
    fn called(&self, k: usize, now: Duration) -> Duration {
        self.calls.set(self.calls.get() + 1);
        let (name, blocked) = match (&self.variant, &self.rng) {
            (Variant::Second, Some(rng)) => {
                let secs: u32 = rng.borrow_mut().random_range(0..=5);
                (format!("task_{}", ["A", "B", "C"][k - 1]), self.scale * secs)
            }
            _ => (format!("function_{k}"), Duration::ZERO),
        };
        println!("{name} called");
        let at = now.as_millis();
        match self.variant {
            Variant::First => println!("call = {} name = {name} at_ms = {at}", self.calls.get()),
            Variant::Second => {
                println!("call = {} name = {name} at_ms = {at} blocked_ms = {}", self.calls.get(), blocked.as_millis())
            }
        }
        blocked
    }
}

/// The book's `function_k(end_time, loop)`: a callback that prints, blocks if it
/// is the 2nd edition's, and either schedules the next one in the cycle a second
/// later or stops the loop.
fn callback(cycle: Rc<Cycle>, k: usize, lp: &EventLoop) {
    let _run = tracing::info_span!("run", worker = k).entered();
    let blocked = cycle.called(k, lp.time());
    lp.block(blocked); // the 2nd edition's time.sleep: nothing else runs meanwhile
    if lp.time() + cycle.second < cycle.end {
        let next = k % 3 + 1;
        let second = cycle.second;
        lp.call_later(second, move |lp| callback(cycle, next, lp));
    } else {
        lp.stop();
    }
}

/// asyncio's `get_event_loop()`, `end_loop = loop.time() + 9`,
/// `call_soon(function_1, …)` and `run_forever()`, on the chapter's loop.
fn run_library(mut cycle: Cycle, virtual_clock: bool) -> (Stopped, Duration, usize) {
    let lp = if virtual_clock { EventLoop::with_virtual_clock() } else { EventLoop::new() };
    cycle.end += lp.time();
    let cycle = Rc::new(cycle);
    let first = Rc::clone(&cycle);
    lp.call_soon(move |lp| callback(first, 1, lp));
    let why = lp.run_forever();
    (why, lp.time(), cycle.calls.get())
} // dropping the loop is `loop.close()`

/// The same cycle on tokio, which has tasks and no callbacks: one task runs the
/// cycle as straight-line code, and each `call_later` becomes an awaited sleep.
async fn run_tokio(cycle: &Cycle) -> Duration {
    let watch = Stopwatch::start();
    let mut k = 1;
    loop {
        let blocked = {
            let _run = tracing::info_span!("run", worker = k).entered();
            cycle.called(k, watch.elapsed())
        };
        // The 2nd edition's mistake in a task: a blocking sleep stalls the
        // runtime's only thread (the paused clock does not even see it pass).
        if !blocked.is_zero() {
            cookbook_support::trace::sleep(blocked);
        }
        if watch.elapsed() + cycle.second < cycle.end {
            tokio::time::sleep(cycle.second).await;
            k = k % 3 + 1;
        } else {
            return watch.elapsed();
        }
    }
}
// ANCHOR_END: listing

fn main() -> ExitCode {
    let args = Args::parse();
    let _session = args.common.start();
    let wrong_clock = match args.runtime {
        Runtime::Library if args.clock.paused_clock => Some("--paused-clock is tokio's: use --virtual-clock"),
        Runtime::Tokio if args.virtual_clock => Some("--virtual-clock is the library loop's: use --paused-clock"),
        _ => None,
    };
    if let Some(why) = wrong_clock {
        Args::command().error(clap::error::ErrorKind::ArgumentConflict, why).exit();
    }
    let default_run_for = match args.variant {
        Variant::First => 9.0,
        Variant::Second => 60.0,
    };
    let cycle = Cycle {
        variant: args.variant,
        second: args.common.scaled(1.0),
        end: args.common.scaled(args.run_for.unwrap_or(default_run_for)),
        rng: (args.variant == Variant::Second).then(|| RefCell::new(seeded(args.common.seed()))),
        scale: args.common.scaled(1.0),
        calls: Cell::new(0),
    };
    let exact = args.virtual_clock || args.clock.paused_clock;

    let (calls, stopped_at) = match args.runtime {
        Runtime::Library => {
            let (why, at, calls) = run_library(cycle, args.virtual_clock);
            if why != Stopped::ByStop {
                return fail(format!("the loop ended without stop(): {why:?}"));
            }
            (calls, at)
        }
        Runtime::Tokio => {
            let rt = match args.clock.runtime() {
                Ok(rt) => rt,
                Err(e) => return fail(format!("cannot start the tokio runtime: {e}")),
            };
            let at = rt.block_on(run_tokio(&cycle));
            (cycle.calls.get(), at)
        }
    };
    println!("calls = {calls}");
    println!("loop stopped at t = {:.3} s", stopped_at.as_secs_f64());
    if exact {
        println!("stopped_at_ms = {}", stopped_at.as_millis());
    }
    Status::Success.into()
}

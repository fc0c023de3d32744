//! # Handling coroutines with asyncio: a finite state machine
//!
//! **Book:** 1st edition §4.4 *Handling coroutines with Asyncio*
//! (「4.4 使用Asyncio管理协程」; printed edition「使用 Asyncio 处理协程」).
//! 2nd edition `Chapter05/asyncio_coroutine.py` (第5章 异步编程).
//!
//! **Run:** `cargo run --bin async_state_machine -- --delay-scale 0.1` (or
//! `cookbook run 4.4`); `--blocking` sleeps as the book does, with the thread
//! blocked; `--paused-clock` makes every sleep free.
//!
//! Each state is an `async fn` that draws 0 or 1, waits a second, and awaits the
//! next state, until the end state; the chain of transitions comes back up as
//! the states return. A ticker task runs beside the machine on the same thread,
//! and counts how often it got the thread while the machine ran.

use std::future::Future;
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use ch04_async::clock::PausedClock;
use clap::Parser;
use cookbook_support::rng::{ChaCha8Rng, Rng, seeded};
use cookbook_support::{Common, Status, fail};
use tracing::Instrument;

/// A random walk through a finite state machine, one coroutine per state (1st
/// edition §4.4, 2nd edition asyncio_coroutine.py).
#[derive(Parser)]
#[command(name = "async_state_machine")]
struct Args {
    /// Sleep in each state as the book does, with `time.sleep` (a blocking sleep:
    /// the whole runtime stops), instead of awaiting `tokio::time::sleep`.
    #[arg(long)]
    blocking: bool,

    /// Transitions after which the walk is given up [1–10000] (exit 1).
    #[arg(long, default_value_t = 1000, value_parser = cookbook_support::count(1, 10_000))]
    max_steps: usize,

    #[command(flatten)]
    clock: PausedClock,

    #[command(flatten)]
    common: Common,
}

/// The machine's state: where the walk has been, and what it shares.
struct Machine {
    rng: ChaCha8Rng,
    blocking: bool,
    second: Duration,
    path: Vec<&'static str>,
    max_steps: usize,
}

/// What a state returns: the text of the transitions after it, or the reason the
/// walk was given up.
type Chain = Result<String, String>;

// ANCHOR: listing
/// A recursive `async fn` would contain its own future, which has no finite
/// size; so each state returns its future boxed: `yield from State1(…)` becomes
/// `state1(…).await` on a `Pin<Box<dyn Future>>`.
type State<'a> = Pin<Box<dyn Future<Output = Chain> + 'a>>;

impl Machine {
    /// What every state does first: draw the next input, and wait a second. The
    /// book waits with `time.sleep(1)`, which blocks the only thread: no other
    /// task can run. `.await` on tokio's sleep gives the thread away instead.
    async fn evaluate(&mut self, name: &'static str) -> Result<u8, String> {
        self.path.push(name);
        if self.path.len() > self.max_steps {
            return Err(format!("no end state after {} transitions", self.max_steps));
        }
        let input = self.rng.random_range(0..=1);
        if self.blocking {
            cookbook_support::trace::sleep(self.second); // the book's time.sleep(1)
        } else {
            tokio::time::sleep(self.second).await; // what asyncio.sleep(1) would do
        }
        Ok(input)
    }

    async fn start_state(&mut self) -> Chain {
        println!("Start State called");
        let input = self.evaluate("Start").await?;
        let result = if input == 0 { self.state2(input).await? } else { self.state1(input).await? };
        Ok(format!("Start State calling {result}"))
    }

    fn state1(&mut self, transition: u8) -> State<'_> {
        Box::pin(async move {
            let input = self.evaluate("S1").await?;
            println!("...Evaluating...");
            let result = if input == 0 { self.state3(input).await? } else { self.state2(input).await? };
            Ok(format!("State 1 with transition value = {transition}\nState 1 calling {result}"))
        })
    }

    fn state2(&mut self, transition: u8) -> State<'_> {
        Box::pin(async move {
            let input = self.evaluate("S2").await?;
            println!("...Evaluating...");
            let result = if input == 0 { self.state1(input).await? } else { self.state3(input).await? };
            Ok(format!("State 2 with transition value = {transition}\nState 2 calling {result}"))
        })
    }

    fn state3(&mut self, transition: u8) -> State<'_> {
        Box::pin(async move {
            let input = self.evaluate("S3").await?;
            println!("...Evaluating...");
            let result = if input == 0 { self.state1(input).await? } else { self.end_state(input) };
            Ok(format!("State 3 with transition value = {transition}\nState 3 calling {result}"))
        })
    }

    /// The end state does not wait: it is a plain function (the book's
    /// `EndState` is a coroutine that never yields).
    fn end_state(&mut self, transition: u8) -> String {
        self.path.push("End");
        println!("...Stop Computation...");
        format!("End State with transition value = {transition}")
    }
}

/// A task beside the machine: it wakes every quarter of the book's second and
/// counts. Whenever the machine awaits, the runtime's one thread is free to run
/// it; while the machine blocks, it cannot run at all.
async fn ticker(period: Duration, ticks: Arc<AtomicU64>) {
    loop {
        tokio::time::sleep(period).await;
        ticks.fetch_add(1, Ordering::SeqCst);
    }
}

async fn simulate(machine: &mut Machine) -> (Chain, u64) {
    let ticks = Arc::new(AtomicU64::new(0));
    let period = machine.second / 4;
    let ticker = tokio::spawn(ticker(period, Arc::clone(&ticks)).instrument(tracing::info_span!("run", worker = 1)));
    let before = ticks.load(Ordering::SeqCst);
    let chain = machine.start_state().instrument(tracing::info_span!("run", worker = 0)).await;
    let during = ticks.load(Ordering::SeqCst) - before;
    ticker.abort();
    (chain, during)
}
// ANCHOR_END: listing

fn main() -> ExitCode {
    let args = Args::parse();
    let _session = args.common.start();
    let mut machine = Machine {
        rng: seeded(args.common.seed()),
        blocking: args.blocking,
        second: args.common.scaled(1.0),
        path: Vec::new(),
        max_steps: args.max_steps,
    };
    let rt = match args.clock.runtime() {
        Ok(rt) => rt,
        Err(e) => return fail(format!("cannot start the tokio runtime: {e}")),
    };
    println!("Finite State Machine simulation with Asyncio Coroutine");
    let (chain, ticks) = rt.block_on(simulate(&mut machine));
    let chain = match chain {
        Ok(chain) => chain,
        Err(why) => return fail(why),
    };
    println!("Resume of the Transition :");
    println!("{chain}");
    println!("path = {}", machine.path.join(","));
    // Start and every intermediate state waited once; the end state did not.
    println!("waits = {}", machine.path.len() - 1);
    println!("ticks_while_running = {ticks}");
    if ticks == 0 {
        println!("(the ticker, due 4 times a second, never ran: the machine never gave the thread away)");
    } else {
        println!("(the ticker, due 4 times a second, ran {ticks} times while the machine waited)");
    }
    Status::Success.into()
}

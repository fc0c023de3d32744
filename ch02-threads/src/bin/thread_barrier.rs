//! # Thread synchronisation with a barrier
//!
//! **Book:** 2nd edition `Chapter02/Barrier.py` (第2章 基于线程的并行性). The 1st
//! edition has only the process barrier (§3.8 「使用进程屏障」).
//!
//! **Run:** `cargo run --bin thread_barrier`; `--delay-scale 0.1` makes the race
//! ten times shorter.
//!
//! Three runners, Huey, Dewey and Louie, each run for a random 2 to 4 seconds and
//! wait at the finish line, a barrier for three threads: none passes until the
//! last one has arrived, and then all three go on together.

use std::process::ExitCode;
use std::sync::Barrier;
use std::thread;

use clap::Parser;
use cookbook_support::rng::{Rng, for_worker};
use cookbook_support::{Common, Status, fail};

/// Three runners meet at a barrier; none passes until all have arrived
/// (2nd edition Barrier.py).
#[derive(Parser)]
#[command(name = "thread_barrier")]
struct Args {
    #[command(flatten)]
    common: Common,
}

const RUNNERS: [&str; 3] = ["Huey", "Dewey", "Louie"];

/// ctime-style local time with microseconds, so that arrivals within the same
/// second (at a small `--delay-scale`) can still be told apart.
fn now() -> String {
    chrono::Local::now().format("%a %b %e %H:%M:%S%.6f %Y").to_string()
}

// ANCHOR: listing
/// One runner: run for `secs` seconds, then wait at the finish line. `wait()`
/// returns in the three threads only once all three have called it.
fn runner(name: &str, secs: u64, finish_line: &Barrier, common: &Common) {
    let _run = tracing::info_span!("run", worker = name).entered();
    let mut arrival = Arrival { finish_line, arrived: false };
    common.sleep(secs as f64);
    println!("{name} reached the barrier at: {}", now());
    let result = arrival.wait();
    println!("{name} passed the barrier");
    if result.is_leader() {
        // Exactly one of the three is told it is the leader.
        println!("leader = {name}");
    }
}

/// A runner's arrival at the finish line. If a runner panics before it arrives,
/// its `drop` still arrives for it, so the two others are not left waiting at the
/// barrier for ever (std's barrier cannot be broken, unlike Python's).
struct Arrival<'a> {
    finish_line: &'a Barrier,
    arrived: bool,
}

impl Arrival<'_> {
    fn wait(&mut self) -> std::sync::BarrierWaitResult {
        self.arrived = true;
        let _wait = tracing::info_span!("wait", on = "barrier").entered();
        self.finish_line.wait()
    }
}

impl Drop for Arrival<'_> {
    fn drop(&mut self) {
        if !self.arrived {
            self.finish_line.wait();
        }
    }
}

fn race(seed: u64, common: &Common) -> Result<(), String> {
    let finish_line = Barrier::new(RUNNERS.len());
    println!("START RACE!!!!");
    thread::scope(|s| {
        let mut threads = Vec::new();
        for (i, name) in RUNNERS.into_iter().enumerate() {
            // Each runner's time comes from its own generator, so it does not
            // depend on which thread draws first. randrange(2, 5): 2, 3 or 4 s.
            let secs = for_worker(seed, i as u64).random_range(2..=4);
            println!("runner = {name} seconds = {secs}");
            let finish_line = &finish_line;
            let spawned = thread::Builder::new().spawn_scoped(s, move || runner(name, secs, finish_line, common));
            match spawned {
                Ok(t) => threads.push(t),
                Err(e) => {
                    // The runners already started would wait for this one at the
                    // barrier for ever: end the whole program here.
                    eprintln!("thread_barrier: cannot start runner {name}: {e}");
                    std::process::exit(Status::Failure.code());
                }
            }
        }
        let panicked = threads.into_iter().map(|t| t.join()).filter(Result::is_err).count();
        if panicked > 0 { Err(format!("{panicked} runner(s) panicked")) } else { Ok(()) }
    })
}
// ANCHOR_END: listing

fn main() -> ExitCode {
    let args = Args::parse();
    let _session = args.common.start();
    let seed = args.common.seed();
    match race(seed, &args.common) {
        Ok(()) => {
            println!("Race over!");
            Status::Success.into()
        }
        Err(why) => fail(why),
    }
}

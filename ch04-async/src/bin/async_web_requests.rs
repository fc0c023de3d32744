//! # Concurrent web requests: one after another, on threads, as async tasks
//!
//! **Book:** none of the Cookbook's listings (this cookbook's own recipe, the
//! same idea as the 1st edition §2.13's fourth test, which reads a URL; related:
//! *Mastering Concurrency in Python*, chapters 5 and 11). Chinese title:
//! 「并发网络请求：顺序、线程与异步」 (this cookbook's own title).
//!
//! **Run:** `cargo run --bin async_web_requests` (or `cookbook run
//! async_web_requests`); `--with-timeout` adds a page that answers too late;
//! `--limit 3` lets no more than three requests be in flight at once.
//!
//! A loopback server answers every page after a latency (0.2 s). The recipe
//! fetches ten pages three ways and reports, for each, how long it took and the
//! most requests the server saw at once: waiting overlaps, so ten requests
//! in flight together take about one latency instead of ten.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use ch04_async::web::{self, FetchError, Page, SLOW_PATH, Server};
use clap::{Parser, ValueEnum};
use cookbook_support::{Status, Trace, fail};
use tokio::sync::Semaphore;
use tracing::Instrument;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Mode {
    /// One request at a time, blocking
    Sequential,
    /// A pool of --limit threads, each request blocking its thread
    Threads,
    /// One task per request on one thread, --limit at a time (a semaphore)
    Async,
}

/// Fetch pages from a slow loopback server sequentially, on threads and as async
/// tasks, and compare (this cookbook's own recipe).
#[derive(Parser)]
#[command(name = "async_web_requests")]
struct Args {
    /// Pages to fetch [1–1000].
    #[arg(long, default_value_t = 10, value_parser = cookbook_support::count(1, 1000))]
    urls: usize,

    /// Seconds the server waits before it answers each page [0–60].
    #[arg(long, value_name = "SECS", default_value_t = 0.2, value_parser = latency)]
    latency: f64,

    /// Most requests in flight at once [1–1000]: the semaphore's permits in async
    /// mode, the pool's threads in threads mode.
    #[arg(long, default_value_t = 10, value_parser = cookbook_support::count(1, 1000))]
    limit: usize,

    /// Also fetch /slow, which the server answers only after three times
    /// --timeout: it must be reported as a timeout.
    #[arg(long)]
    with_timeout: bool,

    /// Seconds a request may take before it is given up [0.001–60].
    #[arg(long, value_name = "SECS", default_value_t = 1.0, value_parser = timeout)]
    timeout: f64,

    /// Which ways to fetch, in order (comma-separated).
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [Mode::Sequential, Mode::Threads, Mode::Async])]
    mode: Vec<Mode>,

    #[command(flatten)]
    trace: Trace,
}

fn latency(s: &str) -> Result<f64, String> {
    let v = cookbook_support::args::non_negative_f64(s)?;
    if v <= 60.0 { Ok(v) } else { Err(format!("`{s}` is more than 60 seconds")) }
}

fn timeout(s: &str) -> Result<f64, String> {
    let v = latency(s)?;
    if v >= 0.001 { Ok(v) } else { Err(format!("`{s}` is less than 0.001 seconds")) }
}

/// What became of one request.
enum Outcome {
    Page(Page),
    Timeout,
    Failed(String),
}

impl From<Result<Page, FetchError>> for Outcome {
    fn from(r: Result<Page, FetchError>) -> Outcome {
        match r {
            Ok(page) => Outcome::Page(page),
            Err(FetchError::Timeout) => Outcome::Timeout,
            Err(FetchError::Io(e)) => Outcome::Failed(e.to_string()),
        }
    }
}

/// Print one request's outcome: `get = /3 mode = async status = 200 title = /3`.
fn show(mode: &str, path: &str, outcome: &Outcome) {
    match outcome {
        Outcome::Page(p) => println!("get = {path} mode = {mode} status = {} title = {}", p.status, p.title),
        Outcome::Timeout => println!("get = {path} mode = {mode} status = timeout"),
        Outcome::Failed(why) => println!("get = {path} mode = {mode} status = failed ({why})"),
    }
}

// ANCHOR: listing
/// One request after another: each waits for its answer before the next starts.
fn sequential(addr: SocketAddr, paths: &[String], limit: Duration) -> Vec<Outcome> {
    let _run = tracing::info_span!("run", worker = 0).entered();
    paths
        .iter()
        .map(|path| {
            let outcome = Outcome::from(web::get_blocking(addr, path, limit));
            show("sequential", path, &outcome);
            outcome
        })
        .collect()
}

/// A pool of `workers` threads that take the next path until none is left; a
/// thread that waits for an answer blocks, the others go on.
fn threads(addr: SocketAddr, paths: &[String], limit: Duration, workers: usize) -> Result<Vec<Outcome>, String> {
    let next = AtomicUsize::new(0);
    thread::scope(|s| {
        let mut pool = Vec::new();
        for w in 0..workers.min(paths.len()) {
            let next = &next;
            let worker = thread::Builder::new().name(format!("fetch-{w}")).spawn_scoped(s, move || {
                let _run = tracing::info_span!("run", worker = w).entered();
                let mut done = Vec::new();
                while let Some(path) = paths.get(next.fetch_add(1, Ordering::SeqCst)) {
                    let outcome = Outcome::from(web::get_blocking(addr, path, limit));
                    show("threads", path, &outcome);
                    done.push(outcome);
                }
                done
            });
            pool.push(worker.map_err(|e| format!("cannot start fetch thread {w}: {e}"))?);
        }
        let mut all = Vec::new();
        for worker in pool {
            all.extend(worker.join().map_err(|_| "a fetch thread panicked".to_string())?);
        }
        Ok(all)
    })
}

/// One task per path on tokio's one-thread runtime. The semaphore lets `permits`
/// tasks past at a time: the others wait for a permit before they connect. The
/// timeout drops a request that takes too long (the server sees it hang up).
async fn tasks(addr: SocketAddr, paths: &[String], limit: Duration, permits: usize) -> Vec<Outcome> {
    let permits = Arc::new(Semaphore::new(permits));
    let mut running = tokio::task::JoinSet::new();
    for (i, path) in paths.iter().cloned().enumerate() {
        let permits = Arc::clone(&permits);
        let request = async move {
            let permit = permits.acquire_owned().instrument(tracing::info_span!("wait", on = "semaphore")).await;
            let outcome = match permit {
                Err(_) => Outcome::Failed("the semaphore was closed".to_string()),
                Ok(_permit) => match tokio::time::timeout(limit, web::get(addr, &path)).await {
                    Ok(fetched) => Outcome::from(fetched.map_err(FetchError::from)),
                    Err(_elapsed) => Outcome::Timeout, // the request was dropped, its socket closed
                }, // the permit is given back here, when it is dropped
            };
            show("async", &path, &outcome);
            outcome
        };
        running.spawn(request.instrument(tracing::info_span!("run", worker = i)));
    }
    let mut all = Vec::new();
    while let Some(done) = running.join_next().await {
        all.push(done.unwrap_or_else(|e| Outcome::Failed(format!("the task failed: {e}"))));
    }
    all
}
// ANCHOR_END: listing

/// One mode's counts: `mode = M ok = N timeouts = T failed = F max_concurrent = C seconds = S`.
struct Tally {
    ok: usize,
    timeouts: usize,
    failed: usize,
    seconds: f64,
}

fn tally(mode: &str, outcomes: &[Outcome], paths: &[String], started: Instant, server: &Server) -> Tally {
    let seconds = started.elapsed().as_secs_f64();
    let ok = outcomes.iter().filter(|o| matches!(o, Outcome::Page(p) if p.status == 200)).count();
    let timeouts = outcomes.iter().filter(|o| matches!(o, Outcome::Timeout)).count();
    let failed = paths.len() - ok - timeouts;
    println!(
        "mode = {mode} ok = {ok} timeouts = {timeouts} failed = {failed} max_concurrent = {} seconds = {seconds:.3}",
        server.max_concurrent()
    );
    Tally { ok, timeouts, failed, seconds }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let _session = args.trace.start();
    let latency = cookbook_support::args::duration(args.latency);
    let limit = cookbook_support::args::duration(args.timeout);
    let server = match Server::start(latency, limit * 3) {
        Ok(s) => s,
        Err(e) => return fail(format!("cannot start the loopback server: {e}")),
    };
    println!("listening on {}", server.addr());
    let mut paths: Vec<String> = (0..args.urls).map(|k| format!("/{k}")).collect();
    if args.with_timeout {
        paths.push(SLOW_PATH.to_string());
    }
    let mut tallies = Vec::new();
    for &mode in &args.mode {
        // Start each mode on an idle server, counting its concurrency afresh.
        if !server.reset(limit + Duration::from_secs(5)) {
            return fail("the server still serves the previous mode's requests");
        }
        let started = Instant::now();
        let (name, outcomes) = match mode {
            Mode::Sequential => ("sequential", sequential(server.addr(), &paths, limit)),
            Mode::Threads => match threads(server.addr(), &paths, limit, args.limit) {
                Ok(o) => ("threads", o),
                Err(why) => return fail(why),
            },
            Mode::Async => {
                let rt = match ch04_async::clock::current_thread() {
                    Ok(rt) => rt,
                    Err(e) => return fail(format!("cannot start the tokio runtime: {e}")),
                };
                ("async", rt.block_on(tasks(server.addr(), &paths, limit, args.limit)))
            }
        };
        tallies.push((name, tally(name, &outcomes, &paths, started, &server)));
    }

    println!();
    let slow =
        if args.with_timeout { format!(" and {SLOW_PATH}, given up after {} s", args.timeout) } else { String::new() };
    for (name, t) in &tallies {
        let latencies = match latency.as_secs_f64() {
            0.0 => String::new(),
            l => format!(" = {:>5.1} latencies", t.seconds / l),
        };
        println!("{name:<11} {:>8.3} s{latencies}, for {} pages{slow}", t.seconds, args.urls);
    }
    println!(
        "Waiting is what overlaps: on threads or as tasks, the pages' latencies pass together. A real \
         crawler still bounds how many requests it has in flight (--limit): each one holds a socket and \
         memory, and a server flooded with requests slows down or refuses them."
    );
    let expected_timeouts = usize::from(args.with_timeout);
    let wrong = tallies.iter().any(|(_, t)| t.ok != args.urls || t.timeouts != expected_timeouts || t.failed > 0);
    if wrong {
        return fail("some pages were not fetched as expected");
    }
    Status::Success.into()
}

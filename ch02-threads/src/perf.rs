//! The workloads of 1st edition §2.13, *Evaluating the performance of multithread
//! applications*, shared by the `thread_performance` recipe and the criterion benches
//! of the bench package, `cookbook-bench` (groups `book_2_13/<workload>/<mode>/<n>`).
//!
//! The book times one function, `function_to_run()`, called `n` times in a row
//! (`non_threaded`) and once in each of `n` threads (`threaded`), and swaps in four
//! bodies for it. They are the [`Workload`]s here:
//!
//! | [`Workload`] | the book's body | here |
//! | --- | --- | --- |
//! | `Empty` | `pass` | [`Workload::run_once`] returns at once: the cost of the harness itself |
//! | `FibBigint` | `a, b = b, a + b` 10 000 times | [`fib_bigint`]: `num_bigint::BigUint`, because Python integers never overflow; F(10000) has 2 090 digits |
//! | `FibU64` | — (our extra) | [`fib_u64_wrapping`]: the same loop on a wrapping `u64`, far less work; shows what a naive port measures |
//! | `FileRead` | open a file, `read(1024)` 1 000 times | [`read_file`]: unbuffered `File::read` into a 1 KiB buffer, the file opened anew per call |
//! | `UrlRead` | `urlopen(...).read(1024)` 10 times | [`read_urls`]: 10 sequential GETs to a loopback [`HttpServer`] that answers after a fixed latency |
//!
//! A workload that needs something on disk or on the network gets it from a
//! [`Fixture`], prepared once, outside any timed region: the 1 024 000-byte temp
//! file, or the HTTP server. Then one call of the work is [`Fixture::run_once`], and the
//! four ways of running it `n` times are
//!
//! - [`Fixture::run_sequential`]: `n` calls in the calling thread (the book's
//!   `non_threaded`);
//! - [`Fixture::run_threads`]: `n` threads spawned with `std::thread`, then joined
//!   (the book's `threaded`; thread creation is inside the measurement, as in the
//!   book);
//! - [`Fixture::run_rayon`]: `n` calls spread over a rayon pool that the caller built
//!   once;
//! - [`Fixture::run_processes`]: `n` child processes, each of which runs the work once
//!   in [`worker_main`] (Python's `multiprocessing`; Rust re-executes a binary), with
//!   the arguments of [`WorkerArgs`]; the children die with their parent.
//!
//! Every call returns a number computed from the work (digits, bytes read…), so that a
//! caller can pass it to [`std::hint::black_box`] and the optimiser cannot delete the
//! work.
//!
//! ```
//! use ch02_threads::perf::{Fixture, Options, Workload};
//!
//! let fib = Fixture::prepare(Workload::FibBigint, &Options::default()).unwrap();
//! // F(10000) has 6 942 bits; two threads each compute it once.
//! assert_eq!(fib.run_threads(2).unwrap(), 2 * 6942);
//! ```
//!
//! ## Why a hand-written HTTP server and client
//!
//! The book reads `https://www.packtpub.com/`. Tests and benches here have no outside
//! network, so the URL workload talks to a server on 127.0.0.1 that sleeps a fixed
//! latency before it answers each GET: the lesson of the book's fourth test is the
//! *waiting*, and a fixed sleep makes the waiting the same on every machine. Both ends
//! are a few dozen lines of `std::net`. An HTTP client crate such as `ureq` or
//! `reqwest` would bring TLS, compression, connection pools and their dependencies
//! into a lean build, and a pool that keeps connections alive would even change what
//! is measured: the book opens a new connection for every read.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use clap::Parser;
use cookbook_support::Status;
use cookbook_support::child::{self, Role};
use num_bigint::BigUint;
use rayon::prelude::*;

/// Steps of the book's Fibonacci loop.
pub const FIB_STEPS: usize = 10_000;
/// Decimal digits of F(10000), the value the book's loop ends with.
pub const FIB_10000_DIGITS: usize = 2_090;
/// Bytes per read of the file workload (the book's `size = 1024`).
pub const FILE_CHUNK: usize = 1_024;
/// Reads per call of the file workload.
pub const FILE_READS: usize = 1_000;
/// Size of the data file: exactly what one call reads.
pub const FILE_SIZE: usize = FILE_CHUNK * FILE_READS;
/// GETs per call of the URL workload.
pub const URL_GETS: usize = 10;
/// Bytes of the body read per GET (the book's `f.read(1024)`).
pub const URL_READ_BYTES: usize = 1_024;
/// Size of the body the test server sends: more than the client reads, like a real
/// home page.
pub const URL_BODY_SIZE: usize = 8 * 1_024;
/// The server's default latency before each answer, in milliseconds.
pub const DEFAULT_LATENCY_MS: u64 = 50;

/// How long the server and the client wait for a silent peer before giving up.
const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// The four bodies of the book's `function_to_run()`, plus the wrapping-`u64`
/// Fibonacci as a clearly separate variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Workload {
    /// `pass`: nothing at all.
    Empty,
    /// The book's Fibonacci loop on big integers (what Python computes).
    FibBigint,
    /// The same loop on a wrapping `u64`: NOT the book's work (it overflows after
    /// F(93) and does a tiny fraction of the big-integer additions).
    FibU64,
    /// 1 000 unbuffered reads of 1 KiB from a freshly opened 1 024 000-byte file.
    FileRead,
    /// 10 sequential GETs to a loopback server, reading 1 KiB of each body.
    UrlRead,
}

impl Workload {
    /// Every workload, in the book's order (with `FibU64` after the book's Fibonacci).
    pub const ALL: [Workload; 5] =
        [Workload::Empty, Workload::FibBigint, Workload::FibU64, Workload::FileRead, Workload::UrlRead];

    /// The name used in the benches' group ids: `empty`, `fib_bigint`, `fib_u64`,
    /// `file_read`, `url_read`.
    pub fn bench_name(self) -> &'static str {
        match self {
            Workload::Empty => "empty",
            Workload::FibBigint => "fib_bigint",
            Workload::FibU64 => "fib_u64",
            Workload::FileRead => "file_read",
            Workload::UrlRead => "url_read",
        }
    }

    /// The short name the recipe's `--workload` flag takes: `empty`, `fib`,
    /// `fib-u64`, `file`, `url`.
    pub fn cli_name(self) -> &'static str {
        match self {
            Workload::Empty => "empty",
            Workload::FibBigint => "fib",
            Workload::FibU64 => "fib-u64",
            Workload::FileRead => "file",
            Workload::UrlRead => "url",
        }
    }

    /// One line saying what the work is.
    pub fn describe(self) -> &'static str {
        match self {
            Workload::Empty => "empty function (the book's `pass`)",
            Workload::FibBigint => "Fibonacci loop, 10 000 steps on big integers (F(10000) has 2 090 digits)",
            Workload::FibU64 => "Fibonacci loop, 10 000 steps on a wrapping u64 (NOT the book's work: it overflows)",
            Workload::FileRead => "file read: 1 000 unbuffered reads of 1 KiB from a 1 024 000-byte file",
            Workload::UrlRead => "URL read: 10 GETs to a loopback HTTP server, 1 KiB of each body",
        }
    }

    /// Parse a bench name or a CLI name.
    pub fn from_name(name: &str) -> Option<Workload> {
        Workload::ALL.into_iter().find(|w| w.bench_name() == name || w.cli_name() == name)
    }
}

/// Settings of the fixtures. The defaults are the book's work.
#[derive(Debug, Clone)]
pub struct Options {
    /// How long the HTTP server waits before it answers each GET.
    pub latency: Duration,
    /// Steps of the Fibonacci loops ([`FIB_STEPS`], the book's 10 000, by default).
    pub fib_steps: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { latency: Duration::from_millis(DEFAULT_LATENCY_MS), fib_steps: FIB_STEPS }
    }
}

/// The book's Fibonacci loop on big integers: start from a = 0, b = 1 and do
/// `a, b = b, a + b` `steps` times; returns the final `a`, F(steps).
///
/// The tuple assignment becomes an in-place addition and a swap, so the loop keeps
/// two numbers and reuses their storage, like CPython reuses freed integer objects.
pub fn fib_bigint(steps: usize) -> BigUint {
    let mut a = BigUint::from(0u32);
    let mut b = BigUint::from(1u32);
    for _ in 0..steps {
        a += &b; // a = a + b …
        std::mem::swap(&mut a, &mut b); // … then (a, b) = (b, a + b)
    }
    a
}

/// The same loop on `u64` with wrapping additions: F(steps) mod 2^64. Exact up to
/// F(93); after that it is what a naive port computes (a plain `+` would panic in a
/// debug build and wrap silently in a release build).
pub fn fib_u64_wrapping(steps: usize) -> u64 {
    let (mut a, mut b) = (0u64, 1u64);
    for _ in 0..steps {
        (a, b) = (b, a.wrapping_add(b));
    }
    a
}

/// Write the data file of the file workload: [`FILE_SIZE`] bytes of a fixed pattern.
pub fn write_data_file(path: &Path) -> io::Result<()> {
    let data: Vec<u8> = (0..FILE_SIZE).map(|i| (i % 251) as u8).collect();
    std::fs::write(path, data)
}

/// One call of the file workload: open `path`, then [`FILE_READS`] times read up to
/// [`FILE_CHUNK`] bytes with an unbuffered `File::read` (one system call each).
/// Returns the bytes read.
///
/// Python's `open(..., "rb")` is buffered (8 KiB at a time), so the book made fewer
/// system calls; `File` has no buffer, and every `read` goes to the kernel.
pub fn read_file(path: &Path) -> io::Result<u64> {
    let mut file = File::open(path)?;
    let mut buf = [0u8; FILE_CHUNK];
    let mut total = 0u64;
    for _ in 0..FILE_READS {
        total += file.read(&mut buf)? as u64;
    }
    Ok(total)
}

/// A tiny HTTP/1.1 server on 127.0.0.1 that answers every `GET` after a fixed
/// latency, one thread per connection, so that concurrent clients wait
/// concurrently, as they would for a real web server.
///
/// Dropping it stops it: the accepting thread is woken, stops accepting, and waits
/// for the connections in progress (each bounded by the latency and a 10 s I/O
/// timeout), so no thread is left behind.
pub struct HttpServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl HttpServer {
    /// Bind 127.0.0.1 on a free port and start serving.
    pub fn start(latency: Duration) -> io::Result<HttpServer> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let acceptor =
            thread::Builder::new().name("http-accept".into()).spawn(move || accept_loop(listener, latency, flag))?;
        Ok(HttpServer { addr, stop, acceptor: Some(acceptor) })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // `accept()` blocks; a connection of our own wakes it up to see the flag.
        let woke = TcpStream::connect_timeout(&self.addr, IO_TIMEOUT).is_ok();
        if let Some(acceptor) = self.acceptor.take() {
            // If the wake-up failed the thread may still be in accept(): leave it
            // rather than hang here.
            if woke || acceptor.is_finished() {
                let _ = acceptor.join();
            }
        }
    }
}

fn accept_loop(listener: TcpListener, latency: Duration, stop: Arc<AtomicBool>) {
    let mut handlers: Vec<JoinHandle<()>> = Vec::new();
    for conn in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        handlers.retain(|h| !h.is_finished());
        match conn {
            Ok(stream) => {
                let spawned = thread::Builder::new().name("http-conn".into()).spawn(move || {
                    // A client that went away is not the server's problem.
                    let _ = serve(stream, latency);
                });
                if let Ok(handle) = spawned {
                    handlers.push(handle);
                }
            }
            // Out of file descriptors and the like: back off a little.
            Err(_) => thread::sleep(Duration::from_millis(1)),
        }
    }
    drop(listener);
    for h in handlers {
        let _ = h.join();
    }
}

/// Answer one request on `stream`, after `latency`.
fn serve(mut stream: TcpStream, latency: Duration) -> io::Result<()> {
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    // Read the request head, up to the blank line.
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(()); // closed without a request (the shutdown wake-up does this)
        }
        head.extend_from_slice(&buf[..n]);
        if head.len() > 16 * 1024 {
            break;
        }
    }
    thread::sleep(latency);
    let response = if head.starts_with(b"GET ") {
        let mut r = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {URL_BODY_SIZE}\r\nConnection: close\r\n\r\n"
        )
        .into_bytes();
        r.extend_from_slice(&page_body());
        r
    } else {
        b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
    };
    stream.write_all(&response)?;
    stream.flush()
}

/// The page the server sends: an HTML start, then filler up to [`URL_BODY_SIZE`].
fn page_body() -> Vec<u8> {
    let mut body = b"<!DOCTYPE html>\n<html><head><title>Parallel Cookbook</title></head><body>\n".to_vec();
    while body.len() < URL_BODY_SIZE {
        body.extend_from_slice(b"<p>waiting is the lesson</p>\n");
    }
    body.truncate(URL_BODY_SIZE);
    body
}

/// `GET /` from `addr` on a new connection and return at most `max` bytes of the
/// body: what `urllib.request.urlopen(url).read(max)` does, without the TLS.
pub fn http_get(addr: SocketAddr, max: usize) -> io::Result<Vec<u8>> {
    let stream = TcpStream::connect_timeout(&addr, IO_TIMEOUT)?;
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    (&stream).write_all(format!("GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes())?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    if !(line.starts_with("HTTP/1.") && line.split_whitespace().nth(1) == Some("200")) {
        return Err(io::Error::other(format!("unexpected HTTP status line {:?}", line.trim_end())));
    }
    // Skip the headers, up to the blank line.
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed inside the headers"));
        }
        if line == "\r\n" || line == "\n" {
            break;
        }
    }
    let mut body = Vec::with_capacity(max.min(URL_BODY_SIZE));
    reader.take(max as u64).read_to_end(&mut body)?;
    Ok(body)
}

/// One call of the URL workload: [`URL_GETS`] sequential GETs to `addr`, each on a
/// new connection, reading [`URL_READ_BYTES`] of each body. Returns the bytes read.
pub fn read_urls(addr: SocketAddr) -> io::Result<u64> {
    let mut total = 0u64;
    for _ in 0..URL_GETS {
        total += http_get(addr, URL_READ_BYTES)?.len() as u64;
    }
    Ok(total)
}

/// What a workload works on: a temp file, an HTTP server, or nothing.
enum Source {
    None,
    /// The data file; `owner` deletes it on drop (absent in a child process, which
    /// only borrows the parent's file).
    File {
        path: PathBuf,
        _owner: Option<tempfile::TempPath>,
    },
    /// The server's address; `server` stops it on drop (absent in a child).
    Url {
        addr: SocketAddr,
        _server: Option<HttpServer>,
    },
}

/// A [`Workload`] with what it needs, prepared once: create it outside the timed
/// region, then time [`run_once`](Fixture::run_once) or one of the `run_*` modes.
/// It is `Sync`, so threads share it by reference.
pub struct Fixture {
    workload: Workload,
    source: Source,
    fib_steps: usize,
}

impl Fixture {
    /// Prepare `workload`: write the 1 024 000-byte temp file (deleted when the
    /// fixture is dropped), or start the loopback HTTP server with
    /// `options.latency` (stopped when the fixture is dropped).
    pub fn prepare(workload: Workload, options: &Options) -> io::Result<Fixture> {
        let source = match workload {
            Workload::Empty | Workload::FibBigint | Workload::FibU64 => Source::None,
            Workload::FileRead => {
                let file = tempfile::Builder::new().prefix("cookbook-2-13-").suffix(".dat").tempfile()?;
                write_data_file(file.path())?;
                let path = file.into_temp_path();
                Source::File { path: path.to_path_buf(), _owner: Some(path) }
            }
            Workload::UrlRead => {
                let server = HttpServer::start(options.latency)?;
                Source::Url { addr: server.addr(), _server: Some(server) }
            }
        };
        Ok(Fixture { workload, source, fib_steps: options.fib_steps })
    }

    /// The workload this fixture runs.
    pub fn workload(&self) -> Workload {
        self.workload
    }

    /// One call of the book's `function_to_run()`. Returns a number derived from
    /// the work, for `black_box`: 0 for `Empty`, the bits of F(10000) (6 942) for
    /// `FibBigint`, F(10000) mod 2^64 for `FibU64` (with the default
    /// [`Options::fib_steps`]), the bytes read for the others (1 024 000 and 10 240).
    pub fn run_once(&self) -> io::Result<u64> {
        match (&self.source, self.workload) {
            (_, Workload::Empty) => Ok(0),
            (_, Workload::FibBigint) => Ok(fib_bigint(std::hint::black_box(self.fib_steps)).bits()),
            (_, Workload::FibU64) => Ok(fib_u64_wrapping(std::hint::black_box(self.fib_steps))),
            (Source::File { path, .. }, Workload::FileRead) => read_file(path),
            (Source::Url { addr, .. }, Workload::UrlRead) => read_urls(*addr),
            _ => Err(io::Error::other("fixture does not match its workload")),
        }
    }

    // ANCHOR: modes
    /// The book's `non_threaded(n)`: `n` calls, one after the other, in this thread.
    pub fn run_sequential(&self, n: usize) -> io::Result<u64> {
        let mut acc = 0u64;
        for _ in 0..n {
            acc = acc.wrapping_add(self.run_once()?);
        }
        Ok(acc)
    }

    /// The book's `threaded(n)`: spawn `n` threads that each make one call, then
    /// join them all. Spawning is part of the cost, as in the book. A thread the
    /// system refuses to start is an error, like a failed call; the threads
    /// already started are joined first.
    pub fn run_threads(&self, n: usize) -> io::Result<u64> {
        thread::scope(|s| {
            let mut handles = Vec::with_capacity(n);
            let mut first_err = None;
            for worker in 0..n {
                let spawned = thread::Builder::new().spawn_scoped(s, move || {
                    // One span per thread, around the whole call: nothing inside the work.
                    let _run = tracing::info_span!("run", worker).entered();
                    self.run_once()
                });
                match spawned {
                    Ok(handle) => handles.push(handle),
                    Err(e) => {
                        first_err = Some(io::Error::other(format!("cannot start a thread: {e}")));
                        break;
                    }
                }
            }
            let mut acc = 0u64;
            for h in handles {
                match h.join() {
                    Ok(Ok(v)) => acc = acc.wrapping_add(v),
                    Ok(Err(e)) => first_err = first_err.or(Some(e)),
                    Err(_) => first_err = first_err.or(Some(io::Error::other("a worker thread panicked"))),
                }
            }
            first_err.map_or(Ok(acc), Err)
        })
    }

    // ANCHOR_END: modes

    /// `n` calls spread over `pool` (build it once, outside the measurement, with
    /// `n` threads for the benches' rayon mode).
    pub fn run_rayon(&self, pool: &rayon::ThreadPool, n: usize) -> io::Result<u64> {
        pool.install(|| (0..n).into_par_iter().map(|_| self.run_once()).try_reduce(|| 0, |a, b| Ok(a.wrapping_add(b))))
    }

    /// The arguments a worker process needs to run this fixture's work: the
    /// workload's name, then `--steps N`, `--file PATH` or `--addr HOST:PORT`
    /// ([`WorkerArgs`], which [`worker_main`] parses).
    pub fn child_args(&self) -> Vec<String> {
        let mut args = vec![self.workload.bench_name().to_string()];
        match &self.source {
            Source::None if matches!(self.workload, Workload::FibBigint | Workload::FibU64) => {
                args.push("--steps".into());
                args.push(self.fib_steps.to_string());
            }
            Source::None => {}
            Source::File { path, .. } => {
                args.push("--file".into());
                args.push(path.display().to_string());
            }
            Source::Url { addr, .. } => {
                args.push("--addr".into());
                args.push(addr.to_string());
            }
        }
        args
    }

    /// `n` child processes, each running the work once, started together and then
    /// waited for: Python's `multiprocessing` version of `threaded(n)`.
    ///
    /// `command` makes the command of one worker process, without the workload's
    /// arguments: the recipe re-executes itself
    /// (`|| cookbook_support::child::command(WORKER_ROLE, [] as [&str; 0])`), a bench
    /// starts its own small worker binary. [`child_args`](Fixture::child_args) are
    /// appended; the worker must hand them to [`worker_main`] (or [`child_main`]).
    /// Its stdin and stdout are closed, stderr is inherited, and it dies with the
    /// thread that calls this (`PR_SET_PDEATHSIG`, see `cookbook_support::child`),
    /// which waits for it before returning. Returns the number of workers that
    /// succeeded (`n`), or the first error; every started child is reaped, even
    /// after an error.
    pub fn run_processes<F>(&self, n: usize, mut command: F) -> io::Result<u64>
    where
        F: FnMut() -> io::Result<Command>,
    {
        let args = self.child_args();
        let commands = (0..n).map(|_| {
            let mut cmd = command()?;
            cmd.args(&args).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::inherit());
            child::die_with_parent(&mut cmd);
            Ok(cmd)
        });
        let reports = child::spawn_all(commands).wait_all().map_err(io::Error::other)?;
        Ok(reports.len() as u64)
    }
}

/// The role name of a worker process of [`Fixture::run_processes`].
pub const WORKER_ROLE: &str = "worker";

/// The arguments of a worker process, as [`Fixture::child_args`] writes them.
#[derive(Debug, Parser)]
#[command(name = "worker", about = "One call of a 1st edition §2.13 workload, in a child process")]
pub struct WorkerArgs {
    /// The workload: `empty`, `fib_bigint`, `fib_u64`, `file_read` or `url_read`
    /// (or the recipe's short names).
    #[arg(value_parser = workload_name)]
    pub workload: Workload,

    /// Steps of the Fibonacci loops [1–1000000].
    #[arg(long, default_value_t = FIB_STEPS, value_parser = cookbook_support::count(1, MAX_FIB_STEPS))]
    pub steps: usize,

    /// The parent's data file (file_read).
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,

    /// The parent's HTTP server (url_read).
    #[arg(long, value_name = "HOST:PORT")]
    pub addr: Option<SocketAddr>,
}

/// The most steps a Fibonacci workload takes (a call then lasts seconds).
pub const MAX_FIB_STEPS: usize = 1_000_000;

/// clap value parser of a workload name.
fn workload_name(name: &str) -> Result<Workload, String> {
    Workload::from_name(name).ok_or_else(|| format!("unknown workload `{name}`"))
}

impl WorkerArgs {
    /// The fixture these arguments describe; it borrows the parent's file or
    /// server, and owns neither.
    pub fn fixture(self) -> Result<Fixture, String> {
        let source = match self.workload {
            Workload::Empty | Workload::FibBigint | Workload::FibU64 => Source::None,
            Workload::FileRead => Source::File { path: self.file.ok_or("file_read needs --file PATH")?, _owner: None },
            Workload::UrlRead => {
                Source::Url { addr: self.addr.ok_or("url_read needs --addr HOST:PORT")?, _server: None }
            }
        };
        Ok(Fixture { workload: self.workload, source, fib_steps: self.steps })
    }
}

/// The whole life of a worker process of [`Fixture::run_processes`]: parse the
/// role's arguments ([`WorkerArgs`]), run the work once, and say how it went:
/// [`Status::Success`], [`Status::Failure`] when the work failed, and
/// [`Status::BadInput`] for an unknown role or bad arguments (with a message on
/// stderr). A recipe calls it first thing in `main`:
///
/// ```no_run
/// # use std::process::ExitCode;
/// fn main() -> ExitCode {
///     if let Some(role) = cookbook_support::child::role() {
///         return ch02_threads::perf::worker_main(&role).into();
///     }
///     // … the parent …
/// #   ExitCode::SUCCESS
/// }
/// ```
pub fn worker_main(role: &Role) -> Status {
    if role.name != WORKER_ROLE {
        eprintln!("perf worker: unknown child role `{}` (expected `{WORKER_ROLE}`)", role.name);
        return Status::BadInput;
    }
    let fixture = match role.try_parse::<WorkerArgs>().map_err(|e| e.to_string()).and_then(WorkerArgs::fixture) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("perf worker: {}", e.trim_end());
            return Status::BadInput;
        }
    };
    let _run = tracing::info_span!("run", worker = std::process::id()).entered();
    match fixture.run_once() {
        Ok(v) => {
            std::hint::black_box(v);
            Status::Success
        }
        Err(e) => {
            eprintln!("perf worker: {} failed: {e}", fixture.workload.bench_name());
            Status::Failure
        }
    }
}

/// [`worker_main`] for a worker binary that finds the arguments itself (the
/// benches' `bench_worker perf …`): `args` are what follows the role, and the
/// result is the exit status as a number.
///
/// ```no_run
/// let args: Vec<String> = std::env::args().skip(2).collect();
/// std::process::exit(ch02_threads::perf::child_main(&args));
/// ```
pub fn child_main(args: &[String]) -> i32 {
    worker_main(&Role::new(WORKER_ROLE, args.to_vec())).code()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fibonacci_big_integer_matches_the_book() {
        assert_eq!(fib_bigint(0), BigUint::from(0u32));
        assert_eq!(fib_bigint(1), BigUint::from(1u32));
        assert_eq!(fib_bigint(10), BigUint::from(55u32));
        let f = fib_bigint(FIB_STEPS);
        let digits = f.to_string();
        assert_eq!(digits.len(), FIB_10000_DIGITS);
        assert!(digits.starts_with("33644764876431783266"), "{}", &digits[..20]);
        assert_eq!(f.bits(), 6942);
    }

    #[test]
    fn fibonacci_u64_wraps() {
        assert_eq!(fib_u64_wrapping(10), 55);
        assert_eq!(fib_u64_wrapping(93), 12_200_160_415_121_876_738); // the last exact one
        let big = fib_bigint(FIB_STEPS);
        let low = big.iter_u64_digits().next().unwrap();
        assert_eq!(fib_u64_wrapping(FIB_STEPS), low, "wrapping u64 is F(n) mod 2^64");
    }

    #[test]
    fn names_round_trip() {
        for w in Workload::ALL {
            assert_eq!(Workload::from_name(w.bench_name()), Some(w));
            assert_eq!(Workload::from_name(w.cli_name()), Some(w));
        }
        assert_eq!(Workload::from_name("nope"), None);
    }

    #[test]
    fn cpu_workloads_in_every_mode() {
        let opts = Options::default();
        let empty = Fixture::prepare(Workload::Empty, &opts).unwrap();
        assert_eq!(empty.run_sequential(3).unwrap(), 0);
        assert_eq!(empty.run_threads(3).unwrap(), 0);
        let fib = Fixture::prepare(Workload::FibBigint, &opts).unwrap();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        assert_eq!(fib.run_once().unwrap(), 6942);
        assert_eq!(fib.run_sequential(2).unwrap(), 2 * 6942);
        assert_eq!(fib.run_threads(3).unwrap(), 3 * 6942);
        assert_eq!(fib.run_rayon(&pool, 4).unwrap(), 4 * 6942);
        let u = Fixture::prepare(Workload::FibU64, &opts).unwrap();
        assert_eq!(u.run_once().unwrap(), fib_u64_wrapping(FIB_STEPS));
        assert_eq!(fib.child_args(), ["fib_bigint", "--steps", "10000"]);
        let short = Fixture::prepare(Workload::FibBigint, &Options { fib_steps: 10, ..Options::default() }).unwrap();
        assert_eq!(short.run_once().unwrap(), 6); // F(10) = 55 has 6 bits
        assert_eq!(child_main(&short.child_args()), 0);
        let parsed = Role::new(WORKER_ROLE, short.child_args()).try_parse::<WorkerArgs>().unwrap();
        assert_eq!((parsed.workload, parsed.steps), (Workload::FibBigint, 10));
    }

    #[test]
    fn file_workload_reads_the_whole_file_each_call() {
        let f = Fixture::prepare(Workload::FileRead, &Options::default()).unwrap();
        let args = f.child_args();
        assert_eq!(args[0], "file_read");
        let path = PathBuf::from(&args[2]);
        assert_eq!(std::fs::metadata(&path).unwrap().len(), FILE_SIZE as u64);
        assert_eq!(f.run_once().unwrap(), FILE_SIZE as u64);
        assert_eq!(f.run_threads(2).unwrap(), 2 * FILE_SIZE as u64);
        // A worker borrows the file by path.
        assert_eq!(child_main(&args), 0);
        drop(f);
        assert!(!path.exists(), "the temp file is deleted with the fixture");
    }

    #[test]
    fn server_answers_after_latency_and_client_reads_a_prefix() {
        let server = HttpServer::start(Duration::from_millis(1)).unwrap();
        assert!(server.addr().ip().is_loopback());
        let body = http_get(server.addr(), URL_READ_BYTES).unwrap();
        assert_eq!(body.len(), URL_READ_BYTES);
        assert!(body.starts_with(b"<!DOCTYPE html>"));
        let all = http_get(server.addr(), usize::MAX).unwrap();
        assert_eq!(all.len(), URL_BODY_SIZE);
        assert_eq!(read_urls(server.addr()).unwrap(), (URL_GETS * URL_READ_BYTES) as u64);
    }

    #[test]
    fn server_serves_clients_concurrently() {
        let server = HttpServer::start(Duration::from_millis(1)).unwrap();
        // A client that connects and says nothing holds its connection's thread; a
        // one-connection-at-a-time server would now make the next client wait for
        // the 10 s I/O timeout. A thread per connection answers it at once.
        let silent = TcpStream::connect(server.addr()).unwrap();
        let body = http_get(server.addr(), 16).unwrap();
        assert_eq!(body, b"<!DOCTYPE html>\n");
        drop(silent);
        let options = Options { latency: Duration::from_millis(1), ..Options::default() };
        let url = Fixture::prepare(Workload::UrlRead, &options).unwrap();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap();
        let per_call = (URL_GETS * URL_READ_BYTES) as u64;
        assert_eq!(url.run_threads(4).unwrap(), 4 * per_call);
        assert_eq!(url.run_rayon(&pool, 4).unwrap(), 4 * per_call);
        assert_eq!(child_main(&url.child_args()), 0);
    }

    #[test]
    fn dropping_the_server_stops_it() {
        let server = HttpServer::start(Duration::from_millis(1)).unwrap();
        let addr = server.addr();
        http_get(addr, 1).unwrap();
        drop(server); // returns: the accepting thread has been joined
        assert!(TcpStream::connect(addr).is_err(), "the port is closed after drop");
        assert!(http_get(addr, 1).is_err());
    }

    #[test]
    fn non_get_is_refused() {
        let server = HttpServer::start(Duration::from_millis(0)).unwrap();
        let mut s = TcpStream::connect(server.addr()).unwrap();
        s.write_all(b"POST / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut reply = String::new();
        s.read_to_string(&mut reply).unwrap();
        assert!(reply.starts_with("HTTP/1.1 405"), "{reply}");
    }

    #[test]
    fn worker_arguments_are_checked() {
        let v = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(child_main(&v(&["fib_u64"])), 0);
        assert_eq!(child_main(&v(&["fib", "--steps", "100"])), 0);
        assert_eq!(child_main(&v(&["fib", "--steps", "many"])), 2);
        assert_eq!(child_main(&v(&["fib", "--steps", "0"])), 2);
        assert_eq!(child_main(&v(&["fib", "--steps", "1000001"])), 2);
        assert_eq!(child_main(&v(&["empty"])), 0);
        assert_eq!(child_main(&v(&[])), 2);
        assert_eq!(child_main(&v(&["nope"])), 2);
        assert_eq!(child_main(&v(&["empty", "--colour", "red"])), 2);
        assert_eq!(child_main(&v(&["file_read"])), 2);
        assert_eq!(child_main(&v(&["url_read", "--addr"])), 2);
        assert_eq!(child_main(&v(&["url_read", "--addr", "not-an-addr"])), 2);
        assert_eq!(child_main(&v(&["file", "--file", "/nonexistent/cookbook/2-13.dat"])), 1);
        assert_eq!(worker_main(&Role::new("someone_else", v(&["empty"]))), Status::BadInput);
    }

    #[test]
    fn processes_run_the_work_and_report_a_failed_worker() {
        // `sh -c 'exit N' worker ARGS…` stands in for a worker binary: the command
        // gets the fixture's arguments appended, and a failure is reported after
        // every child has been reaped.
        let fib = Fixture::prepare(Workload::FibBigint, &Options { fib_steps: 10, ..Options::default() }).unwrap();
        let sh = |status: u8| {
            move || {
                let mut c = Command::new("sh");
                c.args(["-c", &format!("test \"$1\" = fib_bigint && exit {status}"), "worker"]);
                Ok(c)
            }
        };
        assert_eq!(fib.run_processes(3, sh(0)).unwrap(), 3);
        let err = fib.run_processes(2, sh(4)).unwrap_err();
        assert!(err.to_string().contains("child process 0"), "{err}");
        let missing = || Ok(Command::new("/nonexistent/cookbook/worker"));
        assert!(fib.run_processes(2, missing).unwrap_err().to_string().starts_with("cannot start child process 0"));
    }
}

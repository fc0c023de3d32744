//! The pools of 1st edition §4.2: `concurrent.futures`' thread pool and process
//! pool, and the busy work they run.
//!
//! A pool is a queue of jobs and a fixed set of workers that take jobs from it,
//! one at a time, until it is empty: the workers are started once and reused.
//!
//! - [`thread_pool`] is `ThreadPoolExecutor(max_workers)`: scoped threads that
//!   take numbers from a channel and send their results on another one. Reading
//!   that second channel is `as_completed`: results come in the order they finish.
//! - [`ProcessPool`] is `ProcessPoolExecutor(max_workers)`: child processes,
//!   this same program started again in the role [`WORKER_ROLE`]
//!   (`cookbook_support::child`), each reading numbers on its stdin and writing
//!   `item = N result = R pid = P` lines on its stdout. The parent gives a worker its next
//!   number as soon as it has answered, which is what the executor's shared call
//!   queue does.
//!
//! ```
//! use ch04_async::pools::{count, thread_pool};
//! let mut done = Vec::new();
//! thread_pool(3, &[1, 2, 3, 4], 1000, |item, result| done.push((item, result))).unwrap();
//! done.sort();
//! assert_eq!(done, [(1, 1000), (2, 2000), (3, 3000), (4, 4000)]);
//! assert_eq!(count(7, 10), 70);
//! ```

use std::io::{self, BufRead, BufReader, Write};
use std::process::{ChildStdin, ExitCode, Stdio};
use std::thread;

use cookbook_support::child::{self, ChildError, Children, Role};
use cookbook_support::{Status, facts};

/// The role of a process-pool worker (`__child pool-worker --iterations N`).
pub const WORKER_ROLE: &str = "pool-worker";

// ANCHOR: count
/// The book's `count(number)`: a loop of `iterations` increments, then
/// `iterations × number`.
///
/// Python runs the loop because it cannot see through it. A compiler can: it
/// would replace the loop by its result. `black_box` hides the counter from the
/// optimiser, so the loop really runs, as in Python.
pub fn count(number: u64, iterations: u64) -> u64 {
    let mut i = 0;
    while i < iterations {
        i = std::hint::black_box(i + 1);
    }
    i * number
}
// ANCHOR_END: count

// ANCHOR: thread_pool
/// `ThreadPoolExecutor(max_workers=workers)`: submit every item, then call
/// `done(item, result)` for each as it completes (`as_completed`), on the calling
/// thread. Returns when every worker has finished (the end of the `with` block).
pub fn thread_pool(
    workers: usize,
    items: &[u64],
    iterations: u64,
    mut done: impl FnMut(u64, u64),
) -> Result<(), String> {
    let (submit, jobs) = crossbeam_channel::unbounded::<u64>();
    let (finished, results) = crossbeam_channel::unbounded::<(u64, u64)>();
    for &item in items {
        submit.send(item).expect("the receiver is alive");
    }
    drop(submit); // no more jobs: a worker stops when the queue is empty
    thread::scope(|s| {
        let mut handles = Vec::with_capacity(workers);
        for w in 0..workers {
            let (jobs, finished) = (jobs.clone(), finished.clone());
            let spawned = thread::Builder::new().name(format!("pool-{w}")).spawn_scoped(s, move || {
                let _run = tracing::info_span!("run", worker = w).entered();
                for item in jobs.iter() {
                    let _ = finished.send((item, count(item, iterations)));
                }
            });
            match spawned {
                Ok(h) => handles.push(h),
                Err(e) => return Err(format!("cannot start pool thread {w}: {e}")),
            }
        }
        drop(finished); // the workers hold the only senders now
        {
            let _wait = tracing::info_span!("wait", on = "queue").entered();
            // Ends when every worker has dropped its sender: all done, or panicked.
            for (item, result) in results.iter() {
                done(item, result);
            }
        }
        if handles.into_iter().map(|h| h.join()).all(|r| r.is_ok()) {
            Ok(())
        } else {
            Err("a pool thread panicked".to_string())
        }
    })
}
// ANCHOR_END: thread_pool

/// A worker's answer: `item = N result = R pid = P`.
struct Answer {
    item: u64,
    result: u64,
    pid: u32,
}

/// `ProcessPoolExecutor(max_workers)`: worker processes started once, fed one
/// number at a time.
pub struct ProcessPool {
    children: Children,
    inputs: Vec<Option<ChildStdin>>,
    outputs: Vec<BufReader<std::process::ChildStdout>>,
}

impl ProcessPool {
    /// Start `workers` copies of this program in the worker role, each counting
    /// to `iterations`.
    pub fn start(workers: usize, iterations: u64) -> Result<ProcessPool, String> {
        let args = [format!("--iterations={iterations}")];
        ProcessPool::start_commands((0..workers).map(|_| child::command(WORKER_ROLE, &args)))
    }

    /// Start a pool from any commands that run [`worker_main`] (the benches
    /// start their own worker binary).
    pub fn start_commands<I>(commands: I) -> Result<ProcessPool, String>
    where
        I: IntoIterator<Item = io::Result<std::process::Command>>,
    {
        let commands: Vec<_> = commands.into_iter().collect();
        let wanted = commands.len();
        let piped = commands.into_iter().map(|cmd| {
            cmd.map(|mut c| {
                c.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::inherit());
                c
            })
        });
        let mut children = child::spawn_all(piped);
        let mut inputs = Vec::new();
        let mut outputs = Vec::new();
        for c in children.iter_mut() {
            inputs.push(c.stdin.take());
            outputs.extend(c.stdout.take().map(BufReader::new));
        }
        let pool = ProcessPool { children, inputs, outputs };
        let complete = pool.inputs.len() == wanted && pool.outputs.len() == wanted;
        if !complete || pool.inputs.iter().any(Option::is_none) {
            // Reap what did start; the first failure says why.
            let why = pool.shutdown().err().map_or("a pool worker has no pipes".to_string(), |e| e.to_string());
            return Err(why);
        }
        Ok(pool)
    }

    /// How many workers it has.
    pub fn workers(&self) -> usize {
        self.inputs.len()
    }

    /// Submit every item and call `done(item, result)` for each as it completes,
    /// then shut the pool down: the workers see the end of their input, exit,
    /// and are reaped (the end of the `with` block). Returns the process ids
    /// that answered, in the order of their first answer.
    pub fn map_as_completed(mut self, items: &[u64], mut done: impl FnMut(u64, u64)) -> Result<Vec<u32>, String> {
        let (finished, results) = crossbeam_channel::unbounded::<(usize, Option<Answer>)>();
        let mut pids = Vec::new();
        let outputs = std::mem::take(&mut self.outputs);
        let mut left = items.iter().copied();
        let mut outstanding = 0usize;
        let mut busy = vec![false; self.workers()];
        let mut failure = None;
        thread::scope(|s| {
            // One reader per worker: it turns the worker's lines into messages,
            // and says `None` when the worker's stdout ends.
            for (w, out) in outputs.into_iter().enumerate() {
                let finished = finished.clone();
                let reader = thread::Builder::new().name(format!("pool-reader-{w}")).spawn_scoped(s, move || {
                    for line in out.lines() {
                        let Ok(line) = line else { break };
                        let parsed = facts::record(&line).and_then(|r| {
                            Some(Answer {
                                item: r.get_as("item").ok()?,
                                result: r.get_as("result").ok()?,
                                pid: r.get_as("pid").ok()?,
                            })
                        });
                        if parsed.is_none() || finished.send((w, parsed)).is_err() {
                            break;
                        }
                    }
                    let _ = finished.send((w, None));
                });
                if let Err(e) = reader {
                    failure = Some(format!("cannot start the reader of pool worker {w}: {e}"));
                }
            }
            drop(finished);
            // Every worker gets a first item; then each answer earns the next one.
            for (w, busy) in busy.iter_mut().enumerate() {
                match left.next() {
                    Some(item) if failure.is_none() => {
                        self.send(w, item);
                        *busy = true;
                        outstanding += 1;
                    }
                    _ => self.inputs[w] = None, // nothing for it: it may exit now
                }
            }
            let _wait = tracing::info_span!("wait", on = "queue").entered();
            while outstanding > 0 {
                match results.recv() {
                    Ok((w, Some(answer))) => {
                        outstanding -= 1;
                        busy[w] = false;
                        if !pids.contains(&answer.pid) {
                            pids.push(answer.pid);
                        }
                        done(answer.item, answer.result);
                        match left.next() {
                            Some(next) => {
                                self.send(w, next);
                                busy[w] = true;
                                outstanding += 1;
                            }
                            None => self.inputs[w] = None, // no more work: that worker may exit
                        }
                    }
                    // A worker's output ended while it owed an answer: it died.
                    Ok((w, None)) if busy[w] => {
                        failure = Some(format!("pool worker {w} stopped with work outstanding"));
                        break;
                    }
                    Ok((_, None)) => {}
                    Err(_) => {
                        failure = Some("every pool worker stopped with work outstanding".to_string());
                        break;
                    }
                }
            }
            // Close every input, so the readers end with their workers.
            self.inputs.iter_mut().for_each(|i| *i = None);
        });
        let reaped = self.shutdown();
        match (failure, reaped) {
            (_, Err(e)) => Err(e.to_string()),
            (Some(f), Ok(())) => Err(f),
            (None, Ok(())) => Ok(pids),
        }
    }

    /// Write one item to worker `w`. A worker that cannot take it has died: its
    /// reader will say so.
    fn send(&mut self, w: usize, item: u64) {
        if let Some(input) = self.inputs[w].as_mut()
            && writeln!(input, "{item}").and_then(|_| input.flush()).is_err()
        {
            self.inputs[w] = None;
        }
    }

    /// Close the workers' inputs and reap them all.
    pub fn shutdown(mut self) -> Result<(), ChildError> {
        self.inputs.clear();
        self.outputs.clear();
        self.children.wait_all().map(|_| ())
    }
}

/// The worker's arguments.
#[derive(clap::Parser, Debug)]
struct WorkerArgs {
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=MAX_ITERATIONS))]
    iterations: u64,
}

/// The largest `--iterations` the recipe and its workers accept.
pub const MAX_ITERATIONS: u64 = 1_000_000_000;

/// The worker process: read one number per line, answer
/// `item = N result = R pid = P`, until stdin ends.
pub fn worker_main(role: &Role) -> ExitCode {
    let args: WorkerArgs = match role.try_parse() {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return Status::BadInput.into();
        }
    };
    let _run = tracing::info_span!("run", worker = std::process::id()).entered();
    let stdout = io::stdout();
    for line in io::stdin().lock().lines() {
        let Ok(line) = line else { return Status::Failure.into() };
        let Ok(item) = line.trim().parse::<u64>() else {
            return cookbook_support::fail(format!("pool worker: `{line}` is not a number"));
        };
        let mut out = stdout.lock();
        let result = count(item, args.iterations);
        if writeln!(out, "item = {item} result = {result} pid = {}", std::process::id())
            .and_then(|_| out.flush())
            .is_err()
        {
            return Status::Failure.into();
        }
    }
    Status::Success.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_is_iterations_times_the_number() {
        assert_eq!(count(1, 10_000), 10_000);
        assert_eq!(count(10, 10_000), 100_000);
        assert_eq!(count(0, 5), 0);
    }

    #[test]
    fn the_thread_pool_returns_every_result_once() {
        let items: Vec<u64> = (1..=20).collect();
        let mut done = Vec::new();
        thread_pool(4, &items, 100, |i, r| done.push((i, r))).unwrap();
        done.sort();
        let expected: Vec<_> = items.iter().map(|&i| (i, i * 100)).collect();
        assert_eq!(done, expected);
    }

    /// A pool of shell workers that speak the protocol: answer 2 × the item.
    fn sh_pool(scripts: &[&str]) -> Result<ProcessPool, String> {
        ProcessPool::start_commands(scripts.iter().map(|script| {
            let mut c = std::process::Command::new("sh");
            c.args(["-c", script]);
            child::die_with_parent(&mut c);
            Ok(c)
        }))
    }

    const DOUBLER: &str = r#"while read x; do echo "item = $x result = $((x * 2)) pid = $$"; done"#;

    #[test]
    fn the_process_pool_gives_every_worker_work_and_collects_every_answer() {
        let pool = sh_pool(&[DOUBLER; 3]).unwrap();
        let items: Vec<u64> = (1..=10).collect();
        let mut done = Vec::new();
        let pids = pool.map_as_completed(&items, |i, r| done.push((i, r))).unwrap();
        done.sort();
        assert_eq!(done, items.iter().map(|&i| (i, 2 * i)).collect::<Vec<_>>());
        assert_eq!(pids.len(), 3, "each worker gets a first item: {pids:?}");
    }

    #[test]
    fn a_pool_with_more_workers_than_items_closes_the_idle_ones() {
        let pool = sh_pool(&[DOUBLER; 4]).unwrap();
        let mut done = Vec::new();
        let pids = pool.map_as_completed(&[5], |i, r| done.push((i, r))).unwrap();
        assert_eq!((done, pids.len()), (vec![(5, 10)], 1));
    }

    #[test]
    fn a_worker_that_dies_is_reported_not_waited_for() {
        // The second worker reads one item and exits without answering.
        let pool = sh_pool(&[DOUBLER, "read x; exit 4"]).unwrap();
        let err = pool.map_as_completed(&[1, 2, 3, 4], |_, _| {}).unwrap_err();
        assert!(err.contains("child process 1") || err.contains("pool worker 1"), "{err}");
        // A worker that answers nonsense is one that failed too.
        let pool = sh_pool(&["read x; echo garbage; read y"]).unwrap();
        assert!(pool.map_as_completed(&[1], |_, _| {}).is_err());
    }

    #[test]
    fn a_worker_that_cannot_start_is_an_error() {
        let bad = ProcessPool::start_commands([Err(io::Error::other("no such program"))]);
        assert!(bad.is_err());
    }

    #[test]
    fn more_workers_than_items_is_fine() {
        let mut done = Vec::new();
        thread_pool(8, &[3], 10, |i, r| done.push((i, r))).unwrap();
        assert_eq!(done, [(3, 30)]);
    }
}

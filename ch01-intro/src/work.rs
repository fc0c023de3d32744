//! `do_something`, the 2nd edition's Chapter01 workload, and the four ways the
//! chapter runs it: serially, in threads, in child processes, and on a rayon pool.
//!
//! The 2nd edition opens with one small job, `do_something(count, out_list)`, which
//! appends `count` random floats to a list one `append` at a time, and then runs it
//! ten times over, ten million items each: one call after the other
//! (`serial_test.py`), in ten threads (`multithreading_test.py`), in ten processes
//! (`multiprocessing_test.py`), and both side by side (`thread_and_processes.py`).
//!
//! This module holds that job and what the recipes `intro_serial_test`,
//! `intro_multithreading_test`, `intro_multiprocessing_test` and
//! `intro_threads_vs_processes` share with the root package's `do_something`
//! benches:
//!
//! - [`do_something`]: the job itself;
//! - [`ListSummary`] and [`JobReport`]: what is left of a list once it has been
//!   measured (its length and the sum of its values), so a ten-million-item vector
//!   can be dropped as soon as it is built;
//! - [`Mode`] and [`run_job`]: the whole job in one of four modes;
//! - the child-process protocol of the processes mode: [`worker_command`] starts the
//!   current binary again in role [`WORKER_ROLE`], [`worker_main`] is what that child
//!   runs, and [`collect_worker`] waits for it and reads its report.
//!
//! # Same seed, same numbers, in every mode
//!
//! Worker `i` draws from `rng::for_worker(seed, i)`, so the values of list `i` do not
//! depend on which thread or process builds it, nor when. Each worker sums its own
//! list in order, and the sums are added in worker order: the checksum of a run is
//! therefore bit-for-bit the same in every mode.
//!
//! ```
//! use ch01_intro::work::{Mode, run_job};
//! let serial = run_job(Mode::Serial, 3, 1_000, 42).unwrap();
//! let rayon = run_job(Mode::Rayon, 3, 1_000, 42).unwrap();
//! assert_eq!(serial.lens, vec![1_000; 3]);
//! assert_eq!(serial, rayon);
//! ```
//!
//! # Memory
//!
//! Ten workers of ten million `f64` each are 800 MB alive at once in the parallel
//! modes (more while the vectors grow, since `push` doubles the capacity). The
//! serial mode keeps one list at a time.

use std::fmt;
use std::io;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;

use clap::Parser;
use cookbook_support::child::{self, CHILD_ARG, Role};
use cookbook_support::rng::{self, Rng};
use rayon::prelude::*;

/// Fill a fresh vector with `size` random numbers in `[0, 1)`, one `push` at a time.
///
/// This is the 2nd edition's `do_something(count, out_list)`. Python appends to a
/// list the caller passes in; here the function owns the vector it builds and
/// returns it, which is what lets a thread hand it back through its `JoinHandle`.
/// Like Python's `append`, the loop does not `reserve` room first: the vector grows
/// (and is copied) as it fills, which is part of the work being measured.
///
/// ```
/// use ch01_intro::work::do_something;
/// let mut rng = cookbook_support::rng::seeded(7);
/// let list = do_something(1_000, &mut rng);
/// assert_eq!(list.len(), 1_000);
/// assert!(list.iter().all(|x| (0.0..1.0).contains(x)));
/// ```
///
/// # The 2nd edition's slip cannot compile
///
/// `multithreading_test.py` builds its threads as
/// `Thread(target=do_something(size, out_list))`. That *calls* `do_something` right
/// there, in the main thread, and hands its result (`None`) to the thread as the
/// function to run: the work is done serially before any thread starts. In Rust,
/// `thread::spawn` wants a closure; the result of the call is a `Vec<f64>`, which is
/// not a closure, so the slip is a type error (E0277):
///
/// ```compile_fail,E0277
/// use ch01_intro::work::do_something;
/// let mut rng = cookbook_support::rng::seeded(1);
/// let handle = std::thread::spawn(do_something(10, &mut rng));
/// ```
///
/// The closure is what the book meant: the call happens inside the new thread.
///
/// ```
/// use ch01_intro::work::do_something;
/// let mut rng = cookbook_support::rng::seeded(1);
/// let handle = std::thread::spawn(move || do_something(10, &mut rng));
/// assert_eq!(handle.join().unwrap().len(), 10);
/// ```
pub fn do_something(size: usize, rng: &mut impl Rng) -> Vec<f64> {
    let mut out_list = Vec::new();
    for _ in 0..size {
        out_list.push(rng.random::<f64>());
    }
    out_list
}

/// The list of worker `index` in a run seeded with `seed`: [`do_something`] fed by
/// `rng::for_worker(seed, index)`.
pub fn worker_list(size: usize, seed: u64, index: usize) -> Vec<f64> {
    do_something(size, &mut rng::for_worker(seed, index as u64))
}

/// Build the list of worker `index`, measure it and drop it at once.
pub fn worker_summary(size: usize, seed: u64, index: usize) -> ListSummary {
    ListSummary::of(&worker_list(size, seed, index))
}

/// What is kept of a list once it has been measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ListSummary {
    /// How many items the list held.
    pub len: usize,
    /// The sum of its items, added in order.
    pub checksum: f64,
}

impl ListSummary {
    /// Measure `list`.
    ///
    /// ```
    /// use ch01_intro::work::ListSummary;
    /// let s = ListSummary::of(&[0.25, 0.5]);
    /// assert_eq!((s.len, s.checksum), (2, 0.75));
    /// ```
    pub fn of(list: &[f64]) -> Self {
        ListSummary { len: list.len(), checksum: list.iter().sum() }
    }
}

/// The outcome of a whole job: one length per worker and one checksum.
#[derive(Debug, Clone, PartialEq)]
pub struct JobReport {
    /// The length of each worker's list, in worker order.
    pub lens: Vec<usize>,
    /// The sum of every item, the workers' sums added in worker order.
    pub checksum: f64,
}

impl JobReport {
    /// Combine the workers' summaries, given in worker order.
    pub fn from_summaries<I: IntoIterator<Item = ListSummary>>(summaries: I) -> Self {
        let mut lens = Vec::new();
        let mut checksum = 0.0;
        for s in summaries {
            lens.push(s.len);
            checksum += s.checksum;
        }
        JobReport { lens, checksum }
    }

    /// How many lists were built.
    pub fn lists(&self) -> usize {
        self.lens.len()
    }

    /// How many items they held in all.
    pub fn total_items(&self) -> usize {
        self.lens.iter().sum()
    }
}

/// The four ways of running the job. The benches call [`Mode::Serial`]
/// "sequential".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Mode {
    /// One worker after the other, in the calling thread (`serial_test.py`).
    Serial,
    /// One `std::thread` per worker, spawned for the run (`multithreading_test.py`).
    Threads,
    /// One child process per worker (`multiprocessing_test.py`).
    Processes,
    /// A rayon pool with one thread per worker (not in the book).
    Rayon,
}

impl Mode {
    /// Every mode, in the order the recipes print them.
    pub const ALL: [Mode; 4] = [Mode::Serial, Mode::Threads, Mode::Processes, Mode::Rayon];

    /// The mode's name as the recipes print it.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Serial => "serial",
            Mode::Threads => "threads",
            Mode::Processes => "processes",
            Mode::Rayon => "rayon",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// Why a job could not finish.
#[derive(Debug)]
pub enum JobError {
    /// A thread or a child process could not be started.
    Spawn { index: usize, source: io::Error },
    /// Worker thread `index` panicked.
    ThreadPanicked { index: usize },
    /// Child `index` could not be waited for.
    Wait { index: usize, source: io::Error },
    /// Child `index` exited with a failure.
    ChildFailed { index: usize, status: ExitStatus },
    /// Child `index` exited 0 but its report could not be read.
    BadReport { index: usize, why: String },
    /// The rayon pool could not be built.
    Pool(String),
}

impl fmt::Display for JobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobError::Spawn { index, source } => write!(f, "cannot start worker {index}: {source}"),
            JobError::ThreadPanicked { index } => write!(f, "worker thread {index} panicked"),
            JobError::Wait { index, source } => {
                write!(f, "cannot wait for worker process {index}: {source}")
            }
            JobError::ChildFailed { index, status } => {
                write!(f, "worker process {index} failed: {status}")
            }
            JobError::BadReport { index, why } => {
                write!(f, "worker process {index} sent a bad report: {why}")
            }
            JobError::Pool(why) => write!(f, "cannot build the rayon pool: {why}"),
        }
    }
}

impl std::error::Error for JobError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            JobError::Spawn { source, .. } | JobError::Wait { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Run the whole job, `workers` lists of `size` items, in `mode`.
///
/// [`Mode::Processes`] starts the *current executable* again in role
/// [`WORKER_ROLE`]: that binary's `main` must hand that role to [`worker_main`]
/// before it parses its own flags. A program that cannot (a criterion bench) uses
/// [`run_processes_of`] with a worker binary that does.
pub fn run_job(mode: Mode, workers: usize, size: usize, seed: u64) -> Result<JobReport, JobError> {
    match mode {
        Mode::Serial => Ok(run_serial(workers, size, seed)),
        Mode::Threads => run_threads(workers, size, seed),
        Mode::Processes => run_processes(workers, size, seed),
        Mode::Rayon => run_rayon(workers, size, seed),
    }
}

/// The serial mode: each list is built, measured and dropped before the next.
pub fn run_serial(workers: usize, size: usize, seed: u64) -> JobReport {
    JobReport::from_summaries((0..workers).map(|i| worker_summary(size, seed, i)))
}

/// The threads mode: one `std::thread` per worker; each measures its own list and
/// hands back the summary.
pub fn run_threads(workers: usize, size: usize, seed: u64) -> Result<JobReport, JobError> {
    let mut handles = Vec::with_capacity(workers);
    let mut error = None;
    for i in 0..workers {
        let spawned = thread::Builder::new().name(format!("worker-{i}")).spawn(move || worker_summary(size, seed, i));
        match spawned {
            Ok(h) => handles.push(h),
            Err(source) => {
                error = Some(JobError::Spawn { index: i, source });
                break;
            }
        }
    }
    // Join every thread that started, even after a failure.
    let mut summaries = Vec::with_capacity(workers);
    for (index, h) in handles.into_iter().enumerate() {
        match h.join() {
            Ok(s) => summaries.push(s),
            Err(_) => {
                error.get_or_insert(JobError::ThreadPanicked { index });
            }
        }
    }
    match error {
        Some(e) => Err(e),
        None => Ok(JobReport::from_summaries(summaries)),
    }
}

/// The rayon mode on a fresh pool of `workers` threads.
pub fn run_rayon(workers: usize, size: usize, seed: u64) -> Result<JobReport, JobError> {
    let pool =
        rayon::ThreadPoolBuilder::new().num_threads(workers).build().map_err(|e| JobError::Pool(e.to_string()))?;
    Ok(run_rayon_in(&pool, workers, size, seed))
}

/// The rayon mode on a pool built beforehand (the benches build it once, outside
/// the timed region). The summaries are collected in worker order.
pub fn run_rayon_in(pool: &rayon::ThreadPool, workers: usize, size: usize, seed: u64) -> JobReport {
    let summaries: Vec<ListSummary> =
        pool.install(|| (0..workers).into_par_iter().map(|i| worker_summary(size, seed, i)).collect());
    JobReport::from_summaries(summaries)
}

/// The processes mode: this executable, started again once per worker in role
/// [`WORKER_ROLE`].
pub fn run_processes(workers: usize, size: usize, seed: u64) -> Result<JobReport, JobError> {
    run_children(workers, |i| worker_command(size, seed, i))
}

/// The processes mode with another program as the worker. `program` must answer
/// `__child worker --size N --seed S --index I` through [`worker_main`].
pub fn run_processes_of(program: &Path, workers: usize, size: usize, seed: u64) -> Result<JobReport, JobError> {
    run_children(workers, |i| Ok(worker_command_of(program, size, seed, i)))
}

/// Start every child, then wait for every child that started, even when one fails:
/// none is left behind.
fn run_children(
    workers: usize,
    mut command_for: impl FnMut(usize) -> io::Result<Command>,
) -> Result<JobReport, JobError> {
    let mut children = Vec::with_capacity(workers);
    let mut error = None;
    for index in 0..workers {
        match command_for(index).and_then(|mut cmd| cmd.spawn()) {
            Ok(c) => children.push(c),
            Err(source) => {
                error = Some(JobError::Spawn { index, source });
                break;
            }
        }
    }
    let mut summaries = Vec::with_capacity(workers);
    for (index, c) in children.into_iter().enumerate() {
        match collect_worker(index, c) {
            Ok(s) => summaries.push(s),
            Err(e) => {
                error.get_or_insert(e);
            }
        }
    }
    match error {
        Some(e) => Err(e),
        None => Ok(JobReport::from_summaries(summaries)),
    }
}

/// The role a worker child is started in.
pub const WORKER_ROLE: &str = "worker";

/// The arguments that follow the role: `--size N --seed S --index I`.
pub fn worker_args(size: usize, seed: u64, index: usize) -> Vec<String> {
    vec!["--size".into(), size.to_string(), "--seed".into(), seed.to_string(), "--index".into(), index.to_string()]
}

/// A command that runs the current executable as worker `index`: stdin closed,
/// stdout piped (the report comes back on it), stderr shared with the parent.
/// Start it with `spawn()` and hand the child to [`collect_worker`].
pub fn worker_command(size: usize, seed: u64, index: usize) -> io::Result<Command> {
    let mut cmd = child::command(WORKER_ROLE, worker_args(size, seed, index))?;
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::inherit());
    Ok(cmd)
}

/// [`worker_command`] for another program than the current one.
pub fn worker_command_of(program: &Path, size: usize, seed: u64, index: usize) -> Command {
    let mut cmd = Command::new(program);
    cmd.arg(CHILD_ARG)
        .arg(WORKER_ROLE)
        .args(worker_args(size, seed, index))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    cmd
}

/// Wait for worker `index` (started from [`worker_command`]), check that it exited
/// 0, and read the summary it printed.
pub fn collect_worker(index: usize, child: Child) -> Result<ListSummary, JobError> {
    let out = child.wait_with_output().map_err(|source| JobError::Wait { index, source })?;
    if !out.status.success() {
        return Err(JobError::ChildFailed { index, status: out.status });
    }
    let text = String::from_utf8_lossy(&out.stdout);
    parse_worker_report(&text).map_err(|why| JobError::BadReport { index, why })
}

/// Read the two lines a worker prints, `items = N` and `checksum = X`.
///
/// ```
/// use ch01_intro::work::parse_worker_report;
/// let s = parse_worker_report("items = 3\nchecksum = 1.5\n").unwrap();
/// assert_eq!((s.len, s.checksum), (3, 1.5));
/// assert!(parse_worker_report("items = 3\n").is_err());
/// ```
pub fn parse_worker_report(stdout: &str) -> Result<ListSummary, String> {
    let value = |key: &str| -> Result<&str, String> {
        let prefix = format!("{key} = ");
        let mut found = stdout.lines().filter_map(|l| l.strip_prefix(prefix.as_str()));
        match (found.next(), found.next()) {
            (Some(v), None) => Ok(v.trim()),
            (None, _) => Err(format!("no `{key} = …` line in {stdout:?}")),
            (Some(_), Some(_)) => Err(format!("more than one `{key} = …` line in {stdout:?}")),
        }
    };
    let len = value("items")?;
    let checksum = value("checksum")?;
    Ok(ListSummary {
        len: len.parse().map_err(|_| format!("`items = {len}` is not a count"))?,
        checksum: checksum.parse().map_err(|_| format!("`checksum = {checksum}` is not a number"))?,
    })
}

/// The flags of a worker child.
#[derive(Parser, Debug)]
#[command(name = "worker", about = "One worker of the do_something job (a child process)")]
struct WorkerArgs {
    /// Items in the list.
    #[arg(long, value_parser = cookbook_support::positive_usize)]
    size: usize,
    /// Seed of the run.
    #[arg(long)]
    seed: u64,
    /// This worker's index: its generator is `rng::for_worker(seed, index)`.
    #[arg(long)]
    index: usize,
}

/// The child side of the processes mode: given the role a child was started in
/// ([`cookbook_support::child::role`]), build this worker's list, print `items = N`
/// and `checksum = X` (the checksum printed so that it reads back exactly), and
/// return the exit status the child should end with: 0, or 2 for an unknown role or
/// bad arguments.
///
/// Call it first thing in `main`, before the parent's own flags are parsed:
///
/// ```no_run
/// use cookbook_support::child;
/// fn main() {
///     if let Some(role) = child::role() {
///         std::process::exit(ch01_intro::work::worker_main(&role));
///     }
///     // … the parent …
/// }
/// ```
pub fn worker_main(role: &Role) -> i32 {
    if role.name != WORKER_ROLE {
        eprintln!("unknown child role `{}` (expected `{WORKER_ROLE}`)", role.name);
        return cookbook_support::EXIT_BAD_INPUT;
    }
    let args =
        match WorkerArgs::try_parse_from(std::iter::once(WORKER_ROLE.to_string()).chain(role.args.iter().cloned())) {
            Ok(a) => a,
            Err(e) => {
                let _ = e.print();
                return cookbook_support::EXIT_BAD_INPUT;
            }
        };
    let s = worker_summary(args.size, args.seed, args.index);
    // `{}` on an f64 prints the shortest text that parses back to the same bits.
    println!("items = {}", s.len);
    println!("checksum = {}", s.checksum);
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn do_something_fills_exactly_size_items_in_unit_interval() {
        let mut rng = rng::seeded(3);
        for size in [0, 1, 17, 1_000] {
            let list = do_something(size, &mut rng);
            assert_eq!(list.len(), size);
            assert!(list.iter().all(|x| (0.0..1.0).contains(x)));
        }
    }

    #[test]
    fn do_something_is_reproducible_and_looks_uniform() {
        let a = do_something(10_000, &mut rng::seeded(11));
        let b = do_something(10_000, &mut rng::seeded(11));
        assert_eq!(a, b);
        let mean = a.iter().sum::<f64>() / a.len() as f64;
        assert!((mean - 0.5).abs() < 0.02, "mean {mean}");
        assert_ne!(a, do_something(10_000, &mut rng::seeded(12)));
    }

    #[test]
    fn workers_get_different_lists() {
        assert_ne!(worker_list(50, 1, 0), worker_list(50, 1, 1));
        assert_eq!(worker_list(50, 1, 1), worker_list(50, 1, 1));
    }

    #[test]
    fn report_combines_in_worker_order() {
        let r =
            JobReport::from_summaries([ListSummary { len: 2, checksum: 1.0 }, ListSummary { len: 3, checksum: 0.5 }]);
        assert_eq!(r.lens, vec![2, 3]);
        assert_eq!(r.lists(), 2);
        assert_eq!(r.total_items(), 5);
        assert_eq!(r.checksum, 1.5);
    }

    #[test]
    fn in_process_modes_agree_bit_for_bit() {
        let serial = run_serial(5, 777, 9);
        assert_eq!(serial.lens, vec![777; 5]);
        assert_eq!(run_threads(5, 777, 9).unwrap(), serial);
        assert_eq!(run_rayon(5, 777, 9).unwrap(), serial);
        // And the serial checksum is the plain sum of the lists, worker by worker.
        let by_hand: f64 = (0..5).map(|i| worker_list(777, 9, i).iter().sum::<f64>()).sum();
        assert_eq!(serial.checksum, by_hand);
        assert_ne!(run_serial(5, 777, 10).checksum, serial.checksum);
    }

    #[test]
    fn rayon_with_fewer_threads_than_workers() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        assert_eq!(run_rayon_in(&pool, 7, 100, 4), run_serial(7, 100, 4));
    }

    #[test]
    fn checksum_round_trips_through_text() {
        let s = worker_summary(1_234, 5, 2);
        let text = format!("items = {}\nchecksum = {}\n", s.len, s.checksum);
        assert_eq!(parse_worker_report(&text).unwrap(), s);
    }

    #[test]
    fn bad_reports_are_refused() {
        assert!(parse_worker_report("").is_err());
        assert!(parse_worker_report("items = x\nchecksum = 1").is_err());
        assert!(parse_worker_report("items = 1\nchecksum = y").is_err());
        assert!(parse_worker_report("items = 1\nitems = 1\nchecksum = 1").is_err());
    }

    #[test]
    fn worker_args_parse_back() {
        let role = Role::new(WORKER_ROLE, worker_args(10, 3, 4));
        let a = WorkerArgs::try_parse_from(std::iter::once("worker".to_string()).chain(role.args)).unwrap();
        assert_eq!((a.size, a.seed, a.index), (10, 3, 4));
    }

    #[test]
    fn worker_main_refuses_unknown_role_and_bad_args() {
        let unknown = Role::new("nobody", vec![]);
        assert_eq!(worker_main(&unknown), 2);
        let bad = Role::new(WORKER_ROLE, vec!["--size".into(), "0".into()]);
        assert_eq!(worker_main(&bad), 2);
    }

    #[test]
    fn mode_names() {
        let names: Vec<String> = Mode::ALL.iter().map(|m| m.to_string()).collect();
        assert_eq!(names, ["serial", "threads", "processes", "rayon"]);
        assert_eq!(format!("{:<9}|", Mode::Rayon), "rayon    |");
    }
}

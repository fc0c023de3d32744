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
//! `intro_threads_vs_processes` share with the bench package's `do_something`
//! benches:
//!
//! - [`do_something`]: the job itself;
//! - [`Lists`]: how much of its list a worker holds at once, a chunk or the whole;
//! - [`ListSummary`] and [`JobReport`]: what is kept of a list once it has been
//!   measured (its length and the sum of its values);
//! - [`Job`] and [`Mode`]: the whole job in one of four modes;
//! - the child side of the processes mode: [`worker_main`], which a child started
//!   in role [`WORKER_ROLE`] runs.
//!
//! # Same seed, same numbers, in every mode
//!
//! Worker `i` draws from `rng::for_worker(seed, i)`, so the values of list `i` do not
//! depend on which thread or process builds it, nor when. Each worker sums its own
//! numbers in order, and the sums are added in worker order: the checksum of a run
//! is therefore bit-for-bit the same in every mode, and with either [`Lists`].
//!
//! ```
//! use ch01_intro::work::{Job, Lists, Mode};
//! let job = Job { workers: 3, size: 1_000, seed: 42, lists: Lists::Chunked };
//! let serial = job.run(Mode::Serial).unwrap();
//! assert_eq!(serial.lens, vec![1_000; 3]);
//! assert_eq!(serial, job.run(Mode::Rayon).unwrap());
//! let kept = Job { lists: Lists::Kept, ..job }.run(Mode::Threads).unwrap();
//! assert_eq!(kept.checksum, serial.checksum);
//! ```
//!
//! # Memory: why a worker holds a chunk by default
//!
//! The book's workers each build a whole list of ten million floats. In Rust, with
//! so little work per number, building 80 MB lists is mostly the kernel handing
//! out fresh pages, and ten workers in one process asking for pages at once (the
//! threads mode keeps ten lists alive, the serial mode one) measure the kernel
//! rather than the cores. So by default ([`Lists::Chunked`]) a worker appends
//! [`CHUNK`] items at a time to its list, measures them and clears the list,
//! keeping its memory: every mode then holds the same small list per worker, and
//! the comparison is between cores. [`Lists::Kept`] builds the whole list as the
//! book does: the memory-bound case.

use std::fmt;
use std::io;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::thread;

use clap::Parser;
use cookbook_support::Seed;
use cookbook_support::child::{self, ChildError, Role};
use cookbook_support::facts;
use cookbook_support::rng::{self, Rng};
use rayon::prelude::*;

/// The largest `--size` the recipes accept: a hundred million items per list.
pub const MAX_SIZE: usize = 100_000_000;

/// The most items that lists held whole ([`Lists::Kept`]) may hold in all, at
/// once: 200 million `f64`, 1.6 GB.
pub const MAX_KEPT_ITEMS: usize = 200_000_000;

/// How many items a worker holds at once by default: 65 536 `f64`, 512 KiB.
pub const CHUNK: usize = 1 << 16;

/// Append `count` random numbers in `[0, 1)` to `out_list`, one `push` at a time.
///
/// This is the 2nd edition's `do_something(count, out_list)`: like Python's, it
/// appends to the caller's list and returns nothing. Python's `random.random()`
/// draws from one hidden global generator; here the caller passes the generator.
/// Like `append`, the loop does not `reserve` room first: the vector grows (and is
/// copied) as it fills, which is part of the work being measured.
///
/// ```
/// use ch01_intro::work::do_something;
/// let mut rng = cookbook_support::rng::seeded(7);
/// let mut out_list = Vec::new();
/// do_something(1_000, &mut out_list, &mut rng);
/// assert_eq!(out_list.len(), 1_000);
/// assert!(out_list.iter().all(|x| (0.0..1.0).contains(x)));
/// ```
///
/// # The 2nd edition's slip cannot compile
///
/// `multithreading_test.py` builds its threads as
/// `Thread(target=do_something(size, out_list))`. That *calls* `do_something` right
/// there, in the main thread, and hands its result (`None`) to the thread as the
/// function to run: the work is done serially before any thread starts. In Rust,
/// `thread::spawn` wants a closure; the result of the call is `()`, which is not a
/// closure, so the slip is a type error (E0277):
///
/// ```compile_fail,E0277
/// use ch01_intro::work::do_something;
/// let mut rng = cookbook_support::rng::seeded(1);
/// let mut out_list = Vec::new();
/// let handle = std::thread::spawn(do_something(10, &mut out_list, &mut rng));
/// ```
///
/// The closure is what the book meant: the call happens inside the new thread.
///
/// ```
/// use ch01_intro::work::do_something;
/// let mut rng = cookbook_support::rng::seeded(1);
/// let handle = std::thread::spawn(move || {
///     let mut out_list = Vec::new();
///     do_something(10, &mut out_list, &mut rng);
///     out_list
/// });
/// assert_eq!(handle.join().unwrap().len(), 10);
/// ```
// ANCHOR: do_something
pub fn do_something(count: usize, out_list: &mut Vec<f64>, rng: &mut impl Rng) {
    for _ in 0..count {
        out_list.push(rng.random::<f64>());
    }
}
// ANCHOR_END: do_something

/// How much of its list a worker holds at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lists {
    /// At most [`CHUNK`] items: the worker appends a chunk, measures it, clears
    /// the list and goes on. Every mode holds the same memory per worker.
    #[default]
    Chunked,
    /// The whole list, as the book builds it (`--keep-lists`): `size` items per
    /// worker, alive at once in the parallel modes.
    Kept,
}

/// What is kept of a list once it has been measured.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ListSummary {
    /// How many items were appended to the list.
    pub len: usize,
    /// The sum of its items, added in order.
    pub checksum: f64,
    /// The most items the list held at once.
    pub held: usize,
}

impl ListSummary {
    /// Measure a whole list.
    ///
    /// ```
    /// use ch01_intro::work::ListSummary;
    /// let s = ListSummary::of(&[0.25, 0.5]);
    /// assert_eq!((s.len, s.checksum, s.held), (2, 0.75, 2));
    /// ```
    pub fn of(list: &[f64]) -> Self {
        let mut s = ListSummary::default();
        s.add(list);
        s
    }

    /// Add the items of `part` (what the list holds now) to the summary, in order.
    pub fn add(&mut self, part: &[f64]) {
        self.len += part.len();
        self.checksum = part.iter().fold(self.checksum, |sum, x| sum + x);
        self.held = self.held.max(part.len());
    }
}

/// Worker `index` of a run seeded with `seed`: `size` numbers appended by
/// [`do_something`] from `rng::for_worker(seed, index)`, held as `lists` says, and
/// measured. Its run is one `run` span of the timeline.
// ANCHOR: worker
pub fn worker_summary_of(lists: Lists, size: usize, seed: u64, index: usize) -> ListSummary {
    let _run = tracing::info_span!("run", worker = index).entered();
    let mut rng = rng::for_worker(seed, index as u64);
    let mut out_list = Vec::new();
    match lists {
        Lists::Kept => {
            do_something(size, &mut out_list, &mut rng);
            ListSummary::of(&out_list)
        }
        Lists::Chunked => {
            let mut summary = ListSummary::default();
            let mut left = size;
            while left > 0 {
                let count = left.min(CHUNK);
                do_something(count, &mut out_list, &mut rng);
                summary.add(&out_list);
                // `clear` keeps the capacity: the next chunk reuses the same memory.
                out_list.clear();
                left -= count;
            }
            summary
        }
    }
} // the list is dropped here, measured
// ANCHOR_END: worker

/// [`worker_summary_of`] with the whole list, as the book builds it.
pub fn worker_summary(size: usize, seed: u64, index: usize) -> ListSummary {
    worker_summary_of(Lists::Kept, size, seed, index)
}

/// The outcome of a whole job: one length per worker and one checksum.
#[derive(Debug, Clone, PartialEq)]
pub struct JobReport {
    /// The length of each worker's list, in worker order.
    pub lens: Vec<usize>,
    /// The sum of every item, the workers' sums added in worker order.
    pub checksum: f64,
    /// The most items any one worker's list held at once.
    pub held: usize,
}

impl JobReport {
    /// Combine the workers' summaries, given in worker order.
    pub fn from_summaries<I: IntoIterator<Item = ListSummary>>(summaries: I) -> Self {
        let mut report = JobReport { lens: Vec::new(), checksum: 0.0, held: 0 };
        for s in summaries {
            report.lens.push(s.len);
            report.checksum += s.checksum;
            report.held = report.held.max(s.held);
        }
        report
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
    /// Worker thread `index` could not be started.
    Spawn { index: usize, source: io::Error },
    /// Worker thread `index` panicked.
    ThreadPanicked { index: usize },
    /// A worker process could not start, failed, or sent a bad report.
    Child(ChildError),
    /// The rayon pool could not be built.
    Pool(String),
}

impl fmt::Display for JobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobError::Spawn { index, source } => write!(f, "cannot start worker thread {index}: {source}"),
            JobError::ThreadPanicked { index } => write!(f, "worker thread {index} panicked"),
            JobError::Child(e) => write!(f, "{e}"),
            JobError::Pool(why) => write!(f, "cannot build the rayon pool: {why}"),
        }
    }
}

impl std::error::Error for JobError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            JobError::Spawn { source, .. } => Some(source),
            JobError::Child(e) => Some(e),
            _ => None,
        }
    }
}

impl From<ChildError> for JobError {
    fn from(e: ChildError) -> Self {
        JobError::Child(e)
    }
}

/// One run of the chapter's job: `workers` lists of `size` items, seeded with
/// `seed`, held as `lists` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    pub workers: usize,
    pub size: usize,
    pub seed: u64,
    pub lists: Lists,
}

impl Job {
    /// The job as the book builds it: whole lists ([`Lists::Kept`]).
    pub fn book(workers: usize, size: usize, seed: u64) -> Job {
        Job { workers, size, seed, lists: Lists::Kept }
    }

    /// The job that a recipe's flags ask for, seeded from `--seed` (a drawn seed is
    /// printed). Lists held whole are checked first with [`check_memory`].
    pub fn from_flags<A: clap::CommandFactory>(workers: usize, size: usize, lists: Lists, seed: &Seed) -> Job {
        check_memory::<A>(workers, size, lists);
        Job { workers, size, seed: seed.seed(), lists }
    }

    /// Worker `index`'s part of the job, run in the calling thread.
    pub fn worker(&self, index: usize) -> ListSummary {
        worker_summary_of(self.lists, self.size, self.seed, index)
    }

    /// Run the whole job in `mode`.
    ///
    /// [`Mode::Processes`] starts the *current executable* again in role
    /// [`WORKER_ROLE`]: that binary's `main` must hand that role to [`worker_main`]
    /// before it parses its own flags. A program that cannot (a criterion bench)
    /// uses [`Job::processes_of`] with a worker binary that does.
    pub fn run(&self, mode: Mode) -> Result<JobReport, JobError> {
        match mode {
            Mode::Serial => Ok(self.serial()),
            Mode::Threads => self.threads(),
            Mode::Processes => self.processes(),
            Mode::Rayon => self.rayon(),
        }
    }

    /// The serial mode: each worker's part after the other, in the calling thread.
    pub fn serial(&self) -> JobReport {
        JobReport::from_summaries((0..self.workers).map(|i| self.worker(i)))
    }

    /// The threads mode: one `std::thread` per worker; each measures its own list
    /// and hands back the summary. A thread that cannot start is an error, after
    /// the ones already started have been joined.
    pub fn threads(&self) -> Result<JobReport, JobError> {
        in_threads(self.workers, |i| self.worker(i)).map(JobReport::from_summaries)
    }

    /// The rayon mode on a fresh pool of `workers` threads.
    pub fn rayon(&self) -> Result<JobReport, JobError> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.workers)
            .build()
            .map_err(|e| JobError::Pool(e.to_string()))?;
        Ok(self.rayon_in(&pool))
    }

    /// The rayon mode on a pool built beforehand (the benches build it once,
    /// outside the timed region). The summaries are collected in worker order.
    pub fn rayon_in(&self, pool: &rayon::ThreadPool) -> JobReport {
        let summaries: Vec<ListSummary> =
            pool.install(|| (0..self.workers).into_par_iter().map(|i| self.worker(i)).collect());
        JobReport::from_summaries(summaries)
    }

    /// The arguments of worker `index` after the role:
    /// `--size N --seed S --index I`, and `--keep-lists` for [`Lists::Kept`].
    pub fn worker_args(&self, index: usize) -> Vec<String> {
        let mut args = vec![
            "--size".into(),
            self.size.to_string(),
            "--seed".into(),
            self.seed.to_string(),
            "--index".into(),
            index.to_string(),
        ];
        if self.lists == Lists::Kept {
            args.push("--keep-lists".into());
        }
        args
    }

    /// The command that starts worker `index` as this executable in role
    /// [`WORKER_ROLE`]: stdin closed, its report piped back, stderr shared; it dies
    /// with the thread that starts it.
    pub fn worker_command(&self, index: usize) -> io::Result<Command> {
        child::piped(WORKER_ROLE, self.worker_args(index))
    }

    /// The processes mode: this executable, started again once per worker.
    /// Start it from the main thread (or one that outlives the children), since
    /// the children die with the thread that starts them.
    pub fn processes(&self) -> Result<JobReport, JobError> {
        collect_workers(child::spawn_all((0..self.workers).map(|i| self.worker_command(i))))
    }

    /// The processes mode with another program as the worker. `program` must
    /// answer `__child worker --size N --seed S --index I` through [`worker_main`].
    pub fn processes_of(&self, program: &Path) -> Result<JobReport, JobError> {
        let command = |i| {
            let mut cmd = child::command_of(program, WORKER_ROLE, self.worker_args(i));
            cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::inherit());
            Ok(cmd)
        };
        collect_workers(child::spawn_all((0..self.workers).map(command)))
    }
}

/// Start `workers` scoped threads, thread `i` running `f(i)`, and join them all:
/// their results in order, or the first failure. A thread that cannot start
/// (`Builder::spawn_scoped` returns the error instead of panicking) stops the
/// starting, and the threads already running are still joined.
pub fn in_threads<T: Send>(workers: usize, f: impl Fn(usize) -> T + Sync) -> Result<Vec<T>, JobError> {
    let f = &f;
    thread::scope(|s| {
        let mut handles = Vec::with_capacity(workers);
        let mut error = None;
        for i in 0..workers {
            match thread::Builder::new().name(format!("worker-{i}")).spawn_scoped(s, move || f(i)) {
                Ok(h) => handles.push(h),
                Err(source) => {
                    error = Some(JobError::Spawn { index: i, source });
                    break;
                }
            }
        }
        let mut results = Vec::with_capacity(handles.len());
        for (index, h) in handles.into_iter().enumerate() {
            match h.join() {
                Ok(r) => results.push(r),
                Err(_) => {
                    error.get_or_insert(JobError::ThreadPanicked { index });
                }
            }
        }
        error.map_or(Ok(results), Err)
    })
}

/// Refuse, with clap's error and exit status 2, lists held whole
/// ([`Lists::Kept`]) that would hold more than [`MAX_KEPT_ITEMS`] in all, at once:
/// `A` is the recipe's own clap struct.
pub fn check_memory<A: clap::CommandFactory>(workers: usize, size: usize, lists: Lists) {
    let items = workers.saturating_mul(size);
    if lists == Lists::Kept && items > MAX_KEPT_ITEMS {
        let why = format!(
            "whole lists of {workers} × {size} items would hold {items} at once ({} MB), more than the limit of \
             {MAX_KEPT_ITEMS}: use fewer workers or a smaller --size",
            items / 125_000
        );
        A::command().error(clap::error::ErrorKind::ValueValidation, why).exit();
    }
}

/// Wait for every worker process, in order, and combine their reports.
pub fn collect_workers(children: child::Children) -> Result<JobReport, JobError> {
    let summaries = children.wait_all_with(|_, stdout| parse_worker_report(stdout))?;
    Ok(JobReport::from_summaries(summaries))
}

/// The serial mode of the book's job (whole lists); see [`Job::serial`].
pub fn run_serial(workers: usize, size: usize, seed: u64) -> JobReport {
    Job::book(workers, size, seed).serial()
}

/// The threads mode of the book's job (whole lists); see [`Job::threads`].
pub fn run_threads(workers: usize, size: usize, seed: u64) -> Result<JobReport, JobError> {
    Job::book(workers, size, seed).threads()
}

/// The rayon mode of the book's job (whole lists) on a fresh pool.
pub fn run_rayon(workers: usize, size: usize, seed: u64) -> Result<JobReport, JobError> {
    Job::book(workers, size, seed).rayon()
}

/// The rayon mode of the book's job (whole lists) on a pool built beforehand.
pub fn run_rayon_in(pool: &rayon::ThreadPool, workers: usize, size: usize, seed: u64) -> JobReport {
    Job::book(workers, size, seed).rayon_in(pool)
}

/// The processes mode of the book's job (whole lists), with this executable as
/// the worker.
pub fn run_processes(workers: usize, size: usize, seed: u64) -> Result<JobReport, JobError> {
    Job::book(workers, size, seed).processes()
}

/// The processes mode of the book's job (whole lists), with `program` as the
/// worker; see [`Job::processes_of`].
pub fn run_processes_of(program: &Path, workers: usize, size: usize, seed: u64) -> Result<JobReport, JobError> {
    Job::book(workers, size, seed).processes_of(program)
}

/// The role a worker child is started in.
pub const WORKER_ROLE: &str = "worker";

/// Read a worker's report: the facts `items`, `checksum` and `held`.
///
/// ```
/// use ch01_intro::work::parse_worker_report;
/// let s = parse_worker_report("items = 3\nchecksum = 1.5\nheld = 3\n").unwrap();
/// assert_eq!((s.len, s.checksum, s.held), (3, 1.5, 3));
/// assert!(parse_worker_report("items = 3\n").is_err());
/// ```
pub fn parse_worker_report(stdout: &str) -> Result<ListSummary, String> {
    Ok(ListSummary {
        len: facts::fact_as(stdout, "items")?,
        checksum: facts::fact_as(stdout, "checksum")?,
        held: facts::fact_as(stdout, "held")?,
    })
}

/// The flags of a worker child.
#[derive(Parser, Debug)]
#[command(name = "worker", about = "One worker of the do_something job (a child process)")]
struct WorkerArgs {
    /// Items in the list [1–100000000].
    #[arg(long, value_parser = cookbook_support::count(1, MAX_SIZE))]
    size: usize,
    /// Seed of the run.
    #[arg(long)]
    seed: u64,
    /// This worker's index: its generator is `rng::for_worker(seed, index)`.
    #[arg(long)]
    index: usize,
    /// Hold the whole list, as the book does.
    #[arg(long)]
    keep_lists: bool,
}

/// The child side of the processes mode: given the role a child was started in
/// ([`cookbook_support::child::role`]), build this worker's list, print `items = N`,
/// `checksum = X` (printed so that it reads back exactly) and `held = H`, and
/// return the exit status the child should end with: 0, or 2 for an unknown role
/// or bad arguments.
///
/// Call it first thing in `main`, before the parent's own flags are parsed (see
/// [`worker_exit`]).
pub fn worker_main(role: &Role) -> i32 {
    if role.name != WORKER_ROLE {
        eprintln!("unknown child role `{}` (expected `{WORKER_ROLE}`)", role.name);
        return cookbook_support::EXIT_BAD_INPUT;
    }
    let args: WorkerArgs = match role.try_parse() {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return e.exit_code();
        }
    };
    let lists = if args.keep_lists { Lists::Kept } else { Lists::Chunked };
    let s = worker_summary_of(lists, args.size, args.seed, args.index);
    // `{}` on an f64 prints the shortest text that parses back to the same bits.
    println!("items = {}", s.len);
    println!("checksum = {}", s.checksum);
    println!("held = {}", s.held);
    0
}

/// [`worker_main`] as a recipe's `main` returns it:
///
/// ```no_run
/// use std::process::ExitCode;
/// use cookbook_support::child;
/// fn main() -> ExitCode {
///     if let Some(role) = child::role() {
///         return ch01_intro::work::worker_exit(&role);
///     }
///     // … the parent …
///     cookbook_support::Status::Success.into()
/// }
/// ```
pub fn worker_exit(role: &Role) -> ExitCode {
    ExitCode::from(u8::try_from(worker_main(role)).unwrap_or(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(size: usize, seed: u64) -> Vec<f64> {
        let mut out = Vec::new();
        do_something(size, &mut out, &mut rng::seeded(seed));
        out
    }

    #[test]
    fn do_something_appends_exactly_count_items_in_unit_interval() {
        let mut rng = rng::seeded(3);
        let mut out = vec![7.0];
        for (count, len) in [(0, 1), (1, 2), (17, 19), (1_000, 1_019)] {
            do_something(count, &mut out, &mut rng);
            assert_eq!(out.len(), len);
        }
        assert_eq!(out[0], 7.0, "the caller's items are kept");
        assert!(out[1..].iter().all(|x| (0.0..1.0).contains(x)));
    }

    #[test]
    fn do_something_is_reproducible_and_looks_uniform() {
        let a = list(10_000, 11);
        assert_eq!(a, list(10_000, 11));
        let mean = a.iter().sum::<f64>() / a.len() as f64;
        assert!((mean - 0.5).abs() < 0.02, "mean {mean}");
        assert_ne!(a, list(10_000, 12));
    }

    #[test]
    fn chunks_hold_little_and_sum_the_same_bits() {
        let size = 2 * CHUNK + 123;
        let kept = worker_summary_of(Lists::Kept, size, 4, 1);
        let chunked = worker_summary_of(Lists::Chunked, size, 4, 1);
        assert_eq!((kept.len, kept.held), (size, size));
        assert_eq!((chunked.len, chunked.held), (size, CHUNK));
        assert_eq!(chunked.checksum, kept.checksum);
        let by_hand: f64 = {
            let mut all = Vec::new();
            do_something(size, &mut all, &mut rng::for_worker(4, 1));
            all.iter().sum()
        };
        assert_eq!(kept.checksum, by_hand);
        assert_eq!(worker_summary_of(Lists::Chunked, 10, 4, 1).held, 10);
        assert_ne!(worker_summary(50, 1, 0), worker_summary(50, 1, 1));
    }

    #[test]
    fn report_combines_in_worker_order() {
        let r = JobReport::from_summaries([
            ListSummary { len: 2, checksum: 1.0, held: 2 },
            ListSummary { len: 3, checksum: 0.5, held: 1 },
        ]);
        assert_eq!(r.lens, vec![2, 3]);
        assert_eq!(r.lists(), 2);
        assert_eq!(r.total_items(), 5);
        assert_eq!(r.checksum, 1.5);
        assert_eq!(r.held, 2);
    }

    #[test]
    fn in_process_modes_agree_bit_for_bit() {
        for lists in [Lists::Chunked, Lists::Kept] {
            let job = Job { workers: 5, size: CHUNK + 777, seed: 9, lists };
            let serial = job.serial();
            assert_eq!(serial.lens, vec![CHUNK + 777; 5]);
            assert_eq!(job.threads().unwrap(), serial);
            assert_eq!(job.rayon().unwrap(), serial);
            let by_hand: f64 = (0..5).map(|i| worker_summary(CHUNK + 777, 9, i).checksum).sum();
            assert_eq!(serial.checksum, by_hand);
            assert_ne!(Job { seed: 10, ..job }.serial().checksum, serial.checksum);
        }
        assert_eq!(run_threads(3, 100, 2).unwrap(), run_serial(3, 100, 2));
        assert_eq!(run_rayon(3, 100, 2).unwrap().held, 100);
    }

    #[test]
    fn rayon_with_fewer_threads_than_workers() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        assert_eq!(run_rayon_in(&pool, 7, 100, 4), run_serial(7, 100, 4));
    }

    #[test]
    fn report_round_trips_through_text() {
        let s = worker_summary(1_234, 5, 2);
        let text = format!("items = {}\nchecksum = {}\nheld = {}\n", s.len, s.checksum, s.held);
        assert_eq!(parse_worker_report(&text).unwrap(), s);
        assert!(parse_worker_report("").is_err());
        assert!(parse_worker_report("items = x\nchecksum = 1\nheld = 1").is_err());
        assert!(parse_worker_report("items = 1\nchecksum = y\nheld = 1").is_err());
        assert!(parse_worker_report("items = 1\nitems = 1\nchecksum = 1\nheld = 1").is_err());
    }

    #[test]
    fn worker_args_parse_back() {
        let job = Job { workers: 1, size: 10, seed: 3, lists: Lists::Kept };
        let a: WorkerArgs = Role::new(WORKER_ROLE, job.worker_args(4)).try_parse().unwrap();
        assert_eq!((a.size, a.seed, a.index, a.keep_lists), (10, 3, 4, true));
        let chunked = Job { lists: Lists::Chunked, ..job };
        let a: WorkerArgs = Role::new(WORKER_ROLE, chunked.worker_args(0)).try_parse().unwrap();
        assert!(!a.keep_lists);
    }

    #[test]
    fn worker_main_refuses_unknown_role_and_bad_args() {
        assert_eq!(worker_main(&Role::new("nobody", vec![])), 2);
        assert_eq!(worker_main(&Role::new(WORKER_ROLE, vec!["--size".into(), "0".into()])), 2);
        let too_big = Job { workers: 1, size: MAX_SIZE + 1, seed: 1, lists: Lists::Chunked };
        assert_eq!(worker_main(&Role::new(WORKER_ROLE, too_big.worker_args(0))), 2);
    }

    #[test]
    fn a_panicking_thread_is_reported_and_the_others_joined() {
        let done = std::sync::atomic::AtomicUsize::new(0);
        let result = in_threads(3, |i| {
            if i == 1 {
                panic!("worker 1 fails on purpose");
            }
            done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        });
        assert!(matches!(result, Err(JobError::ThreadPanicked { index: 1 })), "{result:?}");
        assert_eq!(done.into_inner(), 2, "the other two ran to the end");
        assert_eq!(in_threads(4, |i| i * 10).unwrap(), [0, 10, 20, 30]);
    }

    #[test]
    fn job_errors_say_what_failed() {
        use std::error::Error;
        let spawn = JobError::Spawn { index: 3, source: io::Error::other("no memory") };
        assert_eq!(spawn.to_string(), "cannot start worker thread 3: no memory");
        assert_eq!(spawn.source().map(|e| e.to_string()), Some("no memory".to_string()));
        let panicked = JobError::ThreadPanicked { index: 1 };
        assert_eq!(panicked.to_string(), "worker thread 1 panicked");
        assert!(panicked.source().is_none());
        let child = JobError::from(ChildError::Report { index: 2, why: "no line".into() });
        assert_eq!(child.to_string(), "child process 2 sent a bad report: no line");
        assert!(child.source().is_some());
        assert_eq!(JobError::Pool("x".into()).to_string(), "cannot build the rayon pool: x");
    }

    #[test]
    fn mode_names() {
        let names: Vec<String> = Mode::ALL.iter().map(|m| m.to_string()).collect();
        assert_eq!(names, ["serial", "threads", "processes", "rayon"]);
        assert_eq!(format!("{:<9}|", Mode::Rayon), "rayon    |");
    }
}

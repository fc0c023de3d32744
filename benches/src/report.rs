//! The Markdown report: how every figure is timed, the book's §2.13 table beside
//! today's, the speed-ups with their ideal, the operating system's floor, the pairs
//! with the limit that bounds each, the garbage collector, the 2nd edition's
//! do_something test, the 1st edition's §4.2 futures table, and every result in
//! full.
//!
//! A row of the pairs table is one entry of [`PAIRS`]; a row of the floor table one
//! entry of [`FLOORS`].

use std::fmt::Write as _;

use crate::book::{BOOK_4_2, BOOK_CORES, Limit, NS, WORKLOADS, book_ratio};
use crate::data::{C, Impl, PYTHON, Results, ratio, speedup};
use crate::machine::Machine;

/// The numbers of workers of the 2nd edition's do_something test.
pub const WORKERS: [u32; 5] = [1, 2, 4, 8, 10];

pub const NOT_MEASURED: &str = "not measured";

/// A Python row is listed in the collector's section when timing it with the
/// collector on changes it by this fraction or more.
pub const GC_MATTERS: f64 = 0.10;

// ── formatting ──────────────────────────────────────────────────────────────

/// Seconds, as the book prints them (six decimals); below a millisecond, three
/// significant digits so that nanoseconds do not print as 0.000000.
pub fn fmt_secs(s: f64) -> String {
    if s >= 1e-3 || s == 0.0 {
        format!("{s:.6}")
    } else {
        let decimals = (-s.log10()).ceil() as usize + 2;
        format!("{s:.decimals$}")
    }
}

/// A time with its unit and three significant digits, trailing zeros dropped:
/// `45 µs`, `1.23 ms`, `2 s`.
pub fn fmt_si(s: f64) -> String {
    let (scale, unit) = match s {
        s if s >= 1.0 || s <= 0.0 => (1.0, "s"),
        s if s >= 1e-3 => (1e3, "ms"),
        s if s >= 1e-6 => (1e6, "µs"),
        _ => (1e9, "ns"),
    };
    let x = s * scale;
    let decimals = if x >= 100.0 {
        0
    } else if x >= 10.0 {
        1
    } else {
        2
    };
    let text = format!("{x:.decimals$}");
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.') } else { &text };
    format!("{text} {unit}")
}

pub fn fmt_ratio(r: f64) -> String {
    if r > 0.0 && r < 0.1 {
        let decimals = (-r.log10()).ceil() as usize + 1;
        format!("{r:.decimals$}×")
    } else if r >= 100.0 {
        format!("{r:.0}×")
    } else if r >= 10.0 {
        format!("{r:.1}×")
    } else {
        format!("{r:.2}×")
    }
}

fn cell(v: Option<f64>, f: fn(f64) -> String) -> String {
    v.map(f).unwrap_or_else(|| NOT_MEASURED.into())
}

/// A Markdown table: `align` has a letter for each column (extra letters are
/// ignored), `r` for right-aligned.
pub fn table(md: &mut String, align: &str, header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) {
    let _ = writeln!(md, "| {} |", header.join(" | "));
    let rule: String = align.chars().take(header.len()).map(|a| if a == 'r' { " ---: |" } else { " --- |" }).collect();
    let _ = writeln!(md, "|{rule}");
    for row in rows {
        let _ = writeln!(md, "| {} |", row.join(" | "));
    }
    md.push('\n');
}

// ── the pairs and their bounds ──────────────────────────────────────────────

/// One side of a comparison.
#[derive(Debug, Clone, Copy)]
pub enum Value {
    Time(Impl, &'static str),
    /// A Python twin's time with the garbage collector on (as a program runs).
    GcOn(&'static str),
    /// `sequential(n) / mode(n)` in a `<group>/<mode>/<n>` family.
    Speedup(Impl, &'static str, &'static str, u32),
}

impl Value {
    pub fn eval(&self, r: &Results) -> Option<f64> {
        match *self {
            Value::Time(side, id) => r.time(side, id),
            Value::GcOn(id) => r.ext_result("python", id).and_then(|x| x.gc_on),
            Value::Speedup(side, group, mode, n) => speedup(r, side, group, mode, n),
        }
    }

    fn show(&self, v: Option<f64>) -> String {
        match self {
            Value::Time(..) | Value::GcOn(_) => cell(v, fmt_si),
            Value::Speedup(..) => cell(v, fmt_ratio),
        }
    }
}

/// Which side of a pair a floor belongs to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Side {
    First,
    Second,
}

/// What bounds a pair, beside its ratio.
#[derive(Debug, Clone, Copy)]
pub enum Bound {
    /// The ideal speed-up of n workers.
    Ideal(Limit, u32),
    /// What the C twins measure for the same operation: (what, C id, the sides it
    /// is the floor of).
    Floors(&'static [(&'static str, &'static str, &'static [Side])]),
    /// No floor is measured: what bounds it, `{cores}` filled in.
    Note(&'static str),
}

pub struct Pair {
    pub what: &'static str,
    pub first_label: &'static str,
    pub first: Value,
    pub second_label: &'static str,
    pub second: Value,
    pub bound: Bound,
}

const THREAD: &str = "primitives/thread_spawn_join/1";
const PROCESS: &str = "primitives/process_spawn_wait/1";
const FORK_EXIT: &str = "primitives/process_spawn_wait/fork_exit";
const SPAWN_WORKER: &str = "primitives/process_spawn_wait/posix_spawn_bench_worker";
const SUBPROCESS: &str = "primitives/process_spawn_wait/subprocess_bench_worker";
const TASKS_ONE_THREAD: &str = "async/tokio_tasks_current_thread/100000";
const ASYNCIO_TASKS: &str = "async/asyncio_tasks/100000";
const ONE_THREAD_EACH: &str = "no OS floor: one thread on each side, the fair comparison of a runtime with an event \
                               loop; a task is a heap allocation and a queue entry in both";
const IN_USER_SPACE: &str = "no OS floor: both stay in user space, one producer and one consumer thread, and \
                             each message crosses between cores at least once";

/// The pairs. A ratio is how many times faster the first side is: the second's
/// time over the first's, or the first's speed-up over the second's.
pub const PAIRS: &[Pair] = &[
    Pair {
        what: "fib_bigint, n = 2: speed-up of threads over sequential",
        first_label: "Rust threads",
        first: Value::Speedup(Impl::Rust, "book_2_13/fib_bigint", "threads", 2),
        second_label: "Python threads",
        second: Value::Speedup(PYTHON, "book_2_13/fib_bigint", "threads", 2),
        bound: Bound::Ideal(Limit::Cores, 2),
    },
    Pair {
        what: "fib_bigint, n = 2: speed-up of processes over sequential",
        first_label: "Rust processes",
        first: Value::Speedup(Impl::Rust, "book_2_13/fib_bigint", "processes", 2),
        second_label: "Python multiprocessing",
        second: Value::Speedup(PYTHON, "book_2_13/fib_bigint", "processes", 2),
        bound: Bound::Ideal(Limit::Cores, 2),
    },
    Pair {
        what: "url_read, n = 8: speed-up of threads over sequential",
        first_label: "Rust threads",
        first: Value::Speedup(Impl::Rust, "book_2_13/url_read", "threads", 8),
        second_label: "Python threads",
        second: Value::Speedup(PYTHON, "book_2_13/url_read", "threads", 8),
        bound: Bound::Ideal(Limit::Waits, 8),
    },
    Pair {
        what: "thread spawn + join",
        first_label: "std::thread",
        first: Value::Time(Impl::Rust, THREAD),
        second_label: "threading.Thread",
        second: Value::Time(PYTHON, THREAD),
        bound: Bound::Floors(&[("pthread_create + join", THREAD, &[Side::First, Side::Second])]),
    },
    Pair {
        what: "process spawn + wait",
        first_label: "Command (bench_worker noop)",
        first: Value::Time(Impl::Rust, PROCESS),
        second_label: "multiprocessing.Process (fork)",
        second: Value::Time(PYTHON, PROCESS),
        bound: Bound::Floors(&[
            ("posix_spawn of bench_worker", SPAWN_WORKER, &[Side::First]),
            ("fork + _exit", FORK_EXIT, &[Side::Second]),
        ]),
    },
    Pair {
        what: "process spawn + wait of the same program",
        first_label: "Command (bench_worker noop)",
        first: Value::Time(Impl::Rust, PROCESS),
        second_label: "subprocess.run (bench_worker noop)",
        second: Value::Time(PYTHON, SUBPROCESS),
        bound: Bound::Floors(&[("posix_spawn of bench_worker", SPAWN_WORKER, &[Side::First, Side::Second])]),
    },
    Pair {
        what: "channel, 100 000 messages, unbounded",
        first_label: "crossbeam unbounded()",
        first: Value::Time(Impl::Rust, "channel/crossbeam/100000"),
        second_label: "queue.Queue()",
        second: Value::Time(PYTHON, "channel/queue_Queue/100000"),
        bound: Bound::Note(IN_USER_SPACE),
    },
    Pair {
        what: "channel, 100 000 messages, bounded to 1 024",
        first_label: "crossbeam bounded(1024)",
        first: Value::Time(Impl::Rust, "channel/crossbeam_bounded_1024/100000"),
        second_label: "queue.Queue(maxsize=1024)",
        second: Value::Time(PYTHON, "channel/queue_Queue_maxsize_1024/100000"),
        bound: Bound::Note(IN_USER_SPACE),
    },
    Pair {
        what: "channel, 100 000 messages, unbounded",
        first_label: "std::sync::mpsc",
        first: Value::Time(Impl::Rust, "channel/std_mpsc/100000"),
        second_label: "queue.Queue()",
        second: Value::Time(PYTHON, "channel/queue_Queue/100000"),
        bound: Bound::Note(IN_USER_SPACE),
    },
    Pair {
        what: "100 000 async tasks, spawn and await, one thread each",
        first_label: "tokio current_thread",
        first: Value::Time(Impl::Rust, TASKS_ONE_THREAD),
        second_label: "asyncio, collector off (timeit's way, the book's)",
        second: Value::Time(PYTHON, ASYNCIO_TASKS),
        bound: Bound::Note(ONE_THREAD_EACH),
    },
    Pair {
        what: "100 000 async tasks, spawn and await, one thread each",
        first_label: "tokio current_thread",
        first: Value::Time(Impl::Rust, TASKS_ONE_THREAD),
        second_label: "asyncio, collector on (as a program runs)",
        second: Value::GcOn(ASYNCIO_TASKS),
        bound: Bound::Note(ONE_THREAD_EACH),
    },
    Pair {
        what: "10 000 timers of random length (0–1 ms), sleep and await, one thread each",
        first_label: "tokio current_thread (a timer wheel)",
        first: Value::Time(Impl::Rust, "async/tokio_sleeps/10000"),
        second_label: "asyncio (a heap of timers)",
        second: Value::Time(PYTHON, "async/asyncio_sleeps/10000"),
        bound: Bound::Note(
            "the longest sleep, 1 ms, bounds both from below; above it is what the timers cost (at most \
             about 1 ms for the wheel's millisecond slots)",
        ),
    },
    Pair {
        what: "100 000 async tasks, spawn and await, multi-thread runtime",
        first_label: "tokio",
        first: Value::Time(Impl::Rust, "async/tokio_tasks/100000"),
        second_label: "asyncio",
        second: Value::Time(PYTHON, "async/asyncio_tasks/100000"),
        bound: Bound::Note(
            "no OS floor; tokio runs the tasks on {cores} worker threads and asyncio on one, so up to \
             {cores}× of the ratio is parallelism",
        ),
    },
    Pair {
        what: "vector add, 1 048 576 f32",
        first_label: "OpenCL on PoCL",
        first: Value::Time(Impl::Rust, "opencl/vector_add/pocl/1048576"),
        second_label: "rayon",
        second: Value::Time(Impl::Rust, "opencl/vector_add/rayon/1048576"),
        bound: Bound::Note(
            "at most 1× on a CPU device: PoCL uses the same {cores} cores as rayon and also copies 12 MiB \
             to and from its buffers",
        ),
    },
    Pair {
        what: "Mutex lock + unlock",
        first_label: "uncontended",
        first: Value::Time(Impl::Rust, "primitives/mutex/uncontended"),
        second_label: "contended by 2 threads",
        second: Value::Time(Impl::Rust, "primitives/mutex/contended_2"),
        bound: Bound::Note(
            "no OS floor: uncontended, a lock is an atomic instruction; contended, each hand-over moves the \
             lock's cache line between cores, and std's Mutex, which is not fair, lets the holder take it \
             again",
        ),
    },
    Pair {
        what: "MPI ping-pong latency (comes with chapter 3)",
        first_label: "rsmpi",
        first: Value::Time(Impl::Rust, "mpi/ping_pong/1"),
        second_label: "C on the same MPI",
        second: Value::Time(C, "mpi/ping_pong/1"),
        bound: Bound::Note("the C side is the floor: the same MPI library without Rust"),
    },
    Pair {
        what: "Celery task round trip on RabbitMQ (comes with chapter 5)",
        first_label: "Rust worker",
        first: Value::Time(Impl::Rust, "celery/task_round_trip/1"),
        second_label: "Python Celery worker",
        second: Value::Time(PYTHON, "celery/task_round_trip/1"),
        bound: Bound::Note("the broker's own round trip bounds both"),
    },
];

/// One evaluated row of the pairs table.
pub struct PairRow {
    pub first: Option<f64>,
    pub second: Option<f64>,
    /// how many times faster the first side is
    pub ratio: Option<f64>,
    pub bound: String,
}

pub fn evaluate(pair: &Pair, r: &Results, cores: usize) -> PairRow {
    let first = pair.first.eval(r);
    let second = pair.second.eval(r);
    let faster = match pair.first {
        Value::Time(..) | Value::GcOn(_) => ratio(second, first),
        Value::Speedup(..) => ratio(first, second),
    };
    let bound = match pair.bound {
        Bound::Ideal(limit, n) => format!("ideal {} = {}", limit.formula(), fmt_ratio(limit.ideal(n, cores))),
        Bound::Note(text) => text.replace("{cores}", &cores.to_string()),
        Bound::Floors(floors) => floors
            .iter()
            .map(|&(what, id, sides)| {
                let floor = r.time(C, id);
                let over: Vec<String> = sides
                    .iter()
                    .filter_map(|side| {
                        let (label, v) =
                            if *side == Side::First { (pair.first_label, first) } else { (pair.second_label, second) };
                        ratio(v, floor).map(|x| format!("{label} {}", fmt_ratio(x)))
                    })
                    .collect();
                let over = if over.is_empty() { String::new() } else { format!(" ({} of it)", over.join(", ")) };
                format!("C {what}: {}{over}", cell(floor, fmt_si))
            })
            .collect::<Vec<_>>()
            .join("; "),
    };
    PairRow { first, second, ratio: faster, bound }
}

/// The rows of the floor table: operation, who and how, result, and the C result it
/// is set against (`None`: this row is a floor).
type FloorRow = (&'static str, &'static str, Impl, &'static str, Option<&'static str>);

pub const FLOORS: &[FloorRow] = &[
    ("thread spawn + join", "C: pthread_create + pthread_join", C, THREAD, None),
    ("thread spawn + join", "Rust: std::thread::spawn + join", Impl::Rust, THREAD, Some(THREAD)),
    ("thread spawn + join", "Python: threading.Thread start + join", PYTHON, THREAD, Some(THREAD)),
    ("process spawn + wait", "C: fork + _exit, waitpid (no program started)", C, FORK_EXIT, None),
    (
        "process spawn + wait",
        "C: fork + exec of a tiny C program, waitpid",
        C,
        "primitives/process_spawn_wait/fork_exec_noop",
        None,
    ),
    (
        "process spawn + wait",
        "C: posix_spawn of a tiny C program, waitpid",
        C,
        "primitives/process_spawn_wait/posix_spawn_noop",
        None,
    ),
    (
        "process spawn + wait",
        "C: fork + exec of bench_worker noop, waitpid",
        C,
        "primitives/process_spawn_wait/fork_exec_bench_worker",
        None,
    ),
    ("process spawn + wait", "C: posix_spawn of bench_worker noop, waitpid", C, SPAWN_WORKER, None),
    ("process spawn + wait", "Rust: Command::status of bench_worker noop", Impl::Rust, PROCESS, Some(SPAWN_WORKER)),
    ("process spawn + wait", "Python: subprocess.run of bench_worker noop", PYTHON, SUBPROCESS, Some(SPAWN_WORKER)),
    ("process spawn + wait", "Python: multiprocessing.Process, fork start method", PYTHON, PROCESS, Some(FORK_EXIT)),
];

// ── the document ────────────────────────────────────────────────────────────

pub struct Context<'a> {
    pub machine: &'a Machine,
    pub sources: Vec<String>,
    pub info: &'a [String],
    pub smoke: bool,
    pub plots: &'a [(String, String)],
}

pub fn render(r: &Results, ctx: &Context) -> String {
    let mut md = String::new();
    let m = ctx.machine;
    let cores = m.cores();
    let _ = writeln!(md, "# Benchmark report: Rust, Python and C on the same machine, in the same run\n");
    if ctx.smoke {
        let _ = writeln!(
            md,
            "> **Smoke run.** The benches ran once each and the twins at tiny sizes, to check that \
             nothing rots. These numbers mean nothing; run `scripts/bench` for a report.\n"
        );
    }
    let _ = writeln!(md, "- Machine: {} ({})", m.cpu, m.cores_text());
    let _ = writeln!(md, "- OS: {}", m.os);
    let _ = writeln!(md, "- Date: {}", m.date);
    for line in ctx.info {
        let _ = writeln!(md, "- {line}");
    }
    let _ = writeln!(md, "- Results: {} from criterion, {} from the twins", r.rust.len(), r.ext.len());
    for s in &ctx.sources {
        let _ = writeln!(md, "  - {s}");
    }
    md.push_str(METHOD);

    section_book(&mut md, r, cores);
    section_times(&mut md, r);
    section_speedup(&mut md, r, cores);
    section_floor(&mut md, r);
    section_pairs(&mut md, r, cores);
    section_gc(&mut md, r);
    section_do_something(&mut md, r, cores);
    section_futures(&mut md, r);
    if !ctx.plots.is_empty() {
        let _ = writeln!(md, "## Plots\n");
        for (file, caption) in ctx.plots {
            let _ = writeln!(md, "![{caption}]({file})\n");
        }
    }
    section_all(&mut md, r);
    md
}

const METHOD: &str = "
## How every figure is timed

One method for every implementation. A figure is the **fastest of several repeats**, in
seconds per call, and a repeat times k calls back to back and divides by k:

- **Python:** `timeit.Timer(call).repeat(repeat, number=k)`, the book's method. k grows
  (1, 2, 5, 10, ...) until one repeat lasts at least 1 ms; the §2.13 rows of more than
  a millisecond keep the book's `number=1`. `timeit` turns the garbage collector off
  while it times, so every table shows that figure; each row is also timed with the
  collector on (`setup=gc.enable`), in repeats that alternate with the others, and
  the section on the collector shows both where they differ.
- **C:** the same loop, with `clock_gettime(CLOCK_MONOTONIC)`; the twins in
  `benches/c/` are built by `scripts/bench` with `cc -O2`.
- **Rust:** criterion's samples are such repeats (criterion picks k); the figure is the
  fastest sample per iteration. Criterion's mean and median are in the last table.

Absolute times vary by machine: compare the ratios, and each ratio with the limit
beside it. A cell says \"not measured\" where that result is absent.

";

fn section_book(md: &mut String, r: &Results, cores: usize) {
    let _ = writeln!(md, "## 1. The book's §2.13 beside today's Python and Rust\n");
    let _ = writeln!(
        md,
        "`threaded / non_threaded`: the time of n calls in n threads over the time of the same n \
         calls in turn. Below 1, the threads win. The book's figures are the 1st edition's (2015: \
         Python 3.3 on a two-core Core 2 Duo). No run can go below the limit, one over the ideal \
         speed-up: 1 for the empty function (no work to share), 1 / min(n, cores) for the \
         computing and the file reads, 1 / n for the URL reads (the waits overlap).\n"
    );
    let mut header = vec!["workload", "n", "book, 2015", "Python today", "Rust today"];
    let book_limit = format!("limit, {BOOK_CORES} cores (the book's)");
    let here_limit = format!("limit, {cores} cores (here)");
    header.push(&book_limit);
    if cores != BOOK_CORES {
        header.push(&here_limit);
    }
    let rows = WORKLOADS.iter().filter(|w| book_ratio(w.name, 1).is_some()).flat_map(|w| {
        NS.map(|n| {
            let of = |side: Impl| {
                let t = |mode: &str| r.time(side, &format!("book_2_13/{}/{mode}/{n}", w.name));
                cell(ratio(t("threads"), t("sequential")), fmt_ratio)
            };
            let mut row = vec![
                w.label.to_string(),
                n.to_string(),
                cell(book_ratio(w.name, n), fmt_ratio),
                of(PYTHON),
                of(Impl::Rust),
                fmt_ratio(1.0 / w.limit.ideal(n, BOOK_CORES)),
            ];
            if cores != BOOK_CORES {
                row.push(fmt_ratio(1.0 / w.limit.ideal(n, cores)));
            }
            row
        })
    });
    table(md, "lrrrrrr", &header, rows);
}

fn section_times(md: &mut String, r: &Results) {
    let _ = writeln!(md, "## 2. The §2.13 times, as the book prints them\n");
    let _ = writeln!(
        md,
        "Each workload n times in a row (`non_threaded`, the id's `sequential`) and in n threads \
         (`threaded`), for n = 1, 2, 4, 8, in Python and in Rust, plus n processes and (Rust only) a \
         rayon pool of n threads built beforehand. Seconds.\n"
    );
    let modes = [
        (PYTHON, "sequential"),
        (PYTHON, "threads"),
        (Impl::Rust, "sequential"),
        (Impl::Rust, "threads"),
        (PYTHON, "processes"),
        (Impl::Rust, "processes"),
        (Impl::Rust, "rayon"),
    ];
    let rows = WORKLOADS.iter().flat_map(|w| {
        NS.map(|n| {
            let mut row = vec![w.label.to_string(), n.to_string()];
            row.extend(
                modes.map(|(side, mode)| cell(r.time(side, &format!("book_2_13/{}/{mode}/{n}", w.name)), fmt_secs)),
            );
            row
        })
    });
    let header = [
        "workload",
        "n",
        "Python non_threaded",
        "Python threaded",
        "Rust non_threaded",
        "Rust threaded",
        "Python processes",
        "Rust processes",
        "Rust rayon",
    ];
    table(md, "lrrrrrrrr", &header, rows);
}

/// The speed-up columns of the §2.13 and do_something tables.
const SPEEDUP_MODES: [(Impl, &str); 5] = [
    (PYTHON, "threads"),
    (PYTHON, "processes"),
    (Impl::Rust, "threads"),
    (Impl::Rust, "processes"),
    (Impl::Rust, "rayon"),
];
const SPEEDUP_HEADER: [&str; 5] =
    ["Python threads", "Python processes", "Rust threads", "Rust processes", "Rust rayon"];

fn speedup_row(r: &Results, group: &str, n: u32, limit: Limit, cores: usize) -> Vec<String> {
    let mut row: Vec<String> =
        SPEEDUP_MODES.iter().map(|&(side, mode)| cell(speedup(r, side, group, mode, n), fmt_ratio)).collect();
    row.push(fmt_ratio(limit.ideal(n, cores)));
    row
}

fn section_speedup(md: &mut String, r: &Results, cores: usize) {
    let _ = writeln!(md, "## 3. Speed-up over sequential, and its ideal\n");
    let _ = writeln!(
        md,
        "`sequential(n) / mode(n)`: how many times faster n workers finish the n calls than one \
         thread calling them in turn. The ideal on this machine ({cores} cores) bounds every \
         column.\n"
    );
    let rows = WORKLOADS.iter().flat_map(|w| {
        NS.map(|n| {
            let mut row = vec![w.label.to_string(), n.to_string()];
            row.extend(speedup_row(r, &format!("book_2_13/{}", w.name), n, w.limit, cores));
            row
        })
    });
    let mut header = vec!["workload", "n"];
    header.extend(SPEEDUP_HEADER);
    header.push("ideal");
    table(md, "lrrrrrrr", &header, rows);
}

fn section_floor(md: &mut String, r: &Results) {
    let _ = writeln!(md, "## 4. Against the operating system's floor\n");
    let _ = writeln!(
        md,
        "The C twins do the same with the system calls alone: what no language can go below on \
         this machine. Each Rust and Python row is set against the C row that does the same work: \
         `Command` and `subprocess` start a program as `posix_spawn` does; `multiprocessing`'s \
         fork start method copies the interpreter and starts no program, as `fork` + `_exit` \
         does.\n"
    );
    let rows = FLOORS.iter().map(|&(op, who, side, id, floor)| {
        let v = r.time(side, id);
        let against = match floor {
            None => "(a floor)".to_string(),
            Some(f) => cell(ratio(v, r.time(C, f)), fmt_ratio),
        };
        vec![op.to_string(), who.to_string(), cell(v, fmt_si), against]
    });
    table(md, "llrr", &["operation", "how", "time per call", "× its C floor"], rows);
}

fn section_pairs(md: &mut String, r: &Results, cores: usize) {
    let _ = writeln!(md, "## 5. Pairs, with what bounds them\n");
    let _ = writeln!(
        md,
        "The ratio is how many times faster the first side is: the second's time over the first's \
         (for the speed-up rows, the first's speed-up over the second's). The last column is the \
         limit: the ideal speed-up, or the C floor of section 4, or, where no floor is measured, \
         what bounds the pair.\n"
    );
    let rows = PAIRS.iter().map(|pair| {
        let row = evaluate(pair, r, cores);
        vec![
            pair.what.to_string(),
            pair.first_label.to_string(),
            pair.first.show(row.first),
            pair.second_label.to_string(),
            pair.second.show(row.second),
            cell(row.ratio, fmt_ratio),
            row.bound,
        ]
    });
    table(md, "llrlrrl", &["comparison", "first", "time", "second", "time", "ratio", "limit"], rows);
}

fn section_gc(md: &mut String, r: &Results) {
    let _ = writeln!(md, "## 6. The garbage collector\n");
    let on_off: Vec<_> = r.ext.values().filter_map(|x| Some((x, ratio(x.gc_on, Some(x.seconds))?))).collect();
    let rows: Vec<Vec<String>> = on_off
        .iter()
        .filter(|(_, on)| *on >= 1.0 + GC_MATTERS)
        .map(|(x, on)| vec![format!("`{}`", x.id), fmt_si(x.seconds), cell(x.gc_on, fmt_si), fmt_ratio(*on)])
        .collect();
    let _ = writeln!(
        md,
        "Every Python row is timed twice: with the collector off, as `timeit` times and so as the \
         book does (the figure of every other table), and with it on, as a program runs. {} of {} \
         rows are {:.0}% slower or more with it on:\n",
        rows.len(),
        on_off.len(),
        GC_MATTERS * 100.0
    );
    if !rows.is_empty() {
        table(md, "lrrr", &["id", "gc off (timeit, the book's)", "gc on", "on / off"], rows);
    }
    // The collector only adds work: where "on" comes out faster, that is noise.
    if let Some(low) = on_off.iter().map(|(_, on)| *on).min_by(f64::total_cmp).filter(|low| *low < 1.0) {
        let _ = writeln!(
            md,
            "The collector can only add work, so a row that comes out faster with it on shows the \
             noise of the repeats alone: the lowest on / off here is {}.\n",
            fmt_ratio(low)
        );
    }
}

fn section_do_something(md: &mut String, r: &Results, cores: usize) {
    let _ = writeln!(md, "## 7. The 2nd edition's chapter 1 test: `do_something` by mode and workers\n");
    let _ = writeln!(
        md,
        "Each worker appends its share of random floats to its own list (Python) or `Vec` \
         (Rust). Seconds for all workers, then the speed-up over sequential and its ideal, \
         min(workers, cores).\n"
    );
    let modes = [
        (PYTHON, "sequential"),
        (PYTHON, "threads"),
        (PYTHON, "processes"),
        (Impl::Rust, "sequential"),
        (Impl::Rust, "threads"),
        (Impl::Rust, "processes"),
        (Impl::Rust, "rayon"),
    ];
    let rows = WORKERS.map(|w| {
        let mut row = vec![w.to_string()];
        row.extend(modes.map(|(side, mode)| cell(r.time(side, &format!("do_something/{mode}/{w}")), fmt_secs)));
        row
    });
    let header = [
        "workers",
        "Python sequential",
        "Python threads",
        "Python processes",
        "Rust sequential",
        "Rust threads",
        "Rust processes",
        "Rust rayon",
    ];
    table(md, "rrrrrrrr", &header, rows);
    let rows = WORKERS.map(|w| {
        let mut row = vec![w.to_string()];
        row.extend(speedup_row(r, "do_something", w, Limit::Cores, cores));
        row
    });
    let mut header = vec!["workers"];
    header.extend(SPEEDUP_HEADER);
    header.push("ideal");
    table(md, "rrrrrrr", &header, rows);
}

fn section_futures(md: &mut String, r: &Results) {
    let _ = writeln!(md, "## 8. The 1st edition's §4.2: `concurrent.futures`\n");
    let _ = writeln!(
        md,
        "Ten calls of the book's counting loop, one after another, on a pool of 5 threads and on a \
         pool of 5 processes, each pool made and shut down inside the timing (the `with` block). \
         Seconds, and the speed-up over sequential. The book's figures are its printed run (2015: \
         Python 3 on the author's machine); the GIL keeps its thread pool at the speed of its loop. \
         The collector is off on the Python side, as everywhere else.\n"
    );
    let book_sequential = BOOK_4_2[0].2;
    let rows = BOOK_4_2.iter().map(|&(mode, label, book)| {
        let id = format!("futures_4_2/{mode}/10");
        let sequential = |side: Impl| r.time(side, "futures_4_2/sequential/10");
        let of = |side: Impl| {
            let t = r.time(side, &id);
            [cell(t, fmt_secs), cell(ratio(sequential(side), t), fmt_ratio)]
        };
        let mut row = vec![label.to_string(), fmt_secs(book), fmt_ratio(book_sequential / book)];
        row.extend(of(PYTHON));
        row.extend(of(Impl::Rust));
        row
    });
    let header =
        ["mode", "book, 2015", "book speed-up", "Python today", "Python speed-up", "Rust today", "Rust speed-up"];
    table(md, "lrrrrrr", &header, rows);
}

fn section_all(md: &mut String, r: &Results) {
    let _ = writeln!(md, "## 9. Every result\n");
    if !r.rust.is_empty() {
        let _ = writeln!(md, "Criterion (seconds per iteration):\n");
        let rows = r.rust.values().map(|x| {
            vec![format!("`{}`", x.id), fmt_secs(x.min), fmt_secs(x.median), fmt_secs(x.mean), x.samples.to_string()]
        });
        table(md, "lrrrr", &["id", "fastest", "median", "mean", "samples"], rows);
    }
    if !r.ext.is_empty() {
        let _ = writeln!(md, "Twins (seconds per call, the fastest repeat):\n");
        let count = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_else(|| "—".into());
        let rows = r.ext.values().map(|x| {
            let gc = x.gc_on.map(fmt_secs).unwrap_or_else(|| "—".into());
            vec![
                x.implementation.clone(),
                format!("`{}`", x.id),
                fmt_secs(x.seconds),
                gc,
                count(x.repeats),
                count(x.number),
            ]
        });
        table(md, "llrrrr", &["impl", "id", "fastest", "gc on", "repeats", "calls per repeat"], rows);
    }
    if r.stale > 0 || !r.warnings.is_empty() {
        let _ = writeln!(md, "Notes:\n");
        if r.stale > 0 {
            let _ = writeln!(md, "- {} criterion result(s) older than this run were left out.", r.stale);
        }
        for w in &r.warnings {
            let _ = writeln!(md, "- {w}");
        }
        md.push('\n');
    }
}

//! The Markdown report: the §2.13 table, the speedups, the pairs with their targets,
//! the 2nd edition's do_something test, and every result in full.
//!
//! Adding a row of the pairs table means one entry in [`pairs`]: the ids of its two
//! sides (a criterion full id, or a twin's id and `impl`), how to compare them, and
//! the target.

use std::fmt::Write as _;

use crate::data::{Impl, PYTHON, Results, ratio, speedup};
use crate::machine::Machine;

pub const NS: [u32; 4] = [1, 2, 4, 8];
pub const WORKERS: [u32; 5] = [1, 2, 4, 8, 10];

/// The §2.13 workloads: bench name and what the book calls it.
pub const WORKLOADS: [(&str, &str); 5] = [
    ("empty", "empty function"),
    ("fib_bigint", "Fibonacci, big integers (the book's)"),
    ("fib_u64", "Fibonacci, wrapping u64 (Rust variant)"),
    ("file_read", "file read"),
    ("url_read", "URL read (loopback server, fixed latency)"),
];

pub const NOT_MEASURED: &str = "not measured";

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

// ── the pairs and their targets ─────────────────────────────────────────────

/// One side of a comparison.
#[derive(Debug, Clone, Copy)]
pub enum Value {
    /// The time of the first of these ids that has a result.
    Time(Impl, &'static [&'static str]),
    /// `sequential(n) / mode(n)` in a `<group>/<mode>/<n>` family.
    Speedup(Impl, &'static str, &'static str, u32),
}

impl Value {
    pub fn eval(&self, r: &Results) -> Option<f64> {
        match *self {
            Value::Time(side, ids) => ids.iter().find_map(|id| r.time(side, id)),
            Value::Speedup(side, group, mode, n) => speedup(r, side, group, mode, n),
        }
    }
    fn is_speedup(&self) -> bool {
        matches!(self, Value::Speedup(..))
    }
}

/// What the row's ratio is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Metric {
    /// Rust time / other time: below 1, Rust costs less.
    RustOverOther,
    /// other time / Rust time: how many times more work per second the Rust side does.
    OtherOverRust,
    /// The Rust value itself (a speedup); the other side is shown for contrast.
    RustValue,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    AtMost(f64),
    AtLeast(f64),
    /// shown for information
    None,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Met,
    Missed,
    NotMeasured,
    Waits(&'static str),
    Info,
}

impl Verdict {
    pub fn text(&self) -> String {
        match self {
            Verdict::Met => "met".into(),
            Verdict::Missed => "**MISSED**".into(),
            Verdict::NotMeasured => NOT_MEASURED.into(),
            Verdict::Waits(what) => format!("waits for {what}"),
            Verdict::Info => "—".into(),
        }
    }
}

pub struct Pair {
    pub what: &'static str,
    pub rust_label: &'static str,
    pub rust: Value,
    pub other_label: &'static str,
    pub other: Value,
    pub metric: Metric,
    pub target: Target,
    /// Shown while neither side has a result: the chapter this row waits for.
    pub pending: Option<&'static str>,
}

pub fn metric_value(metric: Metric, rust: Option<f64>, other: Option<f64>) -> Option<f64> {
    match metric {
        Metric::RustOverOther => ratio(rust, other),
        Metric::OtherOverRust => ratio(other, rust),
        Metric::RustValue => rust,
    }
}

/// The verdict of a row. A row waiting for a chapter waits while neither side has a
/// result; once one side exists, a missing other side is "not measured".
pub fn verdict(metric: Option<f64>, target: Target, pending: Option<&'static str>, any_side: bool) -> Verdict {
    match (metric, target) {
        (None, _) if !any_side && pending.is_some() => Verdict::Waits(pending.unwrap()),
        (None, _) => Verdict::NotMeasured,
        (Some(_), Target::None) => Verdict::Info,
        (Some(m), Target::AtMost(t)) => {
            if m <= t {
                Verdict::Met
            } else {
                Verdict::Missed
            }
        }
        (Some(m), Target::AtLeast(t)) => {
            if m >= t {
                Verdict::Met
            } else {
                Verdict::Missed
            }
        }
    }
}

fn target_text(metric: Metric, target: Target) -> String {
    let what = match metric {
        Metric::RustOverOther => "Rust/other time",
        Metric::OtherOverRust => "other/Rust time",
        Metric::RustValue => "Rust",
    };
    match target {
        Target::AtMost(t) => format!("{what} ≤ {}", fmt_ratio(t)),
        Target::AtLeast(t) => format!("{what} ≥ {}", fmt_ratio(t)),
        Target::None => "—".into(),
    }
}

const C: Impl = Impl::Ext("c");

/// The rows of the pairs table (the targets first, then rows for information).
pub fn pairs() -> Vec<Pair> {
    use Metric::*;
    use Value::*;
    vec![
        Pair {
            what: "fib_bigint: speedup of 2 threads over sequential (n = 2)",
            rust_label: "Rust threads",
            rust: Speedup(Impl::Rust, "book_2_13/fib_bigint", "threads", 2),
            other_label: "Python threads",
            other: Speedup(PYTHON, "book_2_13/fib_bigint", "threads", 2),
            metric: RustValue,
            target: Target::AtLeast(1.85),
            pending: None,
        },
        Pair {
            what: "fib_bigint: speedup of 2 processes over sequential (n = 2)",
            rust_label: "Rust processes",
            rust: Speedup(Impl::Rust, "book_2_13/fib_bigint", "processes", 2),
            other_label: "Python multiprocessing",
            other: Speedup(PYTHON, "book_2_13/fib_bigint", "processes", 2),
            metric: RustValue,
            target: Target::None,
            pending: None,
        },
        Pair {
            what: "thread spawn + join",
            rust_label: "std::thread",
            rust: Time(Impl::Rust, &["primitives/thread_spawn_join/1"]),
            other_label: "threading.Thread",
            other: Time(PYTHON, &["primitives/thread_spawn_join/1"]),
            metric: RustOverOther,
            target: Target::AtMost(0.4),
            pending: None,
        },
        Pair {
            what: "process spawn + wait",
            rust_label: "Command (bench_worker noop)",
            rust: Time(Impl::Rust, &["primitives/process_spawn_wait/1"]),
            other_label: "multiprocessing.Process",
            other: Time(PYTHON, &["primitives/process_spawn_wait/1"]),
            metric: RustOverOther,
            target: Target::AtMost(0.5),
            pending: None,
        },
        Pair {
            what: "channel throughput, 100 000 messages",
            rust_label: "crossbeam-channel",
            rust: Time(Impl::Rust, &["channel/crossbeam/100000"]),
            other_label: "queue.Queue",
            other: Time(PYTHON, &["channel/queue_Queue/100000"]),
            metric: OtherOverRust,
            target: Target::AtLeast(50.0),
            pending: None,
        },
        Pair {
            what: "100 000 async tasks, spawn and await",
            rust_label: "tokio",
            rust: Time(Impl::Rust, &["async/tokio_tasks/100000"]),
            other_label: "asyncio",
            other: Time(PYTHON, &["async/asyncio_tasks/100000"]),
            metric: OtherOverRust,
            target: Target::AtLeast(20.0),
            pending: None,
        },
        Pair {
            what: "vector add, 1 048 576 f32 (throughput relative to rayon)",
            rust_label: "OpenCL on PoCL",
            rust: Time(Impl::Rust, &["opencl/vector_add/pocl/1048576"]),
            other_label: "rayon",
            other: Time(Impl::Rust, &["opencl/vector_add/rayon/1048576"]),
            metric: OtherOverRust,
            target: Target::AtLeast(0.7),
            pending: None,
        },
        Pair {
            what: "MPI ping-pong latency",
            rust_label: "rsmpi",
            rust: Time(Impl::Rust, &["mpi/ping_pong/1"]),
            other_label: "C on the same MPI",
            other: Time(C, &["mpi/ping_pong/1"]),
            metric: RustOverOther,
            target: Target::AtMost(1.05),
            pending: Some("chapter 3"),
        },
        Pair {
            what: "Celery task round trip on RabbitMQ (tasks per second)",
            rust_label: "Rust worker",
            rust: Time(Impl::Rust, &["celery/task_round_trip/1"]),
            other_label: "Python Celery worker",
            other: Time(PYTHON, &["celery/task_round_trip/1"]),
            metric: OtherOverRust,
            target: Target::AtLeast(3.0),
            pending: Some("chapter 5"),
        },
        // For information: no target in the issue.
        Pair {
            what: "channel throughput, 100 000 messages",
            rust_label: "std::sync::mpsc",
            rust: Time(Impl::Rust, &["channel/std_mpsc/100000"]),
            other_label: "queue.Queue",
            other: Time(PYTHON, &["channel/queue_Queue/100000"]),
            metric: OtherOverRust,
            target: Target::None,
            pending: None,
        },
        Pair {
            what: "channel throughput, 100 000 messages",
            rust_label: "crossbeam-channel",
            rust: Time(Impl::Rust, &["channel/crossbeam/100000"]),
            other_label: "std::sync::mpsc",
            other: Time(Impl::Rust, &["channel/std_mpsc/100000"]),
            metric: OtherOverRust,
            target: Target::None,
            pending: None,
        },
        Pair {
            what: "Mutex lock + unlock: contended (2 threads) against uncontended",
            rust_label: "contended",
            rust: Time(Impl::Rust, &["primitives/mutex/contended_2"]),
            other_label: "uncontended",
            other: Time(Impl::Rust, &["primitives/mutex/uncontended"]),
            metric: RustOverOther,
            target: Target::None,
            pending: None,
        },
    ]
}

/// One evaluated row of the pairs table.
pub struct PairRow {
    pub rust: Option<f64>,
    pub other: Option<f64>,
    pub metric: Option<f64>,
    pub verdict: Verdict,
}

pub fn evaluate(pair: &Pair, r: &Results) -> PairRow {
    let rust = pair.rust.eval(r);
    let other = pair.other.eval(r);
    let metric = metric_value(pair.metric, rust, other);
    let any = rust.is_some() || other.is_some();
    PairRow { rust, other, metric, verdict: verdict(metric, pair.target, pair.pending, any) }
}

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
    let _ = writeln!(md, "# Benchmark report: Rust and Python on the same machine, in the same run\n");
    if ctx.smoke {
        let _ = writeln!(
            md,
            "> **Smoke run.** The benches ran once each and the Python twins at tiny sizes, to \
             check that nothing rots. These numbers mean nothing; run `scripts/bench` for a report.\n"
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
    let _ = writeln!(
        md,
        "\nAbsolute times vary by machine: the ratios are what to compare. Every time is in \
         seconds per call of the measured code and is a **minimum**: Python's is the minimum over \
         timeit-style repeats, as the book prints it; Rust's is the fastest criterion sample, per \
         iteration (criterion's mean and median are in the last table). A cell says \
         \"{NOT_MEASURED}\" where that result is absent.\n"
    );

    section_book(&mut md, r);
    section_speedup(&mut md, r);
    section_pairs(&mut md, r, m);
    section_do_something(&mut md, r);
    if !ctx.plots.is_empty() {
        let _ = writeln!(md, "## Plots\n");
        for (file, caption) in ctx.plots {
            let _ = writeln!(md, "![{caption}]({file})\n");
        }
    }
    section_all(&mut md, r);
    md
}

fn section_book(md: &mut String, r: &Results) {
    let _ = writeln!(md, "## 1. The §2.13 table, as the book prints it\n");
    let _ = writeln!(
        md,
        "The 1st edition's §2.13 times each workload n times in a row (`non_threaded`) and in n \
         threads (`threaded`), for n = 1, 2, 4, 8. Here the same, in Python and in Rust, plus \
         n processes and (Rust only) a rayon pool of n threads. Seconds.\n"
    );
    let _ = writeln!(
        md,
        "| workload | n | Python non_threaded | Python threaded | Rust non_threaded | Rust threaded | Python processes | Rust processes | Rust rayon |"
    );
    let _ = writeln!(md, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (w, label) in WORKLOADS {
        for n in NS {
            let g = format!("book_2_13/{w}");
            let t = |side: Impl, mode: &str| cell(r.time(side, &format!("{g}/{mode}/{n}")), fmt_secs);
            let _ = writeln!(
                md,
                "| {label} | {n} | {} | {} | {} | {} | {} | {} | {} |",
                t(PYTHON, "sequential"),
                t(PYTHON, "threads"),
                t(Impl::Rust, "sequential"),
                t(Impl::Rust, "threads"),
                t(PYTHON, "processes"),
                t(Impl::Rust, "processes"),
                t(Impl::Rust, "rayon"),
            );
        }
    }
    md.push('\n');
}

fn section_speedup(md: &mut String, r: &Results) {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let _ = writeln!(md, "## 2. Speedup over sequential\n");
    let _ = writeln!(
        md,
        "`sequential(n) / mode(n)`, from the minimum times above: how many times faster n \
         workers finish the n calls than one thread calling them in turn. Above 1 is a gain; \
         on this machine the ideal is min(n, {cores}) for CPU work, and more for waiting.\n"
    );
    let _ = writeln!(
        md,
        "| workload | n | Python threads | Python processes | Rust threads | Rust processes | Rust rayon |"
    );
    let _ = writeln!(md, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (w, label) in WORKLOADS {
        let g = format!("book_2_13/{w}");
        for n in NS {
            let s = |side: Impl, mode: &str| cell(speedup(r, side, &g, mode, n), fmt_ratio);
            let _ = writeln!(
                md,
                "| {label} | {n} | {} | {} | {} | {} | {} |",
                s(PYTHON, "threads"),
                s(PYTHON, "processes"),
                s(Impl::Rust, "threads"),
                s(Impl::Rust, "processes"),
                s(Impl::Rust, "rayon"),
            );
        }
    }
    md.push('\n');
}

fn section_pairs(md: &mut String, r: &Results, m: &Machine) {
    let _ = writeln!(md, "## 3. Pairs and the issue's targets\n");
    let _ = writeln!(
        md,
        "Each row sets a Rust measurement against its counterpart. Times are minimum seconds; \
         speedup rows show `sequential / parallel` for each side. \"Rust/other time\" below 1 \
         means Rust costs less; \"other/Rust time\" is how many times more work per second the \
         Rust side does. The targets are checked here, by reading, never by a test.\n"
    );
    if m.available != 0 && m.available < 2 {
        let _ = writeln!(
            md,
            "Note: this process may use only {} CPU; the fib_bigint target assumes 2 cores.\n",
            m.available
        );
    }
    let _ = writeln!(md, "| comparison | Rust side | Rust | other side | other | ratio | target | verdict |");
    let _ = writeln!(md, "| --- | --- | ---: | --- | ---: | ---: | --- | --- |");
    for pair in pairs() {
        let row = evaluate(&pair, r);
        let show = |v: Option<f64>, value: &Value| {
            if value.is_speedup() { cell(v, fmt_ratio) } else { cell(v, fmt_secs) }
        };
        let metric = cell(row.metric, fmt_ratio);
        let (rust_cell, other_cell) = match row.verdict {
            Verdict::Waits(_) => ("—".to_string(), "—".to_string()),
            _ => (show(row.rust, &pair.rust), show(row.other, &pair.other)),
        };
        let metric = if matches!(row.verdict, Verdict::Waits(_)) { "—".to_string() } else { metric };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            pair.what,
            pair.rust_label,
            rust_cell,
            pair.other_label,
            other_cell,
            metric,
            target_text(pair.metric, pair.target),
            row.verdict.text(),
        );
    }
    md.push('\n');
}

fn section_do_something(md: &mut String, r: &Results) {
    let _ = writeln!(md, "## 4. The 2nd edition's chapter 1 test: `do_something` by mode and workers\n");
    let _ = writeln!(
        md,
        "Each worker appends its share of random floats to its own list (Python) or `Vec` \
         (Rust). Seconds for all workers, then the speedup over sequential.\n"
    );
    let modes_py = ["sequential", "threads", "processes"];
    let modes_rs = ["sequential", "threads", "processes", "rayon"];
    let _ = writeln!(
        md,
        "| workers | Python sequential | Python threads | Python processes | Rust sequential | Rust threads | Rust processes | Rust rayon |"
    );
    let _ = writeln!(md, "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for w in WORKERS {
        let mut line = format!("| {w} |");
        for mode in modes_py {
            let _ = write!(line, " {} |", cell(r.time(PYTHON, &format!("do_something/{mode}/{w}")), fmt_secs));
        }
        for mode in modes_rs {
            let _ = write!(line, " {} |", cell(r.time(Impl::Rust, &format!("do_something/{mode}/{w}")), fmt_secs));
        }
        let _ = writeln!(md, "{line}");
    }
    md.push('\n');
    let _ =
        writeln!(md, "| workers | Python threads | Python processes | Rust threads | Rust processes | Rust rayon |");
    let _ = writeln!(md, "| ---: | ---: | ---: | ---: | ---: | ---: |");
    for w in WORKERS {
        let s = |side: Impl, mode: &str| cell(speedup(r, side, "do_something", mode, w), fmt_ratio);
        let _ = writeln!(
            md,
            "| {w} | {} | {} | {} | {} | {} |",
            s(PYTHON, "threads"),
            s(PYTHON, "processes"),
            s(Impl::Rust, "threads"),
            s(Impl::Rust, "processes"),
            s(Impl::Rust, "rayon"),
        );
    }
    md.push('\n');
}

fn section_all(md: &mut String, r: &Results) {
    let _ = writeln!(md, "## 5. Every result\n");
    if !r.rust.is_empty() {
        let _ = writeln!(md, "Criterion (seconds per iteration):\n");
        let _ = writeln!(md, "| id | min | median | mean | samples |");
        let _ = writeln!(md, "| --- | ---: | ---: | ---: | ---: |");
        for x in r.rust.values() {
            let _ = writeln!(
                md,
                "| `{}` | {} | {} | {} | {} |",
                x.id,
                fmt_secs(x.min),
                fmt_secs(x.median),
                fmt_secs(x.mean),
                x.samples
            );
        }
        md.push('\n');
    }
    if !r.ext.is_empty() {
        let _ = writeln!(md, "Twins (minimum seconds over repeats):\n");
        let _ = writeln!(md, "| impl | id | min | repeats |");
        let _ = writeln!(md, "| --- | --- | ---: | ---: |");
        for x in r.ext.values() {
            let repeats = x.repeats.map(|n| n.to_string()).unwrap_or_else(|| "—".into());
            let _ = writeln!(md, "| {} | `{}` | {} | {} |", x.implementation, x.id, fmt_secs(x.seconds), repeats);
        }
        md.push('\n');
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

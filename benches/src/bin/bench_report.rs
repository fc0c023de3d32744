//! `bench_report`: reads the benchmark results and writes the report.
//!
//! `scripts/bench` runs the criterion benches (`book_2_13`, `do_something`,
//! `primitives`), the Python twins of `benches/python/` and the C twins of
//! `benches/c/`, then this binary. It reads
//!
//! - criterion's results: every `<criterion dir>/**/new/benchmark.json` (for the
//!   `full_id`, e.g. `book_2_13/fib_bigint/threads/2`), the `estimates.json` beside it
//!   (mean, median) and `sample.json` (the fastest sample per iteration,
//!   `min(times[i] / iters[i])`, which is what is set beside the twins' fastest
//!   repeat);
//! - the twins' JSON lines, one object per line:
//!   `{"id": "book_2_13/fib_bigint/threads/2", "impl": "python", "seconds": 0.0451,
//!   "gc_on_seconds": 0.0452, "repeats": 20, "number": 1}` (`impl` is `python` or
//!   `c`; only Python has `gc_on_seconds`);
//!
//! and writes into the output directory (default `target/bench-report/`):
//!
//! - `report.md`: how every figure is timed, the book's §2.13 table beside today's
//!   Python and Rust, the times, the speed-ups with their ideal, the operating
//!   system's floor, the pairs with what bounds them, the garbage collector, the 2nd
//!   edition's `do_something` test, and every result in full;
//! - `book_2_13.svg`, `book_ratios.svg`, `speedup.svg`, `do_something.svg`: the plots.
//!
//! A result that is absent prints as "not measured". With no result at all, it
//! says where it looked and exits 1. Bad flags exit 2.
//!
//! Run it with `cargo run --release -p cookbook-bench --bin bench_report` (after
//! `cargo bench`), or let `scripts/bench` do everything.

use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, UNIX_EPOCH};

use clap::Parser;
use cookbook_bench::data::Results;
use cookbook_bench::machine::Machine;
use cookbook_bench::{plots, report};

/// Write the benchmark report (Markdown and SVG plots) from criterion's results and
/// the twins' JSON lines.
#[derive(Parser, Debug)]
#[command(name = "bench_report")]
struct Args {
    /// Criterion's output directory [default: $CARGO_TARGET_DIR/criterion, or target/criterion]
    #[arg(long, value_name = "DIR")]
    criterion_dir: Option<PathBuf>,

    /// A file of the twins' JSON lines; repeat for several
    /// [default: <out-dir>/python.jsonl and <out-dir>/c.jsonl]
    #[arg(long, value_name = "FILE")]
    twins: Vec<PathBuf>,

    /// Where report.md and the SVG plots go [default: $CARGO_TARGET_DIR/bench-report, or target/bench-report]
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,

    /// Leave out criterion results written before this time (Unix seconds), so that a
    /// report shows one run only
    #[arg(long, value_name = "UNIX_SECONDS")]
    since: Option<u64>,

    /// A line for the report's header (e.g. "Python: 3.11.7"); repeat for several
    #[arg(long, value_name = "TEXT")]
    info: Vec<String>,

    /// Mark the report as a smoke run (tiny sizes: the numbers mean nothing)
    #[arg(long)]
    smoke: bool,

    /// Write report.md only, no plots
    #[arg(long)]
    no_plots: bool,
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"))
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_report: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), String> {
    let criterion_dir = args.criterion_dir.clone().unwrap_or_else(|| target_dir().join("criterion"));
    let out_dir = args.out_dir.clone().unwrap_or_else(|| target_dir().join("bench-report"));
    let twins = if args.twins.is_empty() {
        vec![out_dir.join("python.jsonl"), out_dir.join("c.jsonl")]
    } else {
        args.twins.clone()
    };
    let since = args.since.map(|s| UNIX_EPOCH + Duration::from_secs(s));

    let results = Results::load(&criterion_dir, &twins, since);
    for w in &results.warnings {
        eprintln!("bench_report: note: {w}");
    }
    if results.is_empty() {
        let stale = if results.stale > 0 {
            format!(" ({} criterion results are older than --since)", results.stale)
        } else {
            String::new()
        };
        return Err(format!(
            "no benchmark results at all: nothing under {}{stale}, nothing in {}.\n\
             Run `scripts/bench` (or `cargo bench` for the Rust side alone) first.",
            criterion_dir.display(),
            twins.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        ));
    }

    fs::create_dir_all(&out_dir).map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let machine = Machine::detect();
    let cores = machine.cores();
    let mut plots = Vec::new();
    if !args.no_plots {
        let figures = [
            (
                "book_2_13.svg",
                "§2.13 as the book prints it: time against n, non_threaded (dashed) and threaded (solid)",
                plots::book_panels(&results),
                3,
            ),
            (
                "book_ratios.svg",
                "threaded / non_threaded: the book's 2015 figures, today's Python and Rust, and the limit",
                plots::book_ratio_panels(&results, cores),
                2,
            ),
            (
                "speedup.svg",
                "Speed-up over sequential against n, and its ideal",
                plots::speedup_panels(&results, cores),
                3,
            ),
            ("do_something.svg", "The 2nd edition's do_something test", plots::do_something_panels(&results, cores), 2),
        ];
        for (file, caption, panels, cols) in figures {
            plots::draw(&out_dir.join(file), caption, &panels, cols)?;
            plots.push((file.to_string(), caption.to_string()));
        }
    }

    let mut sources = vec![format!(
        "criterion: {} ({} results{})",
        criterion_dir.display(),
        results.rust.len(),
        if results.stale > 0 { format!(", {} older ones left out", results.stale) } else { String::new() }
    )];
    for p in &twins {
        sources.push(format!("twins: {}", p.display()));
    }
    let ctx = report::Context { machine: &machine, sources, info: &args.info, smoke: args.smoke, plots: &plots };
    let md = report::render(&results, &ctx);
    let report_path = out_dir.join("report.md");
    fs::write(&report_path, md).map_err(|e| format!("cannot write {}: {e}", report_path.display()))?;

    println!("results: {} from criterion, {} from the twins", results.rust.len(), results.ext.len());
    for pair in report::PAIRS {
        let row = report::evaluate(pair, &results, cores);
        let ratio = row.ratio.map(report::fmt_ratio).unwrap_or_else(|| report::NOT_MEASURED.into());
        println!("pair: {} ({} vs {}): {ratio}; limit: {}", pair.what, pair.first_label, pair.second_label, row.bound);
    }
    println!("report = {}", report_path.display());
    for (file, _) in &plots {
        println!("plot = {}", out_dir.join(file).display());
    }
    Ok(())
}

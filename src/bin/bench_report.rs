//! `bench_report`: reads the benchmark results and writes the report.
//!
//! `scripts/bench` runs the criterion benches (`book_2_13`, `do_something`,
//! `primitives`) and the Python twins of `benches/python/`, then this binary. It reads
//!
//! - criterion's results: every `<criterion dir>/**/new/benchmark.json` (for the
//!   `full_id`, e.g. `book_2_13/fib_bigint/threads/2`), the `estimates.json` beside it
//!   (mean, median) and `sample.json` (the fastest sample per iteration,
//!   `min(times[i] / iters[i])`, which is what is compared with Python's timeit-style
//!   minimum);
//! - the twins' JSON lines, one object per line:
//!   `{"id": "book_2_13/fib_bigint/threads/2", "impl": "python", "seconds": 0.0451, "repeats": 20}`
//!   (`impl` may be another name, e.g. `c` for the C side of the MPI ping-pong);
//!
//! and writes into the output directory (default `target/bench-report/`):
//!
//! - `report.md`: the machine, the §2.13 table as the book prints it (Python and Rust
//!   side by side, plus processes and rayon), the speedups over sequential, the pairs
//!   with their ratios and the issue's targets (met / MISSED), the 2nd edition's
//!   `do_something` test, and every result in full;
//! - `book_2_13.svg`, `speedup.svg`, `do_something.svg`: the plots.
//!
//! A result that is absent prints as "not measured"; the MPI and Celery rows wait for
//! their chapters. With no result at all, it says where it looked and exits 1. Bad
//! flags exit 2.
//!
//! Run it with `cargo run --release --bin bench_report` (after `cargo bench`), or let
//! `scripts/bench` do everything.

#[path = "../bench_report/data.rs"]
mod data;
#[path = "../bench_report/machine.rs"]
mod machine;
#[path = "../bench_report/plots.rs"]
mod plots;
#[path = "../bench_report/report.rs"]
mod report;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::Parser;

use data::Results;
use machine::Machine;

/// Write the benchmark report (Markdown and SVG plots) from criterion's results and
/// the Python twins' JSON lines.
#[derive(Parser, Debug)]
#[command(name = "bench_report")]
struct Args {
    /// Criterion's output directory [default: $CARGO_TARGET_DIR/criterion, or target/criterion]
    #[arg(long, value_name = "DIR")]
    criterion_dir: Option<PathBuf>,

    /// A file of the twins' JSON lines; repeat for several
    /// [default: <out-dir>/python.jsonl]
    #[arg(long = "python", value_name = "FILE")]
    python: Vec<PathBuf>,

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
    let python = if args.python.is_empty() { vec![out_dir.join("python.jsonl")] } else { args.python.clone() };
    let since = args.since.map(|s| UNIX_EPOCH + Duration::from_secs(s));

    let results = load(&criterion_dir, &python, since);
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
            python.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        ));
    }

    fs::create_dir_all(&out_dir).map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let machine = Machine::detect();
    let mut plots = Vec::new();
    if !args.no_plots {
        let panels = [
            (
                "book_2_13.svg",
                "§2.13 as the book prints it: time against n, Python and Rust, non_threaded (dashed) and threaded (solid)",
                plots::book_panels(&results),
                3,
            ),
            ("speedup.svg", "Speedup over sequential against n", plots::speedup_panels(&results), 3),
            ("do_something.svg", "The 2nd edition's do_something test", plots::do_something_panels(&results), 2),
        ];
        for (file, caption, panels, cols) in panels {
            plots::draw(&out_dir.join(file), caption, &panels, cols, machine.available)?;
            plots.push((file.to_string(), caption.to_string()));
        }
    }

    let mut sources = vec![format!(
        "criterion: {} ({} results{})",
        criterion_dir.display(),
        results.rust.len(),
        if results.stale > 0 { format!(", {} older ones left out", results.stale) } else { String::new() }
    )];
    for p in &python {
        sources.push(format!("twins: {}", p.display()));
    }
    let ctx = report::Context { machine: &machine, sources, info: &args.info, smoke: args.smoke, plots: &plots };
    let md = report::render(&results, &ctx);
    let report_path = out_dir.join("report.md");
    fs::write(&report_path, md).map_err(|e| format!("cannot write {}: {e}", report_path.display()))?;

    println!("results: {} from criterion, {} from the twins", results.rust.len(), results.ext.len());
    for pair in report::pairs() {
        let row = report::evaluate(&pair, &results);
        let value = row.metric.map(report::fmt_ratio).unwrap_or_else(|| "—".into());
        println!(
            "target: {} ({} vs {}): {value}: {}",
            pair.what,
            pair.rust_label,
            pair.other_label,
            match row.verdict {
                report::Verdict::Info => "no target".to_string(),
                ref v => v.text().replace("**", ""),
            }
        );
    }
    println!("report = {}", report_path.display());
    for (file, _) in &plots {
        println!("plot = {}", out_dir.join(file).display());
    }
    Ok(())
}

fn load(criterion_dir: &Path, python: &[PathBuf], since: Option<SystemTime>) -> Results {
    let mut results = Results::default();
    data::load_criterion(criterion_dir, since, &mut results);
    for p in python {
        data::load_ext_file(p, &mut results);
    }
    results
}

#[cfg(test)]
mod tests {
    use super::data::*;
    use super::report::*;
    use super::*;

    const BENCH: &str = r#"{"group_id":"book_2_13/fib_bigint","function_id":"threads","value_str":"2",
        "throughput":null,"full_id":"book_2_13/fib_bigint/threads/2",
        "directory_name":"book_2_13_fib_bigint/threads/2","title":"book_2_13/fib_bigint/threads/2"}"#;
    const EST: &str = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},
        "point_estimate":1500000.0,"standard_error":1.0},
        "median":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},
        "point_estimate":1400000.0,"standard_error":1.0},
        "median_abs_dev":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},
        "point_estimate":1.0,"standard_error":1.0},"slope":null,
        "std_dev":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},
        "point_estimate":1.0,"standard_error":1.0}}"#;
    const SAMPLE: &str =
        r#"{"sampling_mode":"Flat","iters":[2.0,4.0,0.0,8.0],"times":[3000000.0,4800000.0,5.0,12000000.0]}"#;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
    }

    #[test]
    fn criterion_files_parse_to_seconds_and_min_per_iteration() {
        let r = parse_criterion(BENCH, EST, SAMPLE).unwrap();
        assert_eq!(r.id, "book_2_13/fib_bigint/threads/2");
        assert!(close(r.mean, 1.5e-3));
        assert!(close(r.median, 1.4e-3));
        // per iteration: 1.5 ms, 1.2 ms, (zero iterations skipped), 1.5 ms
        assert!(close(r.min, 1.2e-3), "min = {}", r.min);
        assert_eq!(r.samples, 4);
    }

    #[test]
    fn broken_criterion_files_are_errors() {
        assert!(parse_criterion("{}", EST, SAMPLE).is_err());
        assert!(parse_criterion(BENCH, "not json", SAMPLE).is_err());
        let empty = r#"{"sampling_mode":"Linear","iters":[],"times":[]}"#;
        assert!(parse_criterion(BENCH, EST, empty).unwrap_err().contains("no usable sample"));
        assert_eq!(min_per_iteration(&[0.0], &[1.0]), None);
    }

    #[test]
    fn criterion_tree_is_walked_and_stale_results_left_out() {
        let dir = tempdir();
        let new = dir.join("book_2_13_fib_bigint/threads/2/new");
        fs::create_dir_all(&new).unwrap();
        fs::write(new.join("benchmark.json"), BENCH).unwrap();
        fs::write(new.join("estimates.json"), EST).unwrap();
        fs::write(new.join("sample.json"), SAMPLE).unwrap();
        // a base/ copy and a report/ directory must not be read
        fs::create_dir_all(dir.join("book_2_13_fib_bigint/threads/2/base")).unwrap();
        let broken = dir.join("x/y/new");
        fs::create_dir_all(&broken).unwrap();
        fs::write(broken.join("benchmark.json"), BENCH).unwrap();

        let mut r = Results::default();
        load_criterion(&dir, None, &mut r);
        assert_eq!(r.rust.len(), 1);
        assert!(r.rust_min("book_2_13/fib_bigint/threads/2").is_some());
        assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);

        let mut later = Results::default();
        let future = SystemTime::now() + Duration::from_secs(3600);
        load_criterion(&dir, Some(future), &mut later);
        assert!(later.rust.is_empty());
        assert_eq!(later.stale, 2);
        fs::remove_dir_all(&dir).unwrap();
    }

    fn tempdir() -> PathBuf {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
        let dir = std::env::temp_dir().join(format!("bench_report_test_{}_{nanos}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn json_lines_parse_and_bad_lines_are_reported() {
        let text = r#"
{"id": "book_2_13/empty/threads/1", "impl": "python", "seconds": 0.0002, "repeats": 100}
this is not json
{"id": "book_2_13/empty/threads/1", "impl": "python", "seconds": 0.0001, "repeats": 100}
{"id": "mpi/ping_pong/1", "impl": "c", "seconds": 2e-6}
{"id": "x", "impl": "python", "seconds": -1}
{"id": "y", "impl": "python"}
"#;
        let mut r = Results::default();
        parse_ext_lines(text, "py.jsonl", &mut r);
        assert_eq!(r.ext.len(), 2);
        // the later line wins
        assert_eq!(r.ext("python", "book_2_13/empty/threads/1"), Some(0.0001));
        assert_eq!(r.ext("c", "mpi/ping_pong/1"), Some(2e-6));
        assert_eq!(r.ext("python", "mpi/ping_pong/1"), None);
        assert_eq!(r.warnings.len(), 3, "{:?}", r.warnings);
        assert!(r.warnings[0].starts_with("py.jsonl:3:"), "{}", r.warnings[0]);
    }

    fn made_up() -> Results {
        let mut r = Results::default();
        let mut rust = |id: &str, s: f64| {
            r.rust
                .insert(id.into(), RustResult { id: id.into(), mean: s * 1.1, median: s * 1.05, min: s, samples: 10 });
        };
        rust("book_2_13/fib_bigint/sequential/2", 2.0e-3);
        rust("book_2_13/fib_bigint/threads/2", 1.0e-3);
        rust("primitives/thread_spawn_join/1", 20e-6);
        rust("channel/crossbeam/100000", 4e-3);
        rust("async/tokio_tasks/100000", 10e-3);
        let lines = r#"{"id": "book_2_13/fib_bigint/sequential/2", "impl": "python", "seconds": 0.09}
{"id": "book_2_13/fib_bigint/threads/2", "impl": "python", "seconds": 0.1}
{"id": "primitives/thread_spawn_join/1", "impl": "python", "seconds": 0.0001}
{"id": "channel/queue_Queue/100000", "impl": "python", "seconds": 0.1}
{"id": "async/asyncio_tasks/100000", "impl": "python", "seconds": 0.5}"#;
        parse_ext_lines(lines, "made-up", &mut r);
        r
    }

    fn row(r: &Results, what: &str, rust_label: &str) -> PairRow {
        let pair = pairs().into_iter().find(|p| p.what.starts_with(what) && p.rust_label == rust_label).unwrap();
        evaluate(&pair, r)
    }

    #[test]
    fn ratios_and_speedups() {
        assert_eq!(ratio(Some(1.0), Some(4.0)), Some(0.25));
        assert_eq!(ratio(Some(1.0), Some(0.0)), None);
        assert_eq!(ratio(None, Some(1.0)), None);
        let r = made_up();
        assert_eq!(speedup(&r, Impl::Rust, "book_2_13/fib_bigint", "threads", 2), Some(2.0));
        assert!(close(speedup(&r, PYTHON, "book_2_13/fib_bigint", "threads", 2).unwrap(), 0.9));
        assert_eq!(speedup(&r, Impl::Rust, "book_2_13/fib_bigint", "rayon", 2), None);
        assert_eq!(metric_value(Metric::RustOverOther, Some(1.0), Some(4.0)), Some(0.25));
        assert_eq!(metric_value(Metric::OtherOverRust, Some(1.0), Some(4.0)), Some(4.0));
        assert_eq!(metric_value(Metric::RustValue, Some(1.9), None), Some(1.9));
    }

    #[test]
    fn verdicts_follow_the_targets() {
        assert_eq!(verdict(Some(0.3), Target::AtMost(0.4), None, true), Verdict::Met);
        assert_eq!(verdict(Some(0.41), Target::AtMost(0.4), None, true), Verdict::Missed);
        assert_eq!(verdict(Some(50.0), Target::AtLeast(50.0), None, true), Verdict::Met);
        assert_eq!(verdict(Some(49.9), Target::AtLeast(50.0), None, true), Verdict::Missed);
        assert_eq!(verdict(Some(3.0), Target::None, None, true), Verdict::Info);
        assert_eq!(verdict(None, Target::AtLeast(3.0), Some("chapter 5"), false), Verdict::Waits("chapter 5"));
        assert_eq!(verdict(None, Target::AtLeast(3.0), Some("chapter 5"), true), Verdict::NotMeasured);
        assert_eq!(verdict(None, Target::AtMost(0.5), None, false), Verdict::NotMeasured);
    }

    #[test]
    fn pairs_on_made_up_results() {
        let r = made_up();
        let fib = row(&r, "fib_bigint: speedup of 2 threads", "Rust threads");
        assert_eq!((fib.metric, fib.verdict), (Some(2.0), Verdict::Met));
        let spawn = row(&r, "thread spawn", "std::thread");
        assert!(close(spawn.metric.unwrap(), 0.2));
        assert_eq!(spawn.verdict, Verdict::Met);
        let chan = row(&r, "channel throughput", "crossbeam-channel");
        assert!(close(chan.metric.unwrap(), 25.0));
        assert_eq!(chan.verdict, Verdict::Missed);
        let tokio = row(&r, "100 000 async", "tokio");
        assert_eq!(tokio.verdict, Verdict::Met);
        assert_eq!(row(&r, "process spawn", "Command (bench_worker noop)").verdict, Verdict::NotMeasured);
        assert_eq!(row(&r, "MPI", "rsmpi").verdict, Verdict::Waits("chapter 3"));
        assert_eq!(row(&r, "Celery", "Rust worker").verdict, Verdict::Waits("chapter 5"));
    }

    #[test]
    fn report_renders_missing_rows_as_not_measured() {
        let r = made_up();
        let machine = Machine {
            cpu: "Test CPU".into(),
            logical_cpus: 2,
            available: 2,
            os: "Test OS".into(),
            date: "2025-01-02 03:04 UTC".into(),
        };
        let ctx = Context { machine: &machine, sources: vec![], info: &[], smoke: false, plots: &[] };
        let md = render(&r, &ctx);
        assert!(md.contains("Test CPU (2 logical CPUs)"));
        assert!(md.contains("the ratios are what to compare"));
        assert!(md.contains(
            "| Fibonacci, big integers (the book's) | 2 | 0.090000 | 0.100000 | 0.002000 | 0.001000 | not measured | not measured | not measured |"
        ), "{md}");
        assert!(md.contains("| empty function | 1 | not measured |"));
        assert!(md.contains("| Rust threads | 2.00× | Python threads | 0.90× | 2.00× | Rust ≥ 1.85× | met |"), "{md}");
        assert!(md.contains("| 25.0× | other/Rust time ≥ 50.0× | **MISSED** |"), "{md}");
        assert!(md.contains("waits for chapter 3"));
        assert!(md.contains("waits for chapter 5"));
        assert!(!md.contains("Smoke run"));
    }

    #[test]
    fn formats() {
        assert_eq!(fmt_secs(0.021832), "0.021832");
        assert_eq!(fmt_secs(3.133642), "3.133642");
        assert_eq!(fmt_secs(0.000188), "0.000188");
        assert_eq!(fmt_secs(3.1e-8), "0.0000000310");
        assert_eq!(fmt_ratio(1.934), "1.93×");
        assert_eq!(fmt_ratio(57.25), "57.2×");
        assert_eq!(fmt_ratio(250.0), "250×");
        assert_eq!(fmt_ratio(0.0123), "0.012×");
        assert_eq!(fmt_ratio(0.00041), "0.00041×");
    }

    #[test]
    fn machine_parsing() {
        let cpuinfo = "processor\t: 0\nmodel name\t: Intel(R) Xeon(R)  CPU @ 2.20GHz\n\nprocessor\t: 1\nmodel name\t: Intel(R) Xeon(R)  CPU @ 2.20GHz\n";
        assert_eq!(machine::parse_cpuinfo(cpuinfo), ("Intel(R) Xeon(R) CPU @ 2.20GHz".to_string(), 2));
        assert_eq!(machine::parse_cpuinfo("").0, "unknown CPU");
        assert_eq!(
            machine::parse_os_release("NAME=\"Debian\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"),
            Some("Debian GNU/Linux 12 (bookworm)".into())
        );
        assert_eq!(machine::utc_date_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(machine::utc_date_time(951_782_400 + 3_600 * 13 + 60 * 7), "2000-02-29 13:07 UTC");
        assert_eq!(machine::utc_date_time(1_735_689_600), "2025-01-01 00:00 UTC");
    }
}

//! `thread_subclass`: first variant, five time lines per thread between its
//! Starting and Exiting lines and `Exiting Main Thread` last; second variant, nine
//! running/over pairs in one process, each thread's running line before its over
//! line.

use chrono::NaiveDateTime;
use cookbook_support::testing::run;
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_thread_subclass");

/// The time lines of `name` strictly between its Starting and Exiting lines (not
/// its "exit flag raised" line).
fn time_lines<'a>(lines: &[&'a str], name: &str) -> Vec<&'a str> {
    let start = lines.iter().position(|l| *l == format!("Starting {name}"));
    let end = lines.iter().position(|l| *l == format!("Exiting {name}"));
    let (Some(start), Some(end)) = (start, end) else {
        panic!("no Starting/Exiting lines for {name}: {lines:#?}");
    };
    assert!(start < end, "{name} exits before it starts: {lines:#?}");
    let prefix = format!("{name}: ");
    lines[start + 1..end]
        .iter()
        .filter_map(|l| l.strip_prefix(prefix.as_str()))
        .filter(|t| !t.starts_with("exit flag"))
        .collect()
}

#[test]
fn first_variant_prints_five_times_per_thread() {
    let out = run(BIN, &["--delay-scale", "0.01"]).success();
    let lines = out.lines();
    for name in ["Thread-1", "Thread-2"] {
        let times = time_lines(&lines, name);
        assert_eq!(times.len(), 5, "{name}: {}", out.dump());
        for t in times {
            // ctime style: "Sun Apr 12 15:42:00 2015".
            NaiveDateTime::parse_from_str(t, "%a %b %e %H:%M:%S %Y")
                .unwrap_or_else(|e| panic!("`{t}` is not a ctime-style time ({e})"));
        }
        // Every time line of the thread lies between its Starting and Exiting.
        let all = lines.iter().filter(|l| l.starts_with(&format!("{name}: "))).count();
        assert_eq!(all, 5, "{}", out.dump());
    }
    assert_eq!(lines.last(), Some(&"Exiting Main Thread"), "{}", out.dump());
}

#[test]
fn exit_flag_stops_the_threads() {
    // Main raises the flag, then announces it. A thread checks the flag before
    // each sleep, so after the announcement it can finish the sleep it is in and
    // print that one line, but never start another: at most one time line per
    // thread follows the announcement, and a thread with fewer than five lines
    // must have seen the flag. (Without the check, Thread-2 would print four
    // more lines after it: the flag goes up at 0.5 of its 10 book seconds.)
    let out = run(BIN, &["--delay-scale", "0.05", "--exit-after", "0.5"]).success();
    let lines = out.lines();
    let raised = out.line_index("main: exit flag raised");
    for name in ["Thread-1", "Thread-2"] {
        let prefix = format!("{name}: ");
        let is_time = |l: &&&str| l.strip_prefix(prefix.as_str()).is_some_and(|t| !t.starts_with("exit flag"));
        let after = lines[raised..].iter().filter(is_time).count();
        assert_run!(out, after <= 1, "{name} printed {after} time lines after the flag was raised");
        let times = time_lines(&lines, name).len();
        let stopped = lines.contains(&format!("{name}: exit flag raised, stopping early").as_str());
        assert_run!(out, times == 5 || stopped, "{name} printed {times} time lines and never saw the flag");
    }
    assert_run_eq!(out, lines.last(), Some(&"Exiting Main Thread"));
}

#[test]
fn flags_of_the_other_variant_are_refused() {
    for args in [
        &["--variant", "second", "--exit-after", "0"][..],
        &["--threads", "50"],
        &["--variant", "first", "--seed", "3"],
    ] {
        let out = run(BIN, args).status(2);
        assert_run!(out, out.stderr.contains("applies to --variant"));
    }
}

#[test]
fn second_variant_nine_threads_one_process() {
    let out = run(BIN, &["--variant", "second", "--delay-scale", "0.01", "--seed", "7"]).success();
    let lines = out.lines();
    let pid: u32 = out.fact_as("pid");
    let running: Vec<&str> = lines.iter().copied().filter(|l| l.contains(" running, ")).collect();
    assert_eq!(running.len(), 9, "{}", out.dump());
    for k in 1..=9 {
        let run_line = format!("---> Thread#{k} running, belonging to process ID {pid}");
        let over_line = format!("---> Thread#{k} over");
        let r = out.line_index(&run_line);
        let o = out.line_index(&over_line);
        assert!(r < o, "Thread#{k} over before running\n{}", out.dump());
    }
    let over = lines.iter().filter(|l| l.starts_with("---> ") && l.ends_with(" over")).count();
    assert_eq!(over, 9, "{}", out.dump());
    assert!(lines.contains(&"End"), "{}", out.dump());

    let max: u64 = out.fact_as("max_duration_ms");
    let sum: u64 = out.fact_as("sum_duration_ms");
    // Durations are 1..=10 book seconds, i.e. 10..=100 ms at this scale. The
    // elapsed time is printed for the reader; tests assert no timings.
    assert!((10..=100).contains(&max), "{}", out.dump());
    assert!((9 * 10..=9 * 100).contains(&sum) && sum >= max, "{}", out.dump());
    let _: u64 = out.fact_as("elapsed_ms");
}

#[test]
fn same_seed_same_durations() {
    let args = ["--variant", "second", "--delay-scale", "0.001", "--seed", "42"];
    let a = run(BIN, &args).success();
    let b = run(BIN, &args).success();
    assert_eq!(a.fact("sum_duration_ms"), b.fact("sum_duration_ms"));
    assert_eq!(a.fact("max_duration_ms"), b.fact("max_duration_ms"));
    assert!(a.facts("seed").is_empty(), "a given seed is not printed again");
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--variant", "third"]).status(2);
    assert!(out.stderr.contains("--variant"), "{}", out.dump());
    run(BIN, &["--variant", "second", "--threads", "0"]).status(2);
    run(BIN, &["--exit-after", "soon"]).status(2);
    // Too long for a Duration: it once panicked; now it is refused when parsed.
    run(BIN, &["--exit-after", "1e300"]).status(2);
}

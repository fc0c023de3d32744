//! `thread_performance`: every workload is measured for every n in every mode asked
//! for, in the book's format and as stable `result …` lines. Timings and speedups are
//! never asserted: only that each measurement exists and took some time.

use cookbook_support::testing::{Run, run};

const BIN: &str = env!("CARGO_BIN_EXE_thread_performance");

const WORKLOADS: [&str; 5] = ["empty", "fib", "fib-u64", "file", "url"];

/// The `result workload=W mode=M n=N seconds=S` lines, parsed.
fn results(out: &Run) -> Vec<(String, String, usize, f64)> {
    out.lines()
        .into_iter()
        .filter_map(|l| l.strip_prefix("result "))
        .map(|rest| {
            let mut w = None;
            let mut m = None;
            let mut n = None;
            let mut s = None;
            for kv in rest.split_whitespace() {
                let (k, v) = kv.split_once('=').unwrap_or_else(|| panic!("bad result field {kv:?}"));
                match k {
                    "workload" => w = Some(v.to_string()),
                    "mode" => m = Some(v.to_string()),
                    "n" => n = Some(v.parse().expect("n is a number")),
                    "seconds" => s = Some(v.parse().expect("seconds is a number")),
                    _ => panic!("unexpected field {k}"),
                }
            }
            (w.expect("workload"), m.expect("mode"), n.expect("n"), s.expect("seconds"))
        })
        .collect()
}

/// Exactly one result for (workload, mode, n), and it took some time.
#[track_caller]
fn assert_measured(out: &Run, all: &[(String, String, usize, f64)], workload: &str, mode: &str, n: usize) {
    let found: Vec<_> = all.iter().filter(|r| r.0 == workload && r.1 == mode && r.2 == n).collect();
    assert_eq!(found.len(), 1, "expected one result for {workload} {mode} n={n}\n{}", out.dump());
    assert!(found[0].3 > 0.0, "{workload} {mode} n={n} took no time?\n{}", out.dump());
}

#[test]
fn every_workload_and_count_is_measured_threaded_and_not() {
    let out = run(BIN, &["--repeat", "2", "--latency-ms", "1"]).success();
    let all = results(&out);
    for w in WORKLOADS {
        for n in [1, 2, 4, 8] {
            assert_measured(&out, &all, w, "non_threaded", n);
            assert_measured(&out, &all, w, "threaded", n);
        }
    }
    assert_eq!(all.len(), WORKLOADS.len() * 4 * 2, "only the two book modes by default\n{}", out.dump());

    // One block of the book's lines per workload, label in 23 columns.
    let lines = out.lines();
    assert_eq!(lines.iter().filter(|l| **l == "Starting tests").count(), WORKLOADS.len());
    assert_eq!(lines.iter().filter(|l| **l == "Iterations complete").count(), WORKLOADS.len());
    for label in ["non_threaded (8 iters)", "threaded (8 threads)"] {
        let prefix = format!("{label:<23} ");
        let shown = lines.iter().filter(|l| l.starts_with(&prefix) && l.ends_with(" seconds")).count();
        assert_eq!(shown, WORKLOADS.len(), "`{prefix}… seconds` once per workload\n{}", out.dump());
    }
    assert!(out.line_index("Starting tests") < out.line_index("Iterations complete"));

    // The speedup table has a threaded row for every workload, after the tests.
    let table = out.line_index("Speedup over non_threaded");
    for w in WORKLOADS {
        let row = lines.iter().position(|l| l.split_whitespace().take(2).eq([w, "threaded"]));
        let row = row.unwrap_or_else(|| panic!("no speedup row for {w}\n{}", out.dump()));
        assert!(row > table);
        assert_eq!(lines[row].split_whitespace().count(), 2 + 4, "one cell per n: {}", lines[row]);
    }
    assert_eq!(out.fact("repeat"), "2 (url: 2)");
    assert_eq!(out.fact("fib_steps"), "10000");
}

#[test]
fn rayon_and_processes_rows_for_every_workload() {
    let out = run(
        BIN,
        &[
            "--repeat",
            "2",
            "--url-repeat",
            "1",
            "--latency-ms",
            "1",
            "--counts",
            "1,2",
            "--with-rayon",
            "--with-processes",
        ],
    )
    .success();
    let all = results(&out);
    for w in WORKLOADS {
        for n in [1, 2] {
            for mode in ["non_threaded", "threaded", "rayon", "processes"] {
                assert_measured(&out, &all, w, mode, n);
            }
        }
    }
    assert_eq!(all.len(), WORKLOADS.len() * 2 * 4);
    assert!(out.stdout.contains(&format!("{:<23} ", "processes (2 procs)")));
    assert!(out.stdout.contains(&format!("{:<23} ", "rayon (2 threads)")));
    assert_eq!(out.fact("repeat"), "2 (url: 1)");
}

#[test]
fn one_workload_only() {
    let out = run(BIN, &["--workload", "fib", "--repeat", "1", "--counts", "2", "--fib-steps", "20000"]).success();
    assert_eq!(out.fact("fib_steps"), "20000");
    assert!(out.stdout.contains("--fib-steps 20000"), "{}", out.dump());
    let all = results(&out);
    assert_eq!(all.len(), 2, "{}", out.dump());
    assert_measured(&out, &all, "fib", "non_threaded", 2);
    assert_measured(&out, &all, "fib", "threaded", 2);
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--counts", "0"]).status(2);
    assert!(out.stderr.contains("--counts"), "{}", out.dump());
    let out = run(BIN, &["--workload", "nope"]).status(2);
    assert!(out.stderr.contains("--workload"), "{}", out.dump());
    run(BIN, &["--counts", "1,x"]).status(2);
    run(BIN, &["--repeat", "0"]).status(2);
    run(BIN, &["--latency-ms", "-5"]).status(2);
    run(BIN, &["--fib-steps", "0"]).status(2);
}

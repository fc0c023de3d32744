//! `intro_threads_vs_processes`: the four modes build the same lists, so every mode
//! reports the full count and the same checksum. Times are printed, never checked.

use ch01_intro::work::run_serial;
use cookbook_support::testing::{Run, run};

const BIN: &str = env!("CARGO_BIN_EXE_intro_threads_vs_processes");

/// The `mode = <m> total_items = <n> checksum = <x>` lines, parsed.
fn modes(out: &Run) -> Vec<(String, usize, f64)> {
    out.facts("mode")
        .iter()
        .map(|rest| {
            let w: Vec<&str> = rest.split_whitespace().collect();
            assert_eq!(
                (w.len(), w[1], w[2], w[4], w[5]),
                (7, "total_items", "=", "checksum", "="),
                "bad line `mode = {rest}`"
            );
            (w[0].to_string(), w[3].parse().unwrap(), w[6].parse().unwrap())
        })
        .collect()
}

fn check(out: &Run, workers: usize, size: usize, seed: u64) {
    let rows = modes(out);
    let names: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(names, ["serial", "threads", "processes", "rayon"], "{}", out.dump());
    let expected = run_serial(workers, size, seed).checksum;
    for (mode, total, checksum) in &rows {
        assert_eq!(*total, workers * size, "{mode}\n{}", out.dump());
        assert_eq!(*checksum, expected, "{mode}\n{}", out.dump());
    }
    for label in ["serial time= ", "threading time= ", "processes time= ", "rayon time= "] {
        out.line_index(label);
    }
}

#[test]
fn four_modes_same_work() {
    let out = run(BIN, &["--size", "3000", "--seed", "8"]).success();
    check(&out, 10, 3000, 8);
    assert!(out.facts("shared_list_len").is_empty());
}

#[test]
fn shared_list_holds_every_item() {
    let out = run(BIN, &["--workers", "4", "--size", "2500", "--seed", "3", "--shared-list"]).success();
    check(&out, 4, 2500, 3);
    assert_eq!(out.fact_as::<usize>("shared_list_len"), 10_000);
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--workers", "0"]).status(2);
    assert!(out.stderr.contains("--workers"), "{}", out.dump());
    run(BIN, &["--size", "abc"]).status(2);
}

//! `intro_threads_vs_processes`: the four modes build the same lists, so every mode
//! reports the full count and the same checksum; by default every worker holds
//! the same chunk in every mode; a child never outlives a killed parent. Times
//! are printed, never checked.

mod common;

use ch01_intro::work::{CHUNK, run_serial};
use cookbook_support::testing::{Run, run};
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_intro_threads_vs_processes");

/// Every mode's record: its name, items, items held at once, and checksum.
fn modes(out: &Run) -> Vec<(String, usize, usize, f64)> {
    let rows = out.records("mode");
    rows.iter()
        .map(|r| (out.field(r, "mode"), out.field(r, "total_items"), out.field(r, "held"), out.field(r, "checksum")))
        .collect()
}

/// The table's row of `mode`: mode, workers, seconds, speed-up.
fn table_row<'a>(out: &'a Run, mode: &str) -> Vec<&'a str> {
    let rows: Vec<Vec<&str>> = out
        .lines()
        .into_iter()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|w| w.len() == 4 && w[0] == mode)
        .collect();
    assert_run_eq!(out, rows.len(), 1, "one table row for {mode}");
    rows.into_iter().next().unwrap()
}

fn check(out: &Run, workers: usize, size: usize, seed: u64, names: &[&str]) {
    let rows = modes(out);
    let got: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_run_eq!(out, got, names);
    let expected = run_serial(workers, size, seed).checksum;
    for (mode, total, _, checksum) in &rows {
        assert_run_eq!(out, *total, workers * size, "{mode}: items");
        assert_run_eq!(out, *checksum, expected, "{mode}: checksum");
    }
}

#[test]
fn four_modes_same_work_same_memory_per_worker() {
    let size = CHUNK + 500;
    let out = run(BIN, &["--workers", "3", "--size", &size.to_string(), "--seed", "8"]).success();
    check(&out, 3, size, 8, &["serial", "threads", "processes", "rayon"]);
    for (mode, _, held, _) in modes(&out) {
        assert_run_eq!(out, held, CHUNK, "{mode}: a worker holds one chunk at a time");
    }
    for label in ["serial time= ", "threading time= ", "processes time= ", "rayon time= "] {
        out.line_index(label);
    }
    // The table's speed-ups are over the serial row.
    assert_run_eq!(out, table_row(&out, "serial")[3], "1.00×", "the serial row is the baseline");
}

#[test]
fn keep_lists_holds_each_whole_list() {
    let size = CHUNK + 500;
    let out = run(BIN, &["--workers", "2", "--size", &size.to_string(), "--seed", "8", "--keep-lists"]).success();
    check(&out, 2, size, 8, &["serial", "threads", "processes", "rayon"]);
    for (mode, _, held, _) in modes(&out) {
        assert_run_eq!(out, held, size, "{mode}: a worker holds its whole list");
    }
}

#[test]
fn modes_flag_picks_the_rows() {
    let out = run(BIN, &["--workers", "2", "--size", "300", "--seed", "1", "--modes", "processes,threads"]).success();
    check(&out, 2, 300, 1, &["processes", "threads"]);
    // No serial row, so no speed-up over it.
    assert_run_eq!(out, table_row(&out, "processes")[3], "—");
    assert_run!(out, out.facts("serial time").is_empty() && !out.stdout.contains("serial time="));
}

#[test]
fn shared_list_holds_every_item() {
    let out = run(BIN, &["--workers", "4", "--size", "2500", "--seed", "3", "--shared-list"]).success();
    check(&out, 4, 2500, 3, &["serial", "threads", "processes", "rayon"]);
    let threads = modes(&out).into_iter().find(|r| r.0 == "threads").unwrap();
    assert_run_eq!(out, threads.2, 10_000, "the one shared list held every item");
}

#[test]
fn children_die_with_a_parent_killed_by_sigterm() {
    let args = ["--modes", "processes", "--workers", "2", "--size", "100000000"];
    let left = common::left_after_killing_the_parent(BIN, &args, 2, "TERM");
    assert!(left.is_empty(), "processes {left:?} outlived their parent");
}

#[test]
fn children_die_with_a_parent_killed_by_sigkill() {
    let args = ["--modes", "processes", "--workers", "2", "--size", "100000000"];
    let left = common::left_after_killing_the_parent(BIN, &args, 2, "KILL");
    assert!(left.is_empty(), "processes {left:?} outlived their parent");
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--workers", "0"]).status(2);
    assert_run!(out, out.stderr.contains("--workers"));
    for args in [
        &["--size", "abc"][..],
        &["--workers", "101"],
        &["--modes", "fork"],
        &["--size", "100000000", "--shared-list", "--workers", "3"],
        &["--size", "100000000", "--keep-lists", "--workers", "3"],
    ] {
        run(BIN, args).status(2);
    }
}

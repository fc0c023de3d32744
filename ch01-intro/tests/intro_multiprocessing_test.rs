//! `intro_multiprocessing_test`: every child exits 0 and reports its list; the
//! parent waits for all of them (the runner fails on a stray process), its own
//! list stays empty, and a child never outlives a killed parent.

mod common;

use std::collections::HashSet;

use ch01_intro::work::{CHUNK, run_serial, worker_summary};
use cookbook_support::testing::run;
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_intro_multiprocessing_test");

#[test]
fn ten_children_each_build_a_list() {
    let out = run(BIN, &["--size", "2000", "--seed", "5"]).success();
    assert_run_eq!(out, out.fact("processes"), "10");
    assert_run_eq!(out, out.fact("total_items"), "20000");
    assert_run_eq!(out, out.fact("parent_list_len"), "0");
    assert_run_eq!(out, out.fact_as::<f64>("checksum"), run_serial(10, 2000, 5).checksum);
    assert_run!(out, out.line_index("multiprocesses time= ") > out.line_index("List processing complete."));

    // One record per child, each a process of its own, other than the parent.
    let parent: u32 = out.lines()[out.line_index("parent process ")]
        .split_whitespace()
        .nth(2)
        .and_then(|p| p.parse().ok())
        .expect("the parent's pid");
    let children = out.records("child");
    assert_run_eq!(out, children.len(), 10);
    let pids: HashSet<u32> = children.iter().map(|r| out.field(r, "pid")).collect();
    assert_run_eq!(out, pids.len(), 10, "ten distinct processes");
    assert_run!(out, !pids.contains(&parent), "a child is the parent itself");
    for (i, r) in children.iter().enumerate() {
        assert_run_eq!(out, out.field::<usize>(r, "child"), i);
        assert_run_eq!(out, out.field::<usize>(r, "items"), 2000);
    }
}

#[test]
fn each_child_holds_a_chunk_or_with_keep_lists_its_whole_list() {
    let size = CHUNK + 1000;
    let arg = size.to_string();
    let chunked = run(BIN, &["--procs", "2", "--size", &arg, "--seed", "3"]).success();
    let kept = run(BIN, &["--procs", "2", "--size", &arg, "--seed", "3", "--keep-lists"]).success();
    assert_run_eq!(chunked, chunked.fact_as::<usize>("held_per_list"), CHUNK);
    assert_run_eq!(kept, kept.fact_as::<usize>("held_per_list"), size);
    assert_run_eq!(kept, kept.fact("checksum"), chunked.fact("checksum"), "same numbers either way");
    assert_run_eq!(kept, kept.fact_as::<f64>("checksum"), run_serial(2, size, 3).checksum);
}

#[test]
fn procs_flag_sets_the_number_of_children() {
    let out = run(BIN, &["--procs", "3", "--size", "40", "--seed", "1"]).success();
    assert_run_eq!(out, out.fact("processes"), "3");
    assert_run_eq!(out, out.records("child").len(), 3);
    assert_run_eq!(out, out.fact("total_items"), "120");
}

#[test]
fn the_child_side_reports_its_list() {
    let out = run(BIN, &["__child", "worker", "--size", "25", "--seed", "9", "--index", "4", "--keep-lists"]).success();
    let expected = worker_summary(25, 9, 4);
    assert_run_eq!(out, out.fact_as::<usize>("items"), 25);
    assert_run_eq!(out, out.fact_as::<f64>("checksum"), expected.checksum);
    assert_run!(out, !out.stdout.contains("List processing complete."), "a child must not act as a parent");
}

#[test]
fn children_die_with_a_parent_killed_by_sigterm() {
    let left = common::left_after_killing_the_parent(BIN, &["--procs", "2", "--size", "100000000"], 2, "TERM");
    assert!(left.is_empty(), "processes {left:?} outlived their parent");
}

#[test]
fn children_die_with_a_parent_killed_by_sigkill() {
    let left = common::left_after_killing_the_parent(BIN, &["--procs", "2", "--size", "100000000"], 2, "KILL");
    assert!(left.is_empty(), "processes {left:?} outlived their parent");
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--procs", "0"]).status(2);
    assert_run!(out, out.stderr.contains("--procs"));
    for args in [
        &["--procs", "101"][..],
        &["--size", "-1"],
        &["--size", "100000001"],
        &["--keep-lists", "--size", "100000000", "--procs", "3"],
        &["--delay-scale", "0"],
        &["__child", "worker", "--size", "0", "--seed", "1", "--index", "0"],
        &["__child", "nobody"],
    ] {
        run(BIN, args).status(2);
    }
}

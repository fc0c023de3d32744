//! `intro_multiprocessing_test`: every child exits 0 and reports its list; the
//! parent waits for all of them (the runner fails on a stray process) and its own
//! list stays empty.

use std::collections::HashSet;

use ch01_intro::work::{run_serial, worker_summary};
use cookbook_support::testing::run;

const BIN: &str = env!("CARGO_BIN_EXE_intro_multiprocessing_test");

#[test]
fn ten_children_each_build_a_list() {
    let out = run(BIN, &["--size", "2000", "--seed", "5"]).success();
    assert_eq!(out.fact("processes"), "10");
    assert_eq!(out.fact("children_ok"), "10");
    assert_eq!(out.fact("total_items"), "20000");
    assert_eq!(out.fact("parent_list_len"), "0");
    assert_eq!(out.fact_as::<f64>("checksum"), run_serial(10, 2000, 5).checksum);
    let done = out.line_index("List processing complete.");
    assert!(out.line_index("multiprocesses time= ") > done, "{}", out.dump());

    // One line per child, each a process of its own.
    let parent: u32 = out.lines()[out.line_index("parent process ")]
        .split_whitespace()
        .nth(2)
        .and_then(|p| p.parse().ok())
        .expect("parent pid");
    let pids: HashSet<u32> = out
        .lines()
        .iter()
        .filter(|l| l.starts_with("child ") && l.ends_with("exited 0 after building 2000 items"))
        .map(|l| l.split("(pid ").nth(1).and_then(|r| r.split(')').next()).unwrap().parse().unwrap())
        .collect();
    assert_eq!(pids.len(), 10, "{}", out.dump());
    assert!(!pids.contains(&parent));
}

#[test]
fn procs_flag_sets_the_number_of_children() {
    let out = run(BIN, &["--procs", "3", "--size", "40", "--seed", "1"]).success();
    assert_eq!(out.fact("processes"), "3");
    assert_eq!(out.fact("children_ok"), "3");
    assert_eq!(out.fact("total_items"), "120");
    assert_eq!(out.fact("parent_list_len"), "0");
}

#[test]
fn the_child_side_reports_its_list() {
    let out = run(BIN, &["__child", "worker", "--size", "25", "--seed", "9", "--index", "4"]).success();
    let expected = worker_summary(25, 9, 4);
    assert_eq!(out.fact_as::<usize>("items"), 25);
    assert_eq!(out.fact_as::<f64>("checksum"), expected.checksum);
    assert!(!out.stdout.contains("List processing complete."), "a child must not act as a parent");
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--procs", "0"]).status(2);
    assert!(out.stderr.contains("--procs"), "{}", out.dump());
    run(BIN, &["--size", "-1"]).status(2);
    run(BIN, &["__child", "worker", "--size", "0", "--seed", "1", "--index", "0"]).status(2);
    run(BIN, &["__child", "nobody"]).status(2);
}

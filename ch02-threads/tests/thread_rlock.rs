//! `thread_rlock`: the reentrant lock lets add()/remove() call execute() under the
//! same lock; the box ends with added − removed items. `--non-reentrant` reports
//! the would-be deadlock and exits 0 instead of hanging.

use std::time::Duration;

use cookbook_support::testing::{Runner, run};

const BIN: &str = env!("CARGO_BIN_EXE_thread_rlock");

fn count(lines: &[&str], line: &str) -> usize {
    lines.iter().filter(|l| **l == line).count()
}

#[test]
fn book_run_empties_the_box() {
    let out = run(BIN, &["--delay-scale", "0.01"]).success();
    assert_eq!(out.fact("added"), "5");
    assert_eq!(out.fact("removed"), "5");
    assert_eq!(out.fact("remaining"), "0");
    let lines = out.lines();
    assert_eq!(lines[0], "putting 5 items in the box");
    assert_eq!(count(&lines, "adding 1 item in the box"), 5);
    assert_eq!(count(&lines, "removing 1 item in the box"), 5);
    assert!(lines.contains(&"0 items still remain in the box"), "{}", out.dump());
}

#[test]
fn item_count_is_a_flag() {
    let out = run(BIN, &["--delay-scale", "0.01", "--items", "3"]).success();
    assert_eq!(out.fact("added"), "3");
    assert_eq!(out.fact("removed"), "3");
    assert_eq!(out.fact("remaining"), "0");
}

#[test]
fn second_edition_random_counts() {
    let out = run(BIN, &["--delay-scale", "0.001", "--random", "--seed", "3"]).success();
    let added: i64 = out.fact_as("added");
    let removed: i64 = out.fact_as("removed");
    let remaining: i64 = out.fact_as("remaining");
    assert!((10..=20).contains(&added), "{}", out.dump());
    assert!((1..=10).contains(&removed), "{}", out.dump());
    assert_eq!(remaining, added - removed);
    let lines = out.lines();
    assert!(lines.contains(&format!("N° {added} items to ADD").as_str()), "{}", out.dump());
    assert!(lines.contains(&format!("N° {removed} items to REMOVE").as_str()), "{}", out.dump());
    let added_lines = lines.iter().filter(|l| l.starts_with("ADDED one item -->")).count();
    let removed_lines = lines.iter().filter(|l| l.starts_with("REMOVED one item -->")).count();
    assert_eq!(added_lines as i64, added);
    assert_eq!(removed_lines as i64, removed);
    assert!(lines.contains(&"ADDED one item -->0 item to ADD"), "{}", out.dump());
    assert!(lines.contains(&"REMOVED one item -->0 item to REMOVE"), "{}", out.dump());
}

#[test]
fn non_reentrant_mutex_is_reported_without_hanging() {
    // A hang would be killed at the time limit and fail the test.
    let out = Runner::new(BIN).args(&["--non-reentrant"]).timeout(Duration::from_secs(20)).run().success();
    assert_eq!(out.fact("reentrant_error"), "true");
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--items", "0"]).status(2);
    assert!(out.stderr.contains("--items"), "{}", out.dump());
    run(BIN, &["--items", "-5"]).status(2);
    run(BIN, &["--random", "--items", "3"]).status(2);
}

//! `thread_rlock`: the reentrant lock lets add()/remove() call execute() under the
//! same lock; the box ends with added − removed items. `--non-reentrant` really
//! blocks on the lock its own thread holds, gives up after its time limit, reports
//! the self-deadlock and exits 0.

use std::time::Duration;

use cookbook_support::testing::{Runner, run};
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_thread_rlock");

fn count(lines: &[&str], line: &str) -> usize {
    lines.iter().filter(|l| **l == line).count()
}

#[test]
fn book_run_empties_the_box() {
    let out = run(BIN, &["--delay-scale", "0.01"]).success();
    assert_run_eq!(out, out.fact("added"), "5");
    assert_run_eq!(out, out.fact("removed"), "5");
    assert_run_eq!(out, out.fact("remaining"), "0");
    let lines = out.lines();
    assert_run_eq!(out, lines[0], "putting 5 items in the box");
    assert_run_eq!(out, count(&lines, "adding 1 item in the box"), 5);
    assert_run_eq!(out, count(&lines, "removing 1 item in the box"), 5);
    assert_run!(out, lines.contains(&"0 items still remain in the box"));
}

#[test]
fn item_count_is_a_flag() {
    let out = run(BIN, &["--delay-scale", "0.01", "--items", "3"]).success();
    assert_run_eq!(out, out.fact("added"), "3");
    assert_run_eq!(out, out.fact("removed"), "3");
    assert_run_eq!(out, out.fact("remaining"), "0");
}

#[test]
fn second_edition_random_counts() {
    let out = run(BIN, &["--delay-scale", "0.001", "--random", "--seed", "3"]).success();
    let added: i64 = out.fact_as("added");
    let removed: i64 = out.fact_as("removed");
    let remaining: i64 = out.fact_as("remaining");
    assert_run!(out, (10..=20).contains(&added));
    assert_run!(out, (1..=10).contains(&removed));
    assert_run_eq!(out, remaining, added - removed);
    let lines = out.lines();
    assert_run!(out, lines.contains(&format!("N° {added} items to ADD").as_str()));
    assert_run!(out, lines.contains(&format!("N° {removed} items to REMOVE").as_str()));
    let added_lines = lines.iter().filter(|l| l.starts_with("ADDED one item -->")).count();
    let removed_lines = lines.iter().filter(|l| l.starts_with("REMOVED one item -->")).count();
    assert_run_eq!(out, added_lines as i64, added);
    assert_run_eq!(out, removed_lines as i64, removed);
    assert_run!(out, lines.contains(&"ADDED one item -->0 item to ADD"));
    assert_run!(out, lines.contains(&"REMOVED one item -->0 item to REMOVE"));
}

#[test]
fn non_reentrant_mutex_really_blocks_and_is_reported() {
    // execute() locks, on the same thread, the mutex that add() holds. With a
    // mutex that is not reentrant that can only time out, and try_lock_for only
    // times out once its whole time limit has passed: the lower bound below is
    // the lock's guarantee, not a guess about timing. A hang would be killed at
    // the runner's time limit and fail the test.
    let out = Runner::new(BIN).args(&["--non-reentrant", "--timeout", "0.2"]).timeout(Duration::from_secs(20)).run();
    let out = out.success();
    assert_run_eq!(out, out.fact("deadlock"), "true");
    let waited: u64 = out.fact_as("waited_ms");
    assert_run!(out, waited >= 200, "execute() gave up after {waited} ms, before its 200 ms");
    assert_run!(out, out.stdout.contains("would wait for itself forever"));
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--items", "0"]).status(2);
    assert_run!(out, out.stderr.contains("--items"));
    run(BIN, &["--items", "-5"]).status(2);
    run(BIN, &["--random", "--items", "3"]).status(2);
    // Flags that would do nothing are refused.
    run(BIN, &["--seed", "3"]).status(2);
    run(BIN, &["--timeout", "1"]).status(2);
    run(BIN, &["--non-reentrant", "--delay-scale", "0.1"]).status(2);
    run(BIN, &["--non-reentrant", "--timeout", "1e300"]).status(2);
}

//! `thread_lock`: with a lock or atomics the count is exact; without one, updates
//! are lost. The racy update yields between its read and its write, as CPython's
//! thread switch can, so the loss shows in every run (200 of 200 runs of each mode
//! in a row lost updates on two cores, in debug and release builds, and 50 of 50
//! pinned to one core).

use cookbook_support::testing::run;
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_thread_lock");

#[test]
fn lock_and_atomic_are_exact_and_the_race_shows() {
    let out = run(BIN, &["--count", "20000"]).success();
    assert_run_eq!(out, out.fact("expected"), "0");
    assert_run_eq!(out, out.fact("with_lock"), "0");
    assert_run_eq!(out, out.fact("atomic"), "0");
    assert_run!(out, out.stdout.contains("the value of shared variable with lock management is 0"));
    // Lost increments and lost decrements could in principle cancel exactly; with
    // thousands lost each way, the total lands on 0 in about one run in 10^5.
    let racy: i64 = out.fact_as("race_condition");
    assert_run!(out, racy != 0 && (-20_000..=20_000).contains(&racy), "racy total {racy}");
    assert_run_eq!(out, out.fact_as::<i64>("off_by"), racy.abs());
}

#[test]
fn increment_only_loses_updates() {
    let out = run(BIN, &["--count", "20000", "--increment-only"]).success();
    assert_run_eq!(out, out.fact("expected"), "40000");
    assert_run_eq!(out, out.fact("with_lock"), "40000");
    assert_run_eq!(out, out.fact("atomic"), "40000");
    let racy: i64 = out.fact_as("race_condition");
    let lost: i64 = out.fact_as("lost_updates");
    assert_run!(out, lost > 0, "no update was lost");
    // Lost updates only take away: the racy total is below 2 × count (and, by a
    // classic argument, never below 2).
    assert_run!(out, (2..40_000).contains(&racy), "racy total {racy}");
    assert_run_eq!(out, lost, 40_000 - racy);
}

#[test]
fn bad_count_is_refused() {
    let out = run(BIN, &["--count", "0"]).status(2);
    assert_run!(out, out.stderr.contains("--count"));
    run(BIN, &["--count", "many"]).status(2);
    run(BIN, &["--count", "10000001"]).status(2);
}

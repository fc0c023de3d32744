//! `thread_lock`: with a lock or atomics the count is exact; the racy total stays
//! within what lost updates allow. Whether the race shows is not asserted.

use cookbook_support::testing::run;

const BIN: &str = env!("CARGO_BIN_EXE_thread_lock");

#[test]
fn lock_and_atomic_are_exact_race_is_bounded() {
    let out = run(BIN, &["--count", "100000"]).success();
    assert_eq!(out.fact("with_lock"), "0");
    assert_eq!(out.fact("atomic"), "0");
    let racy: i64 = out.fact_as("race_condition");
    assert!((-100_000..=100_000).contains(&racy), "racy total {racy} out of bounds");
    assert!(out.stdout.contains("the value of shared variable with lock management is 0"));
}

#[test]
fn increment_only_expects_twice_the_count() {
    let out = run(BIN, &["--count", "50000", "--increment-only"]).success();
    assert_eq!(out.fact("expected"), "100000");
    assert_eq!(out.fact("with_lock"), "100000");
    assert_eq!(out.fact("atomic"), "100000");
    let racy: i64 = out.fact_as("race_condition");
    assert!((1..=100_000).contains(&racy), "racy total {racy} out of bounds");
    if racy < 100_000 {
        assert_eq!(out.fact_as::<i64>("lost_updates"), 100_000 - racy);
    }
}

#[test]
fn bad_count_is_refused() {
    let out = run(BIN, &["--count", "0"]).status(2);
    assert!(out.stderr.contains("--count"), "{}", out.dump());
    run(BIN, &["--count", "many"]).status(2);
}

//! `intro_task_mapping`: every strategy runs every task exactly once and gets the
//! same checksum. Times and imbalance are not asserted.

use cookbook_support::testing::run;

const BIN: &str = env!("CARGO_BIN_EXE_intro_task_mapping");

#[test]
fn every_strategy_runs_every_task_once() {
    let out = run(BIN, &["--seed", "7", "--workers", "3", "--unit-cost", "1"]).success();
    let lines = out.facts("strategy");
    let mut names = Vec::new();
    let mut checksums = Vec::new();
    for line in &lines {
        // `<name> tasks_done = N checksum = C`
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(words.len(), 7, "`strategy = {line}`");
        assert_eq!(&words[1..3], ["tasks_done", "="]);
        assert_eq!(words[3], "1000", "`strategy = {line}`");
        assert_eq!(&words[4..6], ["checksum", "="]);
        names.push(words[0]);
        checksums.push(words[6]);
    }
    assert_eq!(names, ["static", "manager", "rayon"], "{}", out.dump());
    assert!(checksums.iter().all(|c| *c == checksums[0]), "checksums differ: {checksums:?}");
}

#[test]
fn more_workers_than_tasks_still_works() {
    let out = run(BIN, &["--seed", "1", "--tasks", "3", "--workers", "8", "--unit-cost", "1"]).success();
    let lines = out.facts("strategy");
    assert_eq!(lines.len(), 3, "{}", out.dump());
    assert!(lines.iter().all(|l| l.contains("tasks_done = 3 ")), "{}", out.dump());
}

#[test]
fn same_seed_same_checksum() {
    let a = run(BIN, &["--seed", "5", "--tasks", "200", "--workers", "2", "--unit-cost", "1"]).success();
    let b = run(BIN, &["--seed", "5", "--tasks", "200", "--workers", "1", "--unit-cost", "1"]).success();
    let checksum = |line: &str| line.rsplit(' ').next().unwrap().to_string();
    assert_eq!(checksum(a.facts("strategy")[0]), checksum(b.facts("strategy")[0]));
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--workers", "0"]).status(2);
    assert!(out.stderr.contains("--workers"), "{}", out.dump());
    run(BIN, &["--tasks", "-5"]).status(2);
}

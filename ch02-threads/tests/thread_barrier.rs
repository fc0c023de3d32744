//! `thread_barrier`: three runners reach the barrier, and every "reached" line
//! comes before every "passed" line (the barrier guarantees it); exactly one
//! leader; `Race over!` last.

use cookbook_support::testing::run;

const BIN: &str = env!("CARGO_BIN_EXE_thread_barrier");
const RUNNERS: [&str; 3] = ["Huey", "Dewey", "Louie"];

fn check_race(args: &[&str]) {
    let out = run(BIN, args).success();
    let lines = out.lines();
    assert_eq!(lines.iter().filter(|l| **l == "START RACE!!!!").count(), 1, "{}", out.dump());
    let reached: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].contains(" reached the barrier at: ")).collect();
    let passed: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].ends_with(" passed the barrier")).collect();
    assert_eq!(reached.len(), 3, "{}", out.dump());
    assert_eq!(passed.len(), 3, "{}", out.dump());
    for name in RUNNERS {
        out.line_index(&format!("{name} reached the barrier at: "));
        out.line_index(&format!("{name} passed the barrier"));
    }
    // No runner passes before all three have arrived.
    assert!(reached.iter().max() < passed.iter().min(), "{}", out.dump());
    let leader = out.fact("leader");
    assert!(RUNNERS.contains(&leader), "leader {leader:?}\n{}", out.dump());
    assert_eq!(lines.last(), Some(&"Race over!"), "{}", out.dump());
}

#[test]
fn barrier_holds_until_all_arrive() {
    check_race(&["--delay-scale", "0.01", "--seed", "1"]);
}

#[test]
fn barrier_holds_when_runners_arrive_together() {
    // No sleep at all: the arrivals are as close as they can be.
    for seed in ["2", "3", "4"] {
        check_race(&["--delay-scale", "0", "--seed", seed]);
    }
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--seed", "abc"]).status(2);
    assert!(out.stderr.contains("--seed"), "{}", out.dump());
    run(BIN, &["--seed", "-1"]).status(2);
    run(BIN, &["--delay-scale", "fast"]).status(2);
}

//! `thread_barrier`: three runners reach the barrier, and every "reached" line
//! comes before every "passed" line (the barrier guarantees it, whatever times the
//! runners drew); exactly one leader; `Race over!` last.

use cookbook_support::testing::run;
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_thread_barrier");
const RUNNERS: [&str; 3] = ["Huey", "Dewey", "Louie"];

/// Run a race and check what the barrier enforces. Returns the seconds each
/// runner drew, in the order of `RUNNERS`.
fn check_race(args: &[&str]) -> Vec<u64> {
    let out = run(BIN, args).success();
    let lines = out.lines();
    assert_run_eq!(out, lines.iter().filter(|l| **l == "START RACE!!!!").count(), 1);
    assert_run_eq!(out, lines.last(), Some(&"Race over!"));

    let drawn = out.records("runner");
    let names: Vec<&str> = drawn.iter().filter_map(|r| r.get("runner")).collect();
    assert_run_eq!(out, names, RUNNERS);
    let secs: Vec<u64> = drawn.iter().map(|r| out.field(r, "seconds")).collect();
    assert_run!(out, secs.iter().all(|s| (2..=4).contains(s)), "randrange(2, 5) draws 2, 3 or 4");

    let reached: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].contains(" reached the barrier at: ")).collect();
    let passed: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].ends_with(" passed the barrier")).collect();
    assert_run_eq!(out, reached.len(), 3);
    assert_run_eq!(out, passed.len(), 3);
    for name in RUNNERS {
        out.line_index(&format!("{name} reached the barrier at: "));
        out.line_index(&format!("{name} passed the barrier"));
    }
    // No runner passes before all three have arrived.
    assert_run!(out, reached.iter().max() < passed.iter().min(), "a runner passed before the last one arrived");
    // `fact` fails unless there is exactly one `leader = …` line.
    let leader = out.fact("leader");
    assert_run!(out, RUNNERS.contains(&leader), "leader {leader:?}");
    secs
}

#[test]
fn barrier_holds_until_all_arrive() {
    // With these seeds the runners draw different times, so that without the
    // barrier a fast runner would pass before a slow one has arrived.
    for seed in ["1", "2019"] {
        let secs = check_race(&["--delay-scale", "0.02", "--seed", seed]);
        assert!(secs.iter().min() < secs.iter().max(), "seed {seed} drew equal times {secs:?}: pick another");
    }
}

#[test]
fn barrier_holds_when_runners_arrive_together() {
    // No sleep at all: the arrivals are as close as they can be.
    for seed in ["2", "3", "4"] {
        check_race(&["--delay-scale", "0", "--seed", seed]);
    }
}

#[test]
fn a_drawn_seed_is_printed() {
    let out = run(BIN, &["--delay-scale", "0"]).success();
    out.fact_as::<u64>("seed");
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--seed", "abc"]).status(2);
    assert_run!(out, out.stderr.contains("--seed"));
    for (flag, bad) in [
        ("--seed", "-1"),
        ("--seed", "18446744073709551616"),
        ("--delay-scale", "fast"),
        ("--delay-scale", "1e300"),
        ("--delay-scale", "101"),
        ("--delay-scale", "NaN"),
        ("--delay-scale", "-1"),
    ] {
        run(BIN, &[flag, bad]).status(2);
    }
    run(BIN, &["--runners", "4"]).status(2);
}

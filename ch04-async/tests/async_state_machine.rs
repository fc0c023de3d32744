//! `async_state_machine`: the walk follows the machine's table from Start to End,
//! the chain printed at the end is that walk, a seed replays it, and a blocking
//! sleep keeps every other task off the thread while the machine runs.

use cookbook_support::testing::{Run, run};
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_async_state_machine");

/// The state that input `v` leads to from `state` (1st edition §4.4's figure).
fn next(state: &str, v: u8) -> &'static str {
    match (state, v) {
        ("Start State", 0) => "State 2",
        ("Start State", 1) => "State 1",
        ("State 1", 0) => "State 3",
        ("State 1", 1) => "State 2",
        ("State 2", 0) => "State 1",
        ("State 2", 1) => "State 3",
        ("State 3", 0) => "State 1",
        ("State 3", 1) => "End State",
        _ => panic!("no transition from {state} on {v}"),
    }
}

/// The `(from, to, value)` of each `X calling Y with transition value = v` line.
fn chain(out: &Run) -> Vec<(String, String, u8)> {
    let start = out.line_index("Resume of the Transition :") + 1;
    out.lines()[start..]
        .iter()
        .take_while(|l| l.contains(" calling "))
        .map(|l| {
            let (from, rest) = l.split_once(" calling ").unwrap();
            let (to, v) = rest
                .split_once(" with transition value = ")
                .unwrap_or_else(|| panic!("bad chain line {l:?}\n{}", out.dump()));
            (from.to_string(), to.to_string(), v.parse().unwrap())
        })
        .collect()
}

fn short(state: &str) -> &str {
    match state {
        "Start State" => "Start",
        "State 1" => "S1",
        "State 2" => "S2",
        "State 3" => "S3",
        "End State" => "End",
        other => other,
    }
}

/// The chain is a walk of the table from Start to End, and agrees with `path`.
fn assert_valid_walk(out: &Run) -> Vec<(String, String, u8)> {
    let chain = chain(out);
    assert_run!(out, !chain.is_empty());
    assert_run_eq!(out, chain[0].0, "Start State");
    for (i, (from, to, v)) in chain.iter().enumerate() {
        assert_run_eq!(out, to.as_str(), next(from, *v), "transition {} does not follow the table", i + 1);
        if let Some((after, _, _)) = chain.get(i + 1) {
            assert_run_eq!(out, after, to, "the chain breaks after transition {}", i + 1);
        }
    }
    let last = chain.last().unwrap();
    assert_run_eq!(out, (last.0.as_str(), last.1.as_str(), last.2), ("State 3", "End State", 1));
    let mut path = vec![short(&chain[0].0)];
    path.extend(chain.iter().map(|(_, to, _)| short(to)));
    assert_run_eq!(out, out.fact("path"), path.join(","));
    // One `...Evaluating...` per intermediate state, after `Start State called`
    // and before `...Stop Computation...`.
    let lines = out.lines();
    let evaluating = lines.iter().filter(|l| **l == "...Evaluating...").count();
    assert_run_eq!(out, evaluating, chain.len() - 1);
    let stop = out.line_index("...Stop Computation...");
    assert_run!(out, out.line_index("Start State called") < out.line_index("...Evaluating..."));
    assert_run!(out, lines[..stop].iter().filter(|l| **l == "...Evaluating...").count() == evaluating);
    assert_run!(out, stop < out.line_index("Resume of the Transition :"));
    assert_run_eq!(out, out.fact_as::<usize>("waits"), chain.len());
    chain
}

#[test]
fn every_walk_follows_the_table() {
    let mut lengths = std::collections::BTreeSet::new();
    for seed in 0..12 {
        let out = run(BIN, &["--seed", &seed.to_string(), "--paused-clock"]).success();
        lengths.insert(assert_valid_walk(&out).len());
    }
    assert!(lengths.len() > 1, "twelve seeds, and every walk has the same length: {lengths:?}");
}

#[test]
fn a_seed_replays_the_walk() {
    let args = ["--seed", "42", "--paused-clock"];
    let a = run(BIN, &args).success();
    let b = run(BIN, &args).success();
    assert_run_eq!(a, a.stdout, b.stdout);
}

#[test]
fn the_ticker_runs_while_the_machine_awaits() {
    // On the paused clock the ticker's wake-ups at 0.25 s, 0.5 s … come in the
    // exact order of their deadlines: every one before the machine's last
    // deadline runs while the machine is still waiting.
    let out = run(BIN, &["--seed", "7", "--paused-clock"]).success();
    let waits: u64 = out.fact_as("waits");
    let ticks: u64 = out.fact_as("ticks_while_running");
    assert_run!(out, ticks >= 4 * waits - 1, "{ticks} ticks in {waits} awaited seconds");
}

#[test]
fn a_blocking_sleep_keeps_the_ticker_off_the_thread() {
    // With time.sleep the machine never gives the thread away between its first
    // state and its last: the ticker cannot run once, however long it takes.
    // The walk itself is the same as the awaiting one's.
    let blocking = run(BIN, &["--seed", "7", "--blocking", "--delay-scale", "0.02"]).success();
    assert_valid_walk(&blocking);
    assert_run_eq!(blocking, blocking.fact("ticks_while_running"), "0");
    let awaiting = run(BIN, &["--seed", "7", "--paused-clock"]).success();
    assert_run_eq!(blocking, blocking.fact("path"), awaiting.fact("path"));
}

#[test]
fn a_walk_that_is_too_long_is_given_up() {
    // Seed 5 walks more than two transitions (checked on its own path first).
    let full = run(BIN, &["--seed", "5", "--paused-clock"]).success();
    assert_run!(full, full.fact("path").split(',').count() > 3);
    let out = run(BIN, &["--seed", "5", "--paused-clock", "--max-steps", "2"]).status(1);
    assert_run!(out, out.stderr.contains("no end state after 2 transitions"));
    assert_run!(out, !out.stdout.contains("Resume of the Transition"));
}

#[test]
fn bad_input_is_refused() {
    run(BIN, &["--max-steps", "0"]).status(2);
    run(BIN, &["--max-steps", "10001"]).status(2);
    run(BIN, &["--seed", "-1"]).status(2);
    run(BIN, &["--delay-scale", "x"]).status(2);
    run(BIN, &["--blocking=yes"]).status(2);
}

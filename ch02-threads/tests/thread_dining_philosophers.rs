//! `thread_dining_philosophers`: the naive strategy deadlocks every time and the
//! program detects it and exits cleanly; the ordered and waiter strategies feed
//! every philosopher exactly `--meals` times and no two neighbours share a fork.

use cookbook_support::testing::{Runner, run};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_thread_dining_philosophers");

#[test]
fn naive_deadlocks_and_is_detected() {
    // The guard is a 200 ms timeout: the run must end well within a few seconds.
    let out = Runner::new(BIN).args(&["--timeout-ms", "200"]).timeout(Duration::from_secs(10)).run().success();
    assert_eq!(out.fact("deadlock"), "true");
    assert_eq!(out.fact("meals_eaten"), "0");
    out.line_index("deadlock detected: every philosopher holds one fork and waits for another");
    for k in 0..5 {
        let gives_up = format!("Philosopher {k} waited 200 ms for fork {} (right) and gives up", (k + 1) % 5);
        assert_eq!(out.lines().iter().filter(|l| **l == gives_up).count(), 1, "{}", out.dump());
    }
}

#[test]
fn naive_deadlocks_with_two_philosophers_too() {
    let out = run(BIN, &["--philosophers", "2", "--timeout-ms", "100"]).success();
    assert_eq!(out.fact("deadlock"), "true");
}

fn check_cure(strategy: &str, philosophers: usize, meals: usize) {
    let (p, m) = (philosophers.to_string(), meals.to_string());
    let out = run(
        BIN,
        &["--strategy", strategy, "--philosophers", &p, "--meals", &m, "--delay-scale", "0.01", "--seed", "3"],
    )
    .success();
    assert_eq!(out.fact("deadlock"), "false");
    assert_eq!(out.fact_as::<usize>("meals_eaten"), philosophers * meals);
    assert_eq!(out.fact_as::<usize>("neighbour_violations"), 0);
    let per: Vec<usize> = out.fact("meals_per_philosopher").split(' ').map(|v| v.parse().unwrap()).collect();
    assert_eq!(per, vec![meals; philosophers], "{}", out.dump());
    // The human lines agree: meal 1..=meals once for every philosopher.
    for k in 0..philosophers {
        for meal in 1..=meals {
            let line = format!("Philosopher {k} eats (meal {meal})");
            assert_eq!(out.lines().iter().filter(|l| **l == line).count(), 1, "`{line}`\n{}", out.dump());
        }
    }
}

#[test]
fn ordered_feeds_everybody() {
    check_cure("ordered", 5, 3);
    check_cure("ordered", 2, 4);
}

#[test]
fn waiter_feeds_everybody() {
    check_cure("waiter", 5, 3);
    check_cure("waiter", 3, 2);
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--philosophers", "1"]).status(2);
    assert!(out.stderr.contains("--philosophers"), "{}", out.dump());
    run(BIN, &["--meals", "0"]).status(2);
    run(BIN, &["--timeout-ms", "soon"]).status(2);
    run(BIN, &["--strategy", "polite"]).status(2);
}

//! `thread_dining_philosophers`: at the first meal's worst moment (every
//! philosopher holds its first fork or is stuck), the naive table deadlocks with
//! every philosopher in the circle, the watchdog detects it and breaks it, and all
//! meals are eaten; the ordered and waiter tables never deadlock, the ordered
//! philosophers always pick up their lower-numbered fork first, and the waiter
//! never lets more than n − 1 reach for forks. No two neighbours ever eat with the
//! same fork.

use std::time::Duration;

use cookbook_support::testing::{Run, Runner, run};
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_thread_dining_philosophers");

/// Run a table under a time limit of seconds: a deadlock that is not broken hangs.
fn table(strategy: &str, philosophers: usize, meals: usize, seed: &str) -> Run {
    let (p, m) = (philosophers.to_string(), meals.to_string());
    let args = ["--strategy", strategy, "--philosophers", &p, "--meals", &m, "--delay-scale", "0.01", "--seed", seed];
    let out = Runner::new(BIN).args(&args).timeout(Duration::from_secs(30)).run().success();
    assert_run_eq!(out, out.fact_as::<usize>("meals_eaten"), philosophers * meals);
    assert_run_eq!(out, out.fact_as::<usize>("neighbour_violations"), 0);
    let per: Vec<usize> = out.fact("meals_per_philosopher").split(' ').map(|v| v.parse().unwrap()).collect();
    assert_run_eq!(out, per, vec![meals; philosophers]);
    // The human lines agree: meal 1..=meals once for every philosopher.
    for k in 0..philosophers {
        for meal in 1..=meals {
            let line = format!("Philosopher {k} eats (meal {meal})");
            assert_run_eq!(out, out.lines().iter().filter(|l| **l == line).count(), 1, "`{line}`");
        }
    }
    out
}

/// The forks philosopher `k` picked up, in order, and how often it gave one up.
fn pickups(out: &Run, k: usize) -> (Vec<usize>, usize) {
    let picks = format!("Philosopher {k} picks up fork ");
    let gives_up = format!("Philosopher {k} puts fork ");
    let forks = out.lines().iter().filter_map(|l| l.strip_prefix(&picks)).map(|f| f.parse().unwrap()).collect();
    (forks, out.lines().iter().filter(|l| l.starts_with(&gives_up)).count())
}

#[test]
fn naive_deadlocks_at_the_worst_moment_and_is_broken() {
    for (n, seed) in [(5, "1"), (2, "2"), (7, "3")] {
        let out = table("naive", n, 2, seed);
        assert_run!(out, out.fact_as::<usize>("deadlocks") >= 1);
        // The first deadlock is the whole table: each holds its left fork and
        // waits for its right one, held by its right neighbour.
        let first = &out.records("deadlock")[0];
        let circle: Vec<String> = (0..n).map(|k| k.to_string()).collect();
        assert_run_eq!(out, out.field::<String>(first, "circle"), circle.join("-"));
        assert_run_eq!(out, out.field::<usize>(first, "victim"), n - 1);
        assert_run!(out, out.line_index("deadlock = 1 ") > out.line_index(&format!("Philosopher {} picks up", n - 1)));
        assert_run_eq!(out, out.fact_as::<usize>("max_reaching"), n);
        // The victim put its fork down and tried again.
        assert_run!(out, pickups(&out, n - 1).1 >= 1, "philosopher {} never gave up its fork", n - 1);
        for k in 0..n {
            // Left fork first, every time.
            let (forks, gave_up) = pickups(&out, k);
            assert_run_eq!(out, forks.len(), 2 * 2 + gave_up);
            assert_run_eq!(out, forks[0], k);
        }
    }
}

#[test]
fn ordered_never_deadlocks_and_takes_the_lower_fork_first() {
    for (n, seed) in [(5, "3"), (2, "4"), (6, "5")] {
        let out = table("ordered", n, 3, seed);
        assert_run_eq!(out, out.fact_as::<usize>("deadlocks"), 0);
        assert_run!(out, out.records("deadlock").is_empty());
        for k in 0..n {
            let (left, right) = (k, (k + 1) % n);
            let (forks, gave_up) = pickups(&out, k);
            assert_run_eq!(out, gave_up, 0);
            let expected: Vec<usize> = (0..3).flat_map(|_| [left.min(right), left.max(right)]).collect();
            assert_run_eq!(out, forks, expected, "philosopher {k}'s forks, in order");
        }
    }
}

#[test]
fn waiter_never_deadlocks_and_seats_at_most_n_minus_one() {
    for (n, seed) in [(5, "3"), (3, "6"), (2, "7")] {
        let out = table("waiter", n, 3, seed);
        assert_run_eq!(out, out.fact_as::<usize>("deadlocks"), 0);
        // At the worst moment all but one are reaching: never all of them.
        assert_run_eq!(out, out.fact_as::<usize>("max_reaching"), n - 1);
        for k in 0..n {
            assert_run_eq!(out, pickups(&out, k).1, 0);
        }
    }
}

#[test]
fn every_flag_applies_to_every_strategy() {
    // The issue of a flag accepted and ignored: meals, seed and delay-scale shape
    // the naive table too (it recovers from its deadlocks and eats every meal).
    let out = table("naive", 5, 4, "5");
    assert_run_eq!(out, out.fact("meals_per_philosopher"), "4 4 4 4 4");
    let drawn = run(BIN, &["--delay-scale", "0", "--meals", "1"]).success();
    drawn.fact_as::<u64>("seed");
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--philosophers", "1"]).status(2);
    assert_run!(out, out.stderr.contains("--philosophers"));
    for (flag, bad) in [
        ("--philosophers", "101"),
        ("--meals", "0"),
        ("--meals", "1001"),
        ("--meals", "18446744073709551616"),
        ("--strategy", "polite"),
        ("--delay-scale", "1e300"),
        ("--timeout-ms", "500"),
    ] {
        run(BIN, &[flag, bad]).status(2);
    }
}

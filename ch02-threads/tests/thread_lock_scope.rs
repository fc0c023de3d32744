//! `thread_lock_scope`: the recipe logs, in the order they happen, when each thread
//! takes the lock, gives it back, falls asleep and wakes. The tests check what the
//! guard's scope enforces: holding the lock across the sleep puts each sleep inside
//! the thread's hold (so no two sleeps overlap); releasing it early ends the hold
//! before the sleep begins. In both modes no two holds overlap. No timing is
//! asserted.

use cookbook_support::testing::{Run, run};
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_thread_lock_scope");

/// Where in the log one thread took the lock, gave it back, fell asleep and woke.
#[derive(Debug)]
struct Steps {
    thread: usize,
    locked: usize,
    released: usize,
    slept: usize,
    woke: usize,
}

fn steps(out: &Run) -> Vec<Steps> {
    let steps: Vec<Steps> = out
        .records("thread")
        .iter()
        .map(|r| Steps {
            thread: out.field(r, "thread"),
            locked: out.field(r, "locked"),
            released: out.field(r, "released"),
            slept: out.field(r, "slept"),
            woke: out.field(r, "woke"),
        })
        .collect();
    assert_run_eq!(out, steps.iter().map(|s| s.thread).collect::<Vec<_>>(), (1..=9).collect::<Vec<_>>());
    // Mutual exclusion: the holds [locked, released] of two threads never overlap.
    let mut holds: Vec<(usize, usize)> = steps.iter().map(|s| (s.locked, s.released)).collect();
    holds.sort_unstable();
    for pair in holds.windows(2) {
        assert_run!(out, pair[0].1 < pair[1].0, "two threads held the lock at once: {pair:?}");
    }
    assert_run_eq!(out, out.fact("holding_at_once"), "1");
    steps
}

/// The running and over lines, 9 of each, each thread's running line first.
fn check_lines(out: &Run) {
    let running = out.lines().iter().filter(|l| l.starts_with("---> ") && l.contains(" running, ")).count();
    let over = out.lines().iter().filter(|l| l.starts_with("---> ") && l.ends_with(" over")).count();
    assert_run_eq!(out, (running, over), (9, 9));
    let pid = out.fact("pid");
    for k in 1..=9 {
        let r = out.line_index(&format!("---> Thread#{k} running, belonging to process ID {pid}"));
        let o = out.line_index(&format!("---> Thread#{k} over"));
        assert_run!(out, r < o, "Thread#{k} is over before it runs");
    }
}

#[test]
fn holding_the_lock_puts_each_sleep_inside_the_hold() {
    let out = run(BIN, &["--delay-scale", "0.01", "--seed", "1"]).success();
    assert_run_eq!(out, out.fact("mode"), "hold");
    check_lines(&out);
    for s in steps(&out) {
        assert_run!(out, s.locked < s.slept && s.slept < s.woke && s.woke < s.released, "{s:?}");
    }
    // Each sleep inside its own hold, and the holds apart: one sleeper at a time.
    assert_run_eq!(out, out.fact("asleep_at_once"), "1");
    // And each running line is followed at once by its own over line.
    let lines: Vec<&str> = out.lines().into_iter().filter(|l| l.starts_with("---> ")).collect();
    for pair in lines.chunks(2) {
        let name = pair[0].strip_prefix("---> ").and_then(|l| l.split(' ').next()).unwrap_or("");
        assert_run_eq!(out, pair[1], format!("---> {name} over"), "not followed by its own over line");
    }
}

#[test]
fn releasing_early_ends_the_hold_before_the_sleep() {
    let out = run(BIN, &["--release-early", "--delay-scale", "0.01", "--seed", "1"]).success();
    assert_run_eq!(out, out.fact("mode"), "release");
    check_lines(&out);
    for s in steps(&out) {
        assert_run!(out, s.locked < s.released && s.released < s.slept && s.slept < s.woke, "{s:?}");
    }
    // How many sleeps overlapped is up to the scheduler (9 in practice); the
    // elapsed time next to the longest sleep is for the reader.
    let asleep: usize = out.fact_as("asleep_at_once");
    assert_run!(out, (1..=9).contains(&asleep));
    let _: u64 = out.fact_as("elapsed_ms");
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--hold-during-sleep", "--release-early"]).status(2);
    assert_run!(out, out.stderr.contains("--release-early"));
    run(BIN, &["--threads", "0"]).status(2);
    run(BIN, &["--threads", "101"]).status(2);
    run(BIN, &["--seed", "abc"]).status(2);
    // A sleep too long for a Duration once panicked; it is refused when parsed.
    run(BIN, &["--delay-scale", "1e300"]).status(2);
}

//! `thread_with_statement`: for each of the four primitives, one "via with" and one
//! "directly" line from its two threads, the pairs in order; each thread's line
//! was said while the primitive was held (`held = 2`), and after both the
//! primitive is free again (`released = true`). The order of the two lines within a pair is
//! not enforced by the program and is not asserted.

use std::time::Duration;

use cookbook_support::testing::{Runner, run};
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_thread_with_statement");

const PRIMITIVES: [&str; 4] = ["Mutex", "ReentrantMutex", "Condvar", "Semaphore(1)"];

#[test]
fn two_lines_per_primitive_in_order_each_guard_exclusive_and_released() {
    // A guard that is never released makes the second thread wait for ever: the
    // time limit turns that into a failure within seconds.
    let out = Runner::new(BIN).timeout(Duration::from_secs(30)).run().success();
    let lines = out.lines();
    assert_run_eq!(out, lines.len(), 4 * 3, "two log lines and one record per primitive");

    let mut names = Vec::new();
    for (k, primitive) in PRIMITIVES.iter().enumerate() {
        // Primitive k's pair is lines 3k and 3k+1, in either order, then its record:
        // the pairs run one after the other.
        let pair = &lines[3 * k..3 * k + 2];
        let with = format!("(Thread-{:<3}) {primitive} acquired via with", 2 * k + 1);
        let directly = format!("(Thread-{:<3}) {primitive} acquired directly", 2 * k + 2);
        assert_run!(out, pair.contains(&with.as_str()), "missing `{with}`");
        assert_run!(out, pair.contains(&directly.as_str()), "missing `{directly}`");
        for line in pair {
            // `(<name padded to 10>) <message>`
            assert_run_eq!(out, &line[..1], "(");
            assert_run_eq!(out, &line[11..13], ") ", "name not padded to 10 columns: `{line}`");
            names.push(line[1..11].trim_end().to_string());
        }
        assert_run_eq!(out, lines[3 * k + 2], format!("primitive = {primitive} held = 2 released = true"));
    }
    names.sort_by_key(|n| n["Thread-".len()..].parse::<usize>().unwrap());
    let expected: Vec<String> = (1..=8).map(|i| format!("Thread-{i}")).collect();
    assert_run_eq!(out, names, expected, "each name exactly once");
}

#[test]
fn stray_argument_is_refused() {
    run(BIN, &["--count", "3"]).status(2);
    run(BIN, &["extra"]).status(2);
    run(BIN, &["--delay-scale", "0"]).status(2);
}

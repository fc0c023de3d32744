//! `intro_hello_thread`: with the join the thread prints all its messages after
//! main's `Process Ended`; without it the process ends and cuts the thread off.

use std::time::Duration;

use cookbook_support::testing::{Runner, run};
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_intro_hello_thread");
const MESSAGE: &str = "Hello Parallel Python CookBook!";

/// Ten sleeps of 20 ms take a fraction of a second: a thread that never ends
/// should fail the test soon.
fn quick(args: &[&str]) -> cookbook_support::testing::Run {
    Runner::new(BIN).args(args).timeout(Duration::from_secs(20)).run()
}

fn messages(out: &cookbook_support::testing::Run) -> usize {
    out.lines().iter().filter(|l| **l == MESSAGE).count()
}

#[test]
fn joined_thread_prints_every_message() {
    let out = quick(&["--delay-scale", "0.01"]).success();
    let lines = out.lines();
    assert_run_eq!(out, lines.first(), Some(&"Process Started"));
    assert_run_eq!(out, lines.last(), Some(&"Thread Ended"), "the join waits for the thread's last line");
    assert_run_eq!(out, messages(&out), 10);
    assert_run_eq!(out, out.fact("messages"), "10");
    // The thread prints its messages after it starts; main prints `Process Ended`
    // without waiting, and the join makes `Thread Ended` come after it.
    let starting = out.line_index("Thread Starting");
    assert_run!(out, lines.iter().position(|l| *l == MESSAGE).unwrap() > starting);
    assert_run!(out, out.line_index("Process Ended") < out.line_index("Thread Ended"));
}

#[test]
fn messages_flag_sets_the_count() {
    let out = quick(&["--delay-scale", "0", "--messages", "3"]).success();
    assert_run_eq!(out, messages(&out), 3);
    assert_run_eq!(out, out.fact("messages"), "3");
}

#[test]
fn without_join_the_thread_is_cut_off() {
    // Ten sleeps of 0.2 s: main returns long before the thread could finish.
    let out = run(BIN, &["--delay-scale", "0.1", "--no-join"]).success();
    assert_run!(out, out.stdout.contains("Process Ended"));
    assert_run!(out, !out.stdout.contains("Thread Ended"), "the thread outlived main");
    assert_run!(out, out.facts("messages").is_empty());
    assert_run!(out, messages(&out) < 10, "the thread was not cut off");
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--messages", "0"]).status(2);
    assert_run!(out, out.stderr.contains("--messages"));
    for args in [
        &["--delay-scale", "-1"][..],
        &["--delay-scale", "1e300"],
        &["--delay-scale", "NaN"],
        &["--messages", "1001"],
        &["--seed", "1"],
    ] {
        let out = run(BIN, args).status(2);
        assert_run!(out, !out.stderr.contains("panicked"));
    }
}

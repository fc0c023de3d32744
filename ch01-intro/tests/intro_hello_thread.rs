//! `intro_hello_thread`: with the join the thread prints all its messages after
//! main's `Process Ended`; without it the process ends and cuts the thread off.

use cookbook_support::testing::run;

const BIN: &str = env!("CARGO_BIN_EXE_intro_hello_thread");
const MESSAGE: &str = "Hello Parallel Python CookBook!";

#[test]
fn joined_thread_prints_every_message() {
    let out = run(BIN, &["--delay-scale", "0.01"]).success();
    let lines = out.lines();
    assert_eq!(lines.first(), Some(&"Process Started"), "{}", out.dump());
    assert_eq!(lines.last(), Some(&"Thread Ended"), "{}", out.dump());
    assert_eq!(lines.iter().filter(|l| **l == MESSAGE).count(), 10, "{}", out.dump());
    assert_eq!(out.fact("messages"), "10");
    // Main prints `Process Ended` right after the spawn; the thread needs ten
    // sleeps (10 × 20 ms here) before `Thread Ended`.
    assert!(out.line_index("Process Ended") < out.line_index("Thread Ended"), "{}", out.dump());
}

#[test]
fn messages_flag_sets_the_count() {
    let out = run(BIN, &["--delay-scale", "0.01", "--messages", "3"]).success();
    assert_eq!(out.lines().iter().filter(|l| **l == MESSAGE).count(), 3, "{}", out.dump());
    assert_eq!(out.fact("messages"), "3");
}

#[test]
fn without_join_the_thread_is_cut_off() {
    let out = run(BIN, &["--delay-scale", "0.1", "--no-join"]).success();
    assert!(out.stdout.contains("Process Ended"), "{}", out.dump());
    assert!(!out.stdout.contains("Thread Ended"), "the thread outlived main\n{}", out.dump());
    assert!(out.facts("messages").is_empty(), "{}", out.dump());
    let printed = out.lines().iter().filter(|l| **l == MESSAGE).count();
    assert!(printed < 10, "{printed} messages: the thread was not cut off\n{}", out.dump());
}

#[test]
fn zero_messages_are_refused() {
    let out = run(BIN, &["--messages", "0"]).status(2);
    assert!(out.stderr.contains("--messages"), "{}", out.dump());
    run(BIN, &["--delay-scale", "-1"]).status(2);
}

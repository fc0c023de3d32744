//! `thread_event`: every item appended is popped exactly once and the program ends,
//! despite the book's set-then-clear; the book's consumer leaves items behind but the
//! demo still ends and accounts for every item.

use std::time::Duration;

use cookbook_support::testing::{Run, Runner, run};
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_thread_event");

/// A run that must end well within seconds: a lost wake-up hangs the consumer, and
/// the test should say so quickly rather than after the default two minutes.
fn run_quick(args: &[&str]) -> Run {
    Runner::new(BIN).args(args).timeout(Duration::from_secs(30)).run()
}

/// The values of the appended lines and of the popped lines, each sorted.
fn appended_and_popped(out: &Run) -> (Vec<u32>, Vec<u32>) {
    let value = |s: &str| s.parse::<u32>().unwrap_or_else(|_| panic!("`{s}` is not an item\n{}", out.dump()));
    let mut appended = Vec::new();
    let mut popped = Vec::new();
    for line in out.lines() {
        if let Some(rest) = line.strip_prefix("Producer notify : item N° ") {
            let item = rest.strip_suffix(" appended to list by Thread-1").unwrap_or_else(|| panic!("`{line}`"));
            appended.push(value(item));
        } else if let Some(rest) = line.strip_prefix("Consumer notify : ") {
            let item = rest.strip_suffix(" popped from list by Thread-2").unwrap_or_else(|| panic!("`{line}`"));
            popped.push(value(item));
        }
    }
    appended.sort_unstable();
    popped.sort_unstable();
    (appended, popped)
}

#[test]
fn every_item_is_popped_once_and_the_program_ends() {
    let out = run_quick(&["--items", "12", "--delay-scale", "0.005", "--seed", "9"]).success();
    assert_run_eq!(out, out.fact("produced"), "12");
    assert_run_eq!(out, out.fact("consumed"), "12");
    assert_run_eq!(out, out.fact("left_in_list"), "0");
    let (appended, popped) = appended_and_popped(&out);
    assert_run_eq!(out, appended.len(), 12);
    assert_run_eq!(out, appended, popped);
    assert_run!(out, appended.iter().all(|&x| x <= 256));
    // The producer set and cleared the event once per item, as the book's does.
    let count = |prefix: &str| out.lines().iter().filter(|l| l.starts_with(prefix)).count();
    assert_run_eq!(out, count("Producer notify : event set by Thread-1"), 12);
    assert_run_eq!(out, count("Produce notify : event cleared by Thread-1"), 12);
    // The "no more items" signal comes after the last item, and is not cleared.
    assert_run!(out, out.line_index("no more items, event left set") > out.line_index("appended to list"));
}

#[test]
fn no_delay_at_all_still_ends() {
    // Without sleeps the producer sets and clears far faster than the consumer
    // wakes: most signals are missed, and the draining consumer must still get all.
    let out = run_quick(&["--items", "200", "--delay-scale", "0", "--max-item", "100", "--seed", "1"]).success();
    assert_run_eq!(out, out.fact("produced"), "200");
    assert_run_eq!(out, out.fact("consumed"), "200");
    let (appended, popped) = appended_and_popped(&out);
    assert_run_eq!(out, appended, popped);
    assert_run!(out, appended.iter().all(|&x| x <= 100));
}

#[test]
fn the_book_consumer_is_stopped_and_accounted_for() {
    let out = run_quick(&["--items", "8", "--delay-scale", "0.005", "--seed", "9", "--book-consumer"]).success();
    let produced: usize = out.fact_as("produced");
    let consumed: usize = out.fact_as("consumed");
    let left: usize = out.fact_as("left_in_list");
    assert_run_eq!(out, produced, 8);
    assert_run_eq!(out, consumed + left, produced);
    // The book's producer never says it is done.
    assert_run!(out, !out.stdout.contains("no more items"));
    // What it popped is part of what was appended (each at most once).
    let (appended, popped) = appended_and_popped(&out);
    assert_run_eq!(out, popped.len(), consumed);
    let mut rest = appended.clone();
    for x in popped {
        let i =
            rest.iter().position(|&a| a == x).unwrap_or_else(|| panic!("{x} popped but not appended\n{}", out.dump()));
        rest.remove(i);
    }
    assert_run_eq!(out, rest.len(), left);
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--items", "0"]).status(2);
    assert_run!(out, out.stderr.contains("--items"));
    for (flag, bad) in [
        ("--items", "100001"),
        ("--items", "18446744073709551615"),
        ("--max-item", "-1"),
        ("--max-item", "1000001"),
        ("--delay-scale", "fast"),
        ("--delay-scale", "1e300"),
        ("--seed", "-1"),
    ] {
        run(BIN, &[flag, bad]).status(2);
    }
}

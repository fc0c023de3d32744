//! `thread_event`: every item appended is popped exactly once and the program ends,
//! despite the book's set-then-clear; the book's consumer leaves items behind but the
//! demo still ends and accounts for every item.

use cookbook_support::testing::{Run, run};

const BIN: &str = env!("CARGO_BIN_EXE_thread_event");

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
    let out = run(BIN, &["--items", "12", "--delay-scale", "0.005", "--seed", "9"]).success();
    assert_eq!(out.fact("produced"), "12");
    assert_eq!(out.fact("consumed"), "12");
    assert_eq!(out.fact("left_in_list"), "0");
    let (appended, popped) = appended_and_popped(&out);
    assert_eq!(appended.len(), 12, "{}", out.dump());
    assert_eq!(appended, popped, "{}", out.dump());
    assert!(appended.iter().all(|&x| x <= 256));
    // The producer set and cleared the event once per item.
    assert_eq!(out.lines().iter().filter(|l| l.starts_with("Producer notify : event set by Thread-1")).count(), 12);
    assert_eq!(out.lines().iter().filter(|l| l.starts_with("Produce notify : event cleared by Thread-1")).count(), 12);
}

#[test]
fn no_delay_at_all_still_ends() {
    // Without sleeps the producer sets and clears far faster than the consumer
    // wakes: most signals are missed, and the draining consumer must still get all.
    let out = run(BIN, &["--items", "200", "--delay-scale", "0", "--max-item", "100", "--seed", "1"]).success();
    assert_eq!(out.fact("produced"), "200");
    assert_eq!(out.fact("consumed"), "200");
    let (appended, popped) = appended_and_popped(&out);
    assert_eq!(appended, popped);
    assert!(appended.iter().all(|&x| x <= 100));
}

#[test]
fn the_book_consumer_is_stopped_and_accounted_for() {
    let out = run(BIN, &["--items", "8", "--delay-scale", "0.005", "--seed", "9", "--book-consumer"]).success();
    let produced: usize = out.fact_as("produced");
    let consumed: usize = out.fact_as("consumed");
    let left: usize = out.fact_as("left_in_list");
    assert_eq!(produced, 8);
    assert_eq!(consumed + left, produced, "{}", out.dump());
    // What it popped is part of what was appended (each at most once).
    let (appended, popped) = appended_and_popped(&out);
    assert_eq!(popped.len(), consumed);
    let mut rest = appended.clone();
    for x in popped {
        let i =
            rest.iter().position(|&a| a == x).unwrap_or_else(|| panic!("{x} popped but not appended\n{}", out.dump()));
        rest.remove(i);
    }
    assert_eq!(rest.len(), left);
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--items", "0"]).status(2);
    assert!(out.stderr.contains("--items"), "{}", out.dump());
    run(BIN, &["--max-item", "-1"]).status(2);
    run(BIN, &["--delay-scale", "fast"]).status(2);
}

//! `thread_condition`: every length printed stays within 0..=capacity, every item
//! is produced and consumed, and the buffer ends empty. A producer that had to
//! wait prints the book's two lines once its wait is over, so the length they
//! report is below the capacity. How often each side waits depends on timing and
//! is not asserted.

use std::time::Duration;

use cookbook_support::testing::{Run, Runner, run};
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_thread_condition");

/// The lengths printed after `prefix`.
fn printed(out: &Run, prefix: &str) -> Vec<usize> {
    out.lines()
        .iter()
        .filter_map(|l| l.strip_prefix(prefix))
        .map(|n| n.parse().unwrap_or_else(|_| panic!("not a length: {n:?}\n{}", out.dump())))
        .collect()
}

/// Checks what the condition variable enforces, for a run of `items` items
/// through a buffer of `capacity`.
fn check(out: &Run, items: usize, capacity: usize) {
    assert_run_eq!(out, out.fact_as::<usize>("produced"), items);
    assert_run_eq!(out, out.fact_as::<usize>("consumed"), items);
    assert_run_eq!(out, out.fact("final_len"), "0");
    let produced = printed(out, "Producer notify : total items produced ");
    let left = printed(out, "Consumer notify : items to consume are ");
    assert_run_eq!(out, (produced.len(), left.len()), (items, items));
    // Never more than the capacity after a push, never below 0 after a pop.
    assert_run!(out, produced.iter().all(|n| (1..=capacity).contains(n)), "a push overflowed the buffer");
    assert_run!(out, left.iter().all(|n| *n < capacity), "a pop left the buffer full");
    let consumed = out.lines().iter().filter(|l| **l == "Consumer notify : consumed 1 item").count();
    assert_run_eq!(out, consumed, items);

    // The producer's wait lines come after the wait, when there is room again:
    // one pair per wait, each with a length below the capacity.
    let after_wait = printed(out, "Producer notify : items produced are ");
    let stops = out.lines().iter().filter(|l| **l == "Producer notify : stop the production!!").count();
    assert_run_eq!(out, after_wait.len(), out.fact_as::<usize>("producer_waits"));
    assert_run_eq!(out, stops, after_wait.len());
    assert_run!(out, after_wait.iter().all(|n| *n < capacity), "a wait line was printed while the buffer was full");
    let no_item = out.lines().iter().filter(|l| **l == "Consumer notify : no item to consume").count();
    assert_run_eq!(out, no_item, out.fact_as::<usize>("consumer_waits"));
}

#[test]
fn book_sizes_stay_in_bounds() {
    let out = run(BIN, &["--delay-scale", "0.01"]).success();
    check(&out, 20, 10);
}

#[test]
fn small_buffer_and_fast_producer_never_overflow() {
    // The producer is twenty times faster than the consumer, so it keeps running
    // into a full buffer; the condition must hold it back every time.
    let out = run(BIN, &["--delay-scale", "0.01", "--capacity", "2", "--producer-delay", "0.1"]).success();
    check(&out, 20, 2);
}

#[test]
fn slow_producer_keeps_the_consumer_waiting() {
    // The mirror case: the consumer must never pop from an empty buffer.
    let out = run(BIN, &["--delay-scale", "0.01", "--items", "8", "--producer-delay", "2", "--consumer-delay", "0"])
        .success();
    check(&out, 8, 10);
}

/// A run that must end by itself with status 1 (a hang is killed at the time
/// limit and fails the test).
fn ends_with_failure(args: &[&str]) -> Run {
    Runner::new(BIN).args(args).timeout(Duration::from_secs(30)).run().status(1)
}

#[test]
fn a_consumer_that_wants_more_is_not_left_waiting_forever() {
    // Five items asked for, three made: once the producer has left, nobody will
    // ever notify the consumer again. Its wait includes "the producer has left",
    // so it wakes, reports, and the recipe exits 1 instead of hanging.
    let out = ends_with_failure(&["--delay-scale", "0.01", "--items", "3", "--consume", "5"]);
    assert_run!(out, out.stderr.contains("the producer has left"));
    assert_run_eq!(out, printed(&out, "Consumer notify : items to consume are ").len(), 3);
}

#[test]
fn a_producer_facing_a_full_buffer_is_not_left_waiting_forever() {
    // The mirror case: the consumer takes two items and leaves; the third fills
    // the one-item buffer, and the fourth would wait for room forever.
    let out = ends_with_failure(&["--delay-scale", "0.01", "--items", "5", "--consume", "2", "--capacity", "1"]);
    assert_run!(out, out.stderr.contains("the consumer has left"));
    assert_run_eq!(out, printed(&out, "Producer notify : total items produced ").len(), 3);
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--capacity", "0"]).status(2);
    assert_run!(out, out.stderr.contains("--capacity"));
    run(BIN, &["--items", "ten"]).status(2);
    run(BIN, &["--producer-delay", "-1"]).status(2);
    // This once panicked in the producer and left the consumer waiting forever;
    // it is refused when parsed.
    run(BIN, &["--producer-delay", "1e300", "--items", "1"]).status(2);
    run(BIN, &["--items", "10001"]).status(2);
    run(BIN, &["--consume", "0"]).status(2);
}

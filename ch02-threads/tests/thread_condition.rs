//! `thread_condition`: every length printed stays within 0..=capacity, all 20
//! items are produced and consumed, and the buffer ends empty. How often each
//! side waits depends on timing and is not asserted.

use cookbook_support::testing::run;

const BIN: &str = env!("CARGO_BIN_EXE_thread_condition");

/// Every buffer length the program printed.
fn lengths(lines: &[&str]) -> Vec<usize> {
    lines
        .iter()
        .filter_map(|l| {
            l.strip_prefix("Producer notify : total items produced ")
                .or_else(|| l.strip_prefix("Consumer notify : items to consume are "))
        })
        .map(|n| n.parse().unwrap_or_else(|_| panic!("not a length: {n:?}")))
        .collect()
}

#[test]
fn book_sizes_stay_in_bounds() {
    let out = run(BIN, &["--delay-scale", "0.01"]).success();
    assert_eq!(out.fact("produced"), "20");
    assert_eq!(out.fact("consumed"), "20");
    assert_eq!(out.fact("final_len"), "0");
    let lines = out.lines();
    let lens = lengths(&lines);
    assert_eq!(lens.len(), 40, "{}", out.dump());
    assert!(lens.iter().all(|n| *n <= 10), "{lens:?}");
    let consumed = lines.iter().filter(|l| **l == "Consumer notify : consumed 1 item").count();
    assert_eq!(consumed, 20);
}

#[test]
fn small_buffer_and_fast_producer_never_overflow() {
    // The producer is twenty times faster than the consumer, so it keeps running
    // into a full buffer; the condition must hold it back every time.
    let out = run(BIN, &["--delay-scale", "0.01", "--capacity", "2", "--producer-delay", "0.1"]).success();
    assert_eq!(out.fact("final_len"), "0");
    let lens = lengths(&out.lines());
    assert_eq!(lens.len(), 40, "{}", out.dump());
    assert!(lens.iter().all(|n| *n <= 2), "{lens:?}");
}

#[test]
fn slow_producer_keeps_the_consumer_waiting() {
    // The mirror case: the consumer must never pop from an empty buffer.
    let out = run(BIN, &["--delay-scale", "0.01", "--items", "8", "--producer-delay", "2", "--consumer-delay", "0"])
        .success();
    assert_eq!(out.fact("produced"), "8");
    assert_eq!(out.fact("consumed"), "8");
    assert_eq!(out.fact("final_len"), "0");
    assert!(lengths(&out.lines()).iter().all(|n| *n <= 10));
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--capacity", "0"]).status(2);
    assert!(out.stderr.contains("--capacity"), "{}", out.dump());
    run(BIN, &["--items", "ten"]).status(2);
    run(BIN, &["--producer-delay", "-1"]).status(2);
}

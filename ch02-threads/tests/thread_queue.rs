//! `thread_queue`: every item is consumed exactly once, with the value it was
//! produced with; the per-consumer counts add up; the program ends (the channel
//! closes when the producer drops its Sender). Which consumer takes which item is
//! not asserted.

use std::collections::BTreeMap;

use std::time::Duration;

use cookbook_support::testing::{Run, Runner, run};
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_thread_queue");

/// `(seq, value, thread)` from lines ending in `[seq k]`, for a given prefix.
fn parse(out: &Run, producer: bool) -> Vec<(usize, u32, String)> {
    out.lines()
        .into_iter()
        .filter_map(|l| {
            let (text, seq) = l.rsplit_once(" [seq ")?;
            let seq: usize = seq.strip_suffix(']')?.parse().ok()?;
            let (value, thread) = if producer {
                let rest = text.strip_prefix("Producer notify : item N° ")?;
                rest.split_once(" appended to queue by ")?
            } else {
                let rest = text.strip_prefix("Consumer notify : ")?;
                rest.split_once(" popped from queue by ")?
            };
            Some((seq, value.parse().ok()?, thread.to_string()))
        })
        .collect()
}

fn check(args: &[&str], items: usize, consumers: usize) {
    // Seconds at most: a channel that never closes hangs the consumers, and the
    // test should say so soon.
    let out = Runner::new(BIN).args(args).timeout(Duration::from_secs(30)).run().success();
    assert_run_eq!(out, out.fact_as::<usize>("produced"), items);
    assert_run_eq!(out, out.fact_as::<usize>("consumed"), items);

    let appended = parse(&out, true);
    assert_run_eq!(out, appended.len(), items);
    assert_run!(out, appended.iter().all(|(_, _, t)| t == "Thread-1"), "only Thread-1 produces");
    let produced: BTreeMap<usize, u32> = appended.into_iter().map(|(s, v, _)| (s, v)).collect();
    assert_run_eq!(out, produced.keys().copied().collect::<Vec<_>>(), (0..items).collect::<Vec<_>>());
    assert_run!(out, produced.values().all(|v| *v <= 256));

    let consumed = parse(&out, false);
    assert_run_eq!(out, consumed.len(), items);
    let mut seqs: Vec<usize> = consumed.iter().map(|(s, _, _)| *s).collect();
    seqs.sort_unstable();
    assert_run_eq!(out, seqs, (0..items).collect::<Vec<_>>(), "every item exactly once");
    for (seq, value, _) in &consumed {
        assert_run_eq!(out, produced[seq], *value, "item {seq} changed on the way");
    }

    // One count per consumer, Thread-2 onwards, adding up to the items, and
    // agreeing with the lines.
    let counts = out.records("consumer");
    let names: Vec<String> = counts.iter().map(|r| out.field(r, "consumer")).collect();
    let expected: Vec<String> = (2..consumers + 2).map(|k| format!("Thread-{k}")).collect();
    assert_run_eq!(out, names, expected);
    let mut total = 0;
    for r in &counts {
        let (name, n): (String, usize) = (out.field(r, "consumer"), out.field(r, "items"));
        let lines = consumed.iter().filter(|(_, _, t)| *t == name).count();
        assert_run_eq!(out, n, lines, "{name}'s count and its lines");
        total += n;
    }
    assert_run_eq!(out, total, items);
}

#[test]
fn each_item_is_consumed_once() {
    check(&["--delay-scale", "0.01", "--seed", "1"], 10, 3);
}

#[test]
fn no_delay_many_items() {
    check(&["--delay-scale", "0", "--items", "500", "--seed", "2"], 500, 3);
}

#[test]
fn more_consumers_than_items_still_ends() {
    check(&["--delay-scale", "0.01", "--items", "5", "--consumers", "6", "--seed", "3"], 5, 6);
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--consumers", "0"]).status(2);
    assert_run!(out, out.stderr.contains("--consumers"));
    for (flag, bad) in [
        ("--items", "-1"),
        ("--items", "ten"),
        ("--items", "100001"),
        ("--consumers", "1001"),
        ("--consumers", "18446744073709551616"),
        ("--delay-scale", "1e300"),
    ] {
        run(BIN, &[flag, bad]).status(2);
    }
}

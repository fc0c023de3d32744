//! `thread_queue`: every item is consumed exactly once, with the value it was
//! produced with; the per-consumer counts add up; the program ends (the channel
//! closes when the producer drops its Sender). Which consumer takes which item is
//! not asserted.

use std::collections::BTreeMap;

use cookbook_support::testing::{Run, run};

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
    let out = run(BIN, args).success();
    assert_eq!(out.fact_as::<usize>("produced"), items);
    assert_eq!(out.fact_as::<usize>("consumed"), items);

    let appended = parse(&out, true);
    assert_eq!(appended.len(), items, "{}", out.dump());
    let produced: BTreeMap<usize, u32> = appended
        .into_iter()
        .map(|(s, v, t)| {
            assert_eq!(t, "Thread-1");
            (s, v)
        })
        .collect();
    assert_eq!(produced.keys().copied().collect::<Vec<_>>(), (0..items).collect::<Vec<_>>(), "{}", out.dump());
    assert!(produced.values().all(|v| *v <= 256), "{}", out.dump());

    let consumed = parse(&out, false);
    assert_eq!(consumed.len(), items, "{}", out.dump());
    let mut seqs: Vec<usize> = consumed.iter().map(|(s, _, _)| *s).collect();
    seqs.sort_unstable();
    assert_eq!(seqs, (0..items).collect::<Vec<_>>(), "every item exactly once\n{}", out.dump());
    for (seq, value, _) in &consumed {
        assert_eq!(produced[seq], *value, "item {seq} changed on the way\n{}", out.dump());
    }

    // One count per consumer, adding up to the items, and agreeing with the lines.
    let mut total = 0;
    for k in 2..consumers + 2 {
        let name = format!("Thread-{k}");
        let n: usize = out.fact_as(&format!("consumer {name}"));
        let lines = consumed.iter().filter(|(_, _, t)| *t == name).count();
        assert_eq!(n, lines, "{}", out.dump());
        total += n;
    }
    assert_eq!(total, items);
    assert_eq!(out.stdout.matches("\nconsumer Thread-").count(), consumers, "{}", out.dump());
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
    assert!(out.stderr.contains("--consumers"), "{}", out.dump());
    run(BIN, &["--items", "-1"]).status(2);
    run(BIN, &["--items", "ten"]).status(2);
}

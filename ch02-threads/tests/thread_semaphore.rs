//! `thread_semaphore`: in every round the consumer gets exactly the item the
//! producer made, never before it was made, and every permit released is acquired.

use cookbook_support::testing::{Run, run};
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_thread_semaphore");

/// The `(produced, consumed)` pair of each `round = R produced = X consumed = Y`
/// record, checking that the rounds are numbered 1, 2, 3….
fn rounds(out: &Run) -> Vec<(u32, u32)> {
    let records = out.records("round");
    records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            assert_run_eq!(out, out.field::<usize>(r, "round"), i + 1);
            (out.field(r, "produced"), out.field(r, "consumed"))
        })
        .collect()
}

#[test]
fn each_consumer_gets_the_item_of_its_round() {
    let out = run(BIN, &["--rounds", "4", "--delay-scale", "0.005", "--seed", "3"]).success();
    let rounds = rounds(&out);
    assert_run_eq!(out, rounds.len(), 4);
    for &(produced, consumed) in &rounds {
        assert_run_eq!(out, produced, consumed);
        assert_run!(out, produced <= 1000);
    }
    assert_run_eq!(out, out.fact("permits_left"), "0");
    assert_run_eq!(out, out.lines().last().copied(), Some("program terminated"));

    // Round by round: the produced line comes before the consumed line (the
    // producer prints before it releases, the consumer after it acquires), and
    // the consumer said it was waiting before it consumed.
    let lines = out.lines();
    let mut start = 0;
    for (produced, _) in rounds {
        let end = start + lines[start..].iter().position(|l| l.starts_with("round = ")).unwrap_or(0);
        let part = &lines[start..end];
        let at = |text: &str| {
            part.iter()
                .position(|l| *l == text)
                .unwrap_or_else(|| panic!("no line `{text}` in the round\n{}", out.dump()))
        };
        let waiting = at("consumer is waiting.");
        let made = at(&format!("producer notify : produced item number {produced}"));
        let consumed = at(&format!("Consumer notify : consumed item number {produced}"));
        assert_run!(out, waiting < consumed && made < consumed);
        assert_run_eq!(out, part.len(), 3);
        start = end + 1;
    }
}

#[test]
fn a_producer_that_is_ready_first_leaves_a_permit() {
    // Without a delay the producer often releases before the consumer waits: the
    // semaphore remembers the release, and the pairing is still exact.
    let out = run(BIN, &["--rounds", "20", "--producer-delay", "0", "--seed", "5"]).success();
    let rounds = rounds(&out);
    assert_run_eq!(out, rounds.len(), 20);
    assert_run!(out, rounds.iter().all(|(p, c)| p == c));
    assert_run_eq!(out, out.fact("permits_left"), "0");
}

#[test]
fn the_same_seed_makes_the_same_items() {
    let args = ["--rounds", "3", "--delay-scale", "0", "--seed", "42"];
    let a = run(BIN, &args).success();
    let b = run(BIN, &args).success();
    assert_run_eq!(a, rounds(&a), rounds(&b));
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--rounds", "0"]).status(2);
    assert_run!(out, out.stderr.contains("--rounds"));
    run(BIN, &["--producer-delay", "-5"]).status(2);
    run(BIN, &["--rounds", "five"]).status(2);
    // These once made the sleep panic; they are refused when parsed.
    run(BIN, &["--producer-delay", "18446744073709551615"]).status(2);
    run(BIN, &["--producer-delay", "3601"]).status(2);
    run(BIN, &["--delay-scale", "1e5"]).status(2);
}

//! `thread_semaphore`: in every round the consumer gets exactly the item the producer
//! made, never before it was made; every permit released is acquired.

use cookbook_support::testing::{Run, run};

const BIN: &str = env!("CARGO_BIN_EXE_thread_semaphore");

/// The `(produced, consumed)` pair of each `round = R produced = X consumed = Y` line,
/// checking that the rounds are numbered 1, 2, 3….
fn rounds(out: &Run) -> Vec<(u32, u32)> {
    out.facts("round")
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                [r, "produced", "=", p, "consumed", "=", c] => {
                    assert_eq!(r.parse::<usize>().ok(), Some(i + 1), "{}", out.dump());
                    let value = |s: &str| s.parse::<u32>().unwrap_or_else(|_| panic!("`{line}`\n{}", out.dump()));
                    (value(p), value(c))
                }
                _ => panic!("unexpected round line `{line}`\n{}", out.dump()),
            }
        })
        .collect()
}

#[test]
fn each_consumer_gets_the_item_of_its_round() {
    let out = run(BIN, &["--rounds", "4", "--delay-scale", "0.005", "--seed", "3"]).success();
    let rounds = rounds(&out);
    assert_eq!(rounds.len(), 4, "{}", out.dump());
    for &(produced, consumed) in &rounds {
        assert_eq!(produced, consumed, "{}", out.dump());
        assert!(produced <= 1000);
    }
    assert_eq!(out.fact("permits_left"), "0");
    assert_eq!(out.lines().last().copied(), Some("program terminated"), "{}", out.dump());

    // Round by round: the waiting line comes before the consumed line, and the
    // produced line before the consumed line (the producer prints before release(),
    // the consumer after acquire()).
    let lines = out.lines();
    let mut start = 0;
    for (produced, _) in rounds {
        let round_end = start + lines[start..].iter().position(|l| l.starts_with("round = ")).unwrap();
        let part = &lines[start..round_end];
        let at = |text: &str| {
            part.iter()
                .position(|l| *l == text)
                .unwrap_or_else(|| panic!("no line `{text}` in the round\n{}", out.dump()))
        };
        let waiting = at("consumer is waiting.");
        let made = at(&format!("producer notify : produced item number {produced}"));
        let consumed = at(&format!("Consumer notify : consumed item number {produced}"));
        assert!(waiting < consumed && made < consumed, "{}", out.dump());
        assert_eq!(part.len(), 3, "{}", out.dump());
        start = round_end + 1;
    }
}

#[test]
fn the_same_seed_makes_the_same_items() {
    let args = ["--rounds", "3", "--delay-scale", "0", "--seed", "42"];
    let a = rounds(&run(BIN, &args).success());
    let b = rounds(&run(BIN, &args).success());
    assert_eq!(a, b);
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--rounds", "0"]).status(2);
    assert!(out.stderr.contains("--rounds"), "{}", out.dump());
    run(BIN, &["--producer-delay-ms", "-5"]).status(2);
    run(BIN, &["--rounds", "five"]).status(2);
}

//! `thread_lock_scope`: holding the lock across the sleep serialises the threads
//! (each running line is followed by its own over line); releasing it early lets
//! the threads interleave.

use cookbook_support::testing::run;

const BIN: &str = env!("CARGO_BIN_EXE_thread_lock_scope");

/// The name of the thread in a `---> Thread#k running, …` or `---> Thread#k over`
/// line.
fn thread_of(line: &str) -> Option<&str> {
    line.strip_prefix("---> ")?.split([' ', ',']).next()
}

#[test]
fn holding_the_lock_serialises_the_threads() {
    let out = run(BIN, &["--delay-scale", "0.01", "--seed", "1"]).success();
    assert_eq!(out.fact("mode"), "hold");
    let pid = out.fact("pid").to_string();
    let lines: Vec<&str> = out.lines().into_iter().filter(|l| l.starts_with("---> ")).collect();
    assert_eq!(lines.len(), 18, "{}", out.dump());
    let mut seen = Vec::new();
    for pair in lines.chunks(2) {
        let name = thread_of(pair[0]).unwrap();
        assert_eq!(pair[0], format!("---> {name} running, belonging to process ID {pid}"), "{}", out.dump());
        assert_eq!(pair[1], format!("---> {name} over"), "not followed by its own over line\n{}", out.dump());
        seen.push(name.to_string());
    }
    seen.sort();
    let mut all: Vec<String> = (1..=9).map(|k| format!("Thread#{k}")).collect();
    all.sort();
    assert_eq!(seen, all);

    // The serialisation is shown by the order of the lines above. The elapsed
    // time next to the sum of the sleeps is for the reader: tests assert no timings.
    let _: u64 = out.fact_as("sum_duration_ms");
    let _: u64 = out.fact_as("elapsed_ms");
}

#[test]
fn releasing_early_lets_the_sleeps_overlap() {
    let out = run(BIN, &["--release-early", "--delay-scale", "0.01", "--seed", "1"]).success();
    assert_eq!(out.fact("mode"), "release");
    let lines = out.lines();
    let running = lines.iter().filter(|l| l.starts_with("---> ") && l.contains(" running, ")).count();
    let over = lines.iter().filter(|l| l.starts_with("---> ") && l.ends_with(" over")).count();
    assert_eq!((running, over), (9, 9), "{}", out.dump());
    for k in 1..=9 {
        let r = out.line_index(&format!("---> Thread#{k} running"));
        let o = out.line_index(&format!("---> Thread#{k} over"));
        assert!(r < o, "{}", out.dump());
    }
    // The elapsed time next to the longest sleep is for the reader: tests assert
    // no timings.
    let _: u64 = out.fact_as("max_duration_ms");
    let _: u64 = out.fact_as("elapsed_ms");
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--hold-during-sleep", "--release-early"]).status(2);
    assert!(out.stderr.contains("--release-early"), "{}", out.dump());
    run(BIN, &["--threads", "0"]).status(2);
    run(BIN, &["--seed", "abc"]).status(2);
}

//! `intro_amdahl`: the theoretical values of Amdahl's and Gustafson's laws, and a
//! measured table whose values are only checked to be present and positive.

use cookbook_support::testing::{Run, run};

const BIN: &str = env!("CARGO_BIN_EXE_intro_amdahl");

/// The value of `key = value` inside a line of several such pairs.
fn field(line: &str, key: &str) -> String {
    let words: Vec<&str> = line.split_whitespace().collect();
    words
        .windows(3)
        .find(|w| w[0] == key && w[1] == "=")
        .map(|w| w[2].to_string())
        .unwrap_or_else(|| panic!("no `{key} = …` in `{line}`"))
}

/// The theory line for `p` (the `p = …` lines).
fn theory(out: &Run, p: &str) -> String {
    let rows: Vec<&str> = out.facts("p").into_iter().filter(|v| v.split_whitespace().next() == Some(p)).collect();
    assert_eq!(rows.len(), 1, "one theory line for p = {p}\n{}", out.dump());
    format!("p = {}", rows[0])
}

#[test]
fn theory_matches_the_formulas() {
    let out = run(BIN, &["--work", "40", "--max-workers", "2", "--repeats", "1"]).success();
    // The translation of §1.6 says 9; 1 / 0.1 = 10.
    assert_eq!(out.fact("amdahl_limit"), "10");
    assert_eq!(field(&theory(&out, "2"), "amdahl"), "1.818182");
    assert_eq!(field(&theory(&out, "4"), "amdahl"), "3.076923");
    assert_eq!(field(&theory(&out, "8"), "amdahl"), "4.705882");
    assert_eq!(field(&theory(&out, "4"), "gustafson"), "3.700000");
    assert_eq!(field(&theory(&out, "inf"), "amdahl"), "10.000000");
}

#[test]
fn measured_lines_are_present_and_positive() {
    let out = run(BIN, &["--work", "40", "--max-workers", "3", "--repeats", "1"]).success();
    let measured = out.facts("measured_p");
    let ps: Vec<&str> = measured.iter().map(|v| v.split_whitespace().next().unwrap()).collect();
    assert_eq!(ps, ["1", "2", "3"], "{}", out.dump());
    for v in measured {
        let line = format!("measured_p = {v}");
        for key in ["time_s", "speedup", "efficiency", "predicted"] {
            let x: f64 = field(&line, key).parse().unwrap();
            assert!(x > 0.0 && x.is_finite(), "{key} = {x} in `{line}`");
        }
    }
    out.fact_as::<u64>("checksum");
}

#[test]
fn other_fractions_change_the_limit() {
    let out = run(BIN, &["--serial-fraction", "0.25", "--work", "8", "--max-workers", "1", "--repeats", "1"]).success();
    assert_eq!(out.fact("amdahl_limit"), "4");
    assert_eq!(field(&theory(&out, "4"), "amdahl"), "2.285714");
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--serial-fraction", "1.5"]).status(2);
    assert!(out.stderr.contains("--serial-fraction"), "{}", out.dump());
    run(BIN, &["--max-workers", "0"]).status(2);
    run(BIN, &["--work", "lots"]).status(2);
}

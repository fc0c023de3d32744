//! `intro_amdahl`: the theoretical values of Amdahl's and Gustafson's laws, worked
//! out by hand; the measured table has a row per pool size, with the prediction
//! of the law beside it, and one checksum for every size. Measured times and
//! speed-ups are not asserted.

use cookbook_support::testing::{Run, run};
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_intro_amdahl");

/// A field of the theory record for `p` (the `p = …` lines).
fn theory(out: &Run, p: &str, key: &str) -> String {
    let rows: Vec<_> = out.records("p").into_iter().filter(|r| r.get("p") == Some(p)).collect();
    assert_run_eq!(out, rows.len(), 1, "one theory line for p = {p}");
    out.field(&rows[0], key)
}

#[test]
fn theory_matches_the_formulas() {
    let out = run(BIN, &["--work", "40", "--max-workers", "2", "--repeats", "1"]).success();
    // The translation of §1.6 says 9; 1 / 0.1 = 10.
    assert_run_eq!(out, out.fact("amdahl_limit"), "10");
    assert_run_eq!(out, theory(&out, "2", "amdahl"), "1.818182");
    assert_run_eq!(out, theory(&out, "4", "amdahl"), "3.076923");
    assert_run_eq!(out, theory(&out, "8", "amdahl"), "4.705882");
    assert_run_eq!(out, theory(&out, "4", "efficiency"), "0.769231");
    assert_run_eq!(out, theory(&out, "4", "gustafson"), "3.700000");
    assert_run_eq!(out, theory(&out, "inf", "amdahl"), "10.000000");
    assert_run_eq!(out, theory(&out, "inf", "efficiency"), "0.000000");
    assert_run!(out, out.stdout.contains("the Chinese translation of §1.6 says 9"), "the book's slip is named");
    // 10 % of 40 units run on one thread.
    assert_run!(
        out,
        out.stdout.contains("Measured: 40 units of work, 4 on one thread and 36 shared out over p threads")
    );
}

#[test]
fn measured_rows_for_each_pool_size() {
    let out = run(BIN, &["--work", "40", "--max-workers", "3", "--repeats", "2"]).success();
    let rows = out.records("measured_p");
    let ps: Vec<usize> = rows.iter().map(|r| out.field(r, "measured_p")).collect();
    assert_run_eq!(out, ps, [1, 2, 3]);
    for r in &rows {
        let p: f64 = out.field(r, "measured_p");
        let predicted: f64 = out.field(r, "predicted");
        let expected = 1.0 / (0.1 + 0.9 / p);
        assert_run!(out, (predicted - expected).abs() < 1e-6, "p = {p}: predicted {predicted}, not {expected}");
        for key in ["time_s", "speedup", "efficiency"] {
            let x: f64 = out.field(r, key);
            assert_run!(out, x > 0.0 && x.is_finite(), "{key} = {x} at p = {p}");
        }
    }
    assert_run_eq!(out, out.field::<f64>(&rows[0], "speedup"), 1.0, "p = 1 is the baseline");
    out.fact_as::<u64>("checksum");
    // A pool larger than the machine is pointed out, and only then.
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    for p in 1..=3 {
        let note = format!("(p = {p}: more threads than the {cpus} CPUs)");
        assert_run_eq!(out, out.stdout.contains(&note), p > cpus, "p = {p} on {cpus} CPUs");
    }
}

#[test]
fn other_fractions_change_the_limit() {
    let out = run(BIN, &["--serial-fraction", "0.25", "--work", "8", "--max-workers", "1", "--repeats", "1"]).success();
    assert_run_eq!(out, out.fact("amdahl_limit"), "4");
    assert_run_eq!(out, theory(&out, "4", "amdahl"), "2.285714");
    assert_run!(out, !out.stdout.contains("says 9"), "the note on the translation is for f = 0.1 only");
    assert_run!(out, out.stdout.contains("Measured: 8 units of work, 2 on one thread and 6 shared out"));
    let none_serial = run(BIN, &["--serial-fraction", "0", "--work", "8", "--max-workers", "1", "--repeats", "1"]);
    let none_serial = none_serial.success();
    assert_run_eq!(none_serial, none_serial.fact("amdahl_limit"), "inf");
    assert_run_eq!(none_serial, theory(&none_serial, "64", "amdahl"), "64.000000");
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--serial-fraction", "1.5"]).status(2);
    assert_run!(out, out.stderr.contains("--serial-fraction"));
    for args in [
        &["--serial-fraction", "NaN"][..],
        &["--serial-fraction", "-0.1"],
        &["--max-workers", "0"],
        &["--max-workers", "257"],
        &["--work", "lots"],
        &["--work", "100001"],
        &["--repeats", "0"],
        &["--delay-scale", "1"],
    ] {
        run(BIN, args).status(2);
    }
}

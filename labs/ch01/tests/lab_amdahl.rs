//! Exercise `ch01-amdahl`, the measured run: `lab_amdahl` runs under the time limit
//! and process-group guard of `cookbook_support::testing`. The test checks what the
//! run computes, never how long it took: the same result on every line (and the
//! serial result), the prediction that the printed serial fraction gives, and the
//! implied fraction that the printed speed-up gives.

use cookbook_support::testing::run;
use cookbook_support::{assert_run, assert_run_eq};
use lab_ch01::workload::Job;

const BIN: &str = env!("CARGO_BIN_EXE_lab_amdahl");

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch01-amdahl` runs it")]
fn the_run_sets_prediction_beside_measurement() {
    let args = ["--serial-units", "3000", "--parallel-units", "30000", "--max-threads", "3", "--repeats", "1"];
    let out = run(BIN, &args).success();
    let job = Job { serial: 3_000, parallel: 30_000 };
    let f: f64 = out.fact_as("serial_fraction");
    assert_run!(out, (0.0..=1.0).contains(&f), "serial_fraction = {f} is not between 0 and 1");
    assert_run_eq!(out, out.fact_as::<u64>("result"), job.run_serially(), "the job's result");

    let rows = out.records("threads");
    let threads: Vec<usize> = rows.iter().map(|r| out.field(r, "threads")).collect();
    assert_run_eq!(out, threads, [1, 2, 3], "one line per thread count");
    for row in &rows {
        let p: usize = out.field(row, "threads");
        assert_run_eq!(out, out.field::<u64>(row, "result"), job.run_serially(), "the result on {p} threads");
        // Amdahl's law for the printed f (both printed with 6 decimals).
        let predicted: f64 = out.field(row, "predicted");
        let amdahl = 1.0 / (f + (1.0 - f) / p as f64);
        assert_run!(out, (predicted - amdahl).abs() < 1e-4, "{p} threads: predicted = {predicted}, Amdahl {amdahl}");
        let measured: f64 = out.field(row, "measured");
        assert_run!(out, measured > 0.0 && measured.is_finite(), "{p} threads: measured = {measured}");
        if p == 1 {
            assert_run_eq!(out, measured, 1.0, "one thread against itself");
            assert_run_eq!(out, row.get("implied_f"), Some("-"), "one thread implies no fraction");
        } else {
            let implied: f64 = out.field(row, "implied_f");
            let p = p as f64;
            let want = (1.0 / measured - 1.0 / p) / (1.0 - 1.0 / p);
            assert_run!(out, (implied - want).abs() < 1e-4, "{p} threads: implied_f = {implied}, the law gives {want}");
        }
    }
}

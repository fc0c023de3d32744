//! `intro_task_mapping`: every strategy runs every task exactly once and gets the
//! same checksum; the static mapping gives each worker its fixed block, the
//! dynamic ones share the tasks out as they go. Times and imbalance are not
//! asserted.

use cookbook_support::testing::{Run, run};
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_intro_task_mapping");

/// The tasks each worker ran under `strategy`, in worker order.
fn loads(out: &Run, strategy: &str) -> Vec<usize> {
    let rows = out.records("worker");
    rows.iter().filter(|r| r.get("strategy") == Some(strategy)).map(|r| out.field(r, "tasks")).collect()
}

#[test]
fn every_strategy_runs_every_task_once() {
    let out = run(BIN, &["--seed", "7", "--workers", "3", "--unit-cost", "1"]).success();
    let totals = out.records("strategy");
    let names: Vec<String> = totals.iter().map(|r| out.field(r, "strategy")).collect();
    assert_run_eq!(out, names, ["static", "manager", "rayon"]);
    let checksums: Vec<u64> = totals.iter().map(|r| out.field(r, "checksum")).collect();
    assert_run!(out, checksums.iter().all(|c| *c == checksums[0]), "checksums differ: {checksums:?}");
    for r in &totals {
        assert_run_eq!(out, out.field::<usize>(r, "tasks_done"), 1000);
    }
    // Static: the blocks of 334, 334 and 332 tasks, fixed before anything runs.
    assert_run_eq!(out, loads(&out, "static"), [334, 334, 332]);
    for strategy in ["manager", "rayon"] {
        let load = loads(&out, strategy);
        assert_run_eq!(out, load.len(), 3, "{strategy}: one line per worker");
        assert_run_eq!(out, load.iter().sum::<usize>(), 1000, "{strategy}: the loads add up");
    }
}

#[test]
fn more_workers_than_tasks_still_works() {
    let out = run(BIN, &["--seed", "1", "--tasks", "3", "--workers", "8", "--unit-cost", "1"]).success();
    let totals = out.records("strategy");
    assert_run_eq!(out, totals.len(), 3);
    assert_run!(out, totals.iter().all(|r| out.field::<usize>(r, "tasks_done") == 3));
    assert_run_eq!(out, loads(&out, "static"), [1, 1, 1, 0, 0, 0, 0, 0]);
}

#[test]
fn the_seed_fixes_the_tasks() {
    let args = |seed: &'static str, workers: &'static str| {
        ["--seed", seed, "--tasks", "200", "--workers", workers, "--unit-cost", "1", "--heavy-every", "5"]
    };
    let a = run(BIN, &args("5", "2")).success();
    let b = run(BIN, &args("5", "1")).success();
    let c = run(BIN, &args("6", "2")).success();
    let checksum = |out: &Run| out.field::<u64>(&out.records("strategy")[0], "checksum");
    assert_run_eq!(b, checksum(&a), checksum(&b), "same seed, same tasks, whatever the workers");
    assert_run!(c, checksum(&a) != checksum(&c), "another seed draws other tasks");
    let header = |out: &Run| out.lines()[0].rsplit_once(", ").map(|(tasks, _)| tasks.to_string());
    assert_run_eq!(b, header(&a), header(&b));
}

#[test]
fn heavy_tasks_are_one_in_heavy_every_and_gather_at_the_end() {
    let out =
        run(BIN, &["--seed", "3", "--tasks", "10000", "--workers", "2", "--unit-cost", "1", "--heavy-every", "10"])
            .success();
    let r = &out.records("heavy")[0];
    let (heavy, late): (usize, usize) = (out.field(r, "heavy"), out.field(r, "in_second_half"));
    // 1000 expected (a binomial count: ± 30 is one standard deviation), three
    // quarters of them in the second half, where the chance of being heavy grows.
    assert_run!(out, (880..=1120).contains(&heavy), "{heavy} heavy tasks, not about 1000");
    assert_run!(out, (late as f64 / heavy as f64 - 0.75).abs() < 0.05, "{late} of {heavy} in the second half");
    assert_run!(out, out.lines()[0].starts_with(&format!("10000 tasks ({heavy} heavy, 50× the others), ")));
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--workers", "0"]).status(2);
    assert_run!(out, out.stderr.contains("--workers"));
    for args in [
        &["--tasks", "-5"][..],
        &["--tasks", "100001"],
        &["--unit-cost", "18446744073709551615"],
        &["--unit-cost", "101"],
        &["--heavy-every", "0"],
        &["--delay-scale", "0"],
    ] {
        let out = run(BIN, args).status(2);
        assert_run!(out, !out.stderr.contains("panicked"));
    }
}

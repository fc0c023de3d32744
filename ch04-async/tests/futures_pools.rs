//! `futures_pools`: the three phases compute the same results; the sequential
//! one prints them in order, the pools as they complete; the process pool's work
//! is done by other processes, each of which got work.

use cookbook_support::testing::{Run, run};
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_futures_pools");

/// The numbers printed one per line before `<label> execution in`, for each of
/// the three phases.
fn printed(out: &Run) -> Vec<Vec<u64>> {
    let mut phases = vec![Vec::new()];
    for line in out.lines() {
        if let Ok(n) = line.trim().parse::<u64>() {
            phases.last_mut().unwrap().push(n);
        } else if line.contains(" execution in ") {
            phases.push(Vec::new());
        }
    }
    phases.pop();
    phases
}

fn assert_phases(out: &Run, iterations: u64, numbers: u64) {
    let expected: Vec<u64> = (1..=numbers).map(|n| n * iterations).collect();
    let phases = out.records("phase");
    let names: Vec<String> = phases.iter().map(|r| out.field(r, "phase")).collect();
    assert_run_eq!(out, names, ["sequential", "threads", "processes"]);
    let list = expected.iter().map(u64::to_string).collect::<Vec<_>>().join(",");
    for r in &phases {
        assert_run_eq!(out, out.field::<String>(r, "results"), list);
    }
    let printed = printed(out);
    assert_run_eq!(out, printed.len(), 3);
    // The loop prints in order; the pools print what they were given, each once.
    assert_run_eq!(out, printed[0], expected);
    for pool in &printed[1..] {
        let mut sorted = pool.clone();
        sorted.sort_unstable();
        assert_run_eq!(out, sorted, expected);
    }
}

#[test]
fn every_phase_computes_every_result() {
    let out = run(BIN, &["--iterations", "20000"]).success();
    assert_phases(&out, 20_000, 10);
    for label in ["Sequential execution in ", "Thread pool execution in ", "Process pool execution in "] {
        out.line_index(label);
    }
    // The comparison with the book's printed times.
    for book in ["7.94 s", "7.63 s", "4.79 s"] {
        assert_run!(out, out.stdout.contains(book), "the book's {book} is missing");
    }
}

#[test]
fn the_process_pool_runs_in_other_processes() {
    let out = run(BIN, &["--iterations", "1000", "--workers", "3"]).success();
    assert_phases(&out, 1000, 10);
    let me: u32 = out.fact_as("pid");
    let pids: Vec<u32> = out.fact("worker_pids").split(',').map(|p| p.parse().unwrap()).collect();
    // Each of the three workers got a first number, so three processes answered.
    let mut distinct = pids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_run_eq!(out, distinct.len(), 3);
    assert_run!(out, !pids.contains(&me), "the parent did the pool's work");
}

#[test]
fn fewer_numbers_than_workers() {
    let out = run(BIN, &["--iterations", "10", "--numbers", "2", "--workers", "5"]).success();
    assert_phases(&out, 10, 2);
    assert_run_eq!(out, out.fact("worker_pids").split(',').count(), 2);
    let out = run(BIN, &["--iterations", "1", "--numbers", "1", "--workers", "1"]).success();
    assert_phases(&out, 1, 1);
}

#[test]
fn bad_input_is_refused() {
    run(BIN, &["--iterations", "0"]).status(2);
    run(BIN, &["--iterations", "1000000001"]).status(2);
    run(BIN, &["--workers", "0"]).status(2);
    run(BIN, &["--workers", "65"]).status(2);
    run(BIN, &["--numbers", "1001"]).status(2);
    run(BIN, &["--delay-scale", "0.1"]).status(2);
    // A worker started with a bad argument refuses it too, and the parent's
    // hidden role is not a way in: an unknown role is an error.
    run(BIN, &["__child", "pool-worker", "--iterations", "0"]).status(2);
    run(BIN, &["__child", "nobody"]).status(1);
}

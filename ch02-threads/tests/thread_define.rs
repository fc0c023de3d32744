//! `thread_define`: in the book's loop each thread is joined before the next one is
//! started, so no thread ever has another beside it and the lines come out 0…n−1;
//! with `--concurrent`, thread i is started while threads 0…i−1 are still unjoined,
//! and every number appears once, in an order not asserted.

use cookbook_support::testing::{Run, run};
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_thread_define");

/// The numbers of the `function called by thread i` lines, in output order.
fn called(out: &Run) -> Vec<usize> {
    out.lines()
        .iter()
        .filter_map(|l| l.strip_prefix("function called by thread "))
        .map(|n| n.parse().unwrap_or_else(|_| panic!("no thread number in {n:?}\n{}", out.dump())))
        .collect()
}

/// `alongside` of each `thread = i alongside = k` record, checking that the
/// records are numbered 0, 1, 2….
fn alongside(out: &Run) -> Vec<usize> {
    let records = out.records("thread");
    for (i, r) in records.iter().enumerate() {
        assert_run_eq!(out, out.field::<usize>(r, "thread"), i);
    }
    records.iter().map(|r| out.field(r, "alongside")).collect()
}

#[test]
fn book_loop_runs_one_thread_at_a_time() {
    let out = run(BIN, &[]).success();
    // Enforced by the joins: thread i is over before thread i + 1 is started.
    assert_run_eq!(out, alongside(&out), vec![0; 5]);
    assert_run_eq!(out, out.fact("most_alongside"), "0");
    assert_run_eq!(out, called(&out), vec![0, 1, 2, 3, 4]);
}

#[test]
fn concurrent_starts_every_thread_before_joining_any() {
    let out = run(BIN, &["--threads", "10", "--concurrent"]).success();
    // Enforced by the loop: when thread i starts, threads 0…i−1 are unjoined.
    assert_run_eq!(out, alongside(&out), (0..10).collect::<Vec<_>>());
    assert_run_eq!(out, out.fact("most_alongside"), "9");
    let mut seen = called(&out);
    seen.sort_unstable();
    assert_run_eq!(out, seen, (0..10).collect::<Vec<_>>());
}

#[test]
fn bad_thread_count_is_refused() {
    let out = run(BIN, &["--threads", "0"]).status(2);
    assert_run!(out, out.stderr.contains("--threads"));
    run(BIN, &["--threads", "five"]).status(2);
    run(BIN, &["--threads", "1001"]).status(2);
}

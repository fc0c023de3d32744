//! `thread_define`: the book's start-then-join loop prints 0…n−1 in order; with
//! `--concurrent` every number appears exactly once, in an order not asserted.

use cookbook_support::testing::run;

const BIN: &str = env!("CARGO_BIN_EXE_thread_define");

fn thread_numbers(lines: &[&str]) -> Vec<usize> {
    lines
        .iter()
        .map(|l| {
            l.strip_prefix("function called by thread ")
                .unwrap_or_else(|| panic!("unexpected line {l:?}"))
                .parse()
                .unwrap_or_else(|_| panic!("no thread number in {l:?}"))
        })
        .collect()
}

#[test]
fn book_loop_is_sequential() {
    let out = run(BIN, &[]).success();
    assert_eq!(thread_numbers(&out.lines()), vec![0, 1, 2, 3, 4], "{}", out.dump());
}

#[test]
fn concurrent_runs_every_thread_once() {
    let out = run(BIN, &["--threads", "10", "--concurrent"]).success();
    let mut seen = thread_numbers(&out.lines());
    seen.sort_unstable();
    assert_eq!(seen, (0..10).collect::<Vec<_>>(), "{}", out.dump());
}

#[test]
fn bad_thread_count_is_refused() {
    let out = run(BIN, &["--threads", "0"]).status(2);
    assert!(out.stderr.contains("--threads"), "{}", out.dump());
    run(BIN, &["--threads", "five"]).status(2);
}

//! `async_futures`: each future's callback prints the coroutine's result, in the
//! order the futures complete, which the delays decide; bad arguments exit 2.

use cookbook_support::testing::{Run, run};
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_async_futures");

const FIRST: &str = "first coroutine (sum of N integers) result = ";
const SECOND: &str = "second coroutine (factorial) result = ";

/// The results printed by the callbacks, in the order printed.
fn results(out: &Run) -> Vec<(&'static str, String)> {
    out.lines()
        .iter()
        .filter_map(|l| {
            l.strip_prefix(FIRST)
                .map(|v| ("first", v.to_string()))
                .or_else(|| l.strip_prefix(SECOND).map(|v| ("second", v.to_string())))
        })
        .collect()
}

fn pair(a: &'static str, x: &str, b: &'static str, y: &str) -> Vec<(&'static str, String)> {
    vec![(a, x.to_string()), (b, y.to_string())]
}

#[test]
fn the_first_future_completes_first() {
    let out = run(BIN, &["4", "4", "--paused-clock"]).success();
    assert_run_eq!(out, results(&out), pair("first", "10", "second", "24"));
    // 3 s and 4 s waited together.
    assert_run_eq!(out, out.fact("elapsed_virtual_ms"), "4000");
}

#[test]
fn swapped_delays_swap_the_order() {
    let out = run(BIN, &["4", "4", "--paused-clock", "--swap-delays"]).success();
    assert_run_eq!(out, results(&out), pair("second", "24", "first", "10"));
    assert_run_eq!(out, out.fact("elapsed_virtual_ms"), "4000");
}

#[test]
fn the_book_runs() {
    // The 1st edition's four runs, on the real clock (the order is not asserted
    // there: it is the delays', not the program's).
    for (n, sum, fact) in [("1", "1", "1"), ("2", "3", "2"), ("3", "6", "6"), ("4", "10", "24")] {
        let out = run(BIN, &[n, n, "--delay-scale", "0.002"]).success();
        let mut got = results(&out);
        got.sort();
        assert_run_eq!(out, got, pair("first", sum, "second", fact));
    }
}

#[test]
fn the_largest_values_fit() {
    let out = run(BIN, &["10000000", "34", "--paused-clock"]).success();
    assert_run_eq!(
        out,
        results(&out),
        pair("first", "50000005000000", "second", "295232799039604140847618609643520000000")
    );
    let out = run(BIN, &["0", "0", "--paused-clock"]).success();
    assert_run_eq!(out, results(&out), pair("first", "0", "second", "1"));
}

#[test]
fn bad_input_is_refused() {
    for args in [&["x", "3"][..], &["3", "35"], &["3"], &[], &["-1", "3"], &["3", "4", "5"], &["10000001", "1"]] {
        let out = run(BIN, args).status(2);
        assert_run!(out, out.stderr.contains("error"), "no message for {args:?}");
    }
    run(BIN, &["3", "3", "--delay-scale", "1e9"]).status(2);
}

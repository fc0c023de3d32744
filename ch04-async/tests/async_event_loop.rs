//! `async_event_loop`: the callbacks run in the cycle 1 → 2 → 3 one second apart
//! until the end time, on the library loop and on tokio alike; a callback that
//! blocks delays every callback after it by the time it blocked.

use cookbook_support::testing::{Run, run};
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_async_event_loop");

/// The `(name, at_ms, blocked_ms)` of each `call = N …` record, checking that the
/// calls are numbered 1, 2, 3….
fn calls(out: &Run) -> Vec<(String, u64, u64)> {
    out.records("call")
        .iter()
        .enumerate()
        .map(|(i, r)| {
            assert_run_eq!(out, out.field::<usize>(r, "call"), i + 1);
            let blocked = r.get("blocked_ms").map_or(0, |_| out.field(r, "blocked_ms"));
            (out.field(r, "name"), out.field(r, "at_ms"), blocked)
        })
        .collect()
}

/// The book's output: function_1, function_2, function_3, three times, a second
/// apart, then the loop stops at 8 s (9 s minus the last second).
fn assert_book_cycle(out: &Run) {
    let called: Vec<&str> = out.lines().into_iter().filter(|l| l.ends_with(" called")).collect();
    let expected: Vec<String> = (0..9).map(|i| format!("function_{} called", i % 3 + 1)).collect();
    assert_run_eq!(out, called, expected);
    let calls = calls(out);
    for (i, (name, at, _)) in calls.iter().enumerate() {
        assert_run_eq!(out, name, &format!("function_{}", i % 3 + 1));
        assert_run_eq!(out, *at, 1000 * i as u64, "call {} is not {i} s after the first", i + 1);
    }
    assert_run_eq!(out, out.fact("calls"), "9");
    assert_run_eq!(out, out.fact("stopped_at_ms"), "8000");
}

#[test]
fn the_library_loop_runs_the_book_cycle() {
    let out = run(BIN, &["--virtual-clock"]).success();
    assert_book_cycle(&out);
}

#[test]
fn one_tokio_task_runs_the_same_cycle() {
    let out = run(BIN, &["--runtime", "tokio", "--paused-clock"]).success();
    assert_book_cycle(&out);
}

#[test]
fn the_end_time_decides_the_number_of_calls() {
    // end = 4 s: calls at 0, 1, 2, 3 (3 + 1 < 4 is false, so the 4th stops it).
    for runtime in [["--runtime", "library", "--virtual-clock"], ["--runtime", "tokio", "--paused-clock"]] {
        let mut args = runtime.to_vec();
        args.extend(["--run-for", "4"]);
        let out = run(BIN, &args).success();
        assert_run_eq!(out, out.fact("calls"), "4");
        assert_run_eq!(out, out.fact("stopped_at_ms"), "3000");
    }
    // A loop that may not run at all still runs function_1 once, then stops.
    let out = run(BIN, &["--virtual-clock", "--run-for", "0"]).success();
    assert_run_eq!(out, out.fact("calls"), "1");
}

#[test]
fn a_blocking_callback_delays_the_next_one() {
    // The 2nd edition: each task blocks 0–5 s; on the loop's clock the next call
    // comes one second after the blocking one *returned*, never one second after
    // it started.
    let out = run(BIN, &["--variant", "second", "--virtual-clock", "--seed", "11", "--run-for", "60"]).success();
    let calls = calls(&out);
    assert_run!(out, calls.len() >= 10, "60 s of calls that block at most 5 s make at least 10 calls");
    let names = ["task_A", "task_B", "task_C"];
    for (i, pair) in calls.windows(2).enumerate() {
        let ((name, at, blocked), (_, next_at, _)) = (&pair[0], &pair[1]);
        assert_run_eq!(out, name, names[i % 3]);
        assert_run!(out, *blocked <= 5000);
        assert_run_eq!(out, *next_at, at + blocked + 1000, "call {} did not wait for call {}", i + 2, i + 1);
    }
    assert_run!(out, calls.iter().any(|c| c.2 > 0), "no call blocked at all");
    // The last call found less than a second left and stopped the loop.
    let (_, at, blocked) = calls.last().unwrap();
    assert_run!(out, at + blocked + 1000 >= 60_000);
    assert_run_eq!(out, out.fact_as::<u64>("stopped_at_ms"), at + blocked);
}

#[test]
fn the_same_seed_blocks_the_same_way() {
    let args = ["--variant", "second", "--virtual-clock", "--seed", "3", "--run-for", "30"];
    let a = run(BIN, &args).success();
    let b = run(BIN, &args).success();
    assert_run_eq!(a, calls(&a), calls(&b));
}

#[test]
fn the_real_clock_keeps_the_cycle() {
    // On the real clock, timings are the machine's, but the order is the loop's.
    let out = run(BIN, &["--delay-scale", "0.01"]).success();
    let called: Vec<&str> = out.lines().into_iter().filter(|l| l.ends_with(" called")).collect();
    assert_run!(out, !called.is_empty() && called.len() <= 9);
    for (i, line) in called.iter().enumerate() {
        assert_run_eq!(out, *line, format!("function_{} called", i % 3 + 1));
    }
}

#[test]
fn bad_input_is_refused() {
    run(BIN, &["--variant", "third"]).status(2);
    run(BIN, &["--runtime", "asyncio"]).status(2);
    run(BIN, &["--run-for", "-1"]).status(2);
    run(BIN, &["--run-for", "3601"]).status(2);
    run(BIN, &["--delay-scale", "1e9"]).status(2);
    let out = run(BIN, &["--runtime", "tokio", "--virtual-clock"]).status(2);
    assert_run!(out, out.stderr.contains("--paused-clock"));
    run(BIN, &["--paused-clock"]).status(2);
}

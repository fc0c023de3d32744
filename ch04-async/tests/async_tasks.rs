//! `async_tasks`: the three tasks compute the book's results, each in its own
//! order of steps; on the paused clock they overlap (10 s, not 29 s), and a
//! cancelled coroutine's clean-up runs, after exactly the steps its deadline allows.

use cookbook_support::testing::{Run, run};
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_async_tasks");

/// The `i` of every `Asyncio.Task: Compute NAME(i)` line, in order.
fn steps(out: &Run, name: &str) -> Vec<u64> {
    let prefix = format!("Asyncio.Task: Compute {name}(");
    out.lines()
        .iter()
        .filter_map(|l| l.strip_prefix(prefix.as_str()))
        .map(|rest| rest.trim_end_matches(')').parse().unwrap_or_else(|_| panic!("bad step {rest:?}\n{}", out.dump())))
        .collect()
}

fn assert_book_results(out: &Run) {
    assert_run_eq!(out, out.fact("factorial"), "3628800");
    assert_run_eq!(out, out.fact("fibonacci"), "55");
    assert_run_eq!(out, out.fact("binomial"), "184756");
    assert_run_eq!(out, steps(out, "factorial"), (2..=10).collect::<Vec<_>>());
    assert_run_eq!(out, steps(out, "fibonacci"), (0..10).collect::<Vec<_>>());
    assert_run_eq!(out, steps(out, "binomialCoeff"), (1..=10).collect::<Vec<_>>());
    let computes = out.lines().iter().filter(|l| l.starts_with("Asyncio.Task: Compute ")).count();
    assert_run_eq!(out, computes, 29);
    // Each task prints its result after its own last step.
    for (last, result) in [
        ("Compute factorial(10)", "factorial(10) = 3628800"),
        ("Compute fibonacci(9)", "fibonacci(10) = 55"),
        ("Compute binomialCoeff(10)", "binomialCoeff(20, 10) = 184756"),
    ] {
        assert_run!(out, out.line_index(last) < out.line_index(result), "{result} before {last}");
    }
}

#[test]
fn the_tasks_compute_the_book_results_and_overlap() {
    let out = run(BIN, &["--paused-clock"]).success();
    assert_book_results(&out);
    // Ten rounds of one second: the longest task's waits, not the sum of all.
    assert_run_eq!(out, out.fact("elapsed_virtual_ms"), "10000");
    // While one task waits, the others run: the first steps of all three come
    // before anyone's second step.
    let second_steps = ["Compute factorial(3)", "Compute fibonacci(1)", "Compute binomialCoeff(2)"];
    let first_of_all =
        ["Compute factorial(2)", "Compute fibonacci(0)", "Compute binomialCoeff(1)"].map(|l| out.line_index(l));
    for later in second_steps {
        assert_run!(out, first_of_all.iter().all(|&i| i < out.line_index(later)));
    }
}

#[test]
fn awaited_one_after_another_the_waits_add_up() {
    let out = run(BIN, &["--paused-clock", "--sequential"]).success();
    assert_book_results(&out);
    assert_run_eq!(out, out.fact("elapsed_virtual_ms"), "29000");
    // Each coroutine ends before the next begins.
    assert_run!(out, out.line_index("factorial(10) = 3628800") < out.line_index("Compute fibonacci(0)"));
    assert_run!(out, out.line_index("fibonacci(10) = 55") < out.line_index("Compute binomialCoeff(1)"));
}

#[test]
fn the_tasks_also_run_on_the_real_clock() {
    let out = run(BIN, &["--delay-scale", "0.005"]).success();
    assert_book_results(&out);
}

#[test]
fn a_cancelled_coroutine_runs_its_clean_up() {
    let out = run(BIN, &["--paused-clock", "--cancellation"]).success();
    // Deadlines at 2.5, 3.5 and 4.5 seconds of one-second steps: the clean-up of
    // each coroutine runs, and reports the steps that fit before its deadline.
    let cleanups: Vec<(String, u32)> =
        out.records("cleanup").iter().map(|r| (out.field(r, "cleanup"), out.field(r, "steps_done"))).collect();
    assert_run_eq!(
        out,
        cleanups,
        [("factorial".to_string(), 2), ("fibonacci".to_string(), 3), ("binomial".to_string(), 4)]
    );
    let stopped: Vec<(String, String)> =
        out.records("stopped").iter().map(|r| (out.field(r, "stopped"), out.field(r, "how"))).collect();
    assert_run_eq!(
        out,
        stopped,
        [
            ("factorial".to_string(), "timeout".to_string()),
            ("fibonacci".to_string(), "abort".to_string()),
            ("binomial".to_string(), "select".to_string())
        ]
    );
    // The clean-up has run by the time the caller learns of the cancellation,
    // and no cancelled coroutine printed a result.
    for name in ["factorial", "fibonacci", "binomial"] {
        let cleanup = out.line_index(&format!("cleanup = {name} "));
        let reported = out.line_index(&format!("stopped = {name} "));
        assert_run!(out, cleanup < reported, "{name}: the cancellation was reported before its clean-up ran");
    }
    assert_run!(out, !out.stdout.contains(" = 3628800") && !out.stdout.contains(" = 55"));
    assert_run_eq!(out, steps(&out, "factorial"), [2, 3, 4]);
    assert_run_eq!(out, out.fact("elapsed_virtual_ms"), "10500");
}

#[test]
fn bad_input_is_refused() {
    run(BIN, &["--sequential", "--cancellation"]).status(2);
    run(BIN, &["--delay-scale", "-1"]).status(2);
    run(BIN, &["--delay-scale", "101"]).status(2);
    run(BIN, &["--seed", "1"]).status(2);
}

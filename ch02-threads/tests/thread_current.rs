//! `thread_current`: six lines, one Starting and one Exiting per thread name,
//! Starting first. The order between threads is not asserted.

use cookbook_support::testing::run;
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_thread_current");

/// Asserts the six lines and returns the three names, in start order.
fn check_six_lines(lines: &[&str]) -> Vec<String> {
    assert_eq!(lines.len(), 6, "expected 6 lines, got {lines:#?}");
    let mut names = Vec::new();
    for line in lines {
        if let Some(name) = line.strip_suffix(" is Starting") {
            names.push(name.to_string());
        }
    }
    assert_eq!(names.len(), 3, "expected 3 Starting lines: {lines:#?}");
    for name in &names {
        let starting = format!("{name} is Starting");
        let exiting = format!("{name} is Exiting");
        let s = positions(lines, &starting);
        let e = positions(lines, &exiting);
        assert_eq!(s.len(), 1, "one `{starting}`: {lines:#?}");
        assert_eq!(e.len(), 1, "one `{exiting}`: {lines:#?}");
        assert!(s[0] < e[0], "`{name}` exits before it starts: {lines:#?}");
    }
    names
}

/// Indices of the lines equal to `wanted`.
fn positions(lines: &[&str], wanted: &str) -> Vec<usize> {
    lines.iter().enumerate().filter(|(_, l)| **l == wanted).map(|(i, _)| i).collect()
}

#[test]
fn three_named_threads_start_then_exit() {
    let out = run(BIN, &["--delay-scale", "0.01"]).success();
    let mut names = check_six_lines(&out.lines());
    names.sort();
    assert_run_eq!(out, names, ["first_function", "second_function", "third_function"]);
}

#[test]
fn second_edition_names() {
    let out = run(BIN, &["--delay-scale", "0.01", "--names", "abc"]).success();
    let mut names = check_six_lines(&out.lines());
    names.sort();
    assert_run_eq!(out, names, ["function_A", "function_B", "function_C"]);
}

#[test]
fn unnamed_third_thread_shows_its_id() {
    let out = run(BIN, &["--delay-scale", "0.01", "--unnamed-third"]).success();
    let names = check_six_lines(&out.lines());
    assert_run!(out, names.iter().any(|n| n == "first_function"));
    assert_run!(out, names.iter().any(|n| n == "second_function"));
    assert_run!(out, !names.iter().any(|n| n == "third_function"));
    assert_run!(out, names.iter().any(|n| n.starts_with("<unnamed ThreadId(")));
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--names", "xyz"]).status(2);
    assert_run!(out, out.stderr.contains("--names"));
    run(BIN, &["--delay-scale", "-1"]).status(2);
    // A sleep too long for a Duration once panicked; it is refused when parsed.
    run(BIN, &["--delay-scale", "1e300"]).status(2);
}

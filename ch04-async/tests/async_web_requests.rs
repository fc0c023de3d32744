//! `async_web_requests`: every mode fetches every page, each answer names its
//! page; one request at a time is one at a time, and the limit bounds what is in
//! flight at once, as the server itself counts; a page that answers too late is
//! reported as a timeout.

use std::collections::BTreeMap;

use cookbook_support::testing::{Run, run};
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_async_web_requests");
const MODES: [&str; 3] = ["sequential", "threads", "async"];

/// The `mode = …` summary of each mode: `(ok, timeouts, failed, max_concurrent)`.
fn tallies(out: &Run) -> BTreeMap<String, (usize, usize, usize, usize)> {
    out.records("mode")
        .iter()
        .map(|r| {
            let counts =
                (out.field(r, "ok"), out.field(r, "timeouts"), out.field(r, "failed"), out.field(r, "max_concurrent"));
            (out.field(r, "mode"), counts)
        })
        .collect()
}

/// Every `get = PATH mode = M status = S [title = T]` record of mode `m`.
fn gets(out: &Run, m: &str) -> Vec<(String, String, Option<String>)> {
    out.records("get")
        .iter()
        .filter(|r| r.get("mode") == Some(m))
        .map(|r| (out.field(r, "get"), out.field(r, "status"), r.get("title").map(str::to_string)))
        .collect()
}

fn assert_every_page(out: &Run, urls: usize) {
    for m in MODES {
        let mut got: Vec<String> = gets(out, m)
            .into_iter()
            .filter(|(_, status, _)| status == "200")
            .map(|(path, _, title)| {
                assert_run_eq!(
                    out,
                    title.as_deref(),
                    Some(path.as_str()),
                    "{m}: the answer to {path} names another page"
                );
                path
            })
            .collect();
        got.sort_by_key(|p| p[1..].parse::<usize>().unwrap_or(usize::MAX));
        let expected: Vec<String> = (0..urls).map(|k| format!("/{k}")).collect();
        assert_run_eq!(out, got, expected, "{m} did not fetch every page once");
    }
}

#[test]
fn every_mode_fetches_every_page_and_only_sequential_waits_alone() {
    let out = run(BIN, &["--urls", "4", "--latency", "0.5"]).success();
    assert_every_page(&out, 4);
    let t = tallies(&out);
    assert_run_eq!(out, t.keys().cloned().collect::<Vec<_>>(), ["async", "sequential", "threads"]);
    assert_run_eq!(out, t["sequential"], (4, 0, 0, 1));
    // Threads and tasks wait together: the server saw several at once (four
    // requests started within half a second of each other), never more than four.
    for m in ["threads", "async"] {
        let (ok, timeouts, failed, max) = t[m];
        assert_run_eq!(out, (ok, timeouts, failed), (4, 0, 0));
        assert_run!(out, (2..=4).contains(&max), "{m}: max_concurrent = {max}");
    }
}

#[test]
fn the_limit_bounds_the_requests_in_flight() {
    let out = run(BIN, &["--urls", "12", "--latency", "0.05", "--limit", "3", "--mode", "threads,async"]).success();
    let t = tallies(&out);
    assert_run_eq!(out, t.len(), 2);
    for m in ["threads", "async"] {
        let (ok, _, _, max) = t[m];
        assert_run_eq!(out, ok, 12);
        assert_run!(out, max <= 3, "{m}: {max} requests in flight with --limit 3");
    }
    // A limit of one is the sequential mode again.
    let out = run(BIN, &["--urls", "5", "--latency", "0.01", "--limit", "1", "--mode", "async"]).success();
    assert_run_eq!(out, tallies(&out)["async"], (5, 0, 0, 1));
}

#[test]
fn a_page_that_answers_too_late_is_a_timeout() {
    let out = run(BIN, &["--urls", "3", "--latency", "0.02", "--with-timeout", "--timeout", "0.3"]).success();
    assert_every_page(&out, 3);
    let t = tallies(&out);
    for m in MODES {
        let (ok, timeouts, failed, _) = t[m];
        assert_run_eq!(out, (ok, timeouts, failed), (3, 1, 0), "{m}");
        let slow: Vec<_> = gets(&out, m).into_iter().filter(|(p, _, _)| p == "/slow").collect();
        assert_run_eq!(out, slow, [("/slow".to_string(), "timeout".to_string(), None)], "{m}");
    }
}

#[test]
fn bad_input_is_refused() {
    run(BIN, &["--urls", "0"]).status(2);
    run(BIN, &["--urls", "1001"]).status(2);
    run(BIN, &["--limit", "0"]).status(2);
    run(BIN, &["--latency", "61"]).status(2);
    run(BIN, &["--latency", "-0.1"]).status(2);
    run(BIN, &["--timeout", "0"]).status(2);
    run(BIN, &["--timeout", "NaN"]).status(2);
    run(BIN, &["--mode", "processes"]).status(2);
    run(BIN, &["--delay-scale", "0.1"]).status(2);
}

//! Exercise `ch04-fetcher`: every page is fetched once, never more than `limit`
//! requests are in flight (as the server itself counts them), and a page slower
//! than the timeout is given up, its connection closed.
//! `cookbook lab check ch04-fetcher` runs these.

mod common;

use std::time::Duration;

use ch04_async::web::{SLOW_PATH, Server};
use lab_ch04::fetcher::{FetchError, Page, fetch_all};

fn paths(n: usize) -> Vec<String> {
    (0..n).map(|k| format!("/{k}")).collect()
}

/// Fetch `paths` from a fresh server with `latency`; the results, sorted by path,
/// and the most requests the server saw at once.
fn fetch(
    latency: Duration,
    paths: Vec<String>,
    limit: usize,
    timeout: Duration,
) -> (Vec<(String, Result<Page, FetchError>)>, Server) {
    let server = Server::start(latency, Duration::from_secs(30)).expect("the loopback server");
    let addr = server.addr();
    let mut results =
        common::run(false, "fetch_all", move || async move { fetch_all(addr, &paths, limit, timeout).await });
    results.sort_by(|a, b| a.0.cmp(&b.0));
    (results, server)
}

fn assert_every_page_once(results: &[(String, Result<Page, FetchError>)], paths: &[String]) {
    let mut got: Vec<&str> = results.iter().map(|(p, _)| p.as_str()).collect();
    got.sort_unstable();
    let mut want: Vec<&str> = paths.iter().map(String::as_str).collect();
    want.sort_unstable();
    assert_eq!(got, want, "fetch_all must return one entry per path");
    for (path, result) in results {
        match result {
            Ok(page) => assert_eq!(
                (page.status, page.title.as_str()),
                (200, path.as_str()),
                "the answer to {path} is not its page"
            ),
            Err(e) => panic!("{path} failed: {e}"),
        }
    }
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch04-fetcher` runs it")]
fn every_page_is_fetched_once() {
    let (results, server) = fetch(Duration::from_millis(20), paths(12), 4, Duration::from_secs(10));
    assert_every_page_once(&results, &paths(12));
    assert_eq!(server.served(), 12, "the server answered {} requests for 12 pages", server.served());
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch04-fetcher` runs it")]
fn no_more_than_limit_requests_are_in_flight() {
    // Each answer takes 0.3 s: twelve requests with room for three at a time
    // overlap, and the server sees how many at once.
    let (results, server) = fetch(Duration::from_millis(300), paths(12), 3, Duration::from_secs(10));
    assert_every_page_once(&results, &paths(12));
    let most = server.max_concurrent();
    assert!(most <= 3, "the server saw {most} requests in flight at once, with a limit of 3");
    assert!(most >= 2, "the server never saw two requests at once: fetch_all fetched one page after another");
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch04-fetcher` runs it")]
fn a_limit_of_one_is_one_at_a_time() {
    let (results, server) = fetch(Duration::from_millis(10), paths(5), 1, Duration::from_secs(10));
    assert_every_page_once(&results, &paths(5));
    let most = server.max_concurrent();
    assert_eq!(most, 1, "the server saw {most} requests in flight at once, with a limit of 1");
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch04-fetcher` runs it")]
fn a_slow_page_times_out_and_its_request_is_cancelled() {
    // /slow answers after 30 s; the timeout is 0.2 s. fetch_all must not wait for
    // it (the test's time limit is 20 s), must report it as a timeout, and must
    // close its connection: the server sees the client hang up.
    let mut all = paths(4);
    all.push(SLOW_PATH.to_string());
    let (results, server) = fetch(Duration::from_millis(10), all, 2, Duration::from_millis(200));
    let (slow, pages): (Vec<_>, Vec<_>) = results.into_iter().partition(|(p, _)| p == SLOW_PATH);
    assert_every_page_once(&pages, &paths(4));
    assert!(
        matches!(slow.as_slice(), [(_, Err(FetchError::Timeout))]),
        "{SLOW_PATH} must come back once, as Err(FetchError::Timeout): {slow:?}"
    );
    assert!(
        server.reset(Duration::from_secs(5)),
        "the server still serves {SLOW_PATH} after fetch_all returned: its request was not cancelled"
    );
}

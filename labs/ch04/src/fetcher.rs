//! Exercise `ch04-fetcher`: fetch many pages, at most `limit` at a time.
//!
//! Read first: the recipe `async_web_requests`, and `async_tasks` for timeouts
//! and cancellation.
//!
//! Write `fetch_all`: fetch every path from the server at `addr` with
//! `ch04_async::web::get`, concurrently, but with never more than `limit` requests
//! in flight, and give each request at most `timeout`: a request that takes longer
//! is cancelled (its future dropped, which closes its socket) and reported as
//! `Err(FetchError::Timeout)`. Return one entry per path, in any order.
//!
//! The tools: `tokio::spawn` (or a `tokio::task::JoinSet`) for the tasks, an
//! `Arc<tokio::sync::Semaphore>` for the bound, `tokio::time::timeout` for the
//! time limit. The tests count, on the server, how many requests are in flight.

use std::net::SocketAddr;
use std::time::Duration;

pub use ch04_async::web::{FetchError, Page};

/// Fetch every path, at most `limit` at a time, each within `timeout`.
pub async fn fetch_all(
    addr: SocketAddr,
    paths: &[String],
    limit: usize,
    timeout: Duration,
) -> Vec<(String, Result<Page, FetchError>)> {
    todo!("one task per path; each holds a semaphore permit while its request, under a timeout, is in flight")
}

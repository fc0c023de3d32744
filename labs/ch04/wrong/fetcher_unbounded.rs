//! WRONG ON PURPOSE, a test fixture (feature `wrong-fetcher-unbounded`): a fetcher
//! that starts every request at once. Every page arrives, the timeouts work, and
//! the server is flooded: `limit` is ignored. `tests/fetcher.rs` must reject it.

use std::net::SocketAddr;
use std::time::Duration;

pub use ch04_async::web::{FetchError, Page};
use tokio::task::JoinSet;

/// Fetch every path at once, each within `timeout` (and `limit` forgotten).
pub async fn fetch_all(
    addr: SocketAddr,
    paths: &[String],
    limit: usize,
    timeout: Duration,
) -> Vec<(String, Result<Page, FetchError>)> {
    let _ = limit;
    let mut tasks = JoinSet::new();
    for path in paths.iter().cloned() {
        tasks.spawn(async move {
            let fetched = match tokio::time::timeout(timeout, ch04_async::web::get(addr, &path)).await {
                Ok(result) => result.map_err(FetchError::from),
                Err(_) => Err(FetchError::Timeout),
            };
            (path, fetched)
        });
    }
    let mut done = Vec::new();
    while let Some(Ok(entry)) = tasks.join_next().await {
        done.push(entry);
    }
    done
}

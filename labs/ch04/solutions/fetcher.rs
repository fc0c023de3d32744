//! Solution of exercise `ch04-fetcher`: one task per path, a semaphore for the
//! bound, a timeout around each request.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub use ch04_async::web::{FetchError, Page};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

// ANCHOR: solution
/// Fetch every path, at most `limit` at a time, each within `timeout`.
pub async fn fetch_all(
    addr: SocketAddr,
    paths: &[String],
    limit: usize,
    timeout: Duration,
) -> Vec<(String, Result<Page, FetchError>)> {
    let permits = Arc::new(Semaphore::new(limit.max(1)));
    let mut tasks = JoinSet::new();
    for path in paths.iter().cloned() {
        let permits = Arc::clone(&permits);
        tasks.spawn(async move {
            // Wait for a permit before connecting; it is given back when dropped.
            let Ok(_permit) = permits.acquire_owned().await else {
                return (path, Err(FetchError::Io(std::io::Error::other("the semaphore was closed"))));
            };
            let fetched = match tokio::time::timeout(timeout, ch04_async::web::get(addr, &path)).await {
                Ok(result) => result.map_err(FetchError::from),
                // The request's future was dropped: its socket is closed.
                Err(_elapsed) => Err(FetchError::Timeout),
            };
            (path, fetched)
        });
    }
    let mut done = Vec::with_capacity(paths.len());
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(entry) => done.push(entry),
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
    done
}
// ANCHOR_END: solution

//! Exercise `ch04-limiter`: an async rate limiter.
//!
//! Read first: the recipe `async_tasks` (1st edition §4.5), for tasks and tokio's
//! sleeps, and `--paused-clock`, which the tests use.
//!
//! A crawler that may send a server at most N requests per second calls
//! `limiter.acquire().await` before each request. Write `acquire`: it returns when
//! the caller may go. Callers are let through evenly spaced, one every
//! `1 / per_second` seconds: the first at once, each next one at the first free
//! slot after the one before, and a caller that comes after a quiet spell goes at
//! once (no burst is saved up). Many tasks may wait in `acquire` at the same time.
//!
//! Two things to keep in mind: a `std::sync::Mutex` may guard the state, but its
//! guard must not be held across an `.await`; and `tokio::time::Instant` and
//! `sleep_until` are what the paused clock moves.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Lets at most `per_second` callers through per second, evenly spaced.
pub struct RateLimiter {
    /// The time between two callers.
    interval: Duration,
    /// When the next caller may go: `None` before the first call.
    next: Mutex<Option<Instant>>,
}

impl RateLimiter {
    /// A limiter of `per_second` callers per second (0 is taken as 1).
    pub fn new(per_second: u32) -> RateLimiter {
        RateLimiter { interval: Duration::from_secs(1) / per_second.max(1), next: Mutex::new(None) }
    }

    /// Wait until this caller may go.
    pub async fn acquire(&self) {
        todo!("take the next free slot under the lock, then sleep until it, without the lock")
    }
}

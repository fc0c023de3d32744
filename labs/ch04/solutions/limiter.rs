//! Solution of exercise `ch04-limiter`: each caller books the next free slot
//! under a lock, then sleeps until it without the lock.

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

    // ANCHOR: solution
    /// Wait until this caller may go.
    pub async fn acquire(&self) {
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            // A slot in the past is no use: after a quiet spell, go now.
            let slot = next.map_or(now, |n| n.max(now));
            *next = Some(slot + self.interval);
            slot
        }; // the guard is dropped here, before the await
        tokio::time::sleep_until(slot).await;
    }
    // ANCHOR_END: solution
}

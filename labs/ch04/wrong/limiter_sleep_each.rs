//! WRONG ON PURPOSE, a test fixture (feature `wrong-limiter-sleep-each`): a rate
//! limiter whose every caller sleeps one interval. One caller at a time is paced
//! right, but callers that wait together all wake together, and the first one
//! waits for nothing. `tests/limiter.rs` must reject it.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Sleeps one interval in every caller.
pub struct RateLimiter {
    interval: Duration,
    next: Mutex<Option<Instant>>,
}

impl RateLimiter {
    pub fn new(per_second: u32) -> RateLimiter {
        RateLimiter { interval: Duration::from_secs(1) / per_second.max(1), next: Mutex::new(None) }
    }

    pub async fn acquire(&self) {
        let _ = &self.next;
        tokio::time::sleep(self.interval).await;
    }
}

//! What the lab's threaded tests share: a time limit for a test body.

#![allow(dead_code)]

use std::sync::mpsc;
use std::time::Duration;

/// The time limit of a test that waits for threads.
pub const LIMIT: Duration = Duration::from_secs(20);

/// Run `body` on a thread of its own and wait at most [`LIMIT`] for it.
///
/// A body that panics fails the test with its own message. A body that is still
/// running at the limit fails the test with a message that says so: some thread
/// waits for ever (a lost wake-up or a deadlock). That thread is left behind; it
/// ends with the test process.
pub fn within<T: Send + 'static>(what: &str, body: impl FnOnce() -> T + Send + 'static) -> T {
    cookbook_support::testing::within(LIMIT, what, body)
}

/// Whether `rx` stays silent for `quiet`: used to see that a thread is blocked.
pub fn stays_blocked<T>(rx: &mpsc::Receiver<T>, quiet: Duration) -> bool {
    matches!(rx.recv_timeout(quiet), Err(mpsc::RecvTimeoutError::Timeout))
}

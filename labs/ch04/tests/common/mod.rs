//! What the lab's tests share: a runtime, and a time limit for a test body.

#![allow(dead_code)]

use std::future::Future;
use std::time::Duration;

/// The real-time limit of a test.
pub const LIMIT: Duration = Duration::from_secs(20);

/// Run `body` to its end on a `current_thread` runtime (its clock paused when
/// `paused`), on a thread of its own, and wait at most [`LIMIT`] for it.
///
/// A body that panics fails the test with its own message. A body that is still
/// running at the limit fails the test with a message that says so (a task that
/// waits for ever, or a thread blocked on a lock held across an `.await`); that
/// thread is left behind, and ends with the test process. On the paused clock a
/// body that only waits for timers costs no real time, and one that waits for
/// nothing at all fails after an hour of virtual time, at once.
pub fn run<T, F>(paused: bool, what: &str, body: impl FnOnce() -> F + Send + 'static) -> T
where
    T: Send + 'static,
    F: Future<Output = T>,
{
    let what_owned = what.to_string();
    cookbook_support::testing::within(LIMIT, what, move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(paused)
            .build()
            .expect("a tokio runtime");
        rt.block_on(async {
            match tokio::time::timeout(Duration::from_secs(3600), body()).await {
                Ok(value) => value,
                Err(_) => {
                    panic!("{what_owned} still waits after an hour: some task waits for something that never comes")
                }
            }
        })
    })
}

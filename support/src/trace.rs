//! Timelines: `--trace FILE` records what each thread and process of a run did.
//!
//! (Being written: the recording, the children's parts and the merge. The API
//! below is what recipes use.)
//!
//! A recipe adds a span per event of its lesson, one line each, with the
//! `tracing` crate. The span's *name* is its kind, which the timeline colours:
//!
//! | name | when | fields |
//! | --- | --- | --- |
//! | `run` | a worker's whole run (a thread, a task, a rank) | `worker` |
//! | `wait` | blocked on a lock, semaphore, condition, event, barrier or queue item | `on` |
//! | `hold` | holding a lock | `lock` |
//! | `sleep` | a sleep of the book's listing ([`sleep`] records it) | |
//! | `child` | a child process, from spawn to exit ([`crate::child`] records it) | `pid` |
//!
//! ```
//! let _run = tracing::info_span!("run", worker = 1).entered();
//! {
//!     let _wait = tracing::info_span!("wait", on = "lock").entered();
//!     // let guard = lock.lock().unwrap();
//! }
//! ```

use std::path::Path;
use std::time::Duration;

/// A recording in progress; dropping it writes the trace.
#[derive(Debug, Default)]
pub struct Session {
    _private: (),
}

/// Start recording to `path`, or nothing at all when `None`.
pub fn start(path: Option<&Path>) -> Session {
    let _ = path;
    Session::default()
}

/// In a child process: start recording this process's part of its parent's trace,
/// when the parent is recording.
pub fn start_child() -> Option<Session> {
    None
}

/// Sleep `d`, recorded as a `sleep` span.
pub fn sleep(d: Duration) {
    let _span = tracing::info_span!("sleep").entered();
    std::thread::sleep(d);
}

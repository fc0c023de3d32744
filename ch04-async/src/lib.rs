//! Chapter 4: asynchronous programming.
//!
//! The building blocks the chapter teaches, each documented and unit-tested:
//!
//! - [`event_loop`]: asyncio's callback loop (`call_soon`, `call_later`, `time`,
//!   `stop`, `run_forever`), written by hand, on a real or a virtual clock;
//! - [`clock`]: the `current_thread` runtime of the tokio recipes, and
//!   `--paused-clock`;
//! - [`pools`]: the thread pool and the process pool of `concurrent.futures`, and
//!   the busy work of 1st edition §4.2;
//! - [`web`]: a loopback HTTP server that answers after a latency, and blocking
//!   and async clients for it.

pub mod clock;
pub mod event_loop;
pub mod pools;
pub mod web;

//! Lab of chapter 4, "Wait well".
//!
//! Two exercises, in order (`cookbook lab 4` prints them):
//!
//! 1. `ch04-limiter`: [`limiter`], an async rate limiter that lets N callers
//!    through per second (test `limiter`, on tokio's paused clock);
//! 2. `ch04-fetcher`: [`fetcher`], fetch many pages with at most K requests in
//!    flight, giving up on each after a timeout (test `fetcher`, against the
//!    chapter's loopback server).
//!
//! You edit the files in `src/`. The cargo features choose what is compiled
//! instead, for CI and teachers: `solution` takes `solutions/`, and `solution`
//! with one `wrong-*` feature swaps one exercise for a known-wrong variant from
//! `wrong/`, which its tests must reject.

// The starters leave their arguments and fields unused until they are solved.
#![cfg_attr(not(feature = "solution"), allow(dead_code, unused_variables, unused_imports))]

#[cfg(all(not(feature = "solution"), any(feature = "wrong-limiter-sleep-each", feature = "wrong-fetcher-unbounded")))]
compile_error!("a `wrong-*` feature replaces one solution: enable `solution` with it");

#[cfg_attr(all(feature = "solution", not(feature = "wrong-limiter-sleep-each")), path = "../solutions/limiter.rs")]
#[cfg_attr(feature = "wrong-limiter-sleep-each", path = "../wrong/limiter_sleep_each.rs")]
pub mod limiter;

#[cfg_attr(all(feature = "solution", not(feature = "wrong-fetcher-unbounded")), path = "../solutions/fetcher.rs")]
#[cfg_attr(feature = "wrong-fetcher-unbounded", path = "../wrong/fetcher_unbounded.rs")]
pub mod fetcher;

//! Lab of chapter 2, "Build the primitives".
//!
//! Three exercises, in order (`cookbook lab 2` prints them):
//!
//! 1. `ch02-semaphore`: [`semaphore`], a counting semaphore from a `Mutex` and a
//!    `Condvar` (tests `semaphore` and, with loom, `loom_semaphore`);
//! 2. `ch02-queue`: [`queue`], a bounded blocking queue (tests `queue` and
//!    `loom_queue`);
//! 3. `ch02-counter`: [`counter`], a racy counter to fix (test `counter`).
//!
//! You edit the files in `src/`. The cargo features choose what is compiled
//! instead, for CI and teachers: `solution` takes `solutions/`, and `solution`
//! with one `wrong-*` feature swaps one exercise for a known-wrong variant from
//! `wrong/`, which its tests must reject.

// The starters leave their arguments and fields unused until they are solved.
#![cfg_attr(not(feature = "solution"), allow(dead_code, unused_variables))]

#[cfg(all(
    not(feature = "solution"),
    any(feature = "wrong-semaphore-if", feature = "wrong-queue-notify-first", feature = "wrong-counter-split-lock")
))]
compile_error!("a `wrong-*` feature replaces one solution: enable `solution` with it");

/// `std::sync`'s types, or loom's under `--cfg loom` (from chapter 2's library).
pub use ch02_threads::sync;

#[cfg_attr(all(feature = "solution", not(feature = "wrong-semaphore-if")), path = "../solutions/semaphore.rs")]
#[cfg_attr(feature = "wrong-semaphore-if", path = "../wrong/semaphore_if.rs")]
pub mod semaphore;

#[cfg_attr(all(feature = "solution", not(feature = "wrong-queue-notify-first")), path = "../solutions/queue.rs")]
#[cfg_attr(feature = "wrong-queue-notify-first", path = "../wrong/queue_notify_first.rs")]
pub mod queue;

#[cfg_attr(all(feature = "solution", not(feature = "wrong-counter-split-lock")), path = "../solutions/counter.rs")]
#[cfg_attr(feature = "wrong-counter-split-lock", path = "../wrong/counter_split_lock.rs")]
pub mod counter;

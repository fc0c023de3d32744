//! Chapter 2: thread-based parallelism.
//!
//! The building blocks the chapter teaches, each documented and unit-tested; the
//! hand-built primitives are also model-checked with `loom` (`tests/loom*.rs`):
//!
//! - [`sync`]: `std::sync` or, under `--cfg loom`, loom's model-checked twins;
//! - [`semaphore`]: a counting semaphore built from `Mutex` + `Condvar`;
//! - [`event`]: Python's `threading.Event`, with a generation counter;
//! - [`rwlock`]: the readers-preference lock of the readers–writers recipe;
//! - [`perf`]: the four workloads of 1st edition §2.13, shared with the benches.

pub mod event;
pub mod perf;
pub mod rwlock;
pub mod semaphore;
pub mod sync;

//! The synchronisation types the hand-built primitives are made of.
//!
//! Normally these are `std`'s. Built with `RUSTFLAGS="--cfg loom"`, they are loom's
//! instrumented twins, so the loom tests can explore every interleaving of the
//! primitives within loom's bounds.

#[cfg(loom)]
pub use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
#[cfg(loom)]
pub use loom::sync::{Arc, Condvar, Mutex, MutexGuard};

#[cfg(not(loom))]
pub use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
#[cfg(not(loom))]
pub use std::sync::{Arc, Condvar, Mutex, MutexGuard};

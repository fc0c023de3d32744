//! # The `with` statement — and Rust's guards
//!
//! **Book:** 1st edition §2.11 *Using the with statement* (「2.11 使用with语法」;
//! printed edition「使用with语句」). Not in the 2nd edition.
//!
//! **Run:** `cargo run --bin thread_with_statement` (or `cookbook run 2.11`).
//!
//! ## What it shows
//!
//! Python's `with lock:` takes a lock and gives it back when the block ends, even
//! when the block raises: it is shorthand for `acquire()` followed by a
//! `try: … finally: release()`. The book tries both forms on the four objects of
//! `threading` that have `acquire()` and `release()`: `Lock`, `RLock`, `Condition`
//! and `Semaphore`. For each, one thread uses `with`, another the explicit form.
//!
//! In Rust, taking a lock returns a **guard**, and the lock is given back when the
//! guard is dropped. So there is no separate `with`: every lock works like one.
//! The recipe shows the two ways a guard ends:
//!
//! - **"via with"**: the guard lives in a block `{ let _guard = x.lock(); … }` and
//!   is dropped at the closing brace (the `with` form);
//! - **"directly"**: the guard is a named variable, and `drop(guard)` gives the
//!   lock back at a chosen point (the `acquire()` / `release()` form).
//!
//! | Python (`threading`) | Rust | lock call → guard |
//! | --- | --- | --- |
//! | `Lock()` | `std::sync::Mutex<()>` | `lock()` → `MutexGuard` |
//! | `RLock()` | `parking_lot::ReentrantMutex<()>` | `lock()` → `ReentrantMutexGuard` |
//! | `Condition()` | `std::sync::Condvar` + its `Mutex` | `lock()` of the mutex |
//! | `Semaphore(1)` | `ch02_threads::semaphore::Semaphore::new(1)` | `permit()` → `Permit` |
//!
//! ## Python → Rust
//!
//! - A release cannot be forgotten: there is no `release()` to call, only a guard
//!   to drop, and the compiler drops it at the end of its scope at the latest. A
//!   panic drops it too, as `finally:` would.
//! - A `std::sync::Mutex` whose holder panicked is *poisoned*: the next `lock()`
//!   returns an error that says the data may be half-updated. Python has no such
//!   notion. Nothing panics here, so the recipe takes the guard either way
//!   (`unwrap_or_else(PoisonError::into_inner)`).
//! - A Rust `Condvar` has no lock of its own: it is always used with a `Mutex`, and
//!   `with condition:` becomes locking that mutex.
//! - Python names threads `Thread-1`, `Thread-2`, … by itself; a Rust thread has no
//!   name unless it is given one, here with `thread::Builder::name`. The log lines
//!   use the format of the book's `logging` call, `(%(threadName)-10s) %(message)s`:
//!   the name left-aligned in 10 columns.
//!
//! ## Output
//!
//! Eight log lines, two per primitive, `(Thread-1  ) Mutex acquired via with` and
//! so on: the odd-numbered thread of each pair uses the scoped guard, the
//! even-numbered one drops it explicitly. Within a pair the two threads run at the
//! same time, so either line may come first; the pairs run one after the other.

use std::sync::{Condvar, Mutex, PoisonError};
use std::thread;

use ch02_threads::semaphore::Semaphore;
use clap::Parser;
use parking_lot::ReentrantMutex;

/// Take Lock, RLock, Condition and Semaphore "via with" and "directly" — in Rust,
/// a guard dropped at the end of its scope or by `drop` (1st edition §2.11).
#[derive(Parser)]
#[command(name = "thread_with_statement")]
struct Args {}

/// The book's `logging.debug` with `(%(threadName)-10s) %(message)s`.
fn log(message: &str) {
    let current = thread::current();
    let name = current.name().unwrap_or("<unnamed>");
    println!("({name:<10}) {message}");
}

/// What the four primitives have in common: something that hands out a guard.
/// (Python's common ground is the pair of methods `acquire()`/`release()`.)
trait Acquire: Sync {
    /// Holding it means holding the primitive; dropping it gives it back.
    type Guard<'a>
    where
        Self: 'a;
    /// The name printed in the log.
    const NAME: &'static str;
    fn acquire(&self) -> Self::Guard<'_>;
}

impl Acquire for Mutex<()> {
    type Guard<'a> = std::sync::MutexGuard<'a, ()>;
    const NAME: &'static str = "Mutex";
    fn acquire(&self) -> Self::Guard<'_> {
        self.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Acquire for ReentrantMutex<()> {
    type Guard<'a> = parking_lot::ReentrantMutexGuard<'a, ()>;
    const NAME: &'static str = "ReentrantMutex";
    fn acquire(&self) -> Self::Guard<'_> {
        self.lock()
    }
}

/// A condition variable and the mutex it is used with: Python's `Condition` holds
/// its own lock, a Rust `Condvar` is always paired with a `Mutex`, and
/// `with condition:` is locking that mutex. (No thread waits on the `Condvar` here.)
impl Acquire for (Mutex<()>, Condvar) {
    type Guard<'a> = std::sync::MutexGuard<'a, ()>;
    const NAME: &'static str = "Condvar";
    fn acquire(&self) -> Self::Guard<'_> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Acquire for Semaphore {
    type Guard<'a> = ch02_threads::semaphore::Permit<'a>;
    const NAME: &'static str = "Semaphore(1)";
    fn acquire(&self) -> Self::Guard<'_> {
        self.permit()
    }
}

/// The book's `threading_with`: the guard lives until the end of the block.
fn threading_with<P: Acquire>(primitive: &P) {
    {
        let _guard = primitive.acquire();
        log(&format!("{} acquired via with", P::NAME));
    } // `_guard` is dropped here: the primitive is released
}

/// The book's `threading_not_with`: acquire, then release by hand.
fn threading_not_with<P: Acquire>(primitive: &P) {
    let guard = primitive.acquire();
    log(&format!("{} acquired directly", P::NAME));
    drop(guard); // the `release()`; forgetting it would only move it to the end of the function
}

/// Start the two threads on one primitive, named `Thread-<first>` and
/// `Thread-<first + 1>`, and join both.
fn run_pair<P: Acquire>(primitive: &P, first: usize) {
    thread::scope(|s| {
        let t1 = thread::Builder::new()
            .name(format!("Thread-{first}"))
            .spawn_scoped(s, || threading_with(primitive))
            .expect("cannot start a thread");
        let t2 = thread::Builder::new()
            .name(format!("Thread-{}", first + 1))
            .spawn_scoped(s, || threading_not_with(primitive))
            .expect("cannot start a thread");
        t1.join().expect("Thread-with panicked");
        t2.join().expect("Thread-not-with panicked");
    });
}

fn main() {
    Args::parse();

    // The book's "test battery".
    let lock = Mutex::new(());
    let rlock = ReentrantMutex::new(());
    let condition = (Mutex::new(()), Condvar::new());
    let mutex = Semaphore::new(1);

    // The book loops over a list of the four; they are four different types here,
    // so the loop is unrolled, one generic call per primitive.
    run_pair(&lock, 1);
    run_pair(&rlock, 3);
    run_pair(&condition, 5);
    run_pair(&mutex, 7);
}

//! # The `with` statement, and Rust's guards
//!
//! **Book:** 1st edition §2.11 *Using the with statement* (「2.11 使用with语法」;
//! printed edition「使用with语句」). Not in the 2nd edition.
//!
//! **Run:** `cargo run --bin thread_with_statement` (or `cookbook run 2.11`).
//!
//! The book takes Lock, RLock, Condition and Semaphore with `with` in one thread
//! and with `acquire()`/`release()` in another. In Rust every lock hands out a
//! guard that releases it when dropped: at the end of its block (the `with` form)
//! or at an explicit `drop` (the `release()` form).

use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Barrier, Condvar, Mutex, PoisonError};
use std::thread;

use ch02_threads::semaphore::Semaphore;
use clap::Parser;
use cookbook_support::{Status, Trace, fail};
use parking_lot::ReentrantMutex;

/// Take Lock, RLock, Condition and Semaphore "via with" and "directly"; in Rust, a
/// guard dropped at the end of its scope or by `drop` (1st edition §2.11).
#[derive(Parser)]
#[command(name = "thread_with_statement")]
struct Args {
    #[command(flatten)]
    trace: Trace,
}

// ANCHOR: listing
/// What the four primitives have in common: something that hands out a guard.
/// (Python's common ground is the pair of methods `acquire()`/`release()`.)
trait Acquire: Sync {
    /// Holding it means holding the primitive; dropping it gives it back.
    type Guard<'a>
    where
        Self: 'a;
    /// The name printed in the log.
    const NAME: &'static str;
    /// Take it, waiting while another thread holds it.
    fn take(&self) -> Self::Guard<'_>;
    /// Whether some thread holds it now.
    fn is_held(&self) -> bool;

    /// [`take`](Acquire::take), seen on the timeline as a wait.
    fn acquire(&self) -> Self::Guard<'_> {
        let _wait = tracing::info_span!("wait", on = "lock").entered();
        self.take()
    }
}

impl Acquire for Mutex<()> {
    type Guard<'a> = std::sync::MutexGuard<'a, ()>;
    const NAME: &'static str = "Mutex";
    fn take(&self) -> Self::Guard<'_> {
        // A holder that panicked "poisons" the mutex; the guard is still there.
        self.lock().unwrap_or_else(PoisonError::into_inner)
    }
    fn is_held(&self) -> bool {
        matches!(self.try_lock(), Err(std::sync::TryLockError::WouldBlock))
    }
}

impl Acquire for ReentrantMutex<()> {
    type Guard<'a> = parking_lot::ReentrantMutexGuard<'a, ()>;
    const NAME: &'static str = "ReentrantMutex";
    fn take(&self) -> Self::Guard<'_> {
        self.lock()
    }
    fn is_held(&self) -> bool {
        self.is_locked()
    }
}

/// A condition variable and its mutex: Python's `Condition` holds its own lock, a
/// Rust `Condvar` is always paired with a `Mutex`, and `with condition:` is
/// locking that mutex. (No thread waits on the `Condvar` here.)
impl Acquire for (Mutex<()>, Condvar) {
    type Guard<'a> = std::sync::MutexGuard<'a, ()>;
    const NAME: &'static str = "Condvar";
    fn take(&self) -> Self::Guard<'_> {
        self.0.take()
    }
    fn is_held(&self) -> bool {
        self.0.is_held()
    }
}

impl Acquire for Semaphore {
    type Guard<'a> = ch02_threads::semaphore::Permit<'a>;
    const NAME: &'static str = "Semaphore(1)";
    fn take(&self) -> Self::Guard<'_> {
        self.permit()
    }
    fn is_held(&self) -> bool {
        self.available() == 0
    }
}

/// The book's `threading_with`: the guard lives until the end of the block.
fn threading_with<P: Acquire>(primitive: &P, log: &Log) {
    {
        let _guard = primitive.acquire();
        log.acquired(primitive, "via with");
    } // `_guard` is dropped here: the primitive is released
}

/// The book's `threading_not_with`: acquire, then release by hand.
fn threading_not_with<P: Acquire>(primitive: &P, log: &Log) {
    let guard = primitive.acquire();
    log.acquired(primitive, "directly");
    drop(guard); // the `release()`; without it, the guard would live to the end of the function
}
// ANCHOR_END: listing

/// The book's `logging.debug`, which also counts the lines said while the
/// primitive was held: all of them, if the guards do their job.
#[derive(Default)]
struct Log {
    held: AtomicUsize,
}

impl Log {
    /// `logging.debug('%s acquired …')` with the format `(%(threadName)-10s)
    /// %(message)s`, said while holding `primitive`.
    fn acquired<P: Acquire>(&self, primitive: &P, how: &str) {
        let _hold = tracing::info_span!("hold", lock = P::NAME).entered();
        if primitive.is_held() {
            self.held.fetch_add(1, Ordering::SeqCst);
        }
        let current = thread::current();
        println!("({:<10}) {} acquired {how}", current.name().unwrap_or("<unnamed>"), P::NAME);
    }
}

/// Start the two threads on one primitive, named `Thread-<first>` and
/// `Thread-<first + 1>`, and join both. They meet at a barrier first, so that
/// both reach for the primitive at the same moment.
fn run_pair<P: Acquire>(primitive: &P, first: usize) -> Result<(), String> {
    let log = Log::default();
    let start = Barrier::new(2);
    thread::scope(|s| {
        let spawn = |k: usize, f: fn(&P, &Log)| {
            let (log, start) = (&log, &start);
            thread::Builder::new()
                .name(format!("Thread-{k}"))
                .spawn_scoped(s, move || {
                    let _run = tracing::info_span!("run", worker = k).entered();
                    start.wait();
                    f(primitive, log)
                })
                .map_err(|e| format!("cannot start Thread-{k}: {e}"))
        };
        let t1 = spawn(first, threading_with::<P>)?;
        let t2 = match spawn(first + 1, threading_not_with::<P>) {
            Ok(t) => t,
            Err(e) => {
                // Thread-<first> waits at the barrier for its partner: end here.
                eprintln!("thread_with_statement: {e}");
                std::process::exit(Status::Failure.code());
            }
        };
        let panicked = [t1.join().is_err(), t2.join().is_err()].into_iter().filter(|p| *p).count();
        if panicked > 0 { Err(format!("{panicked} thread(s) on {} panicked", P::NAME)) } else { Ok(()) }
    })?;
    let held = log.held.into_inner();
    let released = !primitive.is_held();
    println!("primitive = {} held = {held} released = {released}", P::NAME);
    if held != 2 || !released {
        return Err(format!("{}: a guard was not held while its thread logged, or was never released", P::NAME));
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = Args::parse();
    let _session = args.trace.start();

    // The book's "test battery".
    let lock = Mutex::new(());
    let rlock = ReentrantMutex::new(());
    let condition = (Mutex::new(()), Condvar::new());
    let mutex = Semaphore::new(1);

    // The book loops over a list of the four; they are four different types here,
    // so the loop is unrolled, one generic call per primitive.
    let battery = run_pair(&lock, 1)
        .and_then(|()| run_pair(&rlock, 3))
        .and_then(|()| run_pair(&condition, 5))
        .and_then(|()| run_pair(&mutex, 7));
    match battery {
        Ok(()) => Status::Success.into(),
        Err(why) => fail(why),
    }
}

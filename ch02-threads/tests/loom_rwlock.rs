//! Model checks of the hand-made readers–writers locks (`ch02_threads::rwlock`),
//! over every interleaving within loom's bounds.
//!
//! Run with:
//! `RUSTFLAGS="--cfg loom" cargo test -p ch02-threads --test loom_rwlock --release --target-dir target/loom`
//!
//! Built with `--cfg loom`, the locks are made of loom's `Mutex` and `Condvar`, and
//! the value they guard sits in loom's `UnsafeCell`, which tracks every access: if a
//! writer's `&mut` could ever exist at the same time as a reader's `&` or another
//! writer's `&mut`, loom reports the two accesses and the test fails. On top of that,
//! the value is a pair that writers keep equal, and readers check they never see it
//! half-written.
#![cfg(loom)]

use ch02_threads::rwlock::{ReaderPrefRwLock, TurnstileRwLock};
use loom::sync::Arc;
use loom::thread;

/// The two locks behind one interface, so each scenario runs on both.
trait Lock: Send + Sync + 'static {
    fn new(value: (u32, u32)) -> Self;
    fn read_pair(&self) -> (u32, u32);
    /// `try_read`, then read as `read_pair` does; `None` when it would have waited.
    fn try_read_pair(&self) -> Option<(u32, u32)>;
    /// Write the first field, let other threads run, write the second.
    fn write_pair(&self);
    fn into_pair(self) -> (u32, u32);
}

macro_rules! impl_lock {
    ($ty:ident) => {
        impl Lock for $ty<(u32, u32)> {
            fn new(value: (u32, u32)) -> Self {
                $ty::new(value)
            }
            fn read_pair(&self) -> (u32, u32) {
                let guard = self.read();
                let first = guard.0;
                thread::yield_now();
                (first, guard.1)
            }
            fn try_read_pair(&self) -> Option<(u32, u32)> {
                let guard = self.try_read()?;
                let first = guard.0;
                thread::yield_now();
                Some((first, guard.1))
            }
            fn write_pair(&self) {
                let mut guard = self.write();
                guard.0 += 1;
                thread::yield_now();
                guard.1 += 1;
            }
            fn into_pair(self) -> (u32, u32) {
                self.into_inner()
            }
        }
    };
}
impl_lock!(ReaderPrefRwLock);
impl_lock!(TurnstileRwLock);

/// One writer against one reader (on the main thread).
fn writer_and_reader<L: Lock>() {
    loom::model(|| {
        let lock = Arc::new(L::new((0, 0)));
        let writer = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || lock.write_pair())
        };
        let (a, b) = lock.read_pair();
        assert_eq!(a, b, "torn read: the reader saw a half-written pair");
        writer.join().unwrap();
        let lock = Arc::try_unwrap(lock).ok().expect("all threads joined");
        assert_eq!(lock.into_pair(), (1, 1));
    });
}

/// Two writers: neither overlaps the other, and no write is lost.
fn two_writers<L: Lock>() {
    loom::model(|| {
        let lock = Arc::new(L::new((0, 0)));
        let other = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || lock.write_pair())
        };
        lock.write_pair();
        other.join().unwrap();
        let lock = Arc::try_unwrap(lock).ok().expect("all threads joined");
        assert_eq!(lock.into_pair(), (2, 2));
    });
}

/// Two readers and a writer: the readers may share the room (the first in locks
/// the writer out, the last out lets it in), and the writer meets neither.
fn two_readers_and_a_writer<L: Lock>() {
    // Three threads and no preemption bound: every interleaving is explored, which
    // takes a few seconds in a release build.
    loom::model(|| {
        let lock = Arc::new(L::new((0, 0)));
        let reader = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || {
                let (a, b) = lock.read_pair();
                assert_eq!(a, b, "torn read");
            })
        };
        let writer = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || lock.write_pair())
        };
        let (a, b) = lock.read_pair();
        assert_eq!(a, b, "torn read");
        reader.join().unwrap();
        writer.join().unwrap();
    });
}

/// A reader that will not wait: it either gets in and sees the whole pair, or is
/// turned away (while the writer is inside or waiting); once the writer is done,
/// it gets in.
fn try_read_against_a_writer<L: Lock>() {
    loom::model(|| {
        let lock = Arc::new(L::new((0, 0)));
        let writer = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || lock.write_pair())
        };
        if let Some((a, b)) = lock.try_read_pair() {
            assert_eq!(a, b, "torn read through try_read");
        }
        writer.join().unwrap();
        assert_eq!(lock.try_read_pair(), Some((1, 1)), "nobody inside, yet try_read failed");
    });
}

#[test]
fn readers_preference_try_read() {
    try_read_against_a_writer::<ReaderPrefRwLock<(u32, u32)>>();
}

#[test]
fn turnstile_try_read() {
    try_read_against_a_writer::<TurnstileRwLock<(u32, u32)>>();
}

#[test]
fn readers_preference_writer_and_reader() {
    writer_and_reader::<ReaderPrefRwLock<(u32, u32)>>();
}

#[test]
fn readers_preference_two_writers() {
    two_writers::<ReaderPrefRwLock<(u32, u32)>>();
}

#[test]
fn readers_preference_two_readers_and_a_writer() {
    two_readers_and_a_writer::<ReaderPrefRwLock<(u32, u32)>>();
}

#[test]
fn turnstile_writer_and_reader() {
    writer_and_reader::<TurnstileRwLock<(u32, u32)>>();
}

#[test]
fn turnstile_two_writers() {
    two_writers::<TurnstileRwLock<(u32, u32)>>();
}

#[test]
fn turnstile_two_readers_and_a_writer() {
    two_readers_and_a_writer::<TurnstileRwLock<(u32, u32)>>();
}

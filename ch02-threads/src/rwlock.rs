//! Readers–writers locks built by hand: the readers-preference lock and its fair
//! "turnstile" variant.
//!
//! Many threads may *read* a shared value at the same time, but a *writer* needs it to
//! itself: no reader and no other writer may be inside while it writes. The classic
//! solution, which the readers–writers recipe (`thread_readers_writers`) shows, needs
//! only a counter and a lock:
//!
//! - the readers keep a count of how many of them are inside, under a small mutex;
//! - a binary lock, the *room*, is held either by one writer or by the readers as a
//!   group: the **first** reader to come in locks the room (so writers are kept out),
//!   and the **last** reader to leave unlocks it (so writers may come in). The
//!   readers in between only touch the count.
//!
//! That is [`ReaderPrefRwLock`]. It has a flaw that is the point of the recipe: a
//! reader is let in whenever other readers are inside, even when a writer has been
//! waiting for a long time. A steady stream of overlapping readers keeps the count
//! above zero, and the writer waits forever (*starvation*), although nothing is
//! deadlocked.
//!
//! [`TurnstileRwLock`] adds one more lock, a *turnstile* that every thread passes
//! through on its way in. A reader passes straight through it (lock, unlock); a
//! writer locks it and keeps it while it waits for the room and while it writes. As
//! soon as a writer is waiting, new readers queue at the turnstile instead of joining
//! the readers inside, so the room empties and the writer gets its turn.
//!
//! Both are made only of [`crate::sync`]'s `Mutex` and `Condvar` (loom's twins under
//! `--cfg loom`, so `tests/loom_rwlock.rs` can check them in every interleaving).
//!
//! ## Python → Rust
//!
//! - In Python the lock and the data it guards are separate objects, and the rule
//!   "take the lock before you touch the data" is a convention. Here the lock *owns*
//!   the value, like `std::sync::RwLock<T>`: [`read`](ReaderPrefRwLock::read) returns
//!   a [`ReadGuard`] that only gives `&T`, [`write`](ReaderPrefRwLock::write) a
//!   [`WriteGuard`] that gives `&mut T`, and dropping a guard releases the lock (the
//!   counterpart of `with lock:`).
//! - The room cannot be a `Mutex`: the thread that unlocks it (the last reader out)
//!   is usually not the one that locked it (the first reader in), and a `MutexGuard`
//!   must stay on the thread that took it. Python's `threading.Lock` may be released
//!   by any thread; the room is that kind of lock, a `bool` under a `Mutex` with a
//!   `Condvar` to wait on (see `Gate` in the source).
//! - The guards hand out plain references to the value, so this module has a few
//!   lines of `unsafe`: the lock's algorithm is what makes them sound, exactly the
//!   property the tests and the loom model check.
//! - Unlike `std::sync::RwLock`, these locks are not *poisoned* when a thread panics
//!   while holding a guard: the guard still releases the lock as the panic unwinds.
//!
//! ```
//! use ch02_threads::rwlock::{ReaderPrefRwLock, TurnstileRwLock};
//!
//! let lock = ReaderPrefRwLock::new(vec![1, 2, 3]);
//! {
//!     let a = lock.read();
//!     let b = lock.read(); // readers share the lock
//!     assert_eq!(a.len() + b.len(), 6);
//! } // both read guards dropped: the last reader lets writers in
//! lock.write().push(4);
//! assert_eq!(*lock.read(), [1, 2, 3, 4]);
//!
//! let fair = TurnstileRwLock::new(0);
//! *fair.write() += 1;
//! assert_eq!(*fair.read(), 1);
//! ```

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::PoisonError;

#[cfg(loom)]
use loom::cell::{ConstPtr, MutPtr, UnsafeCell};

use crate::sync::{Condvar, Mutex, MutexGuard};

#[cfg(not(loom))]
use cell::{ConstPtr, MutPtr, UnsafeCell};

/// Lock one of the small internal mutexes. They are held only for a few instructions
/// that cannot panic, so a poisoned one still holds a valid value (the turnstile is
/// held while the user writes, and holds nothing).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A binary lock that any thread may unlock: Python's `threading.Lock`, made of a
/// `bool` under a `Mutex` and a `Condvar` to wait on while it is taken.
struct Gate {
    locked: Mutex<bool>,
    unlocked: Condvar,
}

impl Gate {
    fn new() -> Self {
        Gate { locked: Mutex::new(false), unlocked: Condvar::new() }
    }

    fn acquire(&self) {
        let mut locked = lock(&self.locked);
        // A loop: a wake-up may be spurious, or another thread may get in first.
        while *locked {
            locked = self.unlocked.wait(locked).unwrap_or_else(PoisonError::into_inner);
        }
        *locked = true;
    }

    /// Take the gate if it is free now; never waits.
    fn try_acquire(&self) -> bool {
        let mut locked = lock(&self.locked);
        !std::mem::replace(&mut *locked, true)
    }

    fn release(&self) {
        *lock(&self.locked) = false;
        self.unlocked.notify_one();
    }
}

/// What both locks share: the count of readers inside, and the room that the
/// readers as a group, or one writer, hold.
struct Room {
    /// How many readers are inside now.
    readers: Mutex<usize>,
    /// Locked by the first reader in (unlocked by the last one out), or by a writer.
    gate: Gate,
}

impl Room {
    fn new() -> Self {
        Room { readers: Mutex::new(0), gate: Gate::new() }
    }

    fn enter_reader(&self) {
        let mut readers = lock(&self.readers);
        *readers += 1;
        if *readers == 1 {
            // The first reader locks the writers out. It waits here, still holding
            // the count, while a writer is inside: the readers that come after it
            // wait on the count, and all of them get in when the writer leaves.
            self.gate.acquire();
        }
    }

    /// Enter as a reader if that needs no waiting: other readers are inside, or
    /// the room is free.
    fn try_enter_reader(&self) -> bool {
        let mut readers = lock(&self.readers);
        if *readers == 0 && !self.gate.try_acquire() {
            return false; // a writer is inside
        }
        *readers += 1;
        true
    }

    fn leave_reader(&self) {
        let mut readers = lock(&self.readers);
        *readers -= 1;
        if *readers == 0 {
            // The last reader out lets the writers in.
            self.gate.release();
        }
    }

    fn enter_writer(&self) {
        self.gate.acquire();
    }

    fn leave_writer(&self) {
        self.gate.release();
    }
}

/// A readers–writers lock that prefers readers: a reader gets in whenever other
/// readers are inside, so writers may starve. See the [module documentation](self).
pub struct ReaderPrefRwLock<T> {
    room: Room,
    data: UnsafeCell<T>,
}

/// A fair readers–writers lock: a waiting writer closes a turnstile in front of new
/// readers, so it gets in as soon as the readers already inside have left. See the
/// [module documentation](self).
pub struct TurnstileRwLock<T> {
    /// Every reader and writer passes through it; a writer holds it from the moment
    /// it asks for the room until it is done writing.
    turnstile: Mutex<()>,
    room: Room,
    data: UnsafeCell<T>,
}

// SAFETY: the locks hand out `&T` to several threads at once (readers) and `&mut T`
// to one thread at a time (a writer, with no reader inside): the same rules as
// `std::sync::RwLock<T>`, hence the same bounds. `T: Send` because a writer on one
// thread may replace the value another thread created; `T: Sync` because readers on
// several threads share `&T`.
unsafe impl<T: Send> Send for ReaderPrefRwLock<T> {}
unsafe impl<T: Send + Sync> Sync for ReaderPrefRwLock<T> {}
unsafe impl<T: Send> Send for TurnstileRwLock<T> {}
unsafe impl<T: Send + Sync> Sync for TurnstileRwLock<T> {}

impl<T> ReaderPrefRwLock<T> {
    /// A lock that owns `value`.
    pub fn new(value: T) -> Self {
        ReaderPrefRwLock { room: Room::new(), data: UnsafeCell::new(value) }
    }

    /// Wait until no writer is inside, then read. Other readers may be inside too.
    /// A reader never waits for a writer that is merely *waiting*: this is what lets
    /// writers starve.
    pub fn read(&self) -> ReadGuard<'_, T> {
        self.room.enter_reader();
        ReadGuard { room: &self.room, ptr: Some(self.data.get()) }
    }

    /// Read if that needs no waiting: `None` only while a writer is inside (a
    /// writer that is merely waiting does not stop a reader here).
    pub fn try_read(&self) -> Option<ReadGuard<'_, T>> {
        self.room.try_enter_reader().then(|| ReadGuard { room: &self.room, ptr: Some(self.data.get()) })
    }

    /// Wait until no reader and no writer is inside, then write.
    pub fn write(&self) -> WriteGuard<'_, T> {
        self.room.enter_writer();
        WriteGuard { room: &self.room, ptr: Some(self.data.get_mut()), _turnstile: None }
    }

    /// The value, taking the lock apart.
    pub fn into_inner(self) -> T {
        self.data.into_inner()
    }
}

impl<T> TurnstileRwLock<T> {
    /// A lock that owns `value`.
    pub fn new(value: T) -> Self {
        TurnstileRwLock { turnstile: Mutex::new(()), room: Room::new(), data: UnsafeCell::new(value) }
    }

    /// Pass the turnstile (waiting there while a writer holds it), then enter as
    /// a reader of the readers-preference lock.
    pub fn read(&self) -> ReadGuard<'_, T> {
        drop(lock(&self.turnstile));
        self.room.enter_reader();
        ReadGuard { room: &self.room, ptr: Some(self.data.get()) }
    }

    /// Read if that needs no waiting: `None` while a writer holds the turnstile
    /// (it is waiting for the room, or writing).
    pub fn try_read(&self) -> Option<ReadGuard<'_, T>> {
        match self.turnstile.try_lock() {
            Ok(_) | Err(std::sync::TryLockError::Poisoned(_)) => {}
            Err(std::sync::TryLockError::WouldBlock) => return None,
        }
        self.room.try_enter_reader().then(|| ReadGuard { room: &self.room, ptr: Some(self.data.get()) })
    }

    /// Lock the turnstile, so that no new reader gets in, then wait for the
    /// readers inside to leave. The turnstile stays locked until the guard drops.
    pub fn write(&self) -> WriteGuard<'_, T> {
        let turnstile = lock(&self.turnstile);
        self.room.enter_writer();
        WriteGuard { room: &self.room, ptr: Some(self.data.get_mut()), _turnstile: Some(turnstile) }
    }

    /// The value, taking the lock apart.
    pub fn into_inner(self) -> T {
        self.data.into_inner()
    }
}

/// Shared access to the value of a [`ReaderPrefRwLock`] or a [`TurnstileRwLock`];
/// dropping it leaves the room (the last reader out lets writers in).
#[must_use = "the read lock is released as soon as the guard is dropped"]
pub struct ReadGuard<'a, T> {
    room: &'a Room,
    /// Always `Some` until `drop`, which must end the access before it leaves the
    /// room (under loom the pointer itself is what tracks the access).
    ptr: Option<ConstPtr<T>>,
}

/// Exclusive access to the value of a [`ReaderPrefRwLock`] or a
/// [`TurnstileRwLock`]; dropping it leaves the room (and opens the turnstile).
#[must_use = "the write lock is released as soon as the guard is dropped"]
pub struct WriteGuard<'a, T> {
    room: &'a Room,
    ptr: Option<MutPtr<T>>,
    /// The turnstile of a [`TurnstileRwLock`], unlocked when the guard drops.
    _turnstile: Option<MutexGuard<'a, ()>>,
}

impl<T> Deref for ReadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        let ptr = self.ptr.as_ref().expect("a live guard holds its pointer");
        // SAFETY: the guard is a reader inside the room: no writer can be inside
        // until it leaves, so nobody holds `&mut T`. The reference cannot outlive
        // the guard, which borrows the lock.
        unsafe { ptr.deref() }
    }
}

impl<T> Deref for WriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        let ptr = self.ptr.as_ref().expect("a live guard holds its pointer");
        // SAFETY: the guard is the only thread inside the room.
        unsafe { ptr.deref() }
    }
}

impl<T> DerefMut for WriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        let ptr = self.ptr.as_ref().expect("a live guard holds its pointer");
        // SAFETY: the guard is the only thread inside the room, and `&mut self`
        // makes this the only reference handed out by the guard.
        unsafe { ptr.deref() }
    }
}

impl<T> Drop for ReadGuard<'_, T> {
    fn drop(&mut self) {
        self.ptr = None; // end the access first, then leave
        self.room.leave_reader();
    }
}

impl<T> Drop for WriteGuard<'_, T> {
    fn drop(&mut self) {
        self.ptr = None;
        self.room.leave_writer();
        // `_turnstile` is dropped after this: the turnstile opens last.
    }
}

impl<T: fmt::Debug> fmt::Debug for ReadGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: fmt::Debug> fmt::Debug for WriteGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: Default> Default for ReaderPrefRwLock<T> {
    fn default() -> Self {
        Self::new(T::default())
    }
}

impl<T: Default> Default for TurnstileRwLock<T> {
    fn default() -> Self {
        Self::new(T::default())
    }
}

impl<T> fmt::Debug for ReaderPrefRwLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ReaderPrefRwLock { .. }")
    }
}

impl<T> fmt::Debug for TurnstileRwLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TurnstileRwLock { .. }")
    }
}

/// Outside loom: `std`'s `UnsafeCell` with the pointer API of loom's, so the code
/// above is the same in both builds.
#[cfg(not(loom))]
mod cell {
    pub struct UnsafeCell<T>(std::cell::UnsafeCell<T>);
    pub struct ConstPtr<T>(*const T);
    pub struct MutPtr<T>(*mut T);

    impl<T> UnsafeCell<T> {
        pub fn new(value: T) -> Self {
            UnsafeCell(std::cell::UnsafeCell::new(value))
        }
        pub fn get(&self) -> ConstPtr<T> {
            ConstPtr(self.0.get())
        }
        pub fn get_mut(&self) -> MutPtr<T> {
            MutPtr(self.0.get())
        }
        pub fn into_inner(self) -> T {
            self.0.into_inner()
        }
    }

    impl<T> ConstPtr<T> {
        /// # Safety
        /// As dereferencing a `*const T`.
        pub unsafe fn deref(&self) -> &T {
            // SAFETY: the caller's.
            unsafe { &*self.0 }
        }
    }

    impl<T> MutPtr<T> {
        /// # Safety
        /// As dereferencing a `*mut T`, and no other reference to the value may live.
        #[allow(clippy::mut_from_ref)]
        pub unsafe fn deref(&self) -> &mut T {
            // SAFETY: the caller's.
            unsafe { &mut *self.0 }
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::thread;
    use std::time::Duration;

    #[test]
    fn readers_share_and_writers_see_their_writes() {
        let lock = ReaderPrefRwLock::new(String::from("a"));
        let (r1, r2) = (lock.read(), lock.read());
        assert_eq!((r1.as_str(), r2.as_str()), ("a", "a"));
        drop((r1, r2));
        lock.write().push('b');
        assert_eq!(*lock.read(), "ab");
        assert_eq!(lock.into_inner(), "ab");

        let fair = TurnstileRwLock::new(vec![1]);
        let (r1, r2) = (fair.read(), fair.read());
        assert_eq!(r1.len() + r2.len(), 2);
        drop((r1, r2));
        fair.write().push(2);
        assert_eq!(fair.into_inner(), [1, 2]);
    }

    /// Six threads, 300 rounds each, every third round a write.
    fn hammer<L: Sync>(lock: &L, read: impl Fn(&L) + Sync, write: impl Fn(&L) + Sync) {
        thread::scope(|s| {
            for t in 0..6 {
                let (read, write) = (&read, &write);
                s.spawn(move || {
                    for i in 0..300 {
                        if (t + i) % 3 == 0 { write(lock) } else { read(lock) }
                    }
                });
            }
        });
    }

    #[test]
    fn a_writer_is_alone_inside() {
        // `inside` counts the readers inside: a writer must find none. The value is
        // a pair that writers keep equal: a reader must never see it half-written.
        let inside = AtomicUsize::new(0);
        let lock = ReaderPrefRwLock::new((0_u64, 0_u64));
        let fair = TurnstileRwLock::new((0_u64, 0_u64));
        let inside = &inside;
        hammer(
            &lock,
            |l| {
                let g = l.read();
                inside.fetch_add(1, Ordering::SeqCst);
                assert_eq!(g.0, g.1, "torn read");
                thread::yield_now();
                assert_eq!(g.0, g.1, "torn read");
                inside.fetch_sub(1, Ordering::SeqCst);
            },
            |l| {
                let mut g = l.write();
                assert_eq!(inside.load(Ordering::SeqCst), 0, "a writer met a reader");
                g.0 += 1;
                thread::yield_now();
                g.1 += 1;
            },
        );
        hammer(
            &fair,
            |l| {
                let g = l.read();
                inside.fetch_add(1, Ordering::SeqCst);
                assert_eq!(g.0, g.1, "torn read");
                thread::yield_now();
                assert_eq!(g.0, g.1, "torn read");
                inside.fetch_sub(1, Ordering::SeqCst);
            },
            |l| {
                let mut g = l.write();
                assert_eq!(inside.load(Ordering::SeqCst), 0, "a writer met a reader");
                g.0 += 1;
                thread::yield_now();
                g.1 += 1;
            },
        );
        // 6 threads × 300 rounds, a third of them writes.
        assert_eq!(lock.into_inner(), (600, 600));
        assert_eq!(fair.into_inner(), (600, 600));
    }

    #[test]
    fn the_last_reader_lets_the_writer_in() {
        let lock = Arc::new(ReaderPrefRwLock::new(0));
        let first = lock.read();
        let second = lock.read();
        let wrote = Arc::new(AtomicBool::new(false));
        let writer = {
            let (lock, wrote) = (Arc::clone(&lock), Arc::clone(&wrote));
            thread::spawn(move || {
                *lock.write() = 1;
                wrote.store(true, Ordering::SeqCst);
            })
        };
        thread::sleep(Duration::from_millis(50));
        assert!(!wrote.load(Ordering::SeqCst), "a writer got in past two readers");
        drop(first);
        thread::sleep(Duration::from_millis(50));
        assert!(!wrote.load(Ordering::SeqCst), "a writer got in past a reader");
        drop(second);
        writer.join().unwrap();
        assert_eq!(*lock.read(), 1);
    }

    #[test]
    fn readers_preference_lets_new_readers_pass_a_waiting_writer() {
        let lock = Arc::new(ReaderPrefRwLock::new(0));
        let first = lock.read();
        let writer = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || *lock.write() = 1)
        };
        thread::sleep(Duration::from_millis(50));
        // The writer is waiting (or about to); a new reader still gets in at once,
        // on this very thread, and still sees the old value.
        let late = lock.read();
        assert_eq!(*late, 0);
        drop((first, late));
        writer.join().unwrap();
        assert_eq!(*lock.read(), 1);
    }

    #[test]
    fn turnstile_holds_new_readers_behind_a_waiting_writer() {
        let lock = Arc::new(TurnstileRwLock::new(0));
        let first = lock.read();
        let writer = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || *lock.write() = 1)
        };
        // Wait until the writer holds the turnstile (it is then waiting for `first`).
        while lock.turnstile.try_lock().is_ok() {
            thread::yield_now();
        }
        let late_value = Arc::new(AtomicUsize::new(usize::MAX));
        let late = {
            let (lock, late_value) = (Arc::clone(&lock), Arc::clone(&late_value));
            thread::spawn(move || late_value.store(*lock.read(), Ordering::SeqCst))
        };
        thread::sleep(Duration::from_millis(50));
        assert_eq!(late_value.load(Ordering::SeqCst), usize::MAX, "a reader passed a waiting writer");
        drop(first);
        writer.join().unwrap();
        late.join().unwrap();
        // The late reader came in after the writer.
        assert_eq!(late_value.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn try_read_waits_for_nothing() {
        let lock = ReaderPrefRwLock::new(1);
        let reading = lock.read();
        assert_eq!(lock.try_read().map(|g| *g), Some(1), "readers share the room");
        drop(reading);
        let writing = lock.write();
        assert!(lock.try_read().is_none(), "a writer is inside");
        drop(writing);
        assert!(lock.try_read().is_some());

        let fair = Arc::new(TurnstileRwLock::new(1));
        let reading = fair.read();
        assert!(fair.try_read().is_some(), "no writer waiting: readers share the room");
        let writer = {
            let fair = Arc::clone(&fair);
            thread::spawn(move || *fair.write() = 2)
        };
        // Once the writer holds the turnstile, a new reader would have to wait.
        while fair.turnstile.try_lock().is_ok() {
            thread::yield_now();
        }
        assert!(fair.try_read().is_none(), "a reader passed a waiting writer");
        drop(reading);
        writer.join().unwrap();
        assert_eq!(fair.try_read().map(|g| *g), Some(2));
    }

    #[test]
    fn a_panicking_writer_still_releases() {
        let lock = Arc::new(TurnstileRwLock::new(0));
        let l = Arc::clone(&lock);
        let r = thread::spawn(move || {
            let mut g = l.write();
            *g = 5;
            panic!("writer fails");
        })
        .join();
        assert!(r.is_err());
        assert_eq!(*lock.read(), 5);
        *lock.write() += 1;
        assert_eq!(*lock.read(), 6);
    }
}

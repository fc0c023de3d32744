//! Python's `threading.Event`: a flag that threads wait on until another thread sets it.
//!
//! `set()` raises the flag and wakes every thread waiting for it, `clear()` lowers it,
//! `wait()` returns at once if the flag is up and otherwise sleeps until a `set()`.
//! Rust's standard library has no event; it is built here from a `Mutex` and a
//! `Condvar`, like Python's own (a `Condition` around a boolean).
//!
//! ## Why a generation counter, not only a flag
//!
//! The obvious version waits with `while !flag { wait }`. It has a lost wake-up: if
//! another thread calls `set()` and then `clear()` at once, a waiter woken by `set()`
//! may only get the mutex back after `clear()`, see the flag down again, and go back
//! to sleep — for ever, if nobody sets the event again. The 1st edition's §2.10
//! producer does exactly that set-then-clear. Python's `Event` does wake such a waiter
//! (its `wait()` returns when it was *notified*, whatever the flag says by then).
//!
//! So every `set()` that raises the flag also bumps a *generation* number. A waiter
//! remembers the generation it started waiting in and returns as soon as either the
//! flag is up or the generation has moved on: a `set()` happened while it waited, even
//! if a `clear()` has already undone it. Every thread already waiting when `set()` is
//! called therefore wakes up. (A thread that only *starts* to wait after the `clear()`
//! waits for the next `set()`, as in Python.)
//!
//! The types come from [`crate::sync`], so that `tests/loom.rs` can model-check the
//! event under `--cfg loom`.
//!
//! ```
//! use ch02_threads::event::Event;
//! use std::sync::Arc;
//! use std::thread;
//! use std::time::Duration;
//!
//! let event = Arc::new(Event::new());
//! assert!(!event.wait_timeout(Duration::from_millis(10))); // nobody set it
//! let waiter = {
//!     let event = Arc::clone(&event);
//!     thread::spawn(move || event.wait())
//! };
//! event.set(); // wakes the waiter, or lets its wait() through at once
//! waiter.join().unwrap();
//! assert!(event.is_set());
//! event.clear();
//! assert!(!event.is_set());
//! ```

use std::fmt;
use std::time::{Duration, Instant};

use crate::sync::{Condvar, Mutex, MutexGuard};

// ANCHOR: event
/// The flag and the number of times it has been raised.
struct State {
    /// Python's internal flag: up between `set()` and `clear()`.
    flag: bool,
    /// Bumped by every `set()` that raises the flag; lets a waiter see that a `set()`
    /// happened while it slept, even if `clear()` followed.
    generation: u64,
    /// Threads inside `wait`/`wait_timeout` now (see `waiters`).
    waiting: usize,
}

/// An event flag that threads can wait on, like Python's `threading.Event`.
pub struct Event {
    state: Mutex<State>,
    changed: Condvar,
}

impl Event {
    /// A new event, not set (Python's `threading.Event()`).
    pub fn new() -> Self {
        Event { state: Mutex::new(State { flag: false, generation: 0, waiting: 0 }), changed: Condvar::new() }
    }

    /// Lock the state. No code that can panic runs under the lock, so a poisoned lock
    /// still holds a consistent state and is used as it is.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Raise the flag and wake every thread waiting for it (Python's `set()`).
    /// Setting an event that is already set does nothing.
    pub fn set(&self) {
        let mut state = self.lock();
        if !state.flag {
            state.flag = true;
            state.generation = state.generation.wrapping_add(1);
            drop(state);
            // All waiters, not one: an event is a broadcast.
            self.changed.notify_all();
        }
    }

    /// Lower the flag (Python's `clear()`): later calls to `wait` block until the next
    /// `set`. Threads that a `set` already woke are not affected.
    pub fn clear(&self) {
        self.lock().flag = false;
    }

    /// Whether the flag is up now (Python's `is_set()`).
    pub fn is_set(&self) -> bool {
        self.lock().flag
    }

    /// Return once the flag is up: at once if it is, otherwise at the next `set`, even
    /// if a `clear` follows it at once (Python's `wait()`).
    pub fn wait(&self) {
        let mut state = self.lock();
        if state.flag {
            return;
        }
        let start = state.generation;
        state.waiting += 1;
        while !state.flag && state.generation == start {
            state = self.changed.wait(state).unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        state.waiting -= 1;
    }

    /// How many threads are blocked in `wait` or `wait_timeout` at this instant. A
    /// snapshot for reports and tests (the loom model uses it to call `set()` only
    /// once a thread really waits); Python's `Event` has no such method.
    pub fn waiters(&self) -> usize {
        self.lock().waiting
    }

    /// Like [`wait`](Self::wait), but give up after `timeout`. Returns `true` when the
    /// event was set (now, or by a `set` during the wait even if cleared since),
    /// `false` when the time ran out (Python's `wait(timeout)`).
    ///
    /// Under `--cfg loom` (loom 0.7), the condition variable never times out, so this
    /// behaves like `wait` there; the loom tests check `wait` only.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        let Some(deadline) = Instant::now().checked_add(timeout) else {
            // A timeout too long to represent is no timeout at all.
            self.wait();
            return true;
        };
        let mut state = self.lock();
        if state.flag {
            return true;
        }
        let start = state.generation;
        state.waiting += 1;
        let woken = loop {
            if state.flag || state.generation != start {
                break true;
            }
            let now = Instant::now();
            if now >= deadline {
                break false;
            }
            state = self.changed.wait_timeout(state, deadline - now).unwrap_or_else(|poisoned| poisoned.into_inner()).0;
        };
        state.waiting -= 1;
        woken
    }
}

// ANCHOR_END: event

impl Default for Event {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("Event").field("set", &state.flag).field("waiting", &state.waiting).finish()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::mpsc;
    use std::thread;

    /// Spin (politely) until `n` threads are inside `wait`, or fail after 10 s.
    fn until_waiting(event: &Event, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while event.waiters() < n {
            assert!(Instant::now() < deadline, "the waiters never started waiting");
            thread::sleep(Duration::from_millis(1));
        }
    }

    #[test]
    fn starts_clear_and_follows_set_and_clear() {
        let event = Event::new();
        assert!(!event.is_set());
        event.set();
        assert!(event.is_set());
        event.set(); // already set: no change
        assert!(event.is_set());
        event.clear();
        assert!(!event.is_set());
        event.clear();
        assert!(!event.is_set());
    }

    #[test]
    fn wait_returns_at_once_when_set() {
        let event = Event::new();
        event.set();
        event.wait();
        assert!(event.wait_timeout(Duration::ZERO));
        assert!(event.wait_timeout(Duration::from_secs(3600)));
    }

    #[test]
    fn wait_timeout_times_out_when_never_set() {
        let event = Event::new();
        assert!(!event.wait_timeout(Duration::ZERO));
        let started = Instant::now();
        assert!(!event.wait_timeout(Duration::from_millis(50)));
        assert!(started.elapsed() >= Duration::from_millis(50));
        assert_eq!(event.waiters(), 0);
    }

    #[test]
    fn set_wakes_every_waiter() {
        let event = Arc::new(Event::new());
        let (tx, rx) = mpsc::channel();
        for _ in 0..4 {
            let (event, tx) = (Arc::clone(&event), tx.clone());
            thread::spawn(move || {
                event.wait();
                tx.send(()).unwrap();
            });
        }
        until_waiting(&event, 4);
        event.set();
        for _ in 0..4 {
            rx.recv_timeout(Duration::from_secs(10)).expect("a waiter was not woken by set()");
        }
    }

    #[test]
    fn set_then_clear_still_wakes_every_waiter() {
        // The lost wake-up of the book's §2.10: set() immediately followed by clear()
        // while threads wait. With only a flag, a woken waiter that gets the mutex
        // back after clear() sees the flag down and sleeps for ever; the generation
        // counter lets every one of them through. Whether a waiter is that late is up
        // to the scheduler, so the test repeats the round to make it near certain
        // that a flag-only event would fail.
        for round in 0..20 {
            let event = Arc::new(Event::new());
            let (tx, rx) = mpsc::channel();
            for _ in 0..3 {
                let (event, tx) = (Arc::clone(&event), tx.clone());
                thread::spawn(move || {
                    event.wait();
                    tx.send("wait").unwrap();
                });
            }
            {
                let (event, tx) = (Arc::clone(&event), tx.clone());
                thread::spawn(move || {
                    let woken = event.wait_timeout(Duration::from_secs(3600));
                    tx.send(if woken { "wait_timeout" } else { "timed out" }).unwrap();
                });
            }
            until_waiting(&event, 4);
            event.set();
            event.clear();
            assert!(!event.is_set());
            let mut woken = Vec::new();
            for _ in 0..4 {
                woken.push(
                    rx.recv_timeout(Duration::from_secs(10))
                        .unwrap_or_else(|_| panic!("round {round}: a waiter missed a set() followed by clear()")),
                );
            }
            woken.sort();
            assert_eq!(woken, ["wait", "wait", "wait", "wait_timeout"]);
        }
    }

    #[test]
    fn wait_after_clear_waits_for_the_next_set() {
        let event = Arc::new(Event::new());
        event.set();
        event.clear();
        // The earlier set() does not count for a thread that starts waiting now.
        assert!(!event.wait_timeout(Duration::from_millis(20)));
        let waiter = {
            let event = Arc::clone(&event);
            thread::spawn(move || event.wait_timeout(Duration::from_secs(10)))
        };
        until_waiting(&event, 1);
        event.set();
        assert!(waiter.join().unwrap());
    }
}

//! A small event loop with asyncio's callback API, written by hand.
//!
//! asyncio's loop is, at heart, two queues and a clock: callbacks that are ready
//! to run, in the order they were scheduled, and timers ordered by their
//! deadlines. [`EventLoop`] is that and no more:
//!
//! | asyncio | here |
//! | --- | --- |
//! | `loop.call_soon(f, args)` | [`EventLoop::call_soon`]`(move \|lp\| f(lp, args))` |
//! | `loop.call_later(delay, f, args)` | [`EventLoop::call_later`]`(delay, …)` |
//! | `loop.call_at(when, f, args)` | [`EventLoop::call_at`]`(when, …)` |
//! | `loop.time()` | [`EventLoop::time`], a [`Duration`] since the loop was made |
//! | `loop.stop()` | [`EventLoop::stop`] |
//! | `loop.run_forever()` | [`EventLoop::run_forever`] |
//! | `loop.close()` | dropping the loop |
//!
//! A callback receives the loop, as the book passes `loop` to every function, so
//! that it can schedule the next one. Rules that asyncio documents and this loop
//! keeps (the unit tests check each):
//!
//! - callbacks scheduled with `call_soon` run in the order they were scheduled;
//! - timers run in the order of their deadlines, and timers with *equal*
//!   deadlines in the order they were scheduled;
//! - a callback scheduled by a running callback runs in the *next* round of the
//!   loop, after the callbacks that were already ready;
//! - `stop()` lets the current round finish, then `run_forever` returns; what is
//!   still scheduled stays scheduled for the next `run_forever`.
//!
//! The loop has no I/O to wait for. Where asyncio's `run_forever` would wait
//! forever on a loop with nothing scheduled, this one returns
//! [`Stopped::Idle`], so that no program can hang on it.
//!
//! **The clock.** [`EventLoop::new`] reads the real monotonic clock and sleeps
//! the thread until the next deadline. [`EventLoop::with_virtual_clock`] keeps a
//! simulated time instead: waiting for a timer moves the time to its deadline at
//! once, and [`EventLoop::block`] (what `time.sleep` does inside a callback)
//! moves it on by the blocked time, so a run costs no real time but keeps every
//! time and every order of a real one.
//!
//! ```
//! use std::cell::RefCell;
//! use std::rc::Rc;
//! use std::time::Duration;
//! use ch04_async::event_loop::{EventLoop, Stopped};
//!
//! let lp = EventLoop::with_virtual_clock();
//! let seen = Rc::new(RefCell::new(Vec::new()));
//! let s = Rc::clone(&seen);
//! lp.call_later(Duration::from_secs(2), move |lp| {
//!     s.borrow_mut().push(lp.time());
//!     lp.stop();
//! });
//! assert_eq!(lp.run_forever(), Stopped::ByStop);
//! assert_eq!(*seen.borrow(), [Duration::from_secs(2)]);
//! ```

use std::cell::{Cell, RefCell};
use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};
use std::time::{Duration, Instant};

/// A callback: it runs once, and receives the loop that runs it.
pub type Callback = Box<dyn FnOnce(&EventLoop)>;

/// Why [`EventLoop::run_forever`] returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// A callback called [`EventLoop::stop`].
    ByStop,
    /// Nothing was ready and no timer was left: asyncio would wait forever.
    Idle,
    /// `run_forever` was called from a callback of the same loop (asyncio raises
    /// "This event loop is already running"); nothing was run.
    AlreadyRunning,
}

// ANCHOR: event_loop
/// The loop's time: the real monotonic clock, or a simulated one.
enum Clock {
    Real(Instant),
    Virtual(Cell<Duration>),
}

/// A timer: a callback and its deadline. `seq` orders equal deadlines by the
/// order in which they were scheduled.
struct Timer {
    when: Duration,
    seq: u64,
    callback: Callback,
}

// `BinaryHeap` is a max-heap: the timer that must run first is the "greatest".
impl Ord for Timer {
    fn cmp(&self, other: &Timer) -> Ordering {
        (other.when, other.seq).cmp(&(self.when, self.seq))
    }
}
impl PartialOrd for Timer {
    fn partial_cmp(&self, other: &Timer) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Timer {
    fn eq(&self, other: &Timer) -> bool {
        (self.when, self.seq) == (other.when, other.seq)
    }
}
impl Eq for Timer {}

/// A single-threaded loop of callbacks and timers (see the module's
/// documentation). Every method takes `&self`, so that a running callback can
/// schedule more work on the loop it was given: the queues are in `RefCell`s,
/// and no borrow is held while a callback runs.
pub struct EventLoop {
    clock: Clock,
    ready: RefCell<VecDeque<Callback>>,
    timers: RefCell<BinaryHeap<Timer>>,
    next_seq: Cell<u64>,
    stopping: Cell<bool>,
    running: Cell<bool>,
}

impl EventLoop {
    /// A loop on the real clock (asyncio's `new_event_loop()`).
    pub fn new() -> EventLoop {
        EventLoop::with_clock(Clock::Real(Instant::now()))
    }

    /// A loop on a simulated clock that starts at 0.
    pub fn with_virtual_clock() -> EventLoop {
        EventLoop::with_clock(Clock::Virtual(Cell::new(Duration::ZERO)))
    }

    fn with_clock(clock: Clock) -> EventLoop {
        EventLoop {
            clock,
            ready: RefCell::new(VecDeque::new()),
            timers: RefCell::new(BinaryHeap::new()),
            next_seq: Cell::new(0),
            stopping: Cell::new(false),
            running: Cell::new(false),
        }
    }

    /// The loop's time: how long since the loop was made (`loop.time()`).
    pub fn time(&self) -> Duration {
        match &self.clock {
            Clock::Real(origin) => origin.elapsed(),
            Clock::Virtual(now) => now.get(),
        }
    }

    /// Run `f` as soon as possible: in the loop's next round, after the callbacks
    /// scheduled before it.
    pub fn call_soon(&self, f: impl FnOnce(&EventLoop) + 'static) {
        self.ready.borrow_mut().push_back(Box::new(f));
    }

    /// Run `f` once `delay` has passed.
    pub fn call_later(&self, delay: Duration, f: impl FnOnce(&EventLoop) + 'static) {
        self.call_at(self.time().saturating_add(delay), f);
    }

    /// Run `f` when the loop's time reaches `when`.
    pub fn call_at(&self, when: Duration, f: impl FnOnce(&EventLoop) + 'static) {
        let seq = self.next_seq.get();
        self.next_seq.set(seq + 1);
        self.timers.borrow_mut().push(Timer { when, seq, callback: Box::new(f) });
    }

    /// Make `run_forever` return once the callbacks of the current round have run.
    pub fn stop(&self) {
        self.stopping.set(true);
    }

    /// What `time.sleep(d)` does inside a callback: the thread blocks, and no
    /// other callback of the loop can run meanwhile. On the virtual clock the
    /// time moves on by `d` instead.
    pub fn block(&self, d: Duration) {
        match &self.clock {
            Clock::Real(_) if d.is_zero() => {}
            Clock::Real(_) => cookbook_support::trace::sleep(d),
            Clock::Virtual(now) => now.set(now.get().saturating_add(d)),
        }
    }

    /// Callbacks and timers still scheduled.
    pub fn pending(&self) -> usize {
        self.ready.borrow().len() + self.timers.borrow().len()
    }

    /// Run rounds until a callback calls [`EventLoop::stop`], or until nothing is
    /// left to run.
    pub fn run_forever(&self) -> Stopped {
        if self.running.replace(true) {
            return Stopped::AlreadyRunning;
        }
        let why = loop {
            if !self.run_once() {
                break Stopped::Idle;
            }
            if self.stopping.get() {
                break Stopped::ByStop;
            }
        };
        self.stopping.set(false);
        self.running.set(false);
        why
    }

    /// One round, as asyncio's `_run_once`: wait for the next deadline if nothing
    /// is ready, move the timers that are due to the ready queue, then run the
    /// callbacks that are ready *now* (the ones they schedule wait for the next
    /// round). False when there was nothing to run and nothing to wait for.
    fn run_once(&self) -> bool {
        if self.ready.borrow().is_empty() && !self.stopping.get() {
            let next = self.timers.borrow().peek().map(|t| t.when);
            match next {
                Some(when) => self.wait_until(when),
                None => return false,
            }
        }
        let now = self.time();
        {
            let mut timers = self.timers.borrow_mut();
            let mut ready = self.ready.borrow_mut();
            while timers.peek().is_some_and(|t| t.when <= now) {
                let due = timers.pop().expect("peeked");
                ready.push_back(due.callback);
            }
        }
        let in_this_round = self.ready.borrow().len();
        for _ in 0..in_this_round {
            // Take the callback out before calling it: it may schedule more.
            let callback = self.ready.borrow_mut().pop_front();
            if let Some(callback) = callback {
                callback(self);
            }
        }
        true
    }

    /// Where asyncio waits in `select()` with a timeout: until `when`.
    fn wait_until(&self, when: Duration) {
        match &self.clock {
            Clock::Real(origin) => {
                let left = when.saturating_sub(origin.elapsed());
                if !left.is_zero() {
                    let _wait = tracing::info_span!("wait", on = "timer").entered();
                    std::thread::sleep(left);
                }
            }
            Clock::Virtual(now) => now.set(now.get().max(when)),
        }
    }
}
// ANCHOR_END: event_loop

impl Default for EventLoop {
    fn default() -> Self {
        EventLoop::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    /// Run a test body on its own thread and fail it if it has not ended within
    /// 20 seconds: a loop that spins or waits forever fails instead of hanging.
    fn within_limit(body: impl FnOnce() + Send + 'static) {
        cookbook_support::testing::within(Duration::from_secs(20), "the event loop", body)
    }

    type Log = Rc<RefCell<Vec<(&'static str, Duration)>>>;

    fn log() -> Log {
        Rc::new(RefCell::new(Vec::new()))
    }

    /// A callback that records its name and the loop's time.
    fn note(log: &Log, name: &'static str) -> impl FnOnce(&EventLoop) + 'static {
        let log = Rc::clone(log);
        move |lp| log.borrow_mut().push((name, lp.time()))
    }

    fn names(log: &Log) -> Vec<&'static str> {
        log.borrow().iter().map(|(n, _)| *n).collect()
    }

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn call_soon_runs_in_the_order_scheduled() {
        within_limit(|| {
            let lp = EventLoop::with_virtual_clock();
            let seen = log();
            for name in ["a", "b", "c", "d"] {
                lp.call_soon(note(&seen, name));
            }
            assert_eq!(lp.run_forever(), Stopped::Idle);
            assert_eq!(names(&seen), ["a", "b", "c", "d"]);
        });
    }

    #[test]
    fn timers_run_in_deadline_order_whatever_the_order_scheduled() {
        within_limit(|| {
            let lp = EventLoop::with_virtual_clock();
            let seen = log();
            lp.call_later(secs(3), note(&seen, "3"));
            lp.call_later(secs(1), note(&seen, "1"));
            lp.call_at(secs(2), note(&seen, "2"));
            lp.run_forever();
            assert_eq!(*seen.borrow(), [("1", secs(1)), ("2", secs(2)), ("3", secs(3))]);
        });
    }

    #[test]
    fn equal_deadlines_run_in_insertion_order() {
        within_limit(|| {
            let lp = EventLoop::with_virtual_clock();
            let seen = log();
            let names_in_order = ["first", "second", "third", "fourth", "fifth"];
            for name in names_in_order {
                lp.call_later(secs(1), note(&seen, name));
            }
            // An earlier deadline scheduled last still comes first.
            lp.call_later(Duration::from_millis(500), note(&seen, "earlier"));
            lp.run_forever();
            let mut expected = vec!["earlier"];
            expected.extend(names_in_order);
            assert_eq!(names(&seen), expected);
            assert!(seen.borrow()[1..].iter().all(|(_, t)| *t == secs(1)));
        });
    }

    #[test]
    fn a_timer_scheduled_from_a_callback_for_the_same_deadline_comes_after() {
        within_limit(|| {
            // At t = 1 "a" schedules "c" at t = 2, where "b" is already waiting: equal
            // deadlines, so "b" (scheduled first) runs first.
            let lp = EventLoop::with_virtual_clock();
            let seen = log();
            let s = Rc::clone(&seen);
            lp.call_later(secs(1), move |lp| {
                s.borrow_mut().push(("a", lp.time()));
                lp.call_at(secs(2), note(&s, "c"));
            });
            lp.call_later(secs(2), note(&seen, "b"));
            lp.run_forever();
            assert_eq!(*seen.borrow(), [("a", secs(1)), ("b", secs(2)), ("c", secs(2))]);
        });
    }

    #[test]
    fn a_callback_scheduled_from_a_callback_runs_in_the_next_round() {
        within_limit(|| {
            // "a" and "b" are ready; "a" schedules "c" with call_soon: "b" was ready
            // first, so the order is a, b, c, and "c" belongs to the next round: a stop
            // called by "b" ends the loop before "c" runs.
            let lp = EventLoop::with_virtual_clock();
            let seen = log();
            let s = Rc::clone(&seen);
            lp.call_soon(move |lp| {
                s.borrow_mut().push(("a", lp.time()));
                lp.call_soon(note(&s, "c"));
            });
            lp.call_soon(note(&seen, "b"));
            assert_eq!(lp.run_forever(), Stopped::Idle);
            assert_eq!(names(&seen), ["a", "b", "c"]);

            let seen = log();
            let s = Rc::clone(&seen);
            lp.call_soon(move |lp| {
                s.borrow_mut().push(("a", lp.time()));
                lp.call_soon(note(&s, "c"));
            });
            let s = Rc::clone(&seen);
            lp.call_soon(move |lp| {
                s.borrow_mut().push(("b", lp.time()));
                lp.stop();
            });
            assert_eq!(lp.run_forever(), Stopped::ByStop);
            assert_eq!(names(&seen), ["a", "b"]);
            assert_eq!(lp.pending(), 1, "c stays scheduled");
            assert_eq!(lp.run_forever(), Stopped::Idle);
            assert_eq!(names(&seen), ["a", "b", "c"]);
        });
    }

    #[test]
    fn call_later_zero_from_a_callback_waits_for_the_next_round_too() {
        within_limit(|| {
            let lp = EventLoop::with_virtual_clock();
            let seen = log();
            let s = Rc::clone(&seen);
            lp.call_soon(move |lp| {
                lp.call_later(Duration::ZERO, note(&s, "timer"));
                s.borrow_mut().push(("a", lp.time()));
            });
            lp.call_soon(note(&seen, "b"));
            lp.run_forever();
            assert_eq!(names(&seen), ["a", "b", "timer"]);
        });
    }

    #[test]
    fn stop_finishes_the_round_and_keeps_the_rest() {
        within_limit(|| {
            let lp = EventLoop::with_virtual_clock();
            let seen = log();
            let s = Rc::clone(&seen);
            lp.call_soon(move |lp| {
                s.borrow_mut().push(("stopper", lp.time()));
                lp.stop();
            });
            lp.call_soon(note(&seen, "same round"));
            lp.call_later(secs(5), note(&seen, "later"));
            assert_eq!(lp.run_forever(), Stopped::ByStop);
            assert_eq!(names(&seen), ["stopper", "same round"]);
            assert_eq!(lp.time(), Duration::ZERO, "the loop did not wait for the timer");
            assert_eq!(lp.pending(), 1);
            assert_eq!(lp.run_forever(), Stopped::Idle);
            assert_eq!(*seen.borrow().last().unwrap(), ("later", secs(5)));
        });
    }

    #[test]
    fn an_empty_loop_returns_instead_of_hanging() {
        within_limit(|| {
            assert_eq!(EventLoop::with_virtual_clock().run_forever(), Stopped::Idle);
            assert_eq!(EventLoop::new().run_forever(), Stopped::Idle);
        });
    }

    #[test]
    fn run_forever_inside_a_callback_is_refused() {
        within_limit(|| {
            let lp = EventLoop::with_virtual_clock();
            let inner = Rc::new(Cell::new(None));
            let i = Rc::clone(&inner);
            lp.call_soon(move |lp| i.set(Some(lp.run_forever())));
            lp.run_forever();
            assert_eq!(inner.get(), Some(Stopped::AlreadyRunning));
        });
    }

    #[test]
    fn blocking_delays_every_timer_behind_it() {
        within_limit(|| {
            // "a" is due at 1 s and blocks for 3 s; "b" was due at 2 s and can only
            // run when "a" has returned, at 4 s.
            let lp = EventLoop::with_virtual_clock();
            let seen = log();
            lp.call_later(secs(1), |lp| lp.block(secs(3)));
            lp.call_later(secs(2), note(&seen, "b"));
            lp.run_forever();
            assert_eq!(*seen.borrow(), [("b", secs(4))]);
        });
    }

    #[test]
    fn the_real_clock_waits_for_the_deadline() {
        within_limit(|| {
            let lp = EventLoop::new();
            let seen = log();
            lp.call_later(Duration::from_millis(30), note(&seen, "late"));
            lp.call_soon(note(&seen, "soon"));
            lp.run_forever();
            let seen = seen.borrow();
            assert_eq!(seen[0].0, "soon");
            assert_eq!(seen[1].0, "late");
            assert!(seen[1].1 >= Duration::from_millis(30), "ran before its deadline: {:?}", seen[1].1);
        });
    }
}

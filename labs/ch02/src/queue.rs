//! Exercise `ch02-queue`: a bounded blocking queue.
//!
//! Read first: the recipes `thread_queue` (1st edition §2.12) and `thread_condition`
//! (§2.9), and the semaphore you built in `ch02-semaphore`.
//!
//! Python's `queue.Queue(maxsize)` is a list with a lock and two conditions: `put`
//! waits while the queue is full, `get` waits while it is empty. Build the same:
//! `push` waits while `capacity` items are in the queue, then adds the item at the
//! back and wakes a thread waiting in `pop`; `pop` waits while the queue is empty,
//! then takes the item at the front and wakes a thread waiting in `push`. The
//! struct, `new`, `capacity` and `len` are written for you.
//!
//! Check your work with `cookbook lab check ch02-queue` (the tests in
//! `labs/ch02/tests/queue.rs`, then loom's in `labs/ch02/tests/loom_queue.rs`).

use std::collections::VecDeque;

use crate::sync::{Condvar, Mutex};

/// A first-in first-out queue of at most `capacity` items, shared by threads.
pub struct BoundedQueue<T> {
    /// The items, oldest at the front.
    items: Mutex<VecDeque<T>>,
    /// The most items the queue holds at once.
    capacity: usize,
    /// Signalled when an item has been added: a `pop` may go on.
    not_empty: Condvar,
    /// Signalled when an item has been taken: a `push` may go on.
    not_full: Condvar,
}

impl<T> BoundedQueue<T> {
    /// An empty queue for at most `capacity` items.
    ///
    /// # Panics
    ///
    /// If `capacity` is 0: nothing could ever be pushed.
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "a queue needs room for at least one item");
        BoundedQueue {
            items: Mutex::new(VecDeque::with_capacity(capacity)),
            capacity,
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
        }
    }

    /// The most items the queue holds at once.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Add `item` at the back, waiting as long as the queue is full.
    pub fn push(&self, item: T) {
        todo!("BoundedQueue::push")
    }

    /// Take the item at the front, waiting as long as the queue is empty.
    pub fn pop(&self) -> T {
        todo!("BoundedQueue::pop")
    }

    /// The number of items in the queue at this instant (for tests and reports).
    pub fn len(&self) -> usize {
        self.items.lock().unwrap().len()
    }

    /// Whether the queue is empty at this instant.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

//! Solution of exercise `ch02-queue`: a bounded blocking queue from one `Mutex` and
//! two `Condvar`s, like Python's `queue.Queue(maxsize)`.

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

    // ANCHOR: solution
    /// Add `item` at the back, waiting as long as the queue is full.
    pub fn push(&self, item: T) {
        let mut items = self.items.lock().unwrap();
        while items.len() == self.capacity {
            items = self.not_full.wait(items).unwrap();
        }
        // The check above and this push happen under one lock.
        items.push_back(item);
        drop(items);
        // Only now is there something to take: wake one consumer.
        self.not_empty.notify_one();
    }

    /// Take the item at the front, waiting as long as the queue is empty.
    pub fn pop(&self) -> T {
        let mut items = self.items.lock().unwrap();
        let item = loop {
            match items.pop_front() {
                Some(item) => break item,
                None => items = self.not_empty.wait(items).unwrap(),
            }
        };
        drop(items);
        // There is room now: wake one producer.
        self.not_full.notify_one();
        item
    }
    // ANCHOR_END: solution

    /// The number of items in the queue at this instant (for tests and reports).
    pub fn len(&self) -> usize {
        self.items.lock().unwrap().len()
    }

    /// Whether the queue is empty at this instant.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

//! WRONG ON PURPOSE, a test fixture (feature `wrong-queue-notify-first`): the
//! solution of `ch02-queue`, except that `push` wakes a consumer *before* the item is
//! in the queue. A consumer woken then finds the queue still empty and waits again;
//! the push that follows wakes nobody, and the consumer waits for ever (a lost
//! wake-up). `tests/loom_queue.rs` must reject it.

use std::collections::VecDeque;

use crate::sync::{Condvar, Mutex};

/// A bounded queue whose `push` notifies before it pushes.
pub struct BoundedQueue<T> {
    items: Mutex<VecDeque<T>>,
    capacity: usize,
    not_empty: Condvar,
    not_full: Condvar,
}

impl<T> BoundedQueue<T> {
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "a queue needs room for at least one item");
        BoundedQueue {
            items: Mutex::new(VecDeque::with_capacity(capacity)),
            capacity,
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
        }
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    pub fn push(&self, item: T) {
        // "An item is coming": the notification comes before the state change.
        self.not_empty.notify_one();
        let mut items = self.items.lock().unwrap();
        while items.len() == self.capacity {
            items = self.not_full.wait(items).unwrap();
        }
        items.push_back(item);
    }

    pub fn pop(&self) -> T {
        let mut items = self.items.lock().unwrap();
        let item = loop {
            match items.pop_front() {
                Some(item) => break item,
                None => items = self.not_empty.wait(items).unwrap(),
            }
        };
        drop(items);
        self.not_full.notify_one();
        item
    }

    pub fn len(&self) -> usize {
        self.items.lock().unwrap().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

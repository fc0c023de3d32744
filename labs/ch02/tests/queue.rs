//! Exercise `ch02-queue`, with real threads: first in first out, `push` waits while
//! the queue is full, `pop` waits while it is empty, and with several producers and
//! consumers every item arrives exactly once. `cookbook lab check ch02-queue` runs
//! these, then the loom checks in `loom_queue.rs`.
#![cfg(not(loom))]

mod common;

use std::sync::Arc;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use common::{stays_blocked, within};
use lab_ch02::queue::BoundedQueue;

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch02-queue` runs it")]
fn items_come_out_in_the_order_they_went_in() {
    let q = BoundedQueue::new(3);
    for i in [7, 8, 9] {
        q.push(i);
    }
    assert_eq!(q.len(), 3, "3 pushes, 3 items");
    let out: Vec<i32> = (0..3).map(|_| q.pop()).collect();
    assert_eq!(out, [7, 8, 9], "a queue is first in, first out");
    assert!(q.is_empty(), "3 pops took everything");
    q.push(10);
    assert_eq!(q.pop(), 10, "a queue can be used again once emptied");
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch02-queue` runs it")]
fn push_waits_while_the_queue_is_full() {
    within("push_waits_while_the_queue_is_full", || {
        let q = Arc::new(BoundedQueue::new(2));
        q.push(1);
        q.push(2);
        let (tx, rx) = mpsc::channel();
        let pusher = {
            let q = Arc::clone(&q);
            thread::spawn(move || {
                q.push(3);
                tx.send(()).unwrap();
            })
        };
        if !stays_blocked(&rx, Duration::from_millis(200)) {
            if let Err(panic) = pusher.join() {
                std::panic::resume_unwind(panic);
            }
            panic!("push() on a full queue returned without waiting: {} items in a queue of 2", q.len());
        }
        assert_eq!(q.len(), 2, "a full queue of 2 holds 2 items");
        assert_eq!(q.pop(), 1, "the oldest item comes out first");
        rx.recv().expect("pop() did not let the waiting push() through");
        pusher.join().unwrap();
        assert_eq!((q.pop(), q.pop()), (2, 3), "the waiting item went in after the others");
    });
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch02-queue` runs it")]
fn pop_waits_while_the_queue_is_empty() {
    within("pop_waits_while_the_queue_is_empty", || {
        let q = Arc::new(BoundedQueue::new(1));
        let (tx, rx) = mpsc::channel();
        let popper = {
            let q = Arc::clone(&q);
            thread::spawn(move || tx.send(q.pop()).unwrap())
        };
        if !stays_blocked(&rx, Duration::from_millis(200)) {
            if let Err(panic) = popper.join() {
                std::panic::resume_unwind(panic);
            }
            panic!("pop() on an empty queue returned without waiting");
        }
        q.push(42);
        assert_eq!(rx.recv().expect("push() did not wake the waiting pop()"), 42);
        popper.join().unwrap();
        assert!(q.is_empty(), "the one item was taken");
    });
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch02-queue` runs it")]
fn every_item_arrives_exactly_once() {
    const PRODUCERS: usize = 3;
    const CONSUMERS: usize = 3;
    const EACH: usize = 300;
    const CAPACITY: usize = 4;
    within("every_item_arrives_exactly_once", || {
        let q = Arc::new(BoundedQueue::new(CAPACITY));
        let producers: Vec<_> = (0..PRODUCERS)
            .map(|p| {
                let q = Arc::clone(&q);
                thread::spawn(move || {
                    for i in 0..EACH {
                        q.push(p * EACH + i);
                    }
                })
            })
            .collect();
        let consumers: Vec<_> = (0..CONSUMERS)
            .map(|_| {
                let q = Arc::clone(&q);
                thread::spawn(move || {
                    let mut got = Vec::with_capacity(EACH);
                    let mut most = 0;
                    for _ in 0..EACH {
                        got.push(q.pop());
                        most = most.max(q.len());
                    }
                    (got, most)
                })
            })
            .collect();
        for p in producers {
            p.join().unwrap();
        }
        let mut all = Vec::new();
        for c in consumers {
            let (got, most) = c.join().unwrap();
            assert!(most <= CAPACITY, "the queue held {most} items, more than its capacity {CAPACITY}");
            // Each producer's items reach a consumer in the order they were pushed.
            for p in 0..PRODUCERS {
                let mine: Vec<_> = got.iter().filter(|&&x| x / EACH == p).collect();
                assert!(mine.windows(2).all(|w| w[0] < w[1]), "items of producer {p} came out of order");
            }
            all.extend(got);
        }
        all.sort_unstable();
        let expected: Vec<usize> = (0..PRODUCERS * EACH).collect();
        assert!(all == expected, "{} items pushed, {} popped, not each exactly once", expected.len(), all.len());
        assert!(q.is_empty(), "every item was taken");
    });
}

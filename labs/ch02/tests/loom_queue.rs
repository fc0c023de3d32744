//! Exercise `ch02-queue`, model-checked with loom. A consumer that waits for ever
//! (a lost wake-up) shows as loom's "deadlock".
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test -p lab-ch02 --release --target-dir target/loom --test loom_queue -- --include-ignored
//! ```
#![cfg(loom)]

use lab_ch02::queue::BoundedQueue;
use lab_ch02::sync::Arc;
use loom::thread;

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch02-queue` runs it")]
fn a_waiting_consumer_gets_the_item() {
    // Whether pop() starts before or after push(), it returns the item: a push
    // whose wake-up comes before the item is in the queue leaves it waiting.
    loom::model(|| {
        let q = Arc::new(BoundedQueue::new(1));
        let consumer = {
            let q = Arc::clone(&q);
            thread::spawn(move || q.pop())
        };
        q.push(5_u32);
        assert_eq!(consumer.join().unwrap(), 5);
        assert!(q.is_empty());
    });
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch02-queue` runs it")]
fn a_queue_of_one_passes_two_items_in_order() {
    // The producer must wait for room after the first item, the consumer for an
    // item before each pop: both conditions are used, in every interleaving.
    loom::model(|| {
        let q = Arc::new(BoundedQueue::new(1));
        let producer = {
            let q = Arc::clone(&q);
            thread::spawn(move || {
                q.push(1_u32);
                q.push(2);
            })
        };
        let first = q.pop();
        let second = q.pop();
        producer.join().unwrap();
        assert_eq!((first, second), (1, 2), "a queue is first in, first out");
        assert!(q.is_empty());
    });
}

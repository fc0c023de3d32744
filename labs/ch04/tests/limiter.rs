//! Exercise `ch04-limiter`: callers go through evenly spaced, one every
//! 1 / per_second seconds, however many wait together, and a caller after a quiet
//! spell goes at once. On tokio's paused clock every time is exact.
//! `cookbook lab check ch04-limiter` runs these.

mod common;

use std::sync::Arc;
use std::time::Duration;

use lab_ch04::limiter::RateLimiter;
use tokio::time::Instant;

/// Milliseconds since `start`, on the runtime's clock.
fn ms_since(start: Instant) -> u64 {
    start.elapsed().as_millis() as u64
}

/// When each of `callers` tasks, all started at once, got through a limiter of
/// `per_second`: milliseconds after the start, sorted.
async fn times_of_waiting_together(per_second: u32, callers: u64) -> Vec<u64> {
    let limiter = Arc::new(RateLimiter::new(per_second));
    let start = Instant::now();
    let tasks: Vec<_> = (0..callers)
        .map(|_| {
            let limiter = Arc::clone(&limiter);
            tokio::spawn(async move {
                limiter.acquire().await;
                ms_since(start)
            })
        })
        .collect();
    let mut times = Vec::new();
    for task in tasks {
        times.push(task.await.expect("a caller panicked"));
    }
    times.sort_unstable();
    times
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch04-limiter` runs it")]
fn callers_that_wait_together_go_evenly_spaced() {
    let times = common::run(true, "ten callers", || times_of_waiting_together(4, 10));
    let expected: Vec<u64> = (0..10).map(|k| k * 250).collect();
    for pair in times.windows(2) {
        assert!(
            pair[1] - pair[0] >= 250,
            "two callers went through {} ms and {} ms after the start: less than 250 ms apart at 4 per second \
             (all the times: {times:?})",
            pair[0],
            pair[1]
        );
    }
    assert_eq!(times, expected, "at 4 per second, ten callers go at 0, 250, … 2250 ms, no later");
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch04-limiter` runs it")]
fn no_second_lets_more_than_n_through() {
    let times = common::run(true, "23 callers", || times_of_waiting_together(5, 23));
    for &t in &times {
        let in_window = times.iter().filter(|&&u| u >= t && u < t + 1000).count();
        assert!(in_window <= 5, "{in_window} callers went through in the second after {t} ms, at 5 per second");
    }
    assert_eq!(times.last(), Some(&(22 * 200)), "the last of 23 callers at 5 per second goes at 4.4 s");
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch04-limiter` runs it")]
fn one_caller_after_another_is_paced_too() {
    let times = common::run(true, "one task", || async {
        let limiter = RateLimiter::new(10);
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..6 {
            limiter.acquire().await;
            times.push(ms_since(start));
        }
        times
    });
    assert_eq!(times, [0, 100, 200, 300, 400, 500], "one task calling acquire in a loop, at 10 per second");
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch04-limiter` runs it")]
fn a_caller_after_a_quiet_spell_goes_at_once() {
    let times = common::run(true, "a quiet spell", || async {
        let limiter = RateLimiter::new(2);
        let start = Instant::now();
        limiter.acquire().await;
        let first = ms_since(start);
        tokio::time::sleep(Duration::from_secs(5)).await;
        limiter.acquire().await;
        let after_pause = ms_since(start);
        limiter.acquire().await;
        (first, after_pause, ms_since(start))
    });
    assert_eq!(times.0, 0, "the first caller waited {} ms for nothing", times.0);
    assert_eq!(times.1, 5000, "a caller 5 s after the last one went at {} ms, not at once (5000 ms)", times.1);
    assert_eq!(times.2, 5500, "the next caller, right behind it, goes half a second later at 2 per second");
}

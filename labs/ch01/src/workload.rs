//! The lab's workload (given: not an exercise).
//!
//! A [`Job`] has two phases, like most programs:
//!
//! - a **serial phase**: [`Job::serial_phase`] runs `serial` units one after the
//!   other, each fed by the result of the one before, so no thread can start a unit
//!   before the previous one is done;
//! - a **parallel phase**: `parallel` independent units, summed. The loop
//!   [`serial_sum`] runs them on one thread; exercise `ch01-parallel` shares them out
//!   over threads.
//!
//! The result of a job is the wrapping sum of both phases' results, the same
//! however many threads run it.

use std::ops::Range;

/// Numbers past this are folded back, so a unit never overflows.
const FOLD: u64 = 1_000_000;

/// One unit of work: the number of steps of the Collatz sequence from
/// `index % 1 000 000 + 1` down to 1 (halve an even number, take 3n + 1 of an odd
/// one). It costs from one to a few hundred steps, depending on `index`.
pub fn unit(index: u64) -> u64 {
    let mut n = index % FOLD + 1;
    let mut steps = 0;
    while n != 1 {
        n = if n % 2 == 0 { n / 2 } else { 3 * n + 1 };
        steps += 1;
    }
    steps
}

/// The serial loop of the parallel phase: the wrapping sum of `unit(i)` over
/// `units`, on the calling thread.
pub fn serial_sum(units: Range<u64>, unit: impl Fn(u64) -> u64) -> u64 {
    units.map(unit).fold(0, u64::wrapping_add)
}

/// A job of `serial` dependent units followed by `parallel` independent ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    pub serial: u64,
    pub parallel: u64,
}

impl Job {
    /// The serial phase: unit `i` is fed with the result of unit `i − 1`.
    pub fn serial_phase(&self) -> u64 {
        (0..self.serial).fold(0, |acc, i| acc.wrapping_add(unit(i.wrapping_add(acc))))
    }

    /// The units of the parallel phase: they follow the serial phase's.
    pub fn parallel_units(&self) -> Range<u64> {
        self.serial..self.serial + self.parallel
    }

    /// The result of the whole job, computed on one thread: the reference that
    /// every parallel run must reproduce.
    pub fn run_serially(&self) -> u64 {
        self.serial_phase().wrapping_add(serial_sum(self.parallel_units(), unit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_count_collatz_steps() {
        // 1 is already there; 2 → 1; 3 → 10 → 5 → 16 → 8 → 4 → 2 → 1; 27 takes 111.
        assert_eq!([unit(0), unit(1), unit(2), unit(26)], [0, 1, 7, 111]);
        assert_eq!(unit(FOLD), unit(0));
    }

    #[test]
    fn a_job_is_its_two_phases() {
        let job = Job { serial: 10, parallel: 20 };
        assert_eq!(job.parallel_units(), 10..30);
        assert_eq!(job.run_serially(), job.serial_phase().wrapping_add((10..30).map(unit).sum::<u64>()));
        // The serial phase depends on its order: it is not a plain sum.
        assert_ne!(job.serial_phase(), (0..10).map(unit).sum::<u64>());
        assert_eq!(Job { serial: 0, parallel: 0 }.run_serially(), 0);
    }
}

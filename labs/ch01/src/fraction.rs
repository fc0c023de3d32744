//! Exercise `ch01-fraction`: time the two phases of a job, and compute its serial
//! fraction.
//!
//! Read first: the recipe `intro_amdahl` (1st edition §1.6) and its page.
//!
//! Amdahl's law needs `f`, the share of a one-thread run's time that cannot be
//! shared out. Measure it:
//!
//! 1. [`measure`]: run a [`Job`]: its serial phase
//!    ([`Job::serial_phase`]) on the calling thread, then its parallel phase
//!    ([`Job::parallel_units`], each summed with
//!    [`unit`](crate::workload::unit)) with your
//!    [`parallel_sum`](crate::parallel::parallel_sum) on `threads` threads. Time each
//!    phase with `std::time::Instant`, and return both times with the job's result
//!    (the wrapping sum of the two phases' results);
//! 2. [`serial_fraction`]: `f = serial / (serial + parallel)` from the times of a
//!    run.
//!
//! Check your work with `cookbook lab check ch01-fraction`.

use std::time::Duration;

use crate::workload::Job;

/// How long each phase of a run took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Phases {
    pub serial: Duration,
    pub parallel: Duration,
}

/// A measured run of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measured {
    pub phases: Phases,
    /// The job's result: the same as [`Job::run_serially`].
    pub result: u64,
}

/// Run `job`, its parallel phase on `threads` threads, and time both phases.
pub fn measure(job: &Job, threads: usize) -> Measured {
    todo!("measure")
}

/// The serial fraction of a run, `serial / (serial + parallel)`, between 0 and 1;
/// `None` when both phases took no time at all.
pub fn serial_fraction(phases: Phases) -> Option<f64> {
    todo!("serial_fraction")
}

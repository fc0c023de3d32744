//! Solution of exercise `ch01-fraction`: time each phase with `Instant`, and
//! divide.

use std::time::{Duration, Instant};

use crate::parallel::parallel_sum;
use crate::workload::{Job, unit};

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

// ANCHOR: solution
/// Run `job`, its parallel phase on `threads` threads, and time both phases.
pub fn measure(job: &Job, threads: usize) -> Measured {
    let start = Instant::now();
    let serial = job.serial_phase();
    let between = Instant::now();
    let parallel = parallel_sum(job.parallel_units(), threads, unit);
    let end = Instant::now();
    Measured {
        phases: Phases { serial: between - start, parallel: end - between },
        result: serial.wrapping_add(parallel),
    }
}

/// The serial fraction of a run, `serial / (serial + parallel)`, between 0 and 1;
/// `None` when both phases took no time at all.
pub fn serial_fraction(phases: Phases) -> Option<f64> {
    let total = (phases.serial + phases.parallel).as_secs_f64();
    if total == 0.0 { None } else { Some(phases.serial.as_secs_f64() / total) }
}
// ANCHOR_END: solution

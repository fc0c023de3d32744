//! Exercise `ch01-fraction`: the serial fraction follows its formula from given
//! times, and a measured run gives the job's result with times that fit in the run.
//! `cookbook lab check ch01-fraction` runs these. No test asserts how long anything
//! takes.

use std::time::{Duration, Instant};

use lab_ch01::fraction::{Phases, measure, serial_fraction};
use lab_ch01::workload::Job;

fn phases(serial_ms: u64, parallel_ms: u64) -> Phases {
    Phases { serial: Duration::from_millis(serial_ms), parallel: Duration::from_millis(parallel_ms) }
}

fn close(got: Option<f64>, want: f64) -> bool {
    got.is_some_and(|g| (g - want).abs() < 1e-12)
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch01-fraction` runs it")]
fn the_serial_fraction_of_given_times() {
    // f = serial / (serial + parallel): the share of the whole run, not a ratio of
    // the two phases (1 s against 9 s is 0.1, not 0.111…).
    for (s, p, f) in [(1_000, 9_000, 0.1), (250, 750, 0.25), (3, 1, 0.75), (500, 500, 0.5)] {
        let got = serial_fraction(phases(s, p));
        assert!(close(got, f), "serial {s} ms and parallel {p} ms give f = {f}, not {got:?}");
    }
    assert!(close(serial_fraction(phases(0, 40)), 0.0), "no serial phase: f = 0");
    assert!(close(serial_fraction(phases(40, 0)), 1.0), "nothing but the serial phase: f = 1");
    let tiny = Phases { serial: Duration::from_nanos(1), parallel: Duration::from_nanos(3) };
    assert!(close(serial_fraction(tiny), 0.25), "1 ns and 3 ns give f = 0.25, not {:?}", serial_fraction(tiny));
    assert_eq!(serial_fraction(phases(0, 0)), None, "a run that took no time has no serial fraction");
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch01-fraction` runs it")]
fn a_measured_run_gives_the_jobs_result() {
    for job in [Job { serial: 500, parallel: 5_000 }, Job { serial: 0, parallel: 100 }, Job { serial: 50, parallel: 1 }]
    {
        for threads in [1, 2, 3] {
            let m = measure(&job, threads);
            assert_eq!(m.result, job.run_serially(), "measure({job:?}, {threads} threads) gives the wrong result");
        }
    }
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch01-fraction` runs it")]
fn the_measured_phases_fit_in_the_run() {
    // The two phases are measured inside the call, one after the other: together
    // they cannot be longer than the call itself, and a phase with work in it takes
    // some time. (This holds on any machine, fast or slow.)
    let job = Job { serial: 2_000, parallel: 20_000 };
    for threads in [1, 2] {
        let start = Instant::now();
        let m = measure(&job, threads);
        let call = start.elapsed();
        let both = m.phases.serial + m.phases.parallel;
        assert!(both <= call, "the phases ({both:?}) are longer than the whole call ({call:?}): were they measured?");
        assert!(m.phases.serial > Duration::ZERO, "the serial phase has 2 000 units but took no time: {m:?}");
        assert!(m.phases.parallel > Duration::ZERO, "the parallel phase has 20 000 units but took no time: {m:?}");
        let f = serial_fraction(m.phases).expect("a run that took time has a serial fraction");
        assert!((0.0..=1.0).contains(&f), "a serial fraction is between 0 and 1, not {f}");
    }
}

//! Exercise `ch01-amdahl`: Amdahl's prediction, the measured speed-up, and the law
//! turned around, compared with the chapter's own formulas
//! (`ch01_intro::theory`) and with values worked out by hand.
//! `cookbook lab check ch01-amdahl` runs these, and the run in `lab_amdahl.rs`.

use std::time::Duration;

use ch01_intro::theory::amdahl_speedup;
use lab_ch01::amdahl::{implied_serial_fraction, measured_speedup, predicted_speedup};

const FRACTIONS: [f64; 6] = [0.0, 0.05, 0.1, 0.25, 0.5, 1.0];
const THREADS: [usize; 6] = [1, 2, 3, 4, 8, 64];

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch01-amdahl` runs it")]
fn the_prediction_is_amdahls_law() {
    // Worked by hand: f = 0.1 on 4 threads is 1 / (0.1 + 0.9 / 4) = 1 / 0.325.
    let s = predicted_speedup(0.1, 4);
    assert!(close(s, 1.0 / 0.325), "f = 0.1 on 4 threads predicts 3.0769…, not {s}");
    for f in FRACTIONS {
        for p in THREADS {
            let (got, want) = (predicted_speedup(f, p), amdahl_speedup(f, p as f64));
            assert!(close(got, want), "f = {f} on {p} threads: Amdahl predicts {want}, not {got}");
        }
    }
    assert!(close(predicted_speedup(0.3, 1), 1.0), "one thread is never faster than one thread");
    assert!(close(predicted_speedup(0.0, 8), 8.0), "nothing serial: 8 threads, 8 times faster");
    assert!(close(predicted_speedup(1.0, 8), 1.0), "everything serial: no speed-up at all");
    assert!(predicted_speedup(0.1, 1_000_000) < 10.0, "f = 0.1 can never reach 10 times faster");
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch01-amdahl` runs it")]
fn the_measured_speedup_is_t1_over_tp() {
    let ms = Duration::from_millis;
    for (t1, tp, s) in [(10_000, 4_000, 2.5), (900, 900, 1.0), (300, 600, 0.5), (7, 2, 3.5)] {
        let got = measured_speedup(ms(t1), ms(tp));
        assert!(close(got, s), "{t1} ms on one thread and {tp} ms on p threads is a speed-up of {s}, not {got}");
    }
}

#[test]
#[cfg_attr(not(feature = "solution"), ignore = "a lab exercise: `cookbook lab check ch01-amdahl` runs it")]
fn the_law_turned_around_gives_back_the_fraction() {
    for f in FRACTIONS {
        for p in THREADS.into_iter().filter(|&p| p >= 2) {
            let s = amdahl_speedup(f, p as f64);
            let got = implied_serial_fraction(s, p);
            assert!(
                got.is_some_and(|g| (g - f).abs() < 1e-9),
                "a speed-up of {s} on {p} threads is what f = {f} predicts, so it implies f = {f}, not {got:?}"
            );
        }
    }
    // Measured worse than predicted: the implied fraction is larger.
    let worse = implied_serial_fraction(1.5, 2).expect("p = 2 has an implied fraction");
    assert!(close(worse, (1.0 / 1.5 - 0.5) / 0.5), "1.5 times faster on 2 threads implies f = 1/3, not {worse}");
    assert!(close(implied_serial_fraction(4.0, 4).unwrap_or(f64::NAN), 0.0), "4 times faster on 4: nothing serial");
    assert_eq!(implied_serial_fraction(1.0, 1), None, "one thread says nothing about the serial fraction");
}

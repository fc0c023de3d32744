//! Amdahl's and Gustafson's laws: how much faster can `p` workers make a program?
//!
//! 1st edition §1.6 *How to evaluate the performance of a parallel program*
//! (「1.6 如何评估并行程序的性能」) defines the measures every later chapter uses:
//!
//! - the **speed-up** `S = T1 / Tp`, the time on one worker over the time on `p`;
//! - the **efficiency** `E = S / p`, the share of each worker's time that is useful
//!   (1 is perfect, and real programs fall below it);
//! - **Amdahl's law**: a program whose serial part takes the fraction `f` of the
//!   one-worker run time can never run faster than `S = 1 / (f + (1 − f) / p)`,
//!   however many workers it gets: the limit for `p → ∞` is `1 / f`;
//! - **Gustafson's law**: if the problem grows with the machine, so that each worker
//!   keeps a full share and only the serial fraction `f` of the *parallel* run stays
//!   serial, the scaled speed-up is `S = p − f (p − 1)`, which keeps growing with `p`.
//!
//! With `f = 0.1` (a program that is 90 % parallel) Amdahl's limit is `1 / 0.1 = 10`.
//! The Chinese translation of §1.6 says 9: that is a slip, and the recipe
//! `intro_amdahl` prints 10.
//!
//! The recipe `intro_amdahl` prints these values beside measured ones.
//!
//! ```
//! use ch01_intro::theory::{amdahl_limit, amdahl_speedup, efficiency, gustafson_speedup};
//! let s = amdahl_speedup(0.1, 4.0);
//! assert!((s - 3.076923).abs() < 1e-6);
//! assert!((efficiency(s, 4.0) - 0.769231).abs() < 1e-6);
//! assert_eq!(amdahl_limit(0.1), 10.0);
//! assert!((gustafson_speedup(0.1, 4.0) - 3.7).abs() < 1e-12);
//! ```

// ANCHOR: laws
/// Amdahl's speed-up on `p` workers of a program whose serial part takes the
/// fraction `serial_fraction` of its one-worker time: `1 / (f + (1 − f) / p)`.
///
/// `p` is a float so that `f64::INFINITY` gives the limit [`amdahl_limit`].
///
/// # Panics
///
/// When `serial_fraction` is outside `0..=1` or `p < 1` (a recipe's flags are
/// checked by clap before they get here).
pub fn amdahl_speedup(serial_fraction: f64, p: f64) -> f64 {
    check(serial_fraction, p);
    1.0 / (serial_fraction + (1.0 - serial_fraction) / p)
}

/// The best speed-up Amdahl's law allows, with infinitely many workers: `1 / f`
/// (`f64::INFINITY` when nothing is serial).
///
/// # Panics
///
/// When `serial_fraction` is outside `0..=1`.
pub fn amdahl_limit(serial_fraction: f64) -> f64 {
    check(serial_fraction, 1.0);
    1.0 / serial_fraction
}

/// Efficiency `E = S / p`: the speed-up per worker. 1 means every worker was busy
/// with useful work all the time.
///
/// With `p` infinite it is 0 for any finite speed-up, and 1 for an infinite one
/// (the linear speed-up of a program with nothing serial, where `S = p` for every
/// `p`).
///
/// # Panics
///
/// When `p < 1`.
pub fn efficiency(speedup: f64, p: f64) -> f64 {
    check(0.0, p);
    if p.is_infinite() && speedup.is_infinite() {
        return 1.0;
    }
    speedup / p
}

/// Gustafson's scaled speed-up on `p` workers, when the serial part is the fraction
/// `serial_fraction` of the *parallel* run's time: `p − f (p − 1)`, which is the
/// same as `f + (1 − f) p`. It has no limit: with `p` infinite it is infinite
/// (1 when everything is serial).
///
/// # Panics
///
/// When `serial_fraction` is outside `0..=1` or `p < 1`.
pub fn gustafson_speedup(serial_fraction: f64, p: f64) -> f64 {
    check(serial_fraction, p);
    if serial_fraction == 1.0 {
        return 1.0; // nothing runs in parallel, and ∞ × 0 would give NaN
    }
    serial_fraction + (1.0 - serial_fraction) * p
}

// ANCHOR_END: laws

fn check(serial_fraction: f64, p: f64) {
    assert!(
        (0.0..=1.0).contains(&serial_fraction),
        "the serial fraction must be between 0 and 1, got {serial_fraction}"
    );
    assert!(p >= 1.0, "the number of workers must be at least 1, got {p}");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn amdahl_matches_the_formula() {
        assert!(close(amdahl_speedup(0.1, 1.0), 1.0));
        assert!(close(amdahl_speedup(0.1, 2.0), 1.818182));
        assert!(close(amdahl_speedup(0.1, 4.0), 3.076923));
        assert!(close(amdahl_speedup(0.1, 8.0), 4.705882));
        // Nothing serial: linear speed-up. Everything serial: none.
        assert!(close(amdahl_speedup(0.0, 16.0), 16.0));
        assert!(close(amdahl_speedup(1.0, 16.0), 1.0));
    }

    #[test]
    fn amdahl_tends_to_its_limit() {
        // 90 % parallel tops out at 10, not 9 as the translation of §1.6 says.
        assert_eq!(amdahl_limit(0.1), 10.0);
        assert_eq!(amdahl_speedup(0.1, f64::INFINITY), amdahl_limit(0.1));
        assert!(amdahl_speedup(0.1, 1e9) < 10.0);
        assert!(amdahl_speedup(0.1, 1e9) > 9.999);
        assert!(amdahl_limit(0.0).is_infinite());
        assert!(close(amdahl_limit(0.25), 4.0));
    }

    #[test]
    fn speedup_grows_with_workers_but_efficiency_falls() {
        let mut last_s = 0.0;
        let mut last_e = f64::INFINITY;
        for p in [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0] {
            let s = amdahl_speedup(0.1, p);
            let e = efficiency(s, p);
            assert!(s > last_s && e < last_e, "p = {p}: S = {s}, E = {e}");
            (last_s, last_e) = (s, e);
        }
        assert_eq!(efficiency(10.0, f64::INFINITY), 0.0);
        // Nothing serial: S = p, so E = 1 everywhere, at infinity too.
        assert_eq!(efficiency(amdahl_speedup(0.0, 8.0), 8.0), 1.0);
        assert_eq!(efficiency(amdahl_speedup(0.0, f64::INFINITY), f64::INFINITY), 1.0);
    }

    #[test]
    fn gustafson_matches_the_formula() {
        assert!(close(gustafson_speedup(0.1, 1.0), 1.0));
        assert!(close(gustafson_speedup(0.1, 2.0), 1.9));
        assert!(close(gustafson_speedup(0.1, 4.0), 3.7));
        assert!(close(gustafson_speedup(0.1, 64.0), 57.7));
        assert!(gustafson_speedup(0.1, f64::INFINITY).is_infinite());
        assert_eq!(gustafson_speedup(1.0, f64::INFINITY), 1.0);
        assert_eq!(gustafson_speedup(1.0, 8.0), 1.0);
        // It is never below Amdahl's: the problem grows with the machine.
        for p in [2.0, 8.0, 64.0] {
            assert!(gustafson_speedup(0.1, p) > amdahl_speedup(0.1, p));
        }
    }

    #[test]
    #[should_panic(expected = "serial fraction")]
    fn fraction_above_one_is_refused() {
        amdahl_speedup(1.5, 2.0);
    }

    #[test]
    #[should_panic(expected = "at least 1")]
    fn zero_workers_are_refused() {
        gustafson_speedup(0.1, 0.0);
    }
}

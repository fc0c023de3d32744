//! Command-line arguments shared by many recipes.
//!
//! Flatten [`Common`] into a recipe's own clap struct:
//!
//! ```
//! use clap::Parser;
//! #[derive(Parser)]
//! struct Args {
//!     #[command(flatten)]
//!     common: cookbook_support::Common,
//! }
//! let args = Args::parse_from(["recipe", "--delay-scale", "0.01", "--seed", "7"]);
//! assert_eq!(args.common.scaled(2.0), std::time::Duration::from_millis(20));
//! assert_eq!(args.common.seed(), 7);
//! ```

use std::time::Duration;

use clap::Args;

/// `--seed` and `--delay-scale`.
#[derive(Debug, Clone, Args)]
pub struct Common {
    /// Seed of the random generator; without it a seed is drawn and printed as
    /// `seed = N`, so any run can be replayed.
    #[arg(long, value_name = "U64")]
    pub seed: Option<u64>,

    /// Multiplies every sleep of the book's listing (0.01 makes a 2 s sleep 20 ms).
    #[arg(long, value_name = "FACTOR", default_value_t = 1.0, value_parser = non_negative_f64)]
    pub delay_scale: f64,
}

impl Common {
    /// A sleep of the book's listing, `secs` seconds, scaled by `--delay-scale`.
    pub fn scaled(&self, secs: f64) -> Duration {
        Duration::from_secs_f64(secs * self.delay_scale)
    }

    /// Sleep for the book's `secs` seconds, scaled.
    pub fn sleep(&self, secs: f64) {
        std::thread::sleep(self.scaled(secs));
    }

    /// The seed to use: `--seed`, or one drawn from the operating system. A drawn
    /// seed is printed as `seed = N` (once per call: call it once per run).
    pub fn seed(&self) -> u64 {
        crate::rng::resolve_seed(self.seed)
    }
}

/// clap value parser: a finite number ≥ 0.
pub fn non_negative_f64(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if v.is_finite() && v >= 0.0 { Ok(v) } else { Err(format!("`{s}` must be a finite number ≥ 0")) }
}

/// clap value parser: a finite number > 0.
pub fn positive_f64(s: &str) -> Result<f64, String> {
    let v = non_negative_f64(s)?;
    if v > 0.0 { Ok(v) } else { Err(format!("`{s}` must be greater than 0")) }
}

/// clap value parser: a whole number ≥ 1 (zero threads, zero items… are refused).
pub fn positive_usize(s: &str) -> Result<usize, String> {
    let v: usize = s.parse().map_err(|_| format!("`{s}` is not a whole number ≥ 1"))?;
    if v >= 1 { Ok(v) } else { Err("must be at least 1".to_string()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsers_refuse_bad_values() {
        assert!(non_negative_f64("-1").is_err());
        assert!(non_negative_f64("NaN").is_err());
        assert!(non_negative_f64("abc").is_err());
        assert_eq!(non_negative_f64("0").unwrap(), 0.0);
        assert!(positive_f64("0").is_err());
        assert!(positive_usize("0").is_err());
        assert!(positive_usize("-3").is_err());
        assert_eq!(positive_usize("8").unwrap(), 8);
    }
}

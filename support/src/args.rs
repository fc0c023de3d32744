//! Command-line arguments shared by many recipes, validated when they are parsed.
//!
//! A recipe flattens what it uses into its own clap struct, and nothing more: a flag
//! that does nothing in a recipe must not be accepted by it.
//!
//! - [`Trace`]: `--trace FILE`, which every recipe takes;
//! - [`Seed`]: `--seed`, for recipes that draw random numbers;
//! - [`Delay`]: `--delay-scale`, for recipes that sleep as the book's listing does;
//! - [`Common`]: all three.
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
//! assert!(Args::try_parse_from(["recipe", "--delay-scale", "1e300"]).is_err());
//! ```
//!
//! Durations are in seconds, as in the book's `time.sleep`, and every one has a
//! ceiling ([`MAX_SECONDS`], [`MAX_DELAY_SCALE`]): a value above it is refused with
//! exit status 2, so no recipe can be asked for a sleep that does not fit a
//! [`Duration`] (which would panic) or that would never end.
//!
//! Counts take [`count`], a range shown in `--help` by the flag's own doc comment:
//!
//! ```
//! use clap::Parser;
//! #[derive(Parser)]
//! struct Args {
//!     /// Worker threads [1–1000].
//!     #[arg(long, default_value_t = 4, value_parser = cookbook_support::count(1, 1000))]
//!     threads: usize,
//! }
//! assert!(Args::try_parse_from(["recipe", "--threads", "0"]).is_err());
//! assert!(Args::try_parse_from(["recipe", "--threads", "18446744073709551616"]).is_err());
//! assert_eq!(Args::parse_from(["recipe", "--threads", "8"]).threads, 8);
//! ```

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use clap::builder::{RangedU64ValueParser, TypedValueParser};

/// The longest single duration a flag accepts, in seconds (one hour).
pub const MAX_SECONDS: f64 = 3600.0;
/// The largest `--delay-scale` (the book's sleeps are a few seconds at most).
pub const MAX_DELAY_SCALE: f64 = 100.0;

/// `--trace FILE`: record a timeline of the run (see [`crate::trace`]).
#[derive(Debug, Clone, Default, Args)]
pub struct Trace {
    /// Write a timeline of the run to FILE, in the Chrome trace-event JSON format
    /// (open it in ui.perfetto.dev, or draw it with `cookbook timeline FILE`).
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
}

impl Trace {
    /// Start what every recipe's `main` starts: the `--trace` recording (nothing
    /// is recorded without the flag), and a quiet end when stdout is a closed pipe.
    /// Keep the returned session alive until the end of `main`: dropping it writes
    /// the trace file.
    pub fn start(&self) -> crate::trace::Session {
        crate::exit::quiet_broken_pipe();
        crate::trace::start(self.trace.as_deref())
    }
}

/// `--seed`.
#[derive(Debug, Clone, Default, Args)]
pub struct Seed {
    /// Seed of the random generator [0–18446744073709551615]; without it a seed is
    /// drawn and printed as `seed = N`, so any run can be replayed.
    #[arg(long, value_name = "U64")]
    pub seed: Option<u64>,
}

impl Seed {
    /// The seed to use: `--seed`, or one drawn from the operating system. A drawn
    /// seed is printed as `seed = N` (once per call: call it once per run).
    pub fn seed(&self) -> u64 {
        crate::rng::resolve_seed(self.seed)
    }
}

/// `--delay-scale`.
#[derive(Debug, Clone, Args)]
pub struct Delay {
    /// Multiplies every sleep of the book's listing [0–100] (0.01 makes a 2 s
    /// sleep 20 ms; 0 removes the sleeps).
    #[arg(long, value_name = "FACTOR", default_value_t = 1.0, value_parser = delay_scale)]
    pub delay_scale: f64,
}

impl Default for Delay {
    fn default() -> Self {
        Delay { delay_scale: 1.0 }
    }
}

impl Delay {
    /// A sleep of the book's listing, `secs` seconds, scaled by `--delay-scale`.
    /// Use it for `std::thread::sleep` and for `tokio::time::sleep` alike.
    pub fn scaled(&self, secs: f64) -> Duration {
        duration(secs * self.delay_scale)
    }

    /// Sleep for the book's `secs` seconds, scaled, blocking this thread.
    pub fn sleep(&self, secs: f64) {
        crate::trace::sleep(self.scaled(secs));
    }
}

/// `--seed`, `--delay-scale` and `--trace`.
#[derive(Debug, Clone, Default, Args)]
pub struct Common {
    #[command(flatten)]
    pub seed: Seed,
    #[command(flatten)]
    pub delay: Delay,
    #[command(flatten)]
    pub trace: Trace,
}

impl Common {
    /// [`Delay::scaled`].
    pub fn scaled(&self, secs: f64) -> Duration {
        self.delay.scaled(secs)
    }

    /// [`Delay::sleep`].
    pub fn sleep(&self, secs: f64) {
        self.delay.sleep(secs)
    }

    /// [`Seed::seed`].
    pub fn seed(&self) -> u64 {
        self.seed.seed()
    }

    /// [`Trace::start`].
    pub fn start(&self) -> crate::trace::Session {
        self.trace.start()
    }
}

/// `secs` seconds as a [`Duration`], never panicking: negative or NaN is zero, and
/// anything too long for a `Duration` is [`Duration::MAX`].
pub fn duration(secs: f64) -> Duration {
    if secs.is_nan() || secs <= 0.0 {
        Duration::ZERO
    } else {
        Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX)
    }
}

/// clap value parser: a finite number ≥ 0.
pub fn non_negative_f64(s: &str) -> Result<f64, String> {
    let v: f64 = s.trim().parse().map_err(|_| format!("`{s}` is not a number"))?;
    if v.is_finite() && v >= 0.0 { Ok(v) } else { Err(format!("`{s}` must be a finite number ≥ 0")) }
}

/// clap value parser: a finite number > 0.
pub fn positive_f64(s: &str) -> Result<f64, String> {
    let v = non_negative_f64(s)?;
    if v > 0.0 { Ok(v) } else { Err(format!("`{s}` must be greater than 0")) }
}

/// clap value parser: a duration in seconds, 0 to [`MAX_SECONDS`].
pub fn seconds(s: &str) -> Result<f64, String> {
    let v = non_negative_f64(s)?;
    if v <= MAX_SECONDS { Ok(v) } else { Err(format!("`{s}` seconds is more than the limit of {MAX_SECONDS} s")) }
}

/// clap value parser of `--delay-scale`: 0 to [`MAX_DELAY_SCALE`].
pub fn delay_scale(s: &str) -> Result<f64, String> {
    let v = non_negative_f64(s)?;
    if v <= MAX_DELAY_SCALE { Ok(v) } else { Err(format!("`{s}` is more than the limit of {MAX_DELAY_SCALE}")) }
}

/// clap value parser: a whole number from `lo` to `hi`, both included. Say the
/// range in the flag's doc comment, so that `--help` shows it.
pub fn count(lo: usize, hi: usize) -> impl TypedValueParser<Value = usize> {
    RangedU64ValueParser::<usize>::new().range(lo as u64..=hi as u64)
}

/// clap value parser: a whole number ≥ 1 (zero threads, zero items… are refused).
/// Prefer [`count`], which also has a ceiling.
pub fn positive_usize(s: &str) -> Result<usize, String> {
    let v: usize = s.parse().map_err(|_| format!("`{s}` is not a whole number ≥ 1"))?;
    if v >= 1 { Ok(v) } else { Err("must be at least 1".to_string()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Probe {
        #[command(flatten)]
        common: Common,
        #[arg(long, value_parser = count(1, 10))]
        n: Option<usize>,
        #[arg(long, value_parser = seconds)]
        secs: Option<f64>,
    }

    fn parses(args: &[&str]) -> bool {
        Probe::try_parse_from(std::iter::once("probe").chain(args.iter().copied())).is_ok()
    }

    #[test]
    fn parsers_refuse_bad_values() {
        assert!(non_negative_f64("-1").is_err());
        assert!(non_negative_f64("NaN").is_err());
        assert!(non_negative_f64("inf").is_err());
        assert!(non_negative_f64("abc").is_err());
        assert_eq!(non_negative_f64("0").unwrap(), 0.0);
        assert!(positive_f64("0").is_err());
        assert!(positive_usize("0").is_err());
        assert!(positive_usize("-3").is_err());
        assert_eq!(positive_usize("8").unwrap(), 8);
        assert!(seconds("3600").is_ok());
        assert!(seconds("3600.5").is_err());
        assert!(delay_scale("100").is_ok());
        assert!(delay_scale("1e300").is_err());
    }

    #[test]
    fn shared_flags_refuse_what_would_panic() {
        for bad in ["1e300", "-1", "NaN", "x", "", "18446744073709551616"] {
            assert!(!parses(&["--delay-scale", bad]), "--delay-scale {bad:?} accepted");
            assert!(!parses(&["--secs", bad]), "--secs {bad:?} accepted");
            assert!(!parses(&["--n", bad]), "--n {bad:?} accepted");
        }
        assert!(!parses(&["--seed", "18446744073709551616"]));
        assert!(!parses(&["--n", "0"]));
        assert!(!parses(&["--n", "11"]));
        assert!(parses(&["--n", "10", "--secs", "0", "--delay-scale", "0", "--seed", "0"]));
    }

    #[test]
    fn durations_never_panic() {
        assert_eq!(duration(-1.0), Duration::ZERO);
        assert_eq!(duration(f64::NAN), Duration::ZERO);
        assert_eq!(duration(1e300), Duration::MAX);
        assert_eq!(duration(0.25), Duration::from_millis(250));
        let d = Delay { delay_scale: MAX_DELAY_SCALE };
        assert_eq!(d.scaled(MAX_SECONDS), Duration::from_secs(360_000));
    }
}

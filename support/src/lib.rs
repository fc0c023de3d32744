//! `cookbook-support`: the few things every chapter of the cookbook shares.
//!
//! Nothing here is the lesson of a chapter. It holds:
//!
//! - [`child`]: re-executing the current binary as a child process, which is how a
//!   Rust recipe plays the part of Python's `multiprocessing` (Rust cannot fork an
//!   interpreter, so a child is the same program started again with a hidden role);
//!   starting and reaping a set of children; children that die with their parent;
//! - [`facts`]: the `key = value` facts recipes print, read by tests and parents;
//! - [`exit`]: the exit statuses every recipe uses, the "missing requirement"
//!   exit (status 3), and a quiet end on a closed pipe;
//! - [`rng`]: the seeded random-number generator behind every `--seed` flag;
//! - [`args`]: the clap arguments shared by many recipes (`--seed`,
//!   `--delay-scale`, `--trace`), validated when parsed, and value parsers with
//!   ranges;
//! - [`trace`]: the timeline that `--trace FILE` records;
//! - [`testing`]: what the integration tests of every chapter use to run a recipe
//!   under a time limit (or under `mpirun`) and read its facts.
//!
//! A recipe's `main` starts like this:
//!
//! ```no_run
//! use std::process::ExitCode;
//! use clap::Parser;
//!
//! #[derive(Parser)]
//! struct Args {
//!     #[command(flatten)]
//!     trace: cookbook_support::Trace,
//! }
//!
//! fn main() -> ExitCode {
//!     let args = Args::parse();
//!     let _session = args.trace.start();
//!     // … the listing …
//!     cookbook_support::Status::Success.into()
//! }
//! ```

pub mod args;
pub mod child;
pub mod exit;
pub mod facts;
pub mod needs;
pub mod rng;
pub mod testing;
pub mod trace;

pub use args::{Common, Delay, Seed, Trace, count, positive_f64, positive_usize, seconds};
pub use exit::{EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_MISSING, Status, fail, missing_requirement, quiet_broken_pipe};
pub use trace::Session;

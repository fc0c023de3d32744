//! `cookbook-support`: the few things every chapter of the cookbook shares.
//!
//! Nothing here is the lesson of a chapter. It holds:
//!
//! - [`child`]: re-executing the current binary as a child process, which is how a
//!   Rust recipe plays the part of Python's `multiprocessing` (Rust cannot fork an
//!   interpreter, so a child is the same program started again with a hidden role);
//! - [`exit`]: the "missing requirement" exit (status 3) and the exit-status
//!   constants every recipe uses;
//! - [`rng`]: the seeded random-number generator behind every `--seed` flag;
//! - [`args`]: the clap arguments shared by many recipes (`--seed`, `--delay-scale`);
//! - [`testing`]: what the integration tests of every chapter use to run a recipe
//!   under a time limit and read its `key = value` facts.

pub mod args;
pub mod child;
pub mod exit;
pub mod rng;
pub mod testing;

pub use args::{Common, positive_f64, positive_usize};
pub use exit::{EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_MISSING, missing_requirement};

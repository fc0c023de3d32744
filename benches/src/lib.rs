//! The bench package of the Parallel Cookbook (crate `cookbook-bench`).
//!
//! - the criterion benches, at the top of this folder: `book_2_13.rs` (1st edition
//!   §2.13), `do_something.rs` (the 2nd edition's chapter 1 test), `primitives.rs`
//!   (spawns, locks, channels, async tasks, an OpenCL kernel);
//! - their twins: `python/` (run with the project's `.venv`) and `c/` (the operating
//!   system's floor, built by `scripts/bench` with `cc`);
//! - `bench_worker`, the child process of the benches' `processes` mode;
//! - `bench_report` and this library: the report (Markdown and SVG plots) that
//!   `scripts/bench` writes from criterion's results and the twins' JSON lines.
//!
//! The modules: [`data`] loads the results, [`book`] holds the 1st edition's own
//! figures and the limits, [`report`] writes the Markdown, [`plots`] the SVGs,
//! [`machine`] describes the machine, [`pools`] builds the benches' rayon pools.

pub mod book;
pub mod data;
pub mod machine;
pub mod plots;
pub mod pools;
pub mod report;

#[cfg(test)]
mod tests;

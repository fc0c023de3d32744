//! Chapter 1: getting started with parallel computing.
//!
//! The chapter's building blocks, shared by its recipes and by the root package's
//! benches:
//!
//! - [`work`]: `do_something`, the 2nd edition's Chapter01 workload;
//! - [`theory`]: the speed-up laws of 1st edition §1.6 (Amdahl, Gustafson).

pub mod theory;
pub mod work;

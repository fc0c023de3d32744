//! The root package of the Parallel Cookbook: the `cookbook` command and what its
//! tests share.
//!
//! - [`index`]: `recipes.toml`, the single recipe index;
//! - [`doctor`]: the checks of `cookbook doctor`;
//! - [`lab`]: `labs.toml` and `cookbook lab`, the chapters' labs.

pub mod doctor;
pub mod index;
pub mod lab;

//! The root package of the Parallel Cookbook: the `cookbook` command and what its
//! tests share.
//!
//! - [`index`]: `recipes.toml`, the single recipe index;
//! - [`doctor`]: the checks of `cookbook doctor`.

pub mod doctor;
pub mod index;

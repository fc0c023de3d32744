//! What the root tests share: the workspace's binaries, built once, with the
//! features that the feature-gated recipes need.
//!
//! A recipe behind a cargo feature (`mpi`, `cuda`: `required-features` in its
//! crate) is built only with that feature. `scripts/test` sets `COOKBOOK_FEATURES`
//! to every such feature (`scripts/features` reads them from `recipes.toml`), so
//! that these tests reach every recipe. Under a plain `cargo test` a gated recipe
//! whose binary is missing is skipped with a line; under `CI=true` it is a failure.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use parallel_cookbook::index::{self, Recipe};

pub const COOKBOOK: &str = env!("CARGO_BIN_EXE_cookbook");

/// The folder of the workspace's binaries, after building all of them once.
pub fn bin_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let mut cmd = Command::new(env!("CARGO"));
        cmd.args(["build", "--quiet", "--workspace", "--bins"]).current_dir(env!("CARGO_MANIFEST_DIR"));
        if let Ok(features) = std::env::var("COOKBOOK_FEATURES")
            && !features.trim().is_empty()
        {
            cmd.args(["--features", features.trim()]);
        }
        let status = cmd.status().expect("cargo runs");
        assert!(status.success(), "cargo build --workspace --bins failed");
        PathBuf::from(COOKBOOK).parent().unwrap().to_path_buf()
    })
}

/// The path of a recipe's binary, or `None` (with a line saying why) when it
/// needs a feature it was not built with, outside CI.
pub fn recipe_bin(r: &Recipe) -> Option<String> {
    let path = bin_dir().join(&r.name);
    if path.exists() {
        return Some(path.to_string_lossy().into_owned());
    }
    match feature_of(r) {
        Some(f) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("SKIPPED {}: built only with `--features {}` (scripts/test builds it)", r.name, f);
            None
        }
        Some(f) => panic!("{} was not built under CI=true: is `{f}` in COOKBOOK_FEATURES?", r.name),
        None => panic!("the binary of {} is missing from {}", r.name, bin_dir().display()),
    }
}

/// `crate/feature` for a recipe behind a feature.
pub fn feature_of(r: &Recipe) -> Option<String> {
    r.needs.feature().map(|f| format!("{}/{f}", r.krate))
}

/// Every recipe of the index.
pub fn recipes() -> Vec<Recipe> {
    index::recipes()
}

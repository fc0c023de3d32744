//! Every recipe binary answers `--help` and refuses a bad flag with exit 2;
//! `cookbook list` and `cookbook run` work.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use cookbook_support::testing::{Runner, run};
use parallel_cookbook::index;

const COOKBOOK: &str = env!("CARGO_BIN_EXE_cookbook");

/// The folder of the workspace's binaries, after building all of them once.
fn bin_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--workspace", "--bins"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo runs");
        assert!(status.success(), "cargo build --workspace --bins failed");
        PathBuf::from(COOKBOOK).parent().unwrap().to_path_buf()
    })
}

fn recipe_bin(name: &str) -> String {
    bin_dir().join(name).to_string_lossy().into_owned()
}

#[test]
fn every_recipe_answers_help() {
    for r in index::recipes() {
        let out = run(&recipe_bin(&r.name), &["--help"]).success();
        assert!(out.stdout.contains("Usage:"), "{} --help prints no usage\n{}", r.name, out.dump());
    }
}

#[test]
fn every_recipe_refuses_a_bad_flag() {
    for r in index::recipes() {
        let out = run(&recipe_bin(&r.name), &["--no-such-flag"]).status(2);
        assert!(out.stderr.contains("--no-such-flag"), "{} does not name the bad flag\n{}", r.name, out.dump());
    }
}

#[test]
fn list_shows_every_recipe() {
    let out = run(COOKBOOK, &["list"]).success();
    let all = index::recipes();
    for r in &all {
        assert!(out.stdout.lines().any(|l| l.contains(&r.name)), "`cookbook list` misses {}", r.name);
    }
    assert!(out.stdout.contains(&format!("{} recipes.", all.len())));

    let ch2 = run(COOKBOOK, &["list", "--chapter", "2"]).success();
    for r in &all {
        assert_eq!(ch2.stdout.contains(&r.name), r.chapter == 2, "--chapter 2 and {}", r.name);
    }
    assert!(ch2.stdout.lines().any(|l| l.starts_with("§2.6") && l.contains("thread_lock")));
    run(COOKBOOK, &["list", "--chapter", "9"]).status(2);
}

/// `cookbook run` started outside cargo runs the binary built beside it.
fn cookbook() -> Runner {
    bin_dir();
    Runner::new(COOKBOOK).env("CARGO", "").env("CARGO_MANIFEST_DIR", "")
}

#[test]
fn run_by_section_and_by_name() {
    let out = cookbook().args(&["run", "2.6", "--", "--count", "2000"]).run().success();
    assert!(out.stdout.contains("with_lock = 0"), "{}", out.dump());
    let out = cookbook().args(&["run", "thread_lock", "--", "--count", "10", "--increment-only"]).run().success();
    assert!(out.stdout.contains("with_lock = 20"), "{}", out.dump());
}

#[test]
fn run_passes_the_exit_status_through() {
    // A bad flag for the recipe: the recipe's own exit 2 comes back.
    let out = cookbook().args(&["run", "2.6", "--", "--count", "0"]).run().status(2);
    assert!(out.stderr.contains("--count"), "{}", out.dump());
}

#[test]
fn run_refuses_an_unknown_recipe() {
    let out = run(COOKBOOK, &["run", "9.99"]).status(2);
    assert!(out.stderr.contains("cookbook list"), "{}", out.dump());
    run(COOKBOOK, &["run", "no_such_recipe"]).status(2);
    run(COOKBOOK, &["frobnicate"]).status(2);
}

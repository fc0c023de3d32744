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

#[test]
fn list_marks_the_titles_this_cookbook_made_up() {
    let out = run(COOKBOOK, &["list"]).success();
    for r in index::recipes() {
        let line = out.stdout.lines().find(|l| l.contains(&format!(" {} ", r.name))).unwrap();
        assert!(line.contains(&r.title_zh_shown()), "`cookbook list` shows {} as {line}", r.name);
        assert_eq!(line.contains(index::OWN_TITLE_MARK), r.title_zh_own, "{line}");
        assert!(line.contains(&format!(" {} ", r.needs)), "`cookbook list` misses the needs of {}: {line}", r.name);
    }
}

/// A port on loopback where nothing listens: bound, then closed.
fn closed_port() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    format!("127.0.0.1:{port}")
}

#[test]
fn doctor_reports_what_is_missing_and_which_recipes_need_it() {
    let empty = tempfile::tempdir().unwrap();
    let dir = empty.path().to_str().unwrap();
    let addr = closed_port();
    let out = Runner::new(COOKBOOK)
        .args(&["doctor"])
        .env("AMQP_ADDR", &format!("amqp://guest:guest@{addr}/%2f"))
        .env("REDIS_ADDR", &format!("redis://{addr}/"))
        .env("OCL_ICD_VENDORS", dir)
        .env("COOKBOOK_CUDA_LIBRARY", &format!("{dir}/libcuda.so.1"))
        .run()
        .status(1);
    for (key, state) in [("amqp", "missing"), ("redis", "missing"), ("opencl", "missing"), ("cuda", "absent")] {
        let fact = out.facts(key);
        assert!(fact.len() == 1 && fact[0].starts_with(state), "{key} should be {state}\n{}", out.dump());
    }
    // Which recipes of the index need each back end: as many as recipes.toml says.
    let all = index::recipes();
    for (key, kind) in
        [("mpi", "mpi"), ("amqp", "broker"), ("opencl", "opencl"), ("cuda", "cuda"), ("python", "python")]
    {
        let n = all.iter().filter(|r| r.needs.kinds().iter().any(|k| k.as_str() == kind)).count();
        assert!(out.facts(key)[0].ends_with(&format!("needed_by = {n}")), "{key}: {n} recipes\n{}", out.dump());
    }
    assert_eq!(out.stdout.matches("needed by (").count(), 6, "{}", out.dump());
    // The empty vendor folder is named, rather than packages that are installed.
    let opencl = out.lines().into_iter().find(|l| l.contains("OpenCL platform")).unwrap().to_string();
    if !opencl.contains("no OpenCL loader") {
        assert!(opencl.contains("OCL_ICD_VENDORS") && opencl.contains(dir), "{}", out.dump());
        let fix = out.lines()[out.line_index("OpenCL platform") + 1];
        assert!(fix.contains("fix:") && !fix.contains("install"), "{}", out.dump());
    }
    assert!(out.stdout.contains("missing: ") && out.stdout.contains("amqp, redis"), "{}", out.dump());
    assert!(!out.stdout.contains("guest:guest"), "the broker password is shown\n{}", out.dump());
}

#[test]
fn need_is_hidden_from_help() {
    let out = run(COOKBOOK, &["--help"]).success();
    let commands: Vec<_> = out.lines().into_iter().filter_map(|l| l.strip_prefix("  ")?.split(' ').next()).collect();
    assert!(commands.contains(&"doctor") && !commands.contains(&"need"), "{}", out.dump());
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

//! `cookbook run` becomes the recipe (exec): a signal sent to its pid reaches the
//! recipe, and nothing is left running after it.

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill, killpg};
use nix::unistd::Pid;

mod common;

/// The program that pid `pid` runs now, from `/proc/PID/exe`.
fn exe_of(pid: u32) -> Option<String> {
    std::fs::read_link(format!("/proc/{pid}/exe")).ok().map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
}

fn killed_run_leaves_nothing(signal: Signal) {
    // Build the recipes once, so that `cookbook run` finds the sibling binary.
    common::bin_dir();
    // `--non-reentrant --timeout 60` blocks for a minute: long enough to be killed.
    let mut child = Command::new(common::COOKBOOK)
        .args(["run", "thread_rlock", "--", "--non-reentrant", "--timeout", "60"])
        .env_remove("CARGO")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("cookbook starts");
    let pid = child.id();
    let start = Instant::now();
    // The same pid must become the recipe.
    while exe_of(pid).as_deref() != Some("thread_rlock") {
        assert!(start.elapsed() < Duration::from_secs(20), "pid {pid} never became thread_rlock: {:?}", exe_of(pid));
        std::thread::sleep(Duration::from_millis(10));
    }
    kill(Pid::from_raw(pid as i32), signal).expect("signal sent");
    let status = child.wait().expect("waited");
    assert!(!status.success(), "the recipe was killed, yet it exited 0");
    // Nothing of the process group is left within a second.
    let group = Pid::from_raw(pid as i32);
    let gone = Instant::now();
    while killpg(group, None).is_ok() {
        if gone.elapsed() > Duration::from_secs(1) {
            let _ = killpg(group, Signal::SIGKILL);
            panic!("processes of `cookbook run` were left after {signal:?} to its pid");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn sigterm_to_cookbook_run_ends_the_recipe() {
    killed_run_leaves_nothing(Signal::SIGTERM);
}

#[test]
fn sigkill_to_cookbook_run_ends_the_recipe() {
    killed_run_leaves_nothing(Signal::SIGKILL);
}

#[test]
fn the_exit_status_is_the_recipes_own() {
    common::bin_dir();
    let status = Command::new(common::COOKBOOK)
        .args(["run", "thread_lock", "--", "--count", "0"])
        .env_remove("CARGO")
        .stderr(Stdio::null())
        .status()
        .expect("cookbook runs");
    assert_eq!(status.code(), Some(2), "a bad flag of the recipe gives the recipe's exit 2");
}

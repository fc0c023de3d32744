//! What the process tests share: kill a recipe's parent process by its pid alone
//! and check that none of its children is left.

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// One process as `/proc/<pid>/stat` shows it.
struct Proc {
    pid: u32,
    state: char,
    ppid: u32,
    pgrp: u32,
}

/// Every process of the machine.
fn processes() -> Vec<Proc> {
    let Ok(dir) = std::fs::read_dir("/proc") else { return Vec::new() };
    dir.filter_map(|e| {
        let pid: u32 = e.ok()?.file_name().to_str()?.parse().ok()?;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // `pid (comm) state ppid pgrp …`; comm may hold spaces and parentheses.
        let rest = stat.rsplit_once(')')?.1;
        let mut f = rest.split_whitespace();
        let state = f.next()?.chars().next()?;
        Some(Proc { pid, state, ppid: f.next()?.parse().ok()?, pgrp: f.next()?.parse().ok()? })
    })
    .collect()
}

/// The live (not yet exited: zombies do not count) processes `select` picks.
fn live(select: impl Fn(&Proc) -> bool) -> Vec<u32> {
    processes().into_iter().filter(|p| p.state != 'Z' && p.state != 'X' && select(p)).map(|p| p.pid).collect()
}

/// Start `bin args` in a process group of its own, wait until it has `children`
/// live children, send `signal` (a name for `kill -s`) to the parent's pid alone,
/// reap the parent, and return the processes of its group still alive one second
/// later (none, when children die with their parent). The group is killed at the
/// end whatever happens, so no test leaves a process behind.
pub fn left_after_killing_the_parent(bin: &str, args: &[&str], children: usize, signal: &str) -> Vec<u32> {
    let mut cmd = Command::new(bin);
    cmd.args(args).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).process_group(0);
    // The recipe dies with this test, if the test itself is killed.
    cookbook_support::child::die_with_parent(&mut cmd);
    let mut parent = cmd.spawn().expect("the recipe starts");
    let pid = parent.id();
    let kill_group = || {
        let _ = Command::new("kill").args(["-s", "KILL", "--", &format!("-{pid}")]).stderr(Stdio::null()).status();
    };

    let started = Instant::now();
    while live(|p| p.ppid == pid).len() < children {
        if started.elapsed() > Duration::from_secs(30) {
            kill_group();
            let _ = parent.wait();
            panic!("`{bin}` did not start {children} children within 30 s");
        }
        thread::sleep(Duration::from_millis(10));
    }
    // The parent's pid alone, not its group.
    let sent = Command::new("kill").args(["-s", signal, &pid.to_string()]).status().expect("kill runs");
    assert!(sent.success(), "kill -s {signal} {pid} failed");
    let status = parent.wait().expect("the parent is reaped");
    assert!(status.code().is_none(), "the parent should have died of SIG{signal}, not exited with {status}");

    let deadline = Instant::now() + Duration::from_secs(1);
    let mut left = live(|p| p.pgrp == pid);
    while !left.is_empty() && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
        left = live(|p| p.pgrp == pid);
    }
    kill_group();
    left
}

//! `thread_performance`: every workload is measured for every n in every mode asked
//! for, in the book's format and as `workload = … mode = … n = … seconds = …`
//! records; the worker processes of `--with-processes` die with their parent, however
//! it dies. Timings and speedups are never asserted.

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use cookbook_support::testing::{Run, run};
use cookbook_support::{assert_run, assert_run_eq};
use nix::sys::signal::{Signal, kill, killpg};
use nix::sys::wait::{WaitPidFlag, waitpid};
use nix::unistd::Pid;

const BIN: &str = env!("CARGO_BIN_EXE_thread_performance");

const WORKLOADS: [&str; 5] = ["empty", "fib", "fib-u64", "file", "url"];

/// Exactly one record for (workload, mode, n), and it took some time.
#[track_caller]
fn assert_measured(out: &Run, workload: &str, mode: &str, n: usize) {
    let found: Vec<f64> = out
        .records("workload")
        .iter()
        .filter(|r| r.get("workload") == Some(workload) && r.get("mode") == Some(mode))
        .filter(|r| out.field::<usize>(r, "n") == n)
        .map(|r| out.field::<f64>(r, "seconds"))
        .collect();
    assert_run_eq!(out, found.len(), 1, "expected one record for {workload} {mode} n={n}");
    assert_run!(out, found[0] > 0.0, "{workload} {mode} n={n} took no time?");
}

#[test]
fn every_workload_and_count_is_measured_threaded_and_not() {
    let out = run(BIN, &["--repeat", "2", "--latency", "0.001"]).success();
    for w in WORKLOADS {
        for n in [1, 2, 4, 8] {
            assert_measured(&out, w, "non_threaded", n);
            assert_measured(&out, w, "threaded", n);
        }
    }
    assert_run_eq!(out, out.records("workload").len(), WORKLOADS.len() * 4 * 2, "only the book's two modes");

    // One block of the book's lines per workload, label in 23 columns.
    let lines = out.lines();
    assert_run_eq!(out, lines.iter().filter(|l| **l == "Starting tests").count(), WORKLOADS.len());
    assert_run_eq!(out, lines.iter().filter(|l| **l == "Iterations complete").count(), WORKLOADS.len());
    for label in ["non_threaded (8 iters)", "threaded (8 threads)"] {
        let prefix = format!("{label:<23} ");
        let shown = lines.iter().filter(|l| l.starts_with(&prefix) && l.ends_with(" seconds")).count();
        assert_run_eq!(out, shown, WORKLOADS.len(), "`{prefix}… seconds` once per workload");
    }
    assert!(out.line_index("Starting tests") < out.line_index("Iterations complete"));

    // The speedup table has a threaded row for every workload, after the tests.
    let table = out.line_index("Speedup over non_threaded");
    for w in WORKLOADS {
        let row = lines.iter().position(|l| l.split_whitespace().take(2).eq([w, "threaded"]));
        let row = row.unwrap_or_else(|| panic!("no speedup row for {w}\n{}", out.dump()));
        assert!(row > table);
        assert_run_eq!(out, lines[row].split_whitespace().count(), 2 + 4, "one cell per n: {}", lines[row]);
    }
    assert_run_eq!(out, out.fact("repeat"), "2 (url: 2)");
    assert_run_eq!(out, out.fact("fib_steps"), "10000");
    assert_run_eq!(out, out.fact("latency"), "0.001");
}

#[test]
fn rayon_and_processes_rows_for_every_workload() {
    let out = run(
        BIN,
        &[
            "--repeat",
            "2",
            "--url-repeat",
            "1",
            "--latency",
            "0.001",
            "--counts",
            "1,2",
            "--with-rayon",
            "--with-processes",
        ],
    )
    .success();
    for w in WORKLOADS {
        for n in [1, 2] {
            for mode in ["non_threaded", "threaded", "rayon", "processes"] {
                assert_measured(&out, w, mode, n);
            }
        }
    }
    assert_run_eq!(out, out.records("workload").len(), WORKLOADS.len() * 2 * 4);
    assert_run!(out, out.stdout.contains(&format!("{:<23} ", "processes (2 procs)")));
    assert_run!(out, out.stdout.contains(&format!("{:<23} ", "rayon (2 threads)")));
    assert_run_eq!(out, out.fact("repeat"), "2 (url: 1)");
}

#[test]
fn one_workload_only() {
    let out = run(BIN, &["--workload", "fib", "--repeat", "1", "--counts", "2", "--fib-steps", "20000"]).success();
    assert_run_eq!(out, out.fact("fib_steps"), "20000");
    assert_run!(out, out.stdout.contains("--fib-steps 20000"));
    assert_run_eq!(out, out.records("workload").len(), 2);
    assert_measured(&out, "fib", "non_threaded", 2);
    assert_measured(&out, "fib", "threaded", 2);
}

#[test]
fn a_worker_with_bad_arguments_is_refused() {
    // The hidden worker role parses its arguments with clap, like any program.
    for bad in [&["__child", "worker", "nope"][..], &["__child", "worker", "fib", "--steps", "0"], &["__child", "boss"]]
    {
        let out = run(BIN, bad).status(2);
        assert_run!(out, out.stderr.contains("perf worker:"));
    }
    run(BIN, &["__child", "worker", "fib", "--steps", "10"]).success();
}

/// The pids of the processes in process group `pgid`, other than `except`.
fn group_members(pgid: Pid, except: Pid) -> Vec<i32> {
    let mut pids = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) else { continue };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        // `pid (comm) state ppid pgrp …`: the fields after the last `)`.
        let fields: Vec<&str> =
            stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
        let (state, pgrp) = (fields.first().copied(), fields.get(2).and_then(|g| g.parse::<i32>().ok()));
        if pgrp == Some(pgid.as_raw()) && pid != except.as_raw() && state != Some("Z") {
            pids.push(pid);
        }
    }
    pids
}

/// Start the recipe in a process group of its own, with worker processes that
/// would live for seconds; send `signal` to the parent's pid alone once a worker is
/// running; then no process of the group may be left a second later.
fn workers_die_with_their_parent(signal: Signal) {
    // Orphans are re-parented to this test process, which reaps them below, so
    // that a dead worker cannot linger as a zombie that `killpg` would still find.
    nix::sys::prctl::set_child_subreaper(true).expect("PR_SET_CHILD_SUBREAPER");
    // One Fibonacci call of 300 000 steps takes about 2 s in a debug build: the
    // parent times one sequential and one threaded call, then starts a worker that
    // would compute for 2 s more. (Not the url workload: its worker fails at once
    // when the parent's server dies with the parent, and so would end by itself.)
    let mut cmd = Command::new(BIN);
    cmd.args(["--workload", "fib", "--fib-steps", "300000", "--counts", "1", "--repeat", "1", "--with-processes"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0);
    // This thread waits for the recipe: if the test dies, the recipe dies too.
    cookbook_support::child::die_with_parent(&mut cmd);
    let mut parent = cmd.spawn().expect("start thread_performance");
    let pid = Pid::from_raw(parent.id() as i32);
    let pgid = pid;

    let deadline = Instant::now() + Duration::from_secs(60);
    let workers = loop {
        let members = group_members(pgid, pid);
        if !members.is_empty() {
            break members;
        }
        if Instant::now() > deadline || parent.try_wait().expect("try_wait").is_some() {
            let _ = killpg(pgid, Signal::SIGKILL);
            panic!("no worker process appeared within 60 s");
        }
        thread::sleep(Duration::from_millis(10));
    };

    kill(pid, signal).expect("signal the parent");
    let status = parent.wait().expect("wait for the parent");
    assert!(!status.success(), "the parent was killed by {signal}, yet exited {status}");

    let killed_at = Instant::now();
    while killpg(pgid, None).is_ok() {
        // Reap the workers that died (they are this process's children now).
        while let Ok(status) = waitpid(Pid::from_raw(-pgid.as_raw()), Some(WaitPidFlag::WNOHANG)) {
            if status == nix::sys::wait::WaitStatus::StillAlive {
                break;
            }
        }
        if killed_at.elapsed() > Duration::from_secs(1) {
            let left = group_members(pgid, pid);
            let _ = killpg(pgid, Signal::SIGKILL);
            panic!("after {signal} to the parent, workers {workers:?} were still running: {left:?}");
        }
        thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn workers_die_when_the_parent_gets_sigterm() {
    workers_die_with_their_parent(Signal::SIGTERM);
}

#[test]
fn workers_die_when_the_parent_gets_sigkill() {
    workers_die_with_their_parent(Signal::SIGKILL);
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--counts", "0"]).status(2);
    assert_run!(out, out.stderr.contains("--counts"));
    let out = run(BIN, &["--workload", "nope"]).status(2);
    assert_run!(out, out.stderr.contains("--workload"));
    for (flag, bad) in [
        ("--counts", "1,x"),
        ("--counts", "257"),
        ("--repeat", "0"),
        ("--repeat", "10001"),
        ("--latency", "-5"),
        ("--latency", "1.5"),
        ("--latency", "1e300"),
        ("--fib-steps", "0"),
        ("--fib-steps", "1000001"),
        ("--url-repeat", "18446744073709551616"),
    ] {
        run(BIN, &[flag, bad]).status(2);
    }
    // Delays and randomness are not part of this recipe.
    run(BIN, &["--delay-scale", "0"]).status(2);
    run(BIN, &["--seed", "1"]).status(2);
}

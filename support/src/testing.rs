//! Running a recipe from a test: a time limit, no stray processes, and the
//! `key = value` facts the recipe prints.
//!
//! Integration tests find their binary with `env!("CARGO_BIN_EXE_<name>")` and call
//! [`run`]:
//!
//! ```no_run
//! use cookbook_support::testing::run;
//! let out = run(env!("CARGO_PKG_NAME"), &["--count", "1000"]).success();
//! assert_eq!(out.fact("with_lock"), "0");
//! ```
//!
//! The child runs in a process group of its own. When the time limit passes, the
//! whole group is killed and the test fails with what the recipe printed. When the
//! recipe exits but leaves processes of its group behind, they are killed and the
//! test fails too: no test leaves a process behind. The recipe also dies with the
//! test (a test killed by Ctrl-C or by a time-out takes its recipe with it).
//!
//! Assertions on a run add what the recipe printed to the failure message, with
//! [`assert_run!`](crate::assert_run) and [`assert_run_eq!`](crate::assert_run_eq):
//!
//! ```no_run
//! use cookbook_support::{assert_run, assert_run_eq, testing::run};
//! let out = run("thread_queue", &["--items", "10"]).success();
//! assert_run_eq!(out, out.facts("consumed").len(), 10);
//! assert_run!(out, out.stdout.contains("done"), "the consumer never finished");
//! ```
//!
//! MPI recipes run under a real launcher with [`Runner::mpirun`]. The rule for
//! their tests, as in rsmpi's examples: every rank asserts its own result (a rank
//! that finds it wrong exits non-zero, so `mpirun` fails), and only rank 0 prints
//! the facts that the test reads.

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::str::FromStr;
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

use crate::facts::{self, Record};

/// The time limit of [`run`].
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// What OpenMPI needs to run as root and with more ranks than cores.
pub const MPI_ENV: [(&str, &str); 3] = [
    ("OMPI_ALLOW_RUN_AS_ROOT", "1"),
    ("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1"),
    ("OMPI_MCA_rmaps_base_oversubscribe", "1"),
];

/// The launcher's arguments before the program: `-n NP`.
fn mpirun_args(np: usize) -> [String; 2] {
    ["-n".to_string(), np.to_string()]
}

/// Run `body` on a thread of its own and wait at most `limit` for it: the time
/// limit of a test that waits on threads, tasks or an event loop inside the test
/// process (a recipe in a process of its own has [`Runner`]'s limit).
///
/// A body that panics fails the test with its own message. A body still running
/// at the limit fails the test with a message that names `what`: something waits
/// for ever (a lost wake-up, a deadlock, a loop that spins). That thread is left
/// behind and ends with the test process.
pub fn within<T: Send + 'static>(limit: Duration, what: &str, body: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, ended) = std::sync::mpsc::channel();
    let handle = thread::spawn(move || {
        let value = body();
        let _ = done.send(());
        value
    });
    match ended.recv_timeout(limit) {
        Ok(()) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => match handle.join() {
            Ok(value) => value,
            Err(panic) => std::panic::resume_unwind(panic),
        },
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!(
                "{what} did not finish within {limit:?}: something waits for ever (a lost wake-up, a deadlock, or a loop that spins)"
            )
        }
    }
}

/// What a recipe did.
#[derive(Debug)]
pub struct Run {
    /// The program and arguments, for messages.
    pub command: String,
    /// The exit status, or `None` when a signal ended it.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Run `bin` with `args`, stdin closed, under [`DEFAULT_TIMEOUT`].
pub fn run(bin: &str, args: &[&str]) -> Run {
    Runner::new(bin).args(args).run()
}

/// A recipe run with more settings than [`run`] has.
pub struct Runner {
    cmd: Command,
    timeout: Duration,
    stdin: Option<Vec<u8>>,
    label: String,
}

impl Runner {
    pub fn new(bin: &str) -> Self {
        Runner {
            cmd: Command::new(bin),
            timeout: DEFAULT_TIMEOUT,
            stdin: None,
            label: bin.rsplit('/').next().unwrap_or(bin).to_string(),
        }
    }

    /// Run `bin` under `mpirun -n np`, with the settings OpenMPI needs here set in
    /// the environment (so `cargo test --features mpi` works outside
    /// `scripts/test` too): running as root is allowed, and more ranks than cores
    /// are allowed. They are environment variables rather than flags, because
    /// MPICH's `mpirun` refuses OpenMPI's flags. `MPIRUN` names another launcher.
    pub fn mpirun(bin: &str, np: usize) -> Self {
        let launcher = std::env::var("MPIRUN").unwrap_or_else(|_| "mpirun".to_string());
        let mut cmd = Command::new(&launcher);
        cmd.args(mpirun_args(np)).arg(bin);
        for (k, v) in MPI_ENV {
            cmd.env(k, v);
        }
        let name = bin.rsplit('/').next().unwrap_or(bin);
        Runner { cmd, timeout: DEFAULT_TIMEOUT, stdin: None, label: format!("{launcher} -n {np} {name}") }
    }

    pub fn args(mut self, args: &[&str]) -> Self {
        self.cmd.args(args);
        for a in args {
            self.label.push(' ');
            self.label.push_str(a);
        }
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.cmd.env(key, value);
        self
    }

    /// The folder the recipe runs in.
    pub fn current_dir(mut self, dir: impl AsRef<std::path::Path>) -> Self {
        self.cmd.current_dir(dir);
        self
    }

    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Bytes to write on the child's stdin (then it is closed).
    pub fn stdin(mut self, bytes: &[u8]) -> Self {
        self.stdin = Some(bytes.to_vec());
        self
    }

    pub fn run(mut self) -> Run {
        self.cmd
            .stdin(if self.stdin.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env("RUST_BACKTRACE", "0")
            .process_group(0);
        // This thread waits for the recipe, so the recipe dies with the test.
        crate::child::die_with_parent(&mut self.cmd);
        let mut child = self.cmd.spawn().unwrap_or_else(|e| panic!("cannot start `{}`: {e}", self.label));
        let pgid = Pid::from_raw(child.id() as i32);
        if let Some(bytes) = self.stdin.take() {
            let mut stdin = child.stdin.take().expect("stdin is piped");
            thread::spawn(move || {
                let _ = stdin.write_all(&bytes);
            });
        }
        let out = reader(child.stdout.take().expect("stdout is piped"));
        let err = reader(child.stderr.take().expect("stderr is piped"));

        let start = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("try_wait") {
                break Some(status);
            }
            if start.elapsed() > self.timeout {
                let _ = killpg(pgid, Signal::SIGKILL);
                let _ = child.wait();
                break None;
            }
            thread::sleep(Duration::from_millis(5));
        };
        // Processes the recipe started and did not wait for?
        let mut stray = false;
        if status.is_some() {
            let grace = Instant::now();
            while killpg(pgid, None).is_ok() {
                if grace.elapsed() > Duration::from_secs(3) {
                    stray = true;
                    let _ = killpg(pgid, Signal::SIGKILL);
                    break;
                }
                thread::sleep(Duration::from_millis(20));
            }
        }
        let run = Run {
            command: self.label,
            code: status.and_then(|s| s.code()),
            stdout: out.join().unwrap_or_default(),
            stderr: err.join().unwrap_or_default(),
        };
        match status {
            None => {
                panic!("`{}` ran past its time limit of {:?} and was killed\n{}", run.command, self.timeout, run.dump())
            }
            Some(_) if stray => {
                panic!("`{}` exited but left processes behind (killed now)\n{}", run.command, run.dump())
            }
            Some(_) => run,
        }
    }
}

fn reader<R: Read + Send + 'static>(mut r: R) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = r.read_to_end(&mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    })
}

impl Run {
    /// stdout and stderr, for failure messages.
    pub fn dump(&self) -> String {
        format!("--- exit: {:?}\n--- stdout:\n{}\n--- stderr:\n{}", self.code, self.stdout, self.stderr)
    }

    /// Assert exit status 0 and return `self`.
    #[track_caller]
    pub fn success(self) -> Self {
        self.status(0)
    }

    /// Assert the exit status and return `self`.
    #[track_caller]
    pub fn status(self, code: i32) -> Self {
        assert_eq!(
            self.code,
            Some(code),
            "`{}` exited with {:?}, expected {code}\n{}",
            self.command,
            self.code,
            self.dump()
        );
        self
    }

    /// stdout split in lines.
    pub fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }

    /// Every value printed as a line `key = value`.
    pub fn facts(&self, key: &str) -> Vec<&str> {
        facts::facts(&self.stdout, key)
    }

    /// The value of the one line `key = value`; fails when it is missing or repeated.
    #[track_caller]
    pub fn fact(&self, key: &str) -> &str {
        facts::fact(&self.stdout, key).unwrap_or_else(|why| panic!("{why} from `{}`\n{}", self.command, self.dump()))
    }

    /// [`Run::fact`], parsed.
    #[track_caller]
    pub fn fact_as<T: FromStr>(&self, key: &str) -> T {
        facts::fact_as(&self.stdout, key).unwrap_or_else(|why| panic!("{why} from `{}`\n{}", self.command, self.dump()))
    }

    /// The lines `key = v k = v …` of stdout, in order (see [`facts::records`]).
    pub fn records(&self, key: &str) -> Vec<Record<'_>> {
        facts::records(&self.stdout, key)
    }

    /// A field of a record, parsed; fails with the recipe's output.
    #[track_caller]
    pub fn field<T: FromStr>(&self, record: &Record<'_>, key: &str) -> T {
        record.get_as(key).unwrap_or_else(|why| panic!("{why} from `{}`\n{}", self.command, self.dump()))
    }

    /// Position of the first stdout line that contains `needle`.
    #[track_caller]
    pub fn line_index(&self, needle: &str) -> usize {
        self.stdout
            .lines()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line containing `{needle}` from `{}`\n{}", self.command, self.dump()))
    }

    /// True when the recipe exited with status 3 (an outside requirement is
    /// missing). The skip is printed. Under `CI=true` a skip is a failure unless
    /// `allowed_in_ci` (only CUDA at run time is).
    #[track_caller]
    pub fn skipped(&self, allowed_in_ci: bool) -> bool {
        if self.code != Some(crate::EXIT_MISSING) {
            return false;
        }
        let reason = self.stderr.trim();
        if std::env::var("CI").as_deref() == Ok("true") && !allowed_in_ci {
            panic!("`{}` skipped under CI=true: {reason}", self.command);
        }
        eprintln!("SKIPPED `{}`: {reason}", self.command);
        true
    }
}

/// `assert!` on a [`Run`]: on failure the message adds what the recipe printed.
///
/// `assert_run!(out, condition)` or `assert_run!(out, condition, "format", args…)`.
#[macro_export]
macro_rules! assert_run {
    ($run:expr, $cond:expr $(,)?) => {
        assert!($cond, "assertion failed: {}\nfrom `{}`\n{}", stringify!($cond), $run.command, $run.dump())
    };
    ($run:expr, $cond:expr, $($fmt:tt)+) => {
        assert!($cond, "{}\nfrom `{}`\n{}", format!($($fmt)+), $run.command, $run.dump())
    };
}

/// `assert_eq!` on a [`Run`]: on failure the message adds what the recipe printed.
#[macro_export]
macro_rules! assert_run_eq {
    ($run:expr, $left:expr, $right:expr $(,)?) => {
        assert_eq!($left, $right, "{} ≠ {}\nfrom `{}`\n{}", stringify!($left), stringify!($right), $run.command, $run.dump())
    };
    ($run:expr, $left:expr, $right:expr, $($fmt:tt)+) => {
        assert_eq!($left, $right, "{}\nfrom `{}`\n{}", format!($($fmt)+), $run.command, $run.dump())
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn within_returns_the_value_or_fails_at_the_limit() {
        assert_eq!(within(Duration::from_secs(5), "a sum", || 2 + 2), 4);
        let hang = std::panic::catch_unwind(|| {
            within(Duration::from_millis(50), "a sleeper", || thread::sleep(Duration::from_secs(2)))
        });
        let msg = hang.unwrap_err().downcast::<String>().unwrap();
        assert!(msg.contains("a sleeper did not finish"), "{msg}");
        let panicked =
            std::panic::catch_unwind(|| within(Duration::from_secs(5), "a panic", || panic!("its own words")));
        assert_eq!(*panicked.unwrap_err().downcast::<&str>().unwrap(), "its own words");
    }

    #[test]
    fn records_and_facts_of_a_real_run() {
        let out = Runner::new("sh").args(&["-c", "echo 'w = 1 t = 0.5'; echo 'w = 2 t = 0.7'; echo 'total = 2'"]).run();
        let out = out.success();
        let ws = out.records("w");
        assert_eq!(ws.len(), 2);
        assert_eq!(out.field::<f64>(&ws[1], "t"), 0.7);
        assert_eq!(out.fact_as::<u32>("total"), 2);
        assert_run_eq!(out, out.facts("w").len(), 2);
    }

    #[test]
    #[should_panic(expected = "--- stdout:\nvisible")]
    fn assertion_failures_show_the_output() {
        let out = Runner::new("sh").args(&["-c", "echo visible"]).run();
        assert_run!(out, out.stdout.contains("absent"), "the word is missing");
    }

    #[test]
    #[should_panic(expected = "ran past its time limit")]
    fn a_hang_is_killed_and_fails() {
        Runner::new("sleep").args(&["30"]).timeout(Duration::from_millis(300)).run();
    }

    #[test]
    #[should_panic(expected = "left processes behind")]
    fn a_stray_process_fails_the_test() {
        Runner::new("sh").args(&["-c", "sleep 30 & echo started"]).run();
    }

    #[test]
    fn mpirun_sets_the_launcher_and_its_environment() {
        let r = Runner::mpirun("target/debug/mpi_hello", 3);
        assert_eq!(r.label, "mpirun -n 3 mpi_hello");
        let envs: Vec<_> = r.cmd.get_envs().map(|(k, v)| (k.to_owned(), v.map(|v| v.to_owned()))).collect();
        for (k, v) in MPI_ENV {
            assert!(envs.contains(&(k.into(), Some(v.into()))), "{k} not set");
        }
        let args: Vec<_> = r.cmd.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        assert_eq!(args, ["-n", "3", "target/debug/mpi_hello"]);
    }

    #[test]
    fn mpirun_runs_a_program_when_installed() {
        // A real launcher starts `np` copies; each prints its rank from OpenMPI's
        // environment. Skipped (with a line) where no mpirun is installed, except
        // under CI, which installs it.
        if Command::new("mpirun").arg("--version").output().is_err() {
            assert!(std::env::var("CI").as_deref() != Ok("true"), "mpirun missing under CI=true");
            eprintln!("SKIPPED: no mpirun on PATH");
            return;
        }
        let out = Runner::mpirun("printenv", 2).args(&["OMPI_COMM_WORLD_RANK"]).run().success();
        let mut ranks = out.lines();
        ranks.sort();
        assert_run_eq!(out, ranks, ["0", "1"]);
    }
}

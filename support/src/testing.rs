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
//! test fails too: no test leaves a process behind.

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::str::FromStr;
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

/// The time limit of [`run`].
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

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
        let prefix = format!("{key} = ");
        self.stdout.lines().filter_map(|l| l.strip_prefix(prefix.as_str())).map(str::trim).collect()
    }

    /// The value of the one line `key = value`; fails when it is missing or repeated.
    #[track_caller]
    pub fn fact(&self, key: &str) -> &str {
        let all = self.facts(key);
        assert_eq!(all.len(), 1, "expected exactly one line `{key} = …` from `{}`\n{}", self.command, self.dump());
        all[0]
    }

    /// [`Run::fact`], parsed.
    #[track_caller]
    pub fn fact_as<T: FromStr>(&self, key: &str) -> T {
        let v = self.fact(key);
        v.parse().unwrap_or_else(|_| {
            panic!("`{key} = {v}` does not parse as {}\n{}", std::any::type_name::<T>(), self.dump())
        })
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

//! Child processes: the current binary, started again in a named role.
//!
//! Python's `multiprocessing` starts a child by forking the interpreter (or by
//! starting a fresh one that imports the script). A Rust program cannot fork an
//! interpreter; the equivalent is to run the *same executable* again with a hidden
//! first argument that says which role the child plays:
//!
//! ```text
//! my_recipe __child worker --index 3
//! ```
//!
//! The check for that argument must come first in `main`, before normal argument
//! parsing. It plays the part of Python's `if __name__ == "__main__":` guard: without
//! it a child would parse the parent's flags and start children of its own.
//!
//! ```no_run
//! use clap::Parser;
//! use cookbook_support::child;
//!
//! #[derive(Parser)]
//! struct WorkerArgs {
//!     #[arg(long)]
//!     index: usize,
//! }
//!
//! fn main() {
//!     if let Some(role) = child::role() {
//!         // runs in the child: its flags are parsed like any program's
//!         let args: WorkerArgs = role.parse();
//!         println!("index = {}", args.index);
//!         return;
//!     }
//!     // runs in the parent: start three children, reap all three, read their facts
//!     let commands = (0..3).map(|i| child::piped("worker", [format!("--index={i}")]));
//!     let indices = child::spawn_all(commands)
//!         .wait_all_with(|_, stdout| cookbook_support::facts::fact_as::<usize>(stdout, "index"))
//!         .unwrap();
//!     assert_eq!(indices, [0, 1, 2]);
//! }
//! ```
//!
//! ## A child never outlives its parent
//!
//! Every command made here asks the kernel to kill the child when its parent dies
//! (`prctl(PR_SET_PDEATHSIG, SIGKILL)`, set between `fork` and `exec`), however the
//! parent dies: a return from `main`, a panic, `SIGTERM`, `SIGKILL`. Without it a
//! killed parent's children are adopted by pid 1 and go on running. The signal is
//! tied to the *thread* that started the child, so start children from the main
//! thread, or from a thread that lives until they are reaped. (This is Linux's
//! mechanism, and this cookbook runs on Linux; elsewhere a child would watch for
//! the end of a pipe from its parent.)
//!
//! ## Programs with several roles
//!
//! A Celery worker and its producer, a server and its client, an MPI name server:
//! a recipe whose book listing is several programs is one binary with clap
//! subcommands, one per program (`celery_add worker`, `celery_add send`), plus a
//! `demo` subcommand, the default, which starts the others as children with
//! [`command_of`] on its own executable and shows them working together. Each
//! subcommand can be run by hand in its own terminal, or on another machine, as
//! the book runs its programs. The hidden `__child` role is for the helpers that a
//! reader never starts by hand.

use std::ffi::OsStr;
use std::fmt;
use std::io;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Output, Stdio};

/// The hidden first argument that marks a child process.
pub const CHILD_ARG: &str = "__child";

/// The role a child was started in, and the arguments that follow it.
#[derive(Debug, Clone)]
pub struct Role {
    pub name: String,
    pub args: Vec<String>,
    /// This child's part of its parent's `--trace`, written when the role ends.
    _trace: Option<std::sync::Arc<crate::trace::Session>>,
}

impl PartialEq for Role {
    fn eq(&self, other: &Role) -> bool {
        (&self.name, &self.args) == (&other.name, &other.args)
    }
}

impl Role {
    /// A role by hand, for a program that finds its role another way (the bench
    /// worker takes it as its first argument).
    pub fn new(name: impl Into<String>, args: Vec<String>) -> Role {
        Role { name: name.into(), args, _trace: None }
    }

    /// Parse the role's arguments with clap, as a program parses its own: a bad
    /// argument prints clap's message and exits with status 2.
    pub fn parse<T: clap::Parser>(&self) -> T {
        T::parse_from(std::iter::once(self.name.as_str()).chain(self.args.iter().map(String::as_str)))
    }

    /// [`Role::parse`] that returns clap's error instead of exiting.
    pub fn try_parse<T: clap::Parser>(&self) -> Result<T, clap::Error> {
        T::try_parse_from(std::iter::once(self.name.as_str()).chain(self.args.iter().map(String::as_str)))
    }
}

/// `Some(role)` when this process was started by [`command`] or [`spawn`]. In a
/// child of a parent run with `--trace`, it also starts this child's part of the
/// trace, which is written when the returned role is dropped.
pub fn role() -> Option<Role> {
    let mut role = role_from(std::env::args())?;
    crate::exit::quiet_broken_pipe();
    role._trace = crate::trace::start_child().map(std::sync::Arc::new);
    Some(role)
}

/// [`role`] over any argument list (the first item is the program name).
pub fn role_from<I: IntoIterator<Item = String>>(args: I) -> Option<Role> {
    let mut it = args.into_iter().skip(1);
    if it.next().as_deref() != Some(CHILD_ARG) {
        return None;
    }
    let name = it.next().unwrap_or_default();
    Some(Role { name, args: it.collect(), _trace: None })
}

/// A [`Command`] that runs this same executable in role `role` with `args`.
/// The caller decides stdin/stdout/stderr and whether to `spawn` or `output` it.
pub fn command<I, S>(role: &str, args: I) -> io::Result<Command>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Ok(command_of(&std::env::current_exe()?, role, args))
}

/// A [`Command`] that runs `program`, another binary of the cookbook, in role
/// `role` with `args`. Like every command of this module, the child dies with its
/// parent.
pub fn command_of<I, S>(program: &Path, role: &str, args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new(program);
    cmd.arg(CHILD_ARG).arg(role).args(args);
    die_with_parent(&mut cmd);
    cmd
}

/// [`command`] with stdin closed, stdout piped (the child's report comes back on
/// it) and stderr shared with the parent: what [`Children::wait_all_with`] reads.
pub fn piped<I, S>(role: &str, args: I) -> io::Result<Command>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = command(role, args)?;
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::inherit());
    Ok(cmd)
}

/// Start this executable in role `role` with `args`; stdin, stdout and stderr are
/// inherited from the parent.
pub fn spawn<I, S>(role: &str, args: I) -> io::Result<Child>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    command(role, args)?.spawn()
}

/// Make the child of `cmd` die when the thread that starts it ends: see the
/// module's documentation. Any command can take it, not only the ones made here.
pub fn die_with_parent(cmd: &mut Command) -> &mut Command {
    let parent = nix::unistd::getpid();
    // SAFETY: between fork and exec only async-signal-safe calls are allowed;
    // prctl and getppid are system calls that allocate nothing.
    unsafe {
        cmd.pre_exec(move || {
            nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL)?;
            // The parent may have died before the prctl: then no signal will come.
            if nix::unistd::getppid() != parent {
                return Err(io::Error::other("the parent exited before its child started"));
            }
            Ok(())
        })
    };
    cmd
}

/// Why a set of children did not all do their work.
#[derive(Debug)]
pub enum ChildError {
    /// Child `index` could not be started.
    Spawn { index: usize, source: io::Error },
    /// Waiting for child `index` failed.
    Wait { index: usize, source: io::Error },
    /// Child `index` exited with a failure status.
    Failed { index: usize, pid: u32, status: ExitStatus },
    /// Child `index` exited 0, but its report could not be read.
    Report { index: usize, why: String },
}

impl fmt::Display for ChildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChildError::Spawn { index, source } => write!(f, "cannot start child process {index}: {source}"),
            ChildError::Wait { index, source } => write!(f, "cannot wait for child process {index}: {source}"),
            ChildError::Failed { index, pid, status } => {
                write!(f, "child process {index} (pid {pid}) ended with {status}")
            }
            ChildError::Report { index, why } => write!(f, "child process {index} sent a bad report: {why}"),
        }
    }
}

impl std::error::Error for ChildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ChildError::Spawn { source, .. } | ChildError::Wait { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A set of started children: [`spawn_all`] makes it, [`Children::wait_all`]
/// reaps it.
#[derive(Debug)]
pub struct Children {
    running: Vec<Running>,
    error: Option<ChildError>,
}

#[derive(Debug)]
struct Running {
    index: usize,
    child: Child,
    /// The child's life on the timeline, closed when it is reaped.
    _life: tracing::Span,
}

/// Start every command, in order, and stop at the first that cannot start. The
/// ones already started are kept, so that [`Children::wait_all`] reaps them and
/// then reports the failure: none is left behind.
pub fn spawn_all<I>(commands: I) -> Children
where
    I: IntoIterator<Item = io::Result<Command>>,
{
    let mut children = Children { running: Vec::new(), error: None };
    for (index, cmd) in commands.into_iter().enumerate() {
        // The child's life begins before the spawn, so that everything the child
        // records falls inside it; its pid is known once it has started.
        let life = tracing::info_span!("child", pid = tracing::field::Empty, index);
        match cmd.and_then(|mut c| c.spawn()) {
            Ok(child) => {
                life.record("pid", child.id());
                children.running.push(Running { index, child, _life: life });
            }
            Err(source) => {
                children.error = Some(ChildError::Spawn { index, source });
                break;
            }
        }
    }
    children
}

impl Children {
    /// How many children were started.
    pub fn len(&self) -> usize {
        self.running.len()
    }

    pub fn is_empty(&self) -> bool {
        self.running.is_empty()
    }

    /// The started children, for writing to their stdin or signalling them.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Child> {
        self.running.iter_mut().map(|r| &mut r.child)
    }

    /// The pids of the started children, in order.
    pub fn pids(&self) -> Vec<u32> {
        self.running.iter().map(|r| r.child.id()).collect()
    }

    /// Wait for every started child, in order, and collect its output (its stdout
    /// and stderr when they are piped). Every child is reaped even when one fails;
    /// the first failure is returned: a child that could not start, or one that
    /// did not exit 0.
    pub fn wait_all(self) -> Result<Vec<Output>, ChildError> {
        match self.reap() {
            (_, Some(e)) => Err(e),
            (outputs, None) => Ok(outputs.into_iter().map(|(_, out)| out).collect()),
        }
    }

    /// [`Children::wait_all`], then `read(index, stdout)` of every child that
    /// exited 0: the values it returns, in order, or the first error.
    pub fn wait_all_with<T>(
        self,
        mut read: impl FnMut(usize, &str) -> Result<T, String>,
    ) -> Result<Vec<T>, ChildError> {
        let (outputs, error) = self.reap();
        let mut values = Vec::with_capacity(outputs.len());
        let mut error = error;
        for (index, out) in outputs {
            match read(index, &String::from_utf8_lossy(&out.stdout)) {
                Ok(v) => values.push(v),
                Err(why) => {
                    error.get_or_insert(ChildError::Report { index, why });
                }
            }
        }
        match error {
            Some(e) => Err(e),
            None => Ok(values),
        }
    }

    /// Reap every child; the outputs of those that exited 0, and the first error.
    fn reap(self) -> (Vec<(usize, Output)>, Option<ChildError>) {
        let Children { running, mut error } = self;
        // The spawn failure, if any, happened after every started child: report the
        // first failure in index order.
        let spawn_error = error.take();
        let mut outputs = Vec::with_capacity(running.len());
        for Running { index, child, _life } in running {
            let pid = child.id();
            match child.wait_with_output() {
                Ok(out) if out.status.success() => outputs.push((index, out)),
                Ok(out) => {
                    error.get_or_insert(ChildError::Failed { index, pid, status: out.status });
                }
                Err(source) => {
                    error.get_or_insert(ChildError::Wait { index, source });
                }
            }
            drop(_life);
        }
        (outputs, error.or(spawn_error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parent_has_no_role() {
        assert_eq!(role_from(v(&["prog", "--size", "3"])), None);
        assert_eq!(role_from(v(&["prog"])), None);
    }

    #[test]
    fn child_role_and_args() {
        let r = role_from(v(&["prog", CHILD_ARG, "worker", "--index", "2"])).unwrap();
        assert_eq!(r.name, "worker");
        assert_eq!(r.args, v(&["--index", "2"]));
    }

    #[derive(clap::Parser, Debug)]
    struct WorkerArgs {
        #[arg(long)]
        index: usize,
    }

    #[test]
    fn role_arguments_parse_with_clap() {
        let r = role_from(v(&["prog", CHILD_ARG, "worker", "--index", "2"])).unwrap();
        assert_eq!(r.parse::<WorkerArgs>().index, 2);
        let bad = role_from(v(&["prog", CHILD_ARG, "worker", "--index", "two"])).unwrap();
        assert!(bad.try_parse::<WorkerArgs>().is_err());
    }

    fn sh(script: &str) -> io::Result<Command> {
        let mut c = Command::new("sh");
        c.args(["-c", script]).stdout(Stdio::piped());
        die_with_parent(&mut c);
        Ok(c)
    }

    #[test]
    fn every_child_is_reaped_and_the_first_failure_kept() {
        let cmds = vec![sh("echo n = 1"), sh("exit 4"), sh("echo n = 3"), sh("exit 5")];
        let children = spawn_all(cmds);
        assert_eq!(children.len(), 4);
        match children.wait_all_with(|_, out| crate::facts::fact_as::<u32>(out, "n")) {
            Err(ChildError::Failed { index: 1, status, .. }) => assert_eq!(status.code(), Some(4)),
            other => panic!("expected child 1's failure, got {other:?}"),
        }
    }

    #[test]
    fn reports_are_read_in_order() {
        let cmds = (1..=3).map(|i| sh(&format!("echo n = {i}")));
        let ns = spawn_all(cmds).wait_all_with(|_, out| crate::facts::fact_as::<u32>(out, "n")).unwrap();
        assert_eq!(ns, [1, 2, 3]);
        let bad = spawn_all([sh("echo nothing")]).wait_all_with(|_, out| crate::facts::fact_as::<u32>(out, "n"));
        assert!(matches!(bad, Err(ChildError::Report { index: 0, .. })), "{bad:?}");
    }

    #[test]
    fn a_spawn_failure_still_reaps_the_started_ones() {
        let missing = || {
            let mut c = Command::new("/nonexistent/program");
            c.stdout(Stdio::piped());
            Ok(c)
        };
        let children = spawn_all(vec![sh("echo n = 1"), missing(), sh("echo n = 3")]);
        assert_eq!(children.len(), 1, "spawning stops at the first failure");
        let err = children.wait_all().unwrap_err();
        assert!(matches!(err, ChildError::Spawn { index: 1, .. }), "{err:?}");
        assert!(err.to_string().starts_with("cannot start child process 1"));
    }

    #[test]
    fn a_child_dies_with_the_thread_that_started_it() {
        // A thread starts `sleep 30` and ends: the kernel must kill the child.
        let pid = std::thread::spawn(|| {
            let mut c = Command::new("sleep");
            c.arg("30");
            die_with_parent(&mut c);
            let child = c.spawn().unwrap();
            let pid = child.id();
            std::mem::forget(child);
            pid
        })
        .join()
        .unwrap();
        let pid = nix::unistd::Pid::from_raw(pid as i32);
        let status = nix::sys::wait::waitpid(pid, None).unwrap();
        assert_eq!(status, nix::sys::wait::WaitStatus::Signaled(pid, nix::sys::signal::Signal::SIGKILL, false));
    }
}

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
//! use cookbook_support::child;
//! fn main() {
//!     if let Some(role) = child::role() {
//!         // runs in the child
//!         assert_eq!(role.name, "worker");
//!         println!("child got {:?}", role.args);
//!         return;
//!     }
//!     // runs in the parent
//!     let out = child::command("worker", ["--index", "3"]).unwrap().output().unwrap();
//!     print!("{}", String::from_utf8_lossy(&out.stdout));
//! }
//! ```

use std::ffi::OsStr;
use std::io;
use std::process::{Child, Command};

/// The hidden first argument that marks a child process.
pub const CHILD_ARG: &str = "__child";

/// The role a child was started in, and the arguments that follow it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub name: String,
    pub args: Vec<String>,
}

/// `Some(role)` when this process was started by [`command`] or [`spawn`].
pub fn role() -> Option<Role> {
    role_from(std::env::args())
}

/// [`role`] over any argument list (the first item is the program name).
pub fn role_from<I: IntoIterator<Item = String>>(args: I) -> Option<Role> {
    let mut it = args.into_iter().skip(1);
    if it.next().as_deref() != Some(CHILD_ARG) {
        return None;
    }
    let name = it.next().unwrap_or_default();
    Some(Role { name, args: it.collect() })
}

/// A [`Command`] that runs this same executable in role `role` with `args`.
/// The caller decides stdin/stdout/stderr and whether to `spawn`, `output` or
/// `exec` it.
pub fn command<I, S>(role: &str, args: I) -> io::Result<Command>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let exe = std::env::current_exe()?;
    let mut cmd = Command::new(exe);
    cmd.arg(CHILD_ARG).arg(role).args(args);
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
}

//! # Replacing the running program: `exec`
//!
//! **Book:** 1st edition §1.10 *Start working with processes in Python*
//! (「1.10 开始在Python中使用进程」; printed edition「开始在Python中使用进程」).
//! The 2nd edition has no such recipe.
//!
//! **Run:** `cargo run --bin intro_exec_process` (or `cookbook run 1.10`), then press
//! ENTER when asked. `--no-wait` skips the question.
//!
//! ## What it shows
//!
//! The book's two scripts: `calling_Process.py` prints a line and calls
//! `os.execvp` to run `called_Process.py`, which greets, waits for ENTER and says
//! goodbye. The line after `execvp`, `print("Good Bye!!")`, never runs.
//!
//! `exec` does not start a second process next to the first one. It *replaces* the
//! program that the current process runs: the same process, with the same process
//! id, now runs another program from its beginning. Nothing of the old program
//! remains to go back to, so `exec` returns only when it failed.
//!
//! Here both scripts are one binary. The calling part prints its process id,
//! then execs the binary itself in the hidden role `called` (convention of the
//! cookbook: `intro_exec_process __child called`). The called part prints its
//! process id too: the two are equal.
//!
//! ## Python → Rust
//!
//! - `os.execvp(program, args)` → `std::os::unix::process::CommandExt::exec` on a
//!   `Command`. Its return type is `io::Error`: there is no success value, because
//!   on success the call does not return at all.
//! - The book runs a second script with the Python interpreter. A Rust program
//!   cannot hand a script to an interpreter, so it runs *itself* again with a
//!   hidden first argument that selects the role, checked at the very top of
//!   `main` (it plays the part of Python's `if __name__ == "__main__":`).
//! - Output still sitting in a buffer is lost when the program is replaced. Rust's
//!   `stdout` writes out each complete line, and the recipe flushes it before the
//!   exec anyway; in Python, output piped to a file is block-buffered, and lines
//!   printed before `execvp` can vanish unless `sys.stdout.flush()` is called.
//! - Windows has no `exec`. There the recipe starts the called part as a child
//!   process, waits for it and exits with its status, and says so; the two process
//!   ids then differ.
//!
//! ## Output
//!
//! `Process calling`, `calling_pid = P`, then, from the same process running the
//! called part: `Hello Python Parallel Cookbook!!`, `called_pid = P`, the prompt
//! `Press ENTER to exit` and `Closing calledProcess`. `Good Bye!!` never appears.
//! When stdin is closed (no terminal, as under a test) the prompt returns at once.

use std::io::{self, BufRead, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use cookbook_support::child;

/// Replace the running program with another one, like `os.execvp` (1st edition
/// §1.10): the process id stays the same and the line after the exec never runs.
#[derive(Parser)]
#[command(name = "intro_exec_process")]
struct Args {
    /// Do not wait for ENTER in the called program.
    #[arg(long)]
    no_wait: bool,
}

/// The arguments of the `called` role (the book's `called_Process.py`).
#[derive(Parser)]
#[command(name = "intro_exec_process __child called")]
struct CalledArgs {
    #[arg(long)]
    no_wait: bool,
}

fn main() -> ExitCode {
    // The called program: the role check comes first, before the normal flags.
    if let Some(role) = child::role() {
        return match role.name.as_str() {
            "called" => called(CalledArgs::parse_from(std::iter::once(String::from("called")).chain(role.args))),
            other => {
                eprintln!("unknown child role `{other}`");
                ExitCode::FAILURE
            }
        };
    }

    // The calling program (the book's calling_Process.py).
    let args = Args::parse();
    println!("Process calling");
    println!("calling_pid = {}", std::process::id());

    let mut called = match child::command("called", args.no_wait.then_some("--no-wait")) {
        Ok(command) => command,
        Err(e) => {
            eprintln!("cannot find this program's executable: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Whatever is still buffered would be lost with the old program.
    let _ = io::stdout().flush();

    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // On success this call never returns: this process now runs the called part.
        let error = called.exec();
        // Like the book's `print("Good Bye!!")`, nothing below runs once exec worked.
        println!("Good Bye!!");
        eprintln!("exec failed: {error}");
        ExitCode::FAILURE
    }

    #[cfg(not(unix))]
    {
        println!("(this system has no exec: running the called part as a child process)");
        match called.status() {
            Ok(status) => ExitCode::from(status.code().unwrap_or(1).clamp(0, 255) as u8),
            Err(e) => {
                eprintln!("cannot start the called part: {e}");
                ExitCode::FAILURE
            }
        }
    }
}

/// The book's called_Process.py: greet, wait for ENTER, say goodbye.
fn called(args: CalledArgs) -> ExitCode {
    println!("Hello Python Parallel Cookbook!!");
    println!("called_pid = {}", std::process::id());
    if args.no_wait {
        println!("Press ENTER to exit (skipped: --no-wait)");
    } else {
        print!("Press ENTER to exit");
        let _ = io::stdout().flush();
        let mut line = String::new();
        // Returns at once when stdin is closed (0 bytes read: end of file).
        match io::stdin().lock().read_line(&mut line) {
            Ok(0) => println!("   (stdin is closed: not waiting)"),
            // A terminal echoes the ENTER; a pipe does not, so end the line here.
            Ok(_) if !io::stdin().is_terminal() => println!(),
            Ok(_) => {}
            Err(e) => println!("   (cannot read stdin: {e})"),
        }
    }
    println!("Closing calledProcess");
    ExitCode::SUCCESS
}

//! # Replacing the running program: `exec`
//!
//! **Book:** 1st edition §1.10 *Start working with processes in Python*
//! (「1.10 开始在Python中使用进程」; printed edition「开始在Python中使用进程」),
//! `calling_Process.py` and `called_Process.py`. The 2nd edition has no such
//! recipe.
//!
//! **Run:** `cargo run --bin intro_exec_process` (or `cookbook run 1.10`), then press
//! ENTER when asked; `--no-wait` skips the question.
//!
//! The calling program prints a line and `exec`s the called one, which greets,
//! waits for ENTER and says goodbye; the calling program's last line never runs.
//! Both programs are this binary: the called one is the hidden role `called`. The
//! two print what tells a new program image from a function call: the same process
//! id, a new `argv`, and none of the calling program's memory.

use std::io::{self, BufRead, IsTerminal, Write};
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicU32, Ordering};

use clap::Parser;
use cookbook_support::{Status, Trace, child, fail};

/// Replace the running program with another one, like `os.execvp` (1st edition
/// §1.10): the process id stays the same and the line after the exec never runs.
#[derive(Parser)]
#[command(name = "intro_exec_process")]
struct Args {
    /// Do not wait for ENTER in the called program.
    #[arg(long)]
    no_wait: bool,

    #[command(flatten)]
    trace: Trace,
}

/// The arguments of the `called` role (the book's `called_Process.py`).
#[derive(Parser)]
#[command(name = "called_Process")]
struct CalledArgs {
    #[arg(long)]
    no_wait: bool,

    #[command(flatten)]
    trace: Trace,
}

/// The name the called program gets as its `argv[0]`, as the book's script name.
const CALLED_NAME: &str = "called_Process";

/// A value in this program's memory. The calling program sets it to its pid just
/// before the exec; a new program image starts with it at 0 again.
static SET_BY_CALLER: AtomicU32 = AtomicU32::new(0);

/// What a program image says about itself: its pid, the program file it runs
/// (from `/proc/self/exe`, shown relative to the working directory), and its
/// `argv[0]`.
fn about_me(who: &str) {
    println!("{who}_pid = {}", std::process::id());
    let exe = match (std::env::current_exe(), std::env::current_dir()) {
        (Ok(exe), Ok(here)) => exe.strip_prefix(&here).unwrap_or(&exe).display().to_string(),
        (Ok(exe), Err(_)) => exe.display().to_string(),
        (Err(e), _) => format!("? ({e})"),
    };
    println!("{who}_exe = {exe}");
    println!("{who}_argv0 = {}", std::env::args().next().unwrap_or_default());
}

// ANCHOR: listing
/// The book's calling_Process.py: print, then replace this program with the
/// called one. `exec` returns only when it failed.
fn calling(args: &Args) -> io::Error {
    println!("Process calling");
    about_me("calling");
    SET_BY_CALLER.store(std::process::id(), Ordering::SeqCst);

    // Python: os.execvp("python", ("python", "called_Process.py")). Not
    // `child::command`: that one is for children, and asks the kernel to end
    // them with their parent; an exec has no parent to wait for.
    let program = match std::env::current_exe() {
        Ok(program) => program,
        Err(e) => return e,
    };
    let mut called_program = Command::new(program);
    called_program.arg0(CALLED_NAME); // the new program's argv[0]
    called_program.arg(child::CHILD_ARG).arg("called").args(args.no_wait.then_some("--no-wait"));
    if let Some(file) = &args.trace.trace {
        called_program.arg("--trace").arg(file); // the called program writes the timeline
    }
    // Whatever is still buffered would be lost with the old program.
    let _ = io::stdout().flush();
    let error = called_program.exec(); // on success, this call never returns
    // Like the book's `print("Good Bye!!")`, nothing below runs once exec worked.
    println!("Good Bye!!");
    error
}

/// The book's called_Process.py: greet, wait for ENTER, say goodbye.
fn called(args: &CalledArgs) {
    println!("Hello Python Parallel Cookbook!!");
    about_me("called");
    // 0: nothing the calling program stored survived the exec.
    println!("set_by_caller = {}", SET_BY_CALLER.load(Ordering::SeqCst));
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
}
// ANCHOR_END: listing

fn main() -> ExitCode {
    // The called program: the role check comes first, before the normal flags.
    if let Some(role) = child::role() {
        if role.name != "called" {
            return fail(format!("unknown child role `{}`", role.name));
        }
        let args: CalledArgs = role.parse();
        let _session = args.trace.start();
        called(&args);
        return Status::Success.into();
    }

    let args = Args::parse();
    let session = args.trace.start();
    // The exec throws this program away, its unwritten timeline too: the calling
    // program writes its part now and hands the file to the called program, which
    // records its own run in it (in the same process, so under the same pid).
    if let Err(e) = session.finish() {
        return fail(format!("cannot write the trace: {e}"));
    }
    // SAFETY: no other thread runs yet. The called program starts its own trace.
    unsafe { std::env::remove_var(cookbook_support::trace::PARTS_ENV) };
    let error = calling(&args);
    fail(format!("exec failed: {error}"))
}

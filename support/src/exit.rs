//! Exit statuses shared by every recipe.
//!
//! | status | meaning |
//! | --- | --- |
//! | 0 | success |
//! | 1 | the recipe ran and found something wrong (or could not start a thread or process) |
//! | 2 | bad command line (clap's own status) |
//! | 3 | an outside requirement is missing: an MPI launcher, a broker, an OpenCL platform, an NVIDIA GPU |
//!
//! Tests treat status 3 as "skipped", never as "passed".
//!
//! Every recipe's `main` returns [`std::process::ExitCode`], built from [`Status`]:
//!
//! ```
//! use std::process::ExitCode;
//! use cookbook_support::Status;
//! fn main() -> ExitCode {
//!     let all_consumed = true;
//!     if all_consumed { Status::Success.into() } else { Status::Failure.into() }
//! }
//! ```

use std::process::ExitCode;

/// The recipe ran and found something wrong.
pub const EXIT_FAILURE: i32 = 1;
/// The command line was refused (clap exits with this status itself).
pub const EXIT_BAD_INPUT: i32 = 2;
/// An outside requirement is missing.
pub const EXIT_MISSING: i32 = 3;

/// The four exit statuses of a recipe, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Status {
    /// 0: the recipe showed what it shows.
    Success = 0,
    /// 1: it ran and found something wrong, or a thread or process could not start.
    Failure = EXIT_FAILURE as u8,
    /// 2: the command line was refused.
    BadInput = EXIT_BAD_INPUT as u8,
    /// 3: an outside requirement is missing.
    Missing = EXIT_MISSING as u8,
}

impl Status {
    /// The status as a number, as `std::process::exit` and the tests see it.
    pub fn code(self) -> i32 {
        self as i32
    }
}

impl From<Status> for ExitCode {
    fn from(s: Status) -> ExitCode {
        ExitCode::from(s as u8)
    }
}

/// Print `recipe: what` on stderr and return [`Status::Failure`]: the one-line end
/// of a recipe whose thread or process could not start, or whose worker panicked.
pub fn fail(what: impl std::fmt::Display) -> ExitCode {
    let name = std::env::args().next().and_then(|p| p.rsplit('/').next().map(str::to_string)).unwrap_or_default();
    eprintln!("{name}: {what}");
    Status::Failure.into()
}

/// Print one line on stderr saying what is missing and how to get it, then exit
/// with status 3. No panic, no backtrace.
///
/// ```no_run
/// cookbook_support::missing_requirement(
///     "no MPI launcher (mpirun) on PATH",
///     "apt-get install openmpi-bin, or run scripts/install-deps",
/// );
/// ```
pub fn missing_requirement(what: &str, fix: &str) -> ! {
    eprintln!("missing requirement: {what}; to fix: {fix}");
    std::process::exit(EXIT_MISSING)
}

/// Make a closed stdout end the program quietly.
///
/// Rust ignores `SIGPIPE`, so `println!` to a pipe whose reader has gone
/// (`cookbook list | head -1`) panics with "failed printing to stdout: Broken
/// pipe". After this call such a panic exits at once with status 141 (128 +
/// SIGPIPE, what a shell reports for a program killed by the signal), and prints
/// nothing. Every other panic is reported as before. [`crate::Session`] calls it.
pub fn quiet_broken_pipe() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let msg = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("");
            if is_broken_pipe(msg) {
                std::process::exit(141);
            }
            previous(info)
        }));
    });
}

fn is_broken_pipe(panic_message: &str) -> bool {
    panic_message.starts_with("failed printing to std") && panic_message.contains("Broken pipe")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_have_their_numbers() {
        assert_eq!(Status::Success.code(), 0);
        assert_eq!(Status::Failure.code(), 1);
        assert_eq!(Status::BadInput.code(), 2);
        assert_eq!(Status::Missing.code(), 3);
    }

    #[test]
    fn only_a_print_to_a_closed_pipe_is_quiet() {
        assert!(is_broken_pipe("failed printing to stdout: Broken pipe (os error 32)"));
        assert!(!is_broken_pipe("failed printing to stdout: No space left on device (os error 28)"));
        assert!(!is_broken_pipe("index out of bounds: Broken pipe"));
    }
}

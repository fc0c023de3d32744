//! Exit statuses shared by every recipe.
//!
//! | status | meaning |
//! | --- | --- |
//! | 0 | success |
//! | 1 | the recipe ran and found something wrong |
//! | 2 | bad command line (clap's own status) |
//! | 3 | an outside requirement is missing: an MPI launcher, a broker, an OpenCL platform, an NVIDIA GPU |
//!
//! Tests treat status 3 as "skipped", never as "passed".

/// The recipe ran and found something wrong.
pub const EXIT_FAILURE: i32 = 1;
/// The command line was refused (clap exits with this status itself).
pub const EXIT_BAD_INPUT: i32 = 2;
/// An outside requirement is missing.
pub const EXIT_MISSING: i32 = 3;

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

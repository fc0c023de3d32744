//! Lab of chapter 1, "Amdahl, measured".
//!
//! Three exercises, in order (`cookbook lab 1` prints them):
//!
//! 1. `ch01-parallel`: [`parallel`], share a serial loop out over threads (test
//!    `parallel`);
//! 2. `ch01-fraction`: [`fraction`], time the two phases of a job and compute its
//!    serial fraction (test `fraction`);
//! 3. `ch01-amdahl`: [`amdahl`], predict the speed-up with Amdahl's law and check
//!    the prediction against a measured run of `lab_amdahl` (tests `amdahl` and
//!    `lab_amdahl`).
//!
//! [`workload`] is given: the job the exercises run. You edit the files in `src/`.
//! The cargo features choose what is compiled instead, for CI and teachers:
//! `solution` takes `solutions/`, and `solution` with one `wrong-*` feature swaps
//! one exercise for a known-wrong variant from `wrong/`, which its tests must reject.

// The starters leave their arguments unused until they are solved.
#![cfg_attr(not(feature = "solution"), allow(dead_code, unused_variables, unreachable_code))]

#[cfg(all(
    not(feature = "solution"),
    any(feature = "wrong-parallel-serial", feature = "wrong-fraction-constant", feature = "wrong-amdahl-linear")
))]
compile_error!("a `wrong-*` feature replaces one solution: enable `solution` with it");

pub mod workload;

#[cfg_attr(all(feature = "solution", not(feature = "wrong-parallel-serial")), path = "../solutions/parallel.rs")]
#[cfg_attr(feature = "wrong-parallel-serial", path = "../wrong/parallel_serial.rs")]
pub mod parallel;

#[cfg_attr(all(feature = "solution", not(feature = "wrong-fraction-constant")), path = "../solutions/fraction.rs")]
#[cfg_attr(feature = "wrong-fraction-constant", path = "../wrong/fraction_constant.rs")]
pub mod fraction;

#[cfg_attr(all(feature = "solution", not(feature = "wrong-amdahl-linear")), path = "../solutions/amdahl.rs")]
#[cfg_attr(feature = "wrong-amdahl-linear", path = "../wrong/amdahl_linear.rs")]
pub mod amdahl;

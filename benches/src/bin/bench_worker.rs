//! `bench_worker`: the child process of the benches' `processes` mode.
//!
//! Criterion cannot bench a binary, and a bench cannot start itself again as a
//! worker (its `main` belongs to criterion). So the bench package ships this small
//! binary, and the benches start it with `env!("CARGO_BIN_EXE_bench_worker")`: it is
//! what Python's `multiprocessing.Process` starts in the twins.
//!
//! The first argument picks the role:
//!
//! | role | who starts it | what it does |
//! | --- | --- | --- |
//! | `perf <workload> [--steps N \| --file PATH \| --addr HOST:PORT]` | `book_2_13` bench | one call of a §2.13 workload, through `ch02_threads::perf::child_main` |
//! | `do_something --size N --seed S --index I` | by hand | one worker of the 2nd edition's chapter 1 job, through `ch01_intro::work::worker_main`; prints `items = N` and `checksum = X` |
//! | `__child worker --size N --seed S --index I` | `do_something` bench (`ch01_intro::work::run_processes_of`) | the same worker, in the form the chapter 1 library starts it |
//! | `__child pool-worker --iterations N` | `futures_4_2` bench (`ch04_async::pools::ProcessPool`) | a process-pool worker of 1st edition §4.2: reads numbers on stdin, answers `item = N result = R pid = P`, through `ch04_async::pools::worker_main` |
//! | `noop` | `primitives` bench | exits 0 at once: the bare cost of starting and reaping a process |
//!
//! `--help` prints this table in short. Exit status: 0 on success, 1 when the work
//! failed, 2 for a missing or unknown role or bad arguments.

use std::process::ExitCode;

use ch01_intro::work::{WORKER_ROLE, worker_main};
use cookbook_support::EXIT_BAD_INPUT;
use cookbook_support::child::{CHILD_ARG, Role};

const HELP: &str = "\
bench_worker: the child process of the cookbook-bench benches' `processes` mode
(criterion cannot bench a binary, so the benches start this one as their worker).

Usage:
  bench_worker perf <workload> [--steps N | --file PATH | --addr HOST:PORT]
      one call of a 1st edition §2.13 workload (empty, fib_bigint, fib_u64,
      file_read, url_read), as ch02_threads::perf::child_main runs it
  bench_worker do_something --size N --seed S --index I
      one worker of the 2nd edition's chapter 1 job; prints `items = N` and
      `checksum = X`
  bench_worker __child worker --size N --seed S --index I
      the same worker, in the form ch01_intro::work::run_processes_of starts it
  bench_worker __child pool-worker --iterations N
      a process-pool worker of 1st edition §4.2 (ch04_async::pools): reads one
      number per line on stdin, answers `item = N result = R pid = P`
  bench_worker noop
      exit 0 at once (the cost of a process spawn and wait)
  bench_worker --help
      this text

Exit status: 0 on success, 1 when the work failed, 2 for bad arguments.
";

fn exit_code(status: i32) -> ExitCode {
    ExitCode::from(u8::try_from(status).unwrap_or(1))
}

fn bad_input(why: &str) -> ExitCode {
    eprintln!("bench_worker: {why}");
    eprintln!("run `bench_worker --help` for the roles");
    exit_code(EXIT_BAD_INPUT)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((role, rest)) = args.split_first() else {
        return bad_input("missing role");
    };
    match role.as_str() {
        // First, so that the process-spawn bench measures as little as possible.
        "noop" if rest.is_empty() => ExitCode::SUCCESS,
        "noop" => bad_input("`noop` takes no arguments"),
        "perf" => exit_code(ch02_threads::perf::child_main(rest)),
        "do_something" => exit_code(worker_main(&Role::new(WORKER_ROLE, rest.to_vec()))),
        CHILD_ARG => match rest.split_first() {
            Some((name, role_args)) if name == ch04_async::pools::WORKER_ROLE => {
                ch04_async::pools::worker_main(&Role::new(name.clone(), role_args.to_vec()))
            }
            Some((name, role_args)) => exit_code(worker_main(&Role::new(name.clone(), role_args.to_vec()))),
            None => bad_input("`__child` needs a role"),
        },
        "-h" | "--help" | "help" => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        other => bad_input(&format!("unknown role `{other}`")),
    }
}

//! `intro_exec_process`: exec runs a new program image in the same process. The
//! two programs report the same pid and program file, but the called one has the
//! argv the caller gave it and none of the caller's memory; the line after the
//! exec never runs. A plain function call in place of the exec fails these tests.

use cookbook_support::testing::{Run, Runner, run};
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_intro_exec_process");

fn check_exec(out: &Run) {
    let order = [
        out.line_index("Process calling"),
        out.line_index("Hello Python Parallel Cookbook!!"),
        out.line_index("Press ENTER to exit"),
        out.line_index("Closing calledProcess"),
    ];
    assert_run!(out, order.windows(2).all(|w| w[0] < w[1]), "lines out of order {order:?}");
    // One process…
    assert_run_eq!(out, out.fact_as::<u32>("calling_pid"), out.fact_as::<u32>("called_pid"), "exec keeps the pid");
    assert_run_eq!(out, out.fact("calling_exe"), out.fact("called_exe"), "the same program file");
    // …but a new program image: the argv the caller passed, and a fresh memory.
    assert_run!(out, out.fact("calling_argv0").ends_with("intro_exec_process"));
    assert_run_eq!(out, out.fact("called_argv0"), "called_Process", "the called program's own argv[0]");
    assert_run_eq!(out, out.fact("set_by_caller"), "0", "the caller's memory survived: no new image");
    assert_run!(out, !out.stdout.contains("Good Bye!!"), "the line after exec ran");
}

#[test]
fn exec_runs_a_new_program_in_the_same_process() {
    // `run` closes stdin: the called part does not wait for ENTER.
    let out = run(BIN, &[]).success();
    check_exec(&out);
    assert_run!(out, out.stdout.contains("(stdin is closed: not waiting)"));
}

#[test]
fn the_called_program_reads_enter() {
    let out = Runner::new(BIN).stdin(b"\n").run().success();
    check_exec(&out);
    assert_run!(out, !out.stdout.contains("stdin is closed"), "ENTER was there to read");
}

#[test]
fn no_wait_skips_the_question() {
    let out = run(BIN, &["--no-wait"]).success();
    check_exec(&out);
    assert_run!(out, out.stdout.contains("(skipped: --no-wait)"));
}

#[test]
fn unknown_flag_or_role_is_refused() {
    run(BIN, &["--wait-for", "ever"]).status(2);
    let out = run(BIN, &["__child", "nobody"]).status(1);
    assert_run!(out, out.stderr.contains("unknown child role"));
}

//! `intro_exec_process`: exec replaces the program inside the same process, so the
//! two process ids are equal and the line after the exec never runs.

use cookbook_support::testing::run;

const BIN: &str = env!("CARGO_BIN_EXE_intro_exec_process");

#[test]
fn exec_keeps_the_pid_and_never_returns() {
    // `run` closes stdin: the called part does not wait for ENTER.
    let out = run(BIN, &[]).success();
    let order = [
        out.line_index("Process calling"),
        out.line_index("Hello Python Parallel Cookbook!!"),
        out.line_index("Press ENTER to exit"),
        out.line_index("Closing calledProcess"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "lines out of order {order:?}\n{}", out.dump());
    let calling: u32 = out.fact_as("calling_pid");
    let called: u32 = out.fact_as("called_pid");
    assert_eq!(calling, called, "exec must not create a new process\n{}", out.dump());
    assert!(!out.stdout.contains("Good Bye!!"), "the line after exec ran\n{}", out.dump());
}

#[test]
fn no_wait_also_keeps_the_pid() {
    let out = run(BIN, &["--no-wait"]).success();
    assert_eq!(out.fact("calling_pid"), out.fact("called_pid"));
    assert!(!out.stdout.contains("Good Bye!!"), "{}", out.dump());
}

#[test]
fn unknown_flag_is_refused() {
    run(BIN, &["--wait-for", "ever"]).status(2);
}

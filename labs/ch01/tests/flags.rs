//! `lab_amdahl` refuses bad flags with exit 2 (clap's), before any exercise code
//! runs: not an exercise, so a plain `cargo test` runs it.

use cookbook_support::assert_run;
use cookbook_support::testing::run;

const BIN: &str = env!("CARGO_BIN_EXE_lab_amdahl");

#[test]
fn bad_flags_are_refused() {
    for args in
        [&["--max-threads", "0"][..], &["--parallel-units", "0"], &["--repeats", "lots"], &["--serial-units", "1e3"]]
    {
        let out = run(BIN, args).status(2);
        assert_run!(out, out.stderr.contains(args[0]), "clap names the flag {}", args[0]);
    }
    let help = run(BIN, &["--help"]).success();
    assert_run!(help, help.stdout.contains("--max-threads"), "--help lists the flags");
}

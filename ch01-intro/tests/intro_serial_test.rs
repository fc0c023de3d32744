//! `intro_serial_test`: every run builds one list of `--size` items; the totals are
//! exact, and the checksum is the one the chapter library computes for the seed.

use ch01_intro::work::run_serial;
use cookbook_support::testing::run;

const BIN: &str = env!("CARGO_BIN_EXE_intro_serial_test");

#[test]
fn ten_lists_of_size_items() {
    let out = run(BIN, &["--size", "2000", "--seed", "5"]).success();
    assert_eq!(out.fact("lists"), "10");
    assert_eq!(out.fact("items_per_list"), "2000");
    assert_eq!(out.fact("total_items"), "20000");
    assert_eq!(out.fact_as::<f64>("checksum"), run_serial(10, 2000, 5).checksum);
    let done = out.line_index("List processing complete.");
    assert!(out.line_index("serial time= ") > done, "{}", out.dump());
}

#[test]
fn runs_flag_sets_the_number_of_lists() {
    let out = run(BIN, &["--runs", "3", "--size", "50", "--seed", "1"]).success();
    assert_eq!(out.fact("lists"), "3");
    assert_eq!(out.fact("items_per_list"), "50");
    assert_eq!(out.fact("total_items"), "150");
}

#[test]
fn a_drawn_seed_is_printed_and_replays_the_run() {
    let first = run(BIN, &["--size", "100"]).success();
    let seed: u64 = first.fact_as("seed");
    let again = run(BIN, &["--size", "100", "--seed", &seed.to_string()]).success();
    assert_eq!(first.fact("checksum"), again.fact("checksum"));
    assert_eq!(again.facts("seed").len(), 0, "a given seed is not printed again");
}

#[test]
fn bad_sizes_are_refused() {
    let out = run(BIN, &["--size", "0"]).status(2);
    assert!(out.stderr.contains("--size"), "{}", out.dump());
    run(BIN, &["--size", "-5"]).status(2);
    run(BIN, &["--runs", "many"]).status(2);
}

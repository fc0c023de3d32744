//! `intro_serial_test`: every run builds one list of `--size` items; the totals are
//! exact, the checksum is the one the chapter library computes for the seed, and
//! a list is held a chunk at a time unless `--keep-lists`.

use ch01_intro::work::{CHUNK, run_serial};
use cookbook_support::testing::run;
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_intro_serial_test");

#[test]
fn ten_lists_of_size_items() {
    let out = run(BIN, &["--size", "2000", "--seed", "5"]).success();
    assert_run_eq!(out, out.fact("lists"), "10");
    assert_run_eq!(out, out.fact("total_items"), "20000");
    assert_run_eq!(out, out.fact_as::<f64>("checksum"), run_serial(10, 2000, 5).checksum);
    assert_run!(out, out.line_index("serial time= ") > out.line_index("List processing complete."));
}

#[test]
fn a_list_is_held_a_chunk_at_a_time_unless_kept() {
    let size = (2 * CHUNK + 10).to_string();
    let chunked = run(BIN, &["--runs", "2", "--size", &size, "--seed", "4"]).success();
    let kept = run(BIN, &["--runs", "2", "--size", &size, "--seed", "4", "--keep-lists"]).success();
    assert_run_eq!(chunked, chunked.fact_as::<usize>("held_per_list"), CHUNK);
    assert_run_eq!(kept, kept.fact_as::<usize>("held_per_list"), 2 * CHUNK + 10);
    assert_run_eq!(kept, kept.fact("checksum"), chunked.fact("checksum"), "the same numbers either way");
    assert_run_eq!(kept, kept.fact_as::<usize>("total_items"), 2 * (2 * CHUNK + 10));
}

#[test]
fn runs_flag_sets_the_number_of_lists() {
    let out = run(BIN, &["--runs", "3", "--size", "50", "--seed", "1"]).success();
    assert_run_eq!(out, out.fact("lists"), "3");
    assert_run_eq!(out, out.fact("held_per_list"), "50");
    assert_run_eq!(out, out.fact("total_items"), "150");
}

#[test]
fn a_drawn_seed_is_printed_and_replays_the_run() {
    let first = run(BIN, &["--size", "100"]).success();
    let seed: u64 = first.fact_as("seed");
    let again = run(BIN, &["--size", "100", "--seed", &seed.to_string()]).success();
    assert_run_eq!(again, first.fact("checksum"), again.fact("checksum"));
    assert_run_eq!(again, again.facts("seed").len(), 0, "a given seed is not printed again");
}

#[test]
fn bad_sizes_are_refused() {
    let out = run(BIN, &["--size", "0"]).status(2);
    assert_run!(out, out.stderr.contains("--size"));
    for args in [
        &["--size", "-5"][..],
        &["--size", "100000001"],
        &["--runs", "many"],
        &["--runs", "1001"],
        &["--keep-lists", "--size", "100000000", "--runs", "3"],
        &["--delay-scale", "0"],
    ] {
        run(BIN, args).status(2);
    }
}

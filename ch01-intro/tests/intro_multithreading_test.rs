//! `intro_multithreading_test`: the threads build the same lists as the serial run;
//! where the work ran is read from the thread ids the lists recorded.

use ch01_intro::work::run_serial;
use cookbook_support::testing::run;

const BIN: &str = env!("CARGO_BIN_EXE_intro_multithreading_test");

#[test]
fn ten_threads_do_the_work() {
    let out = run(BIN, &["--size", "2000", "--seed", "5"]).success();
    assert_eq!(out.fact("threads"), "10");
    assert_eq!(out.fact("total_items"), "20000");
    assert_eq!(out.fact("work_done_in"), "threads");
    assert_eq!(out.fact_as::<f64>("checksum"), run_serial(10, 2000, 5).checksum);
    let done = out.line_index("List processing complete.");
    assert!(out.line_index("multithreading time= ") > done, "{}", out.dump());
}

#[test]
fn the_python_slip_does_the_work_in_main() {
    let out = run(BIN, &["--size", "2000", "--seed", "5", "--python-slip"]).success();
    assert_eq!(out.fact("threads"), "10");
    assert_eq!(out.fact("total_items"), "20000");
    assert_eq!(out.fact("work_done_in"), "main");
    // Same lists, wherever they were built.
    assert_eq!(out.fact_as::<f64>("checksum"), run_serial(10, 2000, 5).checksum);
}

#[test]
fn threads_flag_sets_the_number_of_threads() {
    let out = run(BIN, &["--threads", "3", "--size", "70", "--seed", "2"]).success();
    assert_eq!(out.fact("threads"), "3");
    assert_eq!(out.fact("total_items"), "210");
    assert_eq!(out.fact("work_done_in"), "threads");
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--threads", "0"]).status(2);
    assert!(out.stderr.contains("--threads"), "{}", out.dump());
    run(BIN, &["--size", "ten"]).status(2);
}

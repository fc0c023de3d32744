//! `intro_multithreading_test`: the threads build the same lists as the serial run;
//! where the work ran is read from the thread ids the lists recorded; a thread
//! that cannot start is one line and exit 1, never a panic.

use ch01_intro::work::{CHUNK, run_serial};
use cookbook_support::testing::{Runner, run};
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_intro_multithreading_test");

#[test]
fn ten_threads_do_the_work() {
    let out = run(BIN, &["--size", "2000", "--seed", "5"]).success();
    assert_run_eq!(out, out.fact("threads"), "10");
    assert_run_eq!(out, out.fact("total_items"), "20000");
    assert_run_eq!(out, out.fact("work_done_in"), "threads");
    assert_run_eq!(out, out.fact_as::<f64>("checksum"), run_serial(10, 2000, 5).checksum);
    assert_run!(out, out.line_index("multithreading time= ") > out.line_index("List processing complete."));
}

#[test]
fn the_python_slip_does_the_work_in_main() {
    let out = run(BIN, &["--size", "2000", "--seed", "5", "--python-slip"]).success();
    assert_run_eq!(out, out.fact("threads"), "10");
    assert_run_eq!(out, out.fact("work_done_in"), "main");
    // Same lists, wherever they were built.
    assert_run_eq!(out, out.fact_as::<f64>("checksum"), run_serial(10, 2000, 5).checksum);
}

#[test]
fn a_thread_holds_a_chunk_at_a_time_unless_kept() {
    let size = (CHUNK + 3).to_string();
    let chunked = run(BIN, &["--threads", "2", "--size", &size, "--seed", "6"]).success();
    let kept = run(BIN, &["--threads", "2", "--size", &size, "--seed", "6", "--keep-lists"]).success();
    assert_run_eq!(chunked, chunked.fact_as::<usize>("held_per_list"), CHUNK);
    assert_run_eq!(kept, kept.fact_as::<usize>("held_per_list"), CHUNK + 3);
    assert_run_eq!(kept, kept.fact("checksum"), chunked.fact("checksum"));
    assert_run_eq!(kept, kept.fact("work_done_in"), "threads");
}

#[test]
fn threads_flag_sets_the_number_of_threads() {
    let out = run(BIN, &["--threads", "3", "--size", "70", "--seed", "2"]).success();
    assert_run_eq!(out, out.fact("threads"), "3");
    assert_run_eq!(out, out.fact("total_items"), "210");
    assert_run_eq!(out, out.fact("work_done_in"), "threads");
}

/// Under a limit of 256 MiB of address space, 1000 threads (2 MiB of stack each)
/// cannot all start: the recipe must say so in one line and exit 1.
#[test]
fn a_thread_that_cannot_start_is_one_line_and_exit_1() {
    for slip in [false, true] {
        let mut args = vec!["-c", "ulimit -v 262144 && exec \"$0\" \"$@\"", BIN, "--threads", "1000", "--size", "1"];
        if slip {
            args.push("--python-slip");
        }
        let out = Runner::new("sh").args(&args).run().status(1);
        assert_run!(out, !out.stderr.contains("panicked"));
        assert_run_eq!(out, out.stderr.lines().count(), 1, "one line on stderr");
        assert_run!(out, out.stderr.contains("cannot start thread"));
        // Under the same limit, a few threads run fine: the limit is what failed.
        let few = Runner::new("sh").args(&args[..4]).args(&["10", "--size", "1"]).run().success();
        assert_run_eq!(few, few.fact("threads"), "10");
    }
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--threads", "0"]).status(2);
    assert_run!(out, out.stderr.contains("--threads"));
    for args in [
        &["--size", "ten"][..],
        &["--threads", "2000"],
        &["--size", "100000001"],
        &["--keep-lists", "--threads", "3", "--size", "100000000"],
        &["--delay-scale", "0"],
    ] {
        run(BIN, args).status(2);
    }
}

//! `thread_readers_writers`: under every policy no reader ever sees a half-written
//! record, and the fair locks (turnstile, parking_lot) let the writer in. Starvation
//! under readers preference is shown by the recipe, not asserted.

use cookbook_support::testing::run;

const BIN: &str = env!("CARGO_BIN_EXE_thread_readers_writers");

#[test]
fn no_torn_reads_and_fair_locks_let_writers_in() {
    let out = run(BIN, &["--duration-ms", "300", "--hold-us", "300"]).success();
    let policies = out.facts("policy");
    assert_eq!(
        policies,
        [
            "readers-preference torn_reads = 0",
            "turnstile torn_reads = 0",
            "std torn_reads = 0",
            "parking_lot torn_reads = 0",
        ],
        "{}",
        out.dump()
    );
    for p in ["readers-preference", "turnstile", "std", "parking_lot"] {
        assert!(out.fact_as::<u64>(&format!("{p}.reads")) >= 1, "{p}: no read at all\n{}", out.dump());
        // Printed for every policy, whatever its value.
        out.fact_as::<u64>(&format!("{p}.longest_writer_wait_ms"));
    }
    assert!(out.fact_as::<u64>("turnstile.writes") >= 1, "{}", out.dump());
    assert!(out.fact_as::<u64>("parking_lot.writes") >= 1, "{}", out.dump());
}

#[test]
fn several_writers_one_policy() {
    let out =
        run(BIN, &["--policy", "turnstile", "--writers", "3", "--readers", "2", "--duration-ms", "200"]).success();
    assert_eq!(out.facts("policy"), ["turnstile torn_reads = 0"]);
    assert!(out.fact_as::<u64>("turnstile.writes") >= 1, "{}", out.dump());
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--readers", "0"]).status(2);
    assert!(out.stderr.contains("--readers"), "{}", out.dump());
    run(BIN, &["--duration-ms", "-5"]).status(2);
    run(BIN, &["--policy", "optimistic"]).status(2);
}

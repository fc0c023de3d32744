//! `thread_readers_writers`: under every lock no reader ever sees a half-written
//! record. The readers relay (none leaves the room empty while the lock would let
//! another in), so under readers preference no write gets in while they read, and
//! each waiting writer gets in once they stop; the fair locks (turnstile,
//! parking_lot) let the writer in while they read.

use std::time::Duration;

use cookbook_support::testing::{Run, Runner, run};
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_thread_readers_writers");
const POLICIES: [&str; 4] = ["readers-preference", "turnstile", "std", "parking_lot"];

fn rw(args: &[&str]) -> Run {
    // A writer that never gets in, even after the readers stop, would hang.
    Runner::new(BIN).args(args).timeout(Duration::from_secs(60)).run().success()
}

/// The record of `policy`: (reads, writes while the readers read, late writes).
fn counts(out: &Run, policy: &str) -> (u64, u64, u64) {
    let records = out.records("policy");
    let found: Vec<_> = records.iter().filter(|r| r.get("policy") == Some(policy)).collect();
    assert_run_eq!(out, found.len(), 1, "one record for {policy}");
    let r = found[0];
    assert_run_eq!(out, out.field::<u64>(r, "torn_reads"), 0, "{policy} let a reader see a half-written record");
    (out.field(r, "reads"), out.field(r, "writes"), out.field(r, "late_writes"))
}

#[test]
fn no_torn_reads_readers_preference_starves_and_fair_locks_let_writers_in() {
    let out = rw(&["--duration", "0.3", "--hold", "0.0003"]);
    let names: Vec<&str> = out.records("policy").iter().filter_map(|r| r.get("policy")).collect();
    assert_run_eq!(out, names, POLICIES);
    for p in POLICIES {
        let (reads, _, _) = counts(&out, p);
        assert_run!(out, reads >= 1, "{p}: no read at all");
    }
    let (_, writes, late) = counts(&out, "readers-preference");
    assert_run_eq!(out, writes, 0, "a write got in past the relaying readers");
    assert_run!(out, late <= 1, "one writer gets in at most once after the readers stop");
    assert_run!(out, out.stdout.contains("the writers were starved"));
    assert_run!(out, counts(&out, "turnstile").1 >= 1, "the turnstile kept the writer out");
    assert_run!(out, counts(&out, "parking_lot").1 >= 1, "parking_lot kept the writer out");
}

#[test]
fn several_writers_one_policy() {
    let out = rw(&["--policy", "turnstile", "--writers", "3", "--readers", "2", "--duration", "0.2"]);
    assert_run_eq!(out, out.records("policy").len(), 1);
    assert_run!(out, counts(&out, "turnstile").1 >= 1);
    let out = rw(&["--policy", "readers-preference", "--writers", "3", "--readers", "3", "--duration", "0.2"]);
    let (_, writes, late) = counts(&out, "readers-preference");
    assert_run_eq!(out, writes, 0);
    assert_run!(out, late <= 3);
}

#[test]
fn a_lone_reader_still_starves_the_writer() {
    // One reader alone would leave the room empty after every read; the relay (stay
    // until another reader is inside, while the lock would let one in) keeps it
    // occupied for the whole run, and the writer out.
    let args = ["--policy", "readers-preference", "--readers", "1", "--hold", "0.0001", "--duration", "0.2"];
    let out = rw(&args);
    let (reads, writes, late) = counts(&out, "readers-preference");
    assert_run!(out, reads >= 1);
    assert_run_eq!(out, writes, 0);
    assert_run!(out, late <= 1);
    // Under the turnstile the same lone reader makes way for the writer.
    let out = rw(&["--policy", "turnstile", "--readers", "1", "--hold", "0.0001", "--duration", "0.2"]);
    assert_run!(out, counts(&out, "turnstile").1 >= 1);
}

#[test]
fn bad_input_is_refused() {
    let out = run(BIN, &["--readers", "0"]).status(2);
    assert_run!(out, out.stderr.contains("--readers"));
    for (flag, bad) in [
        ("--readers", "65"),
        ("--writers", "0"),
        ("--writers", "17"),
        ("--duration", "-5"),
        ("--duration", "0"),
        ("--duration", "61"),
        ("--duration", "1e300"),
        ("--hold", "0.5"),
        ("--hold", "NaN"),
        ("--policy", "optimistic"),
        ("--duration-ms", "200"),
    ] {
        run(BIN, &[flag, bad]).status(2);
    }
    // No sleeps of the book and no randomness here.
    run(BIN, &["--delay-scale", "0"]).status(2);
    run(BIN, &["--seed", "1"]).status(2);
}

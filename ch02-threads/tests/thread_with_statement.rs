//! `thread_with_statement`: eight log lines, one "via with" and one "directly" per
//! primitive, from threads Thread-1…Thread-8, the pairs in order. The order of the
//! two lines within a pair is not enforced by the program and is not asserted.

use cookbook_support::testing::run;

const BIN: &str = env!("CARGO_BIN_EXE_thread_with_statement");

const PRIMITIVES: [&str; 4] = ["Mutex", "ReentrantMutex", "Condvar", "Semaphore(1)"];

#[test]
fn eight_lines_two_per_primitive_in_order() {
    let out = run(BIN, &[]).success();
    let lines = out.lines();
    assert_eq!(lines.len(), 8, "{}", out.dump());

    let mut names = Vec::new();
    for (k, primitive) in PRIMITIVES.iter().enumerate() {
        // Primitive k's pair is lines 2k and 2k+1, in either order.
        let pair = &lines[2 * k..2 * k + 2];
        let with = format!("(Thread-{:<3}) {primitive} acquired via with", 2 * k + 1);
        let directly = format!("(Thread-{:<3}) {primitive} acquired directly", 2 * k + 2);
        assert!(pair.contains(&with.as_str()), "missing `{with}`\n{}", out.dump());
        assert!(pair.contains(&directly.as_str()), "missing `{directly}`\n{}", out.dump());
        for line in pair {
            // `(<name padded to 10>) <message>`
            assert_eq!(&line[..1], "(");
            assert_eq!(&line[11..13], ") ", "name not padded to 10 columns: `{line}`");
            names.push(line[1..11].trim_end().to_string());
        }
    }
    names.sort_by_key(|n| n["Thread-".len()..].parse::<usize>().unwrap());
    let expected: Vec<String> = (1..=8).map(|i| format!("Thread-{i}")).collect();
    assert_eq!(names, expected, "each name exactly once");
}

#[test]
fn stray_argument_is_refused() {
    run(BIN, &["--count", "3"]).status(2);
    run(BIN, &["extra"]).status(2);
}

//! `intro_rust_tour`: the tour prints the book's values (with the book's two
//! mistakes corrected) and the `if` section follows `--number`.

use cookbook_support::testing::run;

const BIN: &str = env!("CARGO_BIN_EXE_intro_rust_tour");

#[test]
fn tour_prints_the_expected_values() {
    let out = run(BIN, &[]).success();
    assert_eq!(out.fact("area"), "900");
    assert_eq!(out.fact("modulus"), "1.5811388300841898");
    assert_eq!(out.fact("fib_below_10"), "1 1 2 3 5 8");
    assert_eq!(out.fact("fib_below_2000"), "1 1 2 3 5 8 13 21 34 55 89 144 233 377 610 987 1597");
    assert_eq!(out.fact("sin_1"), "0.8414709848078965");
    assert_eq!(out.fact("list_sum"), "83");
    assert_eq!(out.fact("sum_1_to_10"), "55");
    assert_eq!(out.fact("file_lines"), "2");
    // The default number is the book's 1.
    assert!(out.stdout.contains("the number is one"), "{}", out.dump());
}

#[test]
fn if_section_follows_the_number() {
    for (number, expected) in [("0", "the number is zero"), ("-3", "the number is negative"), ("7", "More")] {
        let out = run(BIN, &["--number", number]).success();
        let section = out.line_index("6. if statement");
        let answer = out.line_index(expected);
        assert_eq!(answer, section + 2, "--number {number}\n{}", out.dump());
    }
}

#[test]
fn ask_reads_the_number_from_stdin() {
    let out = cookbook_support::testing::Runner::new(BIN).args(&["--ask"]).stdin(b"0\n").run().success();
    assert!(out.stdout.contains("the number is zero"), "{}", out.dump());
}

#[test]
fn bad_number_is_refused() {
    let out = run(BIN, &["--number", "seven"]).status(2);
    assert!(out.stderr.contains("--number"), "{}", out.dump());
}

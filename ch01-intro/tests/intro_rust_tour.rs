//! `intro_rust_tour`: the tour prints the book's values (with the book's two
//! mistakes corrected), the 2nd edition's dict as Python prints it, and the `if`
//! section follows `--number`.

use cookbook_support::testing::{Runner, run};
use cookbook_support::{assert_run, assert_run_eq};

const BIN: &str = env!("CARGO_BIN_EXE_intro_rust_tour");

#[test]
fn tour_prints_the_expected_values() {
    let out = run(BIN, &[]).success();
    assert_run_eq!(out, out.fact("area"), "900");
    // §1.7 prints 5.0; the modulus of 1.5+0.5j is √2.5.
    assert_run_eq!(out, out.fact("modulus"), "1.5811388300841898");
    assert_run_eq!(out, out.fact("fib_below_10"), "1 1 2 3 5 8");
    assert_run_eq!(out, out.fact("fib_below_2000"), "1 1 2 3 5 8 13 21 34 55 89 144 233 377 610 987 1597");
    assert_run_eq!(out, out.fact("sin_1"), "0.8414709848078965");
    // flow.py's comment says 48.
    assert_run_eq!(out, out.fact("list_sum"), "83");
    assert_run_eq!(out, out.fact("sum_1_to_10"), "55");
    assert_run_eq!(out, out.fact("file_lines"), "2");
    // The default number is the book's 1.
    assert_run!(out, out.stdout.contains("the number is one"));
}

#[test]
fn lists_py_prints_as_python_does() {
    let out = run(BIN, &[]).success();
    // print(mylist[0]): a str prints without quotes.
    assert_run_eq!(out, out.fact("mylist[0]"), "yet element 1");
    assert_run_eq!(out, out.fact("mylist[-1]"), "3.15");
    // print(mydict): insertion order, the int key 2 as an int, strings quoted.
    assert_run_eq!(out, out.fact("mydict"), "{'Key 1': 'value 1', 2: 3, 'pi': 3.14}");
    assert_run_eq!(out, out.fact("mydict[\"pi\"]"), "3.15");
    assert_run_eq!(out, out.fact("mytuple"), "(1, 2, 3)");
    assert_run_eq!(out, out.fact("myfunc(&mylist)"), "3");
}

#[test]
fn class_attributes_are_shared_until_an_instance_assigns_its_own() {
    let out = run(BIN, &[]).success();
    let both = out.facts("instance.common");
    assert_run_eq!(
        out,
        both,
        [
            "10  instance2.common = 10",
            "30  instance2.common = 30",
            "10",
            "10  instance2.common = 30",
            "10  instance2.common = 50"
        ]
    );
}

#[test]
fn if_section_follows_the_number() {
    for (number, expected) in [("0", "the number is zero"), ("-3", "the number is negative"), ("7", "More")] {
        let out = run(BIN, &["--number", number]).success();
        let section = out.line_index("6. if statement");
        assert_run_eq!(out, out.line_index(expected), section + 2, "--number {number}");
    }
}

#[test]
fn ask_reads_the_number_from_stdin() {
    let out = Runner::new(BIN).args(&["--ask"]).stdin(b"0\n").run().success();
    assert_run!(out, out.stdout.contains("the number is zero"));
    let out = Runner::new(BIN).args(&["--ask"]).stdin(b"seven\n").run().status(1);
    assert_run!(out, out.stderr.contains("`seven` is not an integer"));
    let out = run(BIN, &["--ask"]).status(1);
    assert_run!(out, out.stderr.contains("stdin"));
}

#[test]
fn bad_number_is_refused() {
    let out = run(BIN, &["--number", "seven"]).status(2);
    assert_run!(out, out.stderr.contains("--number"));
    run(BIN, &["--number", "1e300"]).status(2);
    run(BIN, &["--number", "9223372036854775808"]).status(2);
}

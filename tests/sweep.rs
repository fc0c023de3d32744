//! The input sweep: no value of any flag makes a recipe panic, hang or leave a
//! process behind.
//!
//! For every recipe of the index, the flags that take a value are read from its
//! own `--help`, and each is tried, one at a time, with values that have broken
//! recipes before: `0`, `-1`, `1e300`, `NaN`, `18446744073709551616` (2^64, one
//! past `u64`), an empty string and a word. Every run must end under a time limit
//! with exit 0, 1, 2 or 3, print no "panicked at", and leave no process (the
//! runner checks the process group). A value that is accepted runs the recipe,
//! so the other flags take the recipe's `quick` settings from recipes.toml, and
//! its sleeps are scaled to 0 where it has `--delay-scale`.

mod common;

use std::time::Duration;

use cookbook_support::assert_run;
use cookbook_support::testing::Runner;

const VALUES: [&str; 7] = ["0", "-1", "1e300", "NaN", "18446744073709551616", "", "word"];

/// The `--flag` names of `help` that take a value (`--count <N>`).
fn value_flags(help: &str) -> Vec<String> {
    let mut flags = Vec::new();
    for line in help.lines().map(str::trim_start).filter(|l| l.starts_with('-')) {
        let words: Vec<&str> = line.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
        for pair in words.windows(2) {
            let (flag, value) = (pair[0], pair[1]);
            let flag = flag.split('=').next().unwrap_or(flag);
            if flag.starts_with("--") && (value.starts_with('<') || value.starts_with("[<")) {
                flags.push(flag.to_string());
            }
        }
    }
    flags.dedup();
    flags
}

/// The recipe's `quick` flags (recipes.toml), less the one being swept and its
/// value.
fn quick_without<'a>(quick: &'a [String], swept: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut it = quick.iter().map(String::as_str).peekable();
    while let Some(a) = it.next() {
        let takes_value = it.peek().is_some_and(|v| !v.starts_with("--"));
        if a == swept {
            if takes_value {
                it.next();
            }
            continue;
        }
        out.push(a);
    }
    out
}

#[test]
fn quick_flags_drop_the_swept_one() {
    let q: Vec<String> = ["--size", "1000", "--fast", "--runs", "2"].map(String::from).to_vec();
    assert_eq!(quick_without(&q, "--size"), ["--fast", "--runs", "2"]);
    assert_eq!(quick_without(&q, "--runs"), ["--size", "1000", "--fast"]);
    assert_eq!(quick_without(&q, "--seed"), ["--size", "1000", "--fast", "--runs", "2"]);
}

#[test]
fn help_lists_value_flags() {
    let help = "Options:\n      --count <N>\n          Iterations\n  -n, --threads <THREADS>  Threads\n      --fast\n      --trace <FILE>\n";
    assert_eq!(value_flags(help), ["--count", "--threads", "--trace"]);
}

#[test]
fn no_value_of_any_flag_panics_or_hangs() {
    let dir = std::env::temp_dir().join(format!("cookbook-sweep-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let mut tried = 0;
    let mut recipes_swept = 0;
    for r in common::recipes() {
        let Some(bin) = common::recipe_bin(&r) else { continue };
        let help = Runner::new(&bin).args(&["--help"]).run().success();
        let flags = value_flags(&help.stdout);
        assert_run!(help, flags.iter().any(|f| f == "--trace"), "{} does not take --trace", r.name);
        let has_delay = flags.iter().any(|f| f == "--delay-scale");
        recipes_swept += 1;
        for flag in &flags {
            for value in VALUES {
                let mut args = vec![flag.as_str(), value];
                args.extend(quick_without(&r.quick, flag));
                if has_delay && flag != "--delay-scale" {
                    args.extend(["--delay-scale", "0"]);
                }
                // A file name given to --trace lands in the temporary folder.
                let out = Runner::new(&bin).args(&args).current_dir(&dir).timeout(Duration::from_secs(90)).run();
                tried += 1;
                assert_run!(
                    out,
                    matches!(out.code, Some(0..=3)),
                    "{} {flag} {value:?} exited with {:?}, not 0–3",
                    r.name,
                    out.code
                );
                assert_run!(out, !out.stderr.contains("panicked at"), "{} {flag} {value:?} panicked", r.name);
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!("input sweep: {tried} runs over {recipes_swept} recipes");
    assert!(recipes_swept >= 24, "only {recipes_swept} recipes swept");
}

//! `labs.toml` is the lab index: it must agree with the lab crates' files, with
//! `recipes.toml`, with the book and with `scripts/test`; and `cookbook lab` reads
//! it (the commands that run no cargo are tried here; `cookbook lab verify`, run by
//! `scripts/test`, proves the starters fail and the solutions pass).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use cookbook_support::testing::run;
use cookbook_support::{assert_run, assert_run_eq};
use parallel_cookbook::index;
use parallel_cookbook::lab::{self, Exercise, Lab, Labs};

const COOKBOOK: &str = env!("CARGO_BIN_EXE_cookbook");

/// The mark of an exercise's test: ignored by a plain `cargo test`.
const IGNORED: &str = "#[cfg_attr(not(feature = \"solution\"), ignore = \"a lab exercise: `cookbook lab check ";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

fn labs() -> Labs {
    lab::parse(&read("labs.toml")).expect("labs.toml parses")
}

fn lab_of<'a>(labs: &'a Labs, e: &Exercise) -> &'a Lab {
    labs.lab(e.chapter).unwrap_or_else(|| panic!("{}: chapter {} has no [[lab]]", e.name, e.chapter))
}

/// Runs of spaces and line breaks as one space, so that prose reflowed on a page
/// still matches the index.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The file stem of a path: `labs/ch02/src/queue.rs` → `queue`.
fn stem(path: &str) -> String {
    Path::new(path).file_stem().unwrap().to_string_lossy().into_owned()
}

fn names_in(dir: &str, ext: &str) -> BTreeSet<String> {
    let Ok(entries) = fs::read_dir(root().join(dir)) else { return BTreeSet::new() };
    entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn the_built_in_index_is_labs_toml() {
    assert_eq!(lab::LABS_TOML, read("labs.toml"), "cookbook was built from another labs.toml");
}

#[test]
fn each_lab_is_a_workspace_member_with_its_pages() {
    let labs = labs();
    let manifest: toml::Table = read("Cargo.toml").parse().unwrap();
    let workspace = manifest["workspace"].as_table().unwrap();
    let summary = read("recipes/src/SUMMARY.md");
    let mut chapters = BTreeSet::new();
    for lab in &labs.lab {
        assert!(chapters.insert(lab.chapter), "two labs for chapter {}", lab.chapter);
        assert_eq!(lab.dir, format!("labs/ch{:02}", lab.chapter), "the folder of chapter {}'s lab", lab.chapter);
        assert_eq!(lab.krate, format!("lab-ch{:02}", lab.chapter), "the crate of chapter {}'s lab", lab.chapter);
        let own: toml::Table = read(&format!("{}/Cargo.toml", lab.dir)).parse().unwrap();
        assert_eq!(own["package"]["name"].as_str(), Some(lab.krate.as_str()), "{}/Cargo.toml", lab.dir);
        for key in ["members", "default-members"] {
            let listed = workspace[key].as_array().unwrap().iter().any(|m| m.as_str() == Some(lab.dir.as_str()));
            assert!(listed, "{} is not in the workspace's {key}", lab.dir);
        }
        for page in [&lab.page, &lab.solutions_page] {
            let rel = page.strip_prefix("recipes/src/").unwrap_or_else(|| panic!("{page} is not in the book"));
            assert!(rel.starts_with("labs/"), "{page}: lab pages live in recipes/src/labs/");
            assert!(root().join(page).is_file(), "{page} is missing");
            assert!(summary.contains(&format!("]({rel})")), "SUMMARY.md does not list {rel}");
        }
        let solutions = read(&lab.solutions_page);
        assert!(solutions.to_lowercase().contains("warning"), "{} has no warning", lab.solutions_page);
    }
}

#[test]
fn each_exercise_agrees_with_its_files() {
    let labs = labs();
    let recipes = index::recipes();
    let mut names = BTreeSet::new();
    for e in &labs.exercise {
        let lab = lab_of(&labs, e);
        assert!(names.insert(e.name.clone()), "{} is listed twice", e.name);
        assert!(e.name.starts_with(&format!("ch{:02}-", e.chapter)), "{} is in chapter {}", e.name, e.chapter);
        for (what, text) in [("title", &e.title), ("task", &e.task), ("hint", &e.hint), ("passing", &e.passing)] {
            assert!(!text.trim().is_empty(), "{} has no {what}", e.name);
        }
        assert!(
            recipes.iter().any(|r| r.name == e.recipe),
            "{} builds on {}, which recipes.toml lacks",
            e.name,
            e.recipe
        );

        // The student's copy in src/, the solution beside it, and the lib choosing.
        let module = stem(&e.file);
        assert_eq!(e.file, format!("{}/src/{module}.rs", lab.dir), "{}: the student's copy", e.name);
        assert_eq!(e.solution, format!("{}/solutions/{module}.rs", lab.dir), "{}: the solution", e.name);
        let lib = read(&format!("{}/src/lib.rs", lab.dir));
        assert!(lib.contains(&format!("pub mod {module};")), "{}/src/lib.rs does not declare {module}", lab.dir);
        let chosen = format!("path = \"../solutions/{module}.rs\")]");
        assert!(
            lib.contains(&chosen),
            "{}/src/lib.rs does not take {module} from solutions/ under `solution`",
            lab.dir
        );

        let starter = read(&e.file);
        let solution = read(&e.solution);
        assert!(starter.contains(&format!("Exercise `{}`", e.name)), "{} does not name its exercise", e.file);
        assert!(!e.starter_fails_with.is_empty(), "{}: why does the starter fail?", e.name);
        if e.starter_fails_with.iter().any(|r| r == "not yet implemented") {
            assert!(starter.contains("todo!("), "{} is expected to fail on todo!() but has none", e.file);
        }
        assert!(!solution.contains("todo!("), "{} still has a todo!()", e.solution);
        assert!(
            solution.contains("// ANCHOR: solution") && solution.contains("// ANCHOR_END: solution"),
            "{} has no `solution` anchor for the book",
            e.solution
        );

        // The tests: every target exists and marks its tests as this exercise's.
        assert!(!e.tests.is_empty(), "{} has no tests", e.name);
        for t in e.tests.iter().chain(&e.loom) {
            let rel = format!("{}/tests/{t}.rs", lab.dir);
            let text = read(&rel);
            let mark = format!("{IGNORED}{}` runs it\")]", e.name);
            assert!(text.contains(&mark), "{rel}: its tests are not marked as {}'s", e.name);
            let tests = text.matches("#[test]").count();
            assert_eq!(text.matches(&mark).count(), tests, "{rel}: every test of an exercise is marked");
            assert_eq!(text.starts_with("//!") && text.contains("#![cfg(loom)]"), e.loom.contains(t), "{rel}: loom?");
        }
    }
}

#[test]
fn every_lab_file_belongs_to_the_index() {
    let labs = labs();
    for lab in &labs.lab {
        let ex: Vec<&Exercise> = labs.of_chapter(lab.chapter).collect();
        let modules: BTreeSet<String> = ex.iter().map(|e| stem(&e.file)).collect();
        let solutions = names_in(&format!("{}/solutions", lab.dir), "rs");
        assert_eq!(solutions, modules, "{}/solutions/ against the exercises", lab.dir);
        // src/ holds the exercises, lib.rs, and what the lab gives (no todo!()).
        for m in names_in(&format!("{}/src", lab.dir), "rs") {
            if !modules.contains(&m) {
                let text = read(&format!("{}/src/{m}.rs", lab.dir));
                assert!(!text.contains("todo!("), "{}/src/{m}.rs has a todo!() but is no exercise", lab.dir);
            }
        }
        // A test file with exercise tests is some exercise's target.
        let targets: BTreeSet<String> = ex.iter().flat_map(|e| e.tests.iter().chain(&e.loom)).cloned().collect();
        for t in names_in(&format!("{}/tests", lab.dir), "rs") {
            let text = read(&format!("{}/tests/{t}.rs", lab.dir));
            assert_eq!(text.contains(IGNORED), targets.contains(&t), "{}/tests/{t}.rs against labs.toml", lab.dir);
        }
        // Every wrong-* feature and every file in wrong/ is a [[wrong]] entry.
        let own: toml::Table = read(&format!("{}/Cargo.toml", lab.dir)).parse().unwrap();
        let features: BTreeSet<String> =
            own["features"].as_table().unwrap().keys().filter(|k| k.starts_with("wrong-")).cloned().collect();
        let wrongs: Vec<_> = labs.wrong.iter().filter(|w| ex.iter().any(|e| e.name == w.exercise)).collect();
        let listed: BTreeSet<String> = wrongs.iter().map(|w| w.feature.clone()).collect();
        assert_eq!(features, listed, "{}/Cargo.toml's wrong-* features against labs.toml", lab.dir);
        let files: BTreeSet<String> = wrongs.iter().map(|w| stem(&w.file)).collect();
        assert_eq!(names_in(&format!("{}/wrong", lab.dir), "rs"), files, "{}/wrong/ against labs.toml", lab.dir);
        assert!(own["features"].get("solution").is_some(), "{}/Cargo.toml has no `solution` feature", lab.dir);
    }
}

#[test]
fn each_wrong_variant_is_a_fixture_of_its_exercise() {
    let labs = labs();
    assert!(!labs.wrong.is_empty());
    for w in &labs.wrong {
        let e = labs.exercise(&w.exercise).unwrap_or_else(|| panic!("{}: no exercise {}", w.feature, w.exercise));
        let lab = lab_of(&labs, e);
        assert!(w.feature.starts_with("wrong-"), "{}: a fixture's feature starts with wrong-", w.feature);
        assert_eq!(w.file, format!("{}/wrong/{}.rs", lab.dir, stem(&w.file)), "{}: its file", w.feature);
        let text = read(&w.file);
        assert!(text.starts_with("//! WRONG ON PURPOSE"), "{} does not say it is wrong on purpose", w.file);
        assert!(text.contains(&format!("(feature `{}`)", w.feature)), "{} does not name its feature", w.file);
        let lib = read(&format!("{}/src/lib.rs", lab.dir));
        let chosen = format!(
            "#[cfg_attr(feature = \"{}\", path = \"../wrong/{}.rs\")]\npub mod {};",
            w.feature,
            stem(&w.file),
            stem(&e.file)
        );
        assert!(lib.contains(&chosen), "{}/src/lib.rs does not swap {} in for {}", lab.dir, w.file, e.name);
        assert!(
            !w.mistake.is_empty() && !w.fails.is_empty() && !w.fails_with.is_empty(),
            "{}: say what fails",
            w.feature
        );
        for name in &w.fails {
            let (target, test) = name.split_once("::").unwrap_or_else(|| panic!("{name}: write target::test"));
            assert!(
                e.tests.iter().chain(&e.loom).any(|t| t == target),
                "{name}: {target} is not a target of {}",
                e.name
            );
            let file = read(&format!("{}/tests/{target}.rs", lab.dir));
            assert!(file.contains(&format!("fn {test}()")), "{name}: no such test");
        }
    }
}

#[test]
fn each_lab_page_gives_task_reading_hints_and_passing_run() {
    let labs = labs();
    let recipes = index::recipes();
    for lab in &labs.lab {
        let page = squeeze(&read(&lab.page));
        let solutions = read(&lab.solutions_page);
        assert!(page.contains(&lab.title), "{} does not give the lab's title", lab.page);
        let to_solutions = Path::new(&lab.solutions_page).file_name().unwrap().to_string_lossy().into_owned();
        assert!(page.contains(&format!("]({to_solutions})")), "{} does not link its solutions", lab.page);
        for e in labs.of_chapter(lab.chapter) {
            let recipe = recipes.iter().find(|r| r.name == e.recipe).unwrap();
            let link = format!("](../ch{:02}/{}.md)", recipe.chapter, recipe.name);
            for (what, text) in [
                ("the name", format!("`{}`", e.name)),
                ("the file", format!("`{}`", e.file)),
                ("the recipe to read first", link),
                ("the check command", format!("cookbook lab check {}", e.name)),
                ("the task", squeeze(&e.task)),
                ("the hint", squeeze(&e.hint)),
                ("what a passing run shows", squeeze(&e.passing)),
            ] {
                assert!(page.contains(&text), "{} lacks {what} of {}: {text}", lab.page, e.name);
            }
            let include = format!("{{{{#include ../../../{}:solution}}}}", e.solution);
            assert!(solutions.contains(&include), "{} does not include {include}", lab.solutions_page);
            assert!(
                !page.contains(&e.solution.replace(".rs", ".rs:solution")),
                "{}: solutions go on their own page",
                lab.page
            );
        }
    }
}

#[test]
fn ci_and_the_readme_know_the_labs() {
    let test = read("scripts/test");
    assert!(test.contains("cookbook -- lab verify"), "scripts/test does not run `cookbook lab verify`");
    let readme = read("README.md");
    assert!(readme.contains("## For teachers: the labs"), "README.md has no section for teachers");
    assert!(readme.contains("cookbook lab"), "README.md does not show `cookbook lab`");
}

#[test]
fn lab_commands_that_run_no_cargo() {
    let labs = labs();
    let out = run(COOKBOOK, &["lab"]).success();
    for lab in &labs.lab {
        assert_run!(out, out.stdout.contains(&lab.title), "the overview names {}", lab.title);
    }
    let steps = run(COOKBOOK, &["lab", "ch02"]).success();
    for e in labs.of_chapter(2) {
        assert_run!(steps, steps.stdout.contains(&format!("cookbook lab check {}", e.name)), "step {}", e.name);
    }
    assert_run_eq!(run(COOKBOOK, &["lab", "02"]).success(), steps.stdout, run(COOKBOOK, &["lab", "2"]).stdout);
    let e = labs.exercise("ch02-semaphore").unwrap();
    let hint = run(COOKBOOK, &["lab", "hint", "ch02-semaphore"]).success();
    assert_run!(hint, hint.stdout.contains(&e.hint), "the hint is labs.toml's");
}

#[test]
fn bad_lab_command_lines_exit_2() {
    for args in [
        &["lab", "9"][..],
        &["lab", "ch07"],
        &["lab", "sideways"],
        &["lab", "check"],
        &["lab", "check", "ch02-nothing"],
        &["lab", "check", "ch09"],
        &["lab", "hint"],
        &["lab", "hint", "ch02"],
        &["lab", "reset", "nope"],
        &["lab", "verify", "--chapter", "5"],
        &["lab", "1", "list"],
    ] {
        let out = run(COOKBOOK, args).status(2);
        assert_run!(out, !out.stderr.trim().is_empty(), "a refused command line says why");
    }
}

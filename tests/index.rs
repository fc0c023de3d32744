//! `recipes.toml` is the single recipe index: it must agree with the binaries on
//! disk, the README's index and the book's SUMMARY.md.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use parallel_cookbook::index::{self, Recipe};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

fn recipes() -> Vec<Recipe> {
    index::parse(&read("recipes.toml")).expect("recipes.toml parses")
}

/// Every `ch*/src/bin/*.rs` of the workspace, as (crate, name).
fn binaries_on_disk() -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    for entry in fs::read_dir(root()).unwrap() {
        let dir = entry.unwrap().path();
        let krate = dir.file_name().unwrap().to_string_lossy().into_owned();
        if !krate.starts_with("ch") || !dir.join("Cargo.toml").is_file() {
            continue;
        }
        let Ok(bins) = fs::read_dir(dir.join("src/bin")) else { continue };
        for bin in bins {
            let p = bin.unwrap().path();
            if p.extension().is_some_and(|e| e == "rs") {
                found.insert((krate.clone(), p.file_stem().unwrap().to_string_lossy().into_owned()));
            }
        }
    }
    found
}

#[test]
fn names_are_unique_and_well_formed() {
    let all = recipes();
    let mut seen = BTreeSet::new();
    for r in &all {
        assert!(seen.insert(r.name.clone()), "{} is listed twice", r.name);
        assert!(
            r.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "{} is not snake_case",
            r.name
        );
        assert!(
            r.krate.starts_with(&format!("ch{:02}-", r.chapter)),
            "{} is in {} but chapter {}",
            r.name,
            r.krate,
            r.chapter
        );
        assert!(!r.title.is_empty() && !r.title_zh.is_empty(), "{} needs both titles", r.name);
        assert!(
            r.extra || !r.first_edition.is_empty() || !r.second_edition.is_empty(),
            "{} follows no section of either edition and is not marked extra",
            r.name
        );
    }
}

#[test]
fn index_agrees_with_the_binaries() {
    let indexed: BTreeSet<_> = recipes().into_iter().map(|r| (r.krate, r.name)).collect();
    let on_disk = binaries_on_disk();
    let missing: Vec<_> = indexed.difference(&on_disk).collect();
    let unlisted: Vec<_> = on_disk.difference(&indexed).collect();
    assert!(missing.is_empty(), "in recipes.toml but no binary: {missing:?}");
    assert!(unlisted.is_empty(), "binaries missing from recipes.toml: {unlisted:?}");
}

#[test]
fn readme_indexes_every_recipe() {
    let readme = read("README.md");
    for r in recipes() {
        let row = readme
            .lines()
            .find(|l| l.starts_with('|') && l.contains(&format!("`{}`", r.name)))
            .unwrap_or_else(|| panic!("README.md has no index row for `{}`", r.name));
        let page = format!("recipes/src/ch{:02}/{}.md", r.chapter, r.name);
        assert!(row.contains(&page), "README row of `{}` does not link {page}", r.name);
    }
}

#[test]
fn book_has_a_page_for_every_recipe_and_no_other() {
    let summary = read("recipes/src/SUMMARY.md");
    let all = recipes();
    for r in &all {
        let rel = format!("ch{:02}/{}.md", r.chapter, r.name);
        assert!(summary.contains(&format!("]({rel})")), "SUMMARY.md does not list {rel}");
        let page = read(&format!("recipes/src/{rel}"));
        assert!(page.contains(&format!("`{}`", r.name)), "{rel} does not name its binary");
        let include = format!("{{{{#include ../../../{}/src/bin/{}.rs", r.krate, r.name);
        assert!(page.contains(&include), "{rel} does not include its code with {include}}}}}");
        assert!(page.contains(&r.title_zh) || r.extra, "{rel} does not give the Chinese title 「{}」", r.title_zh);
    }
    // Every recipe page in SUMMARY.md is a recipe of the index.
    let names: BTreeSet<_> = all.iter().map(|r| r.name.as_str()).collect();
    for line in summary.lines() {
        if let Some(start) = line.find("](ch") {
            let target = &line[start + 2..line.len() - 1];
            let stem = Path::new(target).file_stem().unwrap().to_string_lossy();
            assert!(names.contains(stem.as_ref()), "SUMMARY.md lists {target}, which is not in recipes.toml");
        }
    }
}

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
        // | 1st edition | 2nd edition | recipe | title | needs |
        let cells: Vec<_> = row.trim_matches('|').split('|').map(str::trim).collect();
        assert_eq!(cells.len(), 5, "README row of `{}` has {} cells: {row}", r.name, cells.len());
        assert!(
            cells[3].ends_with(&r.title_zh_shown()),
            "README row of `{}`: the title should end with {}: {row}",
            r.name,
            r.title_zh_shown()
        );
        assert_eq!(cells[4], r.needs.to_string(), "README row of `{}`: the needs", r.name);
    }
}

/// `[[bin]]` name → its `required-features`, from a crate's Cargo.toml.
fn required_features(krate: &str) -> Vec<(String, Vec<String>)> {
    let manifest: toml::Table = read(&format!("{krate}/Cargo.toml")).parse().expect("Cargo.toml parses");
    let Some(bins) = manifest.get("bin").and_then(|b| b.as_array()) else { return Vec::new() };
    bins.iter()
        .filter_map(|b| {
            let name = b.get("name")?.as_str()?.to_string();
            let features = b
                .get("required-features")
                .and_then(|f| f.as_array())
                .map_or_else(Vec::new, |f| f.iter().filter_map(|x| x.as_str().map(str::to_string)).collect());
            Some((name, features))
        })
        .collect()
}

#[test]
fn needs_are_known_kinds_and_agree_with_the_features() {
    // Parsing already refuses an unknown kind and the old single string.
    let all = recipes();
    for r in &all {
        let mut seen = BTreeSet::new();
        for k in r.needs.kinds() {
            assert!(seen.insert(k), "{} lists the need {} twice", r.name, k.as_str());
        }
    }
    // A recipe that needs mpi or cuda is built only with that feature, and a
    // binary behind a feature is indexed with the need.
    let crates: BTreeSet<_> = all.iter().map(|r| r.krate.clone()).collect();
    for krate in &crates {
        for (bin, features) in required_features(krate) {
            let Some(r) = all.iter().find(|r| r.name == bin) else { continue };
            let wanted: Vec<_> = r.needs.features().iter().map(|f| f.to_string()).collect();
            assert_eq!(features, wanted, "{krate}'s [[bin]] {bin}: required-features against its needs");
        }
    }
    for r in &all {
        if !r.needs.features().is_empty() {
            let declared = required_features(&r.krate).into_iter().any(|(b, f)| b == r.name && !f.is_empty());
            assert!(declared, "{} needs {} but {}/Cargo.toml gives it no required-features", r.name, r.needs, r.krate);
        }
    }
}

#[test]
fn made_up_titles_are_marked() {
    for r in recipes() {
        // A recipe that follows a 1st edition section takes that section's heading.
        assert!(
            !r.title_zh_own || r.first_edition.is_empty(),
            "{} follows §{} but claims its Chinese title is the cookbook's own",
            r.name,
            r.first_edition.join(", §")
        );
        assert_eq!(r.title_zh_shown().contains(index::OWN_TITLE_MARK), r.title_zh_own, "{}", r.name);
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

//! `recipes.toml`: one entry per recipe binary, the single source of truth for
//! `cookbook list`, `cookbook run`, the README index and the book's SUMMARY.md.

use serde::Deserialize;

/// The index as it was when `cookbook` was built.
pub const RECIPES_TOML: &str = include_str!("../recipes.toml");

/// What a recipe needs besides Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Needs {
    None,
    Mpi,
    Broker,
    Opencl,
    Cuda,
}

impl Needs {
    pub fn as_str(self) -> &'static str {
        match self {
            Needs::None => "none",
            Needs::Mpi => "mpi",
            Needs::Broker => "broker",
            Needs::Opencl => "opencl",
            Needs::Cuda => "cuda",
        }
    }

    /// The cargo feature a recipe with these needs is built with, if any.
    pub fn feature(self) -> Option<&'static str> {
        match self {
            Needs::Mpi => Some("mpi"),
            Needs::Cuda => Some("cuda"),
            _ => None,
        }
    }
}

/// One recipe.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipe {
    pub name: String,
    #[serde(rename = "crate")]
    pub krate: String,
    pub chapter: u32,
    pub first_edition: Vec<String>,
    pub second_edition: Vec<String>,
    pub title: String,
    pub title_zh: String,
    pub needs: Needs,
    #[serde(default)]
    pub extra: bool,
}

impl Recipe {
    /// The book reference shown in `cookbook list`: the 1st edition sections,
    /// `2nd ed` for a recipe only the 2nd edition has, `extra` for the others.
    pub fn section(&self) -> String {
        if !self.first_edition.is_empty() {
            format!("§{}", self.first_edition.join(", §"))
        } else if !self.second_edition.is_empty() {
            "2nd ed".to_string()
        } else {
            "extra".to_string()
        }
    }

    /// Does `query` name this recipe: its binary name, or one of its 1st edition
    /// sections (`2.6` or `§2.6`)?
    pub fn matches(&self, query: &str) -> bool {
        let q = query.trim().trim_start_matches('§');
        self.name == q || self.first_edition.iter().any(|s| s == q)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    recipe: Vec<Recipe>,
}

/// Parse an index.
pub fn parse(text: &str) -> Result<Vec<Recipe>, toml::de::Error> {
    Ok(toml::from_str::<File>(text)?.recipe)
}

/// The built-in index.
pub fn recipes() -> Vec<Recipe> {
    parse(RECIPES_TOML).expect("recipes.toml is checked by the root tests")
}

/// The recipe that `query` names, or `None`.
pub fn find<'a>(recipes: &'a [Recipe], query: &str) -> Option<&'a Recipe> {
    recipes.iter().find(|r| r.matches(query))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_and_names_resolve() {
        let all = recipes();
        assert_eq!(find(&all, "2.6").unwrap().name, "thread_lock");
        assert_eq!(find(&all, "§2.6").unwrap().name, "thread_lock");
        assert_eq!(find(&all, "thread_barrier").unwrap().name, "thread_barrier");
        assert!(find(&all, "9.99").is_none());
        assert!(find(&all, "").is_none());
    }

    #[test]
    fn a_section_names_one_recipe_only() {
        let all = recipes();
        for r in &all {
            for s in &r.first_edition {
                let n = all.iter().filter(|o| o.matches(s)).count();
                assert_eq!(n, 1, "section {s} is claimed by {n} recipes");
            }
        }
    }
}

//! `recipes.toml`: one entry per recipe binary, the single source of truth for
//! `cookbook list`, `cookbook run`, the README index and the book's SUMMARY.md.

use serde::Deserialize;

/// The index as it was when `cookbook` was built.
pub const RECIPES_TOML: &str = include_str!("../recipes.toml");

/// One kind of outside requirement a recipe can have (`needs` in `recipes.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// An MPI launcher and library; the recipe is built with the `mpi` feature.
    Mpi,
    /// A Celery broker: RabbitMQ (AMQP, as the book uses) or Redis.
    Broker,
    /// An OpenCL platform (PoCL runs kernels on the CPU).
    Opencl,
    /// An NVIDIA GPU and driver; the recipe is built with the `cuda` feature.
    Cuda,
    /// The Python peers in `.venv` (Celery, mpi4py), for recipes that talk to Python.
    Python,
}

impl Kind {
    /// Every kind, in the order `cookbook doctor` reports them.
    pub const ALL: [Kind; 5] = [Kind::Mpi, Kind::Broker, Kind::Opencl, Kind::Cuda, Kind::Python];

    /// The name written in `recipes.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Mpi => "mpi",
            Kind::Broker => "broker",
            Kind::Opencl => "opencl",
            Kind::Cuda => "cuda",
            Kind::Python => "python",
        }
    }

    /// The cargo feature of the recipe's crate that a recipe with this need is
    /// built with (its `required-features`), if any.
    pub fn feature(self) -> Option<&'static str> {
        match self {
            Kind::Mpi => Some("mpi"),
            Kind::Cuda => Some("cuda"),
            Kind::Broker | Kind::Opencl | Kind::Python => None,
        }
    }
}

/// What a recipe needs besides Rust: a list of kinds, empty for none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Needs(pub Vec<Kind>);

impl Needs {
    /// The kinds, in the order `recipes.toml` gives them.
    pub fn kinds(&self) -> &[Kind] {
        &self.0
    }

    pub fn contains(&self, kind: Kind) -> bool {
        self.0.contains(&kind)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The cargo features these needs call for (`mpi`, `cuda`), in order.
    pub fn features(&self) -> Vec<&'static str> {
        self.0.iter().filter_map(|k| k.feature()).collect()
    }

    /// The first (in practice the only) feature these needs call for.
    pub fn feature(&self) -> Option<&'static str> {
        self.features().into_iter().next()
    }
}

/// `broker, python`, or `none`.
impl std::fmt::Display for Needs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_empty() {
            return f.write_str("none");
        }
        let names: Vec<_> = self.0.iter().map(|k| k.as_str()).collect();
        f.write_str(&names.join(", "))
    }
}

/// How a Chinese title that this cookbook made up (`title_zh_own = true`) is marked
/// wherever it is shown.
pub const OWN_TITLE_MARK: &str = "(this cookbook's title)";

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
    /// True when neither edition's Chinese translation has this title: this
    /// cookbook made it up, and says so wherever it shows it.
    #[serde(default)]
    pub title_zh_own: bool,
    pub needs: Needs,
    #[serde(default)]
    pub extra: bool,
    /// Flags that make a run short and small, for the tests that run every recipe
    /// (the input sweep, the timelines): empty when the defaults are already quick.
    #[serde(default)]
    pub quick: Vec<String>,
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

    /// The Chinese title as shown: 「…」, marked when this cookbook made it up.
    pub fn title_zh_shown(&self) -> String {
        if self.title_zh_own {
            format!("「{}」 {OWN_TITLE_MARK}", self.title_zh)
        } else {
            format!("「{}」", self.title_zh)
        }
    }

    /// The `--features` that `cargo build` needs for this recipe, as
    /// `crate/feature` joined by commas (`ch03-processes/mpi`), or `None`.
    pub fn cargo_features(&self) -> Option<String> {
        let features: Vec<_> = self.needs.features().iter().map(|f| format!("{}/{f}", self.krate)).collect();
        if features.is_empty() { None } else { Some(features.join(",")) }
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

    fn one(needs: &str) -> Result<Recipe, toml::de::Error> {
        let text = format!(
            "[[recipe]]\nname = \"x\"\ncrate = \"ch03-processes\"\nchapter = 3\nfirst_edition = []\n\
             second_edition = []\ntitle = \"t\"\ntitle_zh = \"z\"\nneeds = {needs}\n"
        );
        parse(&text).map(|mut v| v.remove(0))
    }

    #[test]
    fn needs_is_a_list_of_known_kinds() {
        assert!(one("[]").unwrap().needs.is_empty());
        let r = one(r#"["mpi", "python"]"#).unwrap();
        assert_eq!(r.needs.kinds(), [Kind::Mpi, Kind::Python]);
        assert_eq!(r.needs.to_string(), "mpi, python");
        assert_eq!(r.cargo_features().as_deref(), Some("ch03-processes/mpi"));
        assert_eq!(one(r#"["broker"]"#).unwrap().cargo_features(), None);
        // The old single string, and kinds nobody knows, are refused.
        assert!(one(r#""none""#).is_err());
        assert!(one(r#"["gpu"]"#).is_err());
        assert!(one(r#"["none"]"#).is_err());
    }

    #[test]
    fn an_own_title_is_marked() {
        let mut r = one("[]").unwrap();
        assert_eq!(r.title_zh_shown(), "「z」");
        r.title_zh_own = true;
        assert_eq!(r.title_zh_shown(), format!("「z」 {OWN_TITLE_MARK}"));
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

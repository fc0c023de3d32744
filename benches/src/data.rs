//! Loading the results: criterion's JSON files and the twins' JSON lines.
//!
//! Every time is kept in **seconds per call**, and the one a table shows is a
//! minimum over repeats (see the report's "How every figure is timed"). For a Rust
//! result that is the fastest criterion sample per iteration, `min(times[i] /
//! iters[i])` (from `sample.json`), with criterion's mean and median (from
//! `estimates.json`) kept for the last table. A twin prints its minimum itself.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Deserialize;

/// One criterion benchmark: `full_id` is `<group>/<function>/<parameter>`.
#[derive(Debug, Clone, PartialEq)]
pub struct RustResult {
    pub id: String,
    pub mean: f64,
    pub median: f64,
    pub min: f64,
    pub samples: usize,
}

/// One line of a twin: the same id as the Rust bench it pairs with.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtResult {
    pub id: String,
    pub implementation: String,
    /// the minimum seconds per call (for Python: with the garbage collector off, as
    /// `timeit` times)
    pub seconds: f64,
    /// Python only: the same, timed with the collector on
    pub gc_on: Option<f64>,
    pub repeats: Option<u64>,
    /// calls per repeat
    pub number: Option<u64>,
}

/// Everything the report is drawn from.
#[derive(Debug, Default)]
pub struct Results {
    /// Criterion results by full id.
    pub rust: BTreeMap<String, RustResult>,
    /// Twin results by (implementation, id), e.g. ("python", "book_2_13/empty/threads/1").
    pub ext: BTreeMap<(String, String), ExtResult>,
    /// What was skipped or odd, for the report and stderr.
    pub warnings: Vec<String>,
    /// Criterion results older than `--since`, left out.
    pub stale: usize,
}

impl Results {
    /// The minimum seconds per iteration of a Rust result.
    pub fn rust_min(&self, id: &str) -> Option<f64> {
        self.rust.get(id).map(|r| r.min)
    }

    /// A twin's result (`implementation` is "python", "c", ...).
    pub fn ext_result(&self, implementation: &str, id: &str) -> Option<&ExtResult> {
        self.ext.get(&(implementation.to_string(), id.to_string()))
    }

    /// The seconds of a twin's result.
    pub fn ext(&self, implementation: &str, id: &str) -> Option<f64> {
        self.ext_result(implementation, id).map(|r| r.seconds)
    }

    /// The time of one side of a comparison.
    pub fn time(&self, side: Impl, id: &str) -> Option<f64> {
        match side {
            Impl::Rust => self.rust_min(id),
            Impl::Ext(name) => self.ext(name, id),
        }
    }

    /// Criterion's results under `criterion_dir` (those written since `since`) and
    /// the twins' JSON-lines files.
    pub fn load(criterion_dir: &Path, twins: &[PathBuf], since: Option<SystemTime>) -> Results {
        let mut results = Results::default();
        load_criterion(criterion_dir, since, &mut results);
        for p in twins {
            load_ext_file(p, &mut results);
        }
        results
    }

    pub fn is_empty(&self) -> bool {
        self.rust.is_empty() && self.ext.is_empty()
    }
}

/// Which implementation a number comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Impl {
    /// criterion, under target/criterion
    Rust,
    /// a twin's JSON line with this `impl` ("python", "c")
    Ext(&'static str),
}

pub const PYTHON: Impl = Impl::Ext("python");
pub const C: Impl = Impl::Ext("c");

// ── criterion ───────────────────────────────────────────────────────────────

#[derive(Deserialize)]
struct BenchmarkJson {
    full_id: String,
}

#[derive(Deserialize)]
struct EstimateJson {
    point_estimate: f64,
}

#[derive(Deserialize)]
struct EstimatesJson {
    mean: EstimateJson,
    median: EstimateJson,
}

#[derive(Deserialize)]
struct SampleJson {
    iters: Vec<f64>,
    times: Vec<f64>,
}

const NS: f64 = 1e-9;

/// Parses one criterion result from the texts of its `new/` directory's three files.
/// criterion writes nanoseconds; the result is in seconds.
pub fn parse_criterion(benchmark: &str, estimates: &str, sample: &str) -> Result<RustResult, String> {
    let b: BenchmarkJson = serde_json::from_str(benchmark).map_err(|e| format!("benchmark.json: {e}"))?;
    let e: EstimatesJson = serde_json::from_str(estimates).map_err(|e| format!("estimates.json: {e}"))?;
    let s: SampleJson = serde_json::from_str(sample).map_err(|e| format!("sample.json: {e}"))?;
    let min = min_per_iteration(&s.iters, &s.times)
        .ok_or_else(|| "sample.json: no usable sample (empty, or zero iterations)".to_string())?;
    let (mean, median) = (e.mean.point_estimate, e.median.point_estimate);
    if !(mean.is_finite() && median.is_finite() && mean >= 0.0 && median >= 0.0) {
        return Err("estimates.json: mean or median is not a finite time".into());
    }
    Ok(RustResult { id: b.full_id, mean: mean * NS, median: median * NS, min: min * NS, samples: s.times.len() })
}

/// `min(times[i] / iters[i])` over the samples whose iteration count is positive.
pub fn min_per_iteration(iters: &[f64], times: &[f64]) -> Option<f64> {
    iters
        .iter()
        .zip(times)
        .filter(|(i, t)| **i > 0.0 && t.is_finite() && **t >= 0.0)
        .map(|(i, t)| t / i)
        .min_by(|a, b| a.total_cmp(b))
}

/// Walks `dir` for `**/new/benchmark.json` and loads each result. Results whose
/// `benchmark.json` is older than `since` are counted as stale and left out.
pub fn load_criterion(dir: &Path, since: Option<SystemTime>, into: &mut Results) {
    let mut found = Vec::new();
    walk_new_dirs(dir, &mut found);
    found.sort();
    for new_dir in found {
        let read = |name: &str| fs::read_to_string(new_dir.join(name));
        if let Some(since) = since {
            let modified = fs::metadata(new_dir.join("benchmark.json")).and_then(|m| m.modified());
            if matches!(modified, Ok(t) if t < since) {
                into.stale += 1;
                continue;
            }
        }
        let parsed = match (read("benchmark.json"), read("estimates.json"), read("sample.json")) {
            (Ok(b), Ok(e), Ok(s)) => parse_criterion(&b, &e, &s),
            _ => Err("benchmark.json, estimates.json or sample.json is missing".into()),
        };
        match parsed {
            Ok(r) => {
                into.rust.insert(r.id.clone(), r);
            }
            Err(e) => into.warnings.push(format!("skipped {}: {e}", new_dir.display())),
        }
    }
}

fn walk_new_dirs(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if !entry.file_type().map(|t| t.is_dir()).unwrap_or(false) {
            continue;
        }
        if entry.file_name() == "new" {
            if path.join("benchmark.json").is_file() {
                found.push(path);
            }
        } else if entry.file_name() != "report" {
            walk_new_dirs(&path, found);
        }
    }
}

// ── the twins' JSON lines ────────────────────────────────────────────────────

#[derive(Deserialize)]
struct ExtLine {
    id: String,
    #[serde(rename = "impl")]
    implementation: String,
    seconds: f64,
    #[serde(default)]
    gc_on_seconds: Option<f64>,
    #[serde(default)]
    repeats: Option<u64>,
    #[serde(default)]
    number: Option<u64>,
}

/// Parses a twin's output: one JSON object per line. Blank lines are ignored; a line
/// that does not parse is reported (by `origin` and line number) and skipped. When an
/// id appears twice, the later line wins.
pub fn parse_ext_lines(text: &str, origin: &str, into: &mut Results) {
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let parsed: Result<ExtLine, String> = serde_json::from_str(line).map_err(|e| e.to_string());
        let time = |s: f64| s.is_finite() && s >= 0.0;
        match parsed {
            Ok(r) if time(r.seconds) && r.gc_on_seconds.is_none_or(time) && !r.id.is_empty() => {
                let key = (r.implementation.clone(), r.id.clone());
                let ExtLine { id, implementation, seconds, gc_on_seconds, repeats, number } = r;
                into.ext.insert(key, ExtResult { id, implementation, seconds, gc_on: gc_on_seconds, repeats, number });
            }
            Ok(_) => into
                .warnings
                .push(format!("{origin}:{}: empty id or a time that is not a finite, non-negative number", number + 1)),
            Err(e) => into.warnings.push(format!("{origin}:{}: not a result line ({e})", number + 1)),
        }
    }
}

/// Loads a JSON-lines file; a missing file is a warning, not an error.
pub fn load_ext_file(path: &Path, into: &mut Results) {
    match fs::read_to_string(path) {
        Ok(text) => parse_ext_lines(&text, &path.display().to_string(), into),
        Err(e) => into.warnings.push(format!("no twin results read from {}: {e}", path.display())),
    }
}

// ── ratios ──────────────────────────────────────────────────────────────────

/// `a / b`, or nothing when either is missing or `b` is not positive.
pub fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 && a.is_finite() && b.is_finite() => Some(a / b),
        _ => None,
    }
}

/// The speedup of `mode` over sequential for one implementation and workload at `n`:
/// `sequential(n) / mode(n)` (sequential runs the same n calls one after another).
pub fn speedup(results: &Results, side: Impl, group: &str, mode: &str, n: u32) -> Option<f64> {
    let seq = results.time(side, &format!("{group}/sequential/{n}"));
    let par = results.time(side, &format!("{group}/{mode}/{n}"));
    ratio(seq, par)
}

//! Timelines: every recipe's `--trace` file is a valid Chrome trace that
//! `cookbook timeline` draws, and the traces of a few recipes show what the
//! program enforces.
//!
//! Every recipe of the index runs once with `--trace` and small settings (its
//! defaults, `--delay-scale 0.01` where it has the flag, and the overrides of
//! `quick` in recipes.toml); an MPI recipe runs under `mpirun -n 2`, so its ranks' parts are
//! merged too. Its trace must parse, pass `cookbook_support::trace::check` (the
//! trace-event format, and the nesting that Perfetto needs), leave no folder of
//! parts behind, and draw as an SVG that names its lanes.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use cookbook_support::testing::{Run, Runner};
use cookbook_support::trace::{self, TraceFile, Value};
use cookbook_support::{assert_run, assert_run_eq};
use parallel_cookbook::index::{Kind, Recipe};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cookbook-timeline-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

/// The trace of one run of the recipe `name` (one that needs nothing) with `args`.
fn trace_of(name: &str, args: &[&str]) -> TraceFile {
    let r = common::recipes().into_iter().find(|r| r.name == name).unwrap_or_else(|| panic!("{name} is not indexed"));
    let bin = common::recipe_bin(&r).expect("a recipe without a feature is always built");
    let dir = temp_dir(&format!("{name}-{}", args.join("")));
    let (_, t) = traced(&r, &bin, args, &dir.join("trace.json")).expect("the recipe needs nothing");
    let _ = std::fs::remove_dir_all(&dir);
    t
}

/// Run `bin` (under `mpirun -n 2` when it needs MPI) with `args` and `--trace
/// FILE`, and read the trace; `None` when the recipe skipped (exit 3).
fn traced(r: &Recipe, bin: &str, args: &[&str], file: &Path) -> Option<(Run, TraceFile)> {
    let runner = if r.needs.contains(Kind::Mpi) { Runner::mpirun(bin, 2) } else { Runner::new(bin) };
    let path = file.to_string_lossy();
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--trace", &path]);
    let out = runner.args(&all).timeout(Duration::from_secs(90)).run();
    if out.skipped(r.needs.contains(Kind::Cuda)) {
        return None;
    }
    let out = out.success();
    let t = trace::read(file);
    assert_run!(out, t.is_ok(), "the trace of {} does not parse: {:?}", r.name, t.as_ref().err());
    let t = t.unwrap();
    let problems = trace::check(&t);
    assert_run!(out, problems.is_empty(), "the trace of {} breaks the format: {problems:#?}", r.name);
    assert_run!(out, !Path::new(&format!("{path}.parts")).exists(), "{}: the ranks' parts were left behind", r.name);
    for pid in pids(&t) {
        let prefix = format!("cookbook-trace-{pid}-");
        let left = std::fs::read_dir(std::env::temp_dir())
            .unwrap()
            .filter_map(|e| e.ok())
            .any(|e| e.file_name().to_string_lossy().starts_with(&prefix));
        assert_run!(out, !left, "{}: the folder of the children's parts was left behind", r.name);
    }
    Some((out, t))
}

/// The recipe's small settings.
fn small_args<'a>(r: &'a Recipe, bin: &str) -> Vec<&'a str> {
    let mut args: Vec<&str> = r.quick.iter().map(String::as_str).collect();
    let help = Runner::new(bin).args(&["--help"]).run().success();
    if help.stdout.contains("--delay-scale") {
        args.extend(["--delay-scale", "0.01"]);
    }
    args
}

fn pids(t: &TraceFile) -> BTreeSet<u64> {
    t.events.iter().filter_map(|e| e["pid"].as_u64()).collect()
}

/// The complete events named `name`.
fn slices<'a>(t: &'a TraceFile, name: &str) -> Vec<&'a Value> {
    t.events.iter().filter(|e| e["ph"] == "X" && e["name"] == name).collect()
}

fn lane(e: &Value) -> (u64, u64) {
    (e["pid"].as_u64().unwrap(), e["tid"].as_u64().unwrap())
}

fn start(e: &Value) -> f64 {
    e["ts"].as_f64().unwrap()
}

fn end(e: &Value) -> f64 {
    start(e) + e["dur"].as_f64().unwrap()
}

/// The lanes (pid, tid) where something happened.
fn lanes(t: &TraceFile) -> BTreeSet<(u64, u64)> {
    t.events.iter().filter(|e| e["ph"] != "M").map(lane).collect()
}

fn lane_name(t: &TraceFile, (pid, tid): (u64, u64)) -> Option<&str> {
    t.events
        .iter()
        .find(|e| e["ph"] == "M" && e["name"] == "thread_name" && e["pid"] == pid && e["tid"] == tid)
        .and_then(|e| e["args"]["name"].as_str())
}

/// `name`'s slices, lane by lane.
fn by_lane<'a>(t: &'a TraceFile, name: &str) -> BTreeMap<(u64, u64), Vec<&'a Value>> {
    let mut m: BTreeMap<(u64, u64), Vec<&Value>> = BTreeMap::new();
    for e in slices(t, name) {
        m.entry(lane(e)).or_default().push(e);
    }
    m
}

#[test]
fn every_recipe_writes_a_trace_that_cookbook_timeline_draws() {
    let dir = temp_dir("every");
    let mut drawn = 0;
    for r in common::recipes() {
        let Some(bin) = common::recipe_bin(&r) else { continue };
        let file = dir.join(format!("{}.json", r.name));
        let Some((out, t)) = traced(&r, &bin, &small_args(&r, &bin), &file) else { continue };
        assert_run!(out, !lanes(&t).is_empty(), "the trace of {} has no lane", r.name);
        let svg = dir.join(format!("{}.svg", r.name));
        let draw = Runner::new(common::COOKBOOK)
            .args(&["timeline", &file.to_string_lossy(), "-o", &svg.to_string_lossy()])
            .run()
            .success();
        assert_run_eq!(draw, draw.fact_as::<usize>("lanes"), lanes(&t).len());
        let picture = std::fs::read_to_string(&svg).expect("cookbook timeline writes the SVG");
        assert!(picture.contains("<svg"), "{} is not an SVG", svg.display());
        // The lanes of the recipe's own process are labelled with their names.
        let root = t.events.iter().find(|e| e["ph"] == "X").map(|e| e["pid"].as_u64().unwrap());
        for l in lanes(&t).into_iter().filter(|l| Some(l.0) == root) {
            let name = lane_name(&t, l).expect("every lane is named");
            if name.chars().count() <= 40 && !name.contains(['&', '<', '>']) {
                assert!(picture.contains(name), "{}: no lane labelled {name}", svg.display());
            }
        }
        drawn += 1;
    }
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!("timelines: {drawn} recipes traced and drawn");
    assert!(drawn >= 24, "only {drawn} recipes traced");
}

/// Each worker thread of `thread_lock_scope`: one lane each, named after the
/// book's threads.
fn lock_scope(mode: &str) -> TraceFile {
    let t = trace_of("thread_lock_scope", &[mode, "--threads", "3", "--delay-scale", "0.01", "--seed", "4"]);
    let workers = by_lane(&t, "run");
    assert_eq!(workers.len(), 3, "one lane per thread the recipe started: {workers:?}");
    assert!(workers.values().all(|runs| runs.len() == 1));
    for l in workers.keys() {
        let name = lane_name(&t, *l).unwrap_or_default();
        assert!(name.starts_with("Thread#"), "lane {l:?} is named {name:?}");
    }
    t
}

#[test]
fn lock_scope_release_early_gives_the_lock_back_before_the_sleep() {
    let t = lock_scope("--release-early");
    let (holds, sleeps, runs) = (by_lane(&t, "hold"), by_lane(&t, "sleep"), by_lane(&t, "run"));
    for (l, run) in &runs {
        let (hold, sleep) = (&holds[l], &sleeps[l]);
        assert_eq!((hold.len(), sleep.len()), (1, 1), "lane {l:?}");
        assert!(end(hold[0]) <= start(sleep[0]), "lane {l:?}: the hold ends after the sleep begins");
        assert!(start(run[0]) <= start(hold[0]) && end(sleep[0]) <= end(run[0]), "lane {l:?}: not inside its run");
    }
    // With the lock given back, the sleeps overlap.
    let all: Vec<&Value> = sleeps.values().flatten().copied().collect();
    let latest_start = all.iter().map(|s| start(s)).fold(f64::MIN, f64::max);
    let earliest_end = all.iter().map(|s| end(s)).fold(f64::MAX, f64::min);
    assert!(latest_start < earliest_end, "release-early: the three sleeps should overlap");
}

#[test]
fn lock_scope_hold_during_sleep_serialises_the_threads() {
    let t = lock_scope("--hold-during-sleep");
    let (holds, sleeps) = (by_lane(&t, "hold"), by_lane(&t, "sleep"));
    for (l, sleep) in &sleeps {
        let hold = &holds[l];
        assert!(
            start(hold[0]) <= start(sleep[0]) && end(sleep[0]) <= end(hold[0]),
            "lane {l:?}: sleep outside the hold"
        );
    }
    // The lock: no two threads hold it at once.
    let mut all: Vec<&Value> = holds.values().flatten().copied().collect();
    all.sort_by(|a, b| start(a).total_cmp(&start(b)));
    for pair in all.windows(2) {
        assert!(end(pair[0]) <= start(pair[1]), "two threads held the lock at once: {} and {}", pair[0], pair[1]);
    }
}

#[test]
fn barrier_lets_no_thread_pass_before_the_last_arrives() {
    let t = trace_of("thread_barrier", &["--delay-scale", "0.01", "--seed", "2"]);
    assert_eq!(by_lane(&t, "run").len(), 3, "three runners, three lanes");
    let last_arrival = slices(&t, "sleep").iter().map(|s| end(s)).fold(f64::MIN, f64::max);
    let waits = slices(&t, "wait");
    assert!(!waits.is_empty());
    for w in waits {
        assert!(
            end(w) >= last_arrival,
            "a runner passed the barrier at {} before the last arrived at {last_arrival}",
            end(w)
        );
    }
}

#[test]
fn children_are_merged_with_their_own_pids_inside_their_lives() {
    let t = trace_of("intro_threads_vs_processes", &["--size", "20000", "--workers", "3"]);
    let lives = slices(&t, "child");
    assert_eq!(lives.len(), 3, "the processes mode starts one child per worker");
    let process_name = |pid: u64| {
        t.events
            .iter()
            .find(|e| e["ph"] == "M" && e["name"] == "process_name" && e["pid"] == pid)
            .and_then(|e| e["args"]["name"].as_str())
            .unwrap_or_default()
    };
    let parent = pids(&t).into_iter().find(|&p| process_name(p) == "intro_threads_vs_processes").expect("the parent");
    let children: BTreeSet<u64> = lives.iter().map(|l| lane(l).0).collect();
    assert_eq!(children.len(), 3, "three children, three pids");
    assert!(!children.contains(&parent));
    for life in lives {
        let (pid, tid) = lane(life);
        assert_eq!(pid, tid, "a child's life is drawn in the child's main lane");
        // The child wrote its own part: its process is named by itself, and
        // what it recorded lies inside the life its parent saw.
        let own = process_name(pid);
        assert!(own.starts_with("intro_threads_vs_processes "), "child {pid} is named {own:?}: its part is missing");
        for e in t.events.iter().filter(|e| e["ph"] == "X" && e["pid"] == pid && e["name"] != "child") {
            assert!(start(life) <= start(e) && end(e) <= end(life), "child {pid}: {e} outside its life");
        }
    }
}

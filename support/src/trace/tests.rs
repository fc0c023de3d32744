//! Tests of the recorder, the trace files and the merge of parts.
//!
//! The recorder is tested in-process with [`record_local`] (a subscriber for the
//! calling thread only, so tests can run side by side). What needs a global
//! subscriber, an environment and several processes, a traced parent with a
//! child or MPI ranks, runs in helper processes: this test binary started again
//! on one `#[ignore]`d test, `helper`, with `COOKBOOK_TRACE_TEST` saying which
//! part it plays.

use super::*;
use std::process::{Command, Stdio};

/// The events named `name`.
fn named<'a>(t: &'a TraceFile, name: &str) -> Vec<&'a Value> {
    t.events.iter().filter(|e| e["name"] == name && e["ph"] != "M").collect()
}

fn start_end(e: &Value) -> (f64, f64) {
    let ts = e["ts"].as_f64().expect("ts");
    (ts, ts + e["dur"].as_f64().expect("dur"))
}

fn inside(inner: &Value, outer: &Value) -> bool {
    let ((a, b), (c, d)) = (start_end(inner), start_end(outer));
    inner["tid"] == outer["tid"] && inner["pid"] == outer["pid"] && c <= a && b <= d
}

fn meta_name(t: &TraceFile, kind: &str, pid: u64, tid: Option<u64>) -> Option<String> {
    t.events
        .iter()
        .find(|e| e["ph"] == "M" && e["name"] == kind && e["pid"] == pid && tid.is_none_or(|tid| e["tid"] == tid))
        .and_then(|e| e["args"]["name"].as_str().map(str::to_string))
}

#[test]
fn entered_spans_are_complete_events_that_nest_in_their_thread() {
    let t = record_local(|| {
        let _run = tracing::info_span!("run", worker = 1).entered();
        {
            let _wait = tracing::info_span!("wait", on = "lock").entered();
        }
        let _hold = tracing::info_span!("hold", lock = "counter").entered();
        sleep(Duration::from_millis(2));
    });
    let (run, wait, hold, slept) = (named(&t, "run"), named(&t, "wait"), named(&t, "hold"), named(&t, "sleep"));
    assert_eq!((run.len(), wait.len(), hold.len(), slept.len()), (1, 1, 1, 1), "{:#?}", t.events);
    assert!(run.iter().chain(&wait).chain(&hold).chain(&slept).all(|e| e["ph"] == "X"));
    assert_eq!(run[0]["args"]["worker"], 1);
    assert_eq!(wait[0]["args"]["on"], "lock");
    assert_eq!(hold[0]["args"]["lock"], "counter");
    assert!(inside(wait[0], run[0]) && inside(hold[0], run[0]) && inside(slept[0], hold[0]));
    // The wait ended before the hold began: the order of the program.
    assert!(start_end(wait[0]).1 <= start_end(hold[0]).0);
    assert!(start_end(slept[0]).1 - start_end(slept[0]).0 >= 2000.0, "a 2 ms sleep is at least 2000 µs");
    assert_eq!(run[0]["pid"], std::process::id());
}

#[test]
fn each_thread_has_a_lane_named_after_it() {
    let t = record_local(|| {
        let dispatch = tracing::dispatcher::get_default(|d| d.clone());
        // Created here, entered in the worker: drawn in the worker's lane.
        let run = tracing::info_span!("run", worker = 7);
        let worker = std::thread::Builder::new()
            .name("Thread#7".into())
            .spawn(move || {
                tracing::dispatcher::with_default(&dispatch, || {
                    let _run = run.entered();
                    tracing::info!("inside");
                    gettid()
                })
            })
            .unwrap();
        let tid = worker.join().unwrap();
        let _main = tracing::info_span!("run", worker = 0).entered();
        assert_ne!(tid, gettid());
    });
    let runs = named(&t, "run");
    assert_eq!(runs.len(), 2);
    let worker = runs.iter().find(|e| e["args"]["worker"] == 7).unwrap();
    let tid = worker["tid"].as_u64().unwrap();
    let pid = u64::from(std::process::id());
    assert_eq!(meta_name(&t, "thread_name", pid, Some(tid)).as_deref(), Some("Thread#7"));
    let mark = named(&t, "inside");
    assert_eq!(mark.len(), 1);
    assert_eq!((mark[0]["ph"].as_str(), mark[0]["tid"].as_u64()), (Some("i"), Some(tid)));
    assert!(meta_name(&t, "process_name", pid, None).is_some());
}

#[test]
fn a_thread_without_a_name_is_named_after_its_worker() {
    let t = record_local(|| {
        let dispatch = tracing::dispatcher::get_default(|d| d.clone());
        std::thread::scope(|s| {
            for (worker, runs) in [("Huey", 1), ("Dewey", 2)] {
                let dispatch = dispatch.clone();
                s.spawn(move || {
                    tracing::dispatcher::with_default(&dispatch, || {
                        for _ in 0..runs {
                            let _run = tracing::info_span!("run", worker).entered();
                        }
                    })
                });
            }
            let third = dispatch.clone();
            s.spawn(move || {
                tracing::dispatcher::with_default(&third, || {
                    let _run = tracing::info_span!("run", worker = 3).entered();
                })
            });
            s.spawn(move || {
                tracing::dispatcher::with_default(&dispatch, || {
                    for worker in [4, 5] {
                        let _run = tracing::info_span!("run", worker).entered();
                    }
                })
            });
        });
    });
    let names: BTreeSet<String> =
        t.events.iter().filter(|e| e["name"] == "thread_name").map(|e| e["args"]["name"].to_string()).collect();
    for expected in ["\"Huey\"", "\"Dewey\"", "\"worker 3\""] {
        assert!(names.contains(expected), "no lane {expected} in {names:?}");
    }
    assert!(names.iter().any(|n| n.starts_with("\"thread ")), "two workers in one thread keep the tid: {names:?}");
}

#[test]
fn a_span_never_entered_is_its_whole_life_in_the_lane_of_its_pid() {
    let mut t = record_local(|| {
        let life = tracing::info_span!("child", pid = 4_000_001_u32, index = 3);
        std::thread::sleep(Duration::from_millis(1));
        drop(life);
        let here = tracing::info_span!("wait", on = "nothing");
        drop(here);
    });
    let child = named(&t, "child");
    assert_eq!(child.len(), 1);
    assert_eq!((child[0]["pid"].as_u64(), child[0]["tid"].as_u64()), (Some(4_000_001), Some(4_000_001)));
    assert!(child[0]["dur"].as_f64().unwrap() >= 1000.0);
    let wait = named(&t, "wait");
    assert_eq!(wait[0]["pid"], std::process::id(), "a span without pid stays in its own process");
    // The child wrote no part: its lane is named after its span.
    t.name_unnamed_lanes();
    assert_eq!(meta_name(&t, "process_name", 4_000_001, None).as_deref(), Some("child 3 (pid 4000001)"));
    assert_eq!(meta_name(&t, "thread_name", 4_000_001, Some(4_000_001)).as_deref(), Some("main"));
}

#[test]
fn a_span_entered_several_times_is_a_bar_per_entry() {
    let t = record_local(|| {
        let task = tracing::info_span!("run", worker = "task");
        for _ in 0..3 {
            let _poll = task.enter();
        }
    });
    assert_eq!(named(&t, "run").len(), 3, "one bar per poll of an async task");
}

fn origin(mono: u64, real: u64, boot: &str) -> Origin {
    Origin { monotonic_ns: mono, realtime_ns: real, boot_id: boot.into(), job: None }
}

fn file(pid: u32, ts: f64, origin: Origin) -> TraceFile {
    TraceFile {
        events: vec![
            json!({ "name": "process_name", "ph": "M", "pid": pid, "tid": pid, "args": { "name": "p" } }),
            json!({ "name": "run", "ph": "X", "ts": ts, "dur": 1.0, "pid": pid, "tid": pid + 1, "args": {} }),
        ],
        origin,
    }
}

#[test]
fn merging_keeps_pids_and_moves_parts_onto_one_clock() {
    // Same boot: the monotonic origins, 5 ms apart, decide.
    let mut root = file(10, 100.0, origin(1_000_000, 9_000_000_000, "boot-a"));
    root.merge(file(20, 100.0, origin(6_000_000, 1, "boot-a")));
    let runs = named(&root, "run");
    let child = runs.iter().find(|e| e["pid"] == 20).expect("the child's event keeps its pid");
    assert_eq!(child["tid"], 21);
    assert_eq!(child["ts"].as_f64(), Some(5100.0));
    assert!(root.events.iter().any(|e| e["ph"] == "M" && e["pid"] == 20), "and its metadata");
    // Another machine: the wall clocks decide, 2 ms the other way.
    let mut root = file(10, 100.0, origin(1_000_000, 9_000_000_000, "boot-a"));
    root.merge(file(30, 2100.0, origin(77, 8_998_000_000, "boot-b")));
    let remote = named(&root, "run").into_iter().find(|e| e["pid"] == 30).unwrap();
    assert_eq!(remote["ts"].as_f64(), Some(100.0));
}

#[test]
fn a_trace_file_round_trips_and_other_json_is_refused() {
    let t = file(10, 3.5, origin(1, 2, "b"));
    let text = t.to_json().to_string();
    let back = parse(&text).unwrap();
    assert_eq!(back.origin, t.origin);
    assert_eq!(back.events.len(), 2);
    assert_eq!(back.to_json()["traceEvents"][0]["ph"], "M", "metadata comes first");
    assert!(parse("[]").is_err());
    assert!(parse(r#"{"traceEvents": []}"#).unwrap_err().contains("not a trace of the cookbook"));
    assert!(parse("{").unwrap_err().starts_with("not JSON"));
}

fn with_event(v: Value) -> TraceFile {
    let mut t = record_local(|| {
        let _run = tracing::info_span!("run", worker = 0).entered();
        let _hold = tracing::info_span!("hold", lock = "l").entered();
        tracing::info!("mark");
    });
    t.name_unnamed_lanes();
    t.events.push(v);
    t
}

#[test]
fn the_format_check_finds_what_breaks_the_format() {
    let misnested = with_event(json!({"name": "hold", "ph": "X", "ts": 0.0, "dur": 1e9, "pid": 1, "tid": 1}));
    let mut bad = misnested.clone();
    bad.events.push(json!({"name": "wait", "ph": "X", "ts": 10.0, "dur": 2e9, "pid": 1, "tid": 1}));
    let problems = check(&bad);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("without nesting"));
    assert!(check(&misnested).is_empty());
    for broken in [
        json!({"name": "run", "ph": "X", "ts": 0.0, "pid": 1, "tid": 1}),
        json!({"name": "run", "ph": "X", "ts": -1.0, "dur": 1.0, "pid": 1, "tid": 1}),
        json!({"name": "run", "ph": "Q", "ts": 0.0, "pid": 1, "tid": 1}),
        json!({"name": "run", "ph": "i", "ts": 0.0, "pid": 1, "tid": 1}),
        json!({"name": "thread_name", "ph": "M", "pid": 1, "tid": 1, "args": {}}),
        json!({"name": "run", "ph": "X", "ts": 0.0, "dur": 1.0, "pid": "1", "tid": 1}),
        json!({"ph": "X", "ts": 0.0, "dur": 1.0, "pid": 1, "tid": 1}),
        json!({"name": "run", "ph": "X", "ts": 0.0, "dur": 1.0, "pid": 1, "tid": 1, "args": 3}),
    ] {
        assert_eq!(check(&with_event(broken.clone())).len(), 1, "{broken} is not caught");
    }
}

// ── Helper processes ────────────────────────────────────────────────────────

const ROLE: &str = "COOKBOOK_TRACE_TEST";
const OUT: &str = "COOKBOOK_TRACE_TEST_OUT";

/// This test binary again, on `helper` only, playing `role`.
fn helper_command(role: &str, out: &Path) -> Command {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args(["--exact", "trace::tests::helper", "--ignored", "--test-threads=1", "--quiet", "--nocapture"])
        .env(ROLE, role)
        .env(OUT, out)
        .env_remove(PARTS_ENV)
        .stdin(Stdio::null());
    crate::child::die_with_parent(&mut c);
    c
}

#[test]
#[ignore = "a helper process of the tests below, started by them"]
fn helper() {
    let out = PathBuf::from(std::env::var_os(OUT).expect("started by a test"));
    match std::env::var(ROLE).as_deref() {
        // A traced parent with one child.
        Ok("parent") => {
            let session = start(Some(&out));
            let _run = tracing::info_span!("run", worker = "parent").entered();
            let mut child = helper_command("child", &out);
            child.env(PARTS_ENV, std::env::var_os(PARTS_ENV).expect("start exports the parts folder"));
            let children = crate::child::spawn_all([Ok(child)]);
            println!("child_pid = {}", children.pids()[0]);
            children.wait_all().expect("the child succeeds");
            drop(_run);
            drop(session);
        }
        // Its child: records a part, and leaves by `exit`, skipping destructors.
        Ok("child") => {
            let session = start_child().expect("the parent is recording");
            {
                let _run = tracing::info_span!("run", worker = "child").entered();
                sleep(Duration::from_millis(20));
            }
            std::mem::forget(session);
            std::process::exit(0);
        }
        // An MPI rank (the launcher's variables are set by the test).
        Ok("rank") => {
            let _session = start(Some(&out));
            let _run = tracing::info_span!("run", worker = "rank").entered();
            sleep(Duration::from_millis(10));
        }
        other => panic!("unknown helper role {other:?}"),
    }
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cookbook-trace-test-{}-{name}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_child_part_is_merged_with_its_pid_and_inside_its_life() {
    let dir = temp("child");
    let out = dir.join("run.json");
    let run = helper_command("parent", &out).output().unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout}{}", String::from_utf8_lossy(&run.stderr));
    let child_pid: u64 = crate::facts::fact_as(&stdout, "child_pid").unwrap();
    let t = read(&out).unwrap();
    let life = named(&t, "child");
    assert_eq!(life.len(), 1);
    assert_eq!((life[0]["pid"].as_u64(), life[0]["tid"].as_u64()), (Some(child_pid), Some(child_pid)));
    let runs = named(&t, "run");
    let child_run = runs.iter().find(|e| e["args"]["worker"] == "child").expect("the child's part was merged");
    assert_eq!(child_run["pid"].as_u64(), Some(child_pid), "the child's events keep the child's pid");
    let parent_run = runs.iter().find(|e| e["args"]["worker"] == "parent").unwrap();
    assert_eq!(parent_run["pid"].as_u64(), Some(u64::from(run_pid(&t, "parent"))));
    // One clock: the child ran while the parent held its life.
    let ((life_start, life_end), (run_start, run_end)) = (start_end(life[0]), start_end(child_run));
    assert!(
        life_start <= run_start && run_end <= life_end,
        "child {run_start}–{run_end} outside {life_start}–{life_end}"
    );
    assert!(meta_name(&t, "process_name", child_pid, None).is_some_and(|n| !n.contains("pid")), "named by itself");
    // Each session records its process's life in its main lane; the child's lies
    // inside the life its parent saw, and holds what the child did.
    let lives = named(&t, "process");
    assert_eq!(lives.len(), 2, "one process span per process: {lives:?}");
    let child_life = lives.iter().find(|e| e["pid"] == child_pid).expect("the child's process span");
    assert_eq!(child_life["tid"].as_u64(), Some(child_pid));
    let (a, b) = start_end(child_life);
    assert!(life_start <= a && b <= life_end && a <= run_start && run_end <= b);
    let leftover: Vec<_> = fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(&format!("cookbook-trace-{}-", run_pid(&t, "parent"))))
        .collect();
    assert!(leftover.is_empty(), "the parts folder was not removed: {leftover:?}");
    fs::remove_dir_all(dir).unwrap();
}

/// The pid of the `run` span of `worker`.
fn run_pid(t: &TraceFile, worker: &str) -> u32 {
    let runs = named(t, "run");
    let run = runs.iter().find(|e| e["args"]["worker"] == worker).expect("a run span");
    run["pid"].as_u64().unwrap() as u32
}

#[test]
fn mpi_ranks_write_parts_that_rank_0_merges() {
    let dir = temp("ranks");
    let out = dir.join("ranks.json");
    let job = format!("test-job-{}", std::process::id());
    let ranks: Vec<_> = (0..3)
        .map(|r| {
            let mut c = helper_command("rank", &out);
            c.env("OMPI_COMM_WORLD_RANK", r.to_string()).env("OMPI_COMM_WORLD_SIZE", "3").env("PMIX_NAMESPACE", &job);
            c.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap()
        })
        .collect();
    let pids: BTreeSet<u64> = ranks.iter().map(|c| u64::from(c.id())).collect();
    for c in ranks {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let t = read(&out).unwrap();
    let seen: BTreeSet<u64> = named(&t, "run").iter().filter_map(|e| e["pid"].as_u64()).collect();
    assert_eq!(seen, pids, "one part per rank, each with its pid");
    let mut ranks: Vec<String> = pids
        .iter()
        .filter_map(|&p| meta_name(&t, "process_name", p, None))
        .filter_map(|n| n.split_once(" rank ").map(|(_, r)| r.to_string()))
        .collect();
    ranks.sort();
    assert_eq!(ranks, ["0", "1", "2"], "each rank's lanes are named after it");
    assert!(!sibling(&out, ".parts").exists(), "rank 0 removes the parts folder");
    fs::remove_dir_all(dir).unwrap();
}

use super::*;
use cookbook_support::trace::{self, record_local};
use std::time::Duration;

fn temp_svg(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("cookbook-timeline-{}-{name}.svg", std::process::id()))
}

/// A trace with every kind of span, from the recorder itself: a process whose
/// main thread holds a lock and sleeps in it, a named worker that waits, and a
/// child.
fn every_kind() -> TraceFile {
    let mut t = record_local(|| {
        let dispatch = tracing::dispatcher::get_default(|d| d.clone());
        // What a session records around a whole process.
        let _life = tracing::info_span!("process").entered();
        let _run = tracing::info_span!("run", worker = 0).entered();
        let worker = std::thread::Builder::new()
            .name("Thread#1".into())
            .spawn(move || {
                tracing::dispatcher::with_default(&dispatch, || {
                    let _run = tracing::info_span!("run", worker = 1).entered();
                    let _wait = tracing::info_span!("wait", on = "lock").entered();
                    std::thread::sleep(Duration::from_millis(1));
                })
            })
            .unwrap();
        {
            let _hold = tracing::info_span!("hold", lock = "counter").entered();
            trace::sleep(Duration::from_millis(2));
        }
        worker.join().unwrap();
        let life = tracing::info_span!("child", pid = 4_000_002_u32, index = 0);
        let _other = tracing::info_span!("compute").entered();
        tracing::info!("done");
        drop(life);
    });
    t.name_unnamed_lanes();
    t
}

#[test]
fn every_kind_has_its_colour_and_the_legend_names_it() {
    let t = every_kind();
    assert!(trace::check(&t).is_empty(), "{:?}", trace::check(&t));
    let timeline = Timeline::of(&t);
    let kinds: std::collections::BTreeSet<Kind> = timeline.bars.iter().map(|b| b.kind).collect();
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), Kind::ALL);
    let path = temp_svg("kinds");
    draw_svg(&timeline, "every kind", &path).unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(svg.starts_with("<svg") || svg.starts_with("<?xml"), "not an SVG");
    for k in Kind::ALL {
        assert!(svg.contains(&k.hex()), "no bar or swatch coloured {} for {k:?}", k.hex());
        assert!(svg.contains(k.label()), "the legend does not name {k:?}");
    }
    for lane in ["Thread#1", "child 0 (pid 4000002)"] {
        assert!(svg.contains(lane), "no lane named {lane}");
    }
    assert!(svg.contains("time since the start of the trace (ms)"), "no time axis");
}

#[test]
fn lanes_are_main_first_then_threads_then_children() {
    let timeline = Timeline::of(&every_kind());
    // (The "main" thread of a test is the test's own thread, named after it.)
    let names: Vec<&str> = timeline.lanes.iter().map(|l| l.thread.as_str()).collect();
    assert_eq!(names[1..], ["Thread#1", "main"]);
    assert_eq!(timeline.lanes[0].pid, u64::from(std::process::id()));
    assert_eq!(timeline.lanes[0].thread, std::thread::current().name().unwrap());
    assert_eq!(timeline.lanes[2].pid, 4_000_002);
    assert_eq!(timeline.lanes[2].process, "child 0 (pid 4000002)");
    // Bars sit in the lane of their thread.
    let wait = timeline.bars.iter().find(|b| b.kind == Kind::Wait).unwrap();
    assert_eq!(timeline.lanes[wait.lane].thread, "Thread#1");
}

#[test]
fn nested_spans_are_deeper() {
    let timeline = Timeline::of(&every_kind());
    let depth = |k: Kind| timeline.bars.iter().find(|b| b.kind == k).unwrap().depth;
    assert_eq!(depth(Kind::Process), 0);
    assert_eq!(depth(Kind::Run), 1, "main's run inside the process");
    assert_eq!(depth(Kind::Hold), 2, "hold inside run");
    assert_eq!(depth(Kind::Sleep), 3, "sleep inside hold inside run");
    assert_eq!(depth(Kind::Child), 0, "a child's life is the outermost bar of its lane");
    let other = timeline.bars.iter().find(|b| b.kind == Kind::Other).unwrap();
    assert_eq!(other.depth, 2, "compute inside main's run");
    assert_eq!(timeline.marks.len(), 1);
}

#[test]
fn units_follow_the_length_of_the_trace() {
    assert_eq!(unit(500.0).0, "µs");
    assert_eq!(unit(50_000.0).0, "ms");
    assert_eq!(unit(5_000_000.0).0, "s");
}

#[test]
fn an_empty_trace_still_draws() {
    let t = record_local(|| {});
    let timeline = Timeline::of(&t);
    assert!(timeline.lanes.is_empty());
    let path = temp_svg("empty");
    draw_svg(&timeline, "nothing", &path).unwrap();
    assert!(std::fs::read_to_string(&path).unwrap().contains("nothing"));
    std::fs::remove_file(&path).unwrap();
}

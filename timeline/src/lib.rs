//! `cookbook-timeline`: draws a `--trace` file as a timeline.
//!
//! ```text
//! cookbook timeline run.json -o run.svg          one trace
//! cookbook timeline demo.json worker.json -o both.svg   several, on one clock
//! ```
//!
//! A lane per thread (grouped by process: a child, a rank, a worker), a bar per
//! span, coloured by its kind as `cookbook_support::trace` names them: `run`,
//! `wait`, `hold`, `sleep`, `child`; any other span is grey. A span inside
//! another is drawn inside it, a little thinner, so a `sleep` inside a `hold`
//! inside a `run` reads as three nested bars. Events (`tracing::info!`) are
//! thin black marks. A legend and a time axis come with it.
//!
//! ## Why a crate of its own
//!
//! Drawing needs plotters, and the `cookbook` CLI must link nothing but the
//! index and `cookbook-support` (it is what a reader installs first). So the
//! renderer is this small workspace member, with a library (the layout, the
//! drawing and a check of the trace format, tested here) and the binary
//! `cookbook_timeline`. `cookbook timeline` runs that binary the way
//! `cookbook run` runs a recipe: the executable built next to `cookbook`, or
//! `cargo run -p cookbook-timeline` when cargo started it.

use std::collections::BTreeMap;
use std::path::Path;

use cookbook_support::trace::TraceFile;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde_json::Value;

/// What a span is, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A process's whole recording (`process`), under everything else of its main lane.
    Process,
    Run,
    Wait,
    Hold,
    Sleep,
    Child,
    Other,
}

impl Kind {
    pub const ALL: [Kind; 7] =
        [Kind::Process, Kind::Run, Kind::Wait, Kind::Hold, Kind::Sleep, Kind::Child, Kind::Other];

    /// The kind of a span named `name` (the convention of `cookbook_support::trace`).
    pub fn of(name: &str) -> Kind {
        match name {
            "process" => Kind::Process,
            "run" => Kind::Run,
            "wait" => Kind::Wait,
            "hold" => Kind::Hold,
            "sleep" => Kind::Sleep,
            "child" => Kind::Child,
            _ => Kind::Other,
        }
    }

    /// The legend's words.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Process => "the program (process)",
            Kind::Run => "running (run)",
            Kind::Wait => "waiting (wait)",
            Kind::Hold => "holding a lock (hold)",
            Kind::Sleep => "sleeping (sleep)",
            Kind::Child => "child process (child)",
            Kind::Other => "other span",
        }
    }

    pub fn color(self) -> RGBColor {
        match self {
            Kind::Process => RGBColor(208, 212, 222),
            Kind::Run => RGBColor(66, 133, 244),
            Kind::Wait => RGBColor(234, 67, 53),
            Kind::Hold => RGBColor(52, 168, 83),
            Kind::Sleep => RGBColor(251, 188, 5),
            Kind::Child => RGBColor(156, 100, 196),
            Kind::Other => RGBColor(160, 160, 160),
        }
    }

    /// The colour as the SVG writes it (`#4285F4`), for tests.
    pub fn hex(self) -> String {
        let RGBColor(r, g, b) = self.color();
        format!("#{r:02X}{g:02X}{b:02X}")
    }
}

/// One thread of one process.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    pub pid: u64,
    pub tid: u64,
    pub process: String,
    pub thread: String,
}

/// One span, placed.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub lane: usize,
    pub kind: Kind,
    pub name: String,
    pub start_us: f64,
    pub end_us: f64,
    /// How many bars of its lane it is inside.
    pub depth: usize,
}

/// A trace laid out: lanes in order, bars, instant marks.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    pub lanes: Vec<Lane>,
    pub bars: Vec<Bar>,
    /// (lane, time in µs)
    pub marks: Vec<(usize, f64)>,
}

fn num(e: &Value, key: &str) -> Option<u64> {
    e.get(key).and_then(Value::as_u64)
}

impl Timeline {
    /// Lay out `trace`: processes in the order they first did something, and in
    /// each the main thread first, then the threads in the order they started.
    pub fn of(trace: &TraceFile) -> Timeline {
        let mut process_names: BTreeMap<u64, String> = BTreeMap::new();
        let mut thread_names: BTreeMap<(u64, u64), String> = BTreeMap::new();
        let mut sort_index: BTreeMap<(u64, u64), i64> = BTreeMap::new();
        // (pid, tid) → the first time something happened there
        let mut first: BTreeMap<(u64, u64), f64> = BTreeMap::new();
        for e in &trace.events {
            let (Some(pid), Some(tid)) = (num(e, "pid"), num(e, "tid")) else { continue };
            let arg_name = e["args"]["name"].as_str().map(str::to_string);
            match (e["ph"].as_str(), e["name"].as_str()) {
                (Some("M"), Some("process_name")) => {
                    process_names.insert(pid, arg_name.unwrap_or_default());
                }
                (Some("M"), Some("thread_name")) => {
                    thread_names.insert((pid, tid), arg_name.unwrap_or_default());
                }
                (Some("M"), Some("thread_sort_index")) => {
                    sort_index.insert((pid, tid), e["args"]["sort_index"].as_i64().unwrap_or(0));
                }
                (Some("X" | "i"), _) => {
                    let ts = e["ts"].as_f64().unwrap_or(0.0);
                    let t = first.entry((pid, tid)).or_insert(ts);
                    *t = t.min(ts);
                }
                _ => {}
            }
        }
        let mut process_first: BTreeMap<u64, f64> = BTreeMap::new();
        for (&(pid, _), &t) in &first {
            let p = process_first.entry(pid).or_insert(t);
            *p = p.min(t);
        }
        let mut keys: Vec<(u64, u64)> = first.keys().copied().collect();
        keys.sort_by(|a, b| {
            let pa = (process_first[&a.0], a.0);
            let pb = (process_first[&b.0], b.0);
            let ta = (a.1 != a.0, sort_index.get(a).copied().unwrap_or(i64::MAX), first[a], a.1);
            let tb = (b.1 != b.0, sort_index.get(b).copied().unwrap_or(i64::MAX), first[b], b.1);
            pa.0.total_cmp(&pb.0)
                .then(pa.1.cmp(&pb.1))
                .then(ta.0.cmp(&tb.0))
                .then(ta.1.cmp(&tb.1))
                .then(ta.2.total_cmp(&tb.2))
                .then(ta.3.cmp(&tb.3))
        });
        let lanes: Vec<Lane> = keys
            .iter()
            .map(|&(pid, tid)| Lane {
                pid,
                tid,
                process: process_names.get(&pid).cloned().unwrap_or_else(|| format!("pid {pid}")),
                thread: thread_names
                    .get(&(pid, tid))
                    .cloned()
                    .unwrap_or_else(|| if pid == tid { "main".to_string() } else { format!("thread {tid}") }),
            })
            .collect();
        let index: BTreeMap<(u64, u64), usize> = keys.iter().enumerate().map(|(i, &k)| (k, i)).collect();

        let mut bars = Vec::new();
        let mut marks = Vec::new();
        for e in &trace.events {
            let (Some(pid), Some(tid)) = (num(e, "pid"), num(e, "tid")) else { continue };
            let Some(&lane) = index.get(&(pid, tid)) else { continue };
            let ts = e["ts"].as_f64().unwrap_or(0.0);
            match e["ph"].as_str() {
                Some("X") => {
                    let name = e["name"].as_str().unwrap_or("").to_string();
                    let dur = e["dur"].as_f64().unwrap_or(0.0).max(0.0);
                    bars.push(Bar { lane, kind: Kind::of(&name), name, start_us: ts, end_us: ts + dur, depth: 0 });
                }
                Some("i") => marks.push((lane, ts)),
                _ => {}
            }
        }
        assign_depths(&mut bars);
        Timeline { lanes, bars, marks }
    }

    /// The first and last instant of the trace, in µs.
    pub fn span_us(&self) -> (f64, f64) {
        let starts = self.bars.iter().map(|b| b.start_us).chain(self.marks.iter().map(|m| m.1));
        let ends = self.bars.iter().map(|b| b.end_us).chain(self.marks.iter().map(|m| m.1));
        let lo = starts.fold(f64::INFINITY, f64::min);
        let hi = ends.fold(f64::NEG_INFINITY, f64::max);
        if lo.is_finite() && hi.is_finite() { (lo.min(0.0), hi) } else { (0.0, 0.0) }
    }
}

/// Each bar's depth: how many bars of its lane enclose it.
fn assign_depths(bars: &mut [Bar]) {
    let mut order: Vec<usize> = (0..bars.len()).collect();
    // Outer bars first: by lane, start, then the longer first.
    order.sort_by(|&a, &b| {
        let (x, y) = (&bars[a], &bars[b]);
        x.lane.cmp(&y.lane).then(x.start_us.total_cmp(&y.start_us)).then(y.end_us.total_cmp(&x.end_us))
    });
    let mut stack: Vec<(usize, f64)> = Vec::new(); // (lane, end)
    for i in order {
        let (lane, start, end) = (bars[i].lane, bars[i].start_us, bars[i].end_us);
        while stack.last().is_some_and(|&(l, e)| l != lane || e <= start) {
            stack.pop();
        }
        bars[i].depth = stack.len();
        stack.push((lane, end));
    }
}

/// Draw `timeline` as an SVG file, with `title` above it.
pub fn draw_svg(timeline: &Timeline, title: &str, path: &Path) -> Result<(), String> {
    const LANE_PX: u32 = 34;
    const WIDTH: u32 = 1100;
    let lanes = timeline.lanes.len().max(1);
    let height = 100 + LANE_PX * lanes as u32 + 50;
    let root = SVGBackend::new(path, (WIDTH, height)).into_drawing_area();
    draw(&root, timeline, title).map_err(|e| format!("cannot draw {}: {e}", path.display()))?;
    root.present().map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The unit of the time axis: (name, µs per unit).
fn unit(total_us: f64) -> (&'static str, f64) {
    if total_us < 2_000.0 {
        ("µs", 1.0)
    } else if total_us < 2_000_000.0 {
        ("ms", 1_000.0)
    } else {
        ("s", 1_000_000.0)
    }
}

/// A lane's label: the thread's name in the first process (the recipe); in
/// the others (children, ranks, workers), the process, with the program's name
/// left out, and its thread when that is not the main one.
fn lane_label(timeline: &Timeline, lane: &Lane) -> String {
    let Some(first) = timeline.lanes.first() else { return lane.thread.clone() };
    let text = if lane.pid == first.pid {
        lane.thread.clone()
    } else {
        let prefix = format!("{} ", first.process);
        let mut process = lane.process.strip_prefix(&prefix).unwrap_or(&lane.process).to_string();
        if !process.contains("pid") {
            process = format!("{process} (pid {})", lane.pid);
        }
        if lane.tid == lane.pid { process } else { format!("{process} · {}", lane.thread) }
    };
    if text.chars().count() > 40 {
        let cut: String = text.chars().take(39).collect();
        format!("{cut}…")
    } else {
        text
    }
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    timeline: &Timeline,
    title: &str,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let (head, body) = root.split_vertically(70);
    head.draw(&Text::new(title.to_string(), (12, 8), ("sans-serif", 18).into_font().color(&BLACK)))?;
    // The legend: a swatch and the words of each kind.
    let mut x = 12;
    let kinds: Vec<Kind> =
        Kind::ALL.into_iter().filter(|&k| k != Kind::Other || timeline.bars.iter().any(|b| b.kind == k)).collect();
    for k in kinds {
        head.draw(&Rectangle::new([(x, 40), (x + 16, 54)], k.color().filled()))?;
        head.draw(&Text::new(k.label(), (x + 21, 40), ("sans-serif", 13).into_font().color(&BLACK)))?;
        x += 26 + 7 * k.label().chars().count() as i32;
    }

    let (lo, hi) = timeline.span_us();
    let (unit_name, per) = unit(hi - lo);
    let (x0, x1) = (lo / per, (hi / per) * 1.02 + f64::EPSILON);
    let n = timeline.lanes.len().max(1) as f64;
    let label_px =
        timeline.lanes.iter().map(|l| lane_label(timeline, l).chars().count()).max().unwrap_or(4) as u32 * 7 + 16;
    let mut chart = ChartBuilder::on(&body)
        .margin_right(24)
        .margin_bottom(6)
        .x_label_area_size(40)
        .y_label_area_size(label_px.clamp(60, 330))
        .build_cartesian_2d(x0..x1, 0.0..n)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(10)
        .x_desc(format!("time since the start of the trace ({unit_name})"))
        .x_label_formatter(&|v| {
            if (v.fract()).abs() < 1e-9 { format!("{v:.0}") } else { format!("{v:.1}") }
        })
        .light_line_style(TRANSPARENT)
        .draw()?;

    // Lane i is drawn from y = n-i-1 (bottom) to n-i (top): lane 0 on top.
    let top_of = |lane: usize| n - lane as f64;
    let stripes = (0..timeline.lanes.len())
        .filter(|i| i % 2 == 1)
        .map(|i| Rectangle::new([(x0, top_of(i) - 1.0), (x1, top_of(i))], RGBColor(246, 246, 250).filled()));
    chart.draw_series(stripes)?;
    let mut bars: Vec<&Bar> = timeline.bars.iter().collect();
    bars.sort_by_key(|b| b.depth);
    chart.draw_series(bars.iter().flat_map(|b| {
        // The outermost bar fills its lane; each level inside is thinner.
        let inset = (0.04 + 0.15 * b.depth as f64).min(0.42);
        let (top, bottom) = (top_of(b.lane) - inset, top_of(b.lane) - 1.0 + inset);
        let (s, e) = (b.start_us / per, b.end_us / per);
        [
            Rectangle::new([(s, bottom), (e, top)], b.kind.color().filled()),
            Rectangle::new([(s, bottom), (e, top)], WHITE.mix(0.8).stroke_width(1)),
        ]
    }))?;
    chart.draw_series(timeline.marks.iter().map(|&(lane, t)| {
        let x = t / per;
        PathElement::new(vec![(x, top_of(lane) - 0.05), (x, top_of(lane) - 0.95)], BLACK.stroke_width(1))
    }))?;
    // Lane names, right-aligned against the plot.
    let style = ("sans-serif", 13).into_font().color(&BLACK).pos(Pos::new(HPos::Right, VPos::Center));
    for (i, lane) in timeline.lanes.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(x0, top_of(i) - 0.5));
        root.draw(&Text::new(lane_label(timeline, lane), (px - 6, py), style.clone()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;

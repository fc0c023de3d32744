//! The SVG plots, drawn with plotters (SVG backend; text goes into the SVG as
//! `<text>`, so no font library is needed).

use std::path::Path;

use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::book::{Limit, NS, WORKLOADS, book_ratio};
use crate::data::{Impl, PYTHON, Results, ratio, speedup};
use crate::report::{WORKERS, fmt_si};

const PY: RGBColor = RGBColor(31, 119, 180);
const PY_LIGHT: RGBColor = RGBColor(120, 170, 220);
const RS: RGBColor = RGBColor(214, 39, 40);
const RS_ORANGE: RGBColor = RGBColor(255, 127, 14);
const RS_GREEN: RGBColor = RGBColor(44, 160, 44);
const BOOK: RGBColor = RGBColor(0, 0, 0);
const IDEAL: RGBColor = RGBColor(150, 150, 150);
const IDEAL_LABEL: &str = "ideal (the limit)";

pub struct Series {
    pub label: String,
    pub color: RGBColor,
    pub dashed: bool,
    pub points: Vec<(f64, f64)>,
}

/// The y axis: times and ratios on a log scale, speed-ups on a linear one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Axis {
    Seconds,
    Ratio,
    Speedup,
}

pub struct Panel {
    pub title: String,
    pub x_label: &'static str,
    pub y_label: &'static str,
    pub axis: Axis,
    pub x_values: Vec<u32>,
    pub series: Vec<Series>,
}

fn series(label: &str, color: RGBColor, dashed: bool, xs: &[u32], f: impl Fn(u32) -> Option<f64>) -> Series {
    let points =
        xs.iter().filter_map(|&x| f(x).filter(|v| v.is_finite() && *v > 0.0).map(|v| (f64::from(x), v))).collect();
    Series { label: label.into(), color, dashed, points }
}

fn ideal(limit: Limit, xs: &[u32], cores: usize, f: fn(f64) -> f64) -> Series {
    series(IDEAL_LABEL, IDEAL, true, xs, |n| Some(f(limit.ideal(n, cores))))
}

/// `id(side, mode, n)` for one implementation and mode, as a function of n.
fn times<'a>(r: &'a Results, group: &'a str, side: Impl, mode: &'a str) -> impl Fn(u32) -> Option<f64> + 'a {
    move |n| r.time(side, &format!("{group}/{mode}/{n}"))
}

/// The §2.13 table as the book prints it: per workload, time against n; Python and
/// Rust, sequential (dashed) and threads (solid).
pub fn book_panels(r: &Results) -> Vec<Panel> {
    let groups: Vec<String> = WORKLOADS.iter().map(|w| format!("book_2_13/{}", w.name)).collect();
    WORKLOADS
        .iter()
        .zip(&groups)
        .map(|(w, g)| Panel {
            title: format!("{}: {}", w.name, w.label),
            x_label: "n (calls / threads)",
            y_label: "seconds (fastest, log scale)",
            axis: Axis::Seconds,
            x_values: NS.to_vec(),
            series: vec![
                series("Python non_threaded", PY, true, &NS, times(r, g, PYTHON, "sequential")),
                series("Python threaded", PY, false, &NS, times(r, g, PYTHON, "threads")),
                series("Rust non_threaded", RS, true, &NS, times(r, g, Impl::Rust, "sequential")),
                series("Rust threaded", RS, false, &NS, times(r, g, Impl::Rust, "threads")),
            ],
        })
        .collect()
}

/// The book's `threaded / non_threaded` beside today's, with the limit
/// 1 / ideal speed-up on the book's two cores.
pub fn book_ratio_panels(r: &Results, cores: usize) -> Vec<Panel> {
    WORKLOADS
        .iter()
        .filter(|w| book_ratio(w.name, 1).is_some())
        .map(|w| {
            let today = |side: Impl| {
                let g = format!("book_2_13/{}", w.name);
                move |n: u32| {
                    let t = |mode| r.time(side, &format!("{g}/{mode}/{n}"));
                    ratio(t("threads"), t("sequential"))
                }
            };
            Panel {
                title: format!("{}: {}", w.name, w.label),
                x_label: "n (calls / threads)",
                y_label: "threaded / non_threaded (log scale)",
                axis: Axis::Ratio,
                x_values: NS.to_vec(),
                series: vec![
                    series("the book, 2015 (2 cores)", BOOK, true, &NS, |n| book_ratio(w.name, n)),
                    series("Python today", PY, false, &NS, today(PYTHON)),
                    series("Rust today", RS, false, &NS, today(Impl::Rust)),
                    ideal(w.limit, &NS, cores, |s| 1.0 / s),
                ],
            }
        })
        .collect()
}

fn speedup_series(r: &Results, group: &str, xs: &[u32], limit: Limit, cores: usize) -> Vec<Series> {
    let s = |side: Impl, mode: &'static str| move |n: u32| speedup(r, side, group, mode, n);
    vec![
        series("Python threads", PY, false, xs, s(PYTHON, "threads")),
        series("Python processes", PY_LIGHT, true, xs, s(PYTHON, "processes")),
        series("Rust threads", RS, false, xs, s(Impl::Rust, "threads")),
        series("Rust processes", RS_ORANGE, true, xs, s(Impl::Rust, "processes")),
        series("Rust rayon", RS_GREEN, false, xs, s(Impl::Rust, "rayon")),
        ideal(limit, xs, cores, |s| s),
    ]
}

/// Speed-up over sequential against n, per workload, with its ideal.
pub fn speedup_panels(r: &Results, cores: usize) -> Vec<Panel> {
    WORKLOADS
        .iter()
        .map(|w| Panel {
            title: format!("{}: {}", w.name, w.label),
            x_label: "n (workers)",
            y_label: "speed-up over sequential",
            axis: Axis::Speedup,
            x_values: NS.to_vec(),
            series: speedup_series(r, &format!("book_2_13/{}", w.name), &NS, w.limit, cores),
        })
        .collect()
}

/// The 2nd edition's chapter 1 test: time and speed-up against workers.
pub fn do_something_panels(r: &Results, cores: usize) -> Vec<Panel> {
    let t = |side, mode| times(r, "do_something", side, mode);
    vec![
        Panel {
            title: "do_something: time".into(),
            x_label: "workers",
            y_label: "seconds (fastest, log scale)",
            axis: Axis::Seconds,
            x_values: WORKERS.to_vec(),
            series: vec![
                series("Python sequential", PY, true, &WORKERS, t(PYTHON, "sequential")),
                series("Python threads", PY, false, &WORKERS, t(PYTHON, "threads")),
                series("Python processes", PY_LIGHT, true, &WORKERS, t(PYTHON, "processes")),
                series("Rust sequential", RS, true, &WORKERS, t(Impl::Rust, "sequential")),
                series("Rust threads", RS, false, &WORKERS, t(Impl::Rust, "threads")),
                series("Rust processes", RS_ORANGE, true, &WORKERS, t(Impl::Rust, "processes")),
                series("Rust rayon", RS_GREEN, false, &WORKERS, t(Impl::Rust, "rayon")),
            ],
        },
        Panel {
            title: "do_something: speed-up over sequential".into(),
            x_label: "workers",
            y_label: "speed-up over sequential",
            axis: Axis::Speedup,
            x_values: WORKERS.to_vec(),
            series: speedup_series(r, "do_something", &WORKERS, Limit::Cores, cores),
        },
    ]
}

/// Labels for a log axis: only 1, 2 and 5 times a power of ten get one, so that a
/// short range is not crowded.
fn one_two_five(v: f64) -> bool {
    if v.is_nan() || v <= 0.0 {
        return false;
    }
    let mantissa = v / 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().any(|m| (mantissa - m).abs() < 0.01 * m)
}

fn axis_label(axis: Axis, v: f64) -> String {
    match axis {
        Axis::Speedup => format!("{v:.1}×"),
        _ if !one_two_five(v) => String::new(),
        Axis::Seconds => fmt_si(v),
        Axis::Ratio => {
            let text = format!("{v:.3}");
            format!("{}×", text.trim_end_matches('0').trim_end_matches('.'))
        }
    }
}

const ENTRY_W: u32 = 200;
const ROW_H: u32 = 22;

/// Draws `panels` on a grid of `cols` columns into an SVG file, with one legend
/// below them: every series label once, in order.
pub fn draw(path: &Path, title: &str, panels: &[Panel], cols: usize) -> Result<(), String> {
    let err = |e: String| format!("{}: {e}", path.display());
    let mut entries: Vec<&Series> = Vec::new();
    for s in panels.iter().flat_map(|p| &p.series) {
        if !entries.iter().any(|e| e.label == s.label) {
            entries.push(s);
        }
    }
    let cols = cols.max(1);
    let rows = panels.len().div_ceil(cols).max(1) as u32;
    let w = 520 * cols as u32;
    let per_row = (w / ENTRY_W).max(1) as usize;
    let legend_h = ROW_H * entries.len().div_ceil(per_row) as u32 + 16;
    let root = SVGBackend::new(path, (w, 400 * rows + 40 + legend_h)).into_drawing_area();
    root.fill(&WHITE).map_err(es).map_err(err)?;
    let root = root.titled(title, ("sans-serif", 22)).map_err(es).map_err(err)?;
    let (grid, legend) = root.split_vertically(400 * rows);
    for (panel, area) in panels.iter().zip(grid.split_evenly((rows as usize, cols)).iter()) {
        draw_panel(area, panel).map_err(err)?;
    }
    for (i, s) in entries.iter().enumerate() {
        let (x, y) = (20 + (i % per_row) as i32 * ENTRY_W as i32, 12 + (i / per_row) as i32 * ROW_H as i32);
        let pieces: Vec<(i32, i32)> = if s.dashed { vec![(0, 7), (11, 18), (22, 29)] } else { vec![(0, 29)] };
        for (a, b) in pieces {
            legend
                .draw(&PathElement::new(vec![(x + a, y), (x + b, y)], s.color.stroke_width(2)))
                .map_err(es)
                .map_err(err)?;
        }
        let font = TextStyle::from(("sans-serif", 13).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
        legend.draw(&Text::new(s.label.clone(), (x + 36, y), font)).map_err(es).map_err(err)?;
    }
    root.present().map_err(es).map_err(err)
}

fn es(e: impl std::fmt::Display) -> String {
    e.to_string()
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

fn draw_panel(area: &Area, panel: &Panel) -> Result<(), String> {
    let values: Vec<f64> = panel.series.iter().flat_map(|s| s.points.iter().map(|p| p.1)).collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(0.0, f64::max);
    match panel.axis {
        _ if values.is_empty() => chart(area, panel, 0.0..1.0),
        Axis::Speedup => chart(area, panel, 0.0..hi * 1.1),
        Axis::Seconds | Axis::Ratio => chart(area, panel, ((lo / 2.0)..(hi * 2.0)).log_scale()),
    }
}

/// One panel on the y axis `y`: the mesh, then every series, or "not measured".
fn chart<Y>(area: &Area, panel: &Panel, y: Y) -> Result<(), String>
where
    Y: AsRangedCoord<Value = f64>,
    Y::CoordDescType: ValueFormatter<f64>,
{
    let x_max = f64::from(*panel.x_values.iter().max().unwrap_or(&1));
    let mut chart = ChartBuilder::on(area)
        .caption(&panel.title, ("sans-serif", 16))
        .margin(10)
        .x_label_area_size(35)
        .y_label_area_size(70)
        .build_cartesian_2d(0.5..x_max + 0.5, y)
        .map_err(es)?;
    // Only the measured n get a label on the x axis.
    let x_fmt = |x: &f64| {
        let near = x.round();
        let measured = (x - near).abs() < 1e-9 && panel.x_values.contains(&(near as u32));
        if measured { format!("{near:.0}") } else { String::new() }
    };
    let mut mesh = chart.configure_mesh();
    if panel.axis != Axis::Speedup {
        // a log axis would draw a line at every tick between the labels
        mesh.disable_y_mesh();
    }
    mesh.x_desc(panel.x_label)
        .y_desc(panel.y_label)
        .x_labels(x_max as usize + 1)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&|v| axis_label(panel.axis, *v))
        .label_style(("sans-serif", 12))
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(es)?;
    if panel.series.iter().all(|s| s.points.is_empty() || s.label == IDEAL_LABEL) {
        let font = TextStyle::from(("sans-serif", 18).into_font()).pos(Pos::new(HPos::Center, VPos::Center));
        let (top, bottom) = (chart.y_range().end, chart.y_range().start);
        let middle = if panel.axis == Axis::Speedup { (top + bottom) / 2.0 } else { (top * bottom).sqrt() };
        chart.draw_series(std::iter::once(Text::new("not measured", (x_max / 2.0 + 0.5, middle), font))).map_err(es)?;
    }
    for s in panel.series.iter().filter(|s| !s.points.is_empty()) {
        let style = s.color.stroke_width(2);
        if s.dashed {
            chart.draw_series(DashedLineSeries::new(s.points.clone(), 6, 4, style)).map_err(es)?;
        } else {
            chart.draw_series(LineSeries::new(s.points.clone(), style)).map_err(es)?;
        }
        chart.draw_series(s.points.iter().map(|&p| Circle::new(p, 3, s.color.filled()))).map_err(es)?;
    }
    Ok(())
}

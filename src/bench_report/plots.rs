//! The SVG plots, drawn with plotters (SVG backend; text goes into the SVG as
//! `<text>`, so no font library is needed).

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::data::{Impl, PYTHON, Results, speedup};
use crate::report::{NS, WORKERS, WORKLOADS};

const PY: RGBColor = RGBColor(31, 119, 180);
const PY_LIGHT: RGBColor = RGBColor(120, 170, 220);
const RS: RGBColor = RGBColor(214, 39, 40);
const RS_ORANGE: RGBColor = RGBColor(255, 127, 14);
const RS_GREEN: RGBColor = RGBColor(44, 160, 44);
const IDEAL: RGBColor = RGBColor(150, 150, 150);
const CORES: RGBColor = RGBColor(120, 120, 120);

pub struct Series {
    pub label: String,
    pub color: RGBColor,
    pub dashed: bool,
    pub points: Vec<(f64, f64)>,
}

pub struct Panel {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub x_values: Vec<u32>,
    /// time panels use a log scale; speedup panels a linear one with the ideal line
    pub log_y: bool,
    pub ideal: bool,
    pub series: Vec<Series>,
}

fn series(label: &str, color: RGBColor, dashed: bool, xs: &[u32], f: impl Fn(u32) -> Option<f64>) -> Series {
    let points =
        xs.iter().filter_map(|&x| f(x).filter(|v| v.is_finite() && *v > 0.0).map(|v| (f64::from(x), v))).collect();
    Series { label: label.into(), color, dashed, points }
}

/// The §2.13 table as the book prints it: per workload, time against n; Python and
/// Rust, sequential (dashed) and threads (solid).
pub fn book_panels(r: &Results) -> Vec<Panel> {
    WORKLOADS
        .iter()
        .map(|(w, label)| {
            let t = |side: Impl, mode: &'static str| {
                let w = *w;
                move |n: u32| r.time(side, &format!("book_2_13/{w}/{mode}/{n}"))
            };
            Panel {
                title: format!("{w}: {label}"),
                x_label: "n (calls / threads)".into(),
                y_label: "seconds (min, log scale)".into(),
                x_values: NS.to_vec(),
                log_y: true,
                ideal: false,
                series: vec![
                    series("Python non_threaded", PY, true, &NS, t(PYTHON, "sequential")),
                    series("Python threaded", PY, false, &NS, t(PYTHON, "threads")),
                    series("Rust non_threaded", RS, true, &NS, t(Impl::Rust, "sequential")),
                    series("Rust threaded", RS, false, &NS, t(Impl::Rust, "threads")),
                ],
            }
        })
        .collect()
}

fn speedup_series(r: &Results, group: &str, xs: &[u32]) -> Vec<Series> {
    let s = |side: Impl, mode: &'static str| {
        let group = group.to_string();
        move |n: u32| speedup(r, side, &group, mode, n)
    };
    vec![
        series("Python threads", PY, false, xs, s(PYTHON, "threads")),
        series("Python processes", PY_LIGHT, true, xs, s(PYTHON, "processes")),
        series("Rust threads", RS, false, xs, s(Impl::Rust, "threads")),
        series("Rust processes", RS_ORANGE, true, xs, s(Impl::Rust, "processes")),
        series("Rust rayon", RS_GREEN, false, xs, s(Impl::Rust, "rayon")),
    ]
}

/// Speedup over sequential against n, per workload, with the ideal line y = n.
pub fn speedup_panels(r: &Results) -> Vec<Panel> {
    WORKLOADS
        .iter()
        .map(|(w, label)| Panel {
            title: format!("{w}: {label}"),
            x_label: "n (workers)".into(),
            y_label: "speedup over sequential".into(),
            x_values: NS.to_vec(),
            log_y: false,
            ideal: true,
            series: speedup_series(r, &format!("book_2_13/{w}"), &NS),
        })
        .collect()
}

/// The 2nd edition's chapter 1 test: time and speedup against workers.
pub fn do_something_panels(r: &Results) -> Vec<Panel> {
    let t = |side: Impl, mode: &'static str| move |n: u32| r.time(side, &format!("do_something/{mode}/{n}"));
    vec![
        Panel {
            title: "do_something: time".into(),
            x_label: "workers".into(),
            y_label: "seconds (min, log scale)".into(),
            x_values: WORKERS.to_vec(),
            log_y: true,
            ideal: false,
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
            title: "do_something: speedup over sequential".into(),
            x_label: "workers".into(),
            y_label: "speedup over sequential".into(),
            x_values: WORKERS.to_vec(),
            log_y: false,
            ideal: true,
            series: speedup_series(r, "do_something", &WORKERS),
        },
    ]
}

/// Short time labels for a log axis: 10 ms, 1 µs, 2 s; only 1, 2 and 5 times a
/// power of ten get a label, so that a short range is not crowded.
fn axis_secs(v: f64) -> String {
    if v.is_nan() || v <= 0.0 {
        return String::new();
    }
    let mantissa = v / 10f64.powf(v.log10().floor());
    if ![1.0, 2.0, 5.0, 10.0].iter().any(|m| (mantissa - m).abs() < 0.01 * m) {
        return String::new();
    }
    let (scale, unit) = if v >= 1.0 {
        (1.0, "s")
    } else if v >= 1e-3 {
        (1e3, "ms")
    } else if v >= 1e-6 {
        (1e6, "µs")
    } else {
        (1e9, "ns")
    };
    let x = v * scale;
    if (x - x.round()).abs() < 1e-6 * x.max(1.0) { format!("{x:.0} {unit}") } else { format!("{x:.2} {unit}") }
}

/// One entry of the figure's legend: label, colour, dashed, line width.
type Entry = (String, RGBColor, bool, u32);

/// The legend shared by all panels: every series label once, in order.
fn legend_entries(panels: &[Panel], cores: usize) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    for s in panels.iter().flat_map(|p| &p.series) {
        if !entries.iter().any(|e| e.0 == s.label) {
            entries.push((s.label.clone(), s.color, s.dashed, 2));
        }
    }
    if panels.iter().any(|p| p.ideal) {
        entries.push(("ideal: n".into(), IDEAL, true, 1));
        entries.push((format!("cores: {cores}"), CORES, false, 1));
    }
    entries
}

const ENTRY_W: u32 = 200;
const ROW_H: u32 = 22;

/// Draws `panels` on a grid of `cols` columns into an SVG file, with one legend
/// below them. `cores` draws the CPU limit on the speedup panels.
pub fn draw(path: &Path, title: &str, panels: &[Panel], cols: usize, cores: usize) -> Result<(), String> {
    let cols = cols.max(1);
    let rows = panels.len().div_ceil(cols).max(1);
    let w = 520 * cols as u32;
    let entries = legend_entries(panels, cores);
    let per_row = (w / ENTRY_W).max(1) as usize;
    let legend_h = ROW_H * entries.len().div_ceil(per_row) as u32 + 16;
    let h = 400 * rows as u32 + 40 + legend_h;
    let root = SVGBackend::new(path, (w, h)).into_drawing_area();
    let err = |e: String| format!("{}: {e}", path.display());
    root.fill(&WHITE).map_err(es).map_err(err)?;
    let root = root.titled(title, ("sans-serif", 22)).map_err(es).map_err(err)?;
    let (grid, legend) = root.split_vertically(400 * rows as u32);
    for (panel, area) in panels.iter().zip(grid.split_evenly((rows, cols)).iter()) {
        draw_panel(area, panel, cores).map_err(err)?;
    }
    for (i, (label, color, dashed, width)) in entries.iter().enumerate() {
        let x = 20 + (i % per_row) as i32 * ENTRY_W as i32;
        let y = 12 + (i / per_row) as i32 * ROW_H as i32;
        let style = color.stroke_width(*width);
        if *dashed {
            for k in 0..3 {
                legend
                    .draw(&PathElement::new(vec![(x + k * 11, y), (x + k * 11 + 7, y)], style))
                    .map_err(es)
                    .map_err(err)?;
            }
        } else {
            legend.draw(&PathElement::new(vec![(x, y), (x + 29, y)], style)).map_err(es).map_err(err)?;
        }
        let font = TextStyle::from(("sans-serif", 13).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
        legend.draw(&Text::new(label.clone(), (x + 36, y), font)).map_err(es).map_err(err)?;
    }
    root.present().map_err(es).map_err(err)?;
    Ok(())
}

fn es(e: impl std::fmt::Display) -> String {
    e.to_string()
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

fn draw_panel(area: &Area, panel: &Panel, cores: usize) -> Result<(), String> {
    let x_max = f64::from(*panel.x_values.iter().max().unwrap_or(&1));
    let x_range = 0.5..x_max + 0.5;
    let values: Vec<f64> = panel.series.iter().flat_map(|s| s.points.iter().map(|p| p.1)).collect();
    if values.is_empty() {
        let mut chart = ChartBuilder::on(area)
            .caption(&panel.title, ("sans-serif", 16))
            .margin(10)
            .build_cartesian_2d(x_range, 0.0..1.0)
            .map_err(es)?;
        chart.configure_mesh().disable_mesh().draw().map_err(es)?;
        let font = TextStyle::from(("sans-serif", 18).into_font()).pos(Pos::new(HPos::Center, VPos::Center));
        chart.draw_series(std::iter::once(Text::new("not measured", (x_max / 2.0 + 0.5, 0.5), font))).map_err(es)?;
        return Ok(());
    }
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(0.0, f64::max);
    let x_keys = panel.x_values.clone();
    let x_fmt = |x: &f64| label_x(*x, &x_keys);
    if panel.log_y {
        let mut chart = ChartBuilder::on(area)
            .caption(&panel.title, ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(70)
            .build_cartesian_2d(x_range, ((lo / 2.0)..(hi * 2.0)).log_scale())
            .map_err(es)?;
        chart
            .configure_mesh()
            .x_desc(panel.x_label.as_str())
            .y_desc(panel.y_label.as_str())
            .x_labels(x_max as usize + 1)
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&|y| axis_secs(*y))
            .label_style(("sans-serif", 12))
            .light_line_style(TRANSPARENT)
            .draw()
            .map_err(es)?;
        draw_lines(&mut chart, panel)?;
    } else {
        let ceiling = if panel.ideal { x_max } else { 0.0 };
        let mut chart = ChartBuilder::on(area)
            .caption(&panel.title, ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(50)
            .build_cartesian_2d(x_range, 0.0..hi.max(ceiling) * 1.1)
            .map_err(es)?;
        chart
            .configure_mesh()
            .x_desc(panel.x_label.as_str())
            .y_desc(panel.y_label.as_str())
            .x_labels(x_max as usize + 1)
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&|y| format!("{y:.1}×"))
            .label_style(("sans-serif", 12))
            .light_line_style(TRANSPARENT)
            .draw()
            .map_err(es)?;
        if panel.ideal {
            let ideal: Vec<(f64, f64)> = panel.x_values.iter().map(|&x| (f64::from(x), f64::from(x))).collect();
            chart.draw_series(DashedLineSeries::new(ideal, 4, 4, IDEAL.stroke_width(1))).map_err(es)?;
            let c = cores as f64;
            if c > 0.0 && c <= x_max {
                chart.draw_series(LineSeries::new([(0.5, c), (x_max + 0.5, c)], CORES.stroke_width(1))).map_err(es)?;
            }
        }
        draw_lines(&mut chart, panel)?;
    }
    Ok(())
}

/// Only the measured n get a label on the x axis.
fn label_x(x: f64, keys: &[u32]) -> String {
    let near = x.round();
    if (x - near).abs() < 1e-9 && keys.contains(&(near as u32)) { format!("{near:.0}") } else { String::new() }
}

fn draw_lines<'a, X, Y>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, Cartesian2d<X, Y>>,
    panel: &Panel,
) -> Result<(), String>
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
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

//! `cookbook_timeline TRACE… -o FILE.svg`: draw `--trace` files as a timeline
//! (what `cookbook timeline` runs; see the crate's documentation).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use cookbook_support::{Status, trace};
use cookbook_timeline::{Timeline, draw_svg};

/// Draw a `--trace` file of a recipe as a timeline: a lane per thread, process
/// or rank, and a bar per span, coloured by kind. Several files are merged onto
/// one clock first.
#[derive(Parser)]
#[command(name = "cookbook timeline", bin_name = "cookbook timeline")]
struct Args {
    /// The trace files (written by a recipe's `--trace FILE`).
    #[arg(required = true, value_name = "TRACE")]
    traces: Vec<PathBuf>,

    /// The SVG file to write.
    #[arg(short, long, value_name = "FILE.svg")]
    output: PathBuf,

    /// The title above the picture (default: the trace's file name).
    #[arg(long)]
    title: Option<String>,
}

fn main() -> ExitCode {
    cookbook_support::quiet_broken_pipe();
    let args = Args::parse();
    let mut merged: Option<trace::TraceFile> = None;
    for path in &args.traces {
        let part = match trace::read(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("cookbook timeline: cannot read the trace {}: {e}", path.display());
                return Status::BadInput.into();
            }
        };
        match &mut merged {
            None => merged = Some(part),
            Some(all) => all.merge(part),
        }
    }
    let Some(trace) = merged else { return Status::BadInput.into() };
    for problem in trace::check(&trace) {
        eprintln!("cookbook timeline: warning: {problem}");
    }
    let timeline = Timeline::of(&trace);
    let title = args.title.unwrap_or_else(|| {
        args.traces.iter().map(|p| p.file_name().unwrap_or_default().to_string_lossy()).collect::<Vec<_>>().join(" + ")
    });
    if let Err(e) = draw_svg(&timeline, &title, &args.output) {
        eprintln!("cookbook timeline: {e}");
        return Status::Failure.into();
    }
    println!("lanes = {}", timeline.lanes.len());
    println!("bars = {}", timeline.bars.len());
    println!("svg = {}", args.output.display());
    Status::Success.into()
}

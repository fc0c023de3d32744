//! `cookbook`: list the recipes, run one by its book section, check the back ends.
//!
//! ```text
//! cookbook list [--chapter N]          the recipes, with section, title and needs
//! cookbook run 2.6 [-- ARGS]           run the recipe of 1st edition §2.6 (thread_lock)
//! cookbook run thread_lock -- --help   …or by name, passing arguments through
//! cookbook doctor                      is every back end present? which recipes need it? how to fix it
//! cookbook need opencl                 (hidden) one probe, as a recipe makes it: exit 0, or
//!                                      exit 3 with one line; kinds mpi|amqp|redis|opencl|cuda|python,
//!                                      `--url URL` for amqp and redis
//! cookbook timeline run.json -o run.svg draw a recipe's `--trace` file
//! cookbook lab [list|check|hint|next|reset]  the chapters' labs (see `cookbook lab`)
//! ```

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use clap::{Parser, Subcommand};
use parallel_cookbook::{doctor, index};

/// The Parallel Cookbook in Rust: the Python Parallel Programming Cookbook, recipe
/// by recipe.
#[derive(Parser)]
#[command(name = "cookbook", version)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// List the recipes: book section, binary name, title and what each needs.
    List {
        /// Only this chapter (1–6).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=6))]
        chapter: Option<u32>,
    },
    /// Run a recipe, named by its 1st edition section (`2.6`) or its binary
    /// name (`thread_lock`); arguments after `--` go to the recipe. The exit
    /// status is the recipe's.
    Run {
        /// A 1st edition section such as `2.6`, or a binary name.
        recipe: String,
        /// Arguments for the recipe (write them after `--`).
        #[arg(last = true)]
        args: Vec<String>,
    },
    /// Check every back end (MPI, RabbitMQ, Redis, OpenCL, the Python peers,
    /// CUDA), say which recipes need each, and print, for what is missing, the
    /// command that fixes it.
    Doctor,
    /// Require one back end as a recipe does (`cookbook_support::needs::require`):
    /// exit 0 and say what was found, or exit 3 with one line on stderr. Hidden
    /// from the list of commands; the tests use it.
    #[command(hide = true)]
    Need {
        /// The back end.
        kind: doctor::Probe,
        /// The broker URL, for `amqp` and `redis` (default: AMQP_ADDR or REDIS_ADDR,
        /// else loopback).
        #[arg(long)]
        url: Option<String>,
    },
    /// Draw a recipe's `--trace FILE` as a timeline: a lane per thread, process
    /// or rank, a bar per span, coloured by kind: `cookbook timeline TRACE… -o
    /// FILE.svg` (it runs `cookbook_timeline`; `cookbook timeline --help` is its help).
    #[command(disable_help_flag = true)]
    Timeline {
        /// The arguments of `cookbook_timeline`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// The chapters' labs: `cookbook lab list`, `cookbook lab 2`, `cookbook lab
    /// check ch02-semaphore`, `hint`, `next`, `reset` (see `cookbook lab --help`).
    Lab(parallel_cookbook::lab::LabArgs),
}

fn main() -> ExitCode {
    // `cookbook list | head -1` ends quietly.
    cookbook_support::quiet_broken_pipe();
    let cli = Cli::parse();
    match cli.command {
        Cmd::List { chapter } => list(chapter),
        Cmd::Run { recipe, args } => run(&recipe, &args),
        Cmd::Doctor => doctor::doctor(&index::recipes()),
        Cmd::Need { kind, url } => doctor::need(kind, url.as_deref()),
        // The renderer is a binary of its own, so that this CLI links no plotting crate.
        Cmd::Timeline { args } => exec_workspace_bin("cookbook_timeline", &[], &args),
        Cmd::Lab(args) => parallel_cookbook::lab::main(args),
    }
}

fn list(chapter: Option<u32>) -> ExitCode {
    let recipes: Vec<_> = index::recipes().into_iter().filter(|r| chapter.is_none_or(|c| r.chapter == c)).collect();
    let w_sec = recipes.iter().map(|r| r.section().chars().count()).max().unwrap_or(7).max(7);
    let w_name = recipes.iter().map(|r| r.name.len()).max().unwrap_or(4).max(4);
    let w_needs = recipes.iter().map(|r| r.needs.to_string().len()).max().unwrap_or(5).max(5);
    println!("{:<w_sec$}  {:<w_name$}  {:<w_needs$}  title", "section", "name", "needs");
    let mut last = 0;
    for r in &recipes {
        if r.chapter != last && chapter.is_none() && last != 0 {
            println!();
        }
        last = r.chapter;
        let title = if r.extra { format!("{} [extra]", r.title) } else { r.title.clone() };
        let needs = r.needs.to_string();
        println!("{:<w_sec$}  {:<w_name$}  {needs:<w_needs$}  {title} {}", r.section(), r.name, r.title_zh_shown());
    }
    println!("\n{} recipes. Run one with `cookbook run <section or name>`.", recipes.len());
    ExitCode::SUCCESS
}

fn run(query: &str, args: &[String]) -> ExitCode {
    let recipes = index::recipes();
    let Some(recipe) = index::find(&recipes, query) else {
        eprintln!("cookbook: no recipe is named `{query}` and no recipe follows 1st edition §{query}");
        eprintln!("cookbook: `cookbook list` shows every recipe with its section");
        return ExitCode::from(2);
    };

    // `crate/feature`: cargo runs at the workspace root, whose package has no `mpi`.
    let crate_features = recipe.cargo_features();
    let features: Vec<&str> = crate_features.as_deref().map(|f| vec!["--features", f]).unwrap_or_default();
    exec_workspace_bin(&recipe.name, &features, args)
}

/// Become the workspace's binary `bin` with `args`. Started by `cargo run`? Then
/// let cargo build it (it may have changed since; `cargo_args` such as
/// `--features` go to cargo) and run it, in this directory, so that relative
/// paths in `args` mean what they say. Otherwise run the binary built next to
/// `cookbook`.
fn exec_workspace_bin(bin: &str, cargo_args: &[&str], args: &[String]) -> ExitCode {
    let sibling = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join(bin)))
        .unwrap_or_else(|| PathBuf::from(bin));
    let mut cmd = match std::env::var_os("CARGO") {
        Some(cargo) if !sibling.exists() || std::env::var_os("CARGO_MANIFEST_DIR").is_none() => {
            let mut c = Command::new(cargo);
            let manifest = doctor::workspace_root().join("Cargo.toml");
            c.arg("run").arg("--manifest-path").arg(manifest).args(["--quiet", "--bin", bin]).args(cargo_args);
            c.arg("--").args(args);
            c
        }
        _ if sibling.exists() => {
            let mut c = Command::new(&sibling);
            c.args(args);
            c
        }
        _ => {
            eprintln!(
                "cookbook: the binary `{bin}` is not built; run `cargo build --bin {bin}` or `cargo run --bin {bin}`"
            );
            return ExitCode::from(1);
        }
    };
    // Become the program (exec), rather than wait for it: a signal sent to this
    // pid (Ctrl-C, `kill`) then reaches the program itself, nothing is left
    // running when it ends, and the exit status is the program's own.
    use std::os::unix::process::CommandExt;
    let e = cmd.exec();
    eprintln!("cookbook: cannot start `{bin}`: {e}");
    ExitCode::from(1)
}

//! `cookbook doctor`: is each back end of the cookbook present, which recipes need
//! it, and if it is missing, what installs or starts it?
//!
//! The probes are [`cookbook_support::needs`], the very ones a recipe makes when it
//! calls `needs::require`, so the doctor and the recipes cannot disagree.
//!
//! Everything `scripts/install-deps` and `scripts/brokers start` provide is
//! *required*: when one is missing the doctor exits 1. CUDA needs an NVIDIA GPU,
//! which no script can install, so it is reported but never fails the doctor.
//!
//! `cookbook need KIND` (hidden from `--help`) makes one probe the way a recipe
//! does: exit 0 with what it found, or exit 3 with one line on stderr.

use std::path::PathBuf;
use std::process::ExitCode;

use cookbook_support::Status;
use cookbook_support::needs::{self, Missing, Need};

use crate::index::{Kind, Recipe};

/// One probe of the doctor, and of `cookbook need`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Probe {
    /// `mpirun` and the MPI library.
    Mpi,
    /// RabbitMQ at `--url`, else `AMQP_ADDR`, else loopback.
    Amqp,
    /// Redis at `--url`, else `REDIS_ADDR`, else loopback.
    Redis,
    /// An OpenCL platform with a device.
    Opencl,
    /// The CUDA driver and a GPU.
    Cuda,
    /// The Python peers in `.venv`.
    Python,
}

impl Probe {
    pub const ALL: [Probe; 6] = [Probe::Mpi, Probe::Amqp, Probe::Redis, Probe::Opencl, Probe::Cuda, Probe::Python];

    /// The name of its fact line, `name = present|missing|absent`.
    pub fn name(self) -> &'static str {
        match self {
            Probe::Mpi => "mpi",
            Probe::Amqp => "amqp",
            Probe::Redis => "redis",
            Probe::Opencl => "opencl",
            Probe::Cuda => "cuda",
            Probe::Python => "python",
        }
    }

    /// The need of `recipes.toml` that this probe checks.
    pub fn kind(self) -> Kind {
        match self {
            Probe::Mpi => Kind::Mpi,
            Probe::Amqp | Probe::Redis => Kind::Broker,
            Probe::Opencl => Kind::Opencl,
            Probe::Cuda => Kind::Cuda,
            Probe::Python => Kind::Python,
        }
    }

    /// Does a missing back end fail the doctor? Not CUDA: no script installs a GPU.
    pub fn required(self) -> bool {
        self != Probe::Cuda
    }

    fn is_broker(self) -> bool {
        matches!(self, Probe::Amqp | Probe::Redis)
    }

    /// The broker URL this probe uses when none is given.
    fn default_url(self) -> Option<String> {
        match self {
            Probe::Amqp => Some(needs::amqp_url()),
            Probe::Redis => Some(needs::redis_url()),
            _ => None,
        }
    }

    /// Call `f` with the need this probe checks (`url` is the broker's, for amqp
    /// and redis; by default `AMQP_ADDR` / `REDIS_ADDR`, else loopback).
    fn with_need<T>(self, url: Option<&str>, f: impl FnOnce(Need) -> T) -> T {
        let url = url.map(str::to_string).or_else(|| self.default_url()).unwrap_or_default();
        f(match self {
            Probe::Mpi => Need::Mpi,
            Probe::Amqp | Probe::Redis => Need::Broker(&url),
            Probe::Opencl => Need::OpenCl,
            Probe::Cuda => Need::Cuda,
            Probe::Python => Need::Python,
        })
    }

    /// Run the probe: what it checked, and what it found or what is missing.
    pub fn run(self, url: Option<&str>) -> (String, Result<String, Missing>) {
        self.with_need(url, |need| (need.to_string(), needs::check(&need)))
    }
}

/// The result of one probe.
#[derive(Debug, Clone)]
pub struct Check {
    pub probe: Probe,
    /// What was checked, e.g. `RabbitMQ (AMQP) at 127.0.0.1:5672`.
    pub what: String,
    /// What was found, or what is missing and how to get it.
    pub outcome: Result<String, Missing>,
    /// The recipes of the index that need this back end.
    pub needed_by: Vec<String>,
}

/// Run every probe, at the same time (a broker that does not answer costs its
/// time-out once, not once per probe).
pub fn run_checks(recipes: &[Recipe]) -> Vec<Check> {
    std::thread::scope(|s| {
        let running: Vec<_> = Probe::ALL.map(|p| (p, s.spawn(move || p.run(None)))).into();
        running
            .into_iter()
            .map(|(probe, h)| {
                let (what, outcome) = h.join().unwrap_or_else(|_| {
                    (probe.name().to_string(), Err(Missing { what: "the probe panicked".into(), fix: String::new() }))
                });
                let needed_by =
                    recipes.iter().filter(|r| r.needs.contains(probe.kind())).map(|r| r.name.clone()).collect();
                Check { probe, what, outcome, needed_by }
            })
            .collect()
    })
}

/// `cookbook doctor`: print every check, which recipes need it, and the fix for
/// what is missing; exit 1 when a required back end is missing.
pub fn doctor(recipes: &[Recipe]) -> ExitCode {
    println!("cookbook doctor: the back ends of the cookbook, probed as the recipes probe them\n");
    let checks = run_checks(recipes);
    let w = checks.iter().map(|c| c.what.chars().count()).max().unwrap_or(0);
    let mut missing = Vec::new();
    for c in &checks {
        let pad = format!("  {:<10} {:<w$}", "", "");
        match &c.outcome {
            Ok(found) => println!("  {:<10} {:<w$}  {found}", "[ok]", c.what),
            Err(m) => {
                let tag = if c.probe.required() { "[missing]" } else { "[absent]" };
                // The probe's line names the back end itself; here the left column does.
                let why = m.what.strip_prefix(&format!("{}: ", c.what)).unwrap_or(&m.what);
                println!("  {tag:<10} {:<w$}  {why}", c.what);
                println!("{pad}  fix: {}", m.fix);
                if c.probe.required() {
                    missing.push(c.probe.name());
                }
            }
        }
        let by = if c.needed_by.is_empty() { "no recipe yet".to_string() } else { c.needed_by.join(", ") };
        println!("{pad}  needed by ({}): {by}", c.probe.kind().as_str());
    }
    let plain = recipes.iter().filter(|r| r.needs.is_empty()).count();
    println!("\n{plain} of {} recipes need nothing but Rust.\n", recipes.len());
    for c in &checks {
        let state = match (&c.outcome, c.probe.required()) {
            (Ok(_), _) => "present",
            (Err(_), true) => "missing",
            (Err(_), false) => "absent",
        };
        println!("{} = {state} needed_by = {}", c.probe.name(), c.needed_by.len());
    }
    if missing.is_empty() {
        println!("\nevery required back end is present");
        Status::Success.into()
    } else {
        println!("\nmissing: {} (scripts/install-deps and scripts/brokers start provide them)", missing.join(", "));
        Status::Failure.into()
    }
}

/// `cookbook need KIND [--url URL]`: require one back end as a recipe does. Exit 0
/// and print what was found, or exit 3 with one line on stderr.
pub fn need(probe: Probe, url: Option<&str>) -> ExitCode {
    if url.is_some() && !probe.is_broker() {
        eprintln!("cookbook: --url applies to `amqp` and `redis` only, not `{}`", probe.name());
        return Status::BadInput.into();
    }
    let found = probe.with_need(url, needs::require);
    println!("{}: {found}", probe.name());
    Status::Success.into()
}

/// The workspace root: the folder with `recipes.toml` above `cookbook` or the
/// current folder, else the one `cookbook` was built from.
pub fn workspace_root() -> PathBuf {
    needs::workspace_root().unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

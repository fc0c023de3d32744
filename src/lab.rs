//! `cookbook lab`: the chapters' labs, run the way rustlings runs its exercises.
//!
//! ```text
//! cookbook lab                         the labs, and these commands
//! cookbook lab 2                       the steps of chapter 2's lab
//! cookbook lab list                    every exercise, and whether it passes now
//! cookbook lab check ch02-semaphore    run an exercise's tests (a chapter, `ch02`, runs all of its)
//! cookbook lab hint ch02-semaphore     the exercise's hint
//! cookbook lab next                    the first exercise that does not pass yet
//! cookbook lab reset ch02-semaphore    give the starter back (from git)
//! cookbook lab verify                  CI: every solution passes, every starter and wrong variant fails
//! ```
//!
//! `labs.toml` is the index; each chapter's lab is a workspace member in
//! `labs/chNN/`. The student edits the starters in its `src/`. This command never
//! links a lab: it drives cargo as a subprocess. It builds the lab's test targets
//! (`cargo test --no-run --message-format=json`), then runs each test program under
//! the time limit and process-group guard of [`cookbook_support::testing`], with
//! `--include-ignored`: the exercises' tests are ignored by a plain `cargo test`, so
//! that the starters do not make the workspace's tests fail. It reads libtest's
//! report and says in plain words what failed.
//!
//! Which code a build compiles is chosen by the lab crate's features: none for the
//! student's copies, `solution` for the solutions, `solution,wrong-…` for a
//! known-wrong variant. The loom checks are built with `RUSTFLAGS="--cfg loom"`,
//! `--release` and their own target folder, `target/loom`, as `scripts/test` builds
//! chapter 2's.
//!
//! Exit status: 0 when every exercise checked passes (or, for `verify`, when every
//! proof holds), 1 when one fails, 2 for a bad command line, 3 when cargo or git is
//! missing.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Duration;

use clap::{Args, Subcommand};
use serde::Deserialize;

use crate::index;

/// The lab index as it was when `cookbook` was built.
pub const LABS_TOML: &str = include_str!("../labs.toml");

/// The time limit of one test program (std threads): its tests have their own
/// limits of 20 s, so this only catches what those cannot.
const STD_LIMIT: Duration = Duration::from_secs(180);
/// The time limit of one loom test program.
const LOOM_LIMIT: Duration = Duration::from_secs(600);

// ── The index ───────────────────────────────────────────────────────────────

/// One chapter's lab.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lab {
    pub chapter: u32,
    #[serde(rename = "crate")]
    pub krate: String,
    pub dir: String,
    pub title: String,
    pub page: String,
    pub solutions_page: String,
}

/// One exercise.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    pub name: String,
    pub chapter: u32,
    pub title: String,
    pub file: String,
    pub solution: String,
    pub recipe: String,
    pub tests: Vec<String>,
    pub loom: Vec<String>,
    pub task: String,
    pub hint: String,
    pub passing: String,
    pub starter_fails_with: Vec<String>,
}

/// A known-wrong variant of an exercise's solution: a test fixture.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wrong {
    pub exercise: String,
    pub feature: String,
    pub file: String,
    pub mistake: String,
    pub fails: Vec<String>,
    pub fails_with: Vec<String>,
}

/// The whole index.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labs {
    pub lab: Vec<Lab>,
    pub exercise: Vec<Exercise>,
    pub wrong: Vec<Wrong>,
}

impl Labs {
    pub fn lab(&self, chapter: u32) -> Option<&Lab> {
        self.lab.iter().find(|l| l.chapter == chapter)
    }

    pub fn exercise(&self, name: &str) -> Option<&Exercise> {
        self.exercise.iter().find(|e| e.name == name)
    }

    /// The exercises of `chapter`, in order.
    pub fn of_chapter(&self, chapter: u32) -> impl Iterator<Item = &Exercise> {
        self.exercise.iter().filter(move |e| e.chapter == chapter)
    }
}

/// Parse an index.
pub fn parse(text: &str) -> Result<Labs, toml::de::Error> {
    toml::from_str(text)
}

/// The built-in index.
pub fn labs() -> Labs {
    parse(LABS_TOML).expect("labs.toml is checked by the root tests")
}

/// `1`, `01`, `ch1` or `ch01` → 1.
pub fn parse_chapter(s: &str) -> Option<u32> {
    let digits = s.strip_prefix("ch").unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 2 {
        return None;
    }
    digits.parse().ok()
}

// ── The command line ────────────────────────────────────────────────────────

/// The labs: exercises whose tests say whether your code does what the chapter
/// teaches. Exit status: 0 when the exercises checked pass, 1 when one fails,
/// 2 for a bad command line, 3 when cargo or git is missing.
#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct LabArgs {
    #[command(subcommand)]
    command: Option<LabCmd>,

    /// A chapter (`2`, `02` or `ch02`): print the steps of its lab.
    #[arg(value_parser = chapter_with_lab)]
    chapter: Option<u32>,
}

#[derive(Subcommand, Debug)]
enum LabCmd {
    /// Every exercise, and whether it passes now (runs the tests).
    List,
    /// Run the tests of your copy of exercises (or of every exercise of a chapter,
    /// `ch02`), and say what failed, with the hint.
    Check {
        /// Exercise names (`ch02-semaphore`) or chapters (`ch02`).
        #[arg(required = true, value_parser = exercise_or_chapter)]
        exercises: Vec<Target>,
    },
    /// Print an exercise's hint.
    Hint {
        #[arg(value_parser = exercise_name)]
        exercise: String,
    },
    /// Find the first exercise that does not pass yet, and say what to do.
    Next,
    /// Give back the starter of an exercise: your copy is replaced by the last
    /// committed version (`git checkout HEAD -- FILE`).
    Reset {
        #[arg(value_parser = exercise_name)]
        exercise: String,
    },
    /// For CI and teachers: prove that every solution passes its tests, every
    /// starter fails them for the reason the exercise intends, and every known-wrong
    /// variant fails the tests meant to catch it.
    Verify {
        /// Only this chapter's lab.
        #[arg(long, value_parser = chapter_with_lab)]
        chapter: Option<u32>,
    },
}

/// What `check` was given.
#[derive(Debug, Clone)]
enum Target {
    Exercise(String),
    Chapter(u32),
}

fn known_chapters(labs: &Labs) -> String {
    labs.lab.iter().map(|l| l.chapter.to_string()).collect::<Vec<_>>().join(", ")
}

fn chapter_with_lab(s: &str) -> Result<u32, String> {
    let labs = labs();
    let chapter = parse_chapter(s).ok_or_else(|| format!("`{s}` is not a chapter (write 2, 02 or ch02)"))?;
    labs.lab(chapter)
        .map(|_| chapter)
        .ok_or_else(|| format!("chapter {chapter} has no lab yet; labs: {}", known_chapters(&labs)))
}

fn exercise_name(s: &str) -> Result<String, String> {
    let labs = labs();
    if labs.exercise(s).is_some() {
        Ok(s.to_string())
    } else {
        let names: Vec<_> = labs.exercise.iter().map(|e| e.name.as_str()).collect();
        Err(format!("no exercise is named `{s}`; exercises: {}", names.join(", ")))
    }
}

fn exercise_or_chapter(s: &str) -> Result<Target, String> {
    if s.starts_with("ch") && !s.contains('-') {
        return chapter_with_lab(s).map(Target::Chapter);
    }
    exercise_name(s).map(Target::Exercise)
}

/// `cookbook lab …`.
pub fn main(args: LabArgs) -> ExitCode {
    let labs = labs();
    match (args.command, args.chapter) {
        (None, None) => overview(&labs),
        (None, Some(chapter)) => steps(&labs, chapter),
        (Some(LabCmd::List), _) => list(&labs),
        (Some(LabCmd::Check { exercises }), _) => {
            let mut names = Vec::new();
            for t in exercises {
                match t {
                    Target::Exercise(n) => names.push(n),
                    Target::Chapter(c) => names.extend(labs.of_chapter(c).map(|e| e.name.clone())),
                }
            }
            names.dedup();
            check(&labs, &names)
        }
        (Some(LabCmd::Hint { exercise }), _) => {
            let e = labs.exercise(&exercise).expect("checked by the parser");
            println!("{}: {}\n\nhint: {}", e.name, e.title, e.hint);
            ExitCode::SUCCESS
        }
        (Some(LabCmd::Next), _) => next(&labs),
        (Some(LabCmd::Reset { exercise }), _) => reset(&labs, &exercise),
        (Some(LabCmd::Verify { chapter }), _) => verify(&labs, chapter),
    }
}

// ── The workspace, cargo and git ────────────────────────────────────────────

/// The workspace: the nearest folder with `labs.toml` and `Cargo.toml` above the
/// current folder, else above this program, else the one it was built in.
fn root() -> PathBuf {
    let is_root = |d: &Path| d.join("labs.toml").is_file() && d.join("Cargo.toml").is_file();
    let above = |start: Option<PathBuf>| start.and_then(|s| s.ancestors().find(|d| is_root(d)).map(Path::to_path_buf));
    above(std::env::current_dir().ok())
        .or_else(|| above(std::env::current_exe().ok()))
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn missing_cargo() -> ! {
    cookbook_support::missing_requirement(
        "cargo, to build and run the lab's tests",
        "install Rust with rustup (https://rustup.rs), then run this from the cookbook's checkout",
    )
}

fn missing_git() -> ! {
    cookbook_support::missing_requirement(
        "git, and a git checkout of the cookbook, to restore a starter",
        "apt-get install git, and clone the cookbook with git",
    )
}

/// What a build compiles for each exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source<'a> {
    /// The student's copies in `src/` (no feature).
    Student,
    /// The solutions (`--features solution`).
    Solution,
    /// The solutions, with one exercise swapped for a known-wrong variant.
    Wrong(&'a str),
}

impl Source<'_> {
    fn features(self) -> Option<String> {
        match self {
            Source::Student => None,
            Source::Solution => Some("solution".to_string()),
            Source::Wrong(feature) => Some(format!("solution,{feature}")),
        }
    }
}

impl fmt::Display for Source<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Student => f.write_str("your copy"),
            Source::Solution => f.write_str("the solution"),
            Source::Wrong(feature) => write!(f, "{feature}"),
        }
    }
}

/// Which of the two builds: plain tests, or loom's model checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Std,
    Loom,
}

/// Why a build gave no test programs.
#[derive(Debug)]
enum BuildError {
    /// The code does not compile: rustc's errors.
    Compile(String),
    /// Cargo itself failed.
    Cargo(String),
}

/// Build `targets` of `lab` and return each target's test program.
fn build(
    root: &Path,
    lab: &Lab,
    source: Source,
    kind: Kind,
    targets: &[&str],
    announce: bool,
) -> Result<BTreeMap<String, PathBuf>, BuildError> {
    let mut cmd = cargo();
    cmd.current_dir(root).args(["test", "--no-run", "--quiet", "--message-format=json", "-p", &lab.krate]);
    if let Some(f) = source.features() {
        cmd.args(["--features", &f]);
    }
    if kind == Kind::Loom {
        let target_dir = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
        let mut flags = std::env::var("RUSTFLAGS").unwrap_or_default();
        if !flags.split_whitespace().any(|w| w == "loom") {
            flags = format!("{flags} --cfg loom").trim().to_string();
        }
        cmd.env("RUSTFLAGS", flags).arg("--release").arg("--target-dir").arg(target_dir.join("loom"));
    }
    for t in targets {
        cmd.args(["--test", t]);
    }
    let what = match kind {
        Kind::Std => "",
        Kind::Loom => " for loom, in target/loom (the first build there takes a few minutes)",
    };
    if announce {
        eprintln!("building {} with {source}{what}…", lab.krate);
    }
    let out = match cmd.stdin(Stdio::null()).stderr(Stdio::piped()).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => missing_cargo(),
        Err(e) => return Err(BuildError::Cargo(format!("cannot start cargo: {e}"))),
    };
    let report = read_build(&String::from_utf8_lossy(&out.stdout));
    if !report.errors.is_empty() {
        return Err(BuildError::Compile(report.errors.join("\n")));
    }
    if !out.status.success() {
        return Err(BuildError::Cargo(String::from_utf8_lossy(&out.stderr).trim().to_string()));
    }
    Ok(report.programs)
}

/// What cargo's JSON messages say about a build.
#[derive(Debug, Default, PartialEq)]
struct BuildReport {
    /// Test target name → its program.
    programs: BTreeMap<String, PathBuf>,
    /// rustc's errors, as rustc renders them.
    errors: Vec<String>,
}

fn read_build(json_lines: &str) -> BuildReport {
    let mut report = BuildReport::default();
    for line in json_lines.lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        match msg["reason"].as_str() {
            Some("compiler-artifact") if msg["profile"]["test"].as_bool() == Some(true) => {
                let kinds = msg["target"]["kind"].as_array().cloned().unwrap_or_default();
                if let (Some(name), Some(exe), true) =
                    (msg["target"]["name"].as_str(), msg["executable"].as_str(), kinds.iter().any(|k| k == "test"))
                {
                    report.programs.insert(name.to_string(), PathBuf::from(exe));
                }
            }
            Some("compiler-message") if msg["message"]["level"].as_str() == Some("error") => {
                if let Some(text) = msg["message"]["rendered"].as_str() {
                    report.errors.push(text.trim_end().to_string());
                }
            }
            _ => {}
        }
    }
    report
}

// ── Running a test program, and reading libtest's report ────────────────────

/// A panic in a test's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panic {
    pub location: String,
    pub message: String,
}

/// One test, as libtest reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCase {
    /// `target::name`.
    pub name: String,
    pub passed: bool,
    /// What the test printed (for a failed test: its panics and more).
    pub output: String,
    pub panics: Vec<Panic>,
}

/// Read libtest's plain report (`test NAME ... ok`, the `---- NAME stdout ----`
/// sections). Tests are named `target::name`.
pub fn parse_libtest(target: &str, stdout: &str) -> Vec<TestCase> {
    let mut cases: Vec<TestCase> = Vec::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test ") else { continue };
        let Some((name, verdict)) = rest.rsplit_once(" ... ") else { continue };
        let passed = match verdict.split(',').next().unwrap_or("").trim() {
            "ok" => true,
            "FAILED" => false,
            _ => continue, // ignored (only without --include-ignored), bench
        };
        cases.push(TestCase { name: format!("{target}::{name}"), passed, output: String::new(), panics: Vec::new() });
    }
    // The failures' output: from `---- NAME stdout ----` to the next such line, or
    // to the list of failures.
    let mut current: Option<(String, Vec<&str>)> = None;
    let mut sections: Vec<(String, String)> = Vec::new();
    for line in stdout.lines() {
        let header = line.strip_prefix("---- ").and_then(|l| l.strip_suffix(" stdout ----"));
        if header.is_some() || line == "failures:" || line.starts_with("test result: ") {
            if let Some((name, body)) = current.take() {
                sections.push((name, body.join("\n")));
            }
        }
        if let Some(name) = header {
            current = Some((name.to_string(), Vec::new()));
        } else if let Some((_, body)) = current.as_mut() {
            body.push(line);
        }
    }
    for (name, body) in sections {
        if let Some(case) = cases.iter_mut().find(|c| c.name == format!("{target}::{name}")) {
            case.panics = panics(&body);
            case.output = body.trim().to_string();
        }
    }
    cases
}

/// Every `thread '…' panicked at LOCATION:` in `text`, with the message after it.
fn panics(text: &str) -> Vec<Panic> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        // `thread 'NAME' panicked at …`, or `thread 'NAME' (ID) panicked at …`.
        let Some(at) = line.find(" panicked at ") else { continue };
        if !line.trim_start().starts_with("thread '") {
            continue;
        }
        let location = line[at + " panicked at ".len()..].trim_end_matches(':').to_string();
        let message: Vec<&str> = lines[i + 1..]
            .iter()
            .take_while(|l| !l.trim_start().starts_with("thread '") && !l.starts_with("note: "))
            .copied()
            .collect();
        found.push(Panic { location, message: message.join("\n").trim().to_string() });
    }
    found
}

/// The tests of a test program (`--list`), exercises' included.
fn list_tests(root: &Path, lab: &Lab, program: &Path) -> Result<Vec<String>, String> {
    let out = Command::new(program)
        .args(["--list", "--include-ignored"])
        .current_dir(root.join(&lab.dir))
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
    if !out.status.success() {
        return Err(format!("{} --list failed: {}", program.display(), String::from_utf8_lossy(&out.stderr).trim()));
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(str::to_string)
        .collect())
}

/// Run every test of one program, each in a process of its own: a loom model
/// that fails with threads still alive aborts its whole process, which would take
/// the other tests' reports with it.
fn run_target(root: &Path, lab: &Lab, target: &str, program: &Path, kind: Kind) -> Result<Vec<TestCase>, String> {
    let names = list_tests(root, lab, program)?;
    if names.is_empty() {
        return Err(format!("the test program {target} has no tests"));
    }
    Ok(names.iter().map(|name| run_test(root, lab, target, name, program, kind)).collect())
}

/// Run one test under the time limit and process-group guard of
/// `cookbook_support::testing`.
fn run_test(root: &Path, lab: &Lab, target: &str, name: &str, program: &Path, kind: Kind) -> TestCase {
    let limit = if kind == Kind::Loom { LOOM_LIMIT } else { STD_LIMIT };
    let runner = cookbook_support::testing::Runner::new(&program.to_string_lossy())
        .args(&["--include-ignored", "--exact", name])
        .current_dir(root.join(&lab.dir))
        .timeout(limit);
    // The runner panics when the time limit passes or a process is left behind;
    // here that is an outcome to report, not a crash of `cookbook`.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| runner.run()));
    std::panic::set_hook(hook);
    let failed =
        |output: String| TestCase { name: format!("{target}::{name}"), passed: false, panics: panics(&output), output };
    match result {
        Ok(run) => {
            match parse_libtest(target, &run.stdout).into_iter().find(|c| c.name.ends_with(&format!("::{name}"))) {
                Some(case) if case.passed || run.stdout.lines().any(|l| l.starts_with("test result: ")) => case,
                // The program died before its report (loom aborts on a panic during
                // clean-up): what it printed is all there is.
                _ => failed(format!(
                    "the test program stopped (exit {:?}) before it could report\n{}\n{}",
                    run.code,
                    drop_backtraces(&run.stdout),
                    drop_backtraces(&run.stderr)
                )),
            }
        }
        Err(payload) => {
            let why = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            if why.contains("time limit") {
                failed(format!(
                    "thread '{name}' panicked at {target}:\nthe test did not finish within {} s and was stopped: a thread waits for ever (a lost wake-up, or a deadlock)",
                    limit.as_secs()
                ))
            } else {
                failed(drop_backtraces(&why))
            }
        }
    }
}

/// `text` without the stack backtraces that loom prints when it aborts.
fn drop_backtraces(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_trace = false;
    for line in text.lines() {
        if line.starts_with("stack backtrace:") {
            in_trace = true;
            continue;
        }
        if in_trace && (line.starts_with(' ') || line.is_empty()) {
            continue;
        }
        in_trace = false;
        out.push(line);
    }
    out.join("\n").trim().to_string()
}

/// A panic location in the code under test, not in a test file or a library.
fn in_lab_code(p: &Panic) -> bool {
    !p.location.contains("tests/") && !p.location.contains("/.cargo/") && !p.location.starts_with("/rustc")
}

/// What a known message means, in plain words.
pub fn plain_words(message: &str) -> Option<&'static str> {
    let known = [
        ("not yet implemented", "you have not written this part yet: a todo!() still runs"),
        (
            "deadlock; threads",
            "loom found an order of events in which every thread waits and none can wake the others: a lost wake-up, or a deadlock",
        ),
        (
            "Causality violation",
            "loom found two threads touching the same data at once, with nothing ordering them (a data race)",
        ),
        ("attempt to subtract with overflow", "a count went below zero: something was taken that was not there"),
        ("did not finish within", "a thread waits for ever: a lost wake-up, or a deadlock"),
        ("PoisonError", "a lock is poisoned: another thread panicked while it held it (look at the first panic)"),
    ];
    known.iter().find(|(k, _)| message.contains(k)).map(|(_, plain)| *plain)
}

/// Print what went wrong in a failed test.
fn explain(case: &TestCase) {
    println!("  FAIL {}", case.name);
    let test_panic = case.panics.iter().find(|p| !in_lab_code(p)).or(case.panics.first());
    let code_panic = case.panics.iter().find(|p| in_lab_code(p));
    if let Some(p) = test_panic {
        let message: Vec<&str> = p.message.lines().take(6).collect();
        for line in &message {
            println!("       {line}");
        }
        if p.message.lines().count() > message.len() {
            println!("       …");
        }
    }
    if let Some(p) = code_panic.filter(|p| Some(*p) != test_panic) {
        println!(
            "       panicked in the code under test at {}: {}",
            p.location,
            p.message.lines().next().unwrap_or("")
        );
    }
    let plain = case.panics.iter().find_map(|p| plain_words(&p.message)).or_else(|| plain_words(&case.output));
    if let Some(plain) = plain {
        let at = code_panic.map(|p| format!(" (at {})", p.location)).unwrap_or_default();
        println!("       in plain words: {plain}{at}");
    }
}

// ── Checking exercises ──────────────────────────────────────────────────────

/// The outcome of an exercise's tests.
#[derive(Debug)]
struct Outcome {
    /// Every test that ran, std first, then loom.
    cases: Vec<TestCase>,
    /// A build or a run that gave no report.
    broken: Vec<String>,
    /// Loom's checks were not run because the plain tests fail.
    loom_skipped: bool,
}

impl Outcome {
    fn passes(&self) -> bool {
        self.broken.is_empty() && !self.loom_skipped && !self.cases.is_empty() && self.cases.iter().all(|c| c.passed)
    }

    fn failed(&self) -> impl Iterator<Item = &TestCase> {
        self.cases.iter().filter(|c| !c.passed)
    }
}

/// Builds and runs exercises' tests.
///
/// Every run builds first, even when nothing changed: the builds with other
/// features write the same `target/debug/lab_…` binaries (those that
/// `CARGO_BIN_EXE_…` names), and a fresh `cargo test --no-run` puts back the ones
/// of this build. It costs a fraction of a second.
struct Builds<'a> {
    root: PathBuf,
    labs: &'a Labs,
    /// The builds already announced on stderr.
    announced: RefCell<BTreeSet<String>>,
}

impl<'a> Builds<'a> {
    fn new(labs: &'a Labs) -> Self {
        Builds { root: root(), labs, announced: RefCell::new(BTreeSet::new()) }
    }

    /// The programs of every exercise of `chapter` of this kind.
    fn programs(&self, chapter: u32, source: Source, kind: Kind) -> Result<BTreeMap<String, PathBuf>, String> {
        let lab = self.labs.lab(chapter).expect("every exercise's chapter has a lab");
        let targets: Vec<&str> = self
            .labs
            .of_chapter(chapter)
            .flat_map(|e| if kind == Kind::Loom { &e.loom } else { &e.tests })
            .map(String::as_str)
            .collect();
        let announce = self.announced.borrow_mut().insert(format!("{chapter} {source} {kind:?}"));
        build(&self.root, lab, source, kind, &targets, announce).map_err(|e| match e {
            BuildError::Compile(errors) => format!("{} does not compile with {source}:\n{errors}", lab.krate),
            BuildError::Cargo(why) => format!("cargo could not build {}: {why}", lab.krate),
        })
    }

    /// Run an exercise's tests: the plain ones, then (if they pass, or `always`)
    /// loom's.
    fn run(&self, e: &Exercise, source: Source, always_loom: bool) -> Outcome {
        let mut outcome = Outcome { cases: Vec::new(), broken: Vec::new(), loom_skipped: false };
        for kind in [Kind::Std, Kind::Loom] {
            let targets = if kind == Kind::Loom { &e.loom } else { &e.tests };
            if targets.is_empty() {
                continue;
            }
            if kind == Kind::Loom && !always_loom && !outcome.passes() {
                outcome.loom_skipped = true;
                continue;
            }
            let root = self.root.clone();
            let lab = self.labs.lab(e.chapter).expect("every exercise's chapter has a lab").clone();
            let programs = match self.programs(e.chapter, source, kind) {
                Ok(p) => p,
                Err(why) => {
                    outcome.broken.push(why);
                    continue;
                }
            };
            for t in targets {
                match programs.get(t) {
                    None => outcome.broken.push(format!("cargo built no test program for {t}")),
                    Some(program) => match run_target(&root, &lab, t, program, kind) {
                        Ok(cases) => outcome.cases.extend(cases),
                        Err(why) => outcome.broken.push(why),
                    },
                }
            }
        }
        outcome
    }
}

fn count_line(o: &Outcome) -> String {
    let passed = o.cases.iter().filter(|c| c.passed).count();
    format!("{passed} of {} tests pass", o.cases.len())
}

fn check(labs: &Labs, names: &[String]) -> ExitCode {
    let builds = Builds::new(labs);
    let mut failing = Vec::new();
    for name in names {
        let e = labs.exercise(name).expect("checked by the parser");
        let o = builds.run(e, Source::Student, false);
        println!();
        println!("{}: {} ({})", e.name, e.title, e.file);
        for why in &o.broken {
            for line in why.lines().take(40) {
                println!("  {line}");
            }
        }
        for case in o.failed() {
            explain(case);
        }
        if o.loom_skipped {
            println!("  (loom's model checks, {}, run once the tests above pass)", e.loom.join(", "));
        }
        if o.passes() {
            println!("  PASS: {}; {}", count_line(&o), e.passing);
        } else {
            println!("  {}", count_line(&o));
            println!("  hint: {}", e.hint);
            failing.push(e.name.clone());
        }
    }
    println!();
    if failing.is_empty() {
        println!("every exercise checked passes");
        ExitCode::SUCCESS
    } else {
        println!("not passing yet: {}", failing.join(", "));
        ExitCode::FAILURE
    }
}

fn status_word(o: &Outcome) -> &'static str {
    if o.passes() {
        "passes"
    } else if o.broken.iter().any(|b| b.contains("does not compile")) {
        "does not compile"
    } else if o.failed().any(|c| c.output.contains("did not finish within")) {
        "hangs"
    } else {
        "not yet"
    }
}

fn list(labs: &Labs) -> ExitCode {
    let builds = Builds::new(labs);
    let mut rows = Vec::new();
    for e in &labs.exercise {
        let o = builds.run(e, Source::Student, false);
        rows.push((e, status_word(&o), count_line(&o)));
    }
    let w = labs.exercise.iter().map(|e| e.name.len()).max().unwrap_or(8).max(8);
    println!();
    println!("{:<w$}  {:<16}  {:<20}  file", "exercise", "status", "tests");
    let mut last = 0;
    for (e, status, tests) in &rows {
        if e.chapter != last {
            let lab = labs.lab(e.chapter).expect("every exercise's chapter has a lab");
            println!("── chapter {}: {}", e.chapter, lab.title);
            last = e.chapter;
        }
        println!("{:<w$}  {status:<16}  {tests:<20}  {}", e.name, e.file);
    }
    let passing = rows.iter().filter(|r| r.1 == "passes").count();
    if passing == rows.len() {
        println!("\nall {passing} exercises pass");
    } else {
        println!("\n{passing} of {} exercises pass. `cookbook lab next` says what to do next.", rows.len());
    }
    if passing == rows.len() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn next(labs: &Labs) -> ExitCode {
    let builds = Builds::new(labs);
    for e in &labs.exercise {
        let o = builds.run(e, Source::Student, false);
        if !o.passes() {
            println!();
            println!("next: {} ({})", e.name, status_word(&o));
            print_step(e);
            return ExitCode::FAILURE;
        }
    }
    println!("every exercise passes: well done");
    ExitCode::SUCCESS
}

fn recipe_page(recipe: &str) -> String {
    index::recipes()
        .into_iter()
        .find(|r| r.name == recipe)
        .map_or_else(|| recipe.to_string(), |r| format!("{recipe} (recipes/src/ch{:02}/{recipe}.md)", r.chapter))
}

fn print_step(e: &Exercise) {
    println!("   {}", e.title);
    println!("   edit:       {}", e.file);
    println!("   read first: {}", recipe_page(&e.recipe));
    println!("   task:       {}", e.task);
    println!("   check:      cookbook lab check {}", e.name);
    println!("   hint:       cookbook lab hint {}", e.name);
}

fn overview(labs: &Labs) -> ExitCode {
    println!("The labs: one per chapter, exercises whose tests say whether your code does what");
    println!("the chapter teaches. Edit the starters in labs/chNN/src/, then check them.\n");
    for lab in &labs.lab {
        let names: Vec<_> = labs.of_chapter(lab.chapter).map(|e| e.name.as_str()).collect();
        println!("  chapter {}: {} ({} exercises: {})", lab.chapter, lab.title, names.len(), names.join(", "));
    }
    println!();
    println!("  cookbook lab 1                 the steps of chapter 1's lab");
    println!("  cookbook lab list              every exercise, and whether it passes now");
    println!("  cookbook lab next              the first exercise that does not pass yet");
    println!("  cookbook lab check EXERCISE    run its tests on your copy");
    println!("  cookbook lab hint EXERCISE     its hint");
    println!("  cookbook lab reset EXERCISE    give the starter back");
    ExitCode::SUCCESS
}

fn steps(labs: &Labs, chapter: u32) -> ExitCode {
    let lab = labs.lab(chapter).expect("checked by the parser");
    println!("Lab of chapter {chapter}: {}", lab.title);
    println!("The page: {} (the solutions, behind a warning: {})", lab.page, lab.solutions_page);
    println!("The crate: {} in {}/", lab.krate, lab.dir);
    for (i, e) in labs.of_chapter(chapter).enumerate() {
        println!();
        println!("{}. {}", i + 1, e.name);
        print_step(e);
        println!("   passing:    {}", e.passing);
    }
    ExitCode::SUCCESS
}

fn reset(labs: &Labs, name: &str) -> ExitCode {
    let e = labs.exercise(name).expect("checked by the parser");
    let status = Command::new("git").current_dir(root()).args(["checkout", "HEAD", "--", &e.file]).status();
    match status {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => missing_git(),
        Err(err) => {
            eprintln!("cookbook: cannot run git: {err}");
            ExitCode::FAILURE
        }
        Ok(s) if s.success() => {
            println!("{} is the starter of {} again (as of your last commit)", e.file, e.name);
            ExitCode::SUCCESS
        }
        Ok(s) if s.code() == Some(128) => missing_git(),
        Ok(_) => ExitCode::FAILURE,
    }
}

// ── Verify: what CI proves ──────────────────────────────────────────────────

/// Whether every failure of `o` is one of the expected reasons.
fn every_failure_is<'c>(o: &'c Outcome, reasons: &[String]) -> Result<(), &'c TestCase> {
    match o.failed().find(|c| !reasons.iter().any(|r| c.output.contains(r.as_str()))) {
        Some(c) => Err(c),
        None => Ok(()),
    }
}

/// The starters as committed? `None` when git cannot tell.
fn starters_modified(labs: &Labs, chapters: &[u32]) -> Option<Vec<String>> {
    let files: Vec<&str> =
        labs.exercise.iter().filter(|e| chapters.contains(&e.chapter)).map(|e| e.file.as_str()).collect();
    let out = Command::new("git")
        .current_dir(root())
        .args(["diff", "--name-only", "HEAD", "--"])
        .args(&files)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect())
}

fn verify(labs: &Labs, chapter: Option<u32>) -> ExitCode {
    let chapters: Vec<u32> =
        labs.lab.iter().map(|l| l.chapter).filter(|c| chapter.is_none_or(|only| only == *c)).collect();
    let mut problems: Vec<String> = Vec::new();
    match starters_modified(labs, &chapters) {
        Some(changed) if !changed.is_empty() => {
            eprintln!(
                "cookbook lab verify proves the committed starters, but these are edited: {}",
                changed.join(", ")
            );
            eprintln!("commit them, or give the starters back with `cookbook lab reset EXERCISE`");
            return ExitCode::FAILURE;
        }
        Some(_) => {}
        None => println!("(not a git checkout: the starters are taken as they are)"),
    }
    let builds = Builds::new(labs);
    let mut lines = Vec::new();
    for e in labs.exercise.iter().filter(|e| chapters.contains(&e.chapter)) {
        // 1. The solution passes every test, loom's included.
        let sol = builds.run(e, Source::Solution, true);
        let std_n = sol.cases.iter().filter(|c| !c.name.starts_with("loom")).count();
        let loom_n = sol.cases.len() - std_n;
        if sol.passes() {
            lines.push(format!(
                "{:<16} solution  passes all {} tests ({std_n} plain, {loom_n} loom)",
                e.name,
                sol.cases.len()
            ));
        } else {
            for c in sol.failed() {
                explain(c);
            }
            problems.push(format!(
                "{}: the solution does not pass: {} {}",
                e.name,
                count_line(&sol),
                sol.broken.join("; ")
            ));
        }
        // 2. The starter compiles, and fails every test for the intended reason.
        let st = builds.run(e, Source::Student, true);
        let failed = st.failed().count();
        if !st.broken.is_empty() {
            problems.push(format!("{}: the starter gave no report: {}", e.name, st.broken.join("; ")));
        } else if failed != st.cases.len() || st.cases.is_empty() {
            let passing: Vec<_> = st.cases.iter().filter(|c| c.passed).map(|c| c.name.as_str()).collect();
            problems.push(format!(
                "{}: tests that pass on the starter check nothing of it: {}",
                e.name,
                passing.join(", ")
            ));
        } else if let Err(c) = every_failure_is(&st, &e.starter_fails_with) {
            explain(c);
            problems
                .push(format!("{}: {} fails on the starter, but not with {:?}", e.name, c.name, e.starter_fails_with));
        } else {
            lines.push(format!(
                "{:<16} starter   fails all {failed} tests, each with {}",
                e.name,
                e.starter_fails_with.iter().map(|r| format!("{r:?}")).collect::<Vec<_>>().join(" or ")
            ));
        }
        // 3. Each known-wrong variant fails the tests meant to catch it.
        for w in labs.wrong.iter().filter(|w| w.exercise == e.name) {
            let o = builds.run(e, Source::Wrong(&w.feature), true);
            let mut missed = Vec::new();
            for name in &w.fails {
                match o.cases.iter().find(|c| &c.name == name) {
                    Some(c) if !c.passed && w.fails_with.iter().any(|r| c.output.contains(r.as_str())) => {}
                    Some(c) if !c.passed => missed.push(format!("{name} fails, but not with {:?}", w.fails_with)),
                    Some(_) => missed.push(format!("{name} passes")),
                    None => missed.push(format!("{name} did not run")),
                }
            }
            if !o.broken.is_empty() {
                missed.push(format!("no report: {}", o.broken.join("; ")));
            }
            let caught: Vec<_> = o.failed().map(|c| c.name.as_str()).collect();
            if missed.is_empty() {
                lines.push(format!(
                    "{:<16} {}  fails {} of {} tests ({}): {}",
                    e.name,
                    w.feature,
                    caught.len(),
                    o.cases.len(),
                    caught.join(", "),
                    w.mistake
                ));
            } else {
                problems.push(format!(
                    "{}: {} ({}) is not caught: {}",
                    e.name,
                    w.feature,
                    w.mistake,
                    missed.join("; ")
                ));
            }
        }
    }
    println!();
    for l in &lines {
        println!("{l}");
    }
    println!();
    if problems.is_empty() {
        println!("labs verified: every solution passes, every starter and known-wrong variant fails as intended");
        ExitCode::SUCCESS
    } else {
        for p in &problems {
            println!("PROBLEM {p}");
        }
        ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "\nrunning 3 tests\ntest counts ... FAILED\ntest waits ... ok\ntest loses ... FAILED\n\nfailures:\n\n---- counts stdout ----\n\nthread 'counts' (5041) panicked at labs/ch02/src/semaphore.rs:35:9:\nnot yet implemented: Semaphore::acquire\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n---- loses stdout ----\nthread '<unnamed>' panicked at labs/ch02/src/counter.rs:3:1:\nattempt to subtract with overflow\nthread 'loses' panicked at labs/ch02/tests/counter.rs:30:5:\n12 of 8000 increments were lost\nsecond line\n\n\nfailures:\n    counts\n    loses\n\ntest result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n\n";

    #[test]
    fn libtest_reports_are_read() {
        let cases = parse_libtest("semaphore", REPORT);
        let names: Vec<_> = cases.iter().map(|c| (c.name.as_str(), c.passed)).collect();
        assert_eq!(names, [("semaphore::counts", false), ("semaphore::waits", true), ("semaphore::loses", false)]);
        assert_eq!(
            cases[0].panics,
            [Panic {
                location: "labs/ch02/src/semaphore.rs:35:9".into(),
                message: "not yet implemented: Semaphore::acquire".into()
            }]
        );
        assert_eq!(cases[2].panics.len(), 2);
        assert_eq!(cases[2].panics[1].message, "12 of 8000 increments were lost\nsecond line");
        assert!(in_lab_code(&cases[2].panics[0]) && !in_lab_code(&cases[2].panics[1]));
        assert!(cases[1].output.is_empty() && cases[2].output.contains("were lost"));
        assert!(parse_libtest("x", "no report at all").is_empty());
    }

    #[test]
    fn cargo_messages_give_programs_and_errors() {
        let json = r#"{"reason":"compiler-artifact","profile":{"test":true},"target":{"name":"queue","kind":["test"]},"executable":"/t/queue-1"}
{"reason":"compiler-artifact","profile":{"test":false},"target":{"name":"lab_ch02","kind":["lib"]},"executable":null}
{"reason":"compiler-message","message":{"level":"warning","rendered":"warning: unused"}}
{"reason":"compiler-message","message":{"level":"error","rendered":"error[E0308]: mismatched types\n"}}
not json"#;
        let r = read_build(json);
        assert_eq!(r.programs.len(), 1);
        assert_eq!(r.programs["queue"], PathBuf::from("/t/queue-1"));
        assert_eq!(r.errors, ["error[E0308]: mismatched types"]);
    }

    #[test]
    fn known_failures_are_put_in_plain_words() {
        assert!(plain_words("not yet implemented: blocks").unwrap().contains("todo!()"));
        assert!(plain_words("deadlock; threads = [(0, Blocked)]").unwrap().contains("lost wake-up"));
        assert_eq!(plain_words("assertion failed: x"), None);
    }

    #[test]
    fn chapters_are_read_in_several_spellings() {
        for s in ["2", "02", "ch2", "ch02"] {
            assert_eq!(parse_chapter(s), Some(2), "{s}");
        }
        for s in ["", "ch", "x2", "2.5", "-1", "ch002"] {
            assert_eq!(parse_chapter(s), None, "{s}");
        }
    }

    #[test]
    fn sources_choose_features() {
        assert_eq!(Source::Student.features(), None);
        assert_eq!(Source::Solution.features().as_deref(), Some("solution"));
        assert_eq!(Source::Wrong("wrong-x").features().as_deref(), Some("solution,wrong-x"));
    }

    #[test]
    fn the_built_in_index_parses() {
        let labs = labs();
        assert!(!labs.exercise.is_empty());
        assert!(labs.exercise.iter().all(|e| labs.lab(e.chapter).is_some()));
    }
}

//! Timelines: `--trace FILE` records what each thread and process of a run did.
//!
//! A recipe run with `--trace run.json` writes a trace in the Chrome trace-event
//! JSON format: open it in Perfetto (ui.perfetto.dev, which runs offline in the
//! browser) or in `chrome://tracing`, or draw it with
//! `cookbook timeline run.json -o run.svg`. Without the flag nothing is installed:
//! the spans below stay in the program, and each costs one relaxed load of a
//! static and a branch (`support/benches/trace_off.rs` measures it).
//!
//! ## Adding a span: one line per event
//!
//! A recipe adds a span per event of its lesson, one line each, with the
//! `tracing` crate. The span's *name* is its kind, which the timeline colours:
//!
//! | name | when | fields |
//! | --- | --- | --- |
//! | `run` | a worker's whole run (a thread, a task, a rank) | `worker` |
//! | `wait` | blocked on a lock, semaphore, condition, event, barrier or queue item | `on` |
//! | `hold` | holding a lock | `lock` |
//! | `sleep` | a sleep of the book's listing ([`sleep`] records it) | |
//! | `child` | a child process, from spawn to exit ([`crate::child`] records it) | `pid` |
//! | `process` | the whole recording of one process, in its main lane (the session records it) | `name` |
//!
//! ```
//! let _run = tracing::info_span!("run", worker = 1).entered();
//! {
//!     let _wait = tracing::info_span!("wait", on = "lock").entered();
//!     // let guard = lock.lock().unwrap();
//! }
//! ```
//!
//! What becomes a bar:
//!
//! - **A span is drawn while it is entered**, in the lane of the thread that
//!   entered it: `.entered()` from that line to the end of the block (or to
//!   `drop`). A span created in one thread and entered in another (a `run` span
//!   moved into `thread::spawn`) is drawn in the thread that ran it. An async
//!   task's span (`.instrument(span)`) is entered at each poll, so it is drawn as
//!   one bar per poll: the gaps are its `.await`s, when the task gave the thread
//!   away.
//! - **A span that is never entered** is drawn from its creation to its end, in
//!   the lane of the thread that created it, or, when it has a `pid` field, in the
//!   main lane of that process. That is how `child` spans, held by the parent
//!   from spawn to reap, draw each child's life in the child's own lane.
//! - An event (`tracing::info!("…")`) is an instant mark.
//!
//! Lanes are named after the threads (`thread::Builder::name`; the main thread is
//! `main`) and processes are named after the program and its role.
//!
//! ## Children, ranks and workers: one trace from several processes
//!
//! Every process writes its own *part* of the trace, tagged with its own pid, and
//! one process merges the parts into the trace file:
//!
//! - **Children** ([`crate::child`]). [`start`] with a path exports
//!   `COOKBOOK_TRACE_PARTS` ([`PARTS_ENV`]), a folder of parts, to every process
//!   started after it. A child's [`crate::child::role`] calls [`start_child`],
//!   which finds the folder and records the child's part; the part is written
//!   when the child ends (its role dropped, a return from `main`, or
//!   `process::exit`). Grandchildren write into the same folder. When the
//!   parent's session ends, after its children are reaped, it merges every part
//!   into the trace file and removes the folder.
//! - **Programs with several roles** (a Celery worker started by the recipe's
//!   `demo`, a server and its client): the subcommand calls `args.trace.start()`
//!   as every `main` does. Without `--trace` of its own, [`start`] finds the
//!   parent's folder in the environment and records a part, so the demo's trace
//!   shows the worker too. A worker started by hand on another machine is run
//!   with its own `--trace worker.json`, and the two files are drawn together:
//!   `cookbook timeline demo.json worker.json -o both.svg` merges them.
//! - **MPI ranks.** `mpirun -n 4 recipe --trace run.json` gives every rank the
//!   same flag. [`start`] sees the launcher's rank variables
//!   (`OMPI_COMM_WORLD_RANK`/`OMPI_COMM_WORLD_SIZE`, or `PMI_RANK`/`PMI_SIZE`) and
//!   records a part per rank, `run.json.parts/rank-N.json`, beside the trace file
//!   (so the folder must be one that every rank sees: the working directory, on
//!   localhost or a shared file system). Rank 0, when its session ends, waits for
//!   every rank's part (up to [`RANK_WAIT`]), merges them and removes the folder.
//!   A recipe needs no MPI call for this; each rank's lanes are named
//!   `recipe rank N`. Parts of another job (another `PMIX_NAMESPACE` or
//!   `OMPI_MCA_ess_base_jobid`) left in the folder are not merged.
//!
//! **One clock.** Each part records its origin on `CLOCK_MONOTONIC`, which every
//! process of one Linux machine shares, with the machine's boot id, and its origin
//! on the wall clock. Merging shifts a part by the difference of the monotonic
//! origins when it comes from the same boot of the same machine (exact), and by
//! the difference of the wall-clock origins otherwise (as good as the machines'
//! clock synchronisation: milliseconds under NTP).
//!
//! ## Checking a trace
//!
//! [`check`] tests a trace against the trace-event format's rules for the
//! phases written here, and against the nesting that Perfetto's importer needs
//! (complete events of one thread either nest or do not overlap). The root test
//! `tests/timeline.rs` runs it on a trace of every recipe. Perfetto itself (its
//! trace processor or UI) cannot be fetched on the machines this project is
//! built on, so the traces were also checked once against a JSON Schema written
//! from the format's specification (every recipe's trace passed); to check one
//! by eye, open it in ui.perfetto.dev.
//!
//! ## Design note: why not `tracing-chrome`
//!
//! `tracing-chrome` (0.7) is the obvious `tracing` layer for this format, and it
//! was read before this module was written. It does not fit a trace made of
//! several processes:
//!
//! - **pid and tid:** every event has `"pid": 1`; tids are its own counter from 0
//!   in the order threads first record. Parts from several processes would
//!   collide on both, and a child's lanes could not be found from its pid.
//! - **timestamps:** microseconds since an `Instant` taken when the layer is built
//!   and kept private, so parts from several processes cannot be put on one
//!   clock.
//! - **span styles:** `Threaded` writes `B`/`E` at enter and exit, so a span that
//!   is never entered (a child's life, held from spawn to reap) does not appear;
//!   `Async` writes every span as an async `b`/`e` pair keyed by its root span,
//!   which moves all spans off the thread lanes that the lessons are about.
//! - **flushing:** a writer thread fed by a channel, joined when its guard drops;
//!   a file that cannot be created panics in that thread, and a recipe that calls
//!   `process::exit` loses its trace.
//!
//! This module is instead a small `tracing-subscriber` [`Layer`] over the
//! `Registry` (which keeps the span ids, parents and per-span data), writing
//! complete `X` events with the real pid and tid, metadata events that name the
//! lanes, and each part's clock origins; spans are buffered per thread (one
//! uncontended lock per span, so a recording does not serialise the threads it
//! observes) and written once, at the end of the session or at `exit`.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

/// The JSON value of a trace event (serde_json's), for readers of [`TraceFile`].
pub use serde_json::Value;
use serde_json::{Map, json};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::Registry;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// The environment variable that tells a child process where to write its part
/// of its parent's trace (a folder).
pub const PARTS_ENV: &str = "COOKBOOK_TRACE_PARTS";

/// How long MPI rank 0 waits for the other ranks' parts before it writes the
/// trace without the missing ones.
pub const RANK_WAIT: Duration = Duration::from_secs(30);

/// A recording in progress; dropping it writes the trace (or this process's part
/// of it). A `Session` that records nothing is also a `Session`: [`start`] without
/// a path, outside a traced parent, returns one.
#[derive(Debug, Default)]
pub struct Session {
    store: Option<Arc<Store>>,
}

impl Session {
    /// Whether this session records anything.
    pub fn is_recording(&self) -> bool {
        self.store.is_some()
    }

    /// Write the trace now and say whether that worked (dropping the session does
    /// the same, and prints a failure on stderr).
    pub fn finish(mut self) -> io::Result<()> {
        match self.store.take() {
            Some(store) => store.finish(),
            None => Ok(()),
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Some(store) = self.store.take() {
            report(store.finish());
        }
    }
}

/// Start recording to `path`, or nothing at all when `None`.
///
/// Call it first thing in `main`, before any thread is started (it sets
/// [`PARTS_ENV`] in this process's environment for the children to inherit). A
/// path that cannot be written ends the program with exit status 2 and one line
/// on stderr. Without a path, in a process started by a traced parent (a role
/// of a several-program recipe), it records this process's part, as
/// [`start_child`] does. Under an MPI launcher with more than one rank, each rank
/// records a part and rank 0 writes the trace (see the module's documentation).
pub fn start(path: Option<&Path>) -> Session {
    let Some(path) = path else {
        return start_child().unwrap_or_default();
    };
    if let Err(e) = fs::File::create(path) {
        eprintln!("{}: cannot write the trace to {}: {e}", program(), path.display());
        std::process::exit(crate::EXIT_BAD_INPUT);
    }
    let (output, parts) = match mpi_rank() {
        Some((rank, size)) if size > 1 => {
            let parts = sibling(path, ".parts");
            (Output::Rank { path: path.to_path_buf(), parts: parts.clone(), rank, size }, parts)
        }
        _ => {
            let parts = std::env::temp_dir().join(format!("cookbook-trace-{}-{}", std::process::id(), mono_ns()));
            (Output::Root { path: path.to_path_buf(), parts: parts.clone() }, parts)
        }
    };
    if let Err(e) = fs::create_dir_all(&parts) {
        eprintln!("{}: cannot make the folder of the trace's parts {}: {e}", program(), parts.display());
        std::process::exit(crate::EXIT_BAD_INPUT);
    }
    let parts = fs::canonicalize(&parts).unwrap_or(parts);
    // SAFETY: `start` is called at the top of `main`, before the recipe starts a
    // thread, so no other thread reads the environment while it changes.
    unsafe { std::env::set_var(PARTS_ENV, &parts) };
    install(output)
}

/// In a child process: start recording this process's part of its parent's trace,
/// when the parent is recording (when [`PARTS_ENV`] names a folder).
pub fn start_child() -> Option<Session> {
    let dir = std::env::var_os(PARTS_ENV).filter(|d| !d.is_empty())?;
    let session = install(Output::Part { dir: PathBuf::from(dir) });
    session.is_recording().then_some(session)
}

/// Sleep `d`, recorded as a `sleep` span.
pub fn sleep(d: Duration) {
    let _span = tracing::info_span!("sleep").entered();
    std::thread::sleep(d);
}

// ── The recording ───────────────────────────────────────────────────────────

/// What this process records, and where it goes when it ends.
#[derive(Debug)]
struct Store {
    /// Tells the stores of one process apart (the lane cache is per store).
    id: usize,
    origin: Origin,
    process_name: String,
    lanes: Mutex<Vec<Arc<Lane>>>,
    /// `None` once written.
    output: Mutex<Option<Output>>,
}

/// One thread's events.
#[derive(Debug)]
struct Lane {
    tid: u32,
    /// The thread's name; `None` for a thread without one.
    name: Option<String>,
    events: Mutex<Vec<Value>>,
}

#[derive(Debug, Clone)]
enum Output {
    /// The trace file, and the folder where children write their parts.
    Root { path: PathBuf, parts: PathBuf },
    /// A child's part, into its parent's folder.
    Part { dir: PathBuf },
    /// An MPI rank's part; rank 0 merges.
    Rank { path: PathBuf, parts: PathBuf, rank: usize, size: usize },
}

/// The one session of this process, for the `exit` hook.
static ACTIVE: OnceLock<Arc<Store>> = OnceLock::new();

fn install(output: Output) -> Session {
    let process_name = match &output {
        Output::Rank { rank, .. } => format!("{} rank {rank}", program()),
        _ => program_and_role(),
    };
    let store = Arc::new(Store::new(process_name, Some(output)));
    if ACTIVE.set(Arc::clone(&store)).is_err() {
        return Session::default(); // a session is already recording
    }
    let subscriber = Registry::default().with(Recorder { store: Arc::clone(&store) });
    if tracing::subscriber::set_global_default(subscriber).is_err() {
        eprintln!("{}: --trace: another tracing subscriber is installed; nothing is recorded", program());
        return Session::default();
    }
    // A recipe that ends with `process::exit` still writes its trace.
    unsafe extern "C" {
        fn atexit(callback: extern "C" fn()) -> std::ffi::c_int;
    }
    extern "C" fn at_exit() {
        if let Some(store) = ACTIVE.get() {
            report(store.finish());
        }
    }
    // SAFETY: `atexit` registers a plain function, which runs once at `exit`.
    unsafe { atexit(at_exit) };
    Session { store: Some(store) }
}

fn report(result: io::Result<()>) {
    if let Err(e) = result {
        eprintln!("{}: the trace was not written: {e}", program());
    }
}

impl Store {
    fn new(process_name: String, output: Option<Output>) -> Store {
        static IDS: AtomicUsize = AtomicUsize::new(0);
        let id = IDS.fetch_add(1, Ordering::Relaxed);
        Store { id, origin: Origin::now(), process_name, lanes: Mutex::new(Vec::new()), output: Mutex::new(output) }
    }

    /// Microseconds since this store's origin.
    fn ts(&self, mono: u64) -> f64 {
        mono.saturating_sub(self.origin.monotonic_ns) as f64 / 1000.0
    }

    /// Append `event` to the calling thread's lane.
    fn push(&self, event: Value) {
        let lane = LANE.try_with(|cached| {
            let mut cached = cached.borrow_mut();
            match &*cached {
                Some((owner, lane)) if *owner == self.id => Arc::clone(lane),
                _ => {
                    let lane = self.new_lane(true);
                    *cached = Some((self.id, Arc::clone(&lane)));
                    lane
                }
            }
        });
        // During the thread's own teardown its cache is gone: a lane is made anew.
        let lane = lane.unwrap_or_else(|_| self.new_lane(false));
        lane.events.lock().unwrap_or_else(PoisonError::into_inner).push(event);
    }

    fn new_lane(&self, named: bool) -> Arc<Lane> {
        let tid = gettid();
        let name = if tid == std::process::id() {
            Some("main".to_string())
        } else if named {
            std::thread::current().name().map(str::to_string)
        } else {
            None
        };
        let lane = Arc::new(Lane { tid, name, events: Mutex::new(Vec::new()) });
        self.lanes.lock().unwrap_or_else(PoisonError::into_inner).push(Arc::clone(&lane));
        lane
    }

    /// This process's events, with the metadata that names its lanes; with
    /// `life`, also the process's life (a `process` span in the main lane, from
    /// the session's start to now), so that every process has its main lane and
    /// what its threads did lies inside it.
    fn document(&self, life: bool) -> TraceFile {
        let pid = std::process::id();
        let mut events = vec![meta("process_name", pid, pid, json!({ "name": self.process_name }))];
        let lanes = self.lanes.lock().unwrap_or_else(PoisonError::into_inner);
        // Lanes in the order their threads began something, the main thread first.
        let mut by_tid: BTreeMap<u32, (Option<String>, Vec<Value>)> = BTreeMap::new();
        for lane in lanes.iter() {
            let entry = by_tid.entry(lane.tid).or_insert_with(|| (None, Vec::new()));
            entry.0 = entry.0.take().or_else(|| lane.name.clone());
            entry.1.extend(lane.events.lock().unwrap_or_else(PoisonError::into_inner).drain(..));
        }
        if life {
            let main = by_tid.entry(pid).or_insert_with(|| (Some("main".to_string()), Vec::new()));
            main.1.push(json!({
                "name": "process", "cat": "cookbook", "ph": "X", "ts": 0.0, "dur": self.ts(mono_ns()),
                "pid": pid, "tid": pid, "args": { "name": self.process_name },
            }));
        }
        let first = |evs: &[Value]| evs.iter().filter_map(|e| e["ts"].as_f64()).fold(f64::INFINITY, f64::min);
        let mut order: Vec<(u32, f64)> = by_tid.iter().map(|(&tid, (_, evs))| (tid, first(evs))).collect();
        order.sort_by(|a, b| (a.0 != pid).cmp(&(b.0 != pid)).then(a.1.total_cmp(&b.1)).then(a.0.cmp(&b.0)));
        for (index, (tid, _)) in order.into_iter().enumerate() {
            let (name, lane_events) = by_tid.remove(&tid).unwrap_or_default();
            let name = name.unwrap_or_else(|| worker_name(tid, &lane_events));
            events.push(meta("thread_name", pid, tid, json!({ "name": name })));
            events.push(meta("thread_sort_index", pid, tid, json!({ "sort_index": index })));
            events.extend(lane_events);
        }
        TraceFile { events, origin: self.origin.clone() }
    }

    /// Write what this process recorded where it goes; only the first call does.
    fn finish(&self) -> io::Result<()> {
        let Some(output) = self.output.lock().unwrap_or_else(PoisonError::into_inner).take() else {
            return Ok(());
        };
        let mine = self.document(true);
        match output {
            Output::Part { dir } => mine.write_part(&dir, &format!("{}.json", std::process::id())),
            Output::Root { path, parts } => {
                let mut all = mine;
                all.merge_folder(&parts, |_| true)?;
                all.name_unnamed_lanes();
                all.write(&path)?;
                fs::remove_dir_all(&parts)
            }
            Output::Rank { path, parts, rank, size } => {
                mine.write_part(&parts, &format!("rank-{rank}.json"))?;
                if rank != 0 {
                    return Ok(());
                }
                let job = mine.origin.job.clone();
                let missing = wait_for_ranks(&parts, size, &job);
                if !missing.is_empty() {
                    eprintln!("{}: the trace has no part from ranks {missing:?}", program());
                }
                let mut all = TraceFile { events: Vec::new(), origin: mine.origin.clone() };
                all.merge_folder(&parts, |part| part.job == job)?;
                all.name_unnamed_lanes();
                all.write(&path)?;
                fs::remove_dir_all(&parts)
            }
        }
    }
}

/// The name of a thread that has none: the `worker` of its `run` spans when
/// they all name the same one (a scoped thread of a recipe), else `thread TID`.
fn worker_name(tid: u32, events: &[Value]) -> String {
    let workers: BTreeSet<String> = events
        .iter()
        .filter(|e| e["name"] == "run" && e["tid"] == tid)
        .filter_map(|e| match &e["args"]["worker"] {
            Value::String(w) => Some(w.clone()),
            Value::Null => None,
            other => Some(format!("worker {other}")),
        })
        .collect();
    match workers.into_iter().collect::<Vec<_>>().as_slice() {
        [one] => one.clone(),
        _ => format!("thread {tid}"),
    }
}

thread_local! {
    /// The calling thread's lane, and the store it belongs to.
    static LANE: RefCell<Option<(usize, Arc<Lane>)>> = const { RefCell::new(None) };
}

/// The ranks of `0..size` whose part is not in `dir` after [`RANK_WAIT`].
fn wait_for_ranks(dir: &Path, size: usize, job: &Option<String>) -> Vec<usize> {
    let deadline = Instant::now() + RANK_WAIT;
    loop {
        let missing: Vec<usize> = (0..size)
            .filter(|r| {
                let part = read(&dir.join(format!("rank-{r}.json")));
                !part.is_ok_and(|p| p.origin.job == *job)
            })
            .collect();
        if missing.is_empty() || Instant::now() >= deadline {
            return missing;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The `tracing-subscriber` layer that records spans as complete events.
struct Recorder {
    store: Arc<Store>,
}

/// What the layer keeps with each span.
struct SpanData {
    args: Map<String, Value>,
    created: u64,
    /// Start times of the enters not yet exited (a span may be entered again
    /// before it is exited, on another thread or recursively).
    enters: Vec<u64>,
    entered: bool,
}

impl<S> Layer<S> for Recorder
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut args = Map::new();
        attrs.record(&mut Fields(&mut args));
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(SpanData { args, created: mono_ns(), enters: Vec::new(), entered: false });
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id)
            && let Some(data) = span.extensions_mut().get_mut::<SpanData>()
        {
            values.record(&mut Fields(&mut data.args));
        }
    }

    fn on_enter(&self, id: &Id, ctx: Context<'_, S>) {
        let now = mono_ns();
        if let Some(span) = ctx.span(id)
            && let Some(data) = span.extensions_mut().get_mut::<SpanData>()
        {
            data.enters.push(now);
        }
    }

    fn on_exit(&self, id: &Id, ctx: Context<'_, S>) {
        let now = mono_ns();
        let Some(span) = ctx.span(id) else { return };
        let mut ext = span.extensions_mut();
        let Some(data) = ext.get_mut::<SpanData>() else { return };
        let Some(start) = data.enters.pop() else { return };
        data.entered = true;
        let pid = std::process::id();
        let event = self.slice(span.name(), span.metadata().target(), start, now, pid, None, &data.args);
        drop(ext);
        self.store.push(event);
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let now = mono_ns();
        let Some(span) = ctx.span(&id) else { return };
        let ext = span.extensions();
        let Some(data) = ext.get::<SpanData>() else { return };
        if data.entered {
            return;
        }
        // Never entered: its whole life, in the lane of the process it names.
        let pid = data.args.get("pid").and_then(Value::as_u64).and_then(|p| u32::try_from(p).ok());
        let event = match pid {
            Some(p) => self.slice(span.name(), span.metadata().target(), data.created, now, p, Some(p), &data.args),
            None => {
                let me = std::process::id();
                self.slice(span.name(), span.metadata().target(), data.created, now, me, None, &data.args)
            }
        };
        drop(ext);
        self.store.push(event);
    }

    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let now = mono_ns();
        let mut args = Map::new();
        event.record(&mut Fields(&mut args));
        let name = match args.get("message") {
            Some(Value::String(m)) => m.clone(),
            _ => event.metadata().name().to_string(),
        };
        self.store.push(json!({
            "name": name, "cat": event.metadata().target(), "ph": "i", "s": "t",
            "ts": self.store.ts(now), "pid": std::process::id(), "tid": gettid(), "args": args,
        }));
    }
}

impl Recorder {
    /// A complete event; `tid` `None` is the calling thread.
    #[allow(clippy::too_many_arguments)]
    fn slice(
        &self,
        name: &str,
        cat: &str,
        start: u64,
        end: u64,
        pid: u32,
        tid: Option<u32>,
        args: &Map<String, Value>,
    ) -> Value {
        json!({
            "name": name, "cat": cat, "ph": "X",
            "ts": self.store.ts(start), "dur": end.saturating_sub(start) as f64 / 1000.0,
            "pid": pid, "tid": tid.unwrap_or_else(gettid), "args": args,
        })
    }
}

/// Span and event fields as JSON values.
struct Fields<'a>(&'a mut Map<String, Value>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_string(), Value::String(format!("{value:?}")));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), Value::String(value.to_string()));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_string(), value.into());
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().to_string(), value.into());
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.0.insert(field.name().to_string(), value.into());
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().to_string(), value.into());
    }
}

fn meta(name: &str, pid: u32, tid: u32, args: Value) -> Value {
    json!({ "name": name, "ph": "M", "pid": pid, "tid": tid, "args": args })
}

// ── Clocks and names ────────────────────────────────────────────────────────

fn clock_ns(id: nix::time::ClockId) -> u64 {
    nix::time::clock_gettime(id)
        .map(|t| (t.tv_sec() as u64).saturating_mul(1_000_000_000).saturating_add(t.tv_nsec() as u64))
        .unwrap_or(0)
}

fn mono_ns() -> u64 {
    clock_ns(nix::time::ClockId::CLOCK_MONOTONIC)
}

fn gettid() -> u32 {
    thread_local! {
        static TID: u32 = nix::unistd::gettid().as_raw() as u32;
    }
    TID.try_with(|t| *t).unwrap_or_else(|_| nix::unistd::gettid().as_raw() as u32)
}

/// Where a part's timestamps start, on each clock, and which job it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    /// `CLOCK_MONOTONIC`, shared by every process of one boot of one machine.
    pub monotonic_ns: u64,
    /// The wall clock (`CLOCK_REALTIME`), for parts from other machines.
    pub realtime_ns: u64,
    /// This boot of this machine (`/proc/sys/kernel/random/boot_id`).
    pub boot_id: String,
    /// The MPI job, when an MPI launcher started this process.
    pub job: Option<String>,
}

impl Origin {
    fn now() -> Origin {
        let boot_id = fs::read_to_string("/proc/sys/kernel/random/boot_id").unwrap_or_default().trim().to_string();
        let job = ["PMIX_NAMESPACE", "OMPI_MCA_ess_base_jobid", "PMI_JOBID"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
        Origin { monotonic_ns: mono_ns(), realtime_ns: clock_ns(nix::time::ClockId::CLOCK_REALTIME), boot_id, job }
    }

    /// Microseconds to add to `other`'s timestamps to put them on this origin.
    pub fn offset_us(&self, other: &Origin) -> f64 {
        let (mine, theirs) = if !self.boot_id.is_empty() && self.boot_id == other.boot_id {
            (self.monotonic_ns, other.monotonic_ns)
        } else {
            (self.realtime_ns, other.realtime_ns)
        };
        (theirs as f64 - mine as f64) / 1000.0
    }

    fn to_json(&self) -> Value {
        json!({
            "clock": "CLOCK_MONOTONIC",
            "origin_monotonic_ns": self.monotonic_ns,
            "origin_realtime_ns": self.realtime_ns,
            "boot_id": self.boot_id,
            "job": self.job,
        })
    }

    fn from_json(v: &Value) -> Option<Origin> {
        Some(Origin {
            monotonic_ns: v.get("origin_monotonic_ns")?.as_u64()?,
            realtime_ns: v.get("origin_realtime_ns")?.as_u64()?,
            boot_id: v.get("boot_id")?.as_str()?.to_string(),
            job: v.get("job").and_then(Value::as_str).map(str::to_string),
        })
    }
}

fn program() -> String {
    std::env::args()
        .next()
        .and_then(|a| Path::new(&a).file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "recipe".to_string())
}

/// `recipe`, or `recipe worker` in a child started in role `worker`.
fn program_and_role() -> String {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1..3) {
        Some([marker, role]) if marker == crate::child::CHILD_ARG => format!("{} {role}", program()),
        _ => program(),
    }
}

/// `path` with `suffix` added to its file name (`run.json` → `run.json.parts`).
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// The MPI rank and world size, when an MPI launcher started this process.
fn mpi_rank() -> Option<(usize, usize)> {
    let var = |k: &str| std::env::var(k).ok().and_then(|v| v.trim().parse::<usize>().ok());
    let rank = var("OMPI_COMM_WORLD_RANK").or_else(|| var("PMI_RANK"))?;
    let size = var("OMPI_COMM_WORLD_SIZE").or_else(|| var("PMI_SIZE"))?;
    (rank < size).then_some((rank, size))
}

// ── Trace files: read, merge, write ─────────────────────────────────────────

/// A trace file of this module: its events and its clock origin.
#[derive(Debug, Clone)]
pub struct TraceFile {
    /// Chrome trace events (`X` complete, `i` instant, `M` metadata).
    pub events: Vec<Value>,
    pub origin: Origin,
}

/// Read a trace file written by this module (a trace or a part).
pub fn read(path: &Path) -> io::Result<TraceFile> {
    let text = fs::read_to_string(path)?;
    parse(&text).map_err(|why| io::Error::new(io::ErrorKind::InvalidData, format!("{}: {why}", path.display())))
}

/// [`read`] from a string.
pub fn parse(text: &str) -> Result<TraceFile, String> {
    let doc: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let events = doc.get("traceEvents").and_then(Value::as_array).ok_or("no `traceEvents` array")?.clone();
    let origin = doc
        .pointer("/otherData/cookbook")
        .and_then(Origin::from_json)
        .ok_or("no clock origin in `otherData.cookbook`: not a trace of the cookbook")?;
    Ok(TraceFile { events, origin })
}

impl TraceFile {
    /// Add `part`'s events, moved onto this file's clock; pids and tids are kept.
    pub fn merge(&mut self, part: TraceFile) {
        let shift = self.origin.offset_us(&part.origin);
        for mut e in part.events {
            if e.get("ph").and_then(Value::as_str) != Some("M")
                && let Some(ts) = e.get("ts").and_then(Value::as_f64)
            {
                e["ts"] = (ts + shift).into();
            }
            self.events.push(e);
        }
    }

    /// Merge every part (`*.json`) of `dir` that `keep` accepts.
    fn merge_folder(&mut self, dir: &Path, keep: impl Fn(&Origin) -> bool) -> io::Result<()> {
        let mut paths: Vec<PathBuf> = fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        for p in paths {
            match read(&p) {
                Ok(part) if keep(&part.origin) => self.merge(part),
                Ok(_) => {}
                Err(e) => eprintln!("{}: a part of the trace is skipped: {e}", program()),
            }
        }
        Ok(())
    }

    /// Name the lanes that no part named: a child that wrote no part of its own
    /// (not a cookbook program, or killed) is named after its `child` span.
    pub fn name_unnamed_lanes(&mut self) {
        let mut processes = BTreeSet::new();
        let mut threads = BTreeSet::new();
        let mut lanes: BTreeMap<(u64, u64), Option<String>> = BTreeMap::new();
        for e in &self.events {
            let (Some(pid), Some(tid)) = (e["pid"].as_u64(), e["tid"].as_u64()) else { continue };
            match (e["ph"].as_str(), e["name"].as_str()) {
                (Some("M"), Some("process_name")) => {
                    processes.insert(pid);
                }
                (Some("M"), Some("thread_name")) => {
                    threads.insert((pid, tid));
                }
                (Some("M"), _) => {}
                (_, Some("child")) => {
                    let label = match e["args"].get("index").and_then(Value::as_u64) {
                        Some(i) => format!("child {i} (pid {pid})"),
                        None => format!("child (pid {pid})"),
                    };
                    lanes.insert((pid, tid), Some(label));
                }
                _ => {
                    lanes.entry((pid, tid)).or_insert(None);
                }
            }
        }
        for ((pid, tid), label) in lanes {
            if processes.insert(pid) {
                let name = label.clone().unwrap_or_else(|| format!("pid {pid}"));
                self.events.push(
                    json!({ "name": "process_name", "ph": "M", "pid": pid, "tid": tid, "args": { "name": name } }),
                );
            }
            if threads.insert((pid, tid)) {
                let name = if pid == tid { "main".to_string() } else { format!("thread {tid}") };
                self.events.push(
                    json!({ "name": "thread_name", "ph": "M", "pid": pid, "tid": tid, "args": { "name": name } }),
                );
            }
        }
    }

    /// The file's JSON: metadata first, then the events in time order.
    pub fn to_json(&self) -> Value {
        let mut events = self.events.clone();
        events.sort_by(|a, b| {
            let key = |e: &Value| (e["ph"].as_str() != Some("M"), e["ts"].as_f64().unwrap_or(0.0));
            let (ka, kb) = (key(a), key(b));
            ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
        });
        json!({
            "traceEvents": events,
            "displayTimeUnit": "ms",
            "otherData": { "cookbook": self.origin.to_json() },
        })
    }

    /// Write the trace to `path`.
    pub fn write(&self, path: &Path) -> io::Result<()> {
        let mut out = BufWriter::new(fs::File::create(path)?);
        serde_json::to_writer(&mut out, &self.to_json())?;
        out.write_all(b"\n")?;
        out.flush()
    }

    /// Write into `dir` as `name`, whole or not at all (a reader never sees half
    /// a part).
    fn write_part(&self, dir: &Path, name: &str) -> io::Result<()> {
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        self.write(&tmp)?;
        fs::rename(&tmp, dir.join(name))
    }
}

/// What the Chrome trace-event format (and Perfetto's importer of it) asks of the
/// events this cookbook writes; the list of what breaks it, empty when nothing.
///
/// - every event has a string `name`, a `ph` of `X`, `i`, `B`, `E` or `M`, and
///   integer `pid` and `tid`;
/// - `X`, `i`, `B` and `E` have a number `ts` ≥ 0; `X` has a number `dur` ≥ 0;
///   `i` has a scope `s` of `t`, `p` or `g`;
/// - `M` is `process_name` or `thread_name` with a string `args.name`, or a
///   `*_sort_index` with an integer `args.sort_index`;
/// - `args`, where present, is an object;
/// - the `X` events of one thread nest: two either do not overlap or one holds
///   the other (Perfetto cuts a slice that ends after its parent).
pub fn check(trace: &TraceFile) -> Vec<String> {
    let mut wrong = Vec::new();
    // (start, end, name) of the complete events of each (pid, tid)
    type Slices = BTreeMap<(u64, u64), Vec<(f64, f64, String)>>;
    let mut slices: Slices = BTreeMap::new();
    for (i, e) in trace.events.iter().enumerate() {
        let mut bad = |why: &str| wrong.push(format!("event {i} {why}: {e}"));
        let Some(name) = e.get("name").and_then(Value::as_str) else {
            bad("has no string name");
            continue;
        };
        let (Some(pid), Some(tid)) = (e.get("pid").and_then(Value::as_u64), e.get("tid").and_then(Value::as_u64))
        else {
            bad("has no integer pid and tid");
            continue;
        };
        if e.get("args").is_some_and(|a| !a.is_object()) {
            bad("has args that are not an object");
        }
        let ph = e.get("ph").and_then(Value::as_str).unwrap_or("");
        let ts = e.get("ts").and_then(Value::as_f64);
        match ph {
            "X" | "i" | "B" | "E" if !ts.is_some_and(|t| t >= 0.0) => bad("has no ts ≥ 0"),
            _ => {}
        }
        match ph {
            "X" => match e.get("dur").and_then(Value::as_f64) {
                Some(d) if d >= 0.0 => {
                    let t = ts.unwrap_or(0.0);
                    slices.entry((pid, tid)).or_default().push((t, t + d, name.to_string()));
                }
                _ => bad("is a complete event without a dur ≥ 0"),
            },
            "i" => {
                if !matches!(e.get("s").and_then(Value::as_str), Some("t" | "p" | "g")) {
                    bad("is an instant event without a scope s of t, p or g");
                }
            }
            "B" | "E" => {}
            "M" => match name {
                "process_name" | "thread_name" => {
                    if !e["args"]["name"].is_string() {
                        bad("names nothing (args.name)");
                    }
                }
                "process_sort_index" | "thread_sort_index" => {
                    if !e["args"]["sort_index"].is_i64() {
                        bad("has no integer args.sort_index");
                    }
                }
                _ => bad("is metadata of an unknown kind"),
            },
            _ => bad("has an unknown ph"),
        }
    }
    // Nesting, with a nanosecond of slack for the rounding of microseconds.
    const SLACK: f64 = 0.001;
    for ((pid, tid), mut list) in slices {
        list.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.total_cmp(&a.1)));
        let mut open: Vec<(f64, f64, String)> = Vec::new();
        for s in list {
            while open.last().is_some_and(|o| o.1 <= s.0 + SLACK) {
                open.pop();
            }
            if let Some(o) = open.last()
                && s.1 > o.1 + SLACK
            {
                wrong.push(format!(
                    "pid {pid} tid {tid}: `{}` ({:.3}–{:.3} µs) overlaps `{}` ({:.3}–{:.3} µs) without nesting",
                    s.2, s.0, s.1, o.2, o.0, o.1
                ));
            }
            open.push(s);
        }
    }
    wrong
}

/// Recording without a global subscriber, for tests: run `f` with a recorder as
/// this thread's default subscriber, and return what it recorded (this process's
/// events, on an origin taken when the recording began).
pub fn record_local(f: impl FnOnce()) -> TraceFile {
    let store = Arc::new(Store::new(program_and_role(), None));
    let subscriber = Registry::default().with(Recorder { store: Arc::clone(&store) });
    tracing::subscriber::with_default(subscriber, f);
    store.document(false)
}

#[cfg(test)]
mod tests;

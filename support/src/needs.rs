//! What a recipe needs from outside Rust, and the one call that checks it.
//!
//! A recipe that talks to a broker, launches MPI ranks or runs a kernel asks for its
//! back end first:
//!
//! ```no_run
//! use cookbook_support::needs::{self, Need};
//!
//! let url = needs::amqp_url();
//! needs::require(Need::Broker(&url));
//! // … the listing: the broker answers …
//! ```
//!
//! When the back end is there, [`require`] returns a short description of what it
//! found (for example the OpenCL devices). When it is not, the program prints ONE
//! line on stderr, what is missing and the command that provides it, and exits with
//! status 3 ([`crate::exit::EXIT_MISSING`]):
//!
//! ```text
//! missing requirement: RabbitMQ (AMQP) at 127.0.0.1:5672: nothing listens there (Connection refused (os error 111)); to fix: scripts/brokers start (after scripts/install-deps), or set AMQP_ADDR to a broker that runs
//! ```
//!
//! [`check`] runs the same probe without exiting; `cookbook doctor` uses it, and so
//! can a test that wants to skip.
//!
//! | need | probe |
//! | --- | --- |
//! | [`Need::Mpi`] | `mpirun --version` runs, and `mpicc -show` links an MPI library |
//! | [`Need::Broker`] | `amqp://…`: the broker answers the AMQP 0-9-1 header with `Connection.Start`; `redis://…`: `PING` answers `+PONG` |
//! | [`Need::OpenCl`] | the OpenCL loader, loaded at run time, finds a platform with a device of any type (PoCL's CPU device counts) |
//! | [`Need::Cuda`] | the CUDA driver library, loaded at run time: `cuInit` succeeds and `cuDeviceGetCount` is at least 1 |
//! | [`Need::Python`] | the workspace's `.venv` imports the Python peers (celery, kombu, amqp, redis, mpi4py) |
//!
//! No probe hangs: a connection gives up after 2 s, a silent peer after 3 s.
//! The OpenCL and CUDA libraries are opened with `dlopen` (through `libloading`), so
//! nothing links against them and a machine without them still builds and runs
//! every program.
//!
//! Environment variables:
//!
//! | variable | meaning |
//! | --- | --- |
//! | `AMQP_ADDR` | the AMQP broker URL of [`amqp_url`]; default `amqp://guest:guest@127.0.0.1:5672/%2f` |
//! | `REDIS_ADDR` | the Redis URL of [`redis_url`]; default `redis://127.0.0.1:6379/` |
//! | `OCL_ICD_VENDORS` | read by the OpenCL loader (ocl-icd): the folder of `.icd` files. When it names a folder with none, the message says so |
//! | `COOKBOOK_OPENCL_LIBRARY` | the OpenCL loader to open instead of `libOpenCL.so.1` |
//! | `COOKBOOK_CUDA_LIBRARY` | the CUDA driver to open instead of `libcuda.so.1`. Naming a file that does not exist shows what a machine without a driver gets |
//! | `COOKBOOK_VENV` | the virtualenv of the Python peers, instead of `.venv` in the workspace (the folder with `recipes.toml` above the program, else above the current folder) |

use std::ffi::{OsStr, OsString, c_char, c_int, c_uint, c_void};
use std::fmt;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The loopback RabbitMQ of `scripts/brokers start`, with the explicit vhost `%2f`
/// that Celery needs (`…/` alone names an empty vhost).
pub const DEFAULT_AMQP_URL: &str = "amqp://guest:guest@127.0.0.1:5672/%2f";
/// The loopback Redis of `scripts/brokers start`.
pub const DEFAULT_REDIS_URL: &str = "redis://127.0.0.1:6379/";

/// The environment variable that names the OpenCL loader to open.
pub const OPENCL_LIBRARY_VAR: &str = "COOKBOOK_OPENCL_LIBRARY";
/// The environment variable that names the CUDA driver library to open.
pub const CUDA_LIBRARY_VAR: &str = "COOKBOOK_CUDA_LIBRARY";
/// The environment variable that names the Python peers' virtualenv.
pub const VENV_VAR: &str = "COOKBOOK_VENV";

const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
const ANSWER_TIMEOUT: Duration = Duration::from_secs(3);

const INSTALL: &str = "scripts/install-deps";
const BROKERS: &str = "scripts/brokers start (after scripts/install-deps)";

/// An outside requirement of a recipe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need<'a> {
    /// An MPI launcher (`mpirun`) and the MPI library rsmpi builds against.
    Mpi,
    /// A broker at this URL: `amqp://…` (RabbitMQ, as the book uses) or `redis://…`.
    Broker(&'a str),
    /// An OpenCL platform with at least one device, of any type.
    OpenCl,
    /// The CUDA driver and at least one NVIDIA GPU.
    Cuda,
    /// The Python peers (Celery, mpi4py) in the workspace's `.venv`.
    Python,
}

impl fmt::Display for Need<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Need::Mpi => f.write_str("MPI launcher and library"),
            Need::Broker(url) => match broker_kind(url) {
                Some(kind) => write!(f, "{} at {}", kind.name, host_port(url, kind.port)),
                None => write!(f, "broker at {url}"),
            },
            Need::OpenCl => f.write_str("OpenCL platform"),
            Need::Cuda => f.write_str("CUDA driver and GPU"),
            Need::Python => f.write_str("Python peers (.venv)"),
        }
    }
}

/// Why a need is not met: what is missing, and the command that provides it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// What is missing, on one line.
    pub what: String,
    /// The command (or package) that provides it, on one line.
    pub fix: String,
}

impl Missing {
    fn new(what: impl Into<String>, fix: impl Into<String>) -> Missing {
        Missing { what: one_line(&what.into()), fix: one_line(&fix.into()) }
    }
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; to fix: {}", self.what, self.fix)
    }
}

impl std::error::Error for Missing {}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Check a need without exiting: `Ok` with what was found, or what is missing and
/// how to get it.
pub fn check(need: &Need) -> Result<String, Missing> {
    match *need {
        Need::Mpi => probe_mpi("mpirun", "mpicc"),
        Need::Broker(url) => probe_broker(url),
        Need::OpenCl => probe_opencl(),
        Need::Cuda => probe_cuda(),
        Need::Python => match venv() {
            Some(venv) => probe_python(&venv),
            None => Err(Missing::new(
                "the cookbook's workspace (the folder with recipes.toml) is not above this program or the current folder",
                "run it from inside the cookbook's clone",
            )),
        },
    }
}

/// Require a need: return what was found, or print one line on stderr (what is
/// missing, and the command that provides it) and exit with status 3.
pub fn require(need: Need) -> String {
    match check(&need) {
        Ok(found) => found,
        Err(m) => crate::exit::missing_requirement(&m.what, &m.fix),
    }
}

// ── MPI ─────────────────────────────────────────────────────────────────────

fn probe_mpi(launcher: &str, wrapper: &str) -> Result<String, Missing> {
    let fix = format!("{INSTALL} (installs openmpi-bin and libopenmpi-dev)");
    let version = first_line(launcher, &["--version"])
        .map_err(|why| Missing::new(format!("no MPI launcher: {why}"), fix.clone()))?;
    // rsmpi builds with what the MPI compiler wrapper says it links.
    let show = first_line(wrapper, &["-show"])
        .map_err(|why| Missing::new(format!("no MPI library to build against: {why}"), fix.clone()))?;
    let libs: Vec<_> = show.split_whitespace().filter(|w| w.starts_with("-lmpi")).collect();
    if libs.is_empty() {
        return Err(Missing::new(format!("`{wrapper} -show` links no MPI library: {show}"), fix));
    }
    Ok(format!("{version}; {wrapper} links {}", libs.join(" ")))
}

/// The first line of a program's output (stdout, else stderr) when it succeeds;
/// why it could not run, or its last line of output, when it does not.
fn first_line(program: &str, args: &[&str]) -> Result<String, String> {
    let out = Command::new(program).args(args).output().map_err(|e| format!("`{program}` cannot start ({e})"))?;
    let text = |b: &[u8]| String::from_utf8_lossy(b).trim().to_string();
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    if out.status.success() {
        let all = if stdout.is_empty() { stderr } else { stdout };
        Ok(all.lines().next().unwrap_or("").trim().to_string())
    } else {
        let last = stderr.lines().rev().chain(stdout.lines().rev()).find(|l| !l.trim().is_empty()).unwrap_or("");
        // A short command is shown whole; a script passed with `-c` is not.
        let shown = if args.iter().any(|a| a.contains('\n')) {
            program.to_string()
        } else {
            format!("{program} {}", args.join(" "))
        };
        Err(format!("`{shown}` failed ({}): {}", out.status, last.trim()))
    }
}

// ── Brokers ─────────────────────────────────────────────────────────────────

/// The AMQP broker URL: `AMQP_ADDR` when set, else the loopback RabbitMQ.
pub fn amqp_url() -> String {
    std::env::var("AMQP_ADDR").unwrap_or_else(|_| DEFAULT_AMQP_URL.into())
}

/// The Redis URL: `REDIS_ADDR` when set, else the loopback Redis.
pub fn redis_url() -> String {
    std::env::var("REDIS_ADDR").unwrap_or_else(|_| DEFAULT_REDIS_URL.into())
}

/// `host:port` of a URL such as `amqp://user:pass@host:5672/%2f`, with
/// `default_port` when the URL gives none.
pub fn host_port(url: &str, default_port: u16) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split('/').next().unwrap_or(rest);
    let hostport = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    let has_port = match hostport.rsplit_once(':') {
        // `[::1]:5672` has a port; `[::1]` has none.
        Some((host, port)) => port.parse::<u16>().is_ok() && (!host.starts_with('[') || host.ends_with(']')),
        None => false,
    };
    if has_port { hostport.to_string() } else { format!("{hostport}:{default_port}") }
}

#[derive(Clone, Copy)]
struct BrokerKind {
    name: &'static str,
    port: u16,
    var: &'static str,
    tls: bool,
    probe: fn(&str) -> Result<String, String>,
}

fn broker_kind(url: &str) -> Option<BrokerKind> {
    let scheme = url.split_once("://")?.0.to_ascii_lowercase();
    let kind = |name, port, var, tls, probe| Some(BrokerKind { name, port, var, tls, probe });
    match scheme.as_str() {
        "amqp" => kind("RabbitMQ (AMQP)", 5672, "AMQP_ADDR", false, probe_amqp),
        "amqps" => kind("RabbitMQ (AMQP over TLS)", 5671, "AMQP_ADDR", true, probe_tcp),
        "redis" => kind("Redis", 6379, "REDIS_ADDR", false, probe_redis),
        "rediss" => kind("Redis (over TLS)", 6379, "REDIS_ADDR", true, probe_tcp),
        _ => None,
    }
}

fn probe_broker(url: &str) -> Result<String, Missing> {
    let Some(kind) = broker_kind(url) else {
        return Err(Missing::new(
            format!("`{url}` is not a broker URL"),
            format!("give amqp://… (RabbitMQ) or redis://… (Redis), such as {DEFAULT_AMQP_URL}"),
        ));
    };
    let addr = host_port(url, kind.port);
    let fix = format!("{BROKERS}, or set {} to a broker that runs", kind.var);
    let found = (kind.probe)(&addr).map_err(|why| Missing::new(format!("{} at {addr}: {why}", kind.name), fix))?;
    Ok(if kind.tls { format!("{found} (TLS: the port is open; the handshake is the client's)") } else { found })
}

fn connect(addr: &str) -> Result<TcpStream, String> {
    let socks: Vec<_> = addr.to_socket_addrs().map_err(|e| format!("cannot resolve the host ({e})"))?.collect();
    let mut last = format!("{addr} resolves to no address");
    for sock in socks {
        match TcpStream::connect_timeout(&sock, CONNECT_TIMEOUT) {
            Ok(s) => {
                s.set_read_timeout(Some(ANSWER_TIMEOUT)).map_err(|e| e.to_string())?;
                s.set_write_timeout(Some(ANSWER_TIMEOUT)).map_err(|e| e.to_string())?;
                return Ok(s);
            }
            Err(e) => last = format!("nothing listens there ({e})"),
        }
    }
    Err(last)
}

fn probe_tcp(addr: &str) -> Result<String, String> {
    connect(addr).map(|_| format!("a port open on {addr}"))
}

/// AMQP 0-9-1: send the protocol header; a broker answers with a method frame
/// (frame type 1), `Connection.Start`.
fn probe_amqp(addr: &str) -> Result<String, String> {
    let mut s = connect(addr)?;
    s.write_all(b"AMQP\x00\x00\x09\x01").map_err(|e| format!("the connection broke ({e})"))?;
    let mut frame = [0u8; 7];
    s.read_exact(&mut frame).map_err(|e| format!("something listens but does not answer as an AMQP broker ({e})"))?;
    match frame {
        [1, ..] => Ok(format!("AMQP 0-9-1 broker on {addr}")),
        [b'A', b'M', b'Q', b'P', ..] => Err("an AMQP broker that refuses protocol 0-9-1".into()),
        _ => Err("something listens but does not answer as an AMQP broker".into()),
    }
}

/// Redis: `PING` answers `+PONG` (or `-NOAUTH` from a Redis with a password).
fn probe_redis(addr: &str) -> Result<String, String> {
    let mut s = connect(addr)?;
    s.write_all(b"PING\r\n").map_err(|e| format!("the connection broke ({e})"))?;
    let mut buf = [0u8; 64];
    let n = s.read(&mut buf).map_err(|e| format!("something listens but does not answer PING ({e})"))?;
    let reply = String::from_utf8_lossy(&buf[..n]);
    if reply.starts_with("+PONG") {
        Ok(format!("Redis on {addr}"))
    } else if reply.starts_with("-NOAUTH") {
        Ok(format!("Redis on {addr} (it asks for a password)"))
    } else {
        Err(format!("something listens but answers PING with {:?}", reply.trim()))
    }
}

// ── Dynamic libraries ───────────────────────────────────────────────────────

/// The library named by `var`, else the platform's usual names, in order.
fn library_names(var: &str, usual: &[&str]) -> (Vec<OsString>, bool) {
    match std::env::var_os(var) {
        Some(v) if !v.is_empty() => (vec![v], true),
        _ => (usual.iter().map(OsString::from).collect(), false),
    }
}

/// Open the first library of `names` that loads, or say why none did.
fn open_library(names: &[OsString]) -> Result<libloading::Library, String> {
    let mut why = Vec::new();
    for name in names {
        // SAFETY: the libraries opened here are the OpenCL loader and the CUDA driver,
        // whose initialisers are meant to run in any process that opens them.
        match unsafe { libloading::Library::new(name) } {
            Ok(lib) => return Ok(lib),
            Err(e) => why.push(e.to_string()),
        }
    }
    Err(why.join("; "))
}

/// A function of a C library, as a function pointer (`name` is NUL-terminated).
/// The pointer is used only while `lib`, which the caller borrows, stays loaded.
fn symbol<T: Copy>(lib: &libloading::Library, name: &[u8]) -> Result<T, String> {
    // SAFETY: each call site names T as the C prototype that the OpenCL or CUDA
    // headers give for that symbol.
    unsafe { lib.get::<T>(name) }.map(|f| *f).map_err(|e| e.to_string())
}

/// A NUL-terminated C string from a buffer the library filled.
fn c_text(buf: &[u8]) -> String {
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).trim().to_string()
}

// ── OpenCL ──────────────────────────────────────────────────────────────────

#[cfg(target_os = "macos")]
const OPENCL_LIBRARIES: &[&str] = &["/System/Library/Frameworks/OpenCL.framework/OpenCL"];
#[cfg(windows)]
const OPENCL_LIBRARIES: &[&str] = &["OpenCL.dll"];
#[cfg(not(any(windows, target_os = "macos")))]
const OPENCL_LIBRARIES: &[&str] = &["libOpenCL.so.1", "libOpenCL.so"];

/// Where ocl-icd looks for `.icd` files when `OCL_ICD_VENDORS` is not set.
const DEFAULT_VENDORS: &str = "/etc/OpenCL/vendors";

type ClPlatform = *mut c_void;
type ClDevice = *mut c_void;
const CL_SUCCESS: i32 = 0;
const CL_DEVICE_NOT_FOUND: i32 = -1;
const CL_PLATFORM_NOT_FOUND_KHR: i32 = -1001;
const CL_PLATFORM_NAME: c_uint = 0x0902;
const CL_DEVICE_NAME: c_uint = 0x102B;
const CL_DEVICE_TYPE_ALL: u64 = 0xFFFF_FFFF;

type ClGetPlatformIds = unsafe extern "system" fn(c_uint, *mut ClPlatform, *mut c_uint) -> i32;
type ClGetDeviceIds = unsafe extern "system" fn(ClPlatform, u64, c_uint, *mut ClDevice, *mut c_uint) -> i32;
type ClGetInfo = unsafe extern "system" fn(*mut c_void, c_uint, usize, *mut c_void, *mut usize) -> i32;

fn probe_opencl() -> Result<String, Missing> {
    let (names, chosen) = library_names(OPENCL_LIBRARY_VAR, OPENCL_LIBRARIES);
    probe_opencl_in(&names, chosen, std::env::var_os("OCL_ICD_VENDORS").as_deref(), Path::new(DEFAULT_VENDORS))
}

/// The OpenCL probe with its inputs: the loaders to try (`chosen` when named by
/// [`OPENCL_LIBRARY_VAR`]), `OCL_ICD_VENDORS`, and the loader's default folder.
fn probe_opencl_in(
    names: &[OsString],
    chosen: bool,
    vendors_var: Option<&OsStr>,
    default_dir: &Path,
) -> Result<String, Missing> {
    let lib = open_library(names).map_err(|why| {
        if chosen {
            Missing::new(
                format!("{OPENCL_LIBRARY_VAR} names an OpenCL loader that does not load ({why})"),
                format!("unset {OPENCL_LIBRARY_VAR}, or set it to a loader such as libOpenCL.so.1"),
            )
        } else {
            Missing::new(
                format!("no OpenCL loader ({why})"),
                format!("{INSTALL} (installs ocl-icd-libopencl1 and pocl-opencl-icd)"),
            )
        }
    })?;
    let platforms = opencl_devices(&lib).map_err(|why| Missing::new(why, format!("{INSTALL}, then clinfo")))?;
    if platforms.is_empty() {
        return Err(no_platform(vendors_var, default_dir));
    }
    let with_devices: Vec<_> = platforms.iter().filter(|(_, devices)| !devices.is_empty()).collect();
    if with_devices.is_empty() {
        return Err(Missing::new(
            format!("{} OpenCL platform(s) but no device of any type", platforms.len()),
            format!("{INSTALL} (pocl-opencl-icd gives a CPU device), then clinfo"),
        ));
    }
    Ok(with_devices.iter().map(|(p, d)| format!("{p}: {}", d.join(", "))).collect::<Vec<_>>().join("; "))
}

/// Every platform of the loader, with the names of its devices of any type.
fn opencl_devices(lib: &libloading::Library) -> Result<Vec<(String, Vec<String>)>, String> {
    let get_platforms = symbol::<ClGetPlatformIds>(lib, b"clGetPlatformIDs\0")?;
    let get_devices = symbol::<ClGetDeviceIds>(lib, b"clGetDeviceIDs\0")?;
    let platform_info = symbol::<ClGetInfo>(lib, b"clGetPlatformInfo\0")?;
    let device_info = symbol::<ClGetInfo>(lib, b"clGetDeviceInfo\0")?;

    let mut n: c_uint = 0;
    // SAFETY: the prototypes are the OpenCL 1.0 ones; every pointer passed points
    // at a live buffer of the length passed with it.
    let err = unsafe { get_platforms(0, std::ptr::null_mut(), &mut n) };
    if err == CL_PLATFORM_NOT_FOUND_KHR || (err == CL_SUCCESS && n == 0) {
        return Ok(Vec::new());
    }
    if err != CL_SUCCESS {
        return Err(format!("clGetPlatformIDs failed with OpenCL error {err}"));
    }
    let mut ids = vec![std::ptr::null_mut(); n as usize];
    let err = unsafe { get_platforms(n, ids.as_mut_ptr(), &mut n) };
    if err != CL_SUCCESS {
        return Err(format!("clGetPlatformIDs failed with OpenCL error {err}"));
    }
    ids.truncate(n as usize);

    let info = |f: ClGetInfo, id: *mut c_void, param| {
        let mut buf = [0u8; 256];
        let err = unsafe { f(id, param, buf.len(), buf.as_mut_ptr().cast(), std::ptr::null_mut()) };
        if err == CL_SUCCESS { c_text(&buf) } else { "?".to_string() }
    };
    let mut found = Vec::new();
    for &p in &ids {
        let mut nd: c_uint = 0;
        let err = unsafe { get_devices(p, CL_DEVICE_TYPE_ALL, 0, std::ptr::null_mut(), &mut nd) };
        let mut devices = vec![std::ptr::null_mut(); if err == CL_SUCCESS { nd as usize } else { 0 }];
        if !devices.is_empty() {
            let err = unsafe { get_devices(p, CL_DEVICE_TYPE_ALL, nd, devices.as_mut_ptr(), &mut nd) };
            devices.truncate(if err == CL_SUCCESS { nd as usize } else { 0 });
        } else if err != CL_SUCCESS && err != CL_DEVICE_NOT_FOUND {
            return Err(format!("clGetDeviceIDs failed with OpenCL error {err}"));
        }
        let names = devices.iter().map(|&d| info(device_info, d, CL_DEVICE_NAME)).collect();
        found.push((info(platform_info, p, CL_PLATFORM_NAME), names));
    }
    Ok(found)
}

/// Why the loader found no platform: `OCL_ICD_VENDORS` (when set) or the
/// default vendors folder has no `.icd` file, or the ones there did not load.
fn no_platform(vendors_var: Option<&OsStr>, default_dir: &Path) -> Missing {
    let icds = |dir: &Path| -> usize {
        std::fs::read_dir(dir)
            .map(|entries| entries.flatten().filter(|e| e.path().extension().is_some_and(|x| x == "icd")).count())
            .unwrap_or(0)
    };
    match vendors_var {
        Some(v) if !v.is_empty() => {
            let dir = Path::new(v);
            let shown = dir.display();
            if dir.is_dir() && icds(dir) == 0 {
                Missing::new(
                    format!("no OpenCL platform: OCL_ICD_VENDORS={shown} names a folder with no .icd file"),
                    "unset OCL_ICD_VENDORS, or point it at a folder with an .icd file (such as pocl.icd)",
                )
            } else if !dir.exists() {
                Missing::new(
                    format!("no OpenCL platform: OCL_ICD_VENDORS={shown} does not exist"),
                    "unset OCL_ICD_VENDORS, or point it at a folder with an .icd file (such as pocl.icd)",
                )
            } else {
                Missing::new(
                    format!("no OpenCL platform: the ICDs that OCL_ICD_VENDORS={shown} names did not load"),
                    "check them with clinfo, or unset OCL_ICD_VENDORS",
                )
            }
        }
        _ if icds(default_dir) == 0 => Missing::new(
            format!("no OpenCL platform: no driver (.icd file) in {}", default_dir.display()),
            format!("{INSTALL} (installs pocl-opencl-icd, an OpenCL platform on the CPU)"),
        ),
        _ => Missing::new(
            format!("no OpenCL platform: the ICDs in {} did not load", default_dir.display()),
            "check them with clinfo; scripts/install-deps installs pocl-opencl-icd",
        ),
    }
}

// ── CUDA ────────────────────────────────────────────────────────────────────

#[cfg(windows)]
const CUDA_LIBRARIES: &[&str] = &["nvcuda.dll"];
#[cfg(not(windows))]
const CUDA_LIBRARIES: &[&str] = &["libcuda.so.1", "libcuda.so"];

const CUDA_SUCCESS: c_int = 0;

type CuInit = unsafe extern "system" fn(c_uint) -> c_int;
type CuIntOut = unsafe extern "system" fn(*mut c_int) -> c_int;
type CuDeviceGetName = unsafe extern "system" fn(*mut c_char, c_int, c_int) -> c_int;
type CuGetErrorName = unsafe extern "system" fn(c_int, *mut *const c_char) -> c_int;

const NO_GPU_FIX: &str = "an NVIDIA GPU and its driver (Debian: nvidia-driver); no script installs them";

fn probe_cuda() -> Result<String, Missing> {
    let (names, chosen) = library_names(CUDA_LIBRARY_VAR, CUDA_LIBRARIES);
    probe_cuda_in(&names, chosen)
}

/// The CUDA probe with the driver libraries to try (`chosen` when named by
/// [`CUDA_LIBRARY_VAR`]).
fn probe_cuda_in(names: &[OsString], chosen: bool) -> Result<String, Missing> {
    let lib = open_library(names).map_err(|why| {
        let what = if chosen {
            format!("no CUDA driver: {CUDA_LIBRARY_VAR} names a library that does not load ({why})")
        } else {
            format!("no CUDA driver ({why})")
        };
        Missing::new(what, NO_GPU_FIX)
    })?;
    cuda_devices(&lib).map_err(|why| Missing::new(why, NO_GPU_FIX))
}

fn cuda_devices(lib: &libloading::Library) -> Result<String, String> {
    let init = symbol::<CuInit>(lib, b"cuInit\0")?;
    let count = symbol::<CuIntOut>(lib, b"cuDeviceGetCount\0")?;
    let error_name = symbol::<CuGetErrorName>(lib, b"cuGetErrorName\0").ok();
    let named = |code: c_int| {
        let mut p: *const c_char = std::ptr::null();
        // SAFETY: cuGetErrorName writes a pointer to a static string, or fails.
        match error_name {
            Some(f) if unsafe { f(code, &mut p) } == CUDA_SUCCESS && !p.is_null() => {
                unsafe { std::ffi::CStr::from_ptr(p) }.to_string_lossy().into_owned()
            }
            _ => format!("CUDA error {code}"),
        }
    };
    // SAFETY: the prototypes are the CUDA driver API's; each out-pointer points at a
    // live local of the type the API writes.
    let err = unsafe { init(0) };
    if err != CUDA_SUCCESS {
        return Err(format!("the CUDA driver does not start: cuInit gave {}", named(err)));
    }
    let mut n: c_int = 0;
    let err = unsafe { count(&mut n) };
    if err != CUDA_SUCCESS {
        return Err(format!("cuDeviceGetCount gave {}", named(err)));
    }
    if n < 1 {
        return Err("the CUDA driver finds no GPU".into());
    }
    let mut text = format!("{n} CUDA device(s)");
    if let Ok(version) = symbol::<CuIntOut>(lib, b"cuDriverGetVersion\0") {
        let mut v: c_int = 0;
        if unsafe { version(&mut v) } == CUDA_SUCCESS {
            text = format!("CUDA driver {}.{}, {text}", v / 1000, v % 1000 / 10);
        }
    }
    if let Ok(get_name) = symbol::<CuDeviceGetName>(lib, b"cuDeviceGetName\0") {
        let mut devices = Vec::new();
        for d in 0..n {
            let mut buf = [0u8; 256];
            if unsafe { get_name(buf.as_mut_ptr().cast(), buf.len() as c_int, d) } == CUDA_SUCCESS {
                devices.push(c_text(&buf));
            }
        }
        if !devices.is_empty() {
            text = format!("{text}: {}", devices.join(", "));
        }
    }
    Ok(text)
}

// ── Python peers ────────────────────────────────────────────────────────────

/// The peers the Celery and mpi4py recipes talk to, as `requirements.txt` pins them.
const PYTHON_PEERS: &[&str] = &["celery", "kombu", "amqp", "redis", "mpi4py"];

/// The cookbook's workspace: the nearest folder with `recipes.toml` and
/// `Cargo.toml` above the running program (`target/debug/…`), else above the
/// current folder, else the one this crate was built in.
pub fn workspace_root() -> Option<PathBuf> {
    let is_root = |d: &Path| d.join("recipes.toml").is_file() && d.join("Cargo.toml").is_file();
    let above = |start: Option<PathBuf>| start.and_then(|s| s.ancestors().find(|d| is_root(d)).map(Path::to_path_buf));
    above(std::env::current_exe().ok())
        .or_else(|| above(std::env::current_dir().ok()))
        .or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).parent().filter(|d| is_root(d)).map(Path::to_path_buf))
}

/// The virtualenv of the Python peers: [`VENV_VAR`] when set, else `.venv` in the
/// [`workspace_root`].
pub fn venv() -> Option<PathBuf> {
    match std::env::var_os(VENV_VAR) {
        Some(v) if !v.is_empty() => Some(PathBuf::from(v)),
        _ => workspace_root().map(|root| root.join(".venv")),
    }
}

fn probe_python(venv: &Path) -> Result<String, Missing> {
    let fix = format!("{INSTALL} (makes .venv from requirements.txt)");
    let python = if cfg!(windows) { venv.join("Scripts/python.exe") } else { venv.join("bin/python") };
    if !python.exists() {
        return Err(Missing::new(format!("no Python virtualenv: {} does not exist", python.display()), fix));
    }
    let code = format!(
        "import importlib.metadata as m\nfor p in {PYTHON_PEERS:?}: __import__(p)\nprint(' '.join(p + ' ' + m.version(p) for p in {PYTHON_PEERS:?}))"
    );
    first_line(&python.to_string_lossy(), &["-c", &code])
        .map_err(|why| Missing::new(format!("the .venv lacks a Python peer: {why}"), fix))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;
    use std::time::Instant;

    /// A port on loopback where nothing listens: bound, then closed.
    fn closed_port() -> String {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        format!("127.0.0.1:{port}")
    }

    /// A one-connection server that reads what the client sends and answers `reply`
    /// (or stays silent for `None`).
    fn server(reply: Option<&'static [u8]>) -> (String, std::thread::JoinHandle<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let h = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut buf = [0u8; 8];
            let _ = s.read(&mut buf);
            match reply {
                Some(r) => s.write_all(r).unwrap(),
                None => std::thread::sleep(ANSWER_TIMEOUT + Duration::from_millis(500)),
            }
        });
        (addr, h)
    }

    #[test]
    fn host_port_of_urls() {
        assert_eq!(host_port("amqp://guest:guest@127.0.0.1:5672/%2f", 5672), "127.0.0.1:5672");
        assert_eq!(host_port("redis://127.0.0.1:6379/", 6379), "127.0.0.1:6379");
        assert_eq!(host_port("redis://broker.local/0", 6379), "broker.local:6379");
        assert_eq!(host_port("amqp://u:p@h", 5672), "h:5672");
        assert_eq!(host_port("amqp://[::1]:5673/%2f", 5672), "[::1]:5673");
        assert_eq!(host_port("amqp://[::1]/%2f", 5672), "[::1]:5672");
        assert_eq!(host_port("10.0.0.5:7000", 1), "10.0.0.5:7000");
        // An '@' in the password does not end the host early.
        assert_eq!(host_port("redis://:p@ss@db:6380/1", 6379), "db:6380");
    }

    #[test]
    fn a_closed_port_is_reported_not_hung() {
        let addr = closed_port();
        for url in [format!("amqp://guest:guest@{addr}/%2f"), format!("redis://{addr}/")] {
            let t = Instant::now();
            let m = check(&Need::Broker(&url)).unwrap_err();
            assert!(t.elapsed() < CONNECT_TIMEOUT + Duration::from_secs(1), "{url} took {:?}", t.elapsed());
            assert!(m.what.contains(&addr) && m.what.contains("nothing listens"), "{m}");
            assert!(m.fix.contains("scripts/brokers start"), "{m}");
        }
        let m = check(&Need::Broker(&format!("amqp://{addr}/%2f"))).unwrap_err();
        assert!(m.fix.contains("AMQP_ADDR"), "{m}");
        let m = check(&Need::Broker(&format!("redis://{addr}/"))).unwrap_err();
        assert!(m.fix.contains("REDIS_ADDR"), "{m}");
    }

    #[test]
    fn a_silent_peer_is_reported_after_the_timeout() {
        let (addr, h) = server(None);
        let t = Instant::now();
        let m = check(&Need::Broker(&format!("amqp://{addr}/%2f"))).unwrap_err();
        assert!(t.elapsed() < ANSWER_TIMEOUT + Duration::from_secs(2), "took {:?}", t.elapsed());
        assert!(m.what.contains("does not answer as an AMQP broker"), "{m}");
        h.join().unwrap();
    }

    #[test]
    fn brokers_are_told_by_their_answer() {
        // AMQP: a method frame (type 1) is a broker; anything else is not.
        let (addr, h) = server(Some(b"\x01\x00\x00\x00\x00\x01\xf4"));
        let found = check(&Need::Broker(&format!("amqp://guest:guest@{addr}/%2f"))).unwrap();
        assert!(found.contains("AMQP 0-9-1 broker"), "{found}");
        h.join().unwrap();
        let (addr, h) = server(Some(b"HTTP/1.1 400 Bad Request\r\n"));
        assert!(check(&Need::Broker(&format!("amqp://{addr}/%2f"))).is_err());
        h.join().unwrap();

        // Redis: +PONG, or -NOAUTH from a Redis with a password.
        let (addr, h) = server(Some(b"+PONG\r\n"));
        assert!(check(&Need::Broker(&format!("redis://{addr}/"))).unwrap().starts_with("Redis on"));
        h.join().unwrap();
        let (addr, h) = server(Some(b"-NOAUTH Authentication required.\r\n"));
        assert!(check(&Need::Broker(&format!("redis://{addr}/"))).unwrap().contains("password"));
        h.join().unwrap();
        let (addr, h) = server(Some(b"-ERR unknown command\r\n"));
        let m = check(&Need::Broker(&format!("redis://{addr}/"))).unwrap_err();
        assert!(m.what.contains("-ERR unknown command"), "{m}");
        h.join().unwrap();
    }

    #[test]
    fn a_url_of_no_broker_is_refused() {
        let m = check(&Need::Broker("http://127.0.0.1:80/")).unwrap_err();
        assert!(m.what.contains("not a broker URL") && m.fix.contains("amqp://"), "{m}");
        assert_eq!(Need::Broker("redis://db/").to_string(), "Redis at db:6379");
    }

    #[test]
    fn a_missing_mpi_launcher_is_named() {
        let m = probe_mpi("no-such-mpirun-of-the-cookbook", "mpicc").unwrap_err();
        assert!(m.what.contains("no MPI launcher") && m.what.contains("no-such-mpirun-of-the-cookbook"), "{m}");
        assert!(m.fix.contains("scripts/install-deps"), "{m}");
        // A launcher that runs but fails is reported with its output, not as found.
        let m = probe_mpi("false", "mpicc").unwrap_err();
        assert!(m.what.contains("`false --version` failed"), "{m}");
    }

    #[test]
    fn an_empty_vendor_folder_names_the_variable() {
        let empty = tempfile::tempdir().unwrap();
        let m = no_platform(Some(empty.path().as_os_str()), Path::new(DEFAULT_VENDORS));
        assert!(m.what.contains("OCL_ICD_VENDORS=") && m.what.contains("no .icd file"), "{m}");
        assert!(m.fix.contains("OCL_ICD_VENDORS") && !m.fix.contains("install"), "{m}");

        let gone = empty.path().join("nowhere");
        let m = no_platform(Some(gone.as_os_str()), Path::new(DEFAULT_VENDORS));
        assert!(m.what.contains("does not exist") && m.fix.contains("OCL_ICD_VENDORS"), "{m}");

        // A folder with an .icd file that gave no platform: the ICD is at fault.
        std::fs::write(empty.path().join("broken.icd"), "libnothing.so\n").unwrap();
        let m = no_platform(Some(empty.path().as_os_str()), Path::new(DEFAULT_VENDORS));
        assert!(m.what.contains("did not load") && m.fix.contains("clinfo"), "{m}");
    }

    #[test]
    fn no_driver_in_the_default_folder_says_what_installs_one() {
        let empty = tempfile::tempdir().unwrap();
        let m = no_platform(None, empty.path());
        assert!(m.what.contains("no driver (.icd file)") && m.fix.contains("scripts/install-deps"), "{m}");
        assert!(!m.to_string().contains("OCL_ICD_VENDORS"), "{m}");
    }

    #[test]
    fn a_missing_opencl_loader_says_what_installs_it() {
        let dir = tempfile::tempdir().unwrap();
        let gone = [dir.path().join("libOpenCL.so.1").into_os_string()];
        let m = probe_opencl_in(&gone, false, None, dir.path()).unwrap_err();
        assert!(m.what.starts_with("no OpenCL loader") && m.what.contains("libOpenCL.so.1"), "{m}");
        assert!(m.fix.contains("scripts/install-deps"), "{m}");
        // Named by the variable: the message names the variable instead.
        let m = probe_opencl_in(&gone, true, None, dir.path()).unwrap_err();
        assert!(m.what.contains(OPENCL_LIBRARY_VAR) && m.fix.contains(OPENCL_LIBRARY_VAR), "{m}");
    }

    #[test]
    fn a_missing_cuda_driver_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("libcuda.so.1");
        let m = probe_cuda_in(&[missing.clone().into_os_string()], true).unwrap_err();
        assert!(m.what.starts_with("no CUDA driver") && m.what.contains(CUDA_LIBRARY_VAR), "{m}");
        assert!(m.what.contains("libcuda.so.1") && m.fix.contains("NVIDIA"), "{m}");
        // A file that is not a library does not load either.
        std::fs::write(&missing, "not a library").unwrap();
        assert!(probe_cuda_in(&[missing.into_os_string()], true).unwrap_err().what.starts_with("no CUDA driver"));
    }

    #[test]
    fn a_library_without_the_api_is_reported() {
        // The C library loads but has no clGetPlatformIDs or cuInit: a wrong file.
        let libc = if cfg!(target_os = "linux") { "libc.so.6" } else { return };
        let lib = open_library(&[libc.into()]).unwrap();
        assert!(opencl_devices(&lib).unwrap_err().contains("clGetPlatformIDs"));
        assert!(cuda_devices(&lib).unwrap_err().contains("cuInit"));
    }

    #[test]
    fn a_venv_without_python_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let m = probe_python(dir.path()).unwrap_err();
        assert!(m.what.contains("no Python virtualenv") && m.fix.contains("scripts/install-deps"), "{m}");
    }

    #[test]
    fn the_workspace_root_is_found() {
        let root = workspace_root().expect("tests run inside the workspace");
        assert!(root.join("recipes.toml").is_file());
        assert!(root.join("support/src/needs.rs").is_file());
    }

    #[test]
    fn messages_are_one_line() {
        let m = Missing::new("two\nlines", "a\r\nfix");
        assert_eq!(m.to_string(), "two lines; to fix: a fix");
    }
}

//! `cookbook doctor`: is each back end of the cookbook present, and if not, what
//! installs or starts it?
//!
//! Everything `scripts/install-deps` provides is *required*: when one is missing
//! the doctor exits non-zero. CUDA needs an NVIDIA GPU, which no script can
//! install, so it is reported but never fails the doctor.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The result of one check.
#[derive(Debug, Clone)]
pub struct Check {
    /// Short name, e.g. `rabbitmq`.
    pub name: &'static str,
    /// What was checked, e.g. `RabbitMQ (AMQP)`.
    pub what: &'static str,
    /// `Ok(detail)` when present; `Err(reason)` when not.
    pub outcome: Result<String, String>,
    /// The command that fixes it.
    pub fix: &'static str,
    /// False for CUDA: reported, never a failure.
    pub required: bool,
}

/// The broker URLs: `AMQP_ADDR` and `REDIS_ADDR` when set, else loopback.
pub fn amqp_url() -> String {
    std::env::var("AMQP_ADDR").unwrap_or_else(|_| "amqp://guest:guest@127.0.0.1:5672/%2f".into())
}

pub fn redis_url() -> String {
    std::env::var("REDIS_ADDR").unwrap_or_else(|_| "redis://127.0.0.1:6379/".into())
}

/// `host:port` of a URL such as `amqp://user:pass@host:5672/%2f`.
pub fn host_port(url: &str, default_port: u16) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    let hostport = rest.split('/').next().unwrap_or(rest);
    if hostport.rsplit_once(':').is_some_and(|(_, p)| p.parse::<u16>().is_ok()) {
        hostport.to_string()
    } else {
        format!("{hostport}:{default_port}")
    }
}

fn connect(addr: &str) -> Result<TcpStream, String> {
    let sock = addr
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {addr}: {e}"))?
        .next()
        .ok_or_else(|| format!("cannot resolve {addr}"))?;
    let s = TcpStream::connect_timeout(&sock, Duration::from_secs(2))
        .map_err(|e| format!("nothing accepts connections on {addr} ({e})"))?;
    s.set_read_timeout(Some(Duration::from_secs(3))).ok();
    Ok(s)
}

/// AMQP 0-9-1: send the protocol header; a broker answers with a method frame
/// (frame type 1, `Connection.Start`).
pub fn check_amqp(addr: &str) -> Result<String, String> {
    let mut s = connect(addr)?;
    s.write_all(b"AMQP\x00\x00\x09\x01").map_err(|e| e.to_string())?;
    let mut frame = [0u8; 7];
    s.read_exact(&mut frame).map_err(|e| format!("{addr} accepted a connection but did not speak AMQP ({e})"))?;
    if frame[0] == 1 {
        Ok(format!("AMQP 0-9-1 broker on {addr}"))
    } else {
        Err(format!("{addr} answered, but not with an AMQP 0-9-1 Connection.Start"))
    }
}

/// Redis: `PING` must answer `+PONG`.
pub fn check_redis(addr: &str) -> Result<String, String> {
    let mut s = connect(addr)?;
    s.write_all(b"PING\r\n").map_err(|e| e.to_string())?;
    let mut buf = [0u8; 64];
    let n = s.read(&mut buf).map_err(|e| format!("{addr} did not answer PING ({e})"))?;
    let reply = String::from_utf8_lossy(&buf[..n]);
    if reply.starts_with("+PONG") {
        Ok(format!("Redis on {addr}"))
    } else {
        Err(format!("{addr} answered PING with {:?}", reply.trim()))
    }
}

/// First line of a command's output, or why it could not run.
fn first_line(program: &str, args: &[&str]) -> Result<String, String> {
    let out = Command::new(program).args(args).output().map_err(|e| format!("`{program}` not found ({e})"))?;
    let text = if out.stdout.is_empty() { out.stderr } else { out.stdout };
    let line = String::from_utf8_lossy(&text).lines().next().unwrap_or("").trim().to_string();
    if out.status.success() { Ok(line) } else { Err(format!("`{program} {}` failed: {line}", args.join(" "))) }
}

fn check_mpirun() -> Result<String, String> {
    first_line("mpirun", &["--version"])
}

fn check_mpi_library() -> Result<String, String> {
    // Open MPI's wrapper says which flags and libraries it links with.
    let show = first_line("mpicc", &["-show"])?;
    if show.contains("-lmpi") {
        Ok(format!(
            "mpicc links {}",
            show.split_whitespace().filter(|w| w.starts_with("-lmpi")).collect::<Vec<_>>().join(" ")
        ))
    } else {
        Err(format!("mpicc does not link an MPI library: {show}"))
    }
}

/// OpenCL through opencl3, as the recipes open it: every platform, every device
/// type (so PoCL's CPU device counts).
pub fn check_opencl() -> Result<String, String> {
    use opencl3::device::{CL_DEVICE_TYPE_ALL, Device};
    let platforms = opencl3::platform::get_platforms()
        .map_err(|e| format!("no OpenCL platform (libOpenCL or an ICD missing: {e})"))?;
    if platforms.is_empty() {
        return Err("the OpenCL loader found no platform (no ICD installed)".into());
    }
    let mut found = Vec::new();
    for p in &platforms {
        let pname = p.name().unwrap_or_else(|_| "?".into());
        let devices = p.get_devices(CL_DEVICE_TYPE_ALL).unwrap_or_default();
        let names: Vec<String> =
            devices.iter().map(|&id| Device::new(id).name().unwrap_or_else(|_| "?".into())).collect();
        if !names.is_empty() {
            found.push(format!("{pname}: {}", names.join(", ")));
        }
    }
    if found.is_empty() {
        Err(format!("{} OpenCL platform(s) but no device", platforms.len()))
    } else {
        Ok(found.join("; "))
    }
}

fn check_cuda() -> Result<String, String> {
    match std::fs::read_to_string("/proc/driver/nvidia/version") {
        Ok(v) => Ok(v.lines().next().unwrap_or("NVIDIA driver").trim().to_string()),
        Err(_) => Err("no NVIDIA driver on this machine (the cuda recipes need an NVIDIA GPU)".into()),
    }
}

/// The workspace root: the nearest folder above the current one with a
/// `recipes.toml`, or the folder `cookbook` was built from.
pub fn workspace_root() -> PathBuf {
    let built = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if let Ok(cwd) = std::env::current_dir() {
        for dir in cwd.ancestors() {
            if dir.join("recipes.toml").is_file() && dir.join("Cargo.toml").is_file() {
                return dir.to_path_buf();
            }
        }
    }
    built
}

fn check_python_peers(root: &Path) -> Result<String, String> {
    let python = root.join(".venv/bin/python");
    if !python.exists() {
        return Err("no .venv in the workspace".into());
    }
    let code = "import celery, kombu, amqp, redis, mpi4py; \
                print('celery', celery.__version__, 'kombu', kombu.__version__, 'redis', redis.__version__, 'mpi4py', mpi4py.__version__)";
    first_line(python.to_str().unwrap_or(".venv/bin/python"), &["-c", code])
}

/// Run every check.
pub fn run_checks() -> Vec<Check> {
    let root = workspace_root();
    let amqp = host_port(&amqp_url(), 5672);
    let redis = host_port(&redis_url(), 6379);
    vec![
        Check {
            name: "mpirun",
            what: "MPI launcher",
            outcome: check_mpirun(),
            fix: "apt-get install openmpi-bin (or scripts/install-deps)",
            required: true,
        },
        Check {
            name: "mpi-library",
            what: "MPI library",
            outcome: check_mpi_library(),
            fix: "apt-get install libopenmpi-dev (or scripts/install-deps)",
            required: true,
        },
        Check {
            name: "rabbitmq",
            what: "RabbitMQ (AMQP)",
            outcome: check_amqp(&amqp),
            fix: "scripts/brokers start (after scripts/install-deps)",
            required: true,
        },
        Check {
            name: "redis",
            what: "Redis",
            outcome: check_redis(&redis),
            fix: "scripts/brokers start (after scripts/install-deps)",
            required: true,
        },
        Check {
            name: "opencl",
            what: "OpenCL platform",
            outcome: check_opencl(),
            fix: "apt-get install ocl-icd-libopencl1 pocl-opencl-icd (or scripts/install-deps)",
            required: true,
        },
        Check {
            name: "python-peers",
            what: "Python peers (.venv)",
            outcome: check_python_peers(&root),
            fix: "scripts/install-deps (makes .venv from requirements.txt)",
            required: true,
        },
        Check {
            name: "cuda",
            what: "CUDA driver",
            outcome: check_cuda(),
            fix: "an NVIDIA GPU with its driver (optional)",
            required: false,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_port_of_urls() {
        assert_eq!(host_port("amqp://guest:guest@127.0.0.1:5672/%2f", 5672), "127.0.0.1:5672");
        assert_eq!(host_port("redis://127.0.0.1:6379/", 6379), "127.0.0.1:6379");
        assert_eq!(host_port("redis://broker.local/0", 6379), "broker.local:6379");
        assert_eq!(host_port("10.0.0.5:7000", 1), "10.0.0.5:7000");
    }

    #[test]
    fn a_closed_port_is_reported_not_hung() {
        // Bind then drop, so the port is very likely closed.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let addr = format!("127.0.0.1:{port}");
        assert!(check_redis(&addr).is_err());
        assert!(check_amqp(&addr).is_err());
    }
}

//! A program that requires a missing back end exits 3 with ONE line on stderr:
//! what is missing, and the command that provides it. Shown for each probe of
//! `cookbook_support::needs`, through `cookbook need KIND`, which calls
//! `needs::require` as a recipe does: a port where nothing listens, an empty
//! OpenCL vendor folder, a missing driver library, no MPI launcher on PATH, no
//! virtualenv.

use std::io::{Read, Write};
use std::net::TcpListener;

use cookbook_support::EXIT_MISSING;
use cookbook_support::testing::{Run, Runner};

const COOKBOOK: &str = env!("CARGO_BIN_EXE_cookbook");

fn need(kind: &str) -> Runner {
    Runner::new(COOKBOOK).args(&["need", kind])
}

/// Assert the contract of a missing requirement and return its one line.
#[track_caller]
fn missing(out: Run, names: &[&str], fix: &str) -> String {
    let out = out.status(EXIT_MISSING);
    let lines: Vec<_> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "not one line on stderr\n{}", out.dump());
    let line = lines[0];
    assert!(line.starts_with("missing requirement: "), "{}", out.dump());
    let (what, how) = line.split_once("; to fix: ").unwrap_or_else(|| panic!("no fix given\n{}", out.dump()));
    for n in names {
        assert!(what.contains(n), "the line does not name {n}\n{}", out.dump());
    }
    assert!(how.contains(fix), "the fix is not `{fix}`\n{}", out.dump());
    assert!(out.stdout.is_empty() && !out.stderr.contains("panicked"), "{}", out.dump());
    line.to_string()
}

/// A port on loopback where nothing listens: bound, then closed.
fn closed_port() -> String {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    format!("127.0.0.1:{port}")
}

#[test]
fn a_broker_url_where_nothing_listens() {
    let addr = closed_port();
    let url = format!("amqp://guest:guest@{addr}/%2f");
    let line = missing(need("amqp").args(&["--url", &url]).run(), &["RabbitMQ", &addr], "scripts/brokers start");
    assert!(!line.contains("guest:guest"), "the password is not shown: {line}");
    missing(need("redis").args(&["--url", &format!("redis://{addr}/")]).run(), &["Redis", &addr], "REDIS_ADDR");
    // The environment variables name the broker when no --url is given.
    missing(need("amqp").env("AMQP_ADDR", &url).run(), &[&addr], "AMQP_ADDR");
    missing(need("redis").env("REDIS_ADDR", &format!("redis://{addr}/0")).run(), &[&addr], "REDIS_ADDR");
}

#[test]
fn a_broker_that_answers_is_found() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut ping = [0u8; 6];
        s.read_exact(&mut ping).unwrap();
        assert_eq!(&ping, b"PING\r\n");
        s.write_all(b"+PONG\r\n").unwrap();
    });
    let out = need("redis").args(&["--url", &format!("redis://{addr}/")]).run().success();
    assert!(out.stdout.contains(&format!("Redis on {addr}")), "{}", out.dump());
    server.join().unwrap();
}

#[test]
fn an_empty_opencl_vendor_folder() {
    let empty = tempfile::tempdir().unwrap();
    let dir = empty.path().to_str().unwrap();
    let out = need("opencl").env("OCL_ICD_VENDORS", dir).run();
    if out.stderr.contains("no OpenCL loader") {
        // Without ocl-icd the loader itself is what is missing.
        missing(out, &["OpenCL"], "scripts/install-deps");
        eprintln!("SKIPPED the OCL_ICD_VENDORS message: no OpenCL loader here (scripts/install-deps installs it)");
        return;
    }
    let line = missing(out, &["OCL_ICD_VENDORS", dir, "no .icd file"], "OCL_ICD_VENDORS");
    assert!(!line.contains("install"), "installed packages are not the fix: {line}");
}

#[test]
fn a_missing_opencl_loader() {
    let empty = tempfile::tempdir().unwrap();
    let lib = empty.path().join("libOpenCL.so.1");
    let out = need("opencl").env("COOKBOOK_OPENCL_LIBRARY", lib.to_str().unwrap()).run();
    missing(out, &["COOKBOOK_OPENCL_LIBRARY", "libOpenCL.so.1"], "COOKBOOK_OPENCL_LIBRARY");
}

#[test]
fn a_missing_cuda_driver() {
    let empty = tempfile::tempdir().unwrap();
    let lib = empty.path().join("libcuda.so.1");
    let out = need("cuda").env("COOKBOOK_CUDA_LIBRARY", lib.to_str().unwrap()).run();
    missing(out, &["no CUDA driver", "COOKBOOK_CUDA_LIBRARY", "libcuda.so.1"], "NVIDIA");
}

#[test]
fn no_mpi_launcher_on_the_path() {
    let empty = tempfile::tempdir().unwrap();
    let out = need("mpi").env("PATH", empty.path().to_str().unwrap()).run();
    missing(out, &["no MPI launcher", "mpirun"], "scripts/install-deps");
}

#[test]
fn no_python_virtualenv() {
    let empty = tempfile::tempdir().unwrap();
    let out = need("python").env("COOKBOOK_VENV", empty.path().to_str().unwrap()).run();
    missing(out, &["no Python virtualenv"], "scripts/install-deps");
}

#[test]
fn a_url_for_a_probe_without_one_is_refused() {
    Runner::new(COOKBOOK).args(&["need", "cuda", "--url", "redis://127.0.0.1/"]).run().status(2);
    Runner::new(COOKBOOK).args(&["need", "gpu"]).run().status(2);
}

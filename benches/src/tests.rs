//! Unit tests of the report: parsing, ratios, limits and the rendered tables, on
//! made-up results.

use std::fs;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::data::*;
use crate::machine::{self, Machine};
use crate::report::*;

const BENCH: &str = r#"{"group_id":"book_2_13/fib_bigint","function_id":"threads","value_str":"2",
    "throughput":null,"full_id":"book_2_13/fib_bigint/threads/2",
    "directory_name":"book_2_13_fib_bigint/threads/2","title":"book_2_13/fib_bigint/threads/2"}"#;
const EST: &str = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},
    "point_estimate":1500000.0,"standard_error":1.0},
    "median":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},
    "point_estimate":1400000.0,"standard_error":1.0},
    "median_abs_dev":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},
    "point_estimate":1.0,"standard_error":1.0},"slope":null,
    "std_dev":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},
    "point_estimate":1.0,"standard_error":1.0}}"#;
const SAMPLE: &str =
    r#"{"sampling_mode":"Flat","iters":[2.0,4.0,0.0,8.0],"times":[3000000.0,4800000.0,5.0,12000000.0]}"#;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn criterion_files_parse_to_seconds_and_min_per_iteration() {
    let r = parse_criterion(BENCH, EST, SAMPLE).unwrap();
    assert_eq!(r.id, "book_2_13/fib_bigint/threads/2");
    assert!(close(r.mean, 1.5e-3));
    assert!(close(r.median, 1.4e-3));
    // per iteration: 1.5 ms, 1.2 ms, (zero iterations skipped), 1.5 ms
    assert!(close(r.min, 1.2e-3), "min = {}", r.min);
    assert_eq!(r.samples, 4);
}

#[test]
fn broken_criterion_files_are_errors() {
    assert!(parse_criterion("{}", EST, SAMPLE).is_err());
    assert!(parse_criterion(BENCH, "not json", SAMPLE).is_err());
    let empty = r#"{"sampling_mode":"Linear","iters":[],"times":[]}"#;
    assert!(parse_criterion(BENCH, EST, empty).unwrap_err().contains("no usable sample"));
    assert_eq!(min_per_iteration(&[0.0], &[1.0]), None);
}

fn tempdir() -> PathBuf {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    let dir = std::env::temp_dir().join(format!("bench_report_test_{}_{nanos}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn criterion_tree_is_walked_and_stale_results_left_out() {
    let dir = tempdir();
    let new = dir.join("book_2_13_fib_bigint/threads/2/new");
    fs::create_dir_all(&new).unwrap();
    fs::write(new.join("benchmark.json"), BENCH).unwrap();
    fs::write(new.join("estimates.json"), EST).unwrap();
    fs::write(new.join("sample.json"), SAMPLE).unwrap();
    // a base/ copy and a report/ directory must not be read
    fs::create_dir_all(dir.join("book_2_13_fib_bigint/threads/2/base")).unwrap();
    let broken = dir.join("x/y/new");
    fs::create_dir_all(&broken).unwrap();
    fs::write(broken.join("benchmark.json"), BENCH).unwrap();
    let twins = dir.join("c.jsonl");
    fs::write(&twins, r#"{"id": "primitives/thread_spawn_join/1", "impl": "c", "seconds": 4e-5}"#).unwrap();

    let r = Results::load(&dir, &[twins.clone(), dir.join("absent.jsonl")], None);
    assert_eq!(r.rust.len(), 1);
    assert!(r.rust_min("book_2_13/fib_bigint/threads/2").is_some());
    assert_eq!(r.ext("c", "primitives/thread_spawn_join/1"), Some(4e-5));
    // the broken result and the absent file
    assert_eq!(r.warnings.len(), 2, "{:?}", r.warnings);

    let future = SystemTime::now() + Duration::from_secs(3600);
    let later = Results::load(&dir, &[], Some(future));
    assert!(later.rust.is_empty());
    assert_eq!(later.stale, 2);
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn json_lines_parse_and_bad_lines_are_reported() {
    let text = r#"
{"id": "book_2_13/empty/threads/1", "impl": "python", "seconds": 0.0002, "repeats": 100}
this is not json
{"id": "book_2_13/empty/threads/1", "impl": "python", "seconds": 0.0001, "gc_on_seconds": 0.0003, "repeats": 50, "number": 10}
{"id": "mpi/ping_pong/1", "impl": "c", "seconds": 2e-6}
{"id": "x", "impl": "python", "seconds": -1}
{"id": "y", "impl": "python"}
{"id": "z", "impl": "python", "seconds": 1, "gc_on_seconds": -1}
"#;
    let mut r = Results::default();
    parse_ext_lines(text, "py.jsonl", &mut r);
    assert_eq!(r.ext.len(), 2);
    // the later line wins
    let row = r.ext_result("python", "book_2_13/empty/threads/1").unwrap();
    assert_eq!((row.seconds, row.gc_on, row.repeats, row.number), (0.0001, Some(0.0003), Some(50), Some(10)));
    assert_eq!(r.ext("c", "mpi/ping_pong/1"), Some(2e-6));
    assert_eq!(r.ext("python", "mpi/ping_pong/1"), None);
    assert_eq!(r.warnings.len(), 4, "{:?}", r.warnings);
    assert!(r.warnings[0].starts_with("py.jsonl:3:"), "{}", r.warnings[0]);
}

fn rust(r: &mut Results, id: &str, s: f64) {
    r.rust.insert(id.into(), RustResult { id: id.into(), mean: s * 1.1, median: s * 1.05, min: s, samples: 10 });
}

fn made_up() -> Results {
    let mut r = Results::default();
    rust(&mut r, "book_2_13/fib_bigint/sequential/2", 2.0e-3);
    rust(&mut r, "book_2_13/fib_bigint/threads/2", 1.0e-3);
    rust(&mut r, "primitives/thread_spawn_join/1", 20e-6);
    rust(&mut r, "primitives/process_spawn_wait/1", 1e-3);
    rust(&mut r, "channel/crossbeam/100000", 4e-3);
    rust(&mut r, "async/tokio_tasks/100000", 10e-3);
    rust(&mut r, "async/tokio_tasks_current_thread/100000", 5e-3);
    rust(&mut r, "async/tokio_sleeps/10000", 2e-3);
    rust(&mut r, "futures_4_2/sequential/10", 0.06);
    rust(&mut r, "futures_4_2/threads/10", 0.03);
    let lines = r#"{"id": "book_2_13/fib_bigint/sequential/2", "impl": "python", "seconds": 0.09, "gc_on_seconds": 0.091}
{"id": "book_2_13/fib_bigint/threads/2", "impl": "python", "seconds": 0.1, "gc_on_seconds": 0.1}
{"id": "primitives/thread_spawn_join/1", "impl": "python", "seconds": 0.0001}
{"id": "primitives/thread_spawn_join/1", "impl": "c", "seconds": 0.00001}
{"id": "primitives/process_spawn_wait/1", "impl": "python", "seconds": 0.003}
{"id": "primitives/process_spawn_wait/fork_exit", "impl": "c", "seconds": 0.0005}
{"id": "primitives/process_spawn_wait/posix_spawn_bench_worker", "impl": "c", "seconds": 0.0008}
{"id": "channel/queue_Queue/100000", "impl": "python", "seconds": 0.1}
{"id": "async/asyncio_tasks/100000", "impl": "python", "seconds": 0.25, "gc_on_seconds": 1.0}
{"id": "futures_4_2/sequential/10", "impl": "python", "seconds": 4.0, "gc_on_seconds": 4.0}
{"id": "futures_4_2/processes/10", "impl": "python", "seconds": 2.0, "gc_on_seconds": 2.0}"#;
    parse_ext_lines(lines, "made-up", &mut r);
    r
}

fn pair(what: &str, first_label: &str) -> &'static Pair {
    PAIRS.iter().find(|p| p.what.starts_with(what) && p.first_label == first_label).unwrap()
}

#[test]
fn ratios_and_speedups() {
    assert_eq!(ratio(Some(1.0), Some(4.0)), Some(0.25));
    assert_eq!(ratio(Some(1.0), Some(0.0)), None);
    assert_eq!(ratio(None, Some(1.0)), None);
    let r = made_up();
    assert_eq!(speedup(&r, Impl::Rust, "book_2_13/fib_bigint", "threads", 2), Some(2.0));
    assert!(close(speedup(&r, PYTHON, "book_2_13/fib_bigint", "threads", 2).unwrap(), 0.9));
    assert_eq!(speedup(&r, Impl::Rust, "book_2_13/fib_bigint", "rayon", 2), None);
}

#[test]
fn pairs_give_ratios_and_their_bounds() {
    let r = made_up();
    // speed-ups: Rust's over Python's, against the ideal min(2, cores)
    let fib = evaluate(pair("fib_bigint, n = 2: speed-up of threads", "Rust threads"), &r, 2);
    assert!(close(fib.ratio.unwrap(), 2.0 / 0.9));
    assert_eq!(fib.bound, "ideal min(n, cores) = 2.00×");
    assert_eq!(
        evaluate(pair("fib_bigint, n = 2: speed-up of threads", "Rust threads"), &r, 1).bound,
        "ideal min(n, cores) = 1.00×"
    );
    // times: how many times faster the first side is, and each side over its C floor
    let spawn = evaluate(pair("thread spawn", "std::thread"), &r, 2);
    assert!(close(spawn.ratio.unwrap(), 5.0));
    assert_eq!(spawn.bound, "C pthread_create + join: 10 µs (std::thread 2.00×, threading.Thread 10.0× of it)");
    let process = evaluate(pair("process spawn + wait", "Command (bench_worker noop)"), &r, 2);
    assert!(close(process.ratio.unwrap(), 3.0));
    assert_eq!(
        process.bound,
        "C posix_spawn of bench_worker: 800 µs (Command (bench_worker noop) 1.25× of it); \
         C fork + _exit: 500 µs (multiprocessing.Process (fork) 6.00× of it)"
    );
    // a side without a result: the floor alone
    let same = evaluate(pair("process spawn + wait of the same program", "Command (bench_worker noop)"), &r, 2);
    assert_eq!(same.bound, "C posix_spawn of bench_worker: 800 µs (Command (bench_worker noop) 1.25× of it)");
    let none = evaluate(pair("thread spawn", "std::thread"), &Results::default(), 2);
    assert_eq!(none.bound, "C pthread_create + join: not measured");
    let chan = evaluate(pair("channel, 100 000 messages, unbounded", "crossbeam unbounded()"), &r, 2);
    assert!(close(chan.ratio.unwrap(), 25.0));
    let tokio = evaluate(pair("100 000 async", "tokio"), &r, 4);
    assert!(close(tokio.ratio.unwrap(), 25.0));
    assert!(tokio.bound.contains("on 4 worker threads") && tokio.bound.contains("up to 4×"), "{}", tokio.bound);
    // one thread each: tokio's current_thread runtime against asyncio with the
    // collector off (the book's way) and on
    let off = PAIRS.iter().find(|p| p.second_label.starts_with("asyncio, collector off")).unwrap();
    let on = PAIRS.iter().find(|p| p.second_label.starts_with("asyncio, collector on")).unwrap();
    assert!(close(evaluate(off, &r, 4).ratio.unwrap(), 50.0));
    assert!(close(evaluate(on, &r, 4).ratio.unwrap(), 200.0));
    assert!(evaluate(on, &r, 4).bound.contains("one thread on each side"));
    // the timers: tokio measured, asyncio not
    let timers = evaluate(pair("10 000 timers", "tokio current_thread (a timer wheel)"), &r, 2);
    assert_eq!((timers.first, timers.second, timers.ratio), (Some(2e-3), None, None));
    let mpi = evaluate(pair("MPI", "rsmpi"), &r, 2);
    assert_eq!((mpi.first, mpi.second, mpi.ratio), (None, None, None));
}

fn machine() -> Machine {
    Machine {
        cpu: "Test CPU".into(),
        logical_cpus: 2,
        available: 2,
        os: "Test OS".into(),
        date: "2025-01-02 03:04 UTC".into(),
    }
}

#[test]
fn report_renders_every_section() {
    let r = made_up();
    let m = machine();
    let ctx = Context { machine: &m, sources: vec![], info: &[], smoke: false, plots: &[] };
    let md = render(&r, &ctx);
    assert!(md.contains("Test CPU (2 logical CPUs)"));
    assert!(md.contains("limit, 2 cores (the book's) |\n| --- | ---: | ---: | ---: | ---: | ---: |\n"), "{md}");
    assert!(md.contains("## How every figure is timed") && md.contains("number=k"));
    // the book beside today: book 1.01×, Python 0.1/0.09, Rust 0.5, limit 1/min(2, 2)
    assert!(md.contains("| Fibonacci, big integers (the book's) | 2 | 1.01× | 1.11× | 0.50× | 0.50× |"), "{md}");
    assert!(
        md.contains("| URL read (loopback server, fixed latency) | 8 | 0.18× | not measured | not measured | 0.12× |"),
        "{md}"
    );
    // the times, as the book prints them
    assert!(md.contains(
        "| Fibonacci, big integers (the book's) | 2 | 0.090000 | 0.100000 | 0.002000 | 0.001000 | not measured | not measured | not measured |"
    ), "{md}");
    // speed-ups with their ideal
    assert!(md.contains("| Fibonacci, big integers (the book's) | 2 | 0.90× | not measured | 2.00× | not measured | not measured | 2.00× |"), "{md}");
    assert!(
        md.contains(
            "| empty function | 8 | not measured | not measured | not measured | not measured | not measured | 1.00× |"
        ),
        "{md}"
    );
    // the floor
    assert!(md.contains("| thread spawn + join | C: pthread_create + pthread_join | 10 µs | (a floor) |"), "{md}");
    assert!(md.contains("| thread spawn + join | Python: threading.Thread start + join | 100 µs | 10.0× |"), "{md}");
    assert!(md.contains("| Python: multiprocessing.Process, fork start method | 3 ms | 6.00× |"), "{md}");
    // the pairs
    assert!(md.contains("| thread spawn + join | std::thread | 20 µs | threading.Thread | 100 µs | 5.00× |"), "{md}");
    // the collector: only the asyncio row changes by 10 % or more
    assert!(md.contains("1 of 5 rows are 10% slower or more with it on"), "{md}");
    assert!(!md.contains("the lowest on / off"), "no row is faster with the collector on: {md}");
    assert!(md.contains("| `async/asyncio_tasks/100000` | 250 ms | 1 s | 4.00× |"), "{md}");
    assert!(!md.contains("| `book_2_13/fib_bigint/sequential/2` | 90 ms"), "{md}");
    // the §4.2 table: the book's run beside today's, each with its speed-up
    assert!(md.contains("## 8. The 1st edition's §4.2"), "{md}");
    assert!(md.contains("| sequential | 7.936586 | 1.00× | 4.000000 | 1.00× | 0.060000 | 1.00× |"), "{md}");
    assert!(
        md.contains("| ThreadPoolExecutor(5) | 7.633089 | 1.04× | not measured | not measured | 0.030000 | 2.00× |"),
        "{md}"
    );
    assert!(
        md.contains("| ProcessPoolExecutor(5) | 4.787094 | 1.66× | 2.000000 | 2.00× | not measured | not measured |"),
        "{md}"
    );
    // the rest
    assert!(md.contains("## 7. The 2nd edition's chapter 1 test"));
    assert!(md.contains("## 9. Every result"));
    assert!(md.contains("| c | `primitives/thread_spawn_join/1` | 0.0000100 | — | — | — |"), "{md}");
    assert!(!md.contains("Smoke run"));
    assert!(!md.contains("MISSED") && !md.contains("verdict"), "the report judges nothing against targets");
}

#[test]
fn a_machine_with_more_cores_gets_its_own_limit_column() {
    let mut r = made_up();
    // a row that comes out faster with the collector on: the noise, stated
    parse_ext_lines(
        r#"{"id": "book_2_13/empty/threads/1", "impl": "python", "seconds": 2e-4, "gc_on_seconds": 1.8e-4}"#,
        "noisy",
        &mut r,
    );
    let mut m = machine();
    m.available = 4;
    m.logical_cpus = 4;
    let ctx = Context { machine: &m, sources: vec![], info: &[], smoke: true, plots: &[] };
    let md = render(&r, &ctx);
    assert!(
        md.contains(
            "limit, 2 cores (the book's) | limit, 4 cores (here) |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
        ),
        "{md}"
    );
    assert!(
        md.contains(
            "| Fibonacci, big integers (the book's) | 4 | 1.00× | not measured | not measured | 0.50× | 0.25× |"
        ),
        "{md}"
    );
    assert!(md.contains("Smoke run"));
    assert!(md.contains("1 of 6 rows are 10% slower") && md.contains("the lowest on / off here is 0.90×"), "{md}");
}

#[test]
fn formats() {
    assert_eq!(fmt_secs(0.021832), "0.021832");
    assert_eq!(fmt_secs(3.133642), "3.133642");
    assert_eq!(fmt_secs(0.000188), "0.000188");
    assert_eq!(fmt_secs(3.1e-8), "0.0000000310");
    assert_eq!(fmt_si(45.0e-6), "45 µs");
    assert_eq!(fmt_si(1.234e-3), "1.23 ms");
    assert_eq!(fmt_si(0.2364), "236 ms");
    assert_eq!(fmt_si(2.0), "2 s");
    assert_eq!(fmt_si(5.5e-9), "5.5 ns");
    assert_eq!(fmt_ratio(1.934), "1.93×");
    assert_eq!(fmt_ratio(57.25), "57.2×");
    assert_eq!(fmt_ratio(250.0), "250×");
    assert_eq!(fmt_ratio(0.0123), "0.012×");
    assert_eq!(fmt_ratio(0.00041), "0.00041×");
    let mut md = String::new();
    table(&mut md, "lr", &["a", "b"], [vec!["x".to_string(), "1".to_string()]]);
    assert_eq!(md, "| a | b |\n| --- | ---: |\n| x | 1 |\n\n");
}

#[test]
fn machine_parsing() {
    let cpuinfo = "processor\t: 0\nmodel name\t: Intel(R) Xeon(R)  CPU @ 2.20GHz\n\nprocessor\t: 1\nmodel name\t: Intel(R) Xeon(R)  CPU @ 2.20GHz\n";
    assert_eq!(machine::parse_cpuinfo(cpuinfo), ("Intel(R) Xeon(R) CPU @ 2.20GHz".to_string(), 2));
    assert_eq!(machine::parse_cpuinfo("").0, "unknown CPU");
    assert_eq!(
        machine::parse_os_release("NAME=\"Debian\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"),
        Some("Debian GNU/Linux 12 (bookworm)".into())
    );
    assert_eq!(machine::utc_date_time(0), "1970-01-01 00:00 UTC");
    assert_eq!(machine::utc_date_time(951_782_400 + 3_600 * 13 + 60 * 7), "2000-02-29 13:07 UTC");
    assert_eq!(machine::utc_date_time(1_735_689_600), "2025-01-01 00:00 UTC");
    let mut m = machine();
    assert_eq!(m.cores(), 2);
    m.available = 0;
    assert_eq!(m.cores(), 2);
    m.logical_cpus = 0;
    assert_eq!(m.cores(), 1);
}

#[test]
fn plots_are_drawn_with_their_limits() {
    let r = made_up();
    let dir = tempdir();
    let path = dir.join("ratios.svg");
    crate::plots::draw(&path, "test", &crate::plots::book_ratio_panels(&r, 2), 2).unwrap();
    let svg = fs::read_to_string(&path).unwrap();
    assert!(svg.contains("the book, 2015 (2 cores)") && svg.contains("ideal (the limit)"), "{svg}");
    let path = dir.join("speedup.svg");
    crate::plots::draw(&path, "test", &crate::plots::speedup_panels(&Results::default(), 2), 3).unwrap();
    assert!(fs::read_to_string(&path).unwrap().contains("not measured"));
    fs::remove_dir_all(&dir).unwrap();
}

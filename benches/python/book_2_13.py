#!/usr/bin/env python3
"""Python twin of the `book_2_13` criterion bench.

1st edition section 2.13, "Evaluating the performance of multithread applications":
one function, `function_to_run()`, is wrapped in a `Thread` subclass whose `run()`
calls it and in a plain object with a `run()` method; `non_threaded(n)` makes n
plain objects and runs them one after the other, `threaded(n)` makes n threads,
starts them all and joins them all. Each is timed with `timeit`, `number=1`, and
the minimum over the repeats is kept (here: the method of _twins.py, which is the
book's for every row of a millisecond or more). This twin adds a third way, the
one the book recommends against the GIL: `processes(n)` does the same with a
`multiprocessing.Process` subclass.

Workloads (the book swaps the body of `function_to_run()`):
  empty       `pass`
  fib_bigint  the book's loop, `a, b = b, a + b` 10 000 times (big integers)
  fib_u64     the same loop kept to 64 bits with a mask: the value the Rust
              bench's wrapping-u64 variant computes (NOT the book's work)
  file_read   open a 1 024 000-byte temp file and read 1 024 bytes 1 000 times
  url_read    10 times, urlopen() a loopback HTTP server of this script, which
              answers after a fixed latency, and read the first 1 024 bytes

One JSON object per line on stdout, with the id of the Rust bench it pairs with:
  {"id": "book_2_13/fib_bigint/threads/2", "impl": "python", "seconds": ...,
   "gc_on_seconds": ..., "repeats": ..., "number": ...}
The book-style lines (`non_threaded (2 iters)  0.002345 seconds`) go to stderr.

Repeats: the book's 100, stopped early once a row has spent its time budget
(at least 3 repeats); `--quick`: at most 20, a smaller budget; `--tiny`: tiny
sizes and one repeat, for smoke runs only (the numbers mean nothing).
Standard library only.
"""

import http.server
import multiprocessing
import os
import sys
import tempfile
import threading
import time

import urllib.request

from _twins import add_list_argument, emit, level_of, measure, new_parser, start_and_join

NS = [1, 2, 4, 8]
WORKLOADS = ["empty", "fib_bigint", "fib_u64", "file_read", "url_read"]
MODES = ["sequential", "threads", "processes"]

FIB_STEPS = 10_000
FILE_CHUNK = 1024
FILE_READS = 1000
FILE_SIZE = FILE_CHUNK * FILE_READS
URL_GETS = 10
URL_READ_BYTES = 1024
URL_BODY_SIZE = 8 * 1024
MASK_64 = (1 << 64) - 1


# --- the bodies of function_to_run() ------------------------------------------------

def empty():
    pass


def fib_bigint(steps=FIB_STEPS):
    a, b = 0, 1
    for i in range(steps):
        a, b = b, a + b


def fib_u64(steps=FIB_STEPS):
    a, b = 0, 1
    for i in range(steps):
        a, b = b, (a + b) & MASK_64


def file_read(path):
    # The book never closes its file; `with` does, a little more work per call.
    with open(path, "rb") as fh:
        for i in range(FILE_READS):
            fh.read(FILE_CHUNK)


def url_read(url):
    for i in range(URL_GETS):
        with urllib.request.urlopen(url) as f:
            f.read(URL_READ_BYTES)


def make_function(spec):
    """The function of a workload spec `(name, arg)`; a spec is picklable, so a
    child process rebuilds its function from it under any start method."""
    name, arg = spec
    if name == "empty":
        return empty
    if name in ("fib_bigint", "fib_u64"):
        body = fib_bigint if name == "fib_bigint" else fib_u64
        return lambda: body(arg)
    if name == "file_read":
        return lambda: file_read(arg)
    if name == "url_read":
        return lambda: url_read(arg)
    raise ValueError(f"unknown workload {name!r}")


# The book swaps this function for each test; so does main().
function_to_run = empty
current_spec = ("empty", None)


# --- the book's harness ----------------------------------------------------------------

class threads_object(threading.Thread):
    def run(self):
        function_to_run()


class nothreads_object(object):
    def run(self):
        function_to_run()


class processes_object(multiprocessing.Process):
    def __init__(self):
        super().__init__()
        self.spec = current_spec

    def run(self):
        make_function(self.spec)()


def non_threaded(num_iter):
    funcs = []
    for i in range(int(num_iter)):
        funcs.append(nothreads_object())
    for i in funcs:
        i.run()


def threaded(num_threads):
    funcs = []
    for i in range(int(num_threads)):
        funcs.append(threads_object())
    start_and_join(funcs)  # the book's two loops: start() each, then join() each


def processes(num_processes):
    funcs = []
    for i in range(int(num_processes)):
        funcs.append(processes_object())
    start_and_join(funcs)


RUNNERS = {"sequential": non_threaded, "threads": threaded, "processes": processes}
BOOK_LABELS = {"sequential": "non_threaded (%s iters)", "threads": "threaded (%s threads)",
               "processes": "processes (%s procs)"}


# --- the loopback server of the URL workload -------------------------------------------

def page_body():
    body = b"<!DOCTYPE html>\n<html><head><title>Parallel Cookbook</title></head><body>\n"
    while len(body) < URL_BODY_SIZE:
        body += b"<p>waiting is the lesson</p>\n"
    return body[:URL_BODY_SIZE]


class SlowHandler(http.server.BaseHTTPRequestHandler):
    """Answers every GET after the server's fixed latency, like the Rust bench's
    server; one thread per connection (ThreadingHTTPServer)."""

    body = page_body()

    def do_GET(self):
        time.sleep(self.server.latency)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(self.body)))
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            self.wfile.write(self.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client read its 1 024 bytes and left

    def log_message(self, format, *args):
        pass


class SlowServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # 8 clients connecting at once must not overflow the backlog

    def __init__(self, latency):
        super().__init__(("127.0.0.1", 0), SlowHandler)
        self.latency = latency


# --- timing ------------------------------------------------------------------------------

def parse_args(argv):
    p = new_parser(__doc__)
    env_latency = os.environ.get("BENCH_URL_LATENCY_MS")
    p.add_argument("--latency-ms", type=float, default=None,
                   help="latency of the loopback server in ms (default: $BENCH_URL_LATENCY_MS, "
                        "else 50; 1 with --tiny)")
    add_list_argument(p, "--workloads", WORKLOADS)
    add_list_argument(p, "--modes", MODES)
    a = p.parse_args(argv)
    if a.latency_ms is None:
        if env_latency is not None:
            try:
                a.latency_ms = float(env_latency)
            except ValueError:
                p.error(f"BENCH_URL_LATENCY_MS must be a number, not {env_latency!r}")
        else:
            a.latency_ms = 1.0 if a.tiny else 50.0
    if a.latency_ms < 0:
        p.error("--latency-ms must not be negative")
    return a


def main(argv):
    global function_to_run, current_spec
    args = parse_args(argv)
    level = level_of(args)
    fib_steps = 1_000 if args.tiny else FIB_STEPS
    workloads, modes = args.workloads, args.modes
    print(f"book_2_13.py: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"multiprocessing start method {multiprocessing.get_start_method()}, "
          f"url latency {args.latency_ms:g} ms" + (", TINY sizes" if args.tiny else ""), file=sys.stderr)

    data_dir = tempfile.TemporaryDirectory(prefix="cookbook-2-13-py-")
    server = None
    try:
        for workload in workloads:
            if workload == "file_read":
                path = os.path.join(data_dir.name, "test.dat")
                with open(path, "wb") as fh:
                    fh.write(bytes(i % 251 for i in range(FILE_SIZE)))
                arg = path
            elif workload == "url_read":
                server = SlowServer(args.latency_ms / 1000.0)
                threading.Thread(target=server.serve_forever, name="http-server", daemon=True).start()
                arg = "http://127.0.0.1:%d/" % server.server_address[1]
            elif workload in ("fib_bigint", "fib_u64"):
                arg = fib_steps
            else:
                arg = None
            current_spec = (workload, arg)
            function_to_run = make_function(current_spec)
            print(f"Starting tests: {workload}", file=sys.stderr)
            for n in NS:
                for mode in modes:
                    run = RUNNERS[mode]
                    result = measure(lambda: run(n), level)
                    print("%-23s %4.6f seconds" % (BOOK_LABELS[mode] % n, result["seconds"]), file=sys.stderr)
                    emit(f"book_2_13/{workload}/{mode}/{n}", result)
            print("Iterations complete", file=sys.stderr)
            if server is not None:
                server.shutdown()
                server.server_close()
                server = None
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
        data_dir.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Python twin of the `do_something` criterion bench.

The 2nd edition's chapter 1 test: `do_something(count, out_list)` appends `count`
floats from `random.random()` to a list, one `append` at a time, and the job runs
it once per worker:
  sequential  one call after the other, each with a fresh list (serial_test.py)
  threads     one threading.Thread per call (multithreading_test.py, as the book
              meant it: `Thread(target=do_something, args=(size, out_list))`; the
              book's own listing calls the function while building the thread, so
              its work runs serially before any thread starts)
  processes   one multiprocessing.Process per call (multiprocessing_test.py); each
              child fills its own copy of its list
for workers = 1, 2, 4, 8, 10 and `size` items per list (env DO_SOMETHING_SIZE or
--size, default 100 000; the book's 10 000 000 takes minutes). The book times one
run with time.time(); this twin keeps the minimum over repeats with timeit, like
the 1st edition section 2.13 and the criterion bench it pairs with.

One JSON object per line on stdout:
  {"id": "do_something/threads/4", "impl": "python", "seconds": ..., "repeats": ...}
and book-style lines (`threads (4 workers)  0.123456 seconds`) on stderr.

Repeats: at most 100, stopped once a row has spent its time budget (at least 5);
`--quick`: at most 20, at least 3; `--tiny`: 1 000 items and one repeat, a smoke
run only. `--latency-ms` is accepted for a uniform command line and not used.
Standard library only.
"""

import argparse
import json
import multiprocessing
import os
import random
import sys
import threading

from _timing import best_of

WORKERS = [1, 2, 4, 8, 10]
MODES = ["sequential", "threads", "processes"]
DEFAULT_SIZE = 100_000


def do_something(count, out_list):
    for i in range(count):
        out_list.append(random.random())


def sequential(size, workers):
    for i in range(workers):
        out_list = list()
        do_something(size, out_list)


def threads(size, workers):
    jobs = []
    for i in range(workers):
        out_list = list()
        jobs.append(threading.Thread(target=do_something, args=(size, out_list)))
    for j in jobs:
        j.start()
    for j in jobs:
        j.join()


def processes(size, workers):
    jobs = []
    for i in range(workers):
        out_list = list()
        jobs.append(multiprocessing.Process(target=do_something, args=(size, out_list)))
    for j in jobs:
        j.start()
    for j in jobs:
        j.join()
    for j in jobs:
        if j.exitcode != 0:
            raise RuntimeError(f"a worker process failed with exit code {j.exitcode}")


RUNNERS = {"sequential": sequential, "threads": threads, "processes": processes}


def positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="fewer repeats (at most 20, budget 0.5 s a row)")
    p.add_argument("--tiny", action="store_true",
                   help="1 000 items and one repeat: a smoke run of a few seconds, numbers meaningless")
    p.add_argument("--size", type=positive_int, default=None,
                   help="items per list (default: $DO_SOMETHING_SIZE, else 100 000)")
    p.add_argument("--latency-ms", type=float, default=None, help="accepted and ignored (no network here)")
    p.add_argument("--modes", default=",".join(MODES), help="comma-separated modes (default: all)")
    p.add_argument("--repeats", type=positive_int, default=None,
                   help="at most this many repeats (default 100, 20 with --quick)")
    a = p.parse_args(argv)
    for m in a.modes.split(","):
        if m not in MODES:
            p.error(f"unknown mode {m!r} (choose from {', '.join(MODES)})")
    if a.size is None:
        env = os.environ.get("DO_SOMETHING_SIZE")
        if a.tiny:
            a.size = 1_000
        elif env is not None:
            try:
                a.size = positive_int(env)
            except argparse.ArgumentTypeError as e:
                p.error(f"DO_SOMETHING_SIZE: {e}")
        else:
            a.size = DEFAULT_SIZE
    return a


def main(argv):
    args = parse_args(argv)
    if args.tiny:
        max_repeats, min_repeats, budget = 1, 1, 0.0
    elif args.quick:
        max_repeats, min_repeats, budget = 20, 3, 0.5
    else:
        max_repeats, min_repeats, budget = 100, 5, 2.0
    if args.repeats is not None:
        max_repeats = args.repeats
        min_repeats = min(min_repeats, max_repeats)
    modes = args.modes.split(",")
    print(f"do_something.py: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"multiprocessing start method {multiprocessing.get_start_method()}, size {args.size}"
          + (", TINY" if args.tiny else ""), file=sys.stderr)
    for workers in WORKERS:
        for mode in modes:
            run = RUNNERS[mode]
            seconds, repeats = best_of(lambda: run(args.size, workers), max_repeats, min_repeats, budget)
            print("%-23s %4.6f seconds" % (f"{mode} ({workers} workers)", seconds), file=sys.stderr)
            print(json.dumps({"id": f"do_something/{mode}/{workers}", "impl": "python",
                              "seconds": seconds, "repeats": repeats}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

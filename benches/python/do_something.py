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
run with time.time(); this twin keeps the fastest of several repeats with timeit,
the method of _twins.py, like the 1st edition section 2.13 and the criterion
bench it pairs with.

One JSON object per line on stdout:
  {"id": "do_something/threads/4", "impl": "python", "seconds": ..., "gc_on_seconds": ..., ...}
and book-style lines (`threads (4 workers)  0.123456 seconds`) on stderr.

Repeats: at most 100, stopped once a row has spent its time budget (at least 3);
`--quick`: at most 20; `--tiny`: 1 000 items and one repeat, a smoke run only.
Standard library only.
"""

import argparse
import multiprocessing
import os
import random
import sys
import threading

from _twins import add_list_argument, emit, level_of, measure, new_parser, start_and_join

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


def parallel(kind):
    """threads (multithreading_test.py) or processes (multiprocessing_test.py):
    one worker per list, each list fresh."""
    def run(size, workers):
        start_and_join([kind(target=do_something, args=(size, list())) for i in range(workers)])
    return run


RUNNERS = {"sequential": sequential, "threads": parallel(threading.Thread),
           "processes": parallel(multiprocessing.Process)}


def positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def parse_args(argv):
    p = new_parser(__doc__)
    p.add_argument("--size", type=positive_int, default=None,
                   help="items per list (default: $DO_SOMETHING_SIZE, else 100 000)")
    add_list_argument(p, "--modes", MODES)
    a = p.parse_args(argv)
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
    level = level_of(args)
    modes = args.modes
    print(f"do_something.py: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"multiprocessing start method {multiprocessing.get_start_method()}, size {args.size}"
          + (", TINY" if args.tiny else ""), file=sys.stderr)
    for workers in WORKERS:
        for mode in modes:
            run = RUNNERS[mode]
            result = measure(lambda: run(args.size, workers), level)
            print("%-23s %4.6f seconds" % (f"{mode} ({workers} workers)", result["seconds"]), file=sys.stderr)
            emit(f"do_something/{mode}/{workers}", result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Python twin of benches/futures_4_2.rs: the 1st edition's section 4.2 with
concurrent.futures, timed by the method of _twins.py.

Rows (ids as the Rust benches they pair with):
  futures_4_2/sequential/10   count(1..10) one after another
  futures_4_2/threads/10      the ten calls submitted to a ThreadPoolExecutor(5),
                              collected with as_completed, inside its `with` block
  futures_4_2/processes/10    the same on a ProcessPoolExecutor(5), made and shut
                              down inside the timing (as the book's `with` block)

count(number) is the book's loop of FUTURES_ITERATIONS increments (default
10 000 000, the book's), returning iterations * number.

Each row prints one JSON object per line on stdout (see _twins.py).

Usage: .venv/bin/python benches/python/futures_4_2.py [--quick | --tiny]
"""

import concurrent.futures
import os

from _twins import emit, level_of, measure, new_parser

NUMBERS = list(range(1, 11))
WORKERS = 5


def iterations(tiny):
    text = os.environ.get("FUTURES_ITERATIONS")
    if text is None:
        return 10_000 if tiny else 10_000_000
    n = int(text)
    if n < 1:
        raise SystemExit(f"FUTURES_ITERATIONS must be at least 1, not {text!r}")
    return n


ITERATIONS = 10_000_000  # set in main(); module-level so that pool workers see it


def count(number):
    i = 0
    for i in range(0, ITERATIONS):
        i = i + 1
    return i * number


def expected():
    return ITERATIONS * sum(NUMBERS)


def check(total):
    if total != expected():
        raise SystemExit(f"futures_4_2.py: the results add up to {total}, not {expected()}")


def sequential():
    check(sum(count(n) for n in NUMBERS))


def pooled(executor_class):
    def run():
        with executor_class(max_workers=WORKERS) as executor:
            futures = [executor.submit(count, n) for n in NUMBERS]
            check(sum(f.result() for f in concurrent.futures.as_completed(futures)))
    return run


def main():
    global ITERATIONS
    args = new_parser(__doc__).parse_args()
    level = level_of(args)
    ITERATIONS = iterations(args.tiny)
    # Pool workers started by fork inherit ITERATIONS; with the spawn start method
    # they would re-import this file and read the environment again.
    os.environ["FUTURES_ITERATIONS"] = str(ITERATIONS)
    n = len(NUMBERS)
    emit(f"futures_4_2/sequential/{n}", measure(sequential, level), iterations=ITERATIONS)
    emit(f"futures_4_2/threads/{n}", measure(pooled(concurrent.futures.ThreadPoolExecutor), level),
         iterations=ITERATIONS)
    emit(f"futures_4_2/processes/{n}", measure(pooled(concurrent.futures.ProcessPoolExecutor), level),
         iterations=ITERATIONS)


if __name__ == "__main__":
    main()

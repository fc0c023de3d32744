"""What the Python twins share: the one timing method of every twin, the run
levels, the JSON line the report reads, and the book's "start them all, join
them all". Not a twin itself: scripts/bench skips files whose name starts with
an underscore.

The method (the same in the C twins, and what criterion's samples are for Rust):
a figure is the fastest of several repeats, in seconds per call; a repeat is
`timeit.Timer(call).timeit(number)` divided by `number`, the book's way
(1st edition section 2.13 times `repeat(repeat=100, number=1)`). `number` grows
1, 2, 5, 10, ... until one repeat lasts at least 1 ms (as timeit's autorange
does, with a shorter target), so the section 2.13 rows of a millisecond or more
keep the book's number=1.

timeit turns the garbage collector off while it times. Every row is timed that
way ("seconds", the book's figure) and also with the collector on
("gc_on_seconds", timeit's `setup=gc.enable`), in repeats that alternate.
"""

import argparse
import gc
import json
import time
import timeit

MIN_REPEAT_SECONDS = 1e-3

# (at most, at least) repeats and the time budget of a row, in seconds
LEVELS = {"full": (100, 3, 2.0), "quick": (20, 3, 0.5), "tiny": (1, 1, 0.0)}


def new_parser(doc):
    """A twin's command line: its docstring's first paragraph, --quick and --tiny."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    level = parser.add_mutually_exclusive_group()
    level.add_argument("--quick", action="store_true", help="fewer repeats (at most 20, 0.5 s a row)")
    level.add_argument("--tiny", action="store_true",
                       help="tiny sizes and one repeat: a smoke run, numbers meaningless")
    return parser


def add_list_argument(parser, flag, allowed):
    """`flag a,b`: some of `allowed`, comma-separated (default: all of them)."""
    def parse(text):
        items = text.split(",")
        for item in items:
            if item not in allowed:
                raise argparse.ArgumentTypeError(f"unknown {item!r} (choose from {', '.join(allowed)})")
        return items
    parser.add_argument(flag, type=parse, default=list(allowed),
                        help=f"comma-separated, among {', '.join(allowed)} (default: all)")


def level_of(args):
    return LEVELS["tiny" if args.tiny else "quick" if args.quick else "full"]


def calls_per_repeat(timer):
    """timeit's `number`: 1, 2, 5, 10, ... until one repeat lasts at least
    MIN_REPEAT_SECONDS (like timeit's autorange; the first repeat is also the
    warm-up)."""
    number, step = 1, 0
    while timer.timeit(number) < MIN_REPEAT_SECONDS:
        number = number * 5 // 2 if step % 3 == 1 else number * 2
        step += 1
    return number


def measure(func, level):
    """The fastest repeat with the collector off and on: a dict for `emit`."""
    max_repeats, min_repeats, budget = level
    timers = (timeit.Timer(func), timeit.Timer(func, setup=gc.enable))
    number = calls_per_repeat(timers[0])
    best = [float("inf"), float("inf")]
    repeats = 0
    started = time.perf_counter()
    while repeats < max_repeats:
        for i, timer in enumerate(timers):
            best[i] = min(best[i], timer.timeit(number) / number)
        repeats += 1
        if repeats >= min_repeats and time.perf_counter() - started > budget:
            break
    return {"seconds": best[0], "gc_on_seconds": best[1], "repeats": repeats, "number": number}


def emit(row_id, result, **extra):
    """One result line on stdout."""
    print(json.dumps({"id": row_id, "impl": "python", **result, **extra}), flush=True)


def start_and_join(workers):
    """The book's threaded(): start every worker, then join every one; a process
    that failed is an error."""
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    for w in workers:
        if getattr(w, "exitcode", 0) != 0:
            raise RuntimeError(f"a worker process failed with exit code {w.exitcode}")

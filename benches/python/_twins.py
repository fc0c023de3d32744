"""What the Python twins share: the one timing method of every twin, the run
levels, the JSON line the report reads, and the book's "start them all, join
them all". Not a twin itself: scripts/bench skips files whose name starts with
an underscore.

The method (the same in the C twins, and what criterion's samples are for Rust):
a figure is the fastest of several repeats, in seconds per call; a repeat is
`timeit.Timer(call).timeit(number)` divided by `number`, the book's way
(1st edition section 2.13 times `repeat(repeat=100, number=1)`). `number` grows
1, 2, 5, 10, ... until one repeat lasts at least 1 ms, so the section 2.13 rows
of a millisecond or more keep the book's number=1.

timeit turns the garbage collector off while it times. Every row is timed that
way ("seconds", the book's figure) and also with the collector on
("gc_on_seconds", timeit's `setup=gc.enable`), in repeats that alternate.
"""

import gc
import json
import time
import timeit

MIN_REPEAT_SECONDS = 1e-3

# (at most, at least) repeats and the time budget of a row, in seconds
LEVELS = {"full": (100, 3, 2.0), "quick": (20, 3, 0.5), "tiny": (1, 1, 0.0)}


def add_level_arguments(parser):
    """--quick and --tiny, shared by every twin."""
    level = parser.add_mutually_exclusive_group()
    level.add_argument("--quick", action="store_true", help="fewer repeats (at most 20, 0.5 s a row)")
    level.add_argument("--tiny", action="store_true",
                       help="tiny sizes and one repeat: a smoke run, numbers meaningless")


def level_of(args):
    return LEVELS["tiny" if args.tiny else "quick" if args.quick else "full"]


def calls_per_repeat(func):
    """timeit's `number` for `func`: 1, 2, 5, 10, ... until one repeat lasts at
    least MIN_REPEAT_SECONDS, judged from one call (which is also the warm-up)."""
    one = timeit.Timer(func).timeit(number=1)
    number, step = 1, 0
    while number * one < MIN_REPEAT_SECONDS:
        number = number * 5 // 2 if step % 3 == 1 else number * 2
        step += 1
    return number


def measure(func, level):
    """The fastest repeat with the collector off and on: a dict for `emit`."""
    max_repeats, min_repeats, budget = level
    number = calls_per_repeat(func)
    timers = (timeit.Timer(func), timeit.Timer(func, setup=gc.enable))
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

"""Python twins of benches/primitives.rs: what one thread, one process, one queue
message and one asyncio task cost in CPython, timed the book's way (timeit-style:
the minimum over repeats, as in the 1st edition's section 2.13).

Rows (ids as the Rust benches they pair with):
  primitives/thread_spawn_join/1   threading.Thread start + join of a no-op target
  primitives/process_spawn_wait/1  multiprocessing.Process start + join of a no-op
                                   target, with the platform's default start method
                                   (reported as "start_method": "fork" on Linux
                                   before Python 3.14)
  channel/queue_Queue/<n>          a fresh queue.Queue, one producer thread putting
                                   n ints, the main thread getting them all, join
  async/asyncio_tasks/<n>          n trivial tasks created and gathered, timed inside
                                   one running event loop (as the Rust side builds
                                   its tokio runtime outside the measurement)

Each row prints one JSON object per line on stdout:
  {"id": ..., "impl": "python", "seconds": <min seconds per iteration>, "repeats": <int>,
   "median_seconds": <median over the repeats>}

Usage: .venv/bin/python benches/python/primitives.py [--quick | --tiny] [--latency-ms N]
"""

import argparse
import asyncio
import json
import multiprocessing
import queue
import statistics
import threading
import time
import timeit


def emit(row_id, times, repeats, **extra):
    """`times`: the per-iteration seconds of each repeat; "seconds" is their
    minimum (the book's statistic), "median_seconds" an extra for reports that
    compare against a central estimate such as criterion's."""
    row = {"id": row_id, "impl": "python", "seconds": min(times), "repeats": repeats,
           "median_seconds": statistics.median(times)}
    row.update(extra)
    print(json.dumps(row), flush=True)


def noop():
    pass


def per_iteration(stmt, repeat, number):
    """timeit's way: `repeat` measurements of `number` calls, each divided by number."""
    times = timeit.Timer(stmt).repeat(repeat=repeat, number=number)
    return [t / number for t in times]


# --- primitives/thread_spawn_join/1 ------------------------------------------------

def thread_spawn_join():
    t = threading.Thread(target=noop)
    t.start()
    t.join()


# --- primitives/process_spawn_wait/1 -----------------------------------------------

def process_spawn_wait():
    p = multiprocessing.Process(target=noop)
    p.start()
    p.join()
    if p.exitcode != 0:
        raise SystemExit(f"child process failed with exit code {p.exitcode}")


# --- channel/queue_Queue/<n> -------------------------------------------------------

def queue_throughput(n):
    q = queue.Queue()

    def producer():
        for i in range(n):
            q.put(i)

    t = threading.Thread(target=producer)
    t.start()
    total = 0
    for _ in range(n):
        total += q.get()
    t.join()
    if total != n * (n - 1) // 2:
        raise SystemExit(f"queue lost items: sum {total}")


# --- async/asyncio_tasks/<n> -------------------------------------------------------

async def trivial(i):
    return i


async def asyncio_tasks_times(n, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        tasks = [asyncio.create_task(trivial(i)) for i in range(n)]
        results = await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start
        if sum(results) != n * (n - 1) // 2:
            raise SystemExit("asyncio lost results")
        times.append(elapsed)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="fewer repeats")
    size.add_argument("--tiny", action="store_true",
                      help="tiny sizes and repeats, for CI smoke runs")
    parser.add_argument("--latency-ms", type=float, default=50.0,
                        help="accepted like every twin; unused here (no network)")
    args = parser.parse_args()

    if args.tiny:
        n, rep = 1_000, {"thread": 5, "process": 3, "queue": 3, "asyncio": 3}
    elif args.quick:
        n, rep = 100_000, {"thread": 20, "process": 10, "queue": 3, "asyncio": 3}
    else:
        n, rep = 100_000, {"thread": 100, "process": 30, "queue": 10, "asyncio": 10}

    # Like the book: number=1 per measurement, minimum over the repeats.
    emit("primitives/thread_spawn_join/1",
         per_iteration(thread_spawn_join, rep["thread"], 1), rep["thread"])

    emit("primitives/process_spawn_wait/1",
         per_iteration(process_spawn_wait, rep["process"], 1), rep["process"],
         start_method=multiprocessing.get_start_method())

    emit(f"channel/queue_Queue/{n}",
         per_iteration(lambda: queue_throughput(n), rep["queue"], 1), rep["queue"])

    emit(f"async/asyncio_tasks/{n}",
         asyncio.run(asyncio_tasks_times(n, rep["asyncio"])), rep["asyncio"])


if __name__ == "__main__":
    main()

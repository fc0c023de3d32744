"""Python twins of benches/primitives.rs: what one thread, one process, one queue
message and one asyncio task cost in CPython, timed by the method of _twins.py.

Rows (ids as the Rust benches they pair with):
  primitives/thread_spawn_join/1   threading.Thread start + join of a no-op target
  primitives/process_spawn_wait/1  multiprocessing.Process start + join of a no-op
                                   target, with the platform's default start method
                                   (reported as "start_method": "fork" on Linux
                                   before Python 3.14)
  primitives/process_spawn_wait/subprocess_bench_worker
                                   subprocess.run of `bench_worker noop`, the
                                   program the Rust row starts (only when the
                                   environment variable BENCH_WORKER names it)
  channel/queue_Queue/<n>          a fresh queue.Queue, one producer thread putting
                                   n ints, the main thread getting them all, join
  channel/queue_Queue_maxsize_1024/<n>
                                   the same with queue.Queue(maxsize=1024): the
                                   producer waits while 1 024 are in the queue
  async/asyncio_tasks/<n>          n trivial tasks created and gathered, in an event
                                   loop made once outside the measurement (as the
                                   Rust side builds its tokio runtime once)
  async/asyncio_sleeps/<t>         t tasks that each await asyncio.sleep of a random
                                   0-1 ms (seeded), gathered: the cost of the loop's
                                   timers beyond the longest sleep

Each row prints one JSON object per line on stdout (see _twins.py).

Usage: .venv/bin/python benches/python/primitives.py [--quick | --tiny]
"""

import asyncio
import multiprocessing
import os
import queue
import random
import subprocess
import sys
import threading

from _twins import emit, level_of, measure, new_parser


def noop():
    pass


def thread_spawn_join():
    t = threading.Thread(target=noop)
    t.start()
    t.join()


def process_spawn_wait():
    p = multiprocessing.Process(target=noop)
    p.start()
    p.join()
    if p.exitcode != 0:
        raise SystemExit(f"child process failed with exit code {p.exitcode}")


def program_spawn_wait(program):
    return lambda: subprocess.run([program, "noop"], check=True)


def queue_round(n, maxsize=0):
    def run():
        q = queue.Queue(maxsize=maxsize)

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
    return run


async def trivial(i):
    return i


async def spawn_and_gather(n):
    tasks = [asyncio.create_task(trivial(i)) for i in range(n)]
    results = await asyncio.gather(*tasks)
    if sum(results) != n * (n - 1) // 2:
        raise SystemExit("asyncio lost results")


def sleepers(lengths):
    async def run():
        await asyncio.gather(*(asyncio.create_task(asyncio.sleep(d)) for d in lengths))
    return run


def main():
    args = new_parser(__doc__).parse_args()
    level = level_of(args)
    n = 1_000 if args.tiny else 100_000

    emit("primitives/thread_spawn_join/1", measure(thread_spawn_join, level))
    emit("primitives/process_spawn_wait/1", measure(process_spawn_wait, level),
         start_method=multiprocessing.get_start_method())
    worker = os.environ.get("BENCH_WORKER")
    if worker:
        emit("primitives/process_spawn_wait/subprocess_bench_worker", measure(program_spawn_wait(worker), level))
    else:
        print("primitives.py: BENCH_WORKER is not set: no subprocess row", file=sys.stderr)
    emit(f"channel/queue_Queue/{n}", measure(queue_round(n), level))
    emit(f"channel/queue_Queue_maxsize_1024/{n}", measure(queue_round(n, maxsize=1024), level))
    loop = asyncio.new_event_loop()
    try:
        emit(f"async/asyncio_tasks/{n}", measure(lambda: loop.run_until_complete(spawn_and_gather(n)), level))
        timers = 100 if args.tiny else 10_000
        rng = random.Random(2013)
        lengths = [rng.randint(0, 1_000) / 1e6 for _ in range(timers)]
        emit(f"async/asyncio_sleeps/{timers}", measure(lambda: loop.run_until_complete(sleepers(lengths)()), level))
    finally:
        loop.close()


if __name__ == "__main__":
    main()

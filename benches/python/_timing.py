"""What the Python twins share: the book's way of timing (timeit, number=1, the
minimum over repeats). Not a twin itself: scripts/bench skips files whose name
starts with an underscore."""

import time
import timeit


def best_of(func, max_repeats, min_repeats, budget):
    """timeit with number=1, repeated up to `max_repeats` times, or fewer once
    `budget` seconds have gone (never fewer than `min_repeats`); returns the
    minimum and the number of repeats, as 1st edition §2.13 reports them."""
    timer = timeit.Timer(func)
    times = []
    started = time.perf_counter()
    while len(times) < max_repeats:
        times.append(timer.timeit(number=1))
        if len(times) >= min_repeats and time.perf_counter() - started > budget:
            break
    return min(times), len(times)

/* What the C twins share: the one timing method of every twin, and the JSON line
 * the report reads.
 *
 * A figure is the fastest of several repeats, in seconds per call; a repeat times
 * `number` calls back to back with clock_gettime(CLOCK_MONOTONIC) and divides by
 * `number`. `number` grows 1, 2, 5, 10, ... until one repeat lasts at least 1 ms,
 * as Python's timeit autorange does (these first repeats are the warm-up). This
 * is what the Python twins do with timeit, and what criterion's samples are for
 * the Rust side.
 *
 * Repeats: at most 100, stopped once a row has spent 2 s (at least 3);
 * --quick: at most 20, 0.5 s, at least 3; --tiny: one repeat, for smoke runs.
 */
#ifndef COOKBOOK_TIMING_H
#define COOKBOOK_TIMING_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIN_REPEAT_SECONDS 1e-3

struct level {
    int max_repeats;
    int min_repeats;
    double budget;
};

static const char *program_name = "twin";

static void die(const char *what, int err) {
    fprintf(stderr, "%s: %s: %s\n", program_name, what, err ? strerror(err) : "failed");
    exit(1);
}

/* Reads --quick or --tiny from the front of argv; returns the index of the first
 * other argument. An unknown option exits 2. */
static int parse_level(int argc, char **argv, struct level *level) {
    struct level full = {100, 3, 2.0}, quick = {20, 3, 0.5}, tiny = {1, 1, 0.0};
    *level = full;
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            *level = quick;
        } else if (strcmp(argv[i], "--tiny") == 0) {
            *level = tiny;
        } else {
            fprintf(stderr, "%s: unknown option '%s' (known: --quick, --tiny)\n", program_name, argv[i]);
            exit(2);
        }
    }
    return i;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

typedef void (*call_fn)(const void *arg);

/* Seconds per call of one repeat of `number` calls. */
static double one_repeat(call_fn call, const void *arg, long number) {
    double start = now();
    for (long i = 0; i < number; i++) {
        call(arg);
    }
    return (now() - start) / (double)number;
}

/* Times `call` by the method above and prints its JSON line. */
static void measure(const char *id, call_fn call, const void *arg, struct level level) {
    long number = 1;
    for (int step = 0; one_repeat(call, arg, number) * (double)number < MIN_REPEAT_SECONDS; step++) {
        number = step % 3 == 1 ? number * 5 / 2 : number * 2; /* 1, 2, 5, 10, 20, 50, ... */
    }
    double best = INFINITY, started = now();
    int repeats = 0;
    while (repeats < level.max_repeats) {
        double t = one_repeat(call, arg, number);
        best = t < best ? t : best;
        repeats++;
        if (repeats >= level.min_repeats && now() - started > level.budget) {
            break;
        }
    }
    printf("{\"id\": \"%s\", \"impl\": \"c\", \"seconds\": %.9g, \"repeats\": %d, \"number\": %ld}\n", id, best,
           repeats, number);
    fflush(stdout);
    fprintf(stderr, "%-55s %.9f seconds\n", id, best);
}

#endif

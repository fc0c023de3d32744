/* The floor under a thread's start: pthread_create of a thread that returns at
 * once, then pthread_join. Rust's std::thread::spawn and Python's
 * threading.Thread.start both end in this call.
 *
 * Row: primitives/thread_spawn_join/1 (impl "c"), the id of the Rust bench and the
 * Python twin it is set beside.
 *
 * Usage: thread_spawn [--quick | --tiny]
 */
#include <pthread.h>

#include "timing.h"

static void *nothing(void *arg) {
    return arg;
}

static void spawn_join(const void *unused) {
    (void)unused;
    pthread_t thread;
    int err = pthread_create(&thread, NULL, nothing, NULL);
    if (err != 0) {
        die("pthread_create", err);
    }
    err = pthread_join(thread, NULL);
    if (err != 0) {
        die("pthread_join", err);
    }
}

int main(int argc, char **argv) {
    program_name = "thread_spawn";
    struct level level;
    if (parse_level(argc, argv, &level) != argc) {
        fprintf(stderr, "usage: thread_spawn [--quick | --tiny]\n");
        return 2;
    }
    measure("primitives/thread_spawn_join/1", spawn_join, NULL, level);
    return 0;
}

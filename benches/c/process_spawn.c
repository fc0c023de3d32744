/* The floor under a process's start: what starting a program and waiting for it
 * costs with the system calls alone.
 *
 * Rows (impl "c"), for each NAME=PATH argument:
 *   primitives/process_spawn_wait/fork_exec_NAME    fork, execv(PATH, {PATH, "noop"}) in the child, waitpid
 *   primitives/process_spawn_wait/posix_spawn_NAME  posix_spawn of the same, waitpid
 * and once:
 *   primitives/process_spawn_wait/fork_exit         fork, _exit(0) in the child, waitpid: no program
 *                                                   started, what multiprocessing's fork start method
 *                                                   does below the interpreter
 * Every child must exit 0. Rust's Command uses posix_spawn on Linux where it can.
 *
 * Usage: process_spawn [--quick | --tiny] NAME=PATH...
 *   e.g. process_spawn noop=target/bench-c/noop bench_worker=target/release/bench_worker
 */
#define _GNU_SOURCE
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "timing.h"

extern char **environ;

static void wait_ok(pid_t pid) {
    int status;
    if (waitpid(pid, &status, 0) != pid) {
        die("waitpid", 0);
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        die("the child did not exit 0", 0);
    }
}

static void fork_exit(const void *unused) {
    (void)unused;
    pid_t pid = fork();
    if (pid < 0) {
        die("fork", 0);
    }
    if (pid == 0) {
        _exit(0);
    }
    wait_ok(pid);
}

static void fork_exec(const void *arg) {
    char *const *argv = arg;
    pid_t pid = fork();
    if (pid < 0) {
        die("fork", 0);
    }
    if (pid == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    wait_ok(pid);
}

static void spawn(const void *arg) {
    char *const *argv = arg;
    pid_t pid;
    int err = posix_spawn(&pid, argv[0], NULL, NULL, argv, environ);
    if (err != 0) {
        die("posix_spawn", err);
    }
    wait_ok(pid);
}

int main(int argc, char **argv) {
    program_name = "process_spawn";
    struct level level;
    int first = parse_level(argc, argv, &level);
    if (first == argc) {
        fprintf(stderr, "usage: process_spawn [--quick | --tiny] NAME=PATH...\n");
        return 2;
    }
    for (int i = first; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (eq == NULL || eq == argv[i] || eq[1] == '\0') {
            fprintf(stderr, "process_spawn: '%s' is not NAME=PATH\n", argv[i]);
            return 2;
        }
        if (access(eq + 1, X_OK) != 0) {
            fprintf(stderr, "process_spawn: %s is not an executable program\n", eq + 1);
            return 2;
        }
    }
    measure("primitives/process_spawn_wait/fork_exit", fork_exit, NULL, level);
    for (int i = first; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        *eq = '\0';
        char *child[] = {eq + 1, "noop", NULL};
        char id[256];
        snprintf(id, sizeof id, "primitives/process_spawn_wait/fork_exec_%s", argv[i]);
        measure(id, fork_exec, child, level);
        snprintf(id, sizeof id, "primitives/process_spawn_wait/posix_spawn_%s", argv[i]);
        measure(id, spawn, child, level);
    }
    return 0;
}

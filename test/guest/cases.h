/*
 * The case dispatch the guest test programs share: `prog <case> [args...]`
 * runs the function named by argv[1] with the whole argv.
 */
#ifndef URUN_GUEST_CASES_H
#define URUN_GUEST_CASES_H

#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <time.h>
#include <signal.h>

/* The CLOCK_REALTIME time `ms` milliseconds from now: an absolute timeout. */
static inline struct timespec realtime_after_ms(long ms)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (ms % 1000) * 1000000;
    if (t.tv_nsec >= 1000000000) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000;
    }
    return t;
}

struct guest_case {
    const char *name;
    int (*fn)(int argc, char **argv);
};

/* Runs the case argv[1] names; a usage message and status 2 otherwise. */
static inline int run_case(const char *prog, const struct guest_case *cases, size_t count, int argc,
                           char **argv)
{
    if (argc >= 2) {
        for (size_t i = 0; i < count; i++)
            if (strcmp(argv[1], cases[i].name) == 0)
                return cases[i].fn(argc, argv);
        fprintf(stderr, "%s: unknown case '%s'\n", prog, argv[1]);
        return 2;
    }
    fprintf(stderr, "usage: %s <case> [args...]\ncases:", prog);
    for (size_t i = 0; i < count; i++)
        fprintf(stderr, " %s", cases[i].name);
    fprintf(stderr, "\n");
    return 2;
}

/* An errno's name as the output shows it ("OK" for 0, "E?" for one glibc cannot name). */
static inline const char *errname(int e)
{
    if (e == 0)
        return "OK";
    const char *name = strerrorname_np(e);
    return name ? name : "E?";
}

/* Sets a handler: `fn` takes (sig, siginfo, ucontext) when flags hold SA_SIGINFO, else (sig). */
static inline void set_handler(int sig, void *fn, int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    if (flags & SA_SIGINFO)
        sa.sa_sigaction = (void (*)(int, siginfo_t *, void *))fn;
    else
        sa.sa_handler = (void (*)(int))fn;
    sa.sa_flags = flags;
    sigaction(sig, &sa, NULL);
}

#define RUN_CASE(prog, cases, argc, argv) run_case(prog, cases, sizeof cases / sizeof cases[0], argc, argv)

#endif

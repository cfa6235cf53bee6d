/*
 * urun guest tests for processes: fork, wait, pipes, dup, exec, process
 * groups, kill, system/popen, posix_spawn, orphans.
 *
 *     procs <case> [args...]
 *
 * Like suite.c, every case prints deterministic output only: pids are never
 * printed, only compared ("same", "changed"), and errors are printed by errno
 * name.  Cases that need scratch files take a fresh empty directory as argv[2]
 * and leave it empty.  Cases that re-execute this program find it through
 * argv[0] (or /proc/self/exe where that is the point).  system() and popen()
 * run the host's /bin/sh, with shell builtins only.
 *
 * See test/fixtures/process-cases.json for how each case is run.
 */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <semaphore.h>
#include <setjmp.h>
#include <pty.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/times.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cases.h"

extern char **environ;

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

static const char *signame(int s)
{
    switch (s) {
    case SIGHUP: return "SIGHUP";
    case SIGINT: return "SIGINT";
    case SIGQUIT: return "SIGQUIT";
    case SIGILL: return "SIGILL";
    case SIGABRT: return "SIGABRT";
    case SIGFPE: return "SIGFPE";
    case SIGKILL: return "SIGKILL";
    case SIGSEGV: return "SIGSEGV";
    case SIGPIPE: return "SIGPIPE";
    case SIGALRM: return "SIGALRM";
    case SIGTERM: return "SIGTERM";
    case SIGUSR1: return "SIGUSR1";
    case SIGUSR2: return "SIGUSR2";
    case SIGCHLD: return "SIGCHLD";
    case SIGSTOP: return "SIGSTOP";
    case SIGCONT: return "SIGCONT";
    case SIGTSTP: return "SIGTSTP";
    default: return "SIG?";
    }
}

/* A wait status as words: "exit 3" or "signal SIGTERM". */
static const char *status_str(int st)
{
    static char buf[64];
    if (WIFEXITED(st))
        snprintf(buf, sizeof buf, "exit %d", WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        snprintf(buf, sizeof buf, "signal %s", signame(WTERMSIG(st)));
    else if (WIFSTOPPED(st))
        snprintf(buf, sizeof buf, "stopped %s", signame(WSTOPSIG(st)));
    else
        snprintf(buf, sizeof buf, "unknown 0x%x", st);
    return buf;
}

/* An unexpected failure: report where and stop with status 1. */
#define CHECK(expr)                                                                     \
    do {                                                                                \
        if (!(expr)) {                                                                  \
            printf("FAIL %s:%d: %s (%s)\n", __func__, __LINE__, #expr, errname(errno)); \
            fflush(stdout);                                                             \
            _exit(1);                                                                   \
        }                                                                               \
    } while (0)

/* fork() with stdout flushed first, so no buffered line is printed twice. */
static pid_t xfork(void)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    CHECK(pid >= 0);
    return pid;
}

/* Waits for exactly `pid` and returns its status. */
static int xwait(pid_t pid)
{
    int st;
    pid_t r;
    do
        r = waitpid(pid, &st, 0);
    while (r < 0 && errno == EINTR);
    CHECK(r == pid);
    return st;
}

static void xpipe(int fds[2])
{
    CHECK(pipe(fds) == 0);
}

static void write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        CHECK(w > 0);
        p += w;
        n -= (size_t)w;
    }
}

static void write_str(int fd, const char *s)
{
    write_all(fd, s, strlen(s));
}

/* Reads until EOF (or n-1 bytes); returns the NUL-terminated length. */
static size_t read_all(int fd, char *buf, size_t n)
{
    size_t got = 0;
    while (got + 1 < n) {
        ssize_t r = read(fd, buf + got, n - 1 - got);
        if (r < 0 && errno == EINTR)
            continue;
        CHECK(r >= 0);
        if (r == 0)
            break;
        got += (size_t)r;
    }
    buf[got] = 0;
    return got;
}

static void write_int(int fd, long v)
{
    write_all(fd, &v, sizeof v);
}

static long read_int(int fd)
{
    long v;
    size_t got = 0;
    while (got < sizeof v) {
        ssize_t r = read(fd, (char *)&v + got, sizeof v - got);
        if (r < 0 && errno == EINTR)
            continue;
        CHECK(r > 0);
        got += (size_t)r;
    }
    return v;
}

static const char *same(long a, long b)
{
    return a == b ? "same" : "DIFFERENT";
}

/* A syscall's result as "0" or "-1 ENAME"; errno is read after the call. */
static const char *outcome(long r)
{
    static char buf[4][32];
    static int next;
    char *p = buf[next++ % 4];
    if (r < 0)
        snprintf(p, sizeof buf[0], "%ld %s", r, errname(errno));
    else
        snprintf(p, sizeof buf[0], "%ld", r);
    return p;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* The scratch directory argument; cases that need one check it. */
static const char *scratch_dir(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "%s: needs a scratch directory argument\n", argv[1]);
        exit(2);
    }
    return argv[2];
}

static char *path_in(const char *dir, const char *name)
{
    static char buf[8][512];
    static int next;
    char *p = buf[next++ % 8];
    snprintf(p, sizeof buf[0], "%s/%s", dir, name);
    return p;
}

static void write_file(const char *path, const char *content, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    write_str(fd, content);
    CHECK(close(fd) == 0);
    CHECK(chmod(path, mode) == 0);
}

static void print_file(const char *label, const char *path)
{
    char buf[4096];
    int fd = open(path, O_RDONLY);
    CHECK(fd >= 0);
    read_all(fd, buf, sizeof buf);
    close(fd);
    printf("%s: [%s]\n", label, buf);
}

/* ------------------------------------------------------------------------ */
/* fork and wait                                                            */
/* ------------------------------------------------------------------------ */

/* A chain: each process forks the next and exits with the child's code + 1. */
static int chain(int depth)
{
    if (depth == 0)
        return 10;
    pid_t pid = xfork();
    if (pid == 0)
        _exit(chain(depth - 1));
    int st = xwait(pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) + 1 : 99;
}

static int case_fork_exit(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("before fork\n");
    pid_t pid = xfork();
    if (pid == 0) {
        printf("in child\n");
        exit(7); /* exit(), not _exit(): stdio is flushed */
    }
    int st = xwait(pid);
    printf("child: %s\n", status_str(st));
    printf("chain of 4: exit %d\n", chain(4));
    static const int codes[] = {0, 1, 127, 128, 255, 256, 513};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        pid = xfork();
        if (pid == 0)
            _exit(codes[i]);
        printf("_exit(%d): %s\n", codes[i], status_str(xwait(pid)));
    }
    errno = 0;
    int r = wait(NULL);
    printf("wait with no children: %d %s\n", r, errname(errno));
    return 0;
}

static int case_fork_signals(int argc, char **argv)
{
    (void)argc, (void)argv;
    for (int kind = 0; kind < 5; kind++) {
        pid_t pid = xfork();
        if (pid == 0) {
            switch (kind) {
            case 0: *(volatile int *)0 = 1; break;
            case 1: abort();
            case 2: raise(SIGKILL); break;
            case 3: kill(getpid(), SIGTERM); break;
            case 4: raise(SIGUSR1); break;
            }
            _exit(50);
        }
        int st = xwait(pid);
        printf("kind %d: %s signaled=%d\n", kind, status_str(st), WIFSIGNALED(st) ? 1 : 0);
    }
    return 0;
}

/* Each child exits with its index; collected with wait() in any order. */
static int case_wait_any(int argc, char **argv)
{
    (void)argc, (void)argv;
    enum { N = 5 };
    pid_t pids[N];
    for (int i = 0; i < N; i++) {
        pids[i] = xfork();
        if (pids[i] == 0)
            _exit(20 + i);
    }
    /* reaped in whatever order they end; printed in fork order */
    int seen[N] = {0}, status[N];
    for (int n = 0; n < N; n++) {
        int st;
        pid_t r = wait(&st);
        CHECK(r > 0);
        for (int i = 0; i < N; i++)
            if (pids[i] == r) {
                seen[i]++;
                status[i] = st;
            }
    }
    for (int i = 0; i < N; i++) {
        CHECK(seen[i] == 1);
        printf("child %d: %s (the code of that pid: %s)\n", i, status_str(status[i]),
               WEXITSTATUS(status[i]) == 20 + i ? "yes" : "no");
    }
    errno = 0;
    printf("then: %s\n", outcome((int)waitpid(-1, NULL, 0)));
    /* No child is left in our process group either (urun's spare, its own child, is). */
    errno = 0;
    printf("then our group, WNOHANG: %s\n", outcome((int)waitpid(0, NULL, WNOHANG)));
    errno = 0;
    printf("then our group: %s\n", outcome((int)waitpid(0, NULL, 0)));
    errno = 0;
    printf("then our group by its id: %s\n", outcome((int)waitpid(-getpgrp(), NULL, 0)));
    siginfo_t si;
    errno = 0;
    printf("then waitid P_PGID 0, WNOHANG: %s\n", outcome(waitid(P_PGID, 0, &si, WEXITED | WNOHANG)));
    errno = 0;
    printf("then waitid P_PGID: %s\n", outcome(waitid(P_PGID, (id_t)getpgrp(), &si, WEXITED)));
    return 0;
}

static int case_wnohang(int argc, char **argv)
{
    (void)argc, (void)argv;
    int go[2];
    xpipe(go);
    pid_t pid = xfork();
    if (pid == 0) {
        char c;
        close(go[1]);
        ssize_t r = read(go[0], &c, 1);
        _exit(r == 0 ? 3 : 4); /* EOF: the parent closed its end */
    }
    close(go[0]);
    int st = 0;
    pid_t r = waitpid(pid, &st, WNOHANG);
    printf("WNOHANG while running: %d\n", (int)r);
    close(go[1]);
    /* poll with WNOHANG until the child is gone */
    int polls = 0;
    while ((r = waitpid(pid, &st, WNOHANG)) == 0 && polls < 20000) {
        polls++;
        sleep_ms(1);
    }
    printf("WNOHANG after exit: %s, %s\n", same(r, pid), status_str(st));
    errno = 0;
    r = waitpid(pid, &st, WNOHANG);
    printf("again: %d %s\n", (int)r, errname(errno));
    return 0;
}

static int case_waitid(int argc, char **argv)
{
    (void)argc, (void)argv;
    pid_t pid = xfork();
    if (pid == 0)
        _exit(42);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    /* WNOWAIT leaves the child waitable */
    CHECK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT) == 0);
    printf("WNOWAIT: signo %s code %s status %d pid %s\n", signame(si.si_signo),
           si.si_code == CLD_EXITED ? "CLD_EXITED" : "other", si.si_status, same(si.si_pid, pid));
    memset(&si, 0, sizeof si);
    CHECK(waitid(P_ALL, 0, &si, WEXITED) == 0);
    printf("P_ALL: code %s status %d pid %s\n", si.si_code == CLD_EXITED ? "CLD_EXITED" : "other",
           si.si_status, same(si.si_pid, pid));

    pid = xfork();
    if (pid == 0) {
        raise(SIGKILL);
        _exit(1);
    }
    memset(&si, 0, sizeof si);
    CHECK(waitid(P_PID, pid, &si, WEXITED) == 0);
    printf("killed: code %s status %s pid %s\n", si.si_code == CLD_KILLED ? "CLD_KILLED" : "other",
           signame(si.si_status), same(si.si_pid, pid));

    /* WNOHANG with a running child: si_pid stays 0 */
    int go[2];
    xpipe(go);
    pid = xfork();
    if (pid == 0) {
        char c;
        close(go[1]);
        _exit(read(go[0], &c, 1) == 0 ? 5 : 6);
    }
    close(go[0]);
    memset(&si, 0, sizeof si);
    CHECK(waitid(P_PID, pid, &si, WEXITED | WNOHANG) == 0);
    printf("WNOHANG running: si_pid %d\n", (int)si.si_pid);
    close(go[1]);
    memset(&si, 0, sizeof si);
    CHECK(waitid(P_PGID, getpgid(0), &si, WEXITED) == 0);
    printf("P_PGID: status %d pid %s\n", si.si_status, same(si.si_pid, pid));
    errno = 0;
    printf("no children: %s\n", outcome(waitid(P_ALL, 0, &si, WEXITED)));
    /* The options are checked first: EINVAL, whether there are children or not. */
    printf("no children, no WEXITED, WSTOPPED or WCONTINUED: %s\n", outcome(waitid(P_ALL, 0, &si, WNOHANG)));
    printf("no children, an unknown option: %s\n", outcome(waitid(P_ALL, 0, &si, WEXITED | 0x100)));
    return 0;
}

static int case_rusage(int argc, char **argv)
{
    (void)argc, (void)argv;
    pid_t pid = xfork();
    if (pid == 0) {
        /* At least 200 ms of CPU, however fast the machine */
        volatile uint32_t x = 1;
        struct timespec cpu;
        do {
            for (int i = 0; i < 100000; i++)
                x = x * 1664525u + 1013904223u;
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
        } while (cpu.tv_sec == 0 && cpu.tv_nsec < 200000000);
        _exit((int)(x & 1));
    }
    struct rusage before;
    CHECK(getrusage(RUSAGE_CHILDREN, &before) == 0);
    struct rusage ru;
    memset(&ru, 0xff, sizeof ru);
    int st;
    pid_t r = wait4(pid, &st, 0, &ru);
    printf("wait4: %s, %s\n", same(r, pid), status_str(st));
    int sane = ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000 &&
               ru.ru_stime.tv_sec >= 0 && ru.ru_stime.tv_usec >= 0 && ru.ru_stime.tv_usec < 1000000 &&
               ru.ru_maxrss >= 0;
    printf("rusage filled in: %s\n", sane ? "yes" : "no");
    struct rusage self;
    CHECK(getrusage(RUSAGE_CHILDREN, &self) == 0);
    printf("RUSAGE_CHILDREN sane: %s\n",
           self.ru_utime.tv_usec >= 0 && self.ru_utime.tv_usec < 1000000 ? "yes" : "no");
    /* The reaped child's CPU time counts, once it is reaped */
    long us_before = before.ru_utime.tv_sec * 1000000L + before.ru_utime.tv_usec + before.ru_stime.tv_sec * 1000000L + before.ru_stime.tv_usec;
    long us_after = self.ru_utime.tv_sec * 1000000L + self.ru_utime.tv_usec + self.ru_stime.tv_sec * 1000000L + self.ru_stime.tv_usec;
    long us_wait4 = ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec * 1000000L + ru.ru_stime.tv_usec;
    printf("child's 200 ms of CPU counted: wait4 %s, RUSAGE_CHILDREN %s\n", us_wait4 >= 150000 ? "yes" : "no",
           us_after - us_before >= 150000 ? "yes" : "no");
    /* (the kernel's exact figure, not whole 10 ms ticks: wrong once in 10,000 runs) */
    printf("RUSAGE_CHILDREN to the microsecond: %s\n", us_after % 10000 != 0 ? "yes" : "no");
    struct tms tms;
    times(&tms);
    printf("times() counts it: %s\n", tms.tms_cutime + tms.tms_cstime >= 15 ? "yes" : "no");
    return 0;
}

/* The child gets a copy of memory: its writes are not seen by the parent. */
static int global_counter = 100;

static int case_fork_memory(int argc, char **argv)
{
    (void)argc, (void)argv;
    enum { SIZE = 8 << 20 };
    unsigned char *heap = malloc(SIZE);
    CHECK(heap != NULL);
    for (size_t i = 0; i < SIZE; i++)
        heap[i] = (unsigned char)(i * 7 + (i >> 12));
    uint32_t sum = 0;
    for (size_t i = 0; i < SIZE; i += 61)
        sum = sum * 31 + heap[i];
    int stack_value = 5;
    int fds[2];
    xpipe(fds);
    pid_t pid = xfork();
    if (pid == 0) {
        uint32_t csum = 0;
        for (size_t i = 0; i < SIZE; i += 61)
            csum = csum * 31 + heap[i];
        write_int(fds[1], csum == sum);
        write_int(fds[1], global_counter);
        write_int(fds[1], stack_value);
        memset(heap, 0, SIZE);
        global_counter = -1;
        stack_value = -1;
        _exit(0);
    }
    printf("child saw the heap: %s\n", read_int(fds[0]) ? "yes" : "no");
    long child_global = read_int(fds[0]);
    long child_stack = read_int(fds[0]);
    printf("child saw global %ld, stack %ld\n", child_global, child_stack);
    printf("child: %s\n", status_str(xwait(pid)));
    uint32_t after = 0;
    for (size_t i = 0; i < SIZE; i += 61)
        after = after * 31 + heap[i];
    printf("parent heap unchanged: %s\n", after == sum ? "yes" : "no");
    printf("parent global %d, stack %d\n", global_counter, stack_value);
    free(heap);
    /* Pages without access travel too: data behind PROT_NONE, a mapping made PROT_NONE over
     * data (zeros), a page opened inside a large reservation (as Go's runtime makes), and a
     * PROT_NONE page moved by mremap. */
    enum { PAGE = 4096, RESERVED = 64 << 20 };
    char *a = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *r = mmap(NULL, RESERVED, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    CHECK(a != MAP_FAILED && r != MAP_FAILED);
    strcpy(a, "kept");
    strcpy(a + PAGE, "replaced");
    strcpy(a + 2 * PAGE, "moved");
    CHECK(mprotect(a, PAGE, PROT_NONE) == 0);
    CHECK(mmap(a + PAGE, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == a + PAGE);
    CHECK(mprotect(r + RESERVED / 2, PAGE, PROT_READ | PROT_WRITE) == 0);
    strcpy(r + RESERVED / 2, "opened");
    CHECK(mprotect(a + 2 * PAGE, PAGE, PROT_NONE) == 0);
    char *moved = mremap(a + 2 * PAGE, PAGE, 2 * PAGE, MREMAP_MAYMOVE);
    CHECK(moved != MAP_FAILED);
    pid = xfork();
    if (pid == 0) {
        CHECK(mprotect(a, 2 * PAGE, PROT_READ) == 0 && mprotect(moved, 2 * PAGE, PROT_READ) == 0 && mprotect(r, RESERVED, PROT_READ) == 0);
        printf("child of PROT_NONE pages: [%s] [%s] [%s] [%s] %d\n", a, a + PAGE, moved, r + RESERVED / 2, r[RESERVED / 4]);
        fflush(stdout);
        _exit(0);
    }
    printf("child: %s\n", status_str(xwait(pid)));
    return 0;
}

/* MAP_SHARED anonymous memory stays shared after fork; MAP_PRIVATE does not. */
static int case_mmap_shared(int argc, char **argv)
{
    (void)argc, (void)argv;
    volatile int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    volatile int *private = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(shared != MAP_FAILED && private != MAP_FAILED);
    shared[0] = 1;
    private[0] = 1;
    pid_t pid = xfork();
    if (pid == 0) {
        shared[0] = 2;
        private[0] = 2;
        _exit(0);
    }
    xwait(pid);
    printf("shared %d private %d\n", shared[0], private[0]);
    return 0;
}

static int case_vfork(int argc, char **argv)
{
    (void)argc;
    fflush(stdout);
    pid_t pid = vfork();
    if (pid == 0)
        _exit(9);
    CHECK(pid > 0);
    printf("vfork+_exit: %s\n", status_str(xwait(pid)));
    fflush(stdout);
    pid = vfork();
    if (pid == 0) {
        char *args[] = {argv[0], "exec_target", "from vfork", NULL};
        execve(argv[0], args, environ);
        _exit(127);
    }
    CHECK(pid > 0);
    printf("vfork+execve: %s\n", status_str(xwait(pid)));
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Pipes                                                                    */
/* ------------------------------------------------------------------------ */

/* A child filter: reads lines from one pipe, answers upper-cased on another. */
static int case_pipe(int argc, char **argv)
{
    (void)argc, (void)argv;
    int down[2], up[2];
    xpipe(down);
    xpipe(up);
    pid_t pid = xfork();
    if (pid == 0) {
        close(down[1]);
        close(up[0]);
        char buf[256];
        ssize_t n;
        size_t total = 0;
        while ((n = read(down[0], buf, sizeof buf)) > 0) {
            for (ssize_t i = 0; i < n; i++)
                if (buf[i] >= 'a' && buf[i] <= 'z')
                    buf[i] = (char)(buf[i] - 32);
            write_all(up[1], buf, (size_t)n);
            total += (size_t)n;
        }
        char tail[64];
        snprintf(tail, sizeof tail, "[child read %zu bytes then EOF]\n", total);
        write_str(up[1], tail);
        _exit(0);
    }
    close(down[0]);
    close(up[1]);
    write_str(down[1], "hello through a pipe\n");
    write_str(down[1], "second line\n");
    close(down[1]);
    char buf[1024];
    read_all(up[0], buf, sizeof buf);
    printf("%s", buf);
    printf("child: %s\n", status_str(xwait(pid)));
    return 0;
}

/* 1 MiB through a pipe (many times its buffer), checked on the other side. */
static int case_pipe_big(int argc, char **argv)
{
    (void)argc, (void)argv;
    enum { TOTAL = 1 << 20 };
    int fds[2];
    xpipe(fds);
    pid_t pid = xfork();
    if (pid == 0) {
        close(fds[0]);
        static unsigned char block[5000];
        size_t sent = 0;
        while (sent < TOTAL) {
            size_t n = TOTAL - sent < sizeof block ? TOTAL - sent : sizeof block;
            for (size_t i = 0; i < n; i++)
                block[i] = (unsigned char)((sent + i) * 13 + ((sent + i) >> 10));
            write_all(fds[1], block, n);
            sent += n;
        }
        _exit(0);
    }
    close(fds[1]);
    size_t got = 0;
    int bad = 0;
    static unsigned char buf[65536];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] != (unsigned char)((got + (size_t)i) * 13 + ((got + (size_t)i) >> 10)))
                bad++;
        got += (size_t)n;
    }
    printf("received %zu bytes, %d wrong\n", got, bad);
    printf("writer: %s\n", status_str(xwait(pid)));
    return 0;
}

/* EOF arrives only when the last of several writers closes. */
static int case_pipe_eof(int argc, char **argv)
{
    (void)argc, (void)argv;
    int data[2], go[2];
    xpipe(data);
    xpipe(go);
    pid_t pids[2];
    for (int i = 0; i < 2; i++) {
        pids[i] = xfork();
        if (pids[i] == 0) {
            close(data[0]);
            close(go[1]);
            char c;
            /* writer 0 finishes at once; writer 1 waits for the parent's go */
            if (i == 1)
                CHECK(read(go[0], &c, 1) == 1);
            write_str(data[1], i == 0 ? "A" : "B");
            _exit(0);
        }
    }
    close(data[1]);
    close(go[0]);
    char c;
    CHECK(read(data[0], &c, 1) == 1);
    printf("first: %c\n", c);
    xwait(pids[0]);
    /* writer 1 still holds the pipe open: no EOF yet */
    int fl = fcntl(data[0], F_GETFL);
    CHECK(fcntl(data[0], F_SETFL, fl | O_NONBLOCK) == 0);
    errno = 0;
    ssize_t r = read(data[0], &c, 1);
    printf("while writer 1 lives: %d %s\n", (int)r, errname(errno));
    CHECK(fcntl(data[0], F_SETFL, fl) == 0);
    write_str(go[1], "g");
    CHECK(read(data[0], &c, 1) == 1);
    printf("second: %c\n", c);
    r = read(data[0], &c, 1);
    printf("then: %d (EOF)\n", (int)r);
    xwait(pids[1]);
    return 0;
}

/* Writing to a pipe nobody reads: SIGPIPE kills; ignored, write gives EPIPE. */
static int case_epipe(int argc, char **argv)
{
    (void)argc, (void)argv;
    int fds[2];
    xpipe(fds);
    pid_t pid = xfork();
    if (pid == 0)
        _exit(0); /* the reader goes away */
    xwait(pid);
    close(fds[0]);

    pid = xfork();
    if (pid == 0) {
        write(fds[1], "x", 1);
        _exit(0);
    }
    printf("default SIGPIPE: %s\n", status_str(xwait(pid)));

    pid = xfork();
    if (pid == 0) {
        signal(SIGPIPE, SIG_IGN);
        errno = 0;
        ssize_t r = write(fds[1], "x", 1);
        printf("ignored SIGPIPE: write %d %s\n", (int)r, errname(errno));
        fflush(stdout);
        _exit(0);
    }
    printf("child: %s\n", status_str(xwait(pid)));

    /* the ignored disposition survives exec */
    signal(SIGPIPE, SIG_IGN);
    pid = xfork();
    if (pid == 0) {
        char fd[16];
        snprintf(fd, sizeof fd, "%d", fds[1]);
        char *args[] = {argv[0], "epipe_target", fd, NULL};
        execve(argv[0], args, environ);
        _exit(127);
    }
    printf("exec'd writer: %s\n", status_str(xwait(pid)));
    return 0;
}

static int case_epipe_target(int argc, char **argv)
{
    CHECK(argc >= 3);
    errno = 0;
    ssize_t r = write(atoi(argv[2]), "x", 1);
    printf("after exec: write %d %s\n", (int)r, errname(errno));
    return 3;
}

static int case_pipe2(int argc, char **argv)
{
    (void)argc, (void)argv;
    int fds[2];
    CHECK(pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0);
    char c;
    errno = 0;
    printf("empty nonblocking read: %s\n", outcome((int)read(fds[0], &c, 1)));
    printf("cloexec: %d %d\n", fcntl(fds[0], F_GETFD) & FD_CLOEXEC, fcntl(fds[1], F_GETFD) & FD_CLOEXEC);
    /* fill it: a nonblocking write to a full pipe is EAGAIN */
    static char block[4096];
    size_t total = 0;
    ssize_t w;
    /* bounded: a pipe that never fills up must not loop forever */
    while (total < (16u << 20) && (w = write(fds[1], block, sizeof block)) > 0)
        total += (size_t)w;
    printf("filled: %s, then %s\n", total >= 4096 && total < (16u << 20) ? "yes" : "no", errname(errno));
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Files shared across fork                                                 */
/* ------------------------------------------------------------------------ */

static int case_shared_offset(int argc, char **argv)
{
    const char *dir = scratch_dir(argc, argv);
    const char *file = path_in(dir, "shared");
    int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    write_str(fd, "parent1\n");
    pid_t pid = xfork();
    if (pid == 0) {
        write_str(fd, "child\n");
        _exit(0);
    }
    xwait(pid);
    write_str(fd, "parent2\n");
    printf("offset after both: %ld\n", (long)lseek(fd, 0, SEEK_CUR));

    /* a seek in the child moves the parent's offset too */
    pid = xfork();
    if (pid == 0) {
        CHECK(lseek(fd, 8, SEEK_SET) == 8);
        _exit(0);
    }
    xwait(pid);
    printf("after the child's lseek: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
    write_str(fd, "CHILD");
    close(fd);
    print_file("content", file);

    /* separate open()s have separate offsets even in the same process */
    int a = open(file, O_RDONLY), b = open(file, O_RDONLY);
    CHECK(a >= 0 && b >= 0);
    char x[8] = {0}, y[8] = {0};
    CHECK(read(a, x, 7) == 7 && read(b, y, 7) == 7);
    printf("independent opens: [%s] [%s]\n", x, y);
    close(a);
    close(b);

    /* O_APPEND: every write goes to the end, whatever the shared offset says */
    fd = open(file, O_WRONLY | O_APPEND);
    CHECK(fd >= 0);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    pid = xfork();
    if (pid == 0) {
        write_str(fd, "append-child\n");
        _exit(0);
    }
    xwait(pid);
    write_str(fd, "append-parent\n");
    close(fd);
    print_file("after O_APPEND", file);
    CHECK(unlink(file) == 0);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* dup and close-on-exec                                                    */
/* ------------------------------------------------------------------------ */

static int case_dup(int argc, char **argv)
{
    const char *dir = scratch_dir(argc, argv);
    const char *file = path_in(dir, "dup");
    int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    int d = dup(fd);
    printf("dup is the lowest free: %s\n", d == fd + 1 ? "yes" : "no");
    CHECK(dup2(fd, 20) == 20);
    write_str(20, "via20 ");
    write_str(d, "viadup ");
    printf("dup2 to itself: %s\n", dup2(fd, fd) == fd ? "returns fd" : "wrong");
    errno = 0;
    printf("dup3 to itself: %s\n", outcome(dup3(fd, fd, 0)));
    errno = 0;
    printf("dup2 of a bad fd: %s\n", outcome(dup2(999, 21)));
    CHECK(dup3(fd, 21, O_CLOEXEC) == 21);
    printf("dup3 O_CLOEXEC: %d, dup2: %d\n", fcntl(21, F_GETFD) & FD_CLOEXEC, fcntl(20, F_GETFD) & FD_CLOEXEC);
    int c = fcntl(fd, F_DUPFD_CLOEXEC, 30);
    printf("F_DUPFD_CLOEXEC from 30: %s, cloexec %d\n", c == 30 ? "30" : "wrong", fcntl(c, F_GETFD) & FD_CLOEXEC);
    c = fcntl(fd, F_DUPFD, 30);
    printf("F_DUPFD from 30: %s, cloexec %d\n", c == 31 ? "31" : "wrong", fcntl(c, F_GETFD) & FD_CLOEXEC);
    /* dup2 over an open fd closes it first */
    int other = open(file, O_RDONLY);
    CHECK(other >= 0);
    CHECK(dup2(other, 20) == 20);
    char buf[64];
    ssize_t n = read(20, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    printf("fd 20 now reads from the start: [%s]\n", buf);
    close(fd);
    write_str(d, "stillopen\n");
    close(d);
    close(other);
    close(20);
    close(21);
    close(30);
    close(31);
    print_file("file", file);
    /* stdout redirected with dup2, then restored */
    fflush(stdout);
    int saved = dup(1);
    fd = open(file, O_WRONLY | O_TRUNC);
    CHECK(dup2(fd, 1) == 1);
    close(fd);
    printf("this line goes to the file\n");
    fflush(stdout);
    CHECK(dup2(saved, 1) == 1);
    close(saved);
    print_file("redirected", file);
    CHECK(unlink(file) == 0);
    return 0;
}

/* Fds without FD_CLOEXEC survive execve (with their offset); the others close. */
static int case_cloexec(int argc, char **argv)
{
    const char *dir = scratch_dir(argc, argv);
    const char *file = path_in(dir, "cloexec");
    write_file(file, "0123456789", 0600);
    int keep = open(file, O_RDONLY);
    int drop = open(file, O_RDONLY | O_CLOEXEC);
    CHECK(keep >= 0 && drop >= 0);
    CHECK(dup2(keep, 40) == 40);
    CHECK(dup3(keep, 41, O_CLOEXEC) == 41);
    int flagged = open(file, O_RDONLY);
    CHECK(fcntl(flagged, F_SETFD, FD_CLOEXEC) == 0);
    char c;
    CHECK(read(keep, &c, 1) == 1 && read(keep, &c, 1) == 1); /* offset 2, shared with 40 */
    pid_t pid = xfork();
    if (pid == 0) {
        char a[5][16];
        int fdlist[5] = {keep, drop, 40, 41, flagged};
        for (int i = 0; i < 5; i++)
            snprintf(a[i], sizeof a[i], "%d", fdlist[i]);
        char *args[] = {argv[0], "cloexec_target", a[0], a[1], a[2], a[3], a[4], NULL};
        execve(argv[0], args, environ);
        _exit(127);
    }
    printf("target: %s\n", status_str(xwait(pid)));
    printf("parent offset after the exec'd child read: %ld\n", (long)lseek(keep, 0, SEEK_CUR));
    close(keep);
    close(drop);
    close(40);
    close(41);
    close(flagged);
    CHECK(unlink(file) == 0);
    return 0;
}

static int case_cloexec_target(int argc, char **argv)
{
    static const char *labels[] = {"plain", "O_CLOEXEC", "dup2", "dup3 O_CLOEXEC", "F_SETFD"};
    CHECK(argc == 7);
    for (int i = 0; i < 5; i++) {
        int fd = atoi(argv[2 + i]);
        errno = 0;
        int fl = fcntl(fd, F_GETFD);
        printf("%s: %s\n", labels[i], fl >= 0 ? "open" : errname(errno));
    }
    char buf[4] = {0};
    CHECK(read(atoi(argv[2]), buf, 3) == 3);
    printf("read at the inherited offset: [%s]\n", buf);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Identity: pids, process groups, sessions                                 */
/* ------------------------------------------------------------------------ */

static int case_getpid(int argc, char **argv)
{
    (void)argc, (void)argv;
    pid_t me = getpid();
    int fds[2];
    xpipe(fds);
    pid_t pid = xfork();
    if (pid == 0) {
        write_int(fds[1], getpid());
        write_int(fds[1], getppid());
        _exit(0);
    }
    long child_pid = read_int(fds[0]);
    long child_ppid = read_int(fds[0]);
    xwait(pid);
    printf("child's getpid vs fork's return: %s\n", same(child_pid, pid));
    printf("child's getppid vs parent's getpid: %s\n", same(child_ppid, me));
    printf("child pid differs from parent: %s\n", child_pid != me ? "yes" : "no");
    printf("getpid stable: %s\n", same(getpid(), me));
    /* two children get different pids */
    pid_t a = xfork();
    if (a == 0)
        _exit(0);
    pid_t b = xfork();
    if (b == 0)
        _exit(0);
    printf("two children differ: %s\n", a != b ? "yes" : "no");
    int st;
    pid_t w1 = waitpid(a, &st, 0), w2 = waitpid(b, &st, 0);
    printf("waitpid returns them: %s %s\n", same(w1, a), same(w2, b));
    return 0;
}

static int case_pgid_sid(int argc, char **argv)
{
    (void)argc, (void)argv;
    int fds[2];
    xpipe(fds);
    pid_t pid = xfork();
    if (pid == 0) {
        pid_t me = getpid();
        write_int(fds[1], getpgid(0) == getpgrp());
        CHECK(setpgid(0, 0) == 0);
        write_int(fds[1], getpgid(0) == me);
        write_int(fds[1], getpgrp() == me);
        /* a group leader cannot start a session */
        errno = 0;
        write_int(fds[1], setsid() < 0 ? errno : 0);
        _exit(0);
    }
    printf("getpgid(0) == getpgrp(): %ld\n", read_int(fds[0]));
    printf("after setpgid(0,0) leader: %ld %ld\n", read_int(fds[0]), read_int(fds[0]));
    printf("setsid as group leader: %s\n", errname((int)read_int(fds[0])));
    xwait(pid);

    /* the parent moves its child into a new group; setpgid on a reaped pid fails */
    int go[2];
    xpipe(go);
    pid = xfork();
    if (pid == 0) {
        char c;
        close(go[1]);
        read(go[0], &c, 1);
        write_int(fds[1], getpgrp() == getpid());
        _exit(0);
    }
    close(go[0]);
    printf("parent setpgid(child, child): %s\n", errname(setpgid(pid, pid) == 0 ? 0 : errno));
    printf("parent sees the child's group: %s\n", same(getpgid(pid), pid));
    close(go[1]);
    printf("child sees it too: %ld\n", read_int(fds[0]));
    xwait(pid);
    errno = 0;
    printf("setpgid of a reaped child: %s\n", outcome(setpgid(pid, pid)));

    /* setsid in a child that is not a group leader */
    pid = xfork();
    if (pid == 0) {
        pid_t me = getpid();
        pid_t old_sid = getsid(0);
        pid_t s = setsid();
        write_int(fds[1], s == me);
        write_int(fds[1], getsid(0) == me);
        write_int(fds[1], getpgrp() == me);
        write_int(fds[1], old_sid != me);
        errno = 0;
        write_int(fds[1], setsid() < 0 ? errno : 0);
        errno = 0;
        write_int(fds[1], setpgid(0, getppid()) < 0 ? errno : 0);
        _exit(0);
    }
    printf("setsid returns own pid: %ld\n", read_int(fds[0]));
    printf("getsid(0), getpgrp() are own pid: %ld %ld\n", read_int(fds[0]), read_int(fds[0]));
    printf("session changed: %ld\n", read_int(fds[0]));
    printf("second setsid: %s\n", errname((int)read_int(fds[0])));
    printf("setpgid into another session's group: %s\n", errname((int)read_int(fds[0])));
    xwait(pid);
    printf("parent's session unchanged by the child: %s\n", same(getsid(0), getsid(getpid())));
    errno = 0;
    printf("getpgid of no such process: %s\n", outcome(getpgid(0x7ffffff0)));
    return 0;
}

/* ------------------------------------------------------------------------ */
/* kill                                                                     */
/* ------------------------------------------------------------------------ */

/* Forks a child that tells `ready` it is running, then sleeps until killed. */
static pid_t sleeper(int ready_fd, int close_fd)
{
    pid_t pid = xfork();
    if (pid == 0) {
        if (close_fd >= 0)
            close(close_fd);
        write_str(ready_fd, "r");
        for (;;)
            pause();
    }
    return pid;
}

static void await_ready(int fd, int n)
{
    char c;
    for (int i = 0; i < n; i++)
        CHECK(read(fd, &c, 1) == 1);
}

static int case_kill(int argc, char **argv)
{
    (void)argc, (void)argv;
    int ready[2];
    xpipe(ready);
    pid_t pid = sleeper(ready[1], ready[0]);
    await_ready(ready[0], 1);
    printf("kill(pid, 0) on a live child: %d\n", kill(pid, 0));
    CHECK(kill(pid, SIGTERM) == 0);
    printf("after SIGTERM: %s\n", status_str(xwait(pid)));
    errno = 0;
    printf("kill(pid, 0) after reaping: %s\n", outcome(kill(pid, 0)));
    errno = 0;
    printf("kill with a bad signal: %s\n", outcome(kill(getpid(), 1000)));

    pid = sleeper(ready[1], ready[0]);
    await_ready(ready[0], 1);
    CHECK(kill(pid, SIGKILL) == 0);
    printf("after SIGKILL: %s\n", status_str(xwait(pid)));

    /* the child ignores SIGUSR1 (inherited across fork) and dies of SIGUSR2 */
    signal(SIGUSR1, SIG_IGN);
    pid = sleeper(ready[1], ready[0]);
    signal(SIGUSR1, SIG_DFL);
    await_ready(ready[0], 1);
    CHECK(kill(pid, SIGUSR1) == 0);
    CHECK(kill(pid, SIGUSR2) == 0);
    printf("ignored SIGUSR1 then SIGUSR2: %s\n", status_str(xwait(pid)));
    return 0;
}

/* kill(-pgid) reaches a whole group; kill(0) reaches the caller's group. */
static int case_kill_group(int argc, char **argv)
{
    (void)argc, (void)argv;
    int ready[2], alive[2];
    xpipe(ready);
    xpipe(alive);
    /* leader L makes a group with two sleepers; all hold `alive` open */
    pid_t leader = xfork();
    if (leader == 0) {
        CHECK(setpgid(0, 0) == 0);
        close(alive[0]);
        close(ready[0]);
        sleeper(ready[1], -1);
        sleeper(ready[1], -1);
        write_str(ready[1], "r");
        for (;;)
            pause();
    }
    close(alive[1]);
    await_ready(ready[0], 3);
    CHECK(kill(-leader, SIGTERM) == 0);
    printf("leader: %s\n", status_str(xwait(leader)));
    char buf[8];
    printf("whole group gone (pipe EOF): %s\n", read(alive[0], buf, sizeof buf) == 0 ? "yes" : "no");
    close(alive[0]);

    /* kill(0, sig) from a leader that ignores sig: its group members die */
    pid_t l2 = xfork();
    if (l2 == 0) {
        CHECK(setpgid(0, 0) == 0);
        close(ready[0]);
        int r2[2];
        xpipe(r2);
        pid_t a = sleeper(r2[1], r2[0]);
        pid_t b = sleeper(r2[1], r2[0]);
        await_ready(r2[0], 2);
        signal(SIGTERM, SIG_IGN);
        CHECK(kill(0, SIGTERM) == 0);
        int sa = xwait(a), sb = xwait(b);
        printf("kill(0): member a %s, ", status_str(sa));
        printf("member b %s\n", status_str(sb));
        fflush(stdout);
        _exit(0);
    }
    printf("ignoring leader: %s\n", status_str(xwait(l2)));
    return 0;
}

static volatile sig_atomic_t each_count;
static volatile pid_t each_pid[3];

static void on_sigchld_info(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    if (each_count < 3)
        each_pid[each_count] = si->si_pid;
    each_count++;
}

/* Each SIGCHLD names the child it is about, though the earlier ones are not reaped yet. */
static int case_sigchld_each(int argc, char **argv)
{
    (void)argc, (void)argv;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigchld_info;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    CHECK(sigaction(SIGCHLD, &sa, NULL) == 0);
    sigset_t chld, old;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    CHECK(sigprocmask(SIG_BLOCK, &chld, &old) == 0);
    pid_t pids[3];
    for (int i = 0; i < 3; i++) {
        pids[i] = xfork();
        if (pids[i] == 0)
            _exit(10 + i);
        /* one child at a time: its signal comes before the next child exists */
        while (each_count == i)
            sigsuspend(&old);
    }
    CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0);
    for (int i = 0; i < 3; i++)
        printf("SIGCHLD %d names child %d: %s\n", i + 1, i + 1, each_pid[i] == pids[i] ? "yes" : "no");
    for (int i = 0; i < 3; i++)
        printf("child %d: %s\n", i + 1, status_str(xwait(pids[i])));
    return 0;
}

static volatile sig_atomic_t sigchld_count;

static void on_sigchld(int sig)
{
    (void)sig;
    sigchld_count++;
}

/* SIGCHLD reaches a handler; with SIG_IGN children are reaped by the kernel. */
static int case_sigchld(int argc, char **argv)
{
    (void)argc, (void)argv;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigchld;
    sa.sa_flags = SA_RESTART;
    CHECK(sigaction(SIGCHLD, &sa, NULL) == 0);
    for (int i = 0; i < 3; i++) {
        pid_t pid = xfork();
        if (pid == 0)
            _exit(i);
        xwait(pid);
    }
    /* the last signal may still be on its way: wait (bounded) for one */
    for (int tries = 0; sigchld_count == 0 && tries < 5000; tries++)
        sleep_ms(1);
    printf("SIGCHLD handler ran: %s\n", sigchld_count > 0 ? "yes" : "no");

    signal(SIGCHLD, SIG_IGN);
    pid_t pid = xfork();
    if (pid == 0)
        _exit(1);
    errno = 0;
    int st;
    pid_t r;
    do
        r = waitpid(pid, &st, 0);
    while (r < 0 && errno == EINTR);
    printf("with SIGCHLD ignored, waitpid: %s\n", outcome(r));

    /* a handler set after SIG_IGN hears of the next child */
    sigchld_count = 0;
    CHECK(sigaction(SIGCHLD, &sa, NULL) == 0);
    pid = xfork();
    if (pid == 0)
        _exit(2);
    for (int tries = 0; sigchld_count == 0 && tries < 5000; tries++)
        sleep_ms(1);
    printf("handler set after SIG_IGN ran: %s\n", sigchld_count > 0 ? "yes" : "no");
    printf("child: %s\n", status_str(xwait(pid)));
    signal(SIGCHLD, SIG_DFL);
    return 0;
}

/* SIGSTOP and SIGCONT as seen by waitpid(WUNTRACED | WCONTINUED) and waitid. */
static int case_stop_cont(int argc, char **argv)
{
    (void)argc, (void)argv;
    int ready[2];
    xpipe(ready);
    pid_t pid = sleeper(ready[1], ready[0]);
    await_ready(ready[0], 1);
    CHECK(kill(pid, SIGSTOP) == 0);
    int st;
    CHECK(waitpid(pid, &st, WUNTRACED) == pid);
    printf("after SIGSTOP: %s\n", status_str(st));
    CHECK(kill(pid, SIGCONT) == 0);
    CHECK(waitpid(pid, &st, WCONTINUED) == pid);
    printf("after SIGCONT: %s\n", WIFCONTINUED(st) ? "continued" : status_str(st));
    CHECK(kill(pid, SIGSTOP) == 0);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    CHECK(waitid(P_PID, pid, &si, WSTOPPED) == 0);
    printf("waitid WSTOPPED: code %s status %s\n", si.si_code == CLD_STOPPED ? "CLD_STOPPED" : "other",
           signame(si.si_status));
    /* a stopped process still dies of SIGKILL */
    CHECK(kill(pid, SIGKILL) == 0);
    printf("then SIGKILL: %s\n", status_str(xwait(pid)));
    return 0;
}

/* ------------------------------------------------------------------------ */
/* system, popen, posix_spawn                                               */
/* ------------------------------------------------------------------------ */

static int case_system(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("shell available: %s\n", system(NULL) ? "yes" : "no");
    fflush(stdout);
    int st = system("echo hello from sh; echo \"args: $0\" >/dev/null");
    printf("echo: %s\n", status_str(st));
    fflush(stdout);
    printf("exit 3: %s\n", status_str(system("exit 3")));
    printf("kill -TERM $$: %s\n", status_str(system("kill -TERM $$")));
    printf("missing command: %s\n", status_str(system("exec /nonexistent/command 2>/dev/null")));
    fflush(stdout);
    /* the shell inherits our environment and stdout */
    setenv("URUN_PROCS_VAR", "inherited value", 1);
    st = system("printf '%s\\n' \"$URUN_PROCS_VAR\"");
    printf("printf: %s\n", status_str(st));
    return 0;
}

static int case_popen(int argc, char **argv)
{
    (void)argc, (void)argv;
    FILE *p = popen("echo one; echo two; exit 4", "r");
    CHECK(p != NULL);
    char line[128];
    while (fgets(line, sizeof line, p))
        printf("read: %s", line);
    printf("pclose: %s\n", status_str(pclose(p)));
    fflush(stdout);
    p = popen("read a; read b; echo \"shell got: $b $a\"; exit 6", "w");
    CHECK(p != NULL);
    fputs("first\nsecond\n", p);
    printf("pclose (w): %s\n", status_str(pclose(p)));
    return 0;
}

static int case_posix_spawn(int argc, char **argv)
{
    (void)argc;
    int out[2];
    xpipe(out);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    posix_spawn_file_actions_addclose(&fa, out[1]);
    char *args[] = {argv[0], "exec_target", "spawned", "two words", NULL};
    char *env[] = {"URUN_PROCS_VAR=from posix_spawn", NULL};
    pid_t pid;
    int r = posix_spawn(&pid, argv[0], &fa, NULL, args, env);
    printf("posix_spawn: %s\n", errname(r));
    close(out[1]);
    char buf[1024];
    read_all(out[0], buf, sizeof buf);
    close(out[0]);
    printf("its output:\n%s", buf);
    printf("its status: %s\n", status_str(xwait(pid)));
    /* a missing program: Linux's glibc returns the exec error (ENOENT); where the
     * child cannot share memory with its parent (qemu-user emulates CLONE_VM |
     * CLONE_VFORK as a fork) the child exits 127 instead.  POSIX allows both. */
    char *none[] = {"/nonexistent/prog", NULL};
    r = posix_spawn(&pid, "/nonexistent/prog", NULL, NULL, none, env);
    int failed = r == ENOENT || (r == 0 && xwait(pid) == 127 << 8);
    printf("missing program fails: %s\n", failed ? "yes" : "no");
    /* posix_spawnp searches PATH: runs the host's sh */
    char *sh[] = {"sh", "-c", "exit 12", NULL};
    r = posix_spawnp(&pid, "sh", NULL, NULL, sh, environ);
    printf("posix_spawnp sh: %s, %s\n", errname(r), status_str(xwait(pid)));
    posix_spawn_file_actions_destroy(&fa);
    /* POSIX_SPAWN_SETPGROUP: the child, not its parent, moves to a new group (the child
     * says it runs, then waits on a pipe until the parent has looked: qemu-user's posix_spawn
     * may return before its child has set its group) */
    int hold[2], said[2];
    xpipe(hold);
    xpipe(said);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, hold[0], 0);
    posix_spawn_file_actions_adddup2(&fa, said[1], 1);
    posix_spawn_file_actions_addclose(&fa, hold[0]);
    posix_spawn_file_actions_addclose(&fa, hold[1]);
    posix_spawn_file_actions_addclose(&fa, said[0]);
    posix_spawn_file_actions_addclose(&fa, said[1]);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    pid_t group = getpgrp();
    char *waiter[] = {"sh", "-c", "echo; read x", NULL};
    r = posix_spawnp(&pid, "sh", &fa, &attr, waiter, environ);
    close(said[1]);
    char c;
    (void)!read(said[0], &c, 1);
    close(said[0]);
    printf("posix_spawn SETPGROUP: %s, child leads a group: %s, parent's group kept: %s\n", errname(r),
           getpgid(pid) == pid ? "yes" : "no", getpgrp() == group ? "yes" : "no");
    close(hold[0]);
    close(hold[1]);
    xwait(pid);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* execve                                                                   */
/* ------------------------------------------------------------------------ */

/* The program run by the exec cases: prints its arguments and one variable. */
/* What a program started by posix_spawn (a vfork child's exec) and by fork+exec keeps, as
   Linux keeps it: the umask, the signal mask, ignored signals, resource limits. */
static int case_inherit_target(int argc, char **argv)
{
    (void)argc, (void)argv;
    mode_t m = umask(0);
    sigset_t s;
    sigprocmask(SIG_BLOCK, NULL, &s);
    struct sigaction sa;
    sigaction(SIGUSR2, NULL, &sa);
    struct rlimit r;
    getrlimit(RLIMIT_NOFILE, &r);
    /* (The soft limit the parent set; the hard one is the machine's.) */
    printf("  umask %03o, SIGUSR1 blocked %d, SIGTERM blocked %d, SIGUSR2 ignored %d, NOFILE %lu, personality %#x\n", (unsigned)m,
           sigismember(&s, SIGUSR1), sigismember(&s, SIGTERM), sa.sa_handler == SIG_IGN, (unsigned long)r.rlim_cur,
           (unsigned)personality(0xffffffff));
    return 0;
}

static int case_spawn_inherit(int argc, char **argv)
{
    (void)argc;
    /* The umask alone decides a new file's mode (not also the one urun started with). */
    umask(0);
    char dir[] = "/tmp/procs-umask-XXXXXX";
    if (mkdtemp(dir)) {
        char file[64];
        snprintf(file, sizeof file, "%s/f", dir);
        close(open(file, O_CREAT | O_WRONLY, 0666));
        struct stat st;
        printf("umask 0: a file created 0666 is %03o\n", stat(file, &st) == 0 ? (unsigned)(st.st_mode & 0777) : 0u);
        unlink(file);
        rmdir(dir);
    }
    umask(027);
    personality(ADDR_NO_RANDOMIZE);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigprocmask(SIG_BLOCK, &s, NULL);
    signal(SIGUSR2, SIG_IGN);
    struct rlimit r;
    getrlimit(RLIMIT_NOFILE, &r);
    r.rlim_cur = 200;
    setrlimit(RLIMIT_NOFILE, &r);
    char *args[] = {argv[0], "inherit_target", NULL};
    pid_t pid;
    printf("posix_spawn:\n");
    int e = posix_spawn(&pid, argv[0], NULL, NULL, args, environ);
    printf("  %s, %s\n", errname(e), status_str(xwait(pid)));
    /* Again with other settings (under urun, a spare process started after the first spawn
     * becomes this program: it must take them, not those it started with) */
    umask(077);
    sigaddset(&s, SIGTERM);
    sigprocmask(SIG_BLOCK, &s, NULL);
    r.rlim_cur = 150;
    setrlimit(RLIMIT_NOFILE, &r);
    printf("posix_spawn again (umask 077, SIGTERM blocked, NOFILE 150):\n");
    e = posix_spawn(&pid, argv[0], NULL, NULL, args, environ);
    printf("  %s, %s\n", errname(e), status_str(xwait(pid)));
    printf("fork+exec:\n");
    pid = fork();
    if (pid == 0) {
        execv(argv[0], args);
        _exit(127);
    }
    printf("  %s\n", status_str(xwait(pid)));
    printf("system: ");
    fflush(stdout);
    printf("%s\n", status_str(system("umask")));
    return 0;
}

static void on_term_exit(int sig)
{
    _exit(100 + sig);
}

/*
 * A signal pending at an execve stays pending (Linux keeps it): a child with a TERM handler
 * blocks TERM, sends it to itself and execs; the new program unblocks it and dies of it.
 */
static int case_kill_exec(int argc, char **argv)
{
    (void)argc;
    pid_t pid = xfork();
    if (pid == 0) {
        signal(SIGTERM, on_term_exit);
        sigset_t term;
        sigemptyset(&term);
        sigaddset(&term, SIGTERM);
        sigprocmask(SIG_BLOCK, &term, NULL);
        raise(SIGTERM);
        char *args[] = {argv[0], "unblock_target", NULL};
        execv(argv[0], args);
        _exit(127);
    }
    int st;
    CHECK(waitpid(pid, &st, 0) == pid);
    if (WIFSIGNALED(st))
        printf("TERM pending across exec: killed by %s\n", WTERMSIG(st) == SIGTERM ? "SIGTERM" : "another signal");
    else
        printf("TERM pending across exec: exit %d\n", WEXITSTATUS(st));
    return 0;
}

/* Unblocks TERM: a TERM pending from before the exec ends it here. */
static int case_unblock_target(int argc, char **argv)
{
    (void)argc, (void)argv;
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigprocmask(SIG_UNBLOCK, &term, NULL);
    printf("TERM was lost\n");
    return 0;
}

/* A SIGUSR1 at once to a child just forked kills it (under urun, before the child's Node has started). */
static int case_usr1_child(int argc, char **argv)
{
    (void)argc, (void)argv;
    for (int i = 0; i < 4; i++) {
        pid_t pid = xfork();
        if (pid == 0) {
            pause();
            _exit(0);
        }
        kill(pid, SIGUSR1);
        int st;
        CHECK(waitpid(pid, &st, 0) == pid);
        if (WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1)
            printf("child %d: killed by SIGUSR1\n", i);
        else
            printf("child %d: status 0x%x\n", i, st);
    }
    return 0;
}

static volatile sig_atomic_t chld_signo = -1, chld_code = -1, chld_status = -1;

static void on_chld_info(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    chld_signo = si->si_signo;
    chld_code = si->si_code;
    chld_status = si->si_status;
}

/* By the time waitpid returns a child, its SIGCHLD has been handled, with the child's siginfo. */
static int case_sigchld_by_wait(int argc, char **argv)
{
    (void)argc, (void)argv;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_chld_info;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    CHECK(sigaction(SIGCHLD, &sa, NULL) == 0);
    for (int i = 0; i < 3; i++) {
        chld_signo = -1;
        pid_t pid = xfork();
        if (pid == 0)
            _exit(7 + i);
        int st;
        CHECK(waitpid(pid, &st, 0) == pid);
        printf("after waitpid: SIGCHLD %s, si_code %s, si_status %d\n", chld_signo == SIGCHLD ? "handled" : "not yet",
               chld_code == CLD_EXITED ? "CLD_EXITED" : "other", (int)chld_status);
    }
    return 0;
}

static int case_exec_target(int argc, char **argv)
{
    printf("exec_target:");
    for (int i = 2; i < argc; i++)
        printf(" [%s]", argv[i]);
    printf("\n");
    const char *v = getenv("URUN_PROCS_VAR");
    printf("URUN_PROCS_VAR=%s\n", v ? v : "(unset)");
    const char *pid = getenv("URUN_PROCS_PID");
    if (pid)
        printf("pid kept across exec: %s\n", same(atol(pid), getpid()));
    return 33;
}

static int exec_and_wait(const char *path, char *const args[], char *const env[])
{
    pid_t pid = xfork();
    if (pid == 0) {
        execve(path, args, env);
        printf("execve failed: %s\n", errname(errno));
        fflush(stdout);
        _exit(126);
    }
    return xwait(pid);
}

static int case_execve(int argc, char **argv)
{
    (void)argc;
    char pidvar[64];
    snprintf(pidvar, sizeof pidvar, "URUN_PROCS_PID=%ld", (long)getpid());
    char *env[] = {"URUN_PROCS_VAR=set by execve", pidvar, NULL};
    char *args[] = {argv[0], "exec_target", "a", "", "b c", NULL};
    printf("before exec\n");
    printf("a partial line still in the stdio buffer is lost by exec");
    /* the new image replaces this one; exec_target's exit status is ours */
    execve(argv[0], args, env);
    _exit(127);
}

static int case_execve_proc_self(int argc, char **argv)
{
    (void)argc;
    char *env[] = {"URUN_PROCS_VAR=via /proc/self/exe", NULL};
    char *args[] = {"renamed-argv0", "exec_target", "self", NULL};
    printf("status: %s\n", status_str(exec_and_wait("/proc/self/exe", args, env)));
    (void)argv;
    return 0;
}

/* getrandom's flags: GRND_NONBLOCK, GRND_RANDOM and GRND_INSECURE (not with GRND_RANDOM);
 * anything else is EINVAL. */
static int case_getrandom_flags(int argc, char **argv)
{
    (void)argc, (void)argv;
    static const unsigned flags[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 0x40, 0x80000000u};
    char buf[16];
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        errno = 0;
        long r = syscall(SYS_getrandom, buf, sizeof buf, flags[i]);
        printf("flags %#x: %ld %s\n", flags[i], r, r < 0 ? errname(errno) : "");
    }
    /* (Linux checks the flags first: NULL with 0x40 is EINVAL, but qemu-user's EFAULT.) */
    errno = 0;
    long r = syscall(SYS_getrandom, NULL, 16, 0);
    printf("bad buffer: %ld %s\n", r, errname(errno));
    r = syscall(SYS_getrandom, buf, 0, 0);
    printf("no bytes: %ld\n", r);
    return 0;
}

/* PR_SET_DUMPABLE is the process's, kept across fork and back to 1 at execve; 2 is the
 * kernel's own value (suid_dumpable), refused from user space. */
static int case_dumpable(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("initially: %d\n", prctl(PR_GET_DUMPABLE));
    printf("set 0: %d\n", prctl(PR_SET_DUMPABLE, 0));
    printf("now: %d\n", prctl(PR_GET_DUMPABLE));
    errno = 0;
    printf("set 2: %d %s\n", prctl(PR_SET_DUMPABLE, 2), errname(errno));
    printf("still: %d\n", prctl(PR_GET_DUMPABLE));
    fflush(stdout);
    pid_t pid = xfork();
    if (pid == 0) {
        printf("forked child: %d\n", prctl(PR_GET_DUMPABLE));
        fflush(stdout);
        _exit(0);
    }
    xwait(pid);
    char *env[] = {NULL};
    char *args[] = {"procs", "dumpable_target", NULL};
    printf("exec: %s\n", status_str(exec_and_wait("/proc/self/exe", args, env)));
    printf("set 1: %d\n", prctl(PR_SET_DUMPABLE, 1));
    printf("back: %d\n", prctl(PR_GET_DUMPABLE));
    return 0;
}

static int case_dumpable_target(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("after execve: %d\n", prctl(PR_GET_DUMPABLE));
    return 0;
}

static int case_exec_errors(int argc, char **argv)
{
    const char *dir = scratch_dir(argc, argv);
    char *env[] = {NULL};
    const char *plain = path_in(dir, "not-executable");
    write_file(plain, "#!/bin/sh\necho should not run\n", 0644);
    const char *text = path_in(dir, "no-shebang");
    write_file(text, "echo this is not an ELF file\n", 0755);
    const char *shortf = path_in(dir, "tiny");
    write_file(shortf, "\x7f", 0755);
    const char *badinterp = path_in(dir, "bad-interp");
    write_file(badinterp, "#!/nonexistent/interpreter\n", 0755);
    struct {
        const char *label;
        const char *path;
    } tries[] = {
        {"missing file", path_in(dir, "missing")},
        {"missing directory", "/nonexistent/dir/prog"},
        {"mode 0644", plain},
        {"a directory", dir},
        {"text without #!", text},
        {"one byte", shortf},
        {"#! to a missing interpreter", badinterp},
        {"empty path", ""},
    };
    for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
        char *args[] = {(char *)tries[i].path, NULL};
        errno = 0;
        int r = execve(tries[i].path, args, env);
        printf("%s: %d %s\n", tries[i].label, r, errname(errno));
    }
    printf("still running\n");
    unlink(plain);
    unlink(text);
    unlink(shortf);
    unlink(badinterp);
    (void)argv;
    return 0;
}

static int case_exec_script(int argc, char **argv)
{
    const char *dir = scratch_dir(argc, argv);
    /* relative paths below, so that no temporary name reaches the output */
    CHECK(chdir(dir) == 0);
    /* a /bin/sh script: the host's shell runs it */
    write_file("script.sh", "#!/bin/sh\necho \"script: $# args: $1 $2\"\necho \"var: $URUN_PROCS_VAR\"\nexit 7\n", 0755);
    char *env[] = {"URUN_PROCS_VAR=for the script", NULL};
    char *args[] = {"./script.sh", "first", "second", NULL};
    printf("sh script: %s\n", status_str(exec_and_wait("./script.sh", args, env)));
    /* #! with an argument, naming this guest program as the interpreter:
     * it runs as  <argv[0]> exec_target ./guest-script extra */
    char line[600];
    snprintf(line, sizeof line, "#!%s exec_target\nignored\n", argv[0]);
    write_file("guest-script", line, 0755);
    char *gargs[] = {"guest-script", "extra", NULL};
    printf("guest-interpreted script: %s\n", status_str(exec_and_wait("./guest-script", gargs, env)));
    unlink("script.sh");
    unlink("guest-script");
    return 0;
}

/* A guest binary of another architecture (argv[2...]) runs through execve too. */
static int case_exec_other_arch(int argc, char **argv)
{
    char *env[] = {"URUN_PROCS_VAR=across architectures", NULL};
    for (int i = 2; i < argc; i++) {
        char *args[] = {argv[i], "exec_target", "foreign", NULL};
        printf("target %d: %s\n", i - 1, status_str(exec_and_wait(argv[i], args, env)));
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Orphans                                                                  */
/* ------------------------------------------------------------------------ */

/* A grandchild whose parent exits is re-parented: its getppid() changes. */
static int case_orphan(int argc, char **argv)
{
    (void)argc, (void)argv;
    int report[2], started[2];
    xpipe(report);
    xpipe(started);
    pid_t mid = xfork();
    if (mid == 0) {
        close(report[0]);
        pid_t me = getpid();
        pid_t gc = xfork();
        if (gc == 0) {
            close(started[0]);
            write_int(report[1], getppid() == me);
            close(started[1]); /* lets the middle process exit */
            /* wait (bounded) for the re-parenting */
            int tries = 0;
            while (getppid() == me && tries < 20000) {
                sleep_ms(1);
                tries++;
            }
            write_int(report[1], getppid() != me);
            write_int(report[1], getppid() != 0);
            _exit(0);
        }
        close(started[1]);
        char c;
        read(started[0], &c, 1);
        _exit(5);
    }
    close(report[1]);
    close(started[0]);
    close(started[1]);
    printf("middle: %s\n", status_str(xwait(mid)));
    printf("grandchild's first parent was the middle: %ld\n", read_int(report[0]));
    printf("getppid changed after the middle exited: %ld\n", read_int(report[0]));
    printf("new parent is a real process: %ld\n", read_int(report[0]));
    char c;
    printf("grandchild done: %s\n", read(report[0], &c, 1) == 0 ? "yes" : "no");
    printf("grandchild is not ours to wait for: %s\n", outcome(waitpid(-1, NULL, 0)));
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Dispatch                                                                 */
/* ------------------------------------------------------------------------ */

/* pidfds: pidfd_open on a child, poll readable once it dies, pidfd_send_signal,
 * waitid(P_PIDFD), and the errors once it is reaped. */
#ifndef P_PIDFD
#define P_PIDFD 3
#endif
static int case_pidfd(int argc, char **argv)
{
    (void)argc, (void)argv;
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        pause();
        _exit(0);
    }
    int pfd = (int)syscall(SYS_pidfd_open, child, 0);
    CHECK(pfd >= 0);
    printf("close-on-exec: %d\n", (fcntl(pfd, F_GETFD) & FD_CLOEXEC) != 0);
    struct pollfd p = {pfd, POLLIN, 0};
    printf("readable while it runs: %d\n", poll(&p, 1, 0));
    printf("pidfd_send_signal SIGTERM: %ld\n", syscall(SYS_pidfd_send_signal, pfd, SIGTERM, NULL, 0));
    printf("readable once it died: %d\n", poll(&p, 1, 30000));
    siginfo_t si;
    memset(&si, 0, sizeof si);
    int r = waitid(P_PIDFD, pfd, &si, WEXITED);
    printf("waitid(P_PIDFD): %d, killed %d by signal %d, its pid %d\n", r, si.si_code == CLD_KILLED, si.si_status,
           si.si_pid == child);
    long s = syscall(SYS_pidfd_send_signal, pfd, SIGTERM, NULL, 0);
    printf("signal once reaped: %s\n", errname(s < 0 ? errno : 0));
    CHECK(close(pfd) == 0);
    s = syscall(SYS_pidfd_send_signal, 0, SIGTERM, NULL, 0);
    printf("signal through stdin: %s\n", errname(s < 0 ? errno : 0));
    s = syscall(SYS_pidfd_open, getpid(), 0);
    printf("own pidfd, signal 0: %ld\n", s < 0 ? -1 : syscall(SYS_pidfd_send_signal, (int)s, 0, NULL, 0));
    return 0;
}

/* PR_SET_PDEATHSIG: a grandchild asks for SIGUSR2 when its parent dies; its handler
 * reports through a pipe once the parent has exited. */
static int pdeath_pipe = -1;

static void on_parent_death(int sig)
{
    char msg[32];
    int n = snprintf(msg, sizeof msg, "signal %d, ppid changed\n", sig == SIGUSR2 ? 2 : sig);
    (void)!write(pdeath_pipe, msg, n);
    _exit(0);
}

static int case_pdeathsig(int argc, char **argv)
{
    (void)argc, (void)argv;
    int fds[2];
    CHECK(pipe(fds) == 0);
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        pid_t parent = getpid();
        pid_t grandchild = fork();
        CHECK(grandchild >= 0);
        if (grandchild == 0) {
            close(fds[0]);
            pdeath_pipe = fds[1];
            signal(SIGUSR2, on_parent_death);
            CHECK(prctl(PR_SET_PDEATHSIG, SIGUSR2) == 0);
            int sig = -1;
            CHECK(prctl(PR_GET_PDEATHSIG, &sig) == 0);
            char msg[32];
            int n = snprintf(msg, sizeof msg, "get: %s\n", sig == SIGUSR2 ? "SIGUSR2" : "other");
            (void)!write(fds[1], msg, n);
            if (getppid() != parent) /* the parent died before the prctl */
                on_parent_death(SIGUSR2);
            for (;;)
                pause();
        }
        char c;
        close(fds[1]);
        CHECK(read(fds[0], &c, 1) == 1); /* the grandchild has asked */
        _exit(0);
    }
    close(fds[1]);
    int status;
    CHECK(waitpid(child, &status, 0) == child);
    char buf[128];
    size_t got = 0;
    ssize_t n;
    while ((n = read(fds[0], buf + got, sizeof buf - 1 - got)) > 0)
        got += n;
    buf[got] = 0;
    printf("g%s", buf); /* (the parent took the first byte) */
    printf("prctl(PR_SET_PDEATHSIG, 99): %s\n", errname(prctl(PR_SET_PDEATHSIG, 99) < 0 ? errno : 0));
    return 0;
}

/* RLIMIT_CPU: a child that sets a 1-second soft limit and spins gets SIGXCPU (its handler
 * runs); the parent's limit is untouched. */
static volatile sig_atomic_t got_xcpu;

static void on_xcpu(int sig)
{
    (void)sig;
    got_xcpu = 1;
}

static int case_cpu_limit(int argc, char **argv)
{
    (void)argc, (void)argv;
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        signal(SIGXCPU, on_xcpu);
        struct rlimit limit = {1, 5};
        CHECK(setrlimit(RLIMIT_CPU, &limit) == 0);
        while (!got_xcpu)
            ;
        printf("child: SIGXCPU handled\n");
        fflush(stdout);
        _exit(5);
    }
    int status;
    CHECK(waitpid(child, &status, 0) == child);
    printf("child exited %d with %d\n", WIFEXITED(status), WEXITSTATUS(status));
    struct rlimit mine;
    CHECK(getrlimit(RLIMIT_CPU, &mine) == 0);
    printf("parent's limit still infinite: %d\n", mine.rlim_cur == RLIM_INFINITY);
    return 0;
}

/*
 * RLIMIT_FSIZE: a write is cut short at the limit, the next fails with EFBIG and SIGXFSZ
 * (handled, ignored, then the default: death); a forked child has the limit too.
 */
static volatile int got_xfsz;

static void on_xfsz(int sig)
{
    (void)sig;
    got_xfsz++;
}

static int case_fsize_limit(int argc, char **argv)
{
    char path[512];
    CHECK(argc > 2);
    snprintf(path, sizeof path, "%s/fsize", argv[2]);
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        struct rlimit limit = {3000, RLIM_INFINITY};
        CHECK(setrlimit(RLIMIT_FSIZE, &limit) == 0);
        signal(SIGXFSZ, on_xfsz);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        CHECK(fd >= 0);
        static char buf[2000];
        memset(buf, 'x', sizeof buf);
        ssize_t r = write(fd, buf, 2000);
        printf("write 2000: %zd\n", r);
        r = write(fd, buf, 2000);
        printf("write 2000 more: %zd, SIGXFSZ %d\n", r, got_xfsz);
        errno = 0;
        r = write(fd, buf, 10);
        printf("write at the limit: %zd %s, SIGXFSZ %d\n", r, errno == EFBIG ? "EFBIG" : "?", got_xfsz);
        errno = 0;
        r = pwrite(fd, buf, 10, 5000);
        printf("pwrite past it: %zd %s, SIGXFSZ %d\n", r, errno == EFBIG ? "EFBIG" : "?", got_xfsz);
        errno = 0;
        int t = ftruncate(fd, 4000);
        printf("ftruncate past it: %d %s, SIGXFSZ %d\n", t, errno == EFBIG ? "EFBIG" : "?", got_xfsz);
        printf("ftruncate under it: %d\n", ftruncate(fd, 100));
        signal(SIGXFSZ, SIG_IGN);
        CHECK(lseek(fd, 0, SEEK_END) == 100);
        ssize_t first = write(fd, buf, 2000);
        errno = 0;
        ssize_t second = write(fd, buf, 2000);
        printf("ignored: %zd then %zd %s\n", first, second, errno == EFBIG ? "EFBIG" : "");
        fflush(stdout);
        pid_t grandchild = fork();
        CHECK(grandchild >= 0);
        if (grandchild == 0) {
            signal(SIGXFSZ, SIG_DFL);
            write(fd, buf, 10);
            _exit(0);
        }
        int status;
        CHECK(waitpid(grandchild, &status, 0) == grandchild);
        printf("a forked child writing past it: killed by SIGXFSZ %d\n", WIFSIGNALED(status) && WTERMSIG(status) == SIGXFSZ);
        fflush(stdout);
        _exit(0);
    }
    int status;
    CHECK(waitpid(child, &status, 0) == child);
    printf("child exited %d with %d\n", WIFEXITED(status), WEXITSTATUS(status));
    struct stat st;
    CHECK(stat(path, &st) == 0);
    printf("file size %lld\n", (long long)st.st_size);
    CHECK(unlink(path) == 0);
    return 0;
}

/* ---- blocked_from_other: signals another process sends while this one blocks them at their
 * default action wait as pending (they do not kill it); sigwaitinfo takes them, and SIGCHLD
 * for a child's stop and continue (stopped as soon as it is forked), with the child's signal
 * as the status; a thread's sigwait takes a signal the whole process blocks (a daemon's
 * pattern) ---- */
static void *sigwait_thread(void *arg)
{
    int sig = 0;
    sigwait((sigset_t *)arg, &sig);
    printf("thread's sigwait: %s\n", signame(sig));
    return NULL;
}

static int case_blocked_from_other(int argc, char **argv)
{
    (void)argc, (void)argv;
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR1);
    sigaddset(&m, SIGTERM);
    sigaddset(&m, SIGCHLD);
    sigprocmask(SIG_BLOCK, &m, NULL);
    pid_t parent = getpid();
    pid_t kid = fork();
    if (kid == 0) {
        kill(parent, SIGTERM);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    siginfo_t si;
    /* the child's exit is the last of the three to come */
    while (waitid(P_PID, kid, &si, WEXITED | WNOWAIT) != 0)
        ;
    usleep(50000);
    sigset_t pend;
    sigpending(&pend);
    printf("pending: %s%s%s\n", sigismember(&pend, SIGUSR1) ? "SIGUSR1 " : "", sigismember(&pend, SIGTERM) ? "SIGTERM " : "",
           sigismember(&pend, SIGCHLD) ? "SIGCHLD" : "");
    int got = 0;
    for (int i = 0; i < 3; i++) {
        int s = sigwaitinfo(&m, &si);
        got |= s == SIGUSR1 ? 1 : s == SIGTERM ? 2 : s == SIGCHLD ? 4 : 8;
    }
    printf("sigwaitinfo took: %s\n", got == 7 ? "SIGUSR1, SIGTERM and SIGCHLD" : "something else");
    waitpid(kid, NULL, 0);

    kid = fork();
    if (kid == 0) {
        for (;;)
            pause();
    }
    kill(kid, SIGSTOP);
    sigwaitinfo(&m, &si);
    printf("SIGCHLD: %s, status %s\n", si.si_code == CLD_STOPPED ? "stopped" : "?", signame(si.si_status));
    struct timespec sent, told;
    clock_gettime(CLOCK_MONOTONIC, &sent);
    kill(kid, SIGCONT);
    sigwaitinfo(&m, &si);
    clock_gettime(CLOCK_MONOTONIC, &told);
    printf("SIGCHLD: %s, status %s\n", si.si_code == CLD_CONTINUED ? "continued" : "?", signame(si.si_status));
    /* (urun's SIGCONT to a child stopped while it started waited 30 s for it to start) */
    printf("the continue told within 20 s: %s\n", told.tv_sec - sent.tv_sec < 20 ? "yes" : "no");
    kill(kid, SIGKILL);
    waitpid(kid, NULL, 0);
    sigwaitinfo(&m, &si);

    pthread_t t;
    sigdelset(&m, SIGCHLD);
    pthread_create(&t, NULL, sigwait_thread, &m);
    kid = fork();
    if (kid == 0) {
        usleep(50000);
        kill(parent, SIGTERM);
        _exit(0);
    }
    pthread_join(t, NULL);
    waitpid(kid, NULL, 0);
    return 0;
}

/* ---- alarm_exec: an alarm goes on across execve (the new program's handler takes it) ---- */
static void on_alarm_target(int sig)
{
    (void)sig;
}

static int case_alarm_target(int argc, char **argv)
{
    (void)argc, (void)argv;
    struct itimerval it;
    getitimer(ITIMER_REAL, &it);
    printf("after exec: alarm pending %d\n", it.it_value.tv_sec > 0 || it.it_value.tv_usec > 0);
    signal(SIGALRM, on_alarm_target);
    pause();
    printf("SIGALRM came\n");
    return 0;
}

static int case_alarm_exec(int argc, char **argv)
{
    (void)argc, (void)argv;
    alarm(1);
    char *args[] = {"procs", "alarm_target", NULL};
    execv("/proc/self/exe", args);
    perror("execv");
    return 1;
}

/* ---- tcsetpgrp_background: in a pty session, a background process group's tcsetpgrp
 * succeeds while SIGTTOU is blocked or ignored (else SIGTTOU stops it) ---- */
static void background_tcsetpgrp(int ignore)
{
    pid_t c = fork();
    if (c == 0) {
        setpgid(0, 0);
        if (ignore) {
            signal(SIGTTOU, SIG_IGN);
        } else {
            sigset_t s;
            sigemptyset(&s);
            sigaddset(&s, SIGTTOU);
            sigprocmask(SIG_BLOCK, &s, NULL);
        }
        int r = tcsetpgrp(0, getpgrp());
        printf("%s: tcsetpgrp %d, foreground now %d\n", ignore ? "ignored" : "blocked", r, tcgetpgrp(0) == getpgrp());
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(c, &st, WUNTRACED);
    printf("child %s\n", WIFSTOPPED(st) ? "stopped" : "exited");
    fflush(stdout);
    if (WIFSTOPPED(st)) kill(c, SIGKILL);
    /* Back to the foreground for the next one. */
    signal(SIGTTOU, SIG_IGN);
    tcsetpgrp(0, getpgrp());
    signal(SIGTTOU, SIG_DFL);
}

static int case_tcsetpgrp_background(int argc, char **argv)
{
    (void)argc, (void)argv;
    int master;
    pid_t pid = forkpty(&master, NULL, NULL, NULL);
    if (pid < 0) {
        perror("forkpty");
        return 1;
    }
    if (pid == 0) {
        background_tcsetpgrp(0);
        background_tcsetpgrp(1);
        _exit(0);
    }
    char buf[512];
    ssize_t n;
    while ((n = read(master, buf, sizeof buf)) > 0)
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] != '\r') putchar(buf[i]);
    waitpid(pid, NULL, 0);
    return 0;
}

/* ---- resethand: SA_RESETHAND resets the handler only (its flags and mask stay); SIG_DFL
 * set with flags reads them back ---- */
static void on_usr1_once(int sig) { (void)sig; }

static int case_resethand(int argc, char **argv)
{
    (void)argc, (void)argv;
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1_once;
    sa.sa_flags = SA_RESETHAND | SA_RESTART;
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    sigaction(SIGUSR1, NULL, &old);
    printf("after the handler ran: SIG_DFL %d, SA_RESETHAND %d, SA_RESTART %d, mask has SIGUSR2 %d\n", old.sa_handler == SIG_DFL,
           (old.sa_flags & SA_RESETHAND) != 0, (old.sa_flags & SA_RESTART) != 0, sigismember(&old.sa_mask, SIGUSR2));
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR2, &sa, NULL);
    sigaction(SIGUSR2, NULL, &old);
    printf("SIG_DFL with SA_RESTART reads back SA_RESTART %d\n", (old.sa_flags & SA_RESTART) != 0);
    return 0;
}

/* ---- self_stop: a process that raises SIGSTOP stops; its parent's waitpid(WUNTRACED) sees
 * it, and SIGCONT resumes it. (SIGTSTP too, but not in an orphaned process group, where
 * Linux discards it: whether a test runner's is depends on how it was started.) ---- */
static int case_self_stop(int argc, char **argv)
{
    (void)argc, (void)argv;
    int sigs[] = {SIGSTOP};
    for (int i = 0; i < 1; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            raise(sigs[i]);
            printf("child resumed\n");
            fflush(stdout);
            _exit(7);
        }
        int st;
        waitpid(pid, &st, WUNTRACED);
        printf("%s: child %s\n", sigs[i] == SIGSTOP ? "SIGSTOP" : "SIGTSTP",
               WIFSTOPPED(st) ? (WSTOPSIG(st) == sigs[i] ? "stopped by it" : "stopped by another signal") : "not stopped");
        fflush(stdout);
        kill(pid, SIGCONT);
        waitpid(pid, &st, 0);
        printf("then exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    }
    return 0;
}

/*
 * A signal that comes while a forked child computes, just before it execs, is delivered
 * before the exec (the child's inherited handler runs), whether the program it execs is a
 * guest one (itself) or a host one (/bin/true). Once the child runs, the parent signals, then
 * lets it go on through a shared flag: the signal has arrived before the child's execve.
 */
static void exit_42(int sig)
{
    (void)sig;
    write(1, "handler\n", 8);
    _exit(42);
}

static int case_signal_before_exec(int argc, char **argv)
{
    (void)argc;
    set_handler(SIGTERM, (void *)exit_42, 0);
    volatile int *go = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    const char *programs[] = { "/proc/self/exe", "/bin/true" };
    for (int i = 0; i < 2; i++) {
        go[0] = go[1] = 0;
        pid_t pid = fork();
        if (pid == 0) {
            go[1] = 1;
            while (go[0] == 0)
                ;
            execl(programs[i], programs[i], "fork_exit", (char *)NULL);
            _exit(99);
        }
        while (go[1] == 0)
            usleep(1000);
        kill(pid, SIGTERM);
        go[0] = 1;
        int status;
        waitpid(pid, &status, 0);
        printf("exec of %s: %s %d\n", i ? "a host program" : "itself",
               WIFEXITED(status) ? "exit" : "signal", WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        fflush(stdout);
    }
    (void)argv;
    return 0;
}

/* ---- kill_new_child: a child has its parent's handlers the moment fork returns: a signal the
 * parent sends at once (kill, sigqueue, to its group) runs the child's handler ---- */
static void exit_seven(int sig)
{
    (void)sig;
    _exit(7);
}

static int case_kill_new_child(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    signal(SIGTERM, exit_seven);
    signal(SIGUSR2, exit_seven);
    for (int i = 0; i < 4; i++) {
        pid_t c = fork();
        if (c == 0) {
            if (i == 3)
                setpgid(0, 0);
            for (;;)
                pause();
        }
        if (i == 3)
            setpgid(c, c);
        if (i == 0)
            kill(c, SIGTERM);
        else if (i == 1) {
            union sigval v = {.sival_int = 1};
            sigqueue(c, SIGUSR2, v);
        } else if (i == 2)
            kill(c, SIGUSR2);
        else
            kill(-c, SIGTERM);
        int st;
        waitpid(c, &st, 0);
        printf("child %d: %s %d\n", i, WIFEXITED(st) ? "exit" : "signal", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
    }
    return 0;
}

/* ---- sender_info: a signal from another process carries its sender (si_pid, si_uid, si_code)
 * and a sigqueue value, to a handler and to sigwaitinfo ---- */
static volatile sig_atomic_t sender_got;
static volatile int sender_pid, sender_code, sender_value, sender_uid;

static void note_sender(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    sender_pid = si->si_pid;
    sender_code = si->si_code;
    sender_value = si->si_code == SI_QUEUE ? si->si_value.sival_int : -1;
    sender_uid = (int)si->si_uid;
    sender_got++;
}

static int case_sender_info(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    set_handler(SIGUSR1, note_sender, SA_SIGINFO);
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    sigprocmask(SIG_BLOCK, &usr2, NULL);
    int ack[2];
    CHECK(pipe(ack) == 0);
    pid_t parent = getpid();
    pid_t c = fork();
    if (c == 0) {
        char b;
        union sigval v = {.sival_int = 4242};
        sigqueue(parent, SIGUSR1, v);
        if (read(ack[0], &b, 1) != 1)
            _exit(2);
        kill(parent, SIGUSR2);
        while (!sender_got)
            pause();
        _exit(sender_pid == parent && sender_code == SI_USER ? 0 : 1);
    }
    while (!sender_got)
        pause();
    printf("handler: from child %d, code %s, value %d, uid %d\n", sender_pid == c, sender_code == SI_QUEUE ? "SI_QUEUE" : "other",
           sender_value, sender_uid == (int)getuid());
    CHECK(write(ack[1], "x", 1) == 1);
    siginfo_t si;
    int sig = sigwaitinfo(&usr2, &si);
    printf("sigwaitinfo: %s from child %d, code %s\n", sig == SIGUSR2 ? "SIGUSR2" : "other", si.si_pid == c,
           si.si_code == SI_USER ? "SI_USER" : "other");
    kill(c, SIGUSR1);
    int st;
    waitpid(c, &st, 0);
    printf("child saw the parent: %d\n", WIFEXITED(st) && WEXITSTATUS(st) == 0);
    return 0;
}

/* ---- tgkill_other: tgkill of another process's main thread (its pid twice) ---- */
static volatile sig_atomic_t tgkill_got;
static void note_tgkill(int sig)
{
    (void)sig;
    tgkill_got = 1;
}

static int case_tgkill_other(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    signal(SIGUSR1, note_tgkill);
    pid_t c = fork();
    if (c == 0) {
        while (!tgkill_got)
            pause();
        _exit(5);
    }
    long r = syscall(SYS_tgkill, c, c, SIGUSR1);
    printf("tgkill of the child: %ld\n", r);
    int st;
    waitpid(c, &st, 0);
    printf("child: exit %d\n", WEXITSTATUS(st));
    errno = 0;
    r = syscall(SYS_tgkill, c, c, SIGUSR1);
    printf("once reaped: %ld %s\n", r, errname(errno));
    errno = 0;
    r = syscall(SYS_tgkill, 0, getpid(), SIGUSR1);
    printf("tgid 0: %ld %s\n", r, errname(errno));
    return 0;
}

/* ---- signal_odds: sem_wait ended by a signal (it answered ETIMEDOUT at once, alone in its
 * process), kill of the caller's own group runs its handler before kill returns (with the
 * caller as sender), a SIGEV_THREAD_ID timer for a tid not the process's, a jump to NULL's
 * si_code ---- */
static volatile int odds_sig, odds_code, odds_self;
static sigjmp_buf odds_jump;

static void odds_handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    odds_sig = sig;
    odds_code = si->si_code;
    odds_self = si->si_pid == getpid();
    if (sig == SIGSEGV)
        siglongjmp(odds_jump, 1);
}

static int case_signal_odds(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    set_handler(SIGALRM, odds_handler, SA_SIGINFO);
    sem_t sem;
    sem_init(&sem, 0, 0);
    alarm(1);
    errno = 0;
    int r = sem_wait(&sem);
    printf("sem_wait: %d %s, SIGALRM handled %d\n", r, errname(errno), odds_sig == SIGALRM);
    struct itimerval it = {{0, 0}, {0, 100000}};
    setitimer(ITIMER_REAL, &it, NULL);
    struct timespec until = realtime_after_ms(2000);
    odds_sig = 0;
    errno = 0;
    r = sem_timedwait(&sem, &until);
    printf("sem_timedwait: %d %s, SIGALRM handled %d\n", r, errname(errno), odds_sig == SIGALRM);

    setpgid(0, 0);
    set_handler(SIGUSR1, odds_handler, SA_SIGINFO);
    set_handler(SIGTRAP, odds_handler, SA_SIGINFO);
    odds_sig = 0;
    r = kill(0, SIGUSR1);
    printf("kill(0, SIGUSR1): %d, handled before it returned %d, code SI_USER %d, from itself %d\n", r, odds_sig == SIGUSR1,
           odds_code == SI_USER, odds_self);
    odds_sig = 0;
    r = killpg(getpgrp(), SIGTRAP);
    printf("killpg(own, SIGTRAP): %d, handled %d\n", r, odds_sig == SIGTRAP);
    pid_t c = fork();
    if (c == 0) {
        signal(SIGUSR1, SIG_DFL);
        for (;;)
            pause();
    }
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR1);
    sigprocmask(SIG_BLOCK, &m, NULL);
    usleep(200000);
    odds_sig = 0;
    kill(0, SIGUSR1);
    int st;
    waitpid(c, &st, 0);
    sigset_t pend;
    sigpending(&pend);
    printf("group member: killed by SIGUSR1 %d; the caller's own pending %d\n", WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1,
           sigismember(&pend, SIGUSR1));
    sigprocmask(SIG_UNBLOCK, &m, NULL);
    printf("unblocked: handled %d\n", odds_sig == SIGUSR1);

    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = SIGUSR1;
    ev._sigev_un._tid = getpid() + 100000;
    timer_t tid;
    errno = 0;
    r = timer_create(CLOCK_MONOTONIC, &ev, &tid);
    printf("timer_create for a tid not ours: %d %s\n", r, errname(errno));

    set_handler(SIGSEGV, odds_handler, SA_SIGINFO);
    volatile uintptr_t nowhere = 0;
    if (!sigsetjmp(odds_jump, 1))
        ((void (*)(void))nowhere)();
    printf("jump to NULL: SIGSEGV %d, SEGV_MAPERR %d\n", odds_sig == SIGSEGV, odds_code == SEGV_MAPERR);
    return 0;
}

/* ---- cont_handler: a process that stopped itself runs its SIGCONT handler before the
 * raise(SIGSTOP) returns ---- */
static volatile sig_atomic_t conts;
static void count_cont(int sig)
{
    (void)sig;
    conts++;
}

static int case_cont_handler(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    pid_t c = fork();
    if (c == 0) {
        signal(SIGCONT, count_cont);
        raise(SIGSTOP);
        printf("child: resumed, SIGCONT handled %d\n", (int)conts);
        fflush(stdout);
        _exit(5);
    }
    int st;
    waitpid(c, &st, WUNTRACED);
    printf("parent: child stopped %d\n", WIFSTOPPED(st));
    kill(c, SIGCONT);
    waitpid(c, &st, 0);
    printf("parent: child exit %d\n", WEXITSTATUS(st));
    return 0;
}

/*
 * A single-threaded process's CPU clock (CLOCK_PROCESS_CPUTIME_ID, what clock() reads) counts
 * its own thread, not what urun's other host threads do beside it (V8's compiler and GC threads,
 * the Worker an itimer starts): a process that arms a timer and sleeps uses little CPU time.
 * hunspell cuts its suggestions off at a clock() limit, so an inflated clock lost some of them.
 */
static void on_wake_alarm(int sig) { (void)sig; }

static int case_cpu_clock_vs_elapsed(int argc, char **argv)
{
    struct timespec c0, c1, t0, t;
    set_handler(SIGALRM, on_wake_alarm, 0);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    clock_t k0 = clock();
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct itimerval v = { { 0, 0 }, { 0, 20000 } };
    CHECK(setitimer(ITIMER_REAL, &v, NULL) == 0);
    do {
        struct timespec nap = { 0, 10000000 };
        nanosleep(&nap, NULL);
        clock_gettime(CLOCK_MONOTONIC, &t);
    } while ((t.tv_sec - t0.tv_sec) * 1e3 + (t.tv_nsec - t0.tv_nsec) / 1e6 < 150);
    clock_t k1 = clock();
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    double cpu = (c1.tv_sec - c0.tv_sec) * 1e3 + (c1.tv_nsec - c0.tv_nsec) / 1e6;
    printf("CPU time of 150 ms asleep under 50 ms: %d\n", cpu < 50);
    printf("clock() of 150 ms asleep under 50 ms: %d\n", (double)(k1 - k0) * 1e3 / CLOCKS_PER_SEC < 50);
    return 0;
}

static volatile sig_atomic_t cpu_timer_fired;
static void on_cpu_timer(int sig) { cpu_timer_fired = sig; }

static double clock_ms(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Spins until a timer's signal came; whether that took at least `min_ms` of CPU time. */
static int spin_until_fired(double min_ms)
{
    double start = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
    while (!cpu_timer_fired)
        ;
    return clock_ms(CLOCK_PROCESS_CPUTIME_ID) - start >= min_ms;
}

/*
 * Timers on CPU time (ITIMER_PROF, ITIMER_VIRTUAL, a POSIX timer on CLOCK_PROCESS_CPUTIME_ID)
 * do not run while the process sleeps, and fire once it has used that much CPU; absolute
 * times (TIMER_ABSTIME) are on the timer's own clock, CLOCK_MONOTONIC's too.
 */
static int case_cpu_timers(int argc, char **argv)
{
    const int which[] = { ITIMER_PROF, ITIMER_VIRTUAL }, sigs[] = { SIGPROF, SIGVTALRM };
    const char *names[] = { "ITIMER_PROF", "ITIMER_VIRTUAL" };
    struct timespec nap = { 0, 300000000 };
    for (int i = 0; i < 2; i++) {
        cpu_timer_fired = 0;
        set_handler(sigs[i], on_cpu_timer, 0);
        struct itimerval v = { { 0, 0 }, { 0, 200000 } }, left;
        CHECK(setitimer(which[i], &v, NULL) == 0);
        int r = nanosleep(&nap, NULL);
        CHECK(getitimer(which[i], &left) == 0);
        printf("%s: sleep %d, fired while asleep %d, most left after it %d\n", names[i], r, cpu_timer_fired != 0,
               left.it_value.tv_sec == 0 && left.it_value.tv_usec >= 100000);
        printf("%s: fired after 100 ms of CPU time or more %d\n", names[i], spin_until_fired(100));
    }
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    set_handler(SIGUSR1, on_cpu_timer, 0);
    timer_t t;
    CHECK(timer_create(CLOCK_PROCESS_CPUTIME_ID, &ev, &t) == 0);
    cpu_timer_fired = 0;
    struct itimerspec its = { { 0, 0 }, { 0, 200000000 } };
    CHECK(timer_settime(t, 0, &its, NULL) == 0);
    int r = nanosleep(&nap, NULL);
    printf("CPU-time timer: sleep %d, fired while asleep %d\n", r, cpu_timer_fired != 0);
    printf("CPU-time timer: fired after 100 ms of CPU time or more %d\n", spin_until_fired(100));
    struct timespec now;
    const clockid_t clocks[] = { CLOCK_PROCESS_CPUTIME_ID, CLOCK_MONOTONIC };
    const char *clock_names[] = { "CLOCK_PROCESS_CPUTIME_ID", "CLOCK_MONOTONIC" };
    for (int i = 0; i < 2; i++) {
        timer_t a;
        CHECK(timer_create(clocks[i], &ev, &a) == 0);
        cpu_timer_fired = 0;
        double start = clock_ms(clocks[i]);
        clock_gettime(clocks[i], &now);
        its.it_value = now;
        its.it_value.tv_nsec += 100000000;
        if (its.it_value.tv_nsec >= 1000000000) {
            its.it_value.tv_sec++;
            its.it_value.tv_nsec -= 1000000000;
        }
        CHECK(timer_settime(a, TIMER_ABSTIME, &its, NULL) == 0);
        while (!cpu_timer_fired)
            ;
        printf("%s, absolute: fired 90 ms or more later on that clock %d\n", clock_names[i], clock_ms(clocks[i]) - start >= 90);
        timer_delete(a);
    }
    return 0;
}

/* Real-time signals between processes: one caught (sigqueue's value, SI_QUEUE, the sender's
 * pid), three of one blocked at its default action, queued and taken by sigtimedwait in
 * order (urun once left them to the host's default action: the child died of the first). */
static volatile sig_atomic_t rt_value = -1, rt_code, rt_from_parent;
static void on_rt_queued(int s, siginfo_t *si, void *c)
{
    (void)s, (void)c;
    rt_value = si->si_value.sival_int;
    rt_code = si->si_code;
    rt_from_parent = si->si_pid == getppid();
}

static int case_rt_between_processes(int argc, char **argv)
{
    (void)argc, (void)argv;
    int ready[2], done[2];
    xpipe(ready);
    xpipe(done);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        sigset_t block;
        sigemptyset(&block);
        sigaddset(&block, SIGRTMIN + 2);
        sigprocmask(SIG_BLOCK, &block, NULL);
        struct sigaction sa = {0};
        sa.sa_sigaction = on_rt_queued;
        sa.sa_flags = SA_SIGINFO;
        sigaction(SIGRTMIN + 1, &sa, 0);
        (void)!write(ready[1], "x", 1);
        for (int i = 0; i < 1000 && rt_value < 0; i++)
            usleep(10000);
        printf("handler: value %d, SI_QUEUE %d, from the parent %d\n", rt_value, rt_code == SI_QUEUE, rt_from_parent);
        char c;
        (void)!read(done[0], &c, 1);
        for (int i = 0; i < 3; i++) {
            siginfo_t si;
            struct timespec ts = {10, 0};
            int s = sigtimedwait(&block, &si, &ts);
            printf("sigtimedwait: SIGRTMIN+%d value %d\n", s - SIGRTMIN, si.si_value.sival_int);
        }
        struct timespec none = {0, 0};
        siginfo_t si;
        printf("a fourth: %d\n", sigtimedwait(&block, &si, &none));
        fflush(stdout);
        _exit(0);
    }
    char c;
    CHECK(read(ready[0], &c, 1) == 1);
    sigqueue(pid, SIGRTMIN + 1, (union sigval){.sival_int = 7});
    for (int i = 0; i < 3; i++)
        sigqueue(pid, SIGRTMIN + 2, (union sigval){.sival_int = 40 + i});
    (void)!write(done[1], "x", 1);
    printf("child: %s\n", status_str(xwait(pid)));
    return 0;
}

/* kill() of another process group: each member's handler learns who sent it (si_pid). */
static volatile sig_atomic_t group_from, group_code = -1;
static void on_group_usr1(int s, siginfo_t *si, void *c)
{
    (void)s, (void)c;
    group_from = si->si_pid;
    group_code = si->si_code;
}

static int case_group_sender(int argc, char **argv)
{
    (void)argc, (void)argv;
    int ready[2];
    xpipe(ready);
    pid_t pid = xfork();
    if (pid == 0) {
        CHECK(setpgid(0, 0) == 0);
        struct sigaction sa = {0};
        sa.sa_sigaction = on_group_usr1;
        sa.sa_flags = SA_SIGINFO;
        sigaction(SIGUSR1, &sa, NULL);
        (void)!write(ready[1], "x", 1);
        for (int i = 0; i < 1000 && group_code < 0; i++)
            usleep(10000);
        printf("member: from the parent %d, SI_USER %d\n", group_from == getppid(), group_code == SI_USER);
        fflush(stdout);
        _exit(0);
    }
    char c;
    CHECK(read(ready[0], &c, 1) == 1);
    CHECK(kill(-pid, SIGUSR1) == 0);
    printf("member: %s\n", status_str(xwait(pid)));
    return 0;
}

/* SIGTSTP, SIGTTIN and SIGTTOU from another process: a handler runs, an ignored one is
 * ignored, neither stops the process (urun once stopped: it did not listen for them); one
 * at its default stops it. */
static volatile sig_atomic_t tstp_seen, ttou_seen;
static void on_stop_signal(int s)
{
    if (s == SIGTSTP)
        tstp_seen++;
    else
        ttou_seen++;
}

static int case_stop_signals_caught(int argc, char **argv)
{
    (void)argc, (void)argv;
    int ready[2];
    xpipe(ready);
    pid_t pid = xfork();
    if (pid == 0) {
        /* a group of its own, not orphaned (its parent is in the session), where a stop
         * signal at its default stops (in an orphaned one the kernel drops it) */
        CHECK(setpgid(0, 0) == 0);
        signal(SIGTSTP, on_stop_signal);
        signal(SIGTTOU, on_stop_signal);
        signal(SIGTTIN, SIG_IGN);
        (void)!write(ready[1], "x", 1);
        for (int i = 0; i < 1000 && !(tstp_seen && ttou_seen); i++)
            usleep(10000);
        usleep(200000); /* time for the ignored SIGTTIN to do what it does */
        printf("child: SIGTSTP handled %d, SIGTTOU handled %d\n", (int)tstp_seen, (int)ttou_seen);
        fflush(stdout);
        signal(SIGTSTP, SIG_DFL);
        (void)!write(ready[1], "y", 1);
        for (;;)
            pause();
    }
    char c;
    CHECK(read(ready[0], &c, 1) == 1);
    kill(pid, SIGTTIN);
    kill(pid, SIGTSTP);
    kill(pid, SIGTTOU);
    CHECK(read(ready[0], &c, 1) == 1);
    kill(pid, SIGTSTP);
    int st;
    CHECK(waitpid(pid, &st, WUNTRACED) == pid);
    printf("at its default: %s\n", status_str(st));
    kill(pid, SIGKILL);
    printf("then: %s\n", status_str(xwait(pid)));
    return 0;
}

static const struct guest_case cases[] = {
    {"group_sender", case_group_sender},
    {"stop_signals_caught", case_stop_signals_caught},
    {"rt_between_processes", case_rt_between_processes},
    {"cpu_timers", case_cpu_timers},
    {"cpu_clock_vs_elapsed", case_cpu_clock_vs_elapsed},
    {"fork_exit", case_fork_exit},
    {"signal_before_exec", case_signal_before_exec},
    {"tcsetpgrp_background", case_tcsetpgrp_background},
    {"resethand", case_resethand},
    {"self_stop", case_self_stop},
    {"pidfd", case_pidfd},
    {"pdeathsig", case_pdeathsig},
    {"cpu_limit", case_cpu_limit},
    {"fsize_limit", case_fsize_limit},
    {"fork_signals", case_fork_signals},
    {"wait_any", case_wait_any},
    {"wnohang", case_wnohang},
    {"waitid", case_waitid},
    {"rusage", case_rusage},
    {"fork_memory", case_fork_memory},
    {"mmap_shared", case_mmap_shared},
    {"vfork", case_vfork},
    {"pipe", case_pipe},
    {"pipe_big", case_pipe_big},
    {"pipe_eof", case_pipe_eof},
    {"epipe", case_epipe},
    {"epipe_target", case_epipe_target},
    {"pipe2", case_pipe2},
    {"shared_offset", case_shared_offset},
    {"dup", case_dup},
    {"cloexec", case_cloexec},
    {"cloexec_target", case_cloexec_target},
    {"getpid", case_getpid},
    {"pgid_sid", case_pgid_sid},
    {"kill", case_kill},
    {"kill_group", case_kill_group},
    {"sigchld", case_sigchld},
    {"sigchld_each", case_sigchld_each},
    {"stop_cont", case_stop_cont},
    {"system", case_system},
    {"popen", case_popen},
    {"posix_spawn", case_posix_spawn},
    {"spawn_inherit", case_spawn_inherit},
    {"inherit_target", case_inherit_target},
    {"exec_target", case_exec_target},
    {"kill_exec", case_kill_exec},
    {"usr1_child", case_usr1_child},
    {"sigchld_by_wait", case_sigchld_by_wait},
    {"unblock_target", case_unblock_target},
    {"execve", case_execve},
    {"execve_proc_self", case_execve_proc_self},
    {"getrandom_flags", case_getrandom_flags},
    {"dumpable", case_dumpable},
    {"dumpable_target", case_dumpable_target},
    {"exec_errors", case_exec_errors},
    {"exec_script", case_exec_script},
    {"exec_other_arch", case_exec_other_arch},
    {"orphan", case_orphan},
    {"blocked_from_other", case_blocked_from_other},
    {"alarm_exec", case_alarm_exec},
    {"alarm_target", case_alarm_target},
    {"kill_new_child", case_kill_new_child},
    {"sender_info", case_sender_info},
    {"tgkill_other", case_tgkill_other},
    {"signal_odds", case_signal_odds},
    {"cont_handler", case_cont_handler},
};

int main(int argc, char **argv)
{
    /* every line reaches the pipe before any fork or exec */
    setvbuf(stdout, NULL, _IOLBF, 0);
    return RUN_CASE("procs", cases, argc, argv);
}

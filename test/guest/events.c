/*
 * urun guest tests for waiting on many descriptors and event descriptors:
 * poll, ppoll, select, pselect6, epoll, eventfd, timerfd, signalfd.
 *
 *     events <case>
 *
 * Every case prints deterministic output only: times are compared against
 * bounds, never printed; counts that depend on timing are printed as bounds
 * ("at least 3"); signal numbers (which differ between MIPS and ARM) and
 * errno values are printed by name.  Readiness from another process comes
 * from a forked child writing after a short sleep.
 *
 * See test/fixtures/process-cases.json ("events") for how each case is run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cases.h"

/* result and errno of a call, by name */
#define SHOW(label, expr)                                                                      \
    do {                                                                                       \
        errno = 0;                                                                             \
        long r_ = (long)(expr);                                                                \
        printf("%s: %ld %s\n", label, r_, r_ < 0 ? errname(errno) : "");                       \
    } while (0)

static const char *signame(int sig)
{
    if (sig == SIGUSR1) return "SIGUSR1";
    if (sig == SIGUSR2) return "SIGUSR2";
    if (sig == SIGCHLD) return "SIGCHLD";
    if (sig == SIGALRM) return "SIGALRM";
    return "SIG?";
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

static void reap(pid_t pid)
{
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
}

static volatile sig_atomic_t got_usr1;
static void on_usr1(int sig)
{
    (void)sig;
    got_usr1++;
}

static int usr1_blocked(void)
{
    sigset_t cur;
    sigprocmask(SIG_SETMASK, NULL, &cur);
    return sigismember(&cur, SIGUSR1);
}

/* ------------------------------------------------------------------------ */
/* poll, ppoll, select, pselect                                             */
/* ------------------------------------------------------------------------ */

static void print_set(const char *label, fd_set *s, int nfds)
{
    printf("%s:", label);
    for (int fd = 0; fd < nfds; fd++)
        if (FD_ISSET(fd, s))
            printf(" %d", fd);
    printf("\n");
}

static volatile sig_atomic_t got_alrm;
static void on_alrm(int sig)
{
    (void)sig;
    got_alrm++;
}

/* A thread waits in ppoll with an empty mask, SIGUSR1 blocked otherwise. */
static void *ppoll_thread(void *arg)
{
    (void)arg;
    int p[2];
    if (pipe(p) < 0)
        return NULL;
    struct pollfd pf = {p[0], POLLIN, 0};
    sigset_t empty;
    sigemptyset(&empty);
    int before = got_usr1;
    SHOW("thread: ppoll until the process gets SIGUSR1", ppoll(&pf, 1, NULL, &empty));
    printf("thread: handler ran %d, SIGUSR1 blocked again %d\n", got_usr1 - before, usr1_blocked());
    raise(SIGUSR1);
    SHOW("thread: ppoll with its own SIGUSR1 pending", ppoll(&pf, 1, NULL, &empty));
    printf("thread: handler ran %d, SIGUSR1 blocked again %d\n", got_usr1 - before, usr1_blocked());
    return NULL;
}

/* poll, ppoll, select, pselect6 and _newselect */
static int case_poll(int argc, char **argv)
{
    (void)argc, (void)argv;
    int p[2];
    char buf[64];
    if (pipe(p) < 0)
        return 1;

    struct pollfd pf = {p[0], POLLIN, 0};
    double t0 = now_ms();
    SHOW("poll empty pipe, 60 ms", poll(&pf, 1, 60));
    printf("waited: %s\n", now_ms() - t0 >= 55 ? "yes" : "no");
    SHOW("poll timeout 0", poll(&pf, 1, 0));

    struct pollfd wf = {p[1], POLLOUT | POLLWRNORM, 0};
    SHOW("poll write end", poll(&wf, 1, 0));
    printf("revents is POLLOUT|POLLWRNORM: %d\n", wf.revents == (POLLOUT | POLLWRNORM));

    /* a child writes twice: poll waits for the first, select for the second */
    pid_t child = fork();
    if (child == 0) {
        sleep_ms(80);
        if (write(p[1], "hi", 2) != 2)
            _exit(1);
        sleep_ms(80);
        if (write(p[1], "hello", 5) != 5)
            _exit(1);
        _exit(0);
    }
    t0 = now_ms();
    pf.revents = 0;
    SHOW("poll until a child writes", poll(&pf, 1, -1));
    printf("revents POLLIN: %d, after the write: %s\n", pf.revents == POLLIN, now_ms() - t0 >= 40 ? "yes" : "no");
    printf("read %zd\n", read(p[0], buf, 2));

    fd_set r, w;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    struct timeval tv = {20, 0};
    SHOW("select until the child writes again", select(p[0] + 1, &r, NULL, NULL, &tv));
    long left_ms = tv.tv_sec * 1000L + tv.tv_usec / 1000;
    printf("time left, less than 20 s: %d\n", left_ms > 0 && left_ms < 20000);
    print_set("readable is the pipe", &r, p[0] + 1);
    printf("read %zd\n", read(p[0], buf, sizeof buf));
    reap(child);

    /* the writer is gone once this process closes its end too */
    close(p[1]);
    SHOW("poll after the writers closed", poll(&pf, 1, 1000));
    printf("revents: POLLHUP %d POLLIN %d\n", !!(pf.revents & POLLHUP), !!(pf.revents & POLLIN));
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    SHOW("select: a hung-up pipe reads", select(p[0] + 1, &r, NULL, NULL, NULL));

    struct pollfd set[3] = {{-1, POLLIN, 7}, {999, POLLIN, 0}, {p[0], POLLIN, 0}};
    SHOW("poll -1, 999, hung-up pipe", poll(set, 3, 0));
    printf("revents: %d, POLLNVAL %d, POLLHUP %d\n", set[0].revents, set[1].revents == POLLNVAL,
           set[2].revents == POLLHUP);
    close(p[0]);

    /* select: high numbers, so that the sets span several words */
    int a[2], b[2];
    if (pipe(a) < 0 || pipe(b) < 0)
        return 1;
    if (dup2(a[0], 40) < 0 || dup2(b[0], 70) < 0 || dup2(b[1], 101) < 0)
        return 1;
    FD_ZERO(&r);
    FD_SET(40, &r);
    FD_SET(70, &r);
    tv.tv_sec = 0;
    tv.tv_usec = 60000;
    t0 = now_ms();
    SHOW("select empty pipes, 60 ms", select(71, &r, NULL, NULL, &tv));
    printf("waited: %s, time left %ld.%06ld\n", now_ms() - t0 >= 55 ? "yes" : "no", (long)tv.tv_sec,
           (long)tv.tv_usec);
    print_set("readable", &r, 71);
    if (write(b[1], "x", 1) != 1)
        return 1;
    FD_ZERO(&r);
    FD_SET(40, &r);
    FD_SET(70, &r);
    FD_ZERO(&w);
    FD_SET(101, &w);
    FD_SET(a[1], &w);
    SHOW("select one readable, two writable", select(102, &r, &w, NULL, NULL));
    print_set("readable", &r, 102);
    printf("writable: 101 %d, %d %d\n", FD_ISSET(101, &w) != 0, a[1], FD_ISSET(a[1], &w) != 0);
    if (read(70, buf, sizeof buf) != 1)
        return 1;

    /* the raw _newselect with a struct timeval the kernel writes back */
    struct {
        long sec, usec;
    } tv32 = {0, 30000};
    FD_ZERO(&r);
    FD_SET(40, &r);
    SHOW("_newselect 30 ms", syscall(SYS__newselect, 41, &r, NULL, NULL, &tv32));
    printf("time left %ld.%06ld\n", tv32.sec, tv32.usec);
    /* Linux looks only as far as the descriptor table, which grows to fit a descriptor
       and never shrinks: made to hold 200, it reports the closed 200 whatever was inherited */
    if (dup2(40, 200) != 200 || close(200) != 0)
        return 1;
    FD_ZERO(&r);
    FD_SET(40, &r);
    FD_SET(200, &r);
    SHOW("select with a closed descriptor", select(201, &r, NULL, NULL, NULL));
    struct timeval bad = {0, -1};
    SHOW("select negative timeout", select(0, NULL, NULL, NULL, &bad));
    tv.tv_sec = 0;
    tv.tv_usec = 20000;
    t0 = now_ms();
    SHOW("select as a sleep", select(0, NULL, NULL, NULL, &tv));
    printf("slept: %s\n", now_ms() - t0 >= 15 ? "yes" : "no");

    /* ppoll: timeout, then signals its mask lets through (blocked otherwise) */
    struct timespec ts = {0, 50 * 1000000L};
    pf.fd = a[0];
    pf.events = POLLIN;
    t0 = now_ms();
    SHOW("ppoll 50 ms", ppoll(&pf, 1, &ts, NULL));
    printf("waited: %s\n", now_ms() - t0 >= 45 ? "yes" : "no");

    struct sigaction sa = {0};
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_handler = on_alrm;
    sigaction(SIGALRM, &sa, NULL);
    sigset_t block, empty;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigaddset(&block, SIGALRM);
    sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &block, NULL);
    raise(SIGUSR1);
    printf("pending, blocked: handler ran %d\n", (int)got_usr1);
    SHOW("ppoll with an empty mask", ppoll(&pf, 1, NULL, &empty));
    printf("handler ran %d, SIGUSR1 blocked again %d\n", (int)got_usr1, usr1_blocked());

    /* a timer's signal comes while ppoll waits */
    struct itimerval it = {{0, 0}, {0, 60000}};
    setitimer(ITIMER_REAL, &it, NULL);
    SHOW("ppoll until a timer's SIGALRM", ppoll(&pf, 1, NULL, &empty));
    printf("SIGALRM handler ran %d, SIGUSR1 blocked again %d\n", (int)got_alrm, usr1_blocked());

    /* a ready descriptor wins over a pending signal */
    raise(SIGUSR1);
    if (write(a[1], "x", 1) != 1)
        return 1;
    SHOW("ppoll ready pipe and pending signal", ppoll(&pf, 1, NULL, &empty));
    printf("handler ran %d\n", (int)got_usr1);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    printf("after unblocking: handler ran %d\n", (int)got_usr1);
    sigprocmask(SIG_BLOCK, &block, NULL);

    /* pselect: the same, with a timeout */
    raise(SIGUSR1);
    FD_ZERO(&r);
    FD_SET(70, &r);
    ts.tv_sec = 5;
    ts.tv_nsec = 0;
    SHOW("pselect with an empty mask", pselect(71, &r, NULL, NULL, &ts, &empty));
    printf("handler ran %d, SIGUSR1 blocked again %d\n", (int)got_usr1, usr1_blocked());
    ts.tv_sec = 0;
    ts.tv_nsec = 40 * 1000000L;
    SHOW("pselect 40 ms, signals blocked", pselect(71, &r, NULL, NULL, &ts, &block));

    /* in a second thread: the signal can only go to the thread whose ppoll lets it through */
    pthread_t th;
    pthread_create(&th, NULL, ppoll_thread, NULL);
    sleep_ms(80);
    kill(getpid(), SIGUSR1);
    pthread_join(th, NULL);
    printf("joined\n");
    return 0;
}

/* ------------------------------------------------------------------------ */
/* epoll                                                                    */
/* ------------------------------------------------------------------------ */

static int epoll_one(int ep, int timeout, struct epoll_event *ev)
{
    memset(ev, 0, sizeof *ev);
    return epoll_wait(ep, ev, 1, timeout);
}

static void *epoll_thread(void *arg)
{
    int ep = *(int *)arg;
    struct epoll_event ev;
    int n = epoll_one(ep, -1, &ev);
    printf("thread: epoll_wait %d, data %u\n", n, ev.data.u32);
    return NULL;
}

static int case_epoll(int argc, char **argv)
{
    (void)argc, (void)argv;
    int p[2], q[2];
    char buf[256];
    struct epoll_event ev, got;
    if (pipe(p) < 0 || pipe(q) < 0)
        return 1;
    int ep = epoll_create1(EPOLL_CLOEXEC);
    printf("epoll_create1: %s, cloexec %d\n", ep >= 0 ? "ok" : errname(errno), fcntl(ep, F_GETFD) == FD_CLOEXEC);

    /* level-triggered, with all 64 bits of data */
    ev.events = EPOLLIN;
    ev.data.u64 = 0x1122334455667788ULL;
    SHOW("add level-triggered", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    SHOW("add again", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    SHOW("wait, nothing ready", epoll_one(ep, 0, &got));
    double t0 = now_ms();
    SHOW("wait 50 ms", epoll_one(ep, 50, &got));
    printf("waited: %s\n", now_ms() - t0 >= 45 ? "yes" : "no");
    if (write(p[1], "ab", 2) != 2)
        return 1;
    SHOW("wait, data written", epoll_one(ep, 0, &got));
    printf("events %#x data %#llx\n", got.events, (unsigned long long)got.data.u64);
    SHOW("wait again (still readable)", epoll_one(ep, 0, &got));
    if (read(p[0], buf, 1) != 1)
        return 1;
    SHOW("after a partial read", epoll_one(ep, 0, &got));
    if (read(p[0], buf, 1) != 1)
        return 1;
    SHOW("after reading all", epoll_one(ep, 0, &got));

    /* edge-triggered: one report per new arrival */
    ev.events = EPOLLIN | EPOLLET;
    ev.data.u64 = 0;
    ev.data.fd = q[0];
    SHOW("add edge-triggered", epoll_ctl(ep, EPOLL_CTL_ADD, q[0], &ev));
    if (write(q[1], "x", 1) != 1)
        return 1;
    SHOW("edge: wait", epoll_one(ep, 0, &got));
    printf("data.fd is q[0]: %d\n", got.data.fd == q[0]);
    SHOW("edge: wait again", epoll_one(ep, 0, &got));
    if (write(q[1], "y", 1) != 1)
        return 1;
    SHOW("edge: after another write", epoll_one(ep, 0, &got));
    if (read(q[0], buf, sizeof buf) != 2)
        return 1;

    /* one-shot: reported once until re-armed with EPOLL_CTL_MOD */
    ev.events = EPOLLIN | EPOLLONESHOT;
    ev.data.u64 = 0xfeedfacecafebeefULL;
    SHOW("mod to one-shot", epoll_ctl(ep, EPOLL_CTL_MOD, q[0], &ev));
    if (write(q[1], "z", 1) != 1)
        return 1;
    SHOW("oneshot: wait", epoll_one(ep, 0, &got));
    printf("data %#llx\n", (unsigned long long)got.data.u64);
    SHOW("oneshot: wait again", epoll_one(ep, 0, &got));
    SHOW("rearm", epoll_ctl(ep, EPOLL_CTL_MOD, q[0], &ev));
    SHOW("oneshot: after rearming", epoll_one(ep, 0, &got));
    SHOW("del", epoll_ctl(ep, EPOLL_CTL_DEL, q[0], NULL));
    SHOW("del again", epoll_ctl(ep, EPOLL_CTL_DEL, q[0], NULL));
    SHOW("after del", epoll_one(ep, 0, &got));
    SHOW("ctl on a closed descriptor", epoll_ctl(ep, EPOLL_CTL_ADD, 555, &ev));
    SHOW("ctl on itself", epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev));
    SHOW("wait on a pipe", epoll_wait(p[0], &got, 1, 0));
    SHOW("wait maxevents 0", epoll_wait(ep, &got, 0, 0));
    SHOW("epoll_create(0)", epoll_create(0));

    /* a writer hangs up: EPOLLHUP */
    close(q[1]);
    ev.events = EPOLLIN;
    ev.data.u32 = 9;
    epoll_ctl(ep, EPOLL_CTL_ADD, q[0], &ev);
    if (read(q[0], buf, sizeof buf) != 1)
        return 1;
    SHOW("hung-up pipe", epoll_one(ep, 0, &got));
    printf("events: EPOLLHUP %d, data %u\n", got.events == EPOLLHUP, got.data.u32);
    close(q[0]);

    /* many pipes fed by a child, in the order it writes them */
    enum { N = 8 };
    int ps[N][2];
    int ep2 = epoll_create(1);
    for (int i = 0; i < N; i++) {
        if (pipe(ps[i]) < 0)
            return 1;
        ev.events = EPOLLIN;
        ev.data.u64 = 100 + i;
        epoll_ctl(ep2, EPOLL_CTL_ADD, ps[i][0], &ev);
    }
    /* the child also finds the same epoll instance, with p[0] readable */
    if (write(p[1], "c", 1) != 1)
        return 1;
    pid_t child = fork();
    if (child == 0) {
        if (epoll_one(ep, 1000, &got) != 1 || got.data.u64 != 0x1122334455667788ULL)
            _exit(1);
        for (int i = N - 1; i >= 0; i--) {
            sleep_ms(5);
            if (write(ps[i][1], "0123456789", 10) != 10)
                _exit(1);
        }
        _exit(0);
    }
    for (int i = 0; i < N; i++)
        close(ps[i][1]);
    int seen = 0, eofs = 0, bytes = 0;
    while (eofs < N) {
        struct epoll_event evs[N];
        int n = epoll_wait(ep2, evs, N, 5000);
        if (n <= 0) {
            printf("epoll_wait: %d %s\n", n, errname(errno));
            break;
        }
        for (int j = 0; j < n; j++) {
            int i = (int)(evs[j].data.u64 - 100);
            ssize_t r = read(ps[i][0], buf, sizeof buf);
            if (r > 0) {
                bytes += r;
                seen |= 1 << i;
            } else if (r == 0) {
                eofs++;
                epoll_ctl(ep2, EPOLL_CTL_DEL, ps[i][0], NULL);
            }
        }
    }
    int st;
    waitpid(child, &st, 0);
    printf("many pipes: all seen %d, bytes %d, eofs %d, child status %d\n", seen == (1 << N) - 1, bytes, eofs,
           WEXITSTATUS(st));
    if (read(p[0], buf, 1) != 1)
        return 1;
    close(ep2);

    /* epoll_pwait: a blocked pending signal its mask lets through */
    struct sigaction sa = {0};
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t block, empty;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &block, NULL);
    raise(SIGUSR1);
    SHOW("epoll_pwait with an empty mask", epoll_pwait(ep, &got, 1, -1, &empty));
    printf("handler ran %d, SIGUSR1 blocked again %d\n", (int)got_usr1, usr1_blocked());
    SHOW("epoll_pwait 30 ms, signals blocked", epoll_pwait(ep, &got, 1, 30, &block));

    /* one thread waits in epoll_wait, another wakes it */
    ev.events = EPOLLIN;
    ev.data.u32 = 42;
    epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
    pthread_t th;
    pthread_create(&th, NULL, epoll_thread, &ep);
    sleep_ms(50);
    if (write(p[1], "t", 1) != 1)
        return 1;
    pthread_join(th, NULL);
    printf("joined\n");
    return 0;
}

/* ------------------------------------------------------------------------ */
/* eventfd, timerfd                                                         */
/* ------------------------------------------------------------------------ */

static int case_eventfd(int argc, char **argv)
{
    (void)argc, (void)argv;
    uint64_t v;
    int e = eventfd(5, 0);
    v = 3;
    SHOW("write 3", write(e, &v, sizeof v));
    v = 0;
    SHOW("read", read(e, &v, sizeof v));
    printf("counter %llu\n", (unsigned long long)v);
    SHOW("short read", read(e, &v, 4));
    v = 0xffffffffffffffffULL;
    SHOW("write all ones", write(e, &v, sizeof v));
    eventfd_t ev;
    eventfd_write(e, 0x100000001ULL);
    eventfd_read(e, &ev);
    printf("64-bit counter %#llx\n", (unsigned long long)ev);
    close(e);

    e = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC);
    printf("flags: nonblock %d cloexec %d\n", (fcntl(e, F_GETFL) & O_NONBLOCK) != 0, fcntl(e, F_GETFD) == FD_CLOEXEC);
    for (int i = 0; i < 3; i++) {
        v = 0;
        errno = 0;
        ssize_t r = read(e, &v, sizeof v);
        printf("semaphore read: %zd %s value %llu\n", r, r < 0 ? errname(errno) : "", (unsigned long long)v);
    }
    struct pollfd pf = {e, POLLIN | POLLOUT, 0};
    SHOW("poll empty eventfd", poll(&pf, 1, 0));
    printf("revents: POLLOUT only %d\n", pf.revents == POLLOUT);
    close(e);

    /* a blocking read woken by a child's write */
    e = eventfd(0, 0);
    pid_t child = fork();
    if (child == 0) {
        sleep_ms(60);
        eventfd_write(e, 7);
        _exit(0);
    }
    eventfd_read(e, &ev);
    printf("from the child: %llu\n", (unsigned long long)ev);
    reap(child);
    close(e);
    SHOW("eventfd bad flags", eventfd(0, 0x10000000));

    /* timerfd: periodic expirations */
    int t = timerfd_create(CLOCK_MONOTONIC, 0);
    struct itimerspec its = {{0, 20 * 1000000L}, {0, 20 * 1000000L}}, cur;
    SHOW("timerfd_settime 20 ms period", timerfd_settime(t, 0, &its, NULL));
    timerfd_gettime(t, &cur);
    printf("interval %ld.%09ld, value set %d\n", (long)cur.it_interval.tv_sec, cur.it_interval.tv_nsec,
           cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 20 * 1000000L);
    sleep_ms(110);
    v = 0;
    SHOW("read after 110 ms", read(t, &v, sizeof v));
    printf("expirations at least 3: %d\n", v >= 3);
    v = 0;
    read(t, &v, sizeof v); /* blocks for the next one */
    printf("blocking read: at least 1: %d\n", v >= 1);
    pf.fd = t;
    pf.events = POLLIN;
    SHOW("poll until the next expiration", poll(&pf, 1, 1000));
    read(t, &v, sizeof v);

    /* epoll on a timerfd, one-shot */
    int ep = epoll_create1(0);
    struct epoll_event ee = {EPOLLIN, {.u32 = 5}};
    epoll_ctl(ep, EPOLL_CTL_ADD, t, &ee);
    memset(&its, 0, sizeof its);
    its.it_value.tv_nsec = 30 * 1000000L;
    struct itimerspec old;
    SHOW("rearm one-shot 30 ms", timerfd_settime(t, 0, &its, &old));
    printf("old interval %ld.%09ld\n", (long)old.it_interval.tv_sec, old.it_interval.tv_nsec);
    SHOW("epoll_wait for it", epoll_wait(ep, &ee, 1, 1000));
    printf("data %u\n", ee.data.u32);
    SHOW("read", read(t, &v, sizeof v));
    printf("expirations %llu\n", (unsigned long long)v);
    timerfd_gettime(t, &cur);
    printf("disarmed: %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);

    /* absolute time, non-blocking */
    int tn = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
    SHOW("nonblocking read, unarmed", read(tn, &v, sizeof v));
    struct timespec nowts;
    clock_gettime(CLOCK_REALTIME, &nowts);
    its.it_value = nowts;
    its.it_value.tv_sec -= 1;
    SHOW("absolute time in the past", timerfd_settime(tn, TFD_TIMER_ABSTIME, &its, NULL));
    SHOW("read", read(tn, &v, sizeof v));
    printf("expirations %llu\n", (unsigned long long)v);
    its.it_value.tv_nsec = 1000000000L;
    SHOW("bad nanoseconds", timerfd_settime(tn, 0, &its, NULL));
    SHOW("settime on an eventfd", timerfd_settime(eventfd(0, 0), 0, &its, NULL));
    return 0;
}

/* ------------------------------------------------------------------------ */
/* signalfd                                                                 */
/* ------------------------------------------------------------------------ */

static int read_siginfo(int sfd, const char *label)
{
    struct signalfd_siginfo si;
    memset(&si, 0, sizeof si);
    errno = 0;
    ssize_t r = read(sfd, &si, sizeof si);
    if (r < 0)
        printf("%s: %zd %s\n", label, r, errname(errno));
    else
        printf("%s: %zd bytes, %s\n", label, r, signame((int)si.ssi_signo));
    return (int)si.ssi_signo;
}

static void *signalfd_thread(void *arg)
{
    int sfd = *(int *)arg;
    read_siginfo(sfd, "thread: blocking read, child's kill");
    read_siginfo(sfd, "thread: child exit");
    return NULL;
}

static int case_signalfd(int argc, char **argv)
{
    (void)argc, (void)argv;
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    int sfd = signalfd(-1, &mask, SFD_NONBLOCK);
    printf("signalfd: %s\n", sfd >= 0 ? "ok" : errname(errno));
    read_siginfo(sfd, "nothing pending");
    struct pollfd pf = {sfd, POLLIN, 0};
    SHOW("poll, nothing pending", poll(&pf, 1, 0));

    raise(SIGUSR1);
    SHOW("poll, SIGUSR1 pending", poll(&pf, 1, 0));
    struct signalfd_siginfo si;
    SHOW("short read", read(sfd, &si, 100));
    int sig = read_siginfo(sfd, "read");
    (void)sig;
    sigset_t pend;
    sigpending(&pend);
    printf("still pending: %d\n", sigismember(&pend, SIGUSR1));
    SHOW("poll after reading", poll(&pf, 1, 0));

    /* epoll on a signalfd; a timer's SIGALRM */
    sigaddset(&mask, SIGALRM);
    sigaddset(&mask, SIGCHLD);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    printf("signalfd update: %d\n", signalfd(sfd, &mask, 0) == sfd);
    int ep = epoll_create1(0);
    struct epoll_event ev = {EPOLLIN, {.u32 = 3}};
    epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);
    SHOW("epoll, nothing pending", epoll_wait(ep, &ev, 1, 0));
    struct itimerval it = {{0, 0}, {0, 40000}};
    setitimer(ITIMER_REAL, &it, NULL);
    SHOW("epoll until the timer", epoll_wait(ep, &ev, 1, 2000));
    printf("data %u\n", ev.data.u32);
    read_siginfo(sfd, "timer");

    /* two at once */
    raise(SIGUSR1);
    raise(SIGCHLD);
    struct signalfd_siginfo two[2];
    SHOW("read two", read(sfd, two, sizeof two));
    printf("%s %s\n", signame((int)two[0].ssi_signo), signame((int)two[1].ssi_signo));

    /* a child sends SIGUSR1, then exits (SIGCHLD) */
    int fl = fcntl(sfd, F_GETFL);
    fcntl(sfd, F_SETFL, fl & ~O_NONBLOCK);
    /* another thread reads them (the process is multi-threaded from here on) */
    pthread_t th;
    pthread_create(&th, NULL, signalfd_thread, &sfd);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        sleep_ms(60);
        kill(parent, SIGUSR1);
        sleep_ms(30);
        _exit(7);
    }
    pthread_join(th, NULL);
    int st;
    waitpid(child, &st, 0);
    printf("child status %d\n", WEXITSTATUS(st));
    SHOW("signalfd on stdin", signalfd(0, &mask, 0));
    return 0;
}

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (!(cond)) {                                                                \
            printf("failed: %s\n", #cond);                                            \
            return 1;                                                                 \
        }                                                                             \
    } while (0)

/*
 * A 1 ms POSIX timer whose signal stays blocked for 100 ms: Linux queues one signal per
 * timer, and its si_overrun (and timer_getoverrun) counts the expiries it stood for.
 */
static int case_timer_overrun(int argc, char **argv)
{
    (void)argc, (void)argv;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &set, NULL);
    timer_t timer;
    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGRTMIN;
    CHECK(timer_create(CLOCK_MONOTONIC, &ev, &timer) == 0);
    struct itimerspec every_ms = {{0, 1000000}, {0, 1000000}};
    CHECK(timer_settime(timer, 0, &every_ms, NULL) == 0);
    usleep(100000);
    siginfo_t si;
    CHECK(sigwaitinfo(&set, &si) == SIGRTMIN);
    int overrun = timer_getoverrun(timer);
    CHECK(timer_delete(timer) == 0);
    struct timespec zero = {0, 0};
    int more = 0;
    while (sigtimedwait(&set, NULL, &zero) > 0)
        more++;
    printf("signals queued after the first: %s\n", more <= 1 ? "at most one" : "many");
    printf("si_overrun counts the missed expiries: %s\n", si.si_overrun >= 50 ? "yes" : "no");
    printf("timer_getoverrun agrees: %s\n", overrun == si.si_overrun ? "yes" : "no");
    return 0;
}

static const struct guest_case cases[] = {
    {"timer_overrun", case_timer_overrun},
    {"poll", case_poll},
    {"epoll", case_epoll},
    {"eventfd", case_eventfd},
    {"signalfd", case_signalfd},
};

int main(int argc, char **argv)
{
    /* every line reaches the pipe before any fork */
    setvbuf(stdout, NULL, _IOLBF, 0);
    return RUN_CASE("events", cases, argc, argv);
}

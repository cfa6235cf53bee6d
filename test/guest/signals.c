/*
 * Signal delivery cases for urun, one per argv[1] (sig_*); outputs are compared with qemu-user's.
 * Built for mips, mipsel, armhf and armel by test/fixtures/build.sh. Nothing printed
 * depends on addresses or timing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <fenv.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static volatile sig_atomic_t hits, last_sig, depth, max_depth;
static volatile int got_code, got_pid, got_value;
static sigjmp_buf jump;
static volatile uintptr_t fault_addr;

static void say(const char *s) { write(1, s, strlen(s)); }

static void on_info(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    hits++;
    last_sig = sig;
    got_code = si->si_code;
    got_pid = si->si_pid;
    got_value = si->si_value.sival_int;
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sig, &sa, NULL) != 0) { perror("sigaction"); exit(1); }
}

static int siginfo_case(void) {
    install(SIGUSR1, on_info, 0);
    install(SIGUSR2, on_info, 0);
    raise(SIGUSR1);
    printf("raise: hits=%d sig is SIGUSR1: %d code is SI_TKILL: %d pid is mine: %d\n",
           hits, last_sig == SIGUSR1, got_code == SI_TKILL, got_pid == getpid());
    kill(getpid(), SIGUSR2);
    printf("kill: hits=%d sig is SIGUSR2: %d code is SI_USER: %d pid is mine: %d\n",
           hits, last_sig == SIGUSR2, got_code == SI_USER, got_pid == getpid());
    union sigval v = {.sival_int = 42};
    sigqueue(getpid(), SIGUSR1, v);
    printf("sigqueue: hits=%d code is SI_QUEUE: %d value=%d\n", hits, got_code == SI_QUEUE, got_value);
    /* Signal 0 only checks the process is there, this one or another (glibc's POSIX AIO
       queues it for a zeroed sigevent and fails the request if that fails). */
    int self0 = sigqueue(getpid(), 0, v), parent0 = sigqueue(getppid(), 0, v);
    printf("sigqueue of signal 0: here %d, to the parent %d, hits=%d\n", self0, parent0, hits);
    /* To itself a process may queue any si_code. */
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = SIGUSR2;
    si.si_code = SI_USER;
    si.si_pid = getpid();
    long r = syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR2, &si);
    printf("rt_sigqueueinfo SI_USER to itself: %ld, hits=%d code is SI_USER: %d\n", r, hits, got_code == SI_USER);
    return 0;
}

static void on_segv(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    last_sig = sig;
    got_code = si->si_code;
    fault_addr = (uintptr_t)si->si_addr;
    siglongjmp(jump, 1);
}

/* A hot loop (translated after a few iterations) that faults on its last iteration. */
static __attribute__((noinline)) long walk(volatile int **ptrs, int n) {
    long sum = 0;
    for (int round = 0; round < 2000; round++)
        for (int i = 0; i < n; i++) sum += *ptrs[i];
    return sum;
}

static int segv_case(void) {
    install(SIGSEGV, on_segv, 0);
    static int cells[8];
    volatile int *ptrs[8];
    for (int i = 0; i < 8; i++) ptrs[i] = &cells[i];
    for (int i = 0; i < 8; i++) cells[i] = i;
    printf("warm-up sum %ld\n", walk(ptrs, 8));
    ptrs[7] = (volatile int *)16;
    if (sigsetjmp(jump, 1) == 0) {
        walk(ptrs, 8);
        printf("no fault?\n");
    } else {
        printf("recovered: SIGSEGV %d, SEGV_MAPERR %d, addr 16: %d\n", last_sig == SIGSEGV, got_code == SEGV_MAPERR,
               fault_addr == 16);
    }
    char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (sigsetjmp(jump, 1) == 0) {
        *(volatile char *)(ro + 100) = 1;
        printf("no fault?\n");
    } else {
        printf("read-only page: SEGV_ACCERR %d, addr right: %d\n", got_code == SEGV_ACCERR, fault_addr == (uintptr_t)(ro + 100));
    }
    /* The mask saved by sigsetjmp(…, 1) was restored: SIGSEGV is deliverable again. */
    volatile uintptr_t bad = 8;
    if (sigsetjmp(jump, 1) == 0) *(volatile int *)bad = 1;
    printf("third fault recovered too\n");
    return 0;
}

static void on_overflow(int sig, siginfo_t *si, void *uc) {
    (void)si; (void)uc;
    stack_t now;
    sigaltstack(NULL, &now);
    last_sig = sig;
    got_code = (now.ss_flags & SS_ONSTACK) != 0;
    siglongjmp(jump, 1);
}

static volatile int forever = 1;

static __attribute__((noinline)) int recurse(volatile char *prev) {
    volatile char big[1024];
    big[0] = prev ? prev[0] + 1 : 0;
    return forever ? recurse(big) + big[1] : 0;
}

static int altstack_case(void) {
    stack_t ss = {.ss_sp = malloc(65536), .ss_size = 65536, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0) { perror("sigaltstack"); return 1; }
    install(SIGSEGV, on_overflow, SA_ONSTACK);
    if (sigsetjmp(jump, 1) == 0) {
        recurse(NULL);
        printf("no overflow?\n");
    } else {
        printf("stack overflow caught: SIGSEGV %d, on the alternate stack %d\n", last_sig == SIGSEGV, got_code);
    }
    stack_t now;
    sigaltstack(NULL, &now);
    printf("back on the main stack: %d\n", (now.ss_flags & SS_ONSTACK) == 0);
    return 0;
}

static void on_alarm(int sig) { last_sig = sig; hits++; }

static int alarm_case(void) {
    signal(SIGALRM, on_alarm);
    struct itimerval it = {.it_interval = {0, 20000}, .it_value = {0, 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
    volatile unsigned long spins = 0;
    while (hits < 3) spins++;
    struct itimerval off = {0};
    setitimer(ITIMER_REAL, &off, NULL);
    // At least 3: one more may come before the timer is off (a slow run, e.g. under --check-jit).
    printf("setitimer interrupted a hot loop 3 times: %d\n", hits >= 3 && spins > 0);
    hits = 0;
    alarm(1);
    while (hits == 0) spins++;
    printf("alarm interrupted a hot loop: %d\n", last_sig == SIGALRM);
    printf("alarm left: %u\n", alarm(0));
    return 0;
}

static void on_note(int sig) { last_sig = sig; hits++; }

static int mask_case(void) {
    signal(SIGUSR1, on_note);
    sigset_t set, old, pending;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR1);
    raise(SIGUSR1);
    sigpending(&pending);
    printf("blocked: hits=%d pending=%d\n", hits, sigismember(&pending, SIGUSR1));
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("unblocked: hits=%d (standard signals do not queue twice)\n", hits);
    sigpending(&pending);
    printf("pending now: %d\n", sigismember(&pending, SIGUSR1));
    return 0;
}

static int suspend_case(void) {
    signal(SIGALRM, on_note);
    sigset_t block, empty, now;
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    sigprocmask(SIG_BLOCK, &block, NULL);
    struct itimerval it = {.it_value = {0, 30000}};
    setitimer(ITIMER_REAL, &it, NULL);
    sigemptyset(&empty);
    int r = sigsuspend(&empty);
    int e = errno;
    sigprocmask(SIG_SETMASK, NULL, &now);
    printf("sigsuspend returned %d EINTR %d after %d handler run(s); SIGALRM blocked again: %d\n", r, e == EINTR, hits,
           sigismember(&now, SIGALRM));
    alarm(0);
    /* pause() cannot be race-free: 200 ms (not 20) so that an emulator stalled between
       setitimer and pause on a loaded machine still reaches pause first. */
    struct itimerval again = {.it_value = {0, 200000}};
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    setitimer(ITIMER_REAL, &again, NULL);
    r = pause();
    printf("pause returned %d EINTR %d, hits=%d\n", r, errno == EINTR, hits);
    return 0;
}

static int resethand_case(void) {
    struct sigaction sa, cur;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_note;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    sigaction(SIGUSR2, NULL, &cur);
    printf("SA_RESETHAND: hits=%d, now SIG_DFL: %d\n", hits, cur.sa_handler == SIG_DFL);
    fflush(stdout);
    raise(SIGUSR2); /* the default action: death */
    printf("still alive?\n");
    return 0;
}

static void on_nested(int sig) {
    depth++;
    if (depth > max_depth) max_depth = depth;
    if (hits++ < 2) raise(sig);
    depth--;
}

static int nodefer_case(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_nested;
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("SA_NODEFER: %d runs, nested %d deep\n", hits, max_depth);
    hits = max_depth = 0;
    sa.sa_flags = 0;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("without it: %d runs, nested %d deep\n", hits, max_depth);
    return 0;
}

static int raise_case(void) {
    printf("raising SIGTERM with no handler\n");
    fflush(stdout);
    raise(SIGTERM);
    printf("still alive?\n");
    return 0;
}

static int sigpipe_case(void) {
    int fds[2];
    if (pipe(fds) != 0) { perror("pipe"); return 1; }
    close(fds[0]);
    signal(SIGPIPE, SIG_IGN);
    ssize_t n = write(fds[1], "x", 1);
    printf("ignored SIGPIPE: write returned %d, EPIPE %d\n", (int)n, errno == EPIPE);
    signal(SIGPIPE, on_note);
    n = write(fds[1], "x", 1);
    printf("caught SIGPIPE: write returned %d, EPIPE %d, handler ran %d time(s)\n", (int)n, errno == EPIPE, hits);
    return 0;
}

static volatile uintptr_t handler_pc;

static void on_skip(int sig, siginfo_t *si, void *ctx) {
    (void)si;
    ucontext_t *uc = ctx;
    last_sig = sig;
#if defined(__mips__)
    handler_pc = uc->uc_mcontext.pc;
    uc->uc_mcontext.pc += 4;
#else
    uintptr_t pc = uc->uc_mcontext.arm_pc;
    handler_pc = pc;
    if (uc->uc_mcontext.arm_cpsr & 0x20) { /* Thumb: 32-bit if the first halfword says so */
        uint16_t hw = *(uint16_t *)pc;
        uc->uc_mcontext.arm_pc += (hw >> 11) >= 0x1d ? 4 : 2;
    } else {
        uc->uc_mcontext.arm_pc += 4;
    }
#endif
    hits++;
}

static __attribute__((noinline)) int faulty(volatile int *p) {
    int before = 7;
    int v = *p; /* skipped by the handler */
    (void)v;
    return before + 1;
}

static int skip_case(void) {
    install(SIGSEGV, on_skip, 0);
    install(SIGBUS, on_skip, 0);
    int r = faulty((volatile int *)4);
    uintptr_t f = (uintptr_t)faulty & ~(uintptr_t)1;
    printf("skipped the faulting load: returned %d, handler ran %d time(s), pc inside faulty(): %d\n", r, hits,
           handler_pc >= f && handler_pc < f + 256);
    return 0;
}

/* The trap's siginfo and whether si_addr is the interrupted pc. */
static void on_trap(int sig, siginfo_t *si, void *ucv) {
    ucontext_t *uc = ucv;
    last_sig = sig;
    got_code = si->si_code;
#ifdef __mips__
    got_value = (uintptr_t)si->si_addr == uc->uc_mcontext.pc;
#else
    got_value = (uintptr_t)si->si_addr == uc->uc_mcontext.arm_pc;
#endif
    hits++;
    siglongjmp(jump, 1);
}

static volatile double fz = 0.0, fone = 1.0, fbig = 1e308, ftiny = 1e-308;

#define TRAP_CASE(what, expr)                                                                              \
    do {                                                                                                   \
        volatile double out = 42;                                                                          \
        if (sigsetjmp(jump, 1) == 0) {                                                                     \
            out = (expr);                                                                                  \
            printf("%s: no trap, %g\n", what, out);                                                        \
        } else {                                                                                           \
            printf("%s: SIGFPE %d code %d si_addr at pc %d, result unwritten %d\n", what, last_sig == SIGFPE, \
                   got_code, got_value, out == 42);                                                        \
        }                                                                                                  \
    } while (0)

/*
 * FPU exception traps (feenableexcept): MIPS raises SIGFPE at the instruction with the
 * exception's si_code, leaving the destination and the flags alone; ARM's VFP has none
 * (feenableexcept fails). Then MIPS integer traps: add overflow, trap codes.
 */
static int fpe_case(void) {
    install(SIGFPE, on_trap, 0);
    install(SIGTRAP, on_trap, 0);
    feclearexcept(FE_ALL_EXCEPT);
    if (feenableexcept(FE_DIVBYZERO | FE_INVALID | FE_OVERFLOW | FE_UNDERFLOW) < 0) {
        printf("no FPU traps\n");
    } else {
        TRAP_CASE("divide by zero", fone / fz);
        TRAP_CASE("invalid", fz / fz);
        TRAP_CASE("overflow", fbig * 10);
        TRAP_CASE("underflow", ftiny * 1e-10);
        TRAP_CASE("exact", fone + 1);
        printf("flags untouched by the traps: %d\n", fetestexcept(FE_ALL_EXCEPT & ~FE_INEXACT));
        /* a hot loop, translated by then, traps at its 20000th division */
        static double divisors[20000];
        for (int i = 0; i < 20000; i++) divisors[i] = i + 1;
        divisors[19999] = 0;
        volatile int at = -1;
        if (sigsetjmp(jump, 1) == 0) {
            double acc = 0;
            for (at = 0; at < 20000; at++) acc += fone / divisors[at];
            printf("loop: no trap %g\n", acc);
        } else {
            printf("loop: trapped at %d, code %d, si_addr at pc %d\n", at, got_code, got_value);
        }
        /* feraiseexcept sets Cause: an enabled one traps on the FCSR write (Linux clears the
           trapped Cause bits where qemu-user keeps them: cleared here for both) */
        feclearexcept(FE_ALL_EXCEPT);
        hits = 0;
        if (sigsetjmp(jump, 1) == 0) feraiseexcept(FE_OVERFLOW);
        printf("feraiseexcept: traps %d code %d\n", hits, got_code);
        fedisableexcept(FE_ALL_EXCEPT);
    }
#ifdef __mips__
    volatile int big = 0x7fffffff;
    if (sigsetjmp(jump, 1) == 0) {
        int r;
        __asm__ volatile("add %0, %1, %2" : "=r"(r) : "r"(big), "r"(1));
        printf("add: no trap %d\n", r);
    } else {
        printf("add overflow: SIGFPE %d code %d\n", last_sig == SIGFPE, got_code);
    }
    if (sigsetjmp(jump, 1) == 0) __asm__ volatile("teq $0, $0, 0");
    printf("teq code 0: SIGTRAP %d code %d\n", last_sig == SIGTRAP, got_code);
#endif
    return 0;
}

static void on_plain(int sig) {
    last_sig = sig;
    hits++;
    /* clobber registers and floating point; the interrupted code must not notice */
    volatile double x = 1.5;
    for (int i = 0; i < 10; i++) x = x * 3.25 + i;
    got_value = (int)x;
}

static int plain_case(void) {
    signal(SIGUSR1, on_plain);
    double acc = 0.5;
    long n = 0;
    for (int i = 0; i < 100; i++) {
        acc = acc * 1.01 + i;
        n += i * i;
        if (i == 50) raise(SIGUSR1);
    }
    printf("non-SA_SIGINFO handler: sig %d hits %d; interrupted loop: %.6f %ld\n", last_sig == SIGUSR1, hits, acc, n);
    return 0;
}

static int timer_case(void) {
    install(SIGRTMIN, on_info, 0);
    timer_t id;
    struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN, .sigev_value.sival_int = 7};
    if (timer_create(CLOCK_MONOTONIC, &ev, &id) != 0) { perror("timer_create"); return 1; }
    struct itimerspec its = {.it_interval = {0, 10000000}, .it_value = {0, 10000000}};
    timer_settime(id, 0, &its, NULL);
    volatile unsigned long spins = 0;
    while (hits < 3) spins++;
    timer_delete(id);
    /* SI_TIMER is -2, or -3 on MIPS (qemu-mips reports -2): only its sign is portable. */
    printf("timer fired 3 times: code negative %d value %d\n", got_code < 0, got_value);
    return 0;
}

static int timedwait_case(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGUSR1);
    siginfo_t si;
    struct timespec ts = {0, 10000000};
    int r = sigtimedwait(&set, &si, &ts);
    printf("sigtimedwait: got SIGUSR1 %d, si_signo SIGUSR1 %d\n", r == SIGUSR1, si.si_signo == SIGUSR1);
    r = sigtimedwait(&set, &si, &ts);
    printf("nothing pending: %d EAGAIN %d\n", r, errno == EAGAIN);
    return 0;
}

static int nanosleep_case(void) {
    signal(SIGALRM, on_note);
    struct itimerval it = {.it_value = {0, 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
    struct timespec req = {5, 0}, rem = {0, 0};
    int r = nanosleep(&req, &rem);
    printf("nanosleep interrupted: %d EINTR %d, handler ran %d, time left between 4 and 5 s: %d\n", r, errno == EINTR, hits,
           rem.tv_sec == 4);
    return 0;
}

/*
 * For the host-signal tests: handles SIGINT, SIGTERM, SIGUSR1, SIGHUP, SIGABRT, SIGPWR,
 * SIGSYS and (ARM) SIGSTKFLT in a hot loop until SIGTERM.
 */
static int wait_case(void) {
    signal(SIGINT, on_note);
    signal(SIGTERM, on_note);
    signal(SIGUSR1, on_note);
    signal(SIGHUP, on_note);
    signal(SIGABRT, on_note);
    signal(SIGPWR, on_note);
    signal(SIGSYS, on_note);
#ifdef SIGSTKFLT
    signal(SIGSTKFLT, on_note);
#endif
    say("ready\n");
    for (;;) {
        volatile unsigned long spins = 0;
        while (last_sig == 0) spins++;
        int s = last_sig;
        last_sig = 0;
        printf("got %s\n", s == SIGINT    ? "SIGINT"
                            : s == SIGTERM ? "SIGTERM"
                            : s == SIGUSR1 ? "SIGUSR1"
                            : s == SIGABRT ? "SIGABRT"
                            : s == SIGPWR  ? "SIGPWR"
                            : s == SIGSYS  ? "SIGSYS"
#ifdef SIGSTKFLT
                            : s == SIGSTKFLT ? "SIGSTKFLT"
#endif
                                           : "SIGHUP");
        fflush(stdout);
        if (s == SIGTERM) return 0;
    }
}

/* No handlers: spins until a host signal kills it. */
static int spin_case(void) {
    say("ready\n");
    volatile unsigned long spins = 0;
    while (forever) spins++;
    return 0;
}

/* Spins after blocking and unblocking SIGTERM (OpenSSL's CPU probe does so): a kill still ends it. */
static int spin_unmasked_case(void) {
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, &old);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return spin_case();
}

/* A signal pending before sigsuspend that its mask lets through is delivered by that very call. */
static int suspend_pending_case(void) {
    signal(SIGUSR1, on_note);
    sigset_t block, old, now;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &old);
    raise(SIGUSR1);
    int calls = 0, r = 0, e = 0;
    while (hits == 0 && calls < 100000) {
        r = sigsuspend(&old);
        e = errno;
        calls++;
    }
    sigprocmask(SIG_SETMASK, NULL, &now);
    printf("handler runs: %d, sigsuspend calls: %d, returned %d EINTR %d; SIGUSR1 blocked again: %d\n", hits,
           calls, r, e == EINTR, sigismember(&now, SIGUSR1));
    return 0;
}

static int usr1_case(void) {
    printf("raising SIGUSR1 with no handler\n");
    fflush(stdout);
    raise(SIGUSR1);
    printf("still alive?\n");
    return 0;
}

/* The highest real-time signals: SIGRTMAX is 64 on ARM but 127 on MIPS (_NSIG 128), whose
   sigset_t is four words; every call that takes a set must keep its upper half. */
static volatile int rtmax_in_handler_mask, rtmax_uc_mask;
static void on_rtmax(int sig, siginfo_t *si, void *ucv) {
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    rtmax_in_handler_mask = sigismember(&now, SIGRTMAX - 2) && sigismember(&now, sig);
    rtmax_uc_mask = sigismember(&((ucontext_t *)ucv)->uc_sigmask, SIGRTMAX - 1);
    last_sig = sig;
    got_code = si->si_code;
    hits++;
}

static int rtmax_case(void) {
    printf("SIGRTMAX - SIGRTMIN + 1 = %s\n", SIGRTMAX - SIGRTMIN + 1 >= 30 ? "at least 30" : "too few");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_rtmax;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGRTMAX - 2);
    if (sigaction(SIGRTMAX, &sa, NULL) != 0) return 1;
    struct sigaction back;
    sigaction(SIGRTMAX, NULL, &back);
    printf("sa_mask read back keeps SIGRTMAX-2: %d\n", sigismember(&back.sa_mask, SIGRTMAX - 2));

    sigset_t set, old, pending;
    sigemptyset(&set);
    sigaddset(&set, SIGRTMAX);
    sigaddset(&set, SIGRTMAX - 1);
    sigprocmask(SIG_BLOCK, &set, &old);
    sigprocmask(SIG_BLOCK, NULL, &set);
    printf("mask holds SIGRTMAX: %d, SIGRTMAX-1: %d\n", sigismember(&set, SIGRTMAX), sigismember(&set, SIGRTMAX - 1));
    raise(SIGRTMAX);
    raise(SIGRTMAX);
    printf("blocked, raised twice: still here, hits=%d\n", hits);
    sigpending(&pending);
    printf("pending: SIGRTMAX %d, SIGRTMAX-1 %d\n", sigismember(&pending, SIGRTMAX), sigismember(&pending, SIGRTMAX - 1));

    /* the raw calls check the set's size: the kernel's own, or (rt_sigpending) no more */
    unsigned long small[1] = {0};
    errno = 0;
    long r = syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, small, sizeof small / 2);
    printf("rt_sigprocmask with a half-size set: %ld %s\n", r, errno == EINVAL ? "EINVAL" : strerror(errno));
    errno = 0;
    r = syscall(SYS_rt_sigpending, small, 2 * _NSIG / 8);
    printf("rt_sigpending with a double-size set: %ld %s\n", r, errno == EINVAL ? "EINVAL" : strerror(errno));
    unsigned char bytes[2 * _NSIG / 8];
    memset(bytes, 0xee, sizeof bytes);
    r = syscall(SYS_rt_sigpending, bytes, 4);
    printf("rt_sigpending of 4 bytes: %ld, the 5th byte untouched: %d\n", r, bytes[4] == 0xee);

    /* one of the two queued SIGRTMAX taken by sigtimedwait, the other delivered */
    sigset_t want;
    sigemptyset(&want);
    sigaddset(&want, SIGRTMAX);
    struct timespec zero = {0, 0};
    siginfo_t si;
    printf("sigtimedwait takes SIGRTMAX: %d\n", sigtimedwait(&want, &si, &zero) == SIGRTMAX);
    sigprocmask(SIG_UNBLOCK, &want, NULL);
    printf("unblocked: hits=%d, signal SIGRTMAX: %d, si_code SI_TKILL: %d\n", hits, last_sig == SIGRTMAX, got_code == SI_TKILL);
    printf("in the handler, SIGRTMAX-2 and SIGRTMAX blocked: %d; uc_sigmask held SIGRTMAX-1: %d\n", rtmax_in_handler_mask, rtmax_uc_mask);
    sigprocmask(SIG_BLOCK, NULL, &set);
    printf("after the handler: SIGRTMAX blocked %d, SIGRTMAX-2 blocked %d, SIGRTMAX-1 blocked %d\n",
           sigismember(&set, SIGRTMAX), sigismember(&set, SIGRTMAX - 2), sigismember(&set, SIGRTMAX - 1));
    signal(SIGRTMAX - 1, SIG_IGN);
    sigpending(&pending);
    printf("ignored, pending SIGRTMAX-1 discarded: %d\n", !sigismember(&pending, SIGRTMAX - 1));
    sigprocmask(SIG_SETMASK, &old, NULL);
    return 0;
}

/* SIGRTMAX sent to a process whose main thread and first thread block it: the second takes it. */
static pthread_t rtmax_second;
static volatile int rtmax_taker = -1;
static void on_rtmax_taker(int sig) {
    (void)sig;
    rtmax_taker = pthread_equal(pthread_self(), rtmax_second) ? 2 : 1;
}
static void *rtmax_thread(void *unblock) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGRTMAX);
    pthread_sigmask(unblock ? SIG_UNBLOCK : SIG_BLOCK, &s, NULL);
    for (int i = 0; i < 1000 && rtmax_taker < 0; i++) {
        struct timespec t = {0, 5000000};
        nanosleep(&t, NULL);
    }
    return NULL;
}
static int rtmax_threads_case(void) {
    signal(SIGRTMAX, on_rtmax_taker);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGRTMAX);
    pthread_sigmask(SIG_BLOCK, &s, NULL);
    pthread_t first;
    /* (the threads start with the main thread's mask: only the second unblocks it) */
    if (pthread_create(&first, NULL, rtmax_thread, NULL) || pthread_create(&rtmax_second, NULL, rtmax_thread, (void *)1))
        return 1;
    struct timespec t = {0, 100000000};
    nanosleep(&t, NULL);
    kill(getpid(), SIGRTMAX);
    pthread_join(first, NULL);
    pthread_join(rtmax_second, NULL);
    printf("SIGRTMAX for the process taken by: %s\n", rtmax_taker == 2 ? "the thread that does not block it" : rtmax_taker == 1 ? "a thread that blocks it" : "nobody");
    return 0;
}

/*
 * ARM's VFP block in uc_regspace, as Linux lays it out (struct vfp_sigframe): magic, size 288
 * (VFP_STORAGE_SIZE, which sigreturn insists on), d0-d31, FPSCR at 264, FPEXC at 272, the zero
 * end marker at 288; a rounding mode the handler writes to the saved FPSCR is the one resumed.
 */
#ifdef __arm__
static volatile unsigned long vf_word[4];
static void on_vfp_frame(int sig, siginfo_t *si, void *ctx) {
    (void)sig; (void)si;
    unsigned long *rs = (unsigned long *)((ucontext_t *)ctx)->uc_regspace;
    vf_word[0] = rs[0];
    vf_word[1] = rs[1];
    vf_word[2] = rs[264 / 4];
    vf_word[3] = rs[272 / 4] | rs[288 / 4];
    if (rs[0] == 0x56465001) rs[264 / 4] = (rs[264 / 4] & ~0xc00000ul) | 0x800000; /* toward -inf */
}
#endif

static int vfp_frame_case(void) {
#ifdef __arm__
    install(SIGUSR1, on_vfp_frame, 0);
    fesetround(FE_UPWARD);
    raise(SIGUSR1);
    printf("VFP block: magic %lx, size %lu, FPSCR rounding %lx, FPEXC and end marker %lx\n", vf_word[0], vf_word[1],
           (vf_word[2] >> 22) & 3, vf_word[3]);
    printf("rounding mode after the handler: downward %d\n", fegetround() == FE_DOWNWARD);
    fesetround(FE_TONEAREST);
#else
    printf("no VFP block\n");
#endif
    return 0;
}

/* ---- sig_kseg: on MIPS, an access to kseg0 and above (user mode's address errors), a
 * misaligned LL or SC and a misaligned or kernel-address instruction fetch are the SIGBUS Linux's
 * do_ade sends: si_code SI_KERNEL, no address; a plain bad user address stays SIGSEGV ---- */
static sigjmp_buf kseg_jump;
static void on_kseg(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    printf("%s, si_code %d, address %s\n", sig == SIGBUS ? "SIGBUS" : sig == SIGSEGV ? "SIGSEGV" : "other",
           si->si_code, si->si_addr == NULL ? "none" : "given");
    siglongjmp(kseg_jump, 1);
}

static int kseg_case(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_kseg;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
#ifdef __mips__
    static int word[2];
    volatile int v = 0;
    printf("load from 0x80000000: ");
    if (!sigsetjmp(kseg_jump, 1)) __asm__ volatile("lw %0, 0(%1)" : "=r"(v) : "r"(0x80000000u));
    printf("store to 0xfffffff0: ");
    if (!sigsetjmp(kseg_jump, 1)) __asm__ volatile("sw %0, 0(%1)" :: "r"(v), "r"(0xfffffff0u) : "memory");
    printf("misaligned load reaching 0x80000000: ");
    if (!sigsetjmp(kseg_jump, 1)) __asm__ volatile("lw %0, 0(%1)" : "=r"(v) : "r"(0x7ffffffeu));
    printf("misaligned LL: ");
    if (!sigsetjmp(kseg_jump, 1)) __asm__ volatile("ll %0, 0(%1)" : "=r"(v) : "r"((char *)word + 2));
    printf("misaligned SC: ");
    if (!sigsetjmp(kseg_jump, 1)) __asm__ volatile("sc %0, 0(%1)" : "+r"(v) : "r"((char *)word + 2) : "memory");
    printf("jump to 0x80001000: ");
    if (!sigsetjmp(kseg_jump, 1)) __asm__ volatile("jr %0\n\tnop" :: "r"(0x80001000u));
    printf("jump to a misaligned address: ");
    if (!sigsetjmp(kseg_jump, 1)) __asm__ volatile("jr %0\n\tnop" :: "r"((uintptr_t)&kseg_case + 2));
    printf("load from 0x1000: ");
    if (!sigsetjmp(kseg_jump, 1)) __asm__ volatile("lw %0, 0(%1)" : "=r"(v) : "r"(0x1000u));
#else
    printf("not MIPS\n");
#endif
    return 0;
}

struct entry { const char *name; int (*fn)(void); };
static const struct entry cases[] = {
    {"sig_siginfo", siginfo_case}, {"sig_segv", segv_case}, {"sig_altstack", altstack_case}, {"sig_alarm", alarm_case},
    {"sig_mask", mask_case}, {"sig_suspend", suspend_case}, {"sig_suspend_pending", suspend_pending_case},
    {"sig_resethand", resethand_case}, {"sig_nodefer", nodefer_case},
    {"sig_raise", raise_case}, {"sig_sigpipe", sigpipe_case}, {"sig_skip", skip_case}, {"sig_plain", plain_case},
    {"sig_timer", timer_case}, {"sig_timedwait", timedwait_case}, {"sig_nanosleep", nanosleep_case},
    {"sig_wait", wait_case}, {"sig_spin", spin_case}, {"sig_spin_unmasked", spin_unmasked_case}, {"sig_usr1", usr1_case}, {"sig_fpe", fpe_case},
    {"sig_rtmax", rtmax_case}, {"sig_rtmax_threads", rtmax_threads_case},
    {"sig_vfp_frame", vfp_frame_case}, {"sig_kseg", kseg_case},
};

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: signals CASE\n"); return 2; }
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (strcmp(argv[1], cases[i].name) == 0) return cases[i].fn();
    fprintf(stderr, "signals: unknown case %s\n", argv[1]);
    return 2;
}

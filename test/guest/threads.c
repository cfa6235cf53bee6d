/* Guest threads: pthreads primitives, TLS, raw futexes, atomics under contention, thread
 * and process exit. Run as `threads <case> [args]`; every case prints only deterministic
 * results (from the main thread, after joining), so the output compares with qemu-user's.
 * `compute`, `create` and `pingpong` double as benchmarks (their arguments set the size). */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define CHECK(x) do { if (!(x)) { printf("FAILED: %s (line %d)\n", #x, __LINE__); exit(1); } } while (0)

static pthread_t spawn(void *(*fn)(void *), void *arg) {
    pthread_t t;
    CHECK(pthread_create(&t, NULL, fn, arg) == 0);
    return t;
}

static void *join(pthread_t t) {
    void *r;
    CHECK(pthread_join(t, &r) == 0);
    return r;
}

/* ---- mutex: 4 threads incrementing under a mutex ---- */
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static long mutex_count;

static void *mutex_worker(void *arg) {
    for (int i = 0; i < 20000; i++) {
        pthread_mutex_lock(&mutex);
        mutex_count++;
        pthread_mutex_unlock(&mutex);
    }
    return arg;
}

static void case_mutex(void) {
    pthread_t t[4];
    for (long i = 0; i < 4; i++) t[i] = spawn(mutex_worker, (void *)(i * 10));
    for (int i = 0; i < 4; i++) printf("thread %d returned %ld\n", i, (long)join(t[i]));
    printf("count %ld\n", mutex_count);
}

/* ---- condvar: a bounded queue, 2 producers and 2 consumers ---- */
#define QSIZE 8
#define ITEMS 5000
static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t notfull = PTHREAD_COND_INITIALIZER, notempty = PTHREAD_COND_INITIALIZER;
static int queue[QSIZE], qhead, qlen;

static void *producer(void *arg) {
    int base = (int)(long)arg;
    for (int i = 1; i <= ITEMS; i++) {
        pthread_mutex_lock(&qlock);
        while (qlen == QSIZE) pthread_cond_wait(&notfull, &qlock);
        queue[(qhead + qlen++) % QSIZE] = base + i;
        pthread_cond_signal(&notempty);
        pthread_mutex_unlock(&qlock);
    }
    return NULL;
}

static void *consumer(void *arg) {
    (void)arg;
    long sum = 0;
    for (int i = 0; i < ITEMS; i++) {
        pthread_mutex_lock(&qlock);
        while (qlen == 0) pthread_cond_wait(&notempty, &qlock);
        sum += queue[qhead];
        qhead = (qhead + 1) % QSIZE;
        qlen--;
        pthread_cond_signal(&notfull);
        pthread_mutex_unlock(&qlock);
    }
    return (void *)sum;
}

static void case_condvar(void) {
    pthread_t p0 = spawn(producer, (void *)0L), p1 = spawn(producer, (void *)100000L);
    pthread_t c0 = spawn(consumer, NULL), c1 = spawn(consumer, NULL);
    join(p0);
    join(p1);
    long sum = (long)join(c0) + (long)join(c1);
    printf("consumed sum %ld (expected %ld)\n", sum, 2L * ITEMS * (ITEMS + 1) / 2 + 100000L * ITEMS);
    printf("queue empty: %s\n", qlen == 0 ? "yes" : "no");
}

/* ---- rwlock: writers keep two values equal; readers must never see them differ ---- */
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long rw_a, rw_b;

static void *rw_writer(void *arg) {
    for (int i = 0; i < 5000; i++) {
        pthread_rwlock_wrlock(&rw);
        rw_a++;
        sched_yield();
        rw_b++;
        pthread_rwlock_unlock(&rw);
    }
    return arg;
}

static void *rw_reader(void *arg) {
    (void)arg;
    long torn = 0;
    for (int i = 0; i < 5000; i++) {
        pthread_rwlock_rdlock(&rw);
        if (rw_a != rw_b) torn++;
        pthread_rwlock_unlock(&rw);
    }
    return (void *)torn;
}

static void case_rwlock(void) {
    pthread_t w0 = spawn(rw_writer, NULL), w1 = spawn(rw_writer, NULL);
    pthread_t r0 = spawn(rw_reader, NULL), r1 = spawn(rw_reader, NULL);
    join(w0);
    join(w1);
    long torn = (long)join(r0) + (long)join(r1);
    printf("a=%ld b=%ld torn reads=%ld\n", rw_a, rw_b, torn);
}

/* ---- barrier: each round every thread writes its slot, then checks all of them ---- */
#define BTHREADS 4
#define ROUNDS 200
static pthread_barrier_t barrier;
static int slots[BTHREADS];

static void *barrier_worker(void *arg) {
    int me = (int)(long)arg;
    long bad = 0, serial = 0;
    for (int round = 1; round <= ROUNDS; round++) {
        slots[me] = round;
        if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD) serial++;
        for (int i = 0; i < BTHREADS; i++) bad += slots[i] != round;
        pthread_barrier_wait(&barrier);
    }
    return (void *)(bad * 1000 + serial);
}

static void case_barrier(void) {
    pthread_t t[BTHREADS];
    CHECK(pthread_barrier_init(&barrier, NULL, BTHREADS) == 0);
    for (long i = 0; i < BTHREADS; i++) t[i] = spawn(barrier_worker, (void *)i);
    long bad = 0, serial = 0;
    for (int i = 0; i < BTHREADS; i++) {
        long r = (long)join(t[i]);
        bad += r / 1000;
        serial += r % 1000;
    }
    printf("rounds %d, mismatches %ld, serial threads %ld\n", ROUNDS, bad, serial);
}

/* ---- tls: __thread variables, pthread keys and their destructors, thread ids ---- */
static __thread int tls_value = 42;
static __thread char tls_name[16];
static pthread_key_t key;
static int destructor_sum;
static pthread_mutex_t dlock = PTHREAD_MUTEX_INITIALIZER;

static void destructor(void *p) {
    pthread_mutex_lock(&dlock);
    destructor_sum += (int)(long)p;
    pthread_mutex_unlock(&dlock);
}

static void *tls_worker(void *arg) {
    int me = (int)(long)arg;
    int initial = tls_value;
    tls_value = me * 100;
    snprintf(tls_name, sizeof tls_name, "thread-%d", me);
    CHECK(pthread_setspecific(key, (void *)(long)(me + 1)) == 0);
    sched_yield();
    int ok = tls_value == me * 100 && strncmp(tls_name, "thread-", 7) == 0 && tls_name[7] == '0' + me &&
             (long)pthread_getspecific(key) == me + 1;
    long tid = syscall(SYS_gettid);
    return (void *)(long)((initial == 42) * 4 + ok * 2 + (tid != getpid()));
}

static void case_tls(void) {
    CHECK(pthread_key_create(&key, destructor) == 0);
    tls_value = 7;
    pthread_t t[4];
    for (long i = 0; i < 4; i++) t[i] = spawn(tls_worker, (void *)i);
    for (int i = 0; i < 4; i++) printf("thread %d: flags %ld\n", i, (long)join(t[i]));
    printf("main tls %d, destructor sum %d, main tid is pid: %s\n", tls_value, destructor_sum,
           syscall(SYS_gettid) == getpid() ? "yes" : "no");
}

/* ---- futex: 8 threads on a lock built from raw futex calls ---- */
static int futex_word; /* 0 free, 1 locked, 2 locked with waiters */
static long futex_count;

static long futex_call(int *addr, int op, int val) {
    return syscall(SYS_futex, addr, op, val, NULL, NULL, 0);
}

static void raw_lock(void) {
    int c = __sync_val_compare_and_swap(&futex_word, 0, 1);
    if (c == 0) return;
    if (c != 2) c = __sync_lock_test_and_set(&futex_word, 2);
    while (c != 0) {
        futex_call(&futex_word, FUTEX_WAIT_PRIVATE, 2);
        c = __sync_lock_test_and_set(&futex_word, 2);
    }
}

static void raw_unlock(void) {
    if (__sync_fetch_and_sub(&futex_word, 1) != 1) {
        futex_word = 0;
        futex_call(&futex_word, FUTEX_WAKE_PRIVATE, 1);
    }
}

static void *futex_worker(void *arg) {
    for (int i = 0; i < 10000; i++) {
        raw_lock();
        futex_count++;
        raw_unlock();
    }
    return arg;
}

static void case_futex(void) {
    pthread_t t[8];
    for (long i = 0; i < 8; i++) t[i] = spawn(futex_worker, NULL);
    for (int i = 0; i < 8; i++) join(t[i]);
    printf("count %ld\n", futex_count);
    /* A wait on a changed value fails at once; a wait with a timeout times out. */
    int word = 5;
    errno = 0;
    printf("wait on changed value: %ld %s\n", futex_call(&word, FUTEX_WAIT_PRIVATE, 6), errno == EAGAIN ? "EAGAIN" : "?");
    struct timespec ts = { 0, 20 * 1000 * 1000 };
    errno = 0;
    long r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 5, &ts, NULL, 0);
    printf("wait with timeout: %ld %s\n", r, errno == ETIMEDOUT ? "ETIMEDOUT" : "?");
    printf("wake with no waiters: %ld\n", futex_call(&word, FUTEX_WAKE_PRIVATE, 1));
}

/* ---- atomic: LL/SC, LDREX/STREX, kuser cmpxchg under contention ---- */
static unsigned atomic32;
static unsigned long long atomic64;
static unsigned char atomic8;

static void *atomic_worker(void *arg) {
    long n = (long)arg;
    for (long i = 0; i < n; i++) __atomic_fetch_add(&atomic32, 1, __ATOMIC_SEQ_CST);
    for (long i = 0; i < n / 10; i++) __atomic_fetch_add(&atomic64, 0x100000001ULL, __ATOMIC_SEQ_CST);
    for (long i = 0; i < n / 10; i++) __atomic_fetch_add(&atomic8, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void case_atomic(long n) {
    pthread_t a = spawn(atomic_worker, (void *)n), b = spawn(atomic_worker, (void *)n);
    join(a);
    join(b);
    printf("32-bit %u, 64-bit %llx, 8-bit %u\n", atomic32, atomic64, atomic8);
}

/* ---- fences: store buffering (SB) with a full barrier between each thread's store and load.
 * Thread A: x = 1; fence; r1 = y.  Thread B: y = 1; fence; r2 = x.  A barrier (DMB, SYNC, the
 * kuser barrier) forbids r1 == r2 == 0; without one a store may wait in the store buffer while
 * the load goes ahead, as x86-64 hosts do. Both as explicit fences and as C11 seq_cst stores and
 * loads. Each round has its own words; the threads meet before each (a bounded spin). ---- */
#define SB_ROUNDS 50000
static int sb_x[SB_ROUNDS], sb_y[SB_ROUNDS], sb_r1[SB_ROUNDS], sb_r2[SB_ROUNDS];
static int sb_arrived, sb_seqcst;

static void sb_meet(int round) {
    __atomic_fetch_add(&sb_arrived, 1, __ATOMIC_SEQ_CST);
    for (long spin = 0; spin < 1000000 && __atomic_load_n(&sb_arrived, __ATOMIC_RELAXED) < 2 * (round + 1); spin++) {}
}

static void *sb_thread(void *arg) {
    int *mine = arg ? sb_y : sb_x, *theirs = arg ? sb_x : sb_y, *r = arg ? sb_r2 : sb_r1;
    for (int i = 0; i < SB_ROUNDS; i++) {
        sb_meet(i);
        if (sb_seqcst) {
            __atomic_store_n(&mine[i], 1, __ATOMIC_SEQ_CST);
            r[i] = __atomic_load_n(&theirs[i], __ATOMIC_SEQ_CST);
        } else {
            *(volatile int *)&mine[i] = 1;
            __sync_synchronize();
            r[i] = *(volatile int *)&theirs[i];
        }
    }
    return NULL;
}

static void case_fences(void) {
    for (sb_seqcst = 0; sb_seqcst < 2; sb_seqcst++) {
        memset(sb_x, 0, sizeof sb_x);
        memset(sb_y, 0, sizeof sb_y);
        sb_arrived = 0;
        pthread_t a = spawn(sb_thread, NULL), b = spawn(sb_thread, (void *)1);
        join(a);
        join(b);
        int both_zero = 0;
        for (int i = 0; i < SB_ROUNDS; i++) both_zero += sb_r1[i] == 0 && sb_r2[i] == 0;
        printf("%s: rounds where both loads missed the other store: %d\n", sb_seqcst ? "seq_cst store, load" : "store, fence, load", both_zero);
    }
}

/* ---- exit: exit() in one thread ends them all; the last thread's exit ends the process ---- */
static volatile int spin_forever = 1;

static void *spinner(void *arg) {
    (void)arg;
    while (spin_forever) {}
    return NULL;
}

static void *exiter(void *arg) {
    (void)arg;
    printf("exiting the process from a thread\n");
    fflush(stdout);
    exit(3);
}

static void case_exitgroup(void) {
    spawn(spinner, NULL);
    spawn(spinner, NULL);
    pthread_join(spawn(exiter, NULL), NULL);
    printf("not reached\n");
}

static void *last_one(void *arg) {
    sched_yield();
    printf("last thread ran after main's pthread_exit: %ld\n", (long)arg);
    fflush(stdout);
    return NULL;
}

static void case_lastexit(void) {
    spawn(last_one, (void *)5L);
    pthread_exit(NULL);
}

/* ---- compute: N threads share a fixed amount of integer work ---- */
static long compute_iters;

static void *compute_worker(void *arg) {
    unsigned x = (unsigned)(long)arg * 2654435761u + 1, acc = 0;
    for (long i = 0; i < compute_iters; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        acc += x % 7;
    }
    return (void *)(unsigned long)acc;
}

static void case_compute(int threads, long total) {
    pthread_t t[64];
    unsigned long sum = 0;
    if (threads > 64) threads = 64;
    /* Same work whatever the thread count: chunk i always starts from seed i. */
    int chunks = 8;
    compute_iters = total / chunks;
    for (int done = 0; done < chunks; done += threads) {
        int n = chunks - done < threads ? chunks - done : threads;
        for (int i = 0; i < n; i++) t[i] = spawn(compute_worker, (void *)(long)(done + i));
        for (int i = 0; i < n; i++) sum += (unsigned long)join(t[i]);
    }
    printf("checksum %lu\n", sum);
}

/* ---- create: thread create + join, one at a time ---- */
static void *nothing(void *arg) { return arg; }

static void case_create(long n) {
    long sum = 0;
    for (long i = 0; i < n; i++) sum += (long)join(spawn(nothing, (void *)i));
    printf("created %ld threads, sum %ld\n", n, sum);
}

/* ---- pingpong: two threads hand a token back and forth through a futex ---- */
static int token; /* whose turn: 0 or 1 */
static long rounds;

static void *pinger(void *arg) {
    int me = (int)(long)arg;
    for (long i = 0; i < rounds; i++) {
        while (__atomic_load_n(&token, __ATOMIC_ACQUIRE) != me) futex_call(&token, FUTEX_WAIT_PRIVATE, !me);
        __atomic_store_n(&token, !me, __ATOMIC_RELEASE);
        futex_call(&token, FUTEX_WAKE_PRIVATE, 1);
    }
    return NULL;
}

static void case_pingpong(long n) {
    rounds = n;
    pthread_t a = spawn(pinger, (void *)0L), b = spawn(pinger, (void *)1L);
    join(a);
    join(b);
    printf("%ld round trips, token %d\n", n, token);
}

/* ---- blockread: one thread blocks reading stdin while another keeps making syscalls ---- */
static void *reader(void *arg) {
    static char line[64];
    (void)arg;
    ssize_t n = read(0, line, sizeof line - 1);
    line[n > 0 ? n : 0] = 0;
    return line;
}

static void case_blockread(void) {
    pthread_t t = spawn(reader, NULL);
    printf("waiting for input\n");
    fflush(stdout);
    printf("read: %s", (char *)join(t));
}

/* ---- affinity: the CPUs the process may run on ---- */
static void case_affinity(void) {
    cpu_set_t set;
    CHECK(sched_getaffinity(0, sizeof set, &set) == 0);
    printf("cpus available: %s\n", CPU_COUNT(&set) >= 1 ? "at least one" : "none");
    /* The mask is an array of unsigned longs in the CPU's byte order: CPU n is bit n % 32 of
     * word n / 32, so no CPU in it lies past the ones the system has. */
    int highest = -1;
    for (int c = 0; c < CPU_SETSIZE; c++)
        if (CPU_ISSET(c, &set)) highest = c;
    printf("highest cpu in the set is configured: %s\n", highest < sysconf(_SC_NPROCESSORS_CONF) ? "yes" : "no");
    CHECK(sched_setaffinity(0, sizeof set, &set) == 0);
    printf("online cpus match: %s\n", sysconf(_SC_NPROCESSORS_ONLN) >= 1 ? "yes" : "no");
    /* A negative pid names no process (ESRCH, not EINVAL); an empty mask is refused; a mask
     * set is the one read back. */
    cpu_set_t one;
    errno = 0;
    CHECK(sched_getaffinity(-1, sizeof one, &one) == -1 && errno == ESRCH);
    errno = 0;
    CHECK(sched_setaffinity(-1, sizeof set, &set) == -1 && errno == ESRCH);
    CPU_ZERO(&one);
    errno = 0;
    CHECK(sched_setaffinity(0, sizeof one, &one) == -1 && errno == EINVAL);
    CPU_SET(highest, &one);
    CHECK(sched_setaffinity(0, sizeof one, &one) == 0);
    cpu_set_t got;
    CHECK(sched_getaffinity(0, sizeof got, &got) == 0);
    CHECK(CPU_EQUAL(&got, &one));
    CHECK(sched_setaffinity(0, sizeof set, &set) == 0);
    printf("a mask set is read back: yes\n");
}


/* Signals in a threaded process: a process-directed SIGALRM goes to the main thread in
 * pause() (not to a sleeping thread), tgkill reaches the named thread, and a signal the
 * main thread blocks goes to a thread that does not. */
static volatile pthread_t handled_on;
static volatile int handled;
static void note_thread(int sig) {
    (void)sig;
    handled_on = pthread_self();
    handled++;
}
static volatile int sleeper_go = 1;
static void *sleeper(void *arg) {
    (void)arg;
    while (sleeper_go) usleep(20000);
    return NULL;
}
static pthread_t waiter_thread;
static void *usr1_waiter(void *arg) {
    (void)arg;
    while (!handled) usleep(1000);
    return NULL;
}
static void case_sigthread(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = note_thread;
    sigaction(SIGALRM, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    pthread_t t;
    pthread_create(&t, NULL, sleeper, NULL);
    alarm(1);
    int r = pause();
    printf("pause: %d, SIGALRM on the main thread: %s\n", r, pthread_equal(handled_on, pthread_self()) ? "yes" : "no");
    handled = 0;
    pthread_kill(t, SIGUSR2);
    while (!handled) usleep(1000);
    printf("pthread_kill: on the named thread: %s\n", pthread_equal(handled_on, t) ? "yes" : "no");
    handled = 0;
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, NULL);
    pthread_create(&waiter_thread, NULL, usr1_waiter, NULL);
    kill(getpid(), SIGUSR1);
    pthread_join(waiter_thread, NULL);
    printf("kill with SIGUSR1 blocked in main: handled on another thread: %s\n",
           handled && !pthread_equal(handled_on, pthread_self()) ? "yes" : "no");
    sleeper_go = 0;
    pthread_join(t, NULL);
}

/* ---- suspend_thread: a signal pending for a thread, which sigsuspend's mask lets through,
 * is delivered by that very call (bounded: a call that returned without delivering it would
 * otherwise spin here for ever). ---- */
static volatile sig_atomic_t suspend_hits;
static void note_suspend(int sig) { (void)sig; suspend_hits++; }
static void *suspend_pending(void *arg) {
    sigset_t usr1, old;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, &old);
    pthread_kill(pthread_self(), SIGUSR1);
    int calls = 0;
    while (!suspend_hits && calls < 100000) {
        sigsuspend(&old);
        calls++;
    }
    printf("thread: handler runs %d, sigsuspend calls %d\n", (int)suspend_hits, calls);
    return arg;
}
static void case_suspend_thread(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = note_suspend;
    sigaction(SIGUSR1, &sa, NULL);
    pthread_t t;
    pthread_create(&t, NULL, suspend_pending, NULL);
    pthread_join(t, NULL);
}

/* ---- timer_thread: a SIGEV_THREAD timer (glibc: a helper thread that sigwaits for the
 * timer's signal, sent to it with SIGEV_THREAD_ID) runs its function on another thread.
 * Not a golden case: qemu-user's mips never runs it. ---- */
static volatile int timer_value;
static pthread_t timer_ran_on;

static void timer_fn(union sigval v) {
    timer_ran_on = pthread_self();
    timer_value = v.sival_int;
}

static void case_timer_thread(void) {
    timer_t timer;
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD;
    ev.sigev_notify_function = timer_fn;
    ev.sigev_value.sival_int = 55;
    if (timer_create(CLOCK_MONOTONIC, &ev, &timer) != 0) {
        printf("timer_create failed: %s\n", strerror(errno));
        return;
    }
    struct itimerspec its = {{0, 0}, {0, 20000000}};
    timer_settime(timer, 0, &its, NULL);
    for (int i = 0; i < 1000 && !timer_value; i++) usleep(10000);
    printf("SIGEV_THREAD timer: value %d, on another thread: %s\n", timer_value,
           timer_value && !pthread_equal(timer_ran_on, pthread_self()) ? "yes" : "no");
    timer_delete(timer);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *c = argc > 1 ? argv[1] : "";
    long n = argc > 2 ? atol(argv[2]) : 0;
    if (!strcmp(c, "mutex")) case_mutex();
    else if (!strcmp(c, "condvar")) case_condvar();
    else if (!strcmp(c, "rwlock")) case_rwlock();
    else if (!strcmp(c, "barrier")) case_barrier();
    else if (!strcmp(c, "tls")) case_tls();
    else if (!strcmp(c, "futex")) case_futex();
    else if (!strcmp(c, "atomic")) case_atomic(n ? n : 1000000);
    else if (!strcmp(c, "fences")) case_fences();
    else if (!strcmp(c, "exitgroup")) case_exitgroup();
    else if (!strcmp(c, "lastexit")) case_lastexit();
    else if (!strcmp(c, "compute")) case_compute(n ? (int)n : 1, argc > 3 ? atol(argv[3]) : 8000000);
    else if (!strcmp(c, "create")) case_create(n ? n : 100);
    else if (!strcmp(c, "pingpong")) case_pingpong(n ? n : 10000);
    else if (!strcmp(c, "affinity")) case_affinity();
    else if (!strcmp(c, "blockread")) case_blockread();
    else if (!strcmp(c, "sigthread")) case_sigthread();
    else if (!strcmp(c, "suspend_thread")) case_suspend_thread();
    else if (!strcmp(c, "timer_thread")) case_timer_thread();
    else {
        printf("unknown case '%s'\n", c);
        return 2;
    }
    return 0;
}

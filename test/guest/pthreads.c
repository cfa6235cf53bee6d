/*
 * urun guest tests for POSIX threads: mutexes, condition variables, rwlocks,
 * barriers, __thread variables and pthread_key destructors.
 *
 *     pthreads <case>
 *
 * Output is deterministic: threads report into arrays printed by the main
 * thread in a fixed order.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/futex.h>
#include <sys/wait.h>
#include <sys/socket.h>

#include "cases.h"

#define NTHREADS 8

#define CHECK(expr)                                                     \
    do {                                                                \
        if (!(expr)) {                                                  \
            printf("FAIL %s:%d: %s\n", __func__, __LINE__, #expr);      \
            fflush(stdout);                                             \
            _exit(1);                                                   \
        }                                                               \
    } while (0)

static void start_all(pthread_t *ts, int n, void *(*fn)(void *))
{
    for (long i = 0; i < n; i++)
        CHECK(pthread_create(&ts[i], NULL, fn, (void *)i) == 0);
}

static void join_all(pthread_t *ts, int n, void **results)
{
    for (int i = 0; i < n; i++)
        CHECK(pthread_join(ts[i], results ? &results[i] : NULL) == 0);
}

/* ---- 8 threads on one mutex-protected counter ---- */

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static long per_thread_adds[NTHREADS];

static void *count_up(void *arg)
{
    long id = (long)arg;
    for (int i = 0; i < 20000; i++) {
        pthread_mutex_lock(&counter_lock);
        counter++;
        per_thread_adds[id]++;
        pthread_mutex_unlock(&counter_lock);
    }
    return (void *)(id * 3);
}

static void *try_counter_lock(void *arg)
{
    (void)arg;
    return (void *)(long)pthread_mutex_trylock(&counter_lock);
}

static int case_mutex(int argc, char **argv)
{
    (void)argc, (void)argv;
    pthread_t ts[NTHREADS];
    void *res[NTHREADS];
    start_all(ts, NTHREADS, count_up);
    join_all(ts, NTHREADS, res);
    printf("counter: %ld\n", counter);
    long sum = 0;
    for (int i = 0; i < NTHREADS; i++)
        sum += (long)res[i] + per_thread_adds[i];
    printf("join results + per-thread adds: %ld\n", sum);

    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_t ec;
    pthread_mutex_init(&ec, &attr);
    pthread_mutex_lock(&ec);
    printf("errorcheck relock: %s\n", pthread_mutex_lock(&ec) == EDEADLK ? "EDEADLK" : "other");
    pthread_mutex_unlock(&ec);
    printf("trylock on a free mutex: %d\n", pthread_mutex_trylock(&ec));
    pthread_mutex_unlock(&ec);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_t rec;
    pthread_mutex_init(&rec, &attr);
    int depth = 0;
    for (int i = 0; i < 3; i++)
        depth += pthread_mutex_lock(&rec) == 0;
    for (int i = 0; i < 3; i++)
        pthread_mutex_unlock(&rec);
    printf("recursive depth: %d\n", depth);
    pthread_mutex_lock(&counter_lock);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, try_counter_lock, NULL) == 0);
    void *r;
    pthread_join(t, &r);
    printf("trylock held elsewhere: %s\n", (long)r == EBUSY ? "EBUSY" : "other");
    pthread_mutex_unlock(&counter_lock);
    return 0;
}

/* ---- condition variables: a bounded queue with 4 producers, 4 consumers ---- */

enum { QCAP = 5, PER_PRODUCER = 2000 };
static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t q_not_full = PTHREAD_COND_INITIALIZER;
static int queue[QCAP], q_head, q_len, producers_left = 4;
static long consumed_sum[4], consumed_count[4];

static void *producer(void *arg)
{
    long id = (long)arg;
    for (int i = 1; i <= PER_PRODUCER; i++) {
        pthread_mutex_lock(&q_lock);
        while (q_len == QCAP)
            pthread_cond_wait(&q_not_full, &q_lock);
        queue[(q_head + q_len++) % QCAP] = (int)(id * 100000 + i);
        pthread_cond_signal(&q_not_empty);
        pthread_mutex_unlock(&q_lock);
    }
    pthread_mutex_lock(&q_lock);
    producers_left--;
    pthread_cond_broadcast(&q_not_empty);
    pthread_mutex_unlock(&q_lock);
    return NULL;
}

static void *consumer(void *arg)
{
    long id = (long)arg - 4;
    for (;;) {
        pthread_mutex_lock(&q_lock);
        while (q_len == 0 && producers_left > 0)
            pthread_cond_wait(&q_not_empty, &q_lock);
        if (q_len == 0) {
            pthread_mutex_unlock(&q_lock);
            return NULL;
        }
        int v = queue[q_head];
        q_head = (q_head + 1) % QCAP;
        q_len--;
        pthread_cond_signal(&q_not_full);
        pthread_mutex_unlock(&q_lock);
        consumed_sum[id] += v;
        consumed_count[id]++;
    }
}

static void *producer_or_consumer(void *arg)
{
    return (long)arg < 4 ? producer(arg) : consumer(arg);
}

static int case_condvar(int argc, char **argv)
{
    (void)argc, (void)argv;
    pthread_t ts[8];
    start_all(ts, 8, producer_or_consumer);
    join_all(ts, 8, NULL);
    long sum = 0, count = 0;
    for (int i = 0; i < 4; i++) {
        sum += consumed_sum[i];
        count += consumed_count[i];
    }
    printf("consumed %ld items, sum %ld\n", count, sum);
    /* a timed wait nobody signals */
    struct timespec ts_abs = realtime_after_ms(20);
    pthread_mutex_lock(&q_lock);
    int r = pthread_cond_timedwait(&q_not_empty, &q_lock, &ts_abs);
    pthread_mutex_unlock(&q_lock);
    printf("timedwait: %s\n", r == ETIMEDOUT ? "ETIMEDOUT" : "other");
    return 0;
}

/* ---- rwlock: readers share, a writer excludes ---- */

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static int shared_table[64];
static int torn_reads;

static void *rw_worker(void *arg)
{
    long id = (long)arg;
    for (int i = 0; i < 3000; i++) {
        if (id < 2) {
            pthread_rwlock_wrlock(&rw);
            for (int k = 0; k < 64; k++)
                shared_table[k]++;
            pthread_rwlock_unlock(&rw);
        } else {
            pthread_rwlock_rdlock(&rw);
            for (int k = 1; k < 64; k++)
                if (shared_table[k] != shared_table[0])
                    __atomic_add_fetch(&torn_reads, 1, __ATOMIC_RELAXED);
            pthread_rwlock_unlock(&rw);
        }
    }
    return NULL;
}

static int case_rwlock(int argc, char **argv)
{
    (void)argc, (void)argv;
    pthread_t ts[6];
    start_all(ts, 6, rw_worker);
    join_all(ts, 6, NULL);
    printf("table: %d, torn reads: %d\n", shared_table[0], torn_reads);
    pthread_rwlock_rdlock(&rw);
    printf("second rdlock: %d\n", pthread_rwlock_tryrdlock(&rw));
    printf("trywrlock while read-locked: %s\n", pthread_rwlock_trywrlock(&rw) == EBUSY ? "EBUSY" : "other");
    pthread_rwlock_unlock(&rw);
    pthread_rwlock_unlock(&rw);
    return 0;
}

/* ---- barrier: phases in lockstep ---- */

static pthread_barrier_t barrier;
static int phase_values[NTHREADS][3];
static int serial_count;
static volatile int phase_counter;

static void *barrier_worker(void *arg)
{
    long id = (long)arg;
    for (int phase = 0; phase < 3; phase++) {
        __atomic_add_fetch(&phase_counter, 1, __ATOMIC_SEQ_CST);
        int r = pthread_barrier_wait(&barrier);
        if (r == PTHREAD_BARRIER_SERIAL_THREAD)
            __atomic_add_fetch(&serial_count, 1, __ATOMIC_SEQ_CST);
        /* everyone arrived: the counter holds a whole number of phases */
        phase_values[id][phase] = __atomic_load_n(&phase_counter, __ATOMIC_SEQ_CST);
        pthread_barrier_wait(&barrier);
    }
    return NULL;
}

static int case_barrier(int argc, char **argv)
{
    (void)argc, (void)argv;
    pthread_t ts[NTHREADS];
    CHECK(pthread_barrier_init(&barrier, NULL, NTHREADS) == 0);
    start_all(ts, NTHREADS, barrier_worker);
    join_all(ts, NTHREADS, NULL);
    for (int phase = 0; phase < 3; phase++) {
        int all_same = 1;
        for (int i = 0; i < NTHREADS; i++)
            all_same &= phase_values[i][phase] == phase_values[0][phase];
        printf("phase %d: counter %d, seen alike by all: %s\n", phase, phase_values[0][phase],
               all_same ? "yes" : "no");
    }
    printf("serial threads: %d\n", serial_count);
    pthread_barrier_destroy(&barrier);
    return 0;
}

/* ---- thread-local storage ---- */

static __thread int tls_value = 7;
static __thread char tls_name[16] = "initial";
static pthread_key_t key;
static int destructor_calls;
static long destructor_sum;
static pthread_mutex_t dlock = PTHREAD_MUTEX_INITIALIZER;

static void key_destructor(void *p)
{
    pthread_mutex_lock(&dlock);
    destructor_calls++;
    destructor_sum += *(long *)p;
    pthread_mutex_unlock(&dlock);
    free(p);
}

static int tls_seen[NTHREADS];

static void *tls_worker(void *arg)
{
    long id = (long)arg;
    tls_seen[id] = tls_value == 7 && strcmp(tls_name, "initial") == 0;
    tls_value = (int)id;
    snprintf(tls_name, sizeof tls_name, "thread%ld", id);
    long *p = malloc(sizeof *p);
    *p = id + 1;
    pthread_setspecific(key, p);
    usleep(1000);
    /* nobody else changed ours */
    if (tls_value != id || pthread_getspecific(key) != p)
        tls_seen[id] = 0;
    if (id == 3)
        pthread_exit(NULL); /* destructors run on pthread_exit too */
    return NULL;
}

static pthread_cond_t detached_cond = PTHREAD_COND_INITIALIZER;
static int detached_ran;

static void *detached_worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&dlock);
    detached_ran = 1;
    pthread_cond_signal(&detached_cond);
    pthread_mutex_unlock(&dlock);
    return NULL;
}

static int case_tls(int argc, char **argv)
{
    (void)argc, (void)argv;
    CHECK(pthread_key_create(&key, key_destructor) == 0);
    pthread_t ts[NTHREADS];
    start_all(ts, NTHREADS, tls_worker);
    join_all(ts, NTHREADS, NULL);
    int ok = 0;
    for (int i = 0; i < NTHREADS; i++)
        ok += tls_seen[i];
    printf("threads with fresh, private TLS: %d\n", ok);
    printf("main's __thread: %d %s\n", tls_value, tls_name);
    printf("key destructors: %d calls, sum %ld\n", destructor_calls, destructor_sum);
    printf("main's key value: %s\n", pthread_getspecific(key) == NULL ? "NULL" : "set");
    /* a detached thread (never joined): it reports through a flag and a condvar */
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t t;
    CHECK(pthread_create(&t, &attr, detached_worker, NULL) == 0);
    pthread_mutex_lock(&dlock);
    while (!detached_ran)
        pthread_cond_wait(&detached_cond, &dlock);
    pthread_mutex_unlock(&dlock);
    printf("detached thread ran\n");
    return 0;
}

/* ---- cancel: pthread_cancel of threads blocked in a condvar wait and in sleep ----
 * glibc's cancellation handler acts only on a SIGCANCEL whose siginfo says it came from
 * tgkill (SI_TKILL) of its own process. */
static pthread_mutex_t cancel_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static int cleanups;

static void unlock_on_cancel(void *m)
{
    cleanups++;
    pthread_mutex_unlock(m);
}

static void *wait_forever(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&cancel_lock);
    pthread_cleanup_push(unlock_on_cancel, &cancel_lock);
    for (;;)
        pthread_cond_wait(&never, &cancel_lock);
    pthread_cleanup_pop(0);
    return NULL;
}

static void *sleep_forever(void *arg)
{
    (void)arg;
    for (;;)
        sleep(10);
    return NULL;
}

static int case_cancel(int argc, char **argv)
{
    (void)argc, (void)argv;
    void *res;
    pthread_t t;
    CHECK(pthread_create(&t, NULL, wait_forever, NULL) == 0);
    usleep(50000);
    CHECK(pthread_cancel(t) == 0);
    CHECK(pthread_join(t, &res) == 0);
    printf("condvar waiter canceled: %s, cleanup handlers run: %d\n", res == PTHREAD_CANCELED ? "yes" : "no", cleanups);
    printf("mutex released by the cleanup: %s\n", pthread_mutex_trylock(&cancel_lock) == 0 ? "yes" : "no");
    pthread_mutex_unlock(&cancel_lock);
    CHECK(pthread_create(&t, NULL, sleep_forever, NULL) == 0);
    usleep(50000);
    CHECK(pthread_cancel(t) == 0);
    CHECK(pthread_join(t, &res) == 0);
    printf("sleeper canceled: %s\n", res == PTHREAD_CANCELED ? "yes" : "no");
    return 0;
}

/* ---- sigwait: a signal for the process that every thread blocks waits for the thread
 * in sigwait; one only a worker lets through goes to that worker ---- */
static volatile pid_t usr2_worker_tid;
static volatile int usr2_in_worker, usr2_elsewhere;
static int sigwaited;

static void on_usr2(int sig)
{
    (void)sig;
    if (syscall(SYS_gettid) == usr2_worker_tid)
        usr2_in_worker++;
    else
        usr2_elsewhere++;
}

static void *sigwaiter(void *arg)
{
    sigset_t *set = arg;
    int got = 0;
    for (int n = 0; n < 3; n++) {
        CHECK(sigwait(set, &got) == 0);
        __atomic_add_fetch(&sigwaited, 1, __ATOMIC_SEQ_CST);
    }
    printf("sigwait took %d signals, the last %s\n", sigwaited, got == SIGUSR1 ? "SIGUSR1" : "another");
    return NULL;
}

static void *usr2_taker(void *arg)
{
    (void)arg;
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR2);
    pthread_sigmask(SIG_UNBLOCK, &s, NULL);
    usr2_worker_tid = (pid_t)syscall(SYS_gettid);
    while (!usr2_in_worker)
        usleep(1000);
    return NULL;
}

static int case_sigwait(int argc, char **argv)
{
    (void)argc, (void)argv;
    static sigset_t both, usr1;
    sigemptyset(&both);
    sigaddset(&both, SIGUSR1);
    sigaddset(&both, SIGUSR2);
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &both, NULL);
    signal(SIGUSR2, on_usr2);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, sigwaiter, &usr1) == 0);
    for (int i = 0; i < 3; i++) {
        kill(getpid(), SIGUSR1); /* (blocked everywhere: pending until sigwait takes it) */
        /* the next once this one is taken: a second SIGUSR1 pending would be merged with it */
        while (__atomic_load_n(&sigwaited, __ATOMIC_SEQ_CST) <= i)
            usleep(1000);
    }
    CHECK(pthread_join(t, NULL) == 0);
    CHECK(pthread_create(&t, NULL, usr2_taker, NULL) == 0);
    while (!usr2_worker_tid)
        usleep(1000);
    kill(getpid(), SIGUSR2);
    CHECK(pthread_join(t, NULL) == 0);
    printf("SIGUSR2 handled by the thread that lets it through: %d, elsewhere: %d\n", usr2_in_worker, usr2_elsewhere);
    return 0;
}

/* ---- fork_raise: a child forked by a thread has that thread's signal mask ---- */
static void *fork_and_raise(void *arg)
{
    (void)arg;
    pid_t pid = fork();
    if (pid == 0) {
        raise(SIGTERM);
        _exit(0);
    }
    int st;
    CHECK(waitpid(pid, &st, 0) == pid);
    printf("child of a thread raised SIGTERM: %s\n", WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM ? "killed by it" : "survived");
    return NULL;
}

/* vfork in a process with threads (ARM's glibc makes the vfork syscall itself): the child
 * continues from the calling thread's registers, whichever thread that is */
static int vfork_exit(int code)
{
    pid_t pid = vfork();
    if (pid == 0)
        _exit(code);
    int st;
    CHECK(pid > 0 && waitpid(pid, &st, 0) == pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void *vfork_in_thread(void *arg)
{
    (void)arg;
    printf("vfork child of a thread: status %d\n", vfork_exit(8));
    return NULL;
}

static void *wait_on_pipe(void *arg)
{
    char c;
    CHECK(read(*(int *)arg, &c, 1) == 1);
    return NULL;
}

static int case_fork_raise(int argc, char **argv)
{
    (void)argc, (void)argv;
    pthread_t t;
    CHECK(pthread_create(&t, NULL, fork_and_raise, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    int p[2];
    CHECK(pipe(p) == 0);
    CHECK(pthread_create(&t, NULL, wait_on_pipe, &p[0]) == 0);
    printf("vfork child of the main thread, another thread running: status %d\n", vfork_exit(7));
    CHECK(write(p[1], "x", 1) == 1);
    CHECK(pthread_join(t, NULL) == 0);
    CHECK(pthread_create(&t, NULL, vfork_in_thread, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    return 0;
}

/* ---- names: prctl(PR_SET_NAME) and /proc/self/comm, per thread ---- */
static void read_line(const char *path, char *out, size_t size)
{
    int fd = open(path, O_RDONLY);
    CHECK(fd >= 0);
    ssize_t n = read(fd, out, size - 1);
    CHECK(n > 0);
    out[n] = 0;
    close(fd);
}

static void *named_thread(void *arg)
{
    (void)arg;
    char name[16] = {0}, path[64], line[32];
    CHECK(prctl(PR_GET_NAME, name) == 0);
    printf("a new thread is named after its creator: %s\n", name);
    CHECK(prctl(PR_SET_NAME, "worker-one") == 0);
    snprintf(path, sizeof path, "/proc/self/task/%ld/comm", (long)syscall(SYS_gettid));
    read_line(path, line, sizeof line);
    printf("the thread's comm: %s", line);
    read_line("/proc/self/comm", line, sizeof line);
    printf("the process's comm: %s", line);
    return NULL;
}

static void *unnamed_thread(void *arg)
{
    char line[32];
    CHECK(prctl(PR_GET_NAME, (char *)arg) == 0);
    read_line("/proc/thread-self/comm", line, sizeof line);
    printf("a thread of an unnamed process: %s, comm %s", (char *)arg, line);
    return NULL;
}

static int case_names(int argc, char **argv)
{
    (void)argc, (void)argv;
    char name[16] = {0}, line[32];
    CHECK(prctl(PR_GET_NAME, name) == 0);
    printf("initial name: %s\n", name);
    /* a thread, and the first thread once threads run, are named after the program */
    pthread_t u;
    char unnamed[16] = {0};
    CHECK(pthread_create(&u, NULL, unnamed_thread, unnamed) == 0);
    CHECK(pthread_join(u, NULL) == 0);
    CHECK(prctl(PR_GET_NAME, name) == 0);
    printf("the first thread, threads started: %s\n", name);
    CHECK(prctl(PR_SET_NAME, "renamed-process-long") == 0);
    CHECK(prctl(PR_GET_NAME, name) == 0);
    printf("after PR_SET_NAME: %s\n", name);
    read_line("/proc/self/comm", line, sizeof line);
    printf("/proc/self/comm: %s", line);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, named_thread, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    return 0;
}

/* ---- /proc/self/task: the guest's threads by the ids gettid gives; naming another thread ---- */
#define NPEERS 3
static pthread_barrier_t task_barrier;
static long peer_tids[NPEERS];
static char peer_self_name[NPEERS][16], peer_thread_self_comm[NPEERS][32];
static int peer_thread_self_link_ok[NPEERS];

static void *task_peer(void *arg)
{
    long i = (long)arg;
    peer_tids[i] = syscall(SYS_gettid);
    pthread_barrier_wait(&task_barrier); /* the main thread looks at us */
    pthread_barrier_wait(&task_barrier); /* it has renamed us */
    CHECK(prctl(PR_GET_NAME, peer_self_name[i]) == 0);
    read_line("/proc/thread-self/comm", peer_thread_self_comm[i], sizeof peer_thread_self_comm[i]);
    char link[64] = "", want[64];
    ssize_t n = readlink("/proc/thread-self", link, sizeof link - 1);
    if (n > 0)
        link[n] = 0;
    snprintf(want, sizeof want, "%ld/task/%ld", (long)getpid(), peer_tids[i]);
    peer_thread_self_link_ok[i] = strcmp(link, want) == 0;
    pthread_barrier_wait(&task_barrier); /* done: the main thread reads what we found */
    return NULL;
}

/* Which of the process's threads /proc/self/task lists, by index (0: the main thread). */
static void show_task_listing(long main_tid, int count_others)
{
    int listed[NPEERS + 1] = {0}, others = 0;
    DIR *d = opendir("/proc/self/task");
    CHECK(d != NULL);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        long tid = atol(de->d_name);
        others += tid != 0 && tid != main_tid;
        if (tid == main_tid)
            listed[0]++;
        for (int i = 0; i < NPEERS; i++)
            if (tid == peer_tids[i]) {
                listed[i + 1]++;
                others--;
            }
    }
    closedir(d);
    printf("listed in /proc/self/task:");
    for (int i = 0; i <= NPEERS; i++)
        printf(" %s", listed[i] == 1 ? "yes" : "no");
    printf("\n");
    /* Linux lists no other: qemu-user lists its own helper thread, so only the vitest file asks. */
    if (count_others) {
        printf("other entries: %d\n", others);
        /* The thread counts in status and in stat's field 20 (googletest's GetThreadCount reads
         * it): qemu-user gives its own, so only the vitest file asks too. */
        char text[4096];
        read_line("/proc/self/status", text, sizeof text);
        char *threads = strstr(text, "\nThreads:");
        CHECK(threads != NULL);
        printf("threads in status: %ld", atol(threads + 9));
        read_line("/proc/self/stat", text, sizeof text);
        char *field = strrchr(text, ')');
        CHECK(field != NULL);
        for (int i = 2; i < 20; i++) { /* field 2 ends at the ')' */
            field = strchr(field + 1, ' ');
            CHECK(field != NULL);
        }
        printf(", in stat: %ld\n", atol(field + 1));
    }
}

/* `tasks [count]`: with an argument, also counts the entries that are no thread of ours. */
static int case_tasks(int argc, char **argv)
{
    long main_tid = syscall(SYS_gettid);
    char path[96], line[64], name[16];
    printf("main thread's tid is the pid: %s\n", main_tid == getpid() ? "yes" : "no");
    CHECK(prctl(PR_SET_NAME, "task-main") == 0);
    pthread_barrier_init(&task_barrier, NULL, NPEERS + 1);
    pthread_t ts[NPEERS];
    start_all(ts, NPEERS, task_peer);
    pthread_barrier_wait(&task_barrier);
    show_task_listing(main_tid, argc > 2);
    int task_dir = open("/proc/self/task", O_RDONLY | O_DIRECTORY);
    CHECK(task_dir >= 0);
    for (int i = 0; i < NPEERS; i++) {
        struct stat st;
        snprintf(path, sizeof path, "/proc/self/task/%ld", peer_tids[i]);
        printf("peer %d: its task directory is a directory: %s\n", i, stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? "yes" : "no");
        snprintf(path, sizeof path, "/proc/self/task/%ld/comm", peer_tids[i]);
        read_line(path, line, sizeof line);
        printf("peer %d: comm before: %s", i, line);
        snprintf(path, sizeof path, "/proc/%ld/task/%ld/stat", (long)getpid(), peer_tids[i]);
        read_line(path, line, sizeof line);
        long stat_tid = atol(line);
        char *open_paren = strchr(line, '('), *close_paren = strrchr(line, ')');
        CHECK(open_paren && close_paren);
        *close_paren = 0;
        printf("peer %d: stat names the tid: %s, comm (%s)\n", i, stat_tid == peer_tids[i] ? "yes" : "no", open_paren + 1);
        char peer_name[16];
        snprintf(peer_name, sizeof peer_name, "peer-%d", i);
        CHECK(pthread_setname_np(ts[i], peer_name) == 0);
        CHECK(pthread_getname_np(ts[i], name, sizeof name) == 0);
        printf("peer %d: pthread_getname_np after pthread_setname_np: %s\n", i, name);
        /* Relative to the open task directory. */
        snprintf(path, sizeof path, "%ld/comm", peer_tids[i]);
        int fd = openat(task_dir, path, O_RDONLY);
        CHECK(fd >= 0);
        ssize_t n = read(fd, line, sizeof line - 1);
        CHECK(n > 0);
        line[n] = 0;
        close(fd);
        printf("peer %d: its comm through the task directory: %s", i, line);
    }
    /* A name longer than 15 bytes is cut (pthread_setname_np refuses it: write the file). */
    snprintf(path, sizeof path, "/proc/self/task/%ld/comm", peer_tids[0]);
    int fd = open(path, O_WRONLY);
    CHECK(fd >= 0);
    printf("write of a long name: %ld\n", (long)write(fd, "a-very-long-thread-name", 23));
    close(fd);
    read_line(path, line, sizeof line);
    printf("peer 0: comm now: %s", line);
    CHECK(pthread_getname_np(pthread_self(), name, sizeof name) == 0);
    printf("main thread's own name unchanged: %s\n", name);
    read_line("/proc/thread-self/comm", line, sizeof line);
    printf("main thread's /proc/thread-self/comm: %s", line);
    pthread_barrier_wait(&task_barrier);
    pthread_barrier_wait(&task_barrier);
    for (int i = 0; i < NPEERS; i++)
        printf("peer %d sees: PR_GET_NAME %s, /proc/thread-self/comm %.*s, /proc/thread-self is its task: %s\n", i,
               peer_self_name[i], (int)strcspn(peer_thread_self_comm[i], "\n"), peer_thread_self_comm[i],
               peer_thread_self_link_ok[i] ? "yes" : "no");
    join_all(ts, NPEERS, NULL);
    close(task_dir);
    return 0;
}

/* ---- sleep_signal: pthread_kill ends a thread's nanosleep with EINTR and the time left
 * (in a threaded process the kill comes from another thread); clock_nanosleep refuses
 * a thread's CPU clock and an unknown one ---- */
static volatile int sleeper_ready, sleeper_done;
static int sleep_result, sleep_errno, sleep_left_ok;

static void on_usr1_noop(int sig)
{
    (void)sig;
}

static void *long_sleeper(void *arg)
{
    (void)arg;
    struct timespec ts = {20, 0};
    sleeper_ready = 1;
    sleep_result = nanosleep(&ts, &ts);
    sleep_errno = errno;
    sleep_left_ok = ts.tv_sec >= 10 && ts.tv_sec <= 20;
    sleeper_done = 1;
    return NULL;
}

static int case_sleep_signal(int argc, char **argv)
{
    (void)argc, (void)argv;
    struct sigaction sa = {0};
    sa.sa_handler = on_usr1_noop;
    sa.sa_flags = SA_RESTART; /* nanosleep is never restarted */
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, long_sleeper, NULL) == 0);
    while (!sleeper_ready)
        usleep(1000);
    /* (again until it wakes: on a loaded machine the first may come before the sleep) */
    while (!sleeper_done) {
        usleep(30000);
        CHECK(pthread_kill(t, SIGUSR1) == 0);
    }
    CHECK(pthread_join(t, NULL) == 0);
    printf("nanosleep: %d %s, time left reported: %s\n", sleep_result, errname(sleep_result ? sleep_errno : 0),
           sleep_left_ok ? "yes" : "no");
    struct timespec ts = {0, 1000};
    printf("clock_nanosleep on CLOCK_THREAD_CPUTIME_ID: %s\n", errname(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &ts, NULL)));
    printf("clock_nanosleep on clock 99: %s\n", errname(clock_nanosleep(99, 0, &ts, NULL)));
    return 0;
}

/* ---- pi_mutex: priority-inheritance mutexes (FUTEX_LOCK_PI/UNLOCK_PI): counting under
 * contention, an error-checking one's EDEADLK and EPERM, trylock and timedlock from
 * another thread while it is held ---- */
static pthread_mutex_t pi_lock;
static long pi_count;

static void *pi_adder(void *arg)
{
    (void)arg;
    for (int i = 0; i < 500; i++) {
        CHECK(pthread_mutex_lock(&pi_lock) == 0);
        pi_count++;
        CHECK(pthread_mutex_unlock(&pi_lock) == 0);
    }
    return NULL;
}

static void *pi_contender(void *arg)
{
    int *results = arg;
    struct timespec until = realtime_after_ms(20);
    results[0] = pthread_mutex_trylock(&pi_lock);
    results[1] = pthread_mutex_timedlock(&pi_lock, &until);
    results[2] = pthread_mutex_unlock(&pi_lock);
    return NULL;
}

static int case_pi_mutex(int argc, char **argv)
{
    (void)argc, (void)argv;
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    CHECK(pthread_mutexattr_setprotocol(&attr, PTHREAD_PRIO_INHERIT) == 0);
    CHECK(pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK) == 0);
    printf("init: %s\n", errname(pthread_mutex_init(&pi_lock, &attr)));
    pthread_t ts[4];
    start_all(ts, 4, pi_adder);
    join_all(ts, 4, NULL);
    printf("count: %ld\n", pi_count);
    int r = pthread_mutex_lock(&pi_lock);
    printf("lock: %s\n", errname(r));
    r = pthread_mutex_lock(&pi_lock);
    printf("lock again: %s\n", errname(r));
    int results[3];
    pthread_t t;
    CHECK(pthread_create(&t, NULL, pi_contender, results) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    printf("while held, another thread's trylock: %s, timedlock: %s, unlock: %s\n", errname(results[0]),
           errname(results[1]), errname(results[2]));
    r = pthread_mutex_unlock(&pi_lock);
    printf("unlock: %s\n", errname(r));
    r = pthread_mutex_unlock(&pi_lock);
    printf("unlock again: %s\n", errname(r));
    return 0;
}

/* ---- robust: a robust mutex whose owner ended (a thread, a process holding one in a
 * MAP_SHARED page) goes to the next locker with EOWNERDEAD. qemu-user keeps no robust
 * lists (its lock hangs): test/threads-guest.test.ts checks this against Linux ---- */
static pthread_mutex_t robust_lock;

static void *lock_and_end(void *arg)
{
    (void)arg;
    CHECK(pthread_mutex_lock(&robust_lock) == 0);
    return NULL;
}

static int case_robust(int argc, char **argv)
{
    (void)argc, (void)argv;
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    CHECK(pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST) == 0);
    CHECK(pthread_mutex_init(&robust_lock, &attr) == 0);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, lock_and_end, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    int r = pthread_mutex_lock(&robust_lock);
    printf("owner thread ended: %s\n", errname(r));
    printf("consistent: %s\n", errname(pthread_mutex_consistent(&robust_lock)));
    CHECK(pthread_mutex_unlock(&robust_lock) == 0);
    printf("lock again: %s\n", errname(pthread_mutex_lock(&robust_lock)));
    CHECK(pthread_mutex_unlock(&robust_lock) == 0);

    pthread_mutex_t *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(shared != MAP_FAILED);
    CHECK(pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED) == 0);
    CHECK(pthread_mutex_init(shared, &attr) == 0);
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        pthread_mutex_lock(shared);
        _exit(3);
    }
    int status;
    CHECK(waitpid(child, &status, 0) == child);
    r = pthread_mutex_lock(shared);
    printf("owner process exited (%d): %s\n", WEXITSTATUS(status), errname(r));
    CHECK(pthread_mutex_unlock(shared) == 0);
    printf("unlocked without consistent, lock: %s\n", errname(pthread_mutex_lock(shared)));
    return 0;
}

/* ---- cpu_clocks: the CPU-time clock ids glibc builds (pthread_getcpuclockid,
 * clock_getcpuclockid, timer_create on CLOCK_PROCESS_CPUTIME_ID), and pthread_sigqueue
 * (rt_tgsigqueueinfo) to a thread waiting in sigwaitinfo ---- */
static volatile sig_atomic_t cpu_timer_fired;

static void on_cpu_timer(int sig)
{
    (void)sig;
    cpu_timer_fired = 1;
}

static void *queue_waiter(void *arg)
{
    int *out = arg;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN + 1);
    siginfo_t si;
    out[0] = sigwaitinfo(&set, &si) - SIGRTMIN;
    out[1] = si.si_value.sival_int;
    out[2] = si.si_code == SI_QUEUE;
    return NULL;
}

static int case_cpu_clocks(int argc, char **argv)
{
    (void)argc, (void)argv;
    clockid_t thread_clock, process_clock;
    struct timespec ts;
    printf("pthread_getcpuclockid: %s\n", errname(pthread_getcpuclockid(pthread_self(), &thread_clock)));
    printf("its clock_gettime: %s\n", errname(clock_gettime(thread_clock, &ts) < 0 ? errno : 0));
    printf("clock_getcpuclockid(0): %s\n", errname(clock_getcpuclockid(0, &process_clock)));
    printf("its clock_gettime: %s\n", errname(clock_gettime(process_clock, &ts) < 0 ? errno : 0));
    signal(SIGPROF, on_cpu_timer);
    struct sigevent se = {0};
    se.sigev_notify = SIGEV_SIGNAL;
    se.sigev_signo = SIGPROF;
    timer_t timer;
    printf("timer_create(CLOCK_PROCESS_CPUTIME_ID): %s\n",
           errname(timer_create(CLOCK_PROCESS_CPUTIME_ID, &se, &timer) < 0 ? errno : 0));
    struct itimerspec its = {{0, 0}, {0, 2000000}};
    CHECK(timer_settime(timer, 0, &its, NULL) == 0);
    while (!cpu_timer_fired)
        ;
    printf("it fired while the process computed\n");
    CHECK(timer_delete(timer) == 0);

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN + 1);
    CHECK(pthread_sigmask(SIG_BLOCK, &set, NULL) == 0);
    int got[3] = {0, 0, 0};
    pthread_t t;
    CHECK(pthread_create(&t, NULL, queue_waiter, got) == 0);
    union sigval value = {.sival_int = 77};
    printf("pthread_sigqueue: %s\n", errname(pthread_sigqueue(t, SIGRTMIN + 1, value)));
    CHECK(pthread_join(t, NULL) == 0);
    printf("the thread took SIGRTMIN+%d with value %d, SI_QUEUE %d\n", got[0], got[1], got[2]);
    return 0;
}

static void *report_tid(void *arg)
{
    *(pid_t *)arg = (pid_t)syscall(SYS_gettid);
    return NULL;
}

/* A thread that has ended is no target: tgkill and rt_tgsigqueueinfo fail with ESRCH (a
   signal sent to it must not reach the process: SIGUSR1 would end it). Linux wakes
   pthread_join before it releases the thread's id, so the case first waits (2 s at most)
   for tgkill(tid, 0) to fail. */
/* ---- futex_restart: a signal handled while a thread waits in an untimed FUTEX_WAIT: after a
 * SA_RESTART handler the wait goes on (Linux restarts it) and ends at the wake; without
 * SA_RESTART it fails with EINTR. A timed wait fails with EINTR either way. ---- */
static int restart_word;
static volatile int restart_waiting, restart_handled;

static void on_usr2_count(int sig)
{
    (void)sig;
    restart_handled++;
}

static void *restart_waiter(void *arg)
{
    struct timespec *timeout = arg;
    restart_waiting = 1;
    long r = syscall(SYS_futex, &restart_word, FUTEX_WAIT_PRIVATE, 0, timeout, NULL, 0);
    /* 0 before the wake is a spurious return; EAGAIN, a restarted wait that began after it
     * (on a loaded machine), is as good as 0 after it */
    if (r == -1 && errno == EAGAIN)
        return 0;
    return (void *)(intptr_t)(r == 0 ? (__atomic_load_n(&restart_word, __ATOMIC_SEQ_CST) ? 0 : -1) : errno);
}

static const char *restart_round(int flags, struct timespec *timeout)
{
    struct sigaction sa = {0};
    sa.sa_handler = on_usr2_count;
    sa.sa_flags = flags;
    CHECK(sigaction(SIGUSR2, &sa, NULL) == 0);
    restart_word = 0, restart_waiting = 0, restart_handled = 0;
    pthread_t t;
    CHECK(pthread_create(&t, NULL, restart_waiter, timeout) == 0);
    while (!restart_waiting)
        usleep(1000);
    usleep(50000);
    CHECK(pthread_kill(t, SIGUSR2) == 0);
    while (!restart_handled)
        usleep(1000);
    usleep(50000);
    __atomic_store_n(&restart_word, 1, __ATOMIC_SEQ_CST);
    syscall(SYS_futex, &restart_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    void *res;
    CHECK(pthread_join(t, &res) == 0);
    static char out[64];
    int e = (int)(intptr_t)res;
    snprintf(out, sizeof out, "%s after %d handler run(s)", e < 0 ? "0 before the wake" : errname(e), restart_handled);
    return out;
}

static int case_futex_restart(int argc, char **argv)
{
    (void)argc, (void)argv;
    struct timespec ten = {10, 0};
    printf("untimed, SA_RESTART: %s\n", restart_round(SA_RESTART, NULL));
    printf("untimed, no SA_RESTART: %s\n", restart_round(0, NULL));
    printf("timed, SA_RESTART: %s\n", restart_round(SA_RESTART, &ten));
    return 0;
}

/* ---- thread_overflow: a thread's stack overflow caught by a SIGSEGV handler on that
 * thread's alternate stack ---- */
static sigjmp_buf overflow_jump;
static char *overflow_alt;
static volatile int overflow_on_alt;

static void on_overflow(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)si, (void)uc;
    char here;
    overflow_on_alt = &here >= overflow_alt && &here < overflow_alt + 65536;
    siglongjmp(overflow_jump, 1);
}

/* (The depth a thread's stack cannot hold; a bound the compiler cannot see past.) */
static volatile int overflow_depth = 1 << 30;

static int recurse_deep(int n)
{
    volatile char frame[512];
    frame[0] = (char)n;
    return n >= overflow_depth ? 0 : recurse_deep(n + 1) + frame[0];
}

static void *overflowing_thread(void *arg)
{
    (void)arg;
    overflow_alt = malloc(65536);
    stack_t ss = {.ss_sp = overflow_alt, .ss_size = 65536};
    CHECK(sigaltstack(&ss, NULL) == 0);
    if (sigsetjmp(overflow_jump, 1) == 0)
        recurse_deep(0);
    printf("the thread's overflow was caught, on the alternate stack: %d\n", overflow_on_alt);
    return NULL;
}

static int case_thread_overflow(int argc, char **argv)
{
    (void)argc, (void)argv;
    struct sigaction sa = {0};
    sa.sa_sigaction = on_overflow;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    CHECK(sigaction(SIGSEGV, &sa, NULL) == 0);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, overflowing_thread, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    printf("the process goes on\n");
    return 0;
}

/* ---- setname_new: pthread_setname_np on a thread just created (it writes that thread's
 * /proc/self/task/<tid>/comm) works, and the thread has the name when it runs ---- */
static pthread_barrier_t named_barrier;

static void *named_late(void *arg)
{
    char name[16] = {0};
    pthread_barrier_wait(&named_barrier);
    CHECK(prctl(PR_GET_NAME, name) == 0);
    snprintf((char *)arg, 16, "%s", name);
    return NULL;
}

static int case_setname_new(int argc, char **argv)
{
    (void)argc, (void)argv;
    int failures = 0, renamed = 0;
    for (int i = 0; i < 10; i++) {
        char got[16] = {0}, want[16];
        snprintf(want, sizeof want, "pool-%d", i);
        CHECK(pthread_barrier_init(&named_barrier, NULL, 2) == 0);
        pthread_t t;
        CHECK(pthread_create(&t, NULL, named_late, got) == 0);
        if (pthread_setname_np(t, want) != 0)
            failures++;
        pthread_barrier_wait(&named_barrier);
        CHECK(pthread_join(t, NULL) == 0);
        renamed += strcmp(got, want) == 0;
        pthread_barrier_destroy(&named_barrier);
    }
    printf("setname right after create: %d failures; %d of 10 threads ran with their new name\n", failures, renamed);
    return 0;
}

static int case_dead_tid(int argc, char **argv)
{
    (void)argc, (void)argv;
    pid_t tid = 0;
    pthread_t t;
    CHECK(pthread_create(&t, NULL, report_tid, &tid) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    long r = 0;
    for (int i = 0; i < 2000 && (r = syscall(SYS_tgkill, getpid(), tid, 0)) == 0; i++) usleep(1000);
    printf("tgkill(ended thread, 0): %s\n", errname(r < 0 ? errno : 0));
    printf("tgkill(ended thread, SIGUSR1): %s\n", errname(syscall(SYS_tgkill, getpid(), tid, SIGUSR1) < 0 ? errno : 0));
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_code = SI_QUEUE;
    si.si_pid = getpid();
    si.si_uid = getuid();
    printf("rt_tgsigqueueinfo(ended thread, 0): %s\n",
           errname(syscall(SYS_rt_tgsigqueueinfo, getpid(), tid, 0, &si) < 0 ? errno : 0));
    printf("rt_tgsigqueueinfo(ended thread, SIGUSR1): %s\n",
           errname(syscall(SYS_rt_tgsigqueueinfo, getpid(), tid, SIGUSR1, &si) < 0 ? errno : 0));
    printf("tgkill(this thread, 0): %s\n", errname(syscall(SYS_tgkill, getpid(), (pid_t)syscall(SYS_gettid), 0) < 0 ? errno : 0));
    return 0;
}

static void *dead_tid_thread(void *arg)
{
    return (void *)(long)case_dead_tid(0, arg);
}

/* The same from a thread other than the first: it, too, sees the ended thread is gone. */
static int case_dead_tid_in_thread(int argc, char **argv)
{
    (void)argc;
    pthread_t t;
    void *status;
    CHECK(pthread_create(&t, NULL, dead_tid_thread, argv) == 0);
    CHECK(pthread_join(t, &status) == 0);
    return (int)(long)status;
}

static long long thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int burner_done;
static pthread_mutex_t burner_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t burner_cond = PTHREAD_COND_INITIALIZER;

static void *sleeper(void *arg)
{
    long long start = thread_cpu_ns();
    pthread_mutex_lock(&burner_lock);
    while (!burner_done) pthread_cond_wait(&burner_cond, &burner_lock);
    pthread_mutex_unlock(&burner_lock);
    *(long long *)arg = thread_cpu_ns() - start;
    return NULL;
}

/* ---- thread_cpu_time: CLOCK_THREAD_CPUTIME_ID is each thread's own: a thread that sleeps
 * while another computes for 200 ms of its CPU time has used little ---- */
static int case_thread_cpu_time(int argc, char **argv)
{
    (void)argc, (void)argv;
    long long slept = -1;
    pthread_t t;
    CHECK(pthread_create(&t, NULL, sleeper, &slept) == 0);
    long long start = thread_cpu_ns();
    struct timespec w0, w;
    clock_gettime(CLOCK_MONOTONIC, &w0);
    volatile unsigned sink = 0;
    do {
        for (int i = 0; i < 100000; i++) sink += i;
        clock_gettime(CLOCK_MONOTONIC, &w);
    } while (thread_cpu_ns() - start < 200000000LL && w.tv_sec - w0.tv_sec < 20);
    pthread_mutex_lock(&burner_lock);
    burner_done = 1;
    pthread_cond_signal(&burner_cond);
    pthread_mutex_unlock(&burner_lock);
    CHECK(pthread_join(t, NULL) == 0);
    printf("the computing thread used 200 ms: %d\n", thread_cpu_ns() - start >= 200000000LL);
    printf("the sleeping thread used under 100 ms: %d\n", slept >= 0 && slept < 100000000LL);
    return 0;
}

static pthread_mutex_t idle_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t idle_cond = PTHREAD_COND_INITIALIZER;
static int idle_done;

static void *idle_thread(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&idle_lock);
    while (!idle_done) pthread_cond_wait(&idle_cond, &idle_lock);
    pthread_mutex_unlock(&idle_lock);
    return NULL;
}

#define SHOW_IO(what, expr)                                                              \
    do {                                                                                \
        errno = 0;                                                                      \
        long r_ = (long)(expr);                                                         \
        printf("%s: %ld%s%s\n", what, r_, r_ < 0 ? " " : "", r_ < 0 ? errname(errno) : ""); \
    } while (0)

/* ---- thread_file_io: read, write, pread and pwrite on files while the process has threads
 * (urun's Workers do them on a plain file themselves): offsets, a descriptor replaced by
 * dup2 or closed, a bad buffer, the wrong direction ---- */
static int case_thread_file_io(int argc, char **argv)
{
    if (argc < 3) return 2;
    pthread_t t;
    CHECK(pthread_create(&t, NULL, idle_thread, NULL) == 0);
    char path[256], other[256], buf[32] = {0};
    snprintf(path, sizeof path, "%s/io-a", argv[2]);
    snprintf(other, sizeof other, "%s/io-b", argv[2]);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    SHOW_IO("write", write(fd, "hello world", 11));
    SHOW_IO("pread at 6", pread(fd, buf, 5, 6));
    printf("  read %.5s\n", buf);
    SHOW_IO("lseek to 0", lseek(fd, 0, SEEK_SET));
    SHOW_IO("read 5", read(fd, buf, 5));
    printf("  read %.5s, offset now %ld\n", buf, (long)lseek(fd, 0, SEEK_CUR));
    SHOW_IO("read 5 more", read(fd, buf, 5));
    printf("  read %.5s\n", buf);
    SHOW_IO("pwrite at 0", pwrite(fd, "HELLO", 5, 0));
    SHOW_IO("pread at 0", pread(fd, buf, 11, 0));
    printf("  read %.11s, offset still %ld\n", buf, (long)lseek(fd, 0, SEEK_CUR));
    SHOW_IO("read at the end", read(fd, buf, 5));
    SHOW_IO("pread past the end", pread(fd, buf, 5, 100));
    SHOW_IO("pread at a negative offset", pread(fd, buf, 5, -1));
    char *volatile nowhere = (char *)16;
    SHOW_IO("lseek to 0", lseek(fd, 0, SEEK_SET));
    SHOW_IO("read into no memory", read(fd, nowhere, 5));
    SHOW_IO("pread into no memory", pread(fd, nowhere, 5, 0));
    int wfd = open(other, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(wfd >= 0);
    SHOW_IO("write other", write(wfd, "other", 5));
    SHOW_IO("read from a write-only descriptor", read(wfd, buf, 5));
    int rfd = open(other, O_RDONLY);
    SHOW_IO("write to a read-only descriptor", write(rfd, "x", 1));
    SHOW_IO("dup2 the other file over the first", dup2(rfd, fd));
    /* (Where the first file's host descriptor was, another may be now.) */
    int again = open(path, O_RDONLY);
    CHECK(again >= 0);
    memset(buf, 0, sizeof buf);
    SHOW_IO("read", read(fd, buf, 10));
    printf("  read %s\n", buf);
    close(fd);
    SHOW_IO("read after close", read(fd, buf, 5));
    SHOW_IO("write to a closed descriptor", write(fd, "x", 1));
    pthread_mutex_lock(&idle_lock);
    idle_done = 1;
    pthread_cond_signal(&idle_cond);
    pthread_mutex_unlock(&idle_lock);
    CHECK(pthread_join(t, NULL) == 0);
    unlink(path);
    unlink(other);
    return 0;
}

static volatile int once_ran;
static void on_usr1_once(int sig) { (void)sig; once_ran++; }

static void *raise_usr1(void *arg)
{
    (void)arg;
    pthread_kill(pthread_self(), SIGUSR1);
    return NULL;
}

/* ---- resethand_thread: SA_RESETHAND in a thread resets the process's handler (its flags
 * stay): the main thread then reads SIG_DFL ---- */
static int case_resethand_thread(int argc, char **argv)
{
    (void)argc, (void)argv;
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1_once;
    sa.sa_flags = SA_RESETHAND | SA_RESTART;
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, raise_usr1, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    CHECK(sigaction(SIGUSR1, NULL, &old) == 0);
    printf("handler ran %d time(s); now SIG_DFL %d, SA_RESTART kept %d\n", once_ran, old.sa_handler == SIG_DFL, (old.sa_flags & SA_RESTART) != 0);
    return 0;
}

static void *pause_forever(void *arg)
{
    (void)arg;
    for (;;) pause();
    return NULL;
}

/* ---- timer_overrun_thread: with threads that all block its signal, a periodic timer's
 * later expiries become its pending signal's overrun (one signal per timer) ---- */
static int case_timer_overrun_thread(int argc, char **argv)
{
    (void)argc, (void)argv;
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGRTMIN);
    CHECK(sigprocmask(SIG_BLOCK, &m, NULL) == 0);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, pause_forever, NULL) == 0);
    struct sigevent se;
    memset(&se, 0, sizeof se);
    se.sigev_notify = SIGEV_SIGNAL;
    se.sigev_signo = SIGRTMIN;
    timer_t timer;
    CHECK(timer_create(CLOCK_MONOTONIC, &se, &timer) == 0);
    struct itimerspec its = {{0, 5000000}, {0, 5000000}};
    CHECK(timer_settime(timer, 0, &its, NULL) == 0);
    usleep(100000);
    siginfo_t si;
    CHECK(sigwaitinfo(&m, &si) == SIGRTMIN);
    /* (timer_getoverrun is not asked: urun may have handed the next expiry's signal to the
       thread already, still blocked, and answers with that one's count.) */
    printf("one signal for ~20 expiries: overrun at least 10 %d\n", si.si_overrun >= 10);
    return 0;
}

/* A thread on its alternate stack: sigaltstack says so (SS_ONSTACK) and will not change it (EPERM) */
static volatile int altstack_flags = -1, altstack_change = -1;
static void on_altstack(int sig)
{
    (void)sig;
    stack_t now, other = { .ss_sp = malloc(SIGSTKSZ), .ss_size = SIGSTKSZ };
    sigaltstack(NULL, &now);
    altstack_flags = now.ss_flags;
    altstack_change = sigaltstack(&other, NULL) == 0 ? 0 : errno;
}

static void *altstack_thread(void *arg)
{
    (void)arg;
    stack_t ss = { .ss_sp = malloc(1 << 16), .ss_size = 1 << 16 };
    sigaltstack(&ss, NULL);
    raise(SIGUSR1);
    return NULL;
}

static int case_altstack_thread(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    set_handler(SIGUSR1, (void *)on_altstack, SA_ONSTACK);
    pthread_t t;
    pthread_create(&t, NULL, altstack_thread, NULL);
    pthread_join(t, NULL);
    printf("in the thread's handler: SS_ONSTACK %d, changing it: %s\n", (altstack_flags & SS_ONSTACK) != 0,
           altstack_change == EPERM ? "EPERM" : altstack_change == 0 ? "done" : "other error");
    return 0;
}

/*
 * Aligned words and halfwords are single-copy atomic between threads: eight threads store
 * values whose halves (bytes) are equal and check every load (a big-endian guest's accesses
 * went byte by byte while V8 ran them unoptimised).
 */
static volatile uint32_t hammered_word;
static volatile uint16_t hammered_half;
static volatile int torn_loads;

static void *hammer_words(void *arg)
{
    (void)arg;
    for (int i = 0; i < 20000; i++) {
        uint32_t v = hammered_word;
        if ((v & 0xffff) != v >> 16)
            __sync_fetch_and_add(&torn_loads, 1);
        hammered_word = (v & 0xffff) == 10000 ? 0 : v + 0x10001;
        uint16_t h = hammered_half;
        if ((h & 0xff) != h >> 8)
            __sync_fetch_and_add(&torn_loads, 1);
        hammered_half = (uint16_t)((h & 0xff) == 200 ? 0 : h + 0x101);
    }
    return NULL;
}

static int case_torn_words(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    pthread_t t[8];
    for (int i = 0; i < 8; i++)
        pthread_create(&t[i], NULL, hammer_words, NULL);
    for (int i = 0; i < 8; i++)
        pthread_join(t[i], NULL);
    printf("torn loads: %d\n", torn_loads);
    return 0;
}

/* A new thread gets its creator's PR_SET_KEEPCAPS, not the last thread's that its host thread ran */
static void *set_keepcaps(void *arg)
{
    (void)arg;
    prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
    return NULL;
}

static void *get_keepcaps(void *arg)
{
    *(int *)arg = prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0);
    return NULL;
}

static int case_keepcaps_thread(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    pthread_t t;
    for (int i = 0; i < 3; i++) {
        pthread_create(&t, NULL, set_keepcaps, NULL);
        pthread_join(t, NULL);
    }
    int kept = 0;
    for (int i = 0; i < 4; i++) {
        int v = -1;
        pthread_create(&t, NULL, get_keepcaps, &v);
        pthread_join(t, NULL);
        kept += v == 1;
    }
    printf("main keepcaps %d, new threads with keepcaps: %d\n", prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0), kept);
    return 0;
}

/*
 * A threaded process (its main thread runs in a Worker under urun) waits in read() on a
 * pipe; meanwhile a child exits, a SIGCHLD left at its default action (ignored), and then
 * another child writes. The thread was created with SIGCHLD blocked, as perl's
 * threads->create blocks most signals, so urun listens for the host's SIGCHLD. urun spun
 * for ever once the pipe was readable: the signal had set the thread's interrupt word, left
 * set as nothing was to be delivered, and its wait found the pipe ready again and again.
 */
static void *return_arg(void *arg)
{
    return arg;
}

static int case_ready_after_sigchld(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    sigset_t chld, old;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    pthread_sigmask(SIG_BLOCK, &chld, &old);
    pthread_t t;
    pthread_create(&t, NULL, return_arg, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_join(t, NULL);
    int p[2];
    if (pipe(p) != 0) return 1;
    pid_t quick = fork();
    if (quick == 0) {
        usleep(300000);
        _exit(0);
    }
    pid_t writer = fork();
    if (writer == 0) {
        usleep(900000);
        if (write(p[1], "x", 1) != 1) _exit(1);
        _exit(0);
    }
    char c = 0;
    ssize_t n = read(p[0], &c, 1);
    printf("read %d byte: %c\n", (int)n, c);
    int st, st2;
    waitpid(writer, &st, 0);
    waitpid(quick, &st2, 0);
    printf("children: %d %d\n", WEXITSTATUS(st), WEXITSTATUS(st2));
    return 0;
}

/* ---- pipe_writer_thread: a thread's write into a pipe (then a socket) bigger than the pipe
 * holds waits for the main thread to read it, and only that thread waits; a lone write into a
 * full pipe is ended by a signal with what it wrote ---- */
static char pipe_data[1 << 20];
static int writer_fd;
static ssize_t writer_wrote;

static void *pipe_writer(void *arg)
{
    (void)arg;
    writer_wrote = write(writer_fd, pipe_data, sizeof pipe_data);
    close(writer_fd);
    return NULL;
}

static void on_alarm_quiet(int sig) { (void)sig; }

static int case_pipe_writer_thread(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (size_t i = 0; i < sizeof pipe_data; i++) pipe_data[i] = (char)(i * 7);
    /* (Before any thread: the process runs on urun's main thread.) */
    int p[2];
    CHECK(pipe(p) == 0);
    CHECK(fcntl(p[1], F_SETPIPE_SZ, 65536) == 65536);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm_quiet;
    sigaction(SIGALRM, &sa, NULL);
    alarm(1);
    ssize_t n = write(p[1], pipe_data, 200000);
    printf("a write of 200000 into a pipe nobody reads, ended by SIGALRM: %ld\n", (long)n);
    alarm(1);
    n = write(p[1], pipe_data, 10);
    printf("a write into the full pipe: %ld (%s)\n", (long)n, n < 0 ? strerror(errno) : "-");
    close(p[0]);
    close(p[1]);
    for (int kind = 0; kind < 2; kind++) {
        CHECK((kind == 0 ? pipe(p) : socketpair(AF_UNIX, SOCK_STREAM, 0, p)) == 0);
        writer_fd = p[1];
        pthread_t t;
        CHECK(pthread_create(&t, NULL, pipe_writer, NULL) == 0);
        usleep(100000); /* the writer fills the pipe and waits */
        static char got[sizeof pipe_data];
        size_t total = 0;
        ssize_t r;
        while ((r = read(p[0], got + total, sizeof got - total)) > 0) total += r;
        CHECK(pthread_join(t, NULL) == 0);
        printf("%s: the thread wrote %ld, the main thread read %ld, %s\n", kind == 0 ? "pipe" : "socket",
               (long)writer_wrote, (long)total, memcmp(got, pipe_data, sizeof got) == 0 ? "the same bytes" : "OTHER BYTES");
        close(p[0]);
    }
    return 0;
}

/* ---- held_signals: signals sent to a process whose every thread blocks them are pending
 * for the process (sigpending in each thread), and a thread that unblocks one runs its
 * handler before that sigprocmask returns (or in sigsuspend) ---- */
static volatile sig_atomic_t held_got[65];
static volatile int held_value;
static volatile pid_t held_taker[65];

static void held_handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    held_got[sig]++;
    held_taker[sig] = (pid_t)syscall(SYS_gettid);
    if (si->si_code == SI_QUEUE)
        held_value = si->si_value.sival_int;
}

static pthread_barrier_t held_barrier;
static pid_t held_thread_tid;

static void *held_thread(void *arg)
{
    (void)arg;
    held_thread_tid = (pid_t)syscall(SYS_gettid);
    pthread_barrier_wait(&held_barrier); /* 1: the main thread sends */
    pthread_barrier_wait(&held_barrier); /* 2: sent */
    sigset_t pend, usr2;
    sigpending(&pend);
    printf("thread sees pending: USR1 %d USR2 %d RTMIN+1 %d\n", sigismember(&pend, SIGUSR1), sigismember(&pend, SIGUSR2),
           sigismember(&pend, SIGRTMIN + 1));
    pthread_barrier_wait(&held_barrier); /* 2b: printed (the output's order is not the machine's speed) */
    pthread_barrier_wait(&held_barrier); /* 3: the main thread took USR1 */
    /* This thread takes SIGUSR2 by unblocking it. */
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    pthread_sigmask(SIG_UNBLOCK, &usr2, NULL);
    int got = held_got[SIGUSR2];
    printf("thread unblocked USR2: handled %d, by this thread %d\n", got, held_taker[SIGUSR2] == held_thread_tid);
    pthread_sigmask(SIG_BLOCK, &usr2, NULL);
    pthread_barrier_wait(&held_barrier); /* 4 */
    pthread_barrier_wait(&held_barrier); /* 5: SIGUSR2 sent again */
    sigset_t none;
    sigfillset(&none);
    sigdelset(&none, SIGUSR2);
    int r = sigsuspend(&none);
    printf("thread sigsuspend: %d %s, handled %d, by this thread %d\n", r, errname(errno), held_got[SIGUSR2],
           held_taker[SIGUSR2] == held_thread_tid);
    return NULL;
}

static int case_held_signals(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    set_handler(SIGUSR1, held_handler, SA_SIGINFO);
    set_handler(SIGUSR2, held_handler, SA_SIGINFO);
    set_handler(SIGRTMIN + 1, held_handler, SA_SIGINFO);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGRTMIN + 1);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    pthread_barrier_init(&held_barrier, NULL, 2);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, held_thread, NULL) == 0);
    pthread_barrier_wait(&held_barrier); /* 1 */
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR2);
    union sigval v = {.sival_int = 77};
    sigqueue(getpid(), SIGRTMIN + 1, v);
    sigset_t pend;
    sigpending(&pend);
    printf("main sees pending: USR1 %d USR2 %d RTMIN+1 %d\n", sigismember(&pend, SIGUSR1), sigismember(&pend, SIGUSR2),
           sigismember(&pend, SIGRTMIN + 1));
    pthread_barrier_wait(&held_barrier); /* 2 */
    pthread_barrier_wait(&held_barrier); /* 2b */
    usleep(100000);
    printf("nothing handled yet: %d\n", held_got[SIGUSR1] + held_got[SIGUSR2] + held_got[SIGRTMIN + 1]);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &one, NULL);
    int got = held_got[SIGUSR1];
    printf("main unblocked USR1: handled %d, by main %d\n", got, held_taker[SIGUSR1] == getpid());
    sigpending(&pend);
    printf("main sees pending: USR1 %d USR2 %d RTMIN+1 %d\n", sigismember(&pend, SIGUSR1), sigismember(&pend, SIGUSR2),
           sigismember(&pend, SIGRTMIN + 1));
    pthread_barrier_wait(&held_barrier); /* 3 */
    pthread_barrier_wait(&held_barrier); /* 4 */
    sigemptyset(&one);
    sigaddset(&one, SIGRTMIN + 1);
    pthread_sigmask(SIG_UNBLOCK, &one, NULL);
    got = held_got[SIGRTMIN + 1];
    printf("main unblocked RTMIN+1: handled %d, value %d\n", got, held_value);
    kill(getpid(), SIGUSR2);
    pthread_barrier_wait(&held_barrier); /* 5 */
    CHECK(pthread_join(t, NULL) == 0);
    printf("handled: USR1 %d USR2 %d RTMIN+1 %d\n", held_got[SIGUSR1], held_got[SIGUSR2], held_got[SIGRTMIN + 1]);
    return 0;
}

/* ---- sigwait_thread: threads that block signals after they start (the usual signal-handling
 * thread) keep another process's kill of them pending for sigwait; the host's default
 * action (death) must not take it ---- */
static void *sigwait_thread(void *arg)
{
    (void)arg;
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGTERM);
    sigaddset(&s, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &s, NULL);
    for (int i = 0; i < 2; i++) {
        int sig = 0;
        sigwait(&s, &sig);
        printf("sigwait: %s\n", sig == SIGTERM ? "SIGTERM" : sig == SIGHUP ? "SIGHUP" : "other");
    }
    return NULL;
}

static int case_sigwait_thread(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    pthread_t t;
    CHECK(pthread_create(&t, NULL, sigwait_thread, NULL) == 0);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGTERM);
    sigaddset(&s, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &s, NULL);
    usleep(200000);
    pid_t c = fork();
    if (c == 0) {
        kill(getppid(), SIGHUP);
        usleep(100000);
        kill(getppid(), SIGTERM);
        _exit(0);
    }
    CHECK(waitpid(c, NULL, 0) == c);
    CHECK(pthread_join(t, NULL) == 0);
    printf("joined\n");
    return 0;
}

/* ---- pdeathsig_threads: PR_SET_PDEATHSIG is per thread: the thread that set it keeps it
 * when the process starts threads, a new thread starts without it, and a thread that ends
 * with one set leaves none to the next ---- */
static void *read_pdeathsig(void *arg)
{
    (void)arg;
    int sig = -1;
    prctl(PR_GET_PDEATHSIG, &sig);
    return (void *)(long)sig;
}

static void *set_pdeathsig_and_end(void *arg)
{
    (void)arg;
    prctl(PR_SET_PDEATHSIG, SIGUSR1);
    return read_pdeathsig(NULL);
}

static int case_pdeathsig_threads(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    CHECK(prctl(PR_SET_PDEATHSIG, SIGUSR2) == 0);
    pthread_t t;
    void *r;
    CHECK(pthread_create(&t, NULL, read_pdeathsig, NULL) == 0);
    CHECK(pthread_join(t, &r) == 0);
    printf("new thread's: %ld\n", (long)r);
    int sig = -1;
    prctl(PR_GET_PDEATHSIG, &sig);
    printf("the main thread's, after a thread started: %s\n", sig == SIGUSR2 ? "SIGUSR2" : "other");
    CHECK(pthread_create(&t, NULL, set_pdeathsig_and_end, NULL) == 0);
    CHECK(pthread_join(t, &r) == 0);
    printf("a thread set its own: %s\n", (long)r == SIGUSR1 ? "SIGUSR1" : "other");
    CHECK(pthread_create(&t, NULL, read_pdeathsig, NULL) == 0);
    CHECK(pthread_join(t, &r) == 0);
    printf("the next new thread's: %ld\n", (long)r);
    return 0;
}

/*
 * The process's CPU clock is one clock whichever thread reads it: a thread started after the
 * main thread read it reads no less, nor does the main thread after joining it.
 */
static double process_cpu_ms(void)
{
    struct timespec ts;
    CHECK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) == 0);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void *spin_then_read_clock(void *arg)
{
    volatile unsigned x = 0;
    for (unsigned i = 0; i < 20000000; i++)
        x += i;
    *(double *)arg = process_cpu_ms();
    return NULL;
}

static int case_process_clock_threads(int argc, char **argv)
{
    (void)argc, (void)argv;
    volatile unsigned x = 0;
    for (unsigned i = 0; i < 20000000; i++)
        x += i;
    double before = process_cpu_ms(), in_thread = 0;
    pthread_t t;
    CHECK(pthread_create(&t, NULL, spin_then_read_clock, &in_thread) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    double after = process_cpu_ms();
    printf("read in the thread >= read before it: %d\n", in_thread >= before);
    printf("read after the join >= read in the thread: %d\n", after >= in_thread);
    return 0;
}

static const struct guest_case cases[] = {
    {"mutex", case_mutex}, {"condvar", case_condvar}, {"rwlock", case_rwlock},
    {"barrier", case_barrier}, {"tls", case_tls}, {"cancel", case_cancel},
    {"sigwait", case_sigwait}, {"fork_raise", case_fork_raise}, {"names", case_names},
    {"tasks", case_tasks}, {"sleep_signal", case_sleep_signal}, {"pi_mutex", case_pi_mutex},
    {"robust", case_robust}, {"cpu_clocks", case_cpu_clocks}, {"dead_tid", case_dead_tid},
    {"dead_tid_in_thread", case_dead_tid_in_thread}, {"futex_restart", case_futex_restart},
    {"thread_overflow", case_thread_overflow}, {"setname_new", case_setname_new},
    {"thread_cpu_time", case_thread_cpu_time}, {"thread_file_io", case_thread_file_io},
    {"resethand_thread", case_resethand_thread}, {"timer_overrun_thread", case_timer_overrun_thread},
    {"altstack_thread", case_altstack_thread}, {"torn_words", case_torn_words},
    {"keepcaps_thread", case_keepcaps_thread}, {"ready_after_sigchld", case_ready_after_sigchld},
    {"pipe_writer_thread", case_pipe_writer_thread}, {"held_signals", case_held_signals},
    {"sigwait_thread", case_sigwait_thread}, {"pdeathsig_threads", case_pdeathsig_threads},
    {"process_clock_threads", case_process_clock_threads},
};

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    return RUN_CASE("pthreads", cases, argc, argv);
}

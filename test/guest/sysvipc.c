/*
 * urun guest tests for System V IPC: shared memory segments across fork,
 * shmctl, read-only attachments, semaphores (as a lock between processes,
 * SETALL/GETALL, IPC_NOWAIT, semtimedop timeouts, wake-ups, EINTR) and message
 * queues (message types, MSG_NOERROR, E2BIG, blocking receives, EIDRM).
 *
 *     sysvipc <case>
 *
 * Output is deterministic (no ids, keys, pids or addresses).  Every object a
 * case creates is removed (IPC_RMID), on its failure paths too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cases.h"

/* The objects to remove if a case fails (only the process that made them does). */
static int shm_ids[8], sem_ids[8], msg_ids[8];
static int n_shm, n_sem, n_msg;
static pid_t owner;

static void cleanup(void)
{
    if (getpid() != owner)
        return;
    while (n_shm > 0)
        shmctl(shm_ids[--n_shm], IPC_RMID, NULL);
    while (n_sem > 0)
        semctl(sem_ids[--n_sem], 0, IPC_RMID);
    while (n_msg > 0)
        msgctl(msg_ids[--n_msg], IPC_RMID, NULL);
}

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (!(cond)) {                                                              \
            printf("CHECK failed line %d: %s (errno %d)\n", __LINE__, #cond, errno); \
            cleanup();                                                              \
            exit(1);                                                                \
        }                                                                           \
    } while (0)

static int new_shm(size_t size, int mode)
{
    int id = shmget(IPC_PRIVATE, size, IPC_CREAT | mode);
    CHECK(id >= 0);
    shm_ids[n_shm++] = id;
    return id;
}

static int new_sem(int nsems)
{
    int id = semget(IPC_PRIVATE, nsems, IPC_CREAT | 0600);
    CHECK(id >= 0);
    sem_ids[n_sem++] = id;
    return id;
}

static int new_msg(void)
{
    int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    CHECK(id >= 0);
    msg_ids[n_msg++] = id;
    return id;
}

/* Removes an object made by new_*: the test checks the result itself. */
static void forget(int *ids, int *n, int id)
{
    for (int i = 0; i < *n; i++)
        if (ids[i] == id) {
            ids[i] = ids[--*n];
            return;
        }
}

static void wait_all(void)
{
    int st;
    while (wait(&st) > 0)
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static long ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/*
 * A helper process that acts on cue: the parent cues it just before it blocks, and it
 * acts a little later, while the parent waits.
 */
static int cue_pipe[2];

static void cue(void)
{
    CHECK(write(cue_pipe[1], "x", 1) == 1);
}

static void await_cue(void)
{
    char c;
    CHECK(read(cue_pipe[0], &c, 1) == 1);
    /* Time for the parent to reach its blocking call after cue() (an emulated one on a
       loaded machine: 50 ms once let the helper remove a set before the parent waited). */
    sleep_ms(200);
}

static pid_t start_helper(void)
{
    CHECK(pipe(cue_pipe) == 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        close(cue_pipe[1]);
    else
        close(cue_pipe[0]);
    return pid;
}

/* ---- shared memory ---- */

/* A child writes into a segment it inherited; the parent reads it; both ways. */
static int case_shm_fork(int argc, char **argv)
{
    (void)argc, (void)argv;
    int id = new_shm(10000, 0600);
    int *p = shmat(id, NULL, 0);
    CHECK(p != (void *)-1);
    CHECK(p[0] == 0 && p[2499] == 0);
    p[0] = 7;
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        printf("child sees %d\n", p[0]);
        strcpy((char *)&p[1], "written by the child");
        p[2499] = 42;
        _exit(0);
    }
    wait_all();
    printf("parent reads \"%s\" and %d\n", (char *)&p[1], p[2499]);
    /* A second attachment of the same segment shows the same bytes. */
    int *q = shmat(id, NULL, 0);
    CHECK(q != (void *)-1 && q != p);
    q[2499] = 43;
    printf("through the second attachment: %d\n", p[2499]);
    CHECK(shmdt(q) == 0);
    CHECK(shmdt(p) == 0);
    CHECK(shmctl(id, IPC_RMID, NULL) == 0);
    forget(shm_ids, &n_shm, id);
    return 0;
}

static void print_shm(int id, const char *when)
{
    struct shmid_ds ds;
    CHECK(shmctl(id, IPC_STAT, &ds) == 0);
    printf("%s: segsz %lu nattch %lu mode %03o cpid %s\n", when, (unsigned long)ds.shm_segsz,
           (unsigned long)ds.shm_nattch, ds.shm_perm.mode & 0777, ds.shm_cpid == owner ? "self" : "other");
}

static int case_shm_stat(int argc, char **argv)
{
    (void)argc, (void)argv;
    int id = new_shm(12345, 0640);
    print_shm(id, "created");
    char *a = shmat(id, NULL, 0);
    CHECK(a != (void *)-1);
    print_shm(id, "attached");
    char *b = shmat(id, NULL, SHM_RDONLY);
    CHECK(b != (void *)-1);
    print_shm(id, "attached twice");
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        struct shmid_ds ds;
        CHECK(shmctl(id, IPC_STAT, &ds) == 0);
        printf("in the child: nattch %lu\n", (unsigned long)ds.shm_nattch);
        _exit(0);
    }
    wait_all();
    print_shm(id, "child gone");
    struct shmid_ds ds;
    CHECK(shmctl(id, IPC_STAT, &ds) == 0);
    ds.shm_perm.mode = 0600;
    CHECK(shmctl(id, IPC_SET, &ds) == 0);
    print_shm(id, "after IPC_SET");
    CHECK(shmdt(b) == 0);
    CHECK(shmdt(a) == 0);
    print_shm(id, "detached");
    struct shminfo info;
    CHECK(shmctl(0, IPC_INFO, (struct shmid_ds *)&info) >= 0);
    printf("shmmin %lu, shmmni > 0: %d\n", (unsigned long)info.shmmin, info.shmmni > 0);
    CHECK(shmctl(id, IPC_RMID, NULL) == 0);
    forget(shm_ids, &n_shm, id);
    return 0;
}

/* IPC_RMID: the segment lives on while attached (across a fork too), then goes. */
static int case_shm_rmid(int argc, char **argv)
{
    (void)argc, (void)argv;
    int id = new_shm(4096, 0600);
    volatile int *p = shmat(id, NULL, 0);
    CHECK(p != (void *)-1);
    CHECK(shmctl(id, IPC_RMID, NULL) == 0);
    forget(shm_ids, &n_shm, id);
    struct shmid_ds ds;
    CHECK(shmctl(id, IPC_STAT, &ds) == 0);
    printf("removed but attached: nattch %lu, SHM_DEST %d\n", (unsigned long)ds.shm_nattch,
           (ds.shm_perm.mode & SHM_DEST) != 0);
    p[0] = 1;
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        /* The parent lets go first: the child's attachment keeps the segment. */
        sleep_ms(100);
        p[0] = 2;
        _exit(0);
    }
    CHECK(shmdt((void *)p) == 0);
    int st;
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st));
    errno = 0;
    printf("after the last detach: IPC_STAT %d errno %s\n", shmctl(id, IPC_STAT, &ds),
           errno == EINVAL || errno == EIDRM ? "EINVAL/EIDRM" : strerror(errno));
    /* A page that was attached is no longer mapped. */
    printf("msync after shmdt: %s\n", msync((void *)p, 4096, MS_ASYNC) == -1 && errno == ENOMEM ? "ENOMEM" : "mapped");
    return 0;
}

static int case_shm_errors(int argc, char **argv)
{
    (void)argc, (void)argv;
    errno = 0;
    printf("shmat of a bad id: %s\n", shmat(-1, NULL, 0) == (void *)-1 && errno == EINVAL ? "EINVAL" : "?");
    int local;
    printf("shmdt of no attachment: %s\n", shmdt(&local) == -1 && errno == EINVAL ? "EINVAL" : "?");
    /* An address aligned for both arches' SHMLBA (MIPS 256 KiB, ARM 16 KiB). */
    const size_t lba = 0x40000;
    char *area = mmap(NULL, 4 * lba, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(area != MAP_FAILED);
    char *aligned = (char *)(((unsigned long)area + lba - 1) & ~(lba - 1));
    CHECK(munmap(area, 4 * lba) == 0);
    int id = new_shm(8192, 0600);
    printf("unaligned without SHM_RND: %s\n", shmat(id, aligned + 4096, 0) == (void *)-1 && errno == EINVAL ? "EINVAL" : "?");
    /* (SHM_REMAP with each explicit address: qemu-user 7.2 fails a plain one, its reserved
     * guest space being in the way.) */
    char *p = shmat(id, aligned + 4096, SHM_RND | SHM_REMAP);
    printf("with SHM_RND: %s\n", p == aligned ? "rounded down" : "?");
    CHECK(p != (void *)-1);
    printf("over it without SHM_REMAP: %s\n", shmat(id, aligned, 0) == (void *)-1 && errno == EINVAL ? "EINVAL" : "?");
    strcpy(p, "kept");
    char *q = shmat(id, aligned, SHM_REMAP);
    printf("with SHM_REMAP: %s, reads \"%s\"\n", q == aligned ? "same place" : "?", q);
    CHECK(shmdt(q) == 0);
    /* A key: IPC_EXCL on an existing one, a larger size for it. */
    key_t key = (key_t)(0x75720000 ^ (getpid() & 0xffff));
    int k1 = shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600);
    CHECK(k1 >= 0);
    shm_ids[n_shm++] = k1;
    printf("same key again: %s\n", shmget(key, 4096, 0600) == k1 ? "same id" : "?");
    printf("IPC_EXCL: %s\n", shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600) == -1 && errno == EEXIST ? "EEXIST" : "?");
    printf("larger size: %s\n", shmget(key, 8192, 0600) == -1 && errno == EINVAL ? "EINVAL" : "?");
    printf("shmctl bad command: %s\n", shmctl(id, 9999, NULL) == -1 && errno == EINVAL ? "EINVAL" : "?");
    cleanup();
    return 0;
}

static int case_shm_rdonly(int argc, char **argv)
{
    (void)argc, (void)argv;
    int id = new_shm(4096, 0600);
    char *w = shmat(id, NULL, 0);
    CHECK(w != (void *)-1);
    strcpy(w, "hello");
    const char *r = shmat(id, NULL, SHM_RDONLY);
    CHECK(r != (void *)-1);
    printf("read-only attachment reads \"%s\"\n", r);
    printf("mprotect PROT_WRITE: %s\n", mprotect((void *)r, 4096, PROT_READ | PROT_WRITE) == -1 && errno == EACCES ? "EACCES" : "?");
    fflush(stdout);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        *(volatile char *)r = 'j';
        _exit(0);
    }
    int st;
    CHECK(waitpid(pid, &st, 0) == pid);
    if (WIFSIGNALED(st))
        printf("store through it: child killed by signal %d\n", WTERMSIG(st));
    else
        printf("store through it: child exited %d\n", WEXITSTATUS(st));
    printf("still \"%s\"\n", w);
    CHECK(shmdt(r) == 0 && shmdt(w) == 0);
    CHECK(shmctl(id, IPC_RMID, NULL) == 0);
    forget(shm_ids, &n_shm, id);
    return 0;
}

/* Parts of an attachment: the middle page unmapped, a fork, shmdt of what is left. */
static int case_shm_pieces(int argc, char **argv)
{
    (void)argc, (void)argv;
    long page = sysconf(_SC_PAGESIZE);
    int id = new_shm(3 * page, 0600);
    char *p = shmat(id, NULL, 0);
    CHECK(p != (void *)-1);
    CHECK(munmap(p + page, page) == 0);
    print_shm(id, "middle unmapped");
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        strcpy(p, "first");
        strcpy(p + 2 * page, "third");
        _exit(0);
    }
    wait_all();
    printf("parent reads \"%s\" and \"%s\"\n", p, p + 2 * page);
    char *whole = shmat(id, NULL, SHM_RDONLY);
    CHECK(whole != (void *)-1);
    printf("through a new attachment: \"%s\" \"%s\" \"%s\"\n", whole, whole + page, whole + 2 * page);
    CHECK(shmdt(p) == 0);
    print_shm(id, "pieces detached");
    printf("again: %s\n", shmdt(p) == -1 && errno == EINVAL ? "EINVAL" : "?");
    CHECK(shmdt(whole) == 0);
    CHECK(shmctl(id, IPC_RMID, NULL) == 0);
    forget(shm_ids, &n_shm, id);
    return 0;
}

/* execve ends the attachments of the process. */
static int case_shm_exec(int argc, char **argv)
{
    if (argc == 3) {
        struct shmid_ds ds;
        CHECK(shmctl(atoi(argv[2]), IPC_STAT, &ds) == 0);
        printf("after execve: nattch %lu\n", (unsigned long)ds.shm_nattch);
        return 0;
    }
    int id = new_shm(4096, 0600);
    char *p = shmat(id, NULL, 0);
    CHECK(p != (void *)-1);
    fflush(stdout);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        char arg[16];
        snprintf(arg, sizeof arg, "%d", id);
        execl("/proc/self/exe", argv[0], "shm_exec", arg, (char *)NULL);
        _exit(127);
    }
    wait_all();
    print_shm(id, "parent");
    CHECK(shmdt(p) == 0);
    CHECK(shmctl(id, IPC_RMID, NULL) == 0);
    forget(shm_ids, &n_shm, id);
    return 0;
}

/* ---- semaphores ---- */

static int sem_add(int id, int num, int delta, int flags)
{
    struct sembuf op = {(unsigned short)num, (short)delta, (short)flags};
    return semop(id, &op, 1);
}

/* A semaphore as a lock around a counter in a segment, three processes. */
static int case_sem_lock(int argc, char **argv)
{
    (void)argc, (void)argv;
    int sem = new_sem(1);
    CHECK(semctl(sem, 0, SETVAL, 1) == 0);
    int shm = new_shm(4096, 0600);
    volatile int *counter = shmat(shm, NULL, 0);
    CHECK(counter != (void *)-1);
    enum { ROUNDS = 300, PROCS = 2 };
    for (int c = 0; c < PROCS - 1; c++) {
        pid_t pid = fork();
        CHECK(pid >= 0);
        if (pid == 0)
            break;
    }
    for (int i = 0; i < ROUNDS; i++) {
        CHECK(sem_add(sem, 0, -1, SEM_UNDO) == 0);
        int v = *counter;
        if (i % 50 == 0)
            sched_yield();
        *counter = v + 1;
        CHECK(sem_add(sem, 0, 1, SEM_UNDO) == 0);
    }
    if (getpid() != owner)
        _exit(0);
    wait_all();
    printf("counter %d (expected %d)\n", *counter, ROUNDS * PROCS);
    printf("semaphore back at %d\n", semctl(sem, 0, GETVAL));
    /* SEM_UNDO: a child that takes the lock and exits gives it back. */
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        CHECK(sem_add(sem, 0, -1, SEM_UNDO) == 0);
        _exit(0);
    }
    wait_all();
    printf("after a child exited holding it (SEM_UNDO): %d\n", semctl(sem, 0, GETVAL));
    CHECK(shmdt((void *)counter) == 0);
    cleanup();
    return 0;
}

static void print_all(int id, int n, const char *when)
{
    unsigned short v[8];
    CHECK(semctl(id, 0, GETALL, v) == 0);
    printf("%s:", when);
    for (int i = 0; i < n; i++)
        printf(" %u", v[i]);
    printf("\n");
}

static int case_sem_values(int argc, char **argv)
{
    (void)argc, (void)argv;
    int id = new_sem(3);
    print_all(id, 3, "new");
    unsigned short init[3] = {1, 2, 300};
    CHECK(semctl(id, 0, SETALL, init) == 0);
    print_all(id, 3, "SETALL");
    printf("GETVAL 1: %d\n", semctl(id, 1, GETVAL));
    CHECK(semctl(id, 2, SETVAL, 7) == 0);
    print_all(id, 3, "SETVAL 2 7");
    printf("GETVAL out of range: %s\n", semctl(id, 3, GETVAL) == -1 && errno == EINVAL ? "EINVAL" : "?");
    printf("SETVAL too big: %s\n", semctl(id, 0, SETVAL, 40000) == -1 && errno == ERANGE ? "ERANGE" : "?");
    errno = 0;
    printf("IPC_NOWAIT would block: %s\n", sem_add(id, 0, -2, IPC_NOWAIT) == -1 && errno == EAGAIN ? "EAGAIN" : "?");
    /* All or nothing: the first op could go, the second cannot. */
    struct sembuf ops[2] = {{0, -1, IPC_NOWAIT}, {1, -5, IPC_NOWAIT}};
    printf("two ops, one blocks: %s\n", semop(id, ops, 2) == -1 && errno == EAGAIN ? "EAGAIN" : "?");
    print_all(id, 3, "unchanged");
    struct sembuf ok[3] = {{0, -1, 0}, {1, 3, 0}, {2, 0, IPC_NOWAIT}};
    ok[2].sem_op = -7;
    CHECK(semop(id, ok, 3) == 0);
    print_all(id, 3, "after -1 +3 -7");
    struct sembuf zero = {0, 0, IPC_NOWAIT};
    printf("wait-for-zero on 0: %d\n", semop(id, &zero, 1));
    printf("GETPID: %s, GETNCNT %d, GETZCNT %d\n", semctl(id, 0, GETPID) == owner ? "self" : "other",
           semctl(id, 0, GETNCNT), semctl(id, 0, GETZCNT));
    struct semid_ds ds;
    CHECK(semctl(id, 0, IPC_STAT, &ds) == 0);
    printf("IPC_STAT: nsems %lu mode %03o otime set %d\n", (unsigned long)ds.sem_nsems, ds.sem_perm.mode & 0777, ds.sem_otime != 0);
    ds.sem_perm.mode = 0640;
    CHECK(semctl(id, 0, IPC_SET, &ds) == 0);
    CHECK(semctl(id, 0, IPC_STAT, &ds) == 0);
    printf("after IPC_SET: mode %03o\n", ds.sem_perm.mode & 0777);
    struct seminfo info;
    CHECK(semctl(id, 0, IPC_INFO, &info) >= 0);
    printf("seminfo: semvmx %d, semmsl > 0: %d\n", info.semvmx, info.semmsl > 0);
    printf("no ops: %s\n", semop(id, ops, 0) == -1 && errno == EINVAL ? "EINVAL" : "?");
    CHECK(semctl(id, 0, IPC_RMID) == 0);
    forget(sem_ids, &n_sem, id);
    printf("after IPC_RMID: %s\n", semctl(id, 0, GETVAL) == -1 && (errno == EINVAL || errno == EIDRM) ? "EINVAL/EIDRM" : "?");
    return 0;
}

static void on_alarm(int sig)
{
    (void)sig;
}

static int case_sem_wait(int argc, char **argv)
{
    (void)argc, (void)argv;
    int id = new_sem(1);
    struct timespec t0;
    /* semtimedop runs out of time. */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct sembuf down = {0, -1, 0};
    struct timespec limit = {0, 150 * 1000000L};
    errno = 0;
    int r = semtimedop(id, &down, 1, &limit);
    long took = ms_since(&t0);
    printf("semtimedop: %d %s, waited enough: %d\n", r, errno == EAGAIN ? "EAGAIN" : "?", took >= 140);
    printf("a zero timeout: %s\n", semtimedop(id, &down, 1, &(struct timespec){0, 0}) == -1 && errno == EAGAIN ? "EAGAIN" : "?");
    /* A blocked semop is woken by another process's V; removed under a waiter: EIDRM. */
    if (start_helper() == 0) {
        await_cue();
        CHECK(sem_add(id, 0, 1, 0) == 0);
        await_cue();
        CHECK(semctl(id, 0, IPC_RMID) == 0);
        _exit(0);
    }
    cue();
    r = sem_add(id, 0, -1, 0);
    printf("blocked semop woken: %d\n", r);
    /* A signal ends the wait with EINTR, SA_RESTART or not. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
    struct itimerval it = {{0, 0}, {0, 100000}};
    CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
    errno = 0;
    r = sem_add(id, 0, -1, 0);
    printf("interrupted semop: %d %s\n", r, errno == EINTR ? "EINTR" : "?");
    cue();
    errno = 0;
    r = sem_add(id, 0, -1, 0);
    printf("set removed while waiting: %d %s\n", r, errno == EIDRM ? "EIDRM" : strerror(errno));
    wait_all();
    forget(sem_ids, &n_sem, id);
    return 0;
}

struct waiter {
    int sem, msg;
    int sem_result, msg_result;
    long timed_ms;
    int timed_result, timed_errno;
    char text[16];
};

static void *sem_waiter(void *arg)
{
    struct waiter *w = arg;
    w->sem_result = sem_add(w->sem, 0, -1, 0);
    return NULL;
}

static void *msg_waiter(void *arg)
{
    struct waiter *w = arg;
    struct message {
        long mtype;
        char mtext[16];
    } m;
    w->msg_result = (int)msgrcv(w->msg, &m, sizeof m.mtext, 0, 0);
    strcpy(w->text, m.mtext);
    return NULL;
}

static void *timed_waiter(void *arg)
{
    struct waiter *w = arg;
    struct sembuf op = {1, -1, 0};
    struct timespec limit = {0, 200 * 1000000L}, t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    errno = 0;
    w->timed_result = semtimedop(w->sem, &op, 1, &limit);
    w->timed_errno = errno;
    w->timed_ms = ms_since(&t0);
    return NULL;
}

/* Threads blocked in semop, msgrcv and semtimedop at once, in one process. */
static int case_threads(int argc, char **argv)
{
    (void)argc, (void)argv;
    struct waiter w = {.sem = new_sem(2), .msg = new_msg()};
    pthread_t t[3];
    CHECK(pthread_create(&t[0], NULL, sem_waiter, &w) == 0);
    CHECK(pthread_create(&t[1], NULL, msg_waiter, &w) == 0);
    CHECK(pthread_create(&t[2], NULL, timed_waiter, &w) == 0);
    sleep_ms(100);
    CHECK(sem_add(w.sem, 0, 1, 0) == 0);
    struct {
        long mtype;
        char mtext[16];
    } m = {6, "to a thread"};
    CHECK(msgsnd(w.msg, &m, 12, 0) == 0);
    for (int i = 0; i < 3; i++)
        CHECK(pthread_join(t[i], NULL) == 0);
    printf("semop in a thread: %d\n", w.sem_result);
    printf("msgrcv in a thread: %d \"%s\"\n", w.msg_result, w.text);
    printf("semtimedop in a thread: %d %s, waited enough: %d\n", w.timed_result,
           w.timed_errno == EAGAIN ? "EAGAIN" : strerror(w.timed_errno), w.timed_ms >= 190);
    cleanup();
    return 0;
}

/* ---- message queues ---- */

struct message {
    long mtype;
    char mtext[64];
};

static void send(int q, long type, const char *text)
{
    struct message m = {type, ""};
    strcpy(m.mtext, text);
    CHECK(msgsnd(q, &m, strlen(text) + 1, 0) == 0);
}

static void receive(int q, long type, int flags, const char *what)
{
    struct message m;
    memset(&m, 0, sizeof m);
    ssize_t n = msgrcv(q, &m, sizeof m.mtext, type, flags | IPC_NOWAIT);
    if (n < 0)
        printf("%s: %s\n", what, errno == ENOMSG ? "ENOMSG" : strerror(errno));
    else
        printf("%s: type %ld \"%s\" (%zd bytes)\n", what, m.mtype, m.mtext, n);
}

static int case_msg_types(int argc, char **argv)
{
    (void)argc, (void)argv;
    int q = new_msg();
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        send(q, 3, "three");
        send(q, 1, "one");
        send(q, 2, "two");
        send(q, 5, "five");
        send(q, 2, "two again");
        send(q, 1, "one again");
        _exit(0);
    }
    wait_all();
    struct msqid_ds ds;
    CHECK(msgctl(q, IPC_STAT, &ds) == 0);
    printf("queued: qnum %lu cbytes %lu, lspid %s, mode %03o\n", (unsigned long)ds.msg_qnum, (unsigned long)ds.msg_cbytes,
           ds.msg_lspid == pid ? "the child" : "?", ds.msg_perm.mode & 0777);
    receive(q, 2, 0, "msgtyp 2");
    receive(q, -2, 0, "msgtyp -2");
    receive(q, 0, 0, "msgtyp 0");
    receive(q, 1, MSG_EXCEPT, "msgtyp 1 MSG_EXCEPT");
    receive(q, 4, 0, "msgtyp 4");
    receive(q, -10, 0, "msgtyp -10");
    receive(q, 0, 0, "msgtyp 0");
    receive(q, 0, 0, "msgtyp 0");
    receive(q, 0, 0, "empty");
    CHECK(msgctl(q, IPC_STAT, &ds) == 0);
    printf("qnum %lu, lrpid %s\n", (unsigned long)ds.msg_qnum, ds.msg_lrpid == owner ? "self" : "?");
    ds.msg_qbytes = 1000;
    CHECK(msgctl(q, IPC_SET, &ds) == 0);
    CHECK(msgctl(q, IPC_STAT, &ds) == 0);
    printf("after IPC_SET: qbytes %lu\n", (unsigned long)ds.msg_qbytes);
    struct msginfo info;
    CHECK(msgctl(0, IPC_INFO, (struct msqid_ds *)&info) >= 0);
    printf("msginfo: msgmax > 0: %d, msgmni > 0: %d\n", info.msgmax > 0, info.msgmni > 0);
    CHECK(msgctl(q, IPC_RMID, NULL) == 0);
    forget(msg_ids, &n_msg, q);
    return 0;
}

static int case_msg_errors(int argc, char **argv)
{
    (void)argc, (void)argv;
    int q = new_msg();
    struct message m = {0, "no type"};
    printf("mtype 0: %s\n", msgsnd(q, &m, 8, 0) == -1 && errno == EINVAL ? "EINVAL" : "?");
    send(q, 9, "a long message text");
    struct message small;
    printf("too small a buffer: %s\n", msgrcv(q, &small, 5, 0, IPC_NOWAIT) == -1 && errno == E2BIG ? "E2BIG" : "?");
    ssize_t n = msgrcv(q, &small, 6, 0, IPC_NOWAIT | MSG_NOERROR);
    printf("MSG_NOERROR: %zd bytes \"%.6s\"\n", n, small.mtext);
    struct msqid_ds ds;
    CHECK(msgctl(q, IPC_STAT, &ds) == 0);
    printf("qnum %lu\n", (unsigned long)ds.msg_qnum);
    /* Blocked calls, and the helper that ends their waits: a message sent, room made, the
     * queue removed. */
    if (start_helper() == 0) {
        await_cue();
        send(q, 4, "late");
        await_cue();
        struct message out;
        CHECK(msgrcv(q, &out, sizeof out.mtext, 0, 0) == 60);
        await_cue();
        CHECK(msgctl(q, IPC_RMID, NULL) == 0);
        _exit(0);
    }
    cue();
    struct message got;
    n = msgrcv(q, &got, sizeof got.mtext, 4, 0);
    printf("blocked msgrcv: %zd bytes, type %ld \"%s\"\n", n, got.mtype, got.mtext);
    /* A full queue blocks msgsnd until a receive makes room. */
    ds.msg_qbytes = 64;
    CHECK(msgctl(q, IPC_SET, &ds) == 0);
    struct message big = {1, ""};
    memset(big.mtext, 'x', 60);
    CHECK(msgsnd(q, &big, 60, 0) == 0);
    printf("full queue, IPC_NOWAIT: %s\n", msgsnd(q, &big, 60, IPC_NOWAIT) == -1 && errno == EAGAIN ? "EAGAIN" : "?");
    cue();
    printf("blocked msgsnd: %d\n", msgsnd(q, &big, 60, 0));
    CHECK(msgrcv(q, &got, sizeof got.mtext, 0, IPC_NOWAIT) == 60);
    cue();
    errno = 0;
    n = msgrcv(q, &got, sizeof got.mtext, 0, 0);
    printf("queue removed while waiting: %zd %s\n", n, errno == EIDRM ? "EIDRM" : strerror(errno));
    wait_all();
    forget(msg_ids, &n_msg, q);
    return 0;
}

static const struct guest_case cases[] = {
    {"shm_fork", case_shm_fork},
    {"shm_stat", case_shm_stat},
    {"shm_rmid", case_shm_rmid},
    {"shm_errors", case_shm_errors},
    {"shm_rdonly", case_shm_rdonly},
    {"shm_pieces", case_shm_pieces},
    {"shm_exec", case_shm_exec},
    {"sem_lock", case_sem_lock},
    {"sem_values", case_sem_values},
    {"sem_wait", case_sem_wait},
    {"threads", case_threads},
    {"msg_types", case_msg_types},
    {"msg_errors", case_msg_errors},
};

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    owner = getpid();
    return RUN_CASE("sysvipc", cases, argc, argv);
}

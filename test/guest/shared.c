/*
 * urun guest tests for shared memory: MAP_SHARED anonymous and file mappings
 * across fork, process-shared mutexes, write-through and coherence with
 * read/pwrite, msync, mremap, shm_open, POSIX message queues, system calls
 * given buffers at the top of user space.
 *
 *     shared <case> <scratch dir>
 *
 * Output is deterministic (no pids, no addresses).  Each case leaves its
 * scratch directory empty.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mqueue.h>
#include <time.h>
#include <poll.h>
#include <signal.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cases.h"

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (!(cond)) {                                                              \
            printf("CHECK failed line %d: %s (errno %d)\n", __LINE__, #cond, errno); \
            exit(1);                                                                \
        }                                                                           \
    } while (0)

static char path[512];

static int scratch_file(char **argv, const char *name, size_t size)
{
    snprintf(path, sizeof path, "%s/%s", argv[2], name);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    CHECK(ftruncate(fd, (off_t)size) == 0);
    return fd;
}

static void wait_all(void)
{
    int st;
    while (wait(&st) > 0)
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* A counter under a process-shared mutex, incremented by three processes. */
static int case_anon_mutex(int argc, char **argv)
{
    (void)argc, (void)argv;
    struct shared {
        pthread_mutex_t lock;
        int counter;
        int unlocked_counter;
    } *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(s != MAP_FAILED);
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    CHECK(pthread_mutex_init(&s->lock, &attr) == 0);
    enum { ROUNDS = 5000 };
    for (int c = 0; c < 2; c++) {
        if (fork() == 0) {
            for (int i = 0; i < ROUNDS; i++) {
                pthread_mutex_lock(&s->lock);
                s->counter++;
                pthread_mutex_unlock(&s->lock);
            }
            __atomic_fetch_add(&s->unlocked_counter, 1, __ATOMIC_SEQ_CST);
            _exit(0);
        }
    }
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&s->lock);
        s->counter++;
        pthread_mutex_unlock(&s->lock);
    }
    wait_all();
    printf("counter %d (expected %d), children done %d\n", s->counter, 3 * ROUNDS, s->unlocked_counter);
    return 0;
}

/* A private mapping made before the fork is not shared; a shared one is, both ways. */
static int case_anon_both_ways(int argc, char **argv)
{
    (void)argc, (void)argv;
    volatile int *shared = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    volatile int *private = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(shared != MAP_FAILED && private != MAP_FAILED);
    printf("fresh shared pages read %d %d\n", shared[0], shared[2047]);
    shared[0] = 1;
    shared[2047] = 10;
    private[0] = 1;
    int to_child[2], to_parent[2];
    CHECK(pipe(to_child) == 0 && pipe(to_parent) == 0);
    char b;
    if (fork() == 0) {
        printf("child sees %d %d\n", shared[0], shared[2047]);
        shared[0] = 2;
        private[0] = 2;
        CHECK(write(to_parent[1], "x", 1) == 1);
        CHECK(read(to_child[0], &b, 1) == 1);
        printf("child sees the parent's %d\n", shared[1]);
        _exit(0);
    }
    CHECK(read(to_parent[0], &b, 1) == 1);
    printf("parent sees shared %d private %d\n", shared[0], private[0]);
    shared[1] = 3;
    CHECK(write(to_child[1], "x", 1) == 1);
    wait_all();
    /* a grandchild made by the child shares the same pages */
    if (fork() == 0) {
        if (fork() == 0) {
            shared[3] = 4;
            _exit(0);
        }
        wait_all();
        _exit(0);
    }
    wait_all();
    printf("grandchild wrote %d\n", shared[3]);
    return 0;
}

/* Stores through a mapping reach the file; writes to the file reach the mapping. */
static int case_file_coherent(int argc, char **argv)
{
    (void)argc;
    int fd = scratch_file(argv, "coherent", 8192);
    char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(p != MAP_FAILED);
    strcpy(p, "stored through the mapping");
    char buf[64] = {0};
    CHECK(pread(fd, buf, 26, 0) == 26);
    printf("pread: %s\n", buf);
    CHECK(pwrite(fd, "PWRITE", 6, 4096) == 6);
    printf("mapping: %.6s\n", p + 4096);
    /* a second mapping of the same page, at another address */
    char *q = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 4096);
    CHECK(q != MAP_FAILED && q != p + 4096);
    p[4096] = 'p';
    printf("second mapping: %.6s\n", q);
    /* another process's stores */
    if (fork() == 0) {
        strcpy(p + 100, "from the child");
        _exit(0);
    }
    wait_all();
    printf("child stored: %s\n", p + 100);
    CHECK(msync(p, 8192, MS_SYNC) == 0);
    CHECK(munmap(p, 8192) == 0 && munmap(q, 4096) == 0);
    /* after munmap, the file keeps what was stored */
    int again = open(path, O_RDONLY);
    CHECK(read(again, buf, 26) == 26);
    printf("file after munmap: %.26s\n", buf);
    close(again);
    close(fd);
    unlink(path);
    return 0;
}

/* What the kernel refuses: writable shared mappings of read-only descriptors. */
static int case_file_errors(int argc, char **argv)
{
    (void)argc;
    int fd = scratch_file(argv, "errors", 4096);
    int ro = open(path, O_RDONLY);
    int wo = open(path, O_WRONLY);
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0);
    printf("rw shared of O_RDONLY: %s\n", p == MAP_FAILED && errno == EACCES ? "EACCES" : "?");
    p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, wo, 0);
    printf("shared of O_WRONLY: %s\n", p == MAP_FAILED && errno == EACCES ? "EACCES" : "?");
    p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, ro, 0);
    CHECK(p != MAP_FAILED);
    int r = mprotect(p, 4096, PROT_READ | PROT_WRITE);
    printf("mprotect to writable: %s\n", r == -1 && errno == EACCES ? "EACCES" : "?");
    p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
    printf("rw private of O_RDONLY: %s\n", p != MAP_FAILED ? "ok" : "failed");
    close(ro);
    close(wo);
    close(fd);
    unlink(path);
    return 0;
}

/* mremap keeps a shared mapping's contents and its link to the file. */
static int case_mremap(int argc, char **argv)
{
    (void)argc;
    int fd = scratch_file(argv, "mremap", 3 * 4096);
    char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(p != MAP_FAILED);
    strcpy(p, "first page");
    /* something right after it, so that growing must move */
    void *block = mmap(p + 4096, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    char *q = mremap(p, 4096, 3 * 4096, MREMAP_MAYMOVE);
    CHECK(q != MAP_FAILED);
    printf("moved %s, first page: %s\n", block != MAP_FAILED ? (q != p ? "yes" : "no") : "maybe", q);
    strcpy(q + 8192, "third page");
    char buf[16] = {0};
    CHECK(pread(fd, buf, 10, 8192) == 10);
    printf("file's third page: %s\n", buf);
    close(fd);
    unlink(path);
    return 0;
}

/* POSIX shared memory: shm_open is a file under /dev/shm. */
static int case_shm_open(int argc, char **argv)
{
    (void)argc, (void)argv;
    char name[64];
    snprintf(name, sizeof name, "/urun-test-%s", argv[1]);
    shm_unlink(name);
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    CHECK(fd >= 0);
    CHECK(ftruncate(fd, 4096) == 0);
    volatile int *n = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(n != MAP_FAILED);
    if (fork() == 0) {
        /* the child opens it by name and maps it again */
        int cfd = shm_open(name, O_RDWR, 0);
        CHECK(cfd >= 0);
        volatile int *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0);
        CHECK(m != MAP_FAILED);
        m[5] = 55;
        _exit(0);
    }
    wait_all();
    printf("parent reads %d\n", n[5]);
    CHECK(shm_unlink(name) == 0);
    return 0;
}

/* POSIX message queues: priorities, attributes, EMSGSIZE, O_NONBLOCK through
 * mq_setattr, a timed receive that times out, a blocked receive that a forked child's
 * send ends, and unlinking. */
static int case_mqueue(int argc, char **argv)
{
    (void)argc, (void)argv;
    char name[64];
    snprintf(name, sizeof name, "/urun-test-mq-%d", (int)getpid());
    struct mq_attr attr = {.mq_maxmsg = 4, .mq_msgsize = 32};
    mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
    CHECK(q != (mqd_t)-1);
    printf("open again with O_EXCL: %s\n", errname(mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr) == (mqd_t)-1 ? errno : 0));
    CHECK(mq_send(q, "low", 4, 1) == 0);
    CHECK(mq_send(q, "high", 5, 9) == 0);
    CHECK(mq_send(q, "middle", 7, 5) == 0);
    struct mq_attr got;
    CHECK(mq_getattr(q, &got) == 0);
    printf("maxmsg %ld msgsize %ld curmsgs %ld nonblock %d\n", got.mq_maxmsg, got.mq_msgsize, got.mq_curmsgs,
           (got.mq_flags & O_NONBLOCK) != 0);
    char buf[64];
    unsigned prio;
    for (int i = 0; i < 3; i++) {
        ssize_t n = mq_receive(q, buf, sizeof buf, &prio);
        printf("received %zd '%s' priority %u\n", n, n > 0 ? buf : "", prio);
    }
    printf("send too long: %s\n", errname(mq_send(q, buf, 33, 0) < 0 ? errno : 0));
    printf("receive into a short buffer: %s\n", errname(mq_receive(q, buf, 8, &prio) < 0 ? errno : 0));
    struct mq_attr nonblock = {.mq_flags = O_NONBLOCK};
    CHECK(mq_setattr(q, &nonblock, NULL) == 0);
    CHECK(mq_getattr(q, &got) == 0);
    printf("nonblock now %d, empty receive: %s\n", (got.mq_flags & O_NONBLOCK) != 0,
           errname(mq_receive(q, buf, sizeof buf, &prio) < 0 ? errno : 0));
    nonblock.mq_flags = 0;
    CHECK(mq_setattr(q, &nonblock, NULL) == 0);
    struct timespec until = realtime_after_ms(20);
    printf("timed receive: %s\n", errname(mq_timedreceive(q, buf, sizeof buf, &prio, &until) < 0 ? errno : 0));
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        mqd_t c = mq_open(name, O_WRONLY);
        CHECK(c != (mqd_t)-1);
        usleep(30000);
        CHECK(mq_send(c, "from the child", 15, 3) == 0);
        _exit(0);
    }
    ssize_t n = mq_receive(q, buf, sizeof buf, &prio);
    printf("waited for the child: %zd '%s' priority %u\n", n, n > 0 ? buf : "", prio);
    wait_all();
    CHECK(mq_close(q) == 0);
    printf("unlink: %s\n", errname(mq_unlink(name) < 0 ? errno : 0));
    printf("unlink again: %s\n", errname(mq_unlink(name) < 0 ? errno : 0));
    printf("open a missing queue: %s\n", errname(mq_open(name, O_RDONLY) == (mqd_t)-1 ? errno : 0));
    return 0;
}

/* Private pages behind PROT_NONE: what mprotect keeps and what a new mapping clears (Go
   reserves its heap PROT_NONE and maps pieces of it later), also in a forked child. */
static int sum_bytes(const char *p, size_t n)
{
    int sum = 0;
    for (size_t i = 0; i < n; i++) sum += (unsigned char)p[i];
    return sum;
}

static int case_prot_none(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    char *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    memset(p, 0x5a, 4 * 4096);
    /* closed and opened again: the data stays */
    CHECK(mprotect(p, 4 * 4096, PROT_NONE) == 0);
    CHECK(mprotect(p, 4096, PROT_READ | PROT_WRITE) == 0);
    printf("kept through PROT_NONE: %d\n", sum_bytes(p, 4096) == 0x5a * 4096);
    /* a new PROT_NONE mapping over written pages, then opened: zeros */
    CHECK(mmap(p + 4096, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == p + 4096);
    CHECK(mprotect(p + 4096, 4096, PROT_READ) == 0);
    printf("PROT_NONE mapping over data, opened: sum %d\n", sum_bytes(p + 4096, 4096));
    /* a reservation mapped writable in a piece, used, unmapped and mapped again: zeros each time */
    char *r = mmap(NULL, 64 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(r != MAP_FAILED);
    for (int round = 0; round < 2; round++) {
        CHECK(mmap(r + 8 * 4096, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == r + 8 * 4096);
        printf("round %d: fresh piece sum %d\n", round, sum_bytes(r + 8 * 4096, 2 * 4096));
        memset(r + 8 * 4096, 0x33, 2 * 4096);
        CHECK(mmap(r + 8 * 4096, 2 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == r + 8 * 4096);
    }
    /* a forked child gets pages closed with data in them, and reopens them */
    CHECK(mprotect(p + 2 * 4096, 2 * 4096, PROT_NONE) == 0);
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        CHECK(mmap(p + 3 * 4096, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == p + 3 * 4096);
        printf("child: new mapping over a closed page: sum %d\n", sum_bytes(p + 3 * 4096, 4096));
        CHECK(mprotect(p + 2 * 4096, 4096, PROT_READ) == 0);
        printf("child: closed page kept: %d\n", sum_bytes(p + 2 * 4096, 4096) == 0x5a * 4096);
        _exit(0);
    }
    wait_all();
    CHECK(munmap(p, 4 * 4096) == 0 && munmap(r, 64 * 4096) == 0);
    return 0;
}

static volatile sig_atomic_t on_alt_stack;
static char *high_area;

static void on_usr1(int sig)
{
    (void)sig;
    char here;
    on_alt_stack = &here >= high_area + 32 * 4096 && &here < high_area + 48 * 4096;
}

static void *echo_thread(void *arg)
{
    return (char *)arg + 1;
}

/*
 * Buffers at the highest page range user space can map (on ARM above
 * 0x80000000, where a 32-bit address is negative as a signed word), handed
 * to system calls that read and write guest memory.
 */
static int case_high_buffers(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    const size_t size = 128 * 4096;
    char *h = MAP_FAILED;
    for (unsigned long at = 0xfe000000ul; at >= 0x10000000ul && h == MAP_FAILED; at -= 0x01000000ul)
        h = mmap((void *)at, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    CHECK(h != MAP_FAILED);
    high_area = h;
    /* a path, a pipe's descriptors, then writes and reads through the area */
    strcpy(h, "/");
    CHECK(chdir(h) == 0);
    CHECK(getcwd(h + 64, 256) != NULL);
    printf("getcwd: %s\n", h + 64);
    int *fds = (int *)(h + 512);
    CHECK(pipe(fds) == 0);
    strcpy(h + 1024, "through the top of memory\n");
    CHECK(write(fds[1], h + 1024, strlen(h + 1024)) == (ssize_t)strlen(h + 1024));
    struct pollfd *pf = (struct pollfd *)(h + 2048);
    pf[0] = (struct pollfd){.fd = fds[0], .events = POLLIN};
    pf[1] = (struct pollfd){.fd = fds[1], .events = POLLOUT};
    printf("poll: %d %x %x\n", poll(pf, 2, 1000), pf[0].revents, pf[1].revents);
    fd_set *rd = (fd_set *)(h + 3072);
    FD_ZERO(rd);
    FD_SET(fds[0], rd);
    struct timeval *tv = (struct timeval *)(h + 3584);
    *tv = (struct timeval){.tv_sec = 1};
    printf("select: %d %d\n", select(fds[0] + 1, rd, NULL, NULL, tv), FD_ISSET(fds[0], rd) != 0);
    struct iovec *iov = (struct iovec *)(h + 4096);
    iov[0] = (struct iovec){h + 8192, 8};
    iov[1] = (struct iovec){h + 8192 + 100, 100};
    ssize_t n = readv(fds[0], iov, 2);
    h[8192 + 100 + (n - 8)] = 0;
    printf("readv: %zd '%.8s' '%s'", n, h + 8192, h + 8192 + 100);
    CHECK(writev(1, iov, 1) == 8);
    printf("\n");
    /* structs the kernel fills */
    struct utsname *u = (struct utsname *)(h + 12288);
    CHECK(uname(u) == 0);
    printf("uname: %s\n", u->sysname);
    struct stat *st = (struct stat *)(h + 16384);
    CHECK(fstat(fds[0], st) == 0);
    printf("fstat: fifo %d\n", S_ISFIFO(st->st_mode));
    struct timespec *ts = (struct timespec *)(h + 17000);
    CHECK(clock_gettime(CLOCK_MONOTONIC, ts) == 0);
    ts[1] = (struct timespec){.tv_nsec = 1000000};
    CHECK(nanosleep(&ts[1], &ts[2]) == 0);
    /* a futex word and its timeout there */
    int *word = (int *)(h + 18000);
    *word = 7;
    ts[1] = (struct timespec){.tv_nsec = 2000000};
    long r = syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, 7, &ts[1], NULL, 0);
    printf("futex wait: %ld %s\n", r, r == -1 && errno == ETIMEDOUT ? "ETIMEDOUT" : "?");
    /* a socket pair's descriptors and a message with its header, vector and data there */
    int *sv = (int *)(h + 19000);
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    struct msghdr *m = (struct msghdr *)(h + 20000);
    memset(m, 0, sizeof *m);
    strcpy(h + 21000, "message");
    iov[0] = (struct iovec){h + 21000, 7};
    m->msg_iov = iov;
    m->msg_iovlen = 1;
    CHECK(sendmsg(sv[0], m, 0) == 7);
    iov[0] = (struct iovec){h + 22000, 64};
    n = recvmsg(sv[1], m, 0);
    printf("recvmsg: %zd '%.*s'\n", n, (int)n, h + 22000);
    /* signal masks, a disposition and an alternate stack there; a thread whose stack is there */
    sigset_t *set = (sigset_t *)(h + 23000);
    sigemptyset(set);
    sigaddset(set, SIGUSR2);
    CHECK(sigprocmask(SIG_BLOCK, set, set + 1) == 0);
    CHECK(sigprocmask(SIG_SETMASK, set + 1, set + 2) == 0);
    printf("sigprocmask: old mask had SIGUSR2 %d\n", sigismember(set + 2, SIGUSR2));
    stack_t *ss = (stack_t *)(h + 24000);
    *ss = (stack_t){.ss_sp = h + 32 * 4096, .ss_size = 16 * 4096};
    CHECK(sigaltstack(ss, NULL) == 0);
    struct sigaction *sa = (struct sigaction *)(h + 25000);
    memset(sa, 0, sizeof *sa);
    sa->sa_handler = on_usr1;
    sa->sa_flags = SA_ONSTACK;
    CHECK(sigaction(SIGUSR1, sa, sa + 1) == 0);
    CHECK(raise(SIGUSR1) == 0);
    printf("handler ran on the alternate stack: %d\n", (int)on_alt_stack);
    pthread_attr_t attr;
    pthread_t t;
    void *ret;
    CHECK(pthread_attr_init(&attr) == 0);
    CHECK(pthread_attr_setstack(&attr, h + 64 * 4096, 64 * 4096) == 0);
    CHECK(pthread_create(&t, &attr, echo_thread, h) == 0);
    CHECK(pthread_join(t, &ret) == 0);
    printf("thread on a stack there returned its argument + 1: %d\n", ret == h + 1);
    CHECK(munmap(h, size) == 0);
    return 0;
}

/* munmap and mremap of a file mapping keep the process's fcntl locks on the file (urun's
   host mapping holds a descriptor of its own: closing it would drop them) */
static int lock_seen_by_child(int fd)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1};
        CHECK(fcntl(fd, F_GETLK, &fl) == 0);
        _exit(fl.l_type == F_WRLCK ? 0 : 1);
    }
    int st;
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st));
    return WEXITSTATUS(st) == 0;
}

static int case_file_lock_unmap(int argc, char **argv)
{
    int fd = scratch_file(argv, "locked", 4096);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1};
    CHECK(fcntl(fd, F_SETLK, &fl) == 0);
    printf("locked: held %d\n", lock_seen_by_child(fd));
    char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(m != MAP_FAILED);
    CHECK(munmap(m, 4096) == 0);
    printf("after munmap: held %d\n", lock_seen_by_child(fd));
    for (int i = 0; i < 50; i++) {
        m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        CHECK(m != MAP_FAILED);
        m[0]++;
        CHECK(munmap(m, 4096) == 0);
    }
    printf("after 50 more: held %d\n", lock_seen_by_child(fd));
    CHECK(ftruncate(fd, 3 * 4096) == 0);
    m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(m != MAP_FAILED);
    m = mremap(m, 4096, 3 * 4096, MREMAP_MAYMOVE);
    CHECK(m != MAP_FAILED);
    printf("after mremap: held %d, byte %d\n", lock_seen_by_child(fd), m[0]);
    CHECK(munmap(m, 3 * 4096) == 0);
    CHECK(close(fd) == 0);
    /* closing the descriptor drops them, as it does on Linux */
    fd = open(path, O_RDWR);
    CHECK(fd >= 0);
    printf("after close: held %d\n", lock_seen_by_child(fd));
    CHECK(close(fd) == 0);
    CHECK(unlink(path) == 0);
    return 0;
}

static const struct guest_case cases[] = {
    {"anon_mutex", case_anon_mutex},
    {"anon_both_ways", case_anon_both_ways},
    {"file_coherent", case_file_coherent},
    {"file_errors", case_file_errors},
    {"file_lock_unmap", case_file_lock_unmap},
    {"mremap", case_mremap},
    {"shm_open", case_shm_open},
    {"mqueue", case_mqueue},
    {"prot_none", case_prot_none},
    {"high_buffers", case_high_buffers},
};

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    return RUN_CASE("shared", cases, argc, argv);
}

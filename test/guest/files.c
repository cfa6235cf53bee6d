/*
 * urun guest tests for files as the kernel has them: record locks, OFD locks
 * and flock between processes, seeking a redirected stdin, errno for path and
 * argument errors, mincore, statx, fallocate, copy_file_range, inotify,
 * directory streams, the *at calls, memfds, preadv2, niceness, terminals (a pseudo-terminal's termios
 * and window size), and what /proc and /sys tell a program about its CPU.
 *
 *     files <case> [args...]
 *
 * Output is deterministic: pids are only compared, errors are printed by
 * errno name, and terminal flags by name (their values differ per arch).
 * Cases with scratch files take an empty directory as argv[2] and leave it
 * empty. `cat`, `nproc` and `listdir` print host-dependent facts: the
 * vitest file (test/files.test.ts) checks them itself.
 */
#define _GNU_SOURCE
/* Scratch paths are short; long ones are built on purpose for the ENAMETOOLONG cases. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/xattr.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <netinet/in.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <linux/fs.h>
#include <linux/random.h>
#include <sys/mount.h>
#include <sys/mtio.h>
#include <linux/kd.h>
#include <linux/vt.h>
#include <linux/fiemap.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <grp.h>
#include <sys/sendfile.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cases.h"

/* Prints "label: OK" or "label: -1 ENAME" for a call's result. */
static void show(const char *label, long r)
{
    if (r < 0)
        printf("%s: -1 %s\n", label, errname(errno));
    else
        printf("%s: OK\n", label);
}

static char scratch[4096];

static const char *in_dir(const char *dir, const char *name)
{
    snprintf(scratch, sizeof scratch, "%s/%s", dir, name);
    return scratch;
}

static void write_all(int fd, const char *s)
{
    size_t n = strlen(s);
    if (write(fd, s, n) != (ssize_t)n)
        perror("write");
}

/* ------------------------------------------------------------------------ */
/* Locks                                                                    */
/* ------------------------------------------------------------------------ */

static int set_lock(int fd, int cmd, short type, off_t start, off_t len)
{
    struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
    return fcntl(fd, cmd, &fl);
}

static void on_alarm(int sig)
{
    (void)sig;
}

static int case_locks(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    char path[4096];
    snprintf(path, sizeof path, "%s/locked", argv[2]);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    write_all(fd, "0123456789abcdefghij");
    int ready[2], go[2], pids[2];
    if (pipe(ready) || pipe(go) || pipe(pids))
        return 1;

    /* The parent holds bytes 0-9; a child cannot take them, sees who holds them,
     * and gets them with F_SETLKW once the parent lets go. */
    show("parent F_SETLK write 0-9", set_lock(fd, F_SETLK, F_WRLCK, 0, 10));
    pid_t child = fork();
    if (child == 0) {
        int cfd = open(path, O_RDWR);
        errno = 0;
        show("child F_SETLK write 5-14", set_lock(cfd, F_SETLK, F_WRLCK, 5, 10));
        show("child F_SETLK read 10-19", set_lock(cfd, F_SETLK, F_RDLCK, 10, 10));
        struct flock q = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
        show("child F_GETLK", fcntl(cfd, F_GETLK, &q));
        printf("child sees: type %s, start %ld, len %ld, holder is parent %s\n",
               q.l_type == F_WRLCK ? "F_WRLCK" : q.l_type == F_RDLCK ? "F_RDLCK" : "F_UNLCK", (long)q.l_start,
               (long)q.l_len, q.l_pid == getppid() ? "yes" : "no");
        fflush(stdout);
        if (write(ready[1], "r", 1) != 1)
            _exit(1);
        show("child F_SETLKW write 0-9", set_lock(cfd, F_SETLKW, F_WRLCK, 0, 10));
        /* Held now: tell the parent who we are, and hold on until it has looked. */
        pid_t me = getpid();
        if (write(pids[1], &me, sizeof me) != sizeof me)
            _exit(1);
        char c;
        if (read(go[0], &c, 1) != 1)
            _exit(1);
        _exit(0);
    }
    char c;
    if (read(ready[0], &c, 1) != 1)
        return 1;
    struct timespec pause = { 0, 100 * 1000 * 1000 };
    nanosleep(&pause, NULL);
    int unlocked = set_lock(fd, F_SETLK, F_UNLCK, 0, 10);
    pid_t child_pid;
    if (read(pids[0], &child_pid, sizeof child_pid) != sizeof child_pid)
        return 1;
    show("parent F_SETLK unlock 0-9 (before the child got it)", unlocked);
    struct flock q = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
    show("parent F_GETLK", fcntl(fd, F_GETLK, &q));
    printf("parent sees: type %s, holder pid equals the child's getpid %s, child's fork pid too %s\n",
           q.l_type == F_WRLCK ? "F_WRLCK" : "other", q.l_pid == child_pid ? "yes" : "no", q.l_pid == child ? "yes" : "no");
    /* F_SETLKW waits, and a signal without SA_RESTART ends the wait with EINTR. */
    struct sigaction sa = { .sa_handler = on_alarm };
    sigaction(SIGALRM, &sa, NULL);
    ualarm(300000, 0);
    show("parent F_SETLKW interrupted", set_lock(fd, F_SETLKW, F_WRLCK, 0, 10));
    ualarm(0, 0);
    if (write(go[1], "g", 1) != 1)
        return 1;
    int status;
    waitpid(child, &status, 0);
    printf("child exit %d\n", WEXITSTATUS(status));
    show("parent F_SETLKW after the child", set_lock(fd, F_SETLKW, F_WRLCK, 0, 10));

    /* 64-bit offsets through struct flock64 (F_SETLK64/F_GETLK64). */
    struct flock64 big = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 5000000000LL, .l_len = 100 };
    show("parent F_SETLK64 at 5e9", fcntl(fd, F_SETLK64, &big));
    child = fork();
    if (child == 0) {
        struct flock64 g = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
        show("child F_GETLK64", fcntl(fd, F_GETLK64, &g));
        printf("child sees 64: start %lld, len %lld, parent %s\n", (long long)g.l_start, (long long)g.l_len,
               g.l_pid == getppid() ? "yes" : "no");
        /* (A 32-bit F_GETLK that finds this lock fails with EOVERFLOW on Linux, where
         * qemu-user answers from its 64-bit host: not compared here.) */
        _exit(0);
    }
    waitpid(child, &status, 0);

    /* Open file description locks: owned by the description, not the process. */
    int a = open(path, O_RDWR), b = open(path, O_RDWR);
    struct flock o = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 100, .l_len = 10 };
    show("OFD setlk on a", fcntl(a, F_OFD_SETLK, &o));
    show("OFD setlk on b", fcntl(b, F_OFD_SETLK, &o));
    struct flock og = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 105, .l_len = 1 };
    show("OFD getlk on b", fcntl(b, F_OFD_GETLK, &og));
    printf("OFD holder: type %s, start %ld, len %ld, pid %d\n", og.l_type == F_WRLCK ? "F_WRLCK" : "other",
           (long)og.l_start, (long)og.l_len, og.l_pid);
    o.l_type = F_UNLCK;
    show("OFD unlock on a", fcntl(a, F_OFD_SETLK, &o));
    o.l_type = F_WRLCK;
    show("OFD setlkw on b", fcntl(b, F_OFD_SETLKW, &o));
    struct flock bad = { .l_type = 7, .l_whence = SEEK_SET };
    show("F_SETLK bad type", fcntl(a, F_SETLK, &bad));
    show("F_SETLK bad address", fcntl(a, F_SETLK, (struct flock *)16));

    /* flock: per description; a forked child shares its parent's. */
    show("flock a LOCK_EX", flock(a, LOCK_EX));
    show("flock b LOCK_EX|LOCK_NB", flock(b, LOCK_EX | LOCK_NB));
    show("flock b LOCK_SH|LOCK_NB", flock(b, LOCK_SH | LOCK_NB));
    child = fork();
    if (child == 0) {
        show("child flock a LOCK_EX|LOCK_NB (shared description)", flock(a, LOCK_EX | LOCK_NB));
        _exit(0);
    }
    waitpid(child, &status, 0);
    child = fork();
    if (child == 0) {
        /* Blocks until the parent unlocks; the parent tells how it went (after its own line,
         * which the child's could otherwise overtake once the lock is free). */
        _exit(flock(b, LOCK_EX) == 0 ? 0 : 100 + errno);
    }
    nanosleep(&pause, NULL);
    show("flock a LOCK_UN", flock(a, LOCK_UN));
    waitpid(child, &status, 0);
    errno = WIFEXITED(status) ? WEXITSTATUS(status) - 100 : 0;
    show("child flock b LOCK_EX (waits)", WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1);
    show("flock bad op", flock(a, 0));
    close(a);
    close(b);
    close(fd);
    unlink(path);
    return 0;
}

/* F_SETLKW that would close a cycle of waiting processes fails with EDEADLK for
 * one of them, through one other process and through two: the parent holds 0-9,
 * child i holds 100*i, and each waits for the next one's bytes (the last child
 * for the parent's). Which one fails depends on who waits last, so what is
 * printed is how many failed; each lets go of its bytes once its wait ends, so
 * the others get theirs. */
static int lock_and_wait(int fd, off_t want, struct timespec *before)
{
    nanosleep(before, NULL);
    int r = set_lock(fd, F_SETLKW, F_WRLCK, want, 10);
    return r < 0 ? errno : 0;
}

static int case_lock_deadlock(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    char path[4096];
    snprintf(path, sizeof path, "%s/deadlock", argv[2]);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    show("parent F_SETLK write 0-9", set_lock(fd, F_SETLK, F_WRLCK, 0, 10));
    for (int n = 1; n <= 2; n++) {
        int results[2], held[2], go[2];
        if (pipe(results) || pipe(held) || pipe(go))
            return 1;
        pid_t kids[2];
        char c;
        for (int i = 1; i <= n; i++) {
            kids[i - 1] = fork();
            if (kids[i - 1] == 0) {
                int cfd = open(path, O_RDWR);
                set_lock(cfd, F_SETLK, F_WRLCK, 100 * i, 10);
                if (write(held[1], "h", 1) != 1 || read(go[0], &c, 1) != 1)
                    _exit(1);
                /* Once all hold their bytes: they wait one after the other, 300 ms apart. */
                struct timespec before = { 0, 300 * 1000 * 1000 * i };
                int e = lock_and_wait(cfd, i == n ? 0 : 100 * (i + 1), &before);
                if (write(results[1], &e, sizeof e) != sizeof e)
                    _exit(1);
                _exit(0);
            }
        }
        for (int i = 0; i < n; i++)
            if (read(held[0], &c, 1) != 1)
                return 1;
        for (int i = 0; i < n; i++)
            if (write(go[1], "g", 1) != 1)
                return 1;
        struct timespec before = { 0, 300 * 1000 * 1000 * (n + 1) };
        int e = lock_and_wait(fd, 100, &before);
        set_lock(fd, F_SETLK, F_UNLCK, 0, 0);
        int deadlocks = e == EDEADLK, got = e == 0;
        for (int i = 0; i < n; i++) {
            if (read(results[0], &e, sizeof e) != sizeof e)
                return 1;
            deadlocks += e == EDEADLK;
            got += e == 0;
        }
        int status;
        for (int i = 0; i < n; i++)
            waitpid(kids[i], &status, 0);
        printf("%d processes in a cycle: %d EDEADLK, %d got the lock\n", n + 1, deadlocks, got);
        show("parent F_SETLK write 0-9 again", set_lock(fd, F_SETLK, F_WRLCK, 0, 10));
        close(results[0]);
        close(results[1]);
        close(held[0]);
        close(held[1]);
        close(go[0]);
        close(go[1]);
    }
    close(fd);
    unlink(path);
    return 0;
}

/* A memfd sealed against writes still maps shared read-only; such a mapping
 * cannot be made writable, and a writable one is refused, as a write() is. */
static int case_memfd_seals(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    int seals[2] = { F_SEAL_WRITE, F_SEAL_FUTURE_WRITE };
    const char *names[2] = { "F_SEAL_WRITE", "F_SEAL_FUTURE_WRITE" };
    for (int i = 0; i < 2; i++) {
        printf("-- %s\n", names[i]);
        int m = memfd_create("sealed", MFD_ALLOW_SEALING);
        if (m < 0 || write(m, "sealed bytes", 12) != 12 || ftruncate(m, 4096))
            return 1;
        show("F_ADD_SEALS", fcntl(m, F_ADD_SEALS, seals[i]));
        show("write", write(m, "x", 1));
        void *rw = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, m, 0);
        show("mmap MAP_SHARED read-write", rw == MAP_FAILED ? -1 : 0);
        char *ro = mmap(NULL, 4096, PROT_READ, MAP_SHARED, m, 0);
        show("mmap MAP_SHARED read-only", ro == MAP_FAILED ? -1 : 0);
        if (ro != MAP_FAILED) {
            printf("reads: %.12s\n", ro);
            show("mprotect to read-write", mprotect(ro, 4096, PROT_READ | PROT_WRITE));
            munmap(ro, 4096);
        }
        char *priv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, m, 0);
        show("mmap MAP_PRIVATE read-write", priv == MAP_FAILED ? -1 : 0);
        close(m);
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Seeking stdin (a file given as standard input)                           */
/* ------------------------------------------------------------------------ */

static int case_stdin_seek(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    char buf[16] = { 0 };
    printf("read: %zd\n", read(0, buf, 4));
    printf("lseek SEEK_CUR: %ld\n", (long)lseek(0, 0, SEEK_CUR));
    printf("lseek SEEK_SET 10: %ld\n", (long)lseek(0, 10, SEEK_SET));
    memset(buf, 0, sizeof buf);
    printf("read: %zd '%s'\n", read(0, buf, 5), buf);
    pid_t child = fork();
    if (child == 0) {
        char c[8] = { 0 };
        printf("child read: %zd '%s'\n", read(0, c, 3), c);
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    printf("offset after the child read: %ld\n", (long)lseek(0, 0, SEEK_CUR));
    long end = (long)lseek(0, 0, SEEK_END);
    printf("SEEK_END: %ld\n", end);
    errno = 0;
    show("lseek bad whence", lseek(0, 0, 7));
    show("lseek negative", lseek(0, -100, SEEK_SET));
    int p[2];
    if (pipe(p))
        return 1;
    show("pipe lseek SEEK_SET", lseek(p[0], 0, SEEK_SET));
    show("pipe lseek bad whence", lseek(p[0], 0, 9));
    show("bad fd lseek", lseek(99, 0, SEEK_SET));
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Path and argument errors                                                 */
/* ------------------------------------------------------------------------ */

static int case_errors(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    const char *dir = argv[2];
    char file[4096], link1[4096], link2[4096], sub[4096];
    snprintf(file, sizeof file, "%s/file", dir);
    snprintf(link1, sizeof link1, "%s/loop1", dir);
    snprintf(link2, sizeof link2, "%s/loop2", dir);
    snprintf(sub, sizeof sub, "%s/sub", dir);
    close(open(file, O_CREAT | O_WRONLY, 0644));
    symlink("loop2", link1);
    symlink("loop1", link2);
    mkdir(sub, 0755);
    close(open(in_dir(sub, "x"), O_CREAT | O_WRONLY, 0644));

    char *longpath = malloc(5000);
    memset(longpath, 'a', 4999);
    longpath[4999] = 0;
    show("open path of 4999 bytes", open(longpath, O_RDONLY));
    for (int i = 0; i < 4999; i += 10)
        longpath[i] = '/';
    longpath[4095] = 0;
    show("open path of 4095 bytes", open(longpath, O_RDONLY));
    longpath[4095] = 'a';
    longpath[4096] = 0;
    show("open path of 4096 bytes", open(longpath, O_RDONLY));
    char comp[300];
    memset(comp, 'c', 299);
    comp[299] = 0;
    show("open component of 299 bytes", open(in_dir(dir, comp), O_RDONLY));
    show("stat component of 299 bytes", access(in_dir(dir, comp), F_OK));
    show("open symlink loop", open(link1, O_RDONLY));
    show("stat symlink loop", access(link1, F_OK));
    show("open O_NOFOLLOW symlink", open(link1, O_RDONLY | O_NOFOLLOW));
    show("open file/x", open(in_dir(file, "x"), O_RDONLY));
    show("open file/..", open(in_dir(file, ".."), O_RDONLY));
    show("open file O_DIRECTORY", open(file, O_RDONLY | O_DIRECTORY));
    int fd = open(file, O_RDONLY);
    show("openat file-dirfd", openat(fd, "x", O_RDONLY));
    show("openat bad dirfd", openat(77, "x", O_RDONLY));
    show("openat absolute with bad dirfd", openat(77, file, O_RDONLY));
    int dfd = open(sub, O_RDONLY | O_DIRECTORY);
    show("openat dirfd x", openat(dfd, "x", O_RDONLY));
    show("openat dirfd missing/..", openat(dfd, "missing/../x", O_RDONLY));
    show("open bad address", open((char *)8, O_RDONLY));
    show("open empty path", open("", O_RDONLY));
    show("mkdir existing", mkdir(sub, 0755));
    show("rmdir non-empty", rmdir(sub));
    show("unlink a directory", unlink(sub));
    show("rmdir a file", rmdir(file));
    show("lseek bad whence", lseek(fd, 0, 5));
    show("read a directory", read(dfd, longpath, 10));
    show("write read-only", write(fd, "x", 1));
    show("ftruncate read-only", ftruncate(fd, 0));
    show("fsync", fsync(fd));
    show("fdatasync", fdatasync(fd));
    show("syncfs", syncfs(fd));
    sync();
    show("fsync bad fd", fsync(99));
    show("ioctl TCGETS on a file", ioctl(fd, TCGETS, longpath));
    close(fd);
    close(dfd);
    unlink(in_dir(sub, "x"));
    rmdir(sub);
    unlink(link1);
    unlink(link2);
    unlink(file);
    free(longpath);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* mincore, statx, fallocate, copy_file_range, inotify, dirs, *at calls     */
/* ------------------------------------------------------------------------ */

static int case_fileops(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    const char *dir = argv[2];
    long page = sysconf(_SC_PAGESIZE);
    umask(022);

    /* mincore: touched pages are resident, untouched ones not; a hole is ENOMEM; an
     * unaligned start EINVAL. */
    char *m = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    m[0] = m[page] = m[2 * page] = 1;
    unsigned char vec[4] = { 9, 9, 9, 9 };
    show("mincore", mincore(m, 4 * page, vec));
    printf("resident: %d %d %d %d\n", vec[0] & 1, vec[1] & 1, vec[2] & 1, vec[3] & 1);
    munmap(m + 3 * page, page);
    show("mincore unaligned", mincore(m + 1, page, vec));
    munmap(m + page, page);
    show("mincore over a hole", mincore(m, 3 * page, vec));
    munmap(m, 3 * page);

    /* statx */
    char file[4096], link[4096];
    snprintf(file, sizeof file, "%s/data", dir);
    snprintf(link, sizeof link, "%s/link", dir);
    int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0640);
    write_all(fd, "hello, statx\n");
    symlink("data", link);
    struct statx sx;
    show("statx", statx(AT_FDCWD, link, 0, STATX_BASIC_STATS, &sx));
    printf("statx follow: regular %d, size %llu, mode %o, nlink %u, basic mask %s\n", S_ISREG(sx.stx_mode),
           (unsigned long long)sx.stx_size, sx.stx_mode & 07777, sx.stx_nlink,
           (sx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS ? "yes" : "no");
    show("statx nofollow", statx(AT_FDCWD, link, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx));
    printf("statx nofollow: symlink %d, size %llu\n", S_ISLNK(sx.stx_mode), (unsigned long long)sx.stx_size);
    show("statx empty path", statx(fd, "", AT_EMPTY_PATH, STATX_SIZE | STATX_MODE, &sx));
    printf("statx fd: regular %d, size %llu\n", S_ISREG(sx.stx_mode), (unsigned long long)sx.stx_size);
    struct stat st;
    fstat(fd, &st);
    printf("statx ino matches fstat: %s\n", sx.stx_ino == (unsigned long long)st.st_ino ? "yes" : "no");
    show("statx empty path without AT_EMPTY_PATH", statx(fd, "", 0, STATX_SIZE, &sx));
    show("statx missing", statx(AT_FDCWD, in_dir(dir, "nope"), 0, STATX_SIZE, &sx));
    show("statx bad flags", statx(AT_FDCWD, file, 0x40000000, STATX_SIZE, &sx));

    /* fallocate */
    show("fallocate 8192", fallocate(fd, 0, 0, 8192));
    fstat(fd, &st);
    printf("size after fallocate: %ld\n", (long)st.st_size);
    show("fallocate KEEP_SIZE", fallocate(fd, FALLOC_FL_KEEP_SIZE, 8192, 8192));
    fstat(fd, &st);
    printf("size after KEEP_SIZE: %ld\n", (long)st.st_size);
    show("fallocate bad len", fallocate(fd, 0, 0, 0));
    ftruncate(fd, 13);

    /* copy_file_range, with and without offsets */
    char copy[4096];
    snprintf(copy, sizeof copy, "%s/copy", dir);
    int out = open(copy, O_RDWR | O_CREAT | O_TRUNC, 0644);
    loff_t off_in = 7, off_out = 0;
    ssize_t n = copy_file_range(fd, &off_in, out, &off_out, 100, 0);
    printf("copy_file_range: %zd, offsets %lld %lld\n", n, (long long)off_in, (long long)off_out);
    lseek(fd, 0, SEEK_SET);
    n = copy_file_range(fd, NULL, out, NULL, 5, 0);
    char buf[64] = { 0 };
    pread(out, buf, sizeof buf - 1, 0);
    printf("copy: %zd, file '%s', position %ld\n", n, buf, (long)lseek(fd, 0, SEEK_CUR));
    show("copy_file_range bad flags", copy_file_range(fd, NULL, out, NULL, 5, 1));
    close(out);
    unlink(copy);

    /* inotify on one file */
    int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    show("inotify_init1", in);
    int wd = inotify_add_watch(in, file, IN_MODIFY | IN_CLOSE_WRITE);
    printf("watch descriptor positive: %s\n", wd > 0 ? "yes" : "no");
    char ev[4096] __attribute__((aligned(8)));
    show("read with nothing pending", read(in, ev, sizeof ev));
    int w = open(file, O_WRONLY | O_APPEND);
    write_all(w, "more\n");
    close(w);
    n = read(in, ev, sizeof ev);
    for (char *p = ev; p < ev + n;) {
        struct inotify_event *e = (struct inotify_event *)p;
        printf("event: wd ok %s, mask 0x%x, cookie %u, len %u\n", e->wd == wd ? "yes" : "no", e->mask, e->cookie, e->len);
        p += sizeof *e + e->len;
    }
    show("inotify_rm_watch", inotify_rm_watch(in, wd));
    n = read(in, ev, sizeof ev);
    for (char *p = ev; p < ev + n;) {
        struct inotify_event *e = (struct inotify_event *)p;
        printf("event: wd ok %s, mask 0x%x\n", e->wd == wd ? "yes" : "no", e->mask);
        p += sizeof *e + e->len;
    }
    show("inotify_rm_watch again", inotify_rm_watch(in, wd));
    int dwd = inotify_add_watch(in, dir, IN_CREATE);
    close(open(in_dir(dir, "born"), O_CREAT | O_WRONLY, 0644));
    struct pollfd pfd = { .fd = in, .events = POLLIN };
    printf("poll: %d\n", poll(&pfd, 1, 1000));
    n = read(in, ev, sizeof ev);
    for (char *p = ev; p < ev + n;) {
        struct inotify_event *e = (struct inotify_event *)p;
        printf("dir event: wd ok %s, mask 0x%x, name '%s'\n", e->wd == dwd ? "yes" : "no", e->mask, e->name);
        p += sizeof *e + e->len;
    }
    unlink(in_dir(dir, "born"));
    close(in);

    /* A directory to work in (its listing is the listdir case's business). */
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/dir", dir);
    mkdir(sub, 0755);
    for (int i = 0; i < 5; i++) {
        char name[4096];
        snprintf(name, sizeof name, "%s/entry-%02d", sub, i);
        close(open(name, O_CREAT | O_WRONLY, 0644));
    }
    int dfd = open(sub, O_RDONLY | O_DIRECTORY);
    show("getdents64 tiny buffer", syscall(SYS_getdents64, dfd, buf, 8));
    show("lseek dir SEEK_SET 0", lseek(dfd, 0, SEEK_SET));
    show("read a directory", read(dfd, buf, sizeof buf));

    /* The *at calls, relative to a directory descriptor. */
    show("mkdirat", mkdirat(dfd, "made", 0700));
    show("symlinkat", symlinkat("entry-00", dfd, "sym"));
    show("linkat", linkat(dfd, "entry-01", dfd, "hard", 0));
    show("linkat AT_SYMLINK_FOLLOW", linkat(dfd, "sym", dfd, "hard2", AT_SYMLINK_FOLLOW));
    show("fstatat hard2", fstatat(dfd, "hard2", &st, AT_SYMLINK_NOFOLLOW));
    printf("hard2 is regular %d, nlink %lu\n", S_ISREG(st.st_mode), (unsigned long)st.st_nlink);
    show("mknodat fifo", mknodat(dfd, "fifo", S_IFIFO | 0600, 0));
    show("fstatat fifo", fstatat(dfd, "fifo", &st, 0));
    printf("fifo is a fifo %d\n", S_ISFIFO(st.st_mode));
    show("fchmodat", fchmodat(dfd, "entry-02", 0600, 0));
    fstatat(dfd, "entry-02", &st, 0);
    printf("mode after fchmodat %o\n", st.st_mode & 07777);
    show("fchownat to self", fchownat(dfd, "entry-02", getuid(), getgid(), 0));
    show("fchownat nofollow", fchownat(dfd, "sym", -1, -1, AT_SYMLINK_NOFOLLOW));
    int e3 = openat(dfd, "entry-03", O_RDWR);
    show("fchownat AT_EMPTY_PATH", fchownat(e3, "", -1, -1, AT_EMPTY_PATH));
    struct timespec times[2] = { { 1000000000, 5 }, { 1200000000, 123456789 } };
    show("utimensat nofollow", utimensat(dfd, "sym", times, AT_SYMLINK_NOFOLLOW));
    fstatat(dfd, "sym", &st, AT_SYMLINK_NOFOLLOW);
    printf("symlink mtime %ld.%09ld\n", (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    fstatat(dfd, "entry-00", &st, 0);
    printf("target mtime untouched %s\n", st.st_mtim.tv_sec != 1200000000 ? "yes" : "no");
    show("futimens", futimens(e3, times));
    fstat(e3, &st);
    printf("futimens mtime %ld.%09ld, atime %ld.%09ld\n", (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
           (long)st.st_atim.tv_sec, st.st_atim.tv_nsec);
    struct timespec omit[2] = { { 0, UTIME_OMIT }, { 7, 0 } };
    show("utimensat UTIME_OMIT", utimensat(dfd, "entry-03", omit, 0));
    fstat(e3, &st);
    printf("after UTIME_OMIT mtime %ld, atime kept %s\n", (long)st.st_mtim.tv_sec, st.st_atim.tv_sec == 1000000000 ? "yes" : "no");
    show("utimensat bad nsec", utimensat(dfd, "entry-03", (struct timespec[2]){ { 0, 2000000000 }, { 0, 0 } }, 0));
    show("renameat", renameat(dfd, "hard", dfd, "hard-renamed"));
    show("unlinkat dir without AT_REMOVEDIR", unlinkat(dfd, "made", 0));
    show("unlinkat AT_REMOVEDIR", unlinkat(dfd, "made", AT_REMOVEDIR));
    show("faccessat", faccessat(dfd, "entry-04", R_OK | W_OK, 0));
    show("readlinkat", readlinkat(dfd, "sym", buf, sizeof buf));
    int p[2];
    if (pipe(p))
        return 1;
    show("F_SETPIPE_SZ", fcntl(p[1], F_SETPIPE_SZ, 65536 * 2));
    printf("F_GETPIPE_SZ %d\n", fcntl(p[1], F_GETPIPE_SZ));
    close(p[0]);
    close(p[1]);
    close(e3);

    /* Clean up (by name: under qemu-user a 32-bit readdir fails on ext4, see listdir) */
    const char *made[] = { "entry-00", "entry-01", "entry-02", "entry-03", "entry-04", "sym", "hard-renamed", "hard2", "fifo" };
    for (size_t i = 0; i < sizeof made / sizeof made[0]; i++)
        unlinkat(dfd, made[i], 0);
    close(dfd);
    rmdir(sub);
    close(fd);
    unlink(link);
    unlink(file);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Terminals: a pseudo-terminal pair                                        */
/* ------------------------------------------------------------------------ */

static void show_modes(const char *label, const struct termios *t)
{
    printf("%s: ICANON %d ECHO %d ISIG %d IEXTEN %d TOSTOP %d ECHOCTL %d ICRNL %d IXON %d OPOST %d ONLCR %d CS8 %d "
           "PARENB %d VMIN %d VTIME %d VEOF %d VINTR %d VEOL %d VEOL2 %d VSUSP %d\n",
           label, !!(t->c_lflag & ICANON), !!(t->c_lflag & ECHO), !!(t->c_lflag & ISIG), !!(t->c_lflag & IEXTEN),
           !!(t->c_lflag & TOSTOP), !!(t->c_lflag & ECHOCTL), !!(t->c_iflag & ICRNL), !!(t->c_iflag & IXON),
           !!(t->c_oflag & OPOST), !!(t->c_oflag & ONLCR), (t->c_cflag & CSIZE) == CS8, !!(t->c_cflag & PARENB),
           t->c_cc[VMIN], t->c_cc[VTIME], t->c_cc[VEOF], t->c_cc[VINTR], t->c_cc[VEOL], t->c_cc[VEOL2],
           t->c_cc[VSUSP]);
}

static ssize_t read_some(int fd, char *buf, size_t n)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    if (poll(&p, 1, 15000) <= 0)
        return -2;
    return read(fd, buf, n);
}

/* Reads until `want` bytes came (a terminal may hand them over in pieces) or 15 s passed: a
   forked child may take seconds to start on a loaded machine (2 s was too short under CI). */
static ssize_t read_n(int fd, char *buf, size_t want)
{
    size_t got = 0;
    while (got < want) {
        ssize_t n = read_some(fd, buf + got, want - got);
        if (n <= 0)
            return got ? (ssize_t)got : n;
        got += n;
    }
    return got;
}

static int case_tty(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    show("posix_openpt", master);
    show("grantpt", grantpt(master));
    show("unlockpt", unlockpt(master));
    const char *name = ptsname(master);
    printf("ptsname under /dev/pts/: %s\n", name && strncmp(name, "/dev/pts/", 9) == 0 ? "yes" : "no");
    int slave = open(name, O_RDWR | O_NOCTTY);
    show("open slave", slave);
    printf("isatty: master %d, slave %d, stdout %d\n", isatty(master), isatty(slave), isatty(1));

    struct termios t, back;
    show("tcgetattr", tcgetattr(slave, &t));
    show_modes("initial", &t);
    struct termios raw = t;
    cfmakeraw(&raw);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    show("tcsetattr raw TCSANOW", tcsetattr(slave, TCSANOW, &raw));
    show("tcgetattr", tcgetattr(slave, &back));
    show_modes("raw", &back);
    printf("raw round trip: flags %s, c_cc %s\n",
           back.c_iflag == raw.c_iflag && back.c_oflag == raw.c_oflag && back.c_lflag == raw.c_lflag &&
                   back.c_cflag == raw.c_cflag ? "same" : "differ",
           memcmp(back.c_cc, raw.c_cc, NCCS) == 0 ? "same" : "differ");
    char buf[64];
    write_all(master, "x");
    ssize_t n = read_some(slave, buf, sizeof buf);
    printf("raw read: %zd '%.*s'\n", n, n > 0 ? (int)n : 0, buf);
    write_all(slave, "a\n");
    n = read_n(master, buf, 2);
    printf("raw output: %zd bytes, CR added %s\n", n, n == 2 && buf[1] == '\n' ? "no" : "yes");

    struct termios cooked = t;
    cooked.c_lflag |= ICANON | ECHO | TOSTOP | IEXTEN;
    cooked.c_cc[VEOF] = 'D' - '@';
    cooked.c_cc[VINTR] = 'C' - '@';
    cooked.c_cc[VEOL] = '#';
    cooked.c_cc[VEOL2] = '%';
    cooked.c_cc[VMIN] = 3;
    cooked.c_cc[VTIME] = 7;
    show("tcsetattr TCSADRAIN", tcsetattr(slave, TCSADRAIN, &cooked));
    tcgetattr(slave, &back);
    show_modes("cooked", &back);
    write_all(master, "line one\n");
    n = read_some(slave, buf, sizeof buf);
    printf("canonical read: %zd '%.*s'\n", n, n > 1 ? (int)n - 1 : 0, buf);
    n = read_n(master, buf, 10);
    printf("echoed: %zd bytes, '%.*s'\n", n, n > 2 ? (int)n - 2 : 0, buf);
    write_all(master, "ab#");
    n = read_some(slave, buf, sizeof buf);
    printf("VEOL ends a line: %zd '%.*s'\n", n, n > 0 ? (int)n : 0, buf);
    read_n(master, buf, 3);
    show("tcsetattr TCSAFLUSH", tcsetattr(slave, TCSAFLUSH, &cooked));

    int q = -1;
    write_all(slave, "pending");
    /* The bytes cross to the master side asynchronously: wait until they are there. */
    struct timespec tick = { 0, 10 * 1000 * 1000 };
    for (int i = 0; i < 200 && ioctl(master, FIONREAD, &q) == 0 && q < 7; i++)
        nanosleep(&tick, NULL);
    show("FIONREAD on master", ioctl(master, FIONREAD, &q));
    printf("FIONREAD: %d\n", q);
    show("tcflush", tcflush(master, TCIFLUSH));
    q = -1;
    ioctl(master, FIONREAD, &q);
    printf("FIONREAD after tcflush: %d\n", q);
    q = -1;
    show("TIOCOUTQ", ioctl(slave, TIOCOUTQ, &q));
    printf("TIOCOUTQ: %d\n", q);
    show("tcdrain", tcdrain(slave));
    show("tcflow TCOON", tcflow(slave, TCOON));
    show("tcsendbreak", tcsendbreak(slave, 0));

    struct winsize ws = { .ws_row = 33, .ws_col = 77, .ws_xpixel = 640, .ws_ypixel = 480 }, got = { 0 };
    show("TIOCSWINSZ", ioctl(master, TIOCSWINSZ, &ws));
    show("TIOCGWINSZ", ioctl(slave, TIOCGWINSZ, &got));
    printf("window: %d rows, %d cols, %dx%d pixels\n", got.ws_row, got.ws_col, got.ws_xpixel, got.ws_ypixel);

    pid_t pg;
    errno = 0;
    show("TIOCGPGRP on a tty that is not ours", ioctl(slave, TIOCGPGRP, &pg));
    show("tcgetsid on a tty that is not ours", tcgetsid(slave));
    show("TIOCGWINSZ on a pipe", ({ int pp[2]; pipe(pp) ? -1 : ioctl(pp[0], TIOCGWINSZ, &got); }));
    show("tcgetattr on a file", tcgetattr(open("/dev/null", O_RDONLY), &back));
    int nb = 1;
    show("FIONBIO", ioctl(slave, FIONBIO, &nb));
    printf("O_NONBLOCK after FIONBIO: %d\n", !!(fcntl(slave, F_GETFL) & O_NONBLOCK));
    show("read nothing, non-blocking", read(slave, buf, sizeof buf));

    /* A new session takes the slave as its controlling terminal. */
    pid_t child = fork();
    if (child == 0) {
        show("child setsid", setsid());
        show("child TIOCSCTTY", ioctl(slave, TIOCSCTTY, 0));
        pid_t fg = tcgetpgrp(slave);
        printf("child foreground group is itself: %s\n", fg == getpid() ? "yes" : "no");
        show("child tcsetpgrp", tcsetpgrp(slave, getpid()));
        /* The session leader letting go sends SIGHUP to its foreground group: itself. */
        signal(SIGHUP, SIG_IGN);
        show("child TIOCNOTTY", ioctl(slave, TIOCNOTTY));
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    close(slave);
    close(master);
    return 0;
}

/*
 * Terminal reads that end without input: non-canonical with VMIN 0 (at once with VTIME 0,
 * after VTIME tenths otherwise; poll(2) says unreadable all the while), and a read of the
 * controlling terminal from a background process group, which Linux answers at once
 * (SIGTTIN, or EIO when that is ignored) where poll(2) would wait for input.
 */
static int case_tty_noinput(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    alarm(20); /* a read that waits for input would wait forever */
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(master);
    unlockpt(master);
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    struct termios t;
    tcgetattr(slave, &t);
    cfmakeraw(&t);
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 0;
    show("tcsetattr VMIN 0 VTIME 0", tcsetattr(slave, TCSANOW, &t));
    char c = 0;
    printf("read, VMIN 0 VTIME 0, no input: %zd\n", read(slave, &c, 1));
    t.c_cc[VTIME] = 2;
    show("tcsetattr VMIN 0 VTIME 2", tcsetattr(slave, TCSANOW, &t));
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    ssize_t n = read(slave, &c, 1);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
    printf("read, VMIN 0 VTIME 2, no input: %zd after 0.2 s or more: %s\n", n, ms >= 150 ? "yes" : "no");
    write_all(master, "k");
    n = read(slave, &c, 1);
    printf("read, VMIN 0 VTIME 2, input: %zd '%c'\n", n, n == 1 ? c : '?');
    struct iovec v = { &c, 1 };
    printf("readv, VMIN 0 VTIME 2, no input: %zd\n", readv(slave, &v, 1));
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    tcsetattr(slave, TCSANOW, &t);
    fflush(stdout);

    pid_t leader = fork();
    if (leader == 0) {
        /* A session whose controlling terminal is the slave, and a background group in it. */
        setsid();
        ioctl(slave, TIOCSCTTY, 0);
        for (int ignore = 1; ignore >= 0; ignore--) {
            pid_t bg = fork();
            if (bg == 0) {
                setpgid(0, 0);
                if (ignore)
                    signal(SIGTTIN, SIG_IGN);
                errno = 0;
                ssize_t r = read(slave, &c, 1);
                printf("background read, SIGTTIN %s: %zd %s\n", ignore ? "ignored" : "default", r, r < 0 ? errname(errno) : "");
                fflush(stdout);
                _exit(0);
            }
            setpgid(bg, bg);
            int st;
            waitpid(bg, &st, WUNTRACED);
            if (WIFSTOPPED(st)) {
                printf("background reader stopped by SIGTTIN: %s\n", WSTOPSIG(st) == SIGTTIN ? "yes" : "no");
                kill(bg, SIGKILL);
                waitpid(bg, &st, 0);
            } else {
                printf("background reader %s %d\n", WIFEXITED(st) ? "exited" : "killed by", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
            }
            fflush(stdout);
        }
        _exit(0);
    }
    int status;
    waitpid(leader, &status, 0);
    close(slave);
    close(master);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Descriptors named by path, and ioctls on plain files                     */
/* ------------------------------------------------------------------------ */

static void show_mode(const char *label, const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0)
        printf("%s: -1 %s\n", label, errname(errno));
    else
        printf("%s: %o size %lld\n", label, (unsigned)(st.st_mode & 07777), (long long)st.st_size);
}

/* A directory opened by a relative path still names it after chdir (fchdir,
 * the *at calls, /proc/self/fd); /proc/self/fd/N and /dev/fd/N name the
 * guest's descriptor N for every path call; FIOCLEX, FIONCLEX and FICLONE
 * reach the file. */
static int case_fdpaths(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    const char *dir = argv[2];
    char start[4096], now[4096], path[64], link[4096];
    if (chdir(dir) < 0 || !getcwd(start, sizeof start))
        return 1;
    int here = open(".", O_RDONLY | O_DIRECTORY);
    show("mkdir d", mkdir("d", 0755));
    int f = open("d/file", O_CREAT | O_WRONLY, 0644);
    write_all(f, "12345");
    show("chdir d", chdir("d"));
    int g = openat(here, "d/file", O_RDONLY);
    show("openat(dot fd) after chdir", g);
    show("fchdir(dot fd)", fchdir(here));
    printf("back where it started: %s\n", getcwd(now, sizeof now) && strcmp(now, start) == 0 ? "yes" : "no");
    snprintf(path, sizeof path, "/proc/self/fd/%d", f);
    ssize_t n = readlink(path, link, sizeof link - 1);
    link[n < 0 ? 0 : n] = 0;
    printf("readlink fd of d/file: %s\n", n > 0 && link[0] == '/' && strstr(link, "/d/file") ? "absolute" : link);

    /* fd 3 of the guest is rarely the host's 3: chmod, stat through the link. */
    int p = open("d/file", O_RDONLY | O_PATH);
    snprintf(path, sizeof path, "/proc/self/fd/%d", p);
    show("chmod /proc/self/fd/N", chmod(path, 0600));
    show_mode("stat /proc/self/fd/N", path);
    snprintf(path, sizeof path, "/dev/fd/%d", f);
    show_mode("stat /dev/fd/N", path);
    show("fchmodat NOFOLLOW", fchmodat(AT_FDCWD, "d/file", 0640, AT_SYMLINK_NOFOLLOW));
    show_mode("after fchmodat", "d/file");
    snprintf(path, sizeof path, "/proc/self/fd/%d/file", here);
    show_mode("stat /proc/self/fd/DIR/d", "d/file");
    snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)getpid(), g);
    show_mode("stat /proc/<pid>/fd/N", path);
    snprintf(path, sizeof path, "/proc/self/fd/%d", 200);
    show_mode("stat a closed fd's link", path);

    show("FIOCLEX", ioctl(g, FIOCLEX));
    printf("F_GETFD: %d\n", fcntl(g, F_GETFD));
    show("FIONCLEX", ioctl(g, FIONCLEX));
    printf("F_GETFD: %d\n", fcntl(g, F_GETFD));
#ifndef FICLONE
#define FICLONE _IOW(0x94, 9, int)
#endif
    int c = open("d/clone", O_CREAT | O_WRONLY, 0644);
    errno = 0;
    long r = ioctl(c, FICLONE, g);
    /* The file system decides (a copy or EOPNOTSUPP, EXDEV, EINVAL); never ENOTTY. */
    printf("FICLONE: %s\n", r == 0 || errno != ENOTTY ? "reached the file system" : "ENOTTY");
    close(c);
    /* The old struct stat (stat, lstat, fstat: old programs such as Debian's figlet) agrees
     * with stat64 on mode, size and mtime. */
    {
#if defined(__mips__)
        enum { OLD_MODE = 20, OLD_SIZE = 48, OLD_MTIME = 64, MODE16 = 0 };
#else
        enum { OLD_MODE = 8, OLD_SIZE = 20, OLD_MTIME = 40, MODE16 = 1 };
#endif
        unsigned char ob[160];
        struct stat ref;
        uint32_t u;
        if (fstat(g, &ref) != 0)
            memset(&ref, 0, sizeof ref);
        long rs[3] = { syscall(SYS_stat, "d/file", ob), 0, 0 };
        for (int i = 0; i < 3; i++) {
            if (i == 1)
                rs[1] = syscall(SYS_lstat, "d/file", ob);
            if (i == 2)
                rs[2] = syscall(SYS_fstat, g, ob);
            int same = rs[i] == 0;
            if (MODE16) {
                uint16_t m16;
                memcpy(&m16, ob + OLD_MODE, 2);
                same = same && m16 == (uint16_t)ref.st_mode;
            } else {
                memcpy(&u, ob + OLD_MODE, 4);
                same = same && u == ref.st_mode;
            }
            memcpy(&u, ob + OLD_SIZE, 4);
            same = same && u == (uint32_t)ref.st_size;
            memcpy(&u, ob + OLD_MTIME, 4);
            same = same && u == (uint32_t)ref.st_mtime;
            printf("old %s: %s\n", i == 0 ? "stat" : i == 1 ? "lstat" : "fstat", same ? "agrees with fstat" : "differs");
        }
    }
    /* chattr's inode flags (bsdtar asks for them): read, then written back unchanged */
    int iflags = -1;
    errno = 0;
    r = ioctl(g, FS_IOC_GETFLAGS, &iflags);
    printf("FS_IOC_GETFLAGS: %s\n", r == 0 ? "read" : errno == ENOTTY ? "ENOTTY" : "refused by the file system");
    if (r == 0)
        show("FS_IOC_SETFLAGS, unchanged", ioctl(g, FS_IOC_SETFLAGS, &iflags));

    /* /proc/self/fd lists this process's descriptors (each listed one is open, the
     * ones opened here are listed); /proc/self/exe and /dev/stdin are symlinks. */
    DIR *fds = opendir("/proc/self/fd");
    struct dirent *de;
    int listed = 0, not_open = 0, mine = 0;
    while (fds && (de = readdir(fds)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        int n = atoi(de->d_name);
        listed++;
        if (fcntl(n, F_GETFD) < 0)
            not_open++;
        if (n == f || n == g || n == p || n == here)
            mine++;
    }
    if (fds)
        closedir(fds);
    printf("/proc/self/fd: listed some %d, not open %d, ours listed %d\n", listed > 4, not_open, mine);
    struct stat lst;
    printf("lstat /proc/self/exe: %s\n", lstat("/proc/self/exe", &lst) == 0 && S_ISLNK(lst.st_mode) ? "symlink" : "not a symlink");
    n = readlink("/dev/stdin", link, sizeof link - 1);
    link[n < 0 ? 0 : n] = 0;
    printf("readlink /dev/stdin: %s\n", link);

    /* ARM's glibc passes an unpacked struct statfs64 (88 bytes), which its kernel takes. */
    struct statvfs vfs;
    show("statvfs", statvfs(".", &vfs));
    show("fstatvfs", fstatvfs(f, &vfs));
    printf("statvfs: fsid %s, name max %lu, fragment size %s\n", vfs.f_fsid ? "set" : "0", (unsigned long)vfs.f_namemax,
           vfs.f_frsize == vfs.f_bsize ? "the block size" : "another");
    /* a pipe's filesystem is pipefs, whose magic fstatfs gives */
    int pp[2];
    struct statfs pfs;
    if (pipe(pp) == 0 && fstatfs(pp[0], &pfs) == 0)
        printf("fstatfs of a pipe: type %lx\n", (unsigned long)pfs.f_type);
    else
        printf("fstatfs of a pipe: %s\n", errname(errno));
    close(pp[0]);
    close(pp[1]);
    close(p);
    close(g);
    close(f);
    close(here);
    unlink("d/clone");
    unlink("d/file");
    rmdir("d");
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Host-dependent facts (checked by test/files.test.ts itself)              */
/* ------------------------------------------------------------------------ */

static int cat(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("%s: %s\n", path, errname(errno));
        return 1;
    }
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, stdout);
    fclose(f);
    return 0;
}

static int case_cat(int argc, char **argv)
{
    int r = 0;
    for (int i = 2; i < argc; i++) {
        printf("==> %s <==\n", argv[i]);
        r |= cat(argv[i]);
    }
    return r;
}

/* For each directory: chdir there, then the name getcwd and /proc/self/cwd give it
 * (under -L, a directory of the sysroot by its name in the guest's view). */
static int case_cwd(int argc, char **argv)
{
    for (int i = 2; i < argc; i++) {
        char cwd[4096], link[4096];
        if (chdir(argv[i]) < 0) {
            printf("chdir %s: %s\n", argv[i], strerror(errno));
            continue;
        }
        ssize_t n = readlink("/proc/self/cwd", link, sizeof link - 1);
        link[n < 0 ? 0 : n] = '\0';
        printf("chdir %s: getcwd %s, /proc/self/cwd %s\n", argv[i], getcwd(cwd, sizeof cwd) ? cwd : strerror(errno), link);
    }
    return 0;
}

/* Opens the directory argv[2], then for each name after it: readlinkat when it is a link, and
 * what openat of it reads (under -L, names from a sysroot directory as the guest sees them). */
static int case_atdir(int argc, char **argv)
{
    int d = open(argv[2], O_RDONLY | O_DIRECTORY);
    if (d < 0) {
        printf("open %s: %s\n", argv[2], strerror(errno));
        return 1;
    }
    for (int i = 3; i < argc; i++) {
        char buf[256];
        ssize_t n = readlinkat(d, argv[i], buf, sizeof buf - 1);
        if (n >= 0) {
            buf[n] = '\0';
            printf("%s -> %s\n", argv[i], buf);
        }
        struct stat st;
        if (fstatat(d, argv[i], &st, 0) < 0) {
            printf("%s: fstatat: %s\n", argv[i], strerror(errno));
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            printf("%s: a directory\n", argv[i]);
            continue;
        }
        int f = openat(d, argv[i], O_RDONLY);
        if (f < 0) {
            printf("%s: openat: %s\n", argv[i], strerror(errno));
            continue;
        }
        n = read(f, buf, sizeof buf - 1);
        close(f);
        buf[n < 0 ? 0 : n] = '\0';
        printf("%s: %s", argv[i], buf);
    }
    close(d);
    return 0;
}

/* The processor count as glibc finds it, then /proc/cpuinfo. */
static int case_nproc(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("onln %ld conf %ld nprocs %d conf %d\n", sysconf(_SC_NPROCESSORS_ONLN), sysconf(_SC_NPROCESSORS_CONF),
           get_nprocs(), get_nprocs_conf());
    return cat("/proc/cpuinfo");
}

/* Prints a directory as readdir gives it (name, inode, d_type), then checks
 * telldir/seekdir/rewinddir on it. Deliberately without _FILE_OFFSET_BITS=64:
 * 32-bit readdir needs d_off cookies that fit in 32 bits. */
static int case_listdir(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    DIR *d = opendir(argv[2]);
    if (!d)
        return 1;
    struct dirent *de;
    int count = 0;
    long mark = -1;
    char after_mark[256] = "";
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        printf("%s %llu %d\n", de->d_name, (unsigned long long)de->d_ino, de->d_type);
        count++;
        if (count == 3)
            mark = telldir(d);
        else if (count == 4)
            snprintf(after_mark, sizeof after_mark, "%s", de->d_name);
    }
    printf("end: %s\n", errname(errno));
    seekdir(d, mark);
    de = readdir(d);
    printf("seekdir back: same entry %s\n", de && strcmp(de->d_name, after_mark) == 0 ? "yes" : "no");
    rewinddir(d);
    int again = 0;
    while (readdir(d))
        again++;
    printf("after rewinddir: %s\n", again == count ? "same count" : "different count");
    closedir(d);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* A tree deeper than PATH_MAX, reached only through directory descriptors   */
/* ------------------------------------------------------------------------ */

#define LONG_DEPTH 48
#define LONG_NAME_LEN 120

static void long_name(char *out)
{
    memset(out, 'd', LONG_NAME_LEN);
    out[LONG_NAME_LEN] = 0;
}

/* Each *at call works however deep its directory is: only the full path is limited. */
static int case_longpath(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    char name[LONG_NAME_LEN + 1];
    long_name(name);
    static int fds[LONG_DEPTH + 1];
    fds[0] = open(argv[2], O_RDONLY | O_DIRECTORY);
    show("open top", fds[0]);
    int made = 0;
    for (int i = 0; i < LONG_DEPTH; i++) {
        if (mkdirat(fds[i], name, 0755) < 0 || (fds[i + 1] = openat(fds[i], name, O_RDONLY | O_DIRECTORY)) < 0)
            break;
        made++;
    }
    printf("levels made: %d of %d (%d bytes below the top)\n", made, LONG_DEPTH, made * (LONG_NAME_LEN + 1));
    if (made != LONG_DEPTH)
        printf("stopped by: %s\n", errname(errno));
    int fd = fds[made];

    int file = openat(fd, "file", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    show("openat create", file);
    if (file >= 0) {
        write_all(file, "deep data\n");
        close(file);
    }
    struct stat st;
    show("fstatat", fstatat(fd, "file", &st, 0));
    printf("size %lld regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode));
    struct statx sx;
    show("statx", statx(fd, "file", 0, STATX_SIZE, &sx));
    printf("statx size %llu\n", (unsigned long long)sx.stx_size);
    show("fchmodat", fchmodat(fd, "file", 0600, 0));
    fstatat(fd, "file", &st, 0);
    printf("mode %o\n", (unsigned)(st.st_mode & 07777));
    show("faccessat", faccessat(fd, "file", R_OK | W_OK, 0));
    show("fchownat", fchownat(fd, "file", (uid_t)-1, (gid_t)-1, 0));
    struct timespec times[2] = { { 1000000000, 0 }, { 1234567890, 500 } };
    show("utimensat", utimensat(fd, "file", times, 0));
    fstatat(fd, "file", &st, 0);
    printf("mtime %lld.%09ld\n", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    show("symlinkat", symlinkat("file", fd, "link"));
    char target[64] = "";
    ssize_t n = readlinkat(fd, "link", target, sizeof target - 1);
    if (n >= 0)
        target[n] = 0;
    printf("readlinkat: %s\n", n < 0 ? errname(errno) : target);
    show("fstatat nofollow", fstatat(fd, "link", &st, AT_SYMLINK_NOFOLLOW));
    printf("is a link %d\n", S_ISLNK(st.st_mode));
    show("linkat", linkat(fd, "file", fd, "hard", 0));
    show("renameat", renameat(fd, "hard", fds[made - 1], "hard-up"));
    show("renameat2 noreplace", renameat2(fds[made - 1], "hard-up", fd, "file", RENAME_NOREPLACE));
    show("renameat2 back", renameat2(fds[made - 1], "hard-up", fd, "hard", RENAME_NOREPLACE));
    show("mkfifoat", mkfifoat(fd, "fifo", 0600));
    fstatat(fd, "file", &st, 0);
    printf("links %d\n", (int)st.st_nlink);
    /* A relative path of several levels at once, from halfway down. */
    char rel[4 * (LONG_NAME_LEN + 1) + 8];
    rel[0] = 0;
    for (int i = 0; i < 4; i++) {
        strcat(rel, name);
        strcat(rel, "/");
    }
    show("fstatat 4 levels down", fstatat(fds[made - 4], strcat(rel, "file"), &st, 0));
    show("openat ../absent", openat(fd, "../absent", O_RDONLY));

    /* The directory's listing through getdents64 (readdir fails under qemu: see listdir), sorted. */
    char names[8][16];
    int count = 0;
    static char dents[4096];
    int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY);
    long got;
    while ((got = syscall(SYS_getdents64, dfd, dents, sizeof dents)) > 0) {
        for (long at = 0; at < got;) {
            /* struct linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, char name[] */
            unsigned short reclen;
            memcpy(&reclen, dents + at + 16, sizeof reclen);
            const char *entry = dents + at + 19;
            if (entry[0] != '.' && count < 8)
                snprintf(names[count++], sizeof names[0], "%s", entry);
            at += reclen;
        }
    }
    show("getdents64", got);
    close(dfd);
    qsort(names, count, sizeof names[0], (int (*)(const void *, const void *))strcmp);
    printf("listing:");
    for (int i = 0; i < count; i++)
        printf(" %s", names[i]);
    printf("\n");

    /* The cwd can go there too; a path relative to it is as short as ever. */
    int top_cwd = open(".", O_RDONLY | O_DIRECTORY);
    show("fchdir down", fchdir(fd));
    show("stat in cwd", stat("file", &st));
    show("fchdir back", fchdir(top_cwd));
    close(top_cwd);

    /* The full path is too long for any call. */
    static char full[LONG_DEPTH * (LONG_NAME_LEN + 1) + 256];
    snprintf(full, sizeof full, "%s", argv[2]);
    for (int i = 0; i < made; i++) {
        strcat(full, "/");
        strcat(full, name);
    }
    strcat(full, "/file");
    show("stat full path", stat(full, &st));

    /* Everything removed again with unlinkat, bottom up. */
    show("unlinkat file", unlinkat(fd, "file", 0));
    show("unlinkat hard", unlinkat(fd, "hard", 0));
    show("unlinkat link", unlinkat(fd, "link", 0));
    show("unlinkat fifo", unlinkat(fd, "fifo", 0));
    show("unlinkat dir without AT_REMOVEDIR", unlinkat(fds[made - 1], name, 0));
    show("unlinkat dir not empty", unlinkat(fds[made - 2], name, AT_REMOVEDIR));
    int removed = 0;
    for (int i = made; i > 0; i--) {
        close(fds[i]);
        if (unlinkat(fds[i - 1], name, AT_REMOVEDIR) == 0)
            removed++;
    }
    printf("levels removed: %d\n", removed);
    close(fds[0]);
    return 0;
}

/* Descriptors without a path and calls newer than their classic forms: memfd_create,
 * preadv2/pwritev2, block-device ioctls on a regular file
 * (ENOTTY), and niceness through getpriority/setpriority (printed relative: the runner's own
 * niceness is inherited). */
static int case_anon_files(int argc, char **argv)
{
    (void)argc; (void)argv;
    int m = memfd_create("guest-mem", MFD_CLOEXEC);
    show("memfd_create", m);
    printf("memfd close-on-exec: %d\n", (fcntl(m, F_GETFD) & FD_CLOEXEC) != 0);
    write_all(m, "memfd contents");
    char link[256], path[64], buf[32] = { 0 };
    snprintf(path, sizeof path, "/proc/self/fd/%d", m);
    ssize_t n = readlink(path, link, sizeof link - 1);
    link[n < 0 ? 0 : n] = 0;
    printf("memfd link: %s\n", link);
    struct iovec iov[2] = { { buf, 5 }, { buf + 6, 8 } };
    /* Through glibc, which falls back to preadv where the call is missing (qemu-user 7.2
     * has no preadv2 or pwritev2: urun has them, as Linux does). */
    printf("preadv2 at 0: %zd\n", preadv2(m, iov, 2, 0, 0));
    buf[5] = '|';
    printf("read: %s\n", buf);
    struct iovec out = { "XY", 2 };
    printf("pwritev2 at 1: %zd\n", pwritev2(m, &out, 1, 1, 0));
    show("preadv2 unknown flag", preadv2(m, iov, 1, 0, 0x40000000));
    printf("pread: %zd %.6s\n", pread(m, buf, 6, 0), buf);
    struct stat st;
    fstat(m, &st);
    printf("memfd regular %d size %ld\n", S_ISREG(st.st_mode), (long)st.st_size);
    int sector = 0;
    show("BLKSSZGET on a memfd", ioctl(m, BLKSSZGET, &sector));
    close(m);
    show("memfd_create bad flags", memfd_create("x", 0x100));

    errno = 0;
    int before = getpriority(PRIO_PROCESS, 0);
    show("getpriority", errno ? -1 : 0);
    show("setpriority +3", setpriority(PRIO_PROCESS, 0, before + 3));
    printf("niceness raised by %d\n", getpriority(PRIO_PROCESS, 0) - before);
    printf("nice(1) raised it by %d\n", nice(1) - before);
    show("setpriority bad which", setpriority(99, 0, 0));
    errno = 0;
    show("getpriority no such pid", getpriority(PRIO_PROCESS, 0x3ffffff) == -1 && errno ? -1 : 0);
    return 0;
}

/* O_PATH (a FIFO opens without waiting; the descriptor names the file, reads nothing) and O_TMPFILE. */
static int case_opath_tmpfile(int argc, char **argv)
{
    (void)argc;
    const char *dir = argv[2];
    char fifo[4096], sub[4096], named[4096], proc[64];
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    snprintf(sub, sizeof sub, "%s/sub", dir);
    snprintf(named, sizeof named, "%s/named", dir);
    show("mkfifo", mkfifo(fifo, 0644));
    int p = open(fifo, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    show("open fifo O_PATH", p);
    struct stat st;
    show("fstat", fstat(p, &st));
    printf("is fifo: %d\n", S_ISFIFO(st.st_mode));
    char c;
    show("read O_PATH", read(p, &c, 1));
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", p);
    show("chmod through /proc/self/fd", chmod(proc, 0600));
    show("stat", stat(fifo, &st));
    printf("mode %o\n", st.st_mode & 0777);
    close(p);
    show("mkdir", mkdir(sub, 0755));
    int d = open(sub, O_PATH | O_DIRECTORY);
    show("open dir O_PATH", d);
    int f = openat(d, "made", O_CREAT | O_WRONLY, 0644);
    show("openat through an O_PATH directory", f);
    close(f);
    show("fstatat AT_EMPTY_PATH", fstatat(d, "", &st, AT_EMPTY_PATH));
    printf("is dir: %d\n", S_ISDIR(st.st_mode));
    close(d);
    int t = open(dir, O_TMPFILE | O_RDWR, 0600);
    show("open O_TMPFILE", t);
    write_all(t, "unnamed\n");
    show("fstat tmpfile", fstat(t, &st));
    printf("regular %d, links %ld, size %ld\n", S_ISREG(st.st_mode), (long)st.st_nlink, (long)st.st_size);
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", t);
    show("linkat to a name", linkat(AT_FDCWD, proc, AT_FDCWD, named, AT_SYMLINK_FOLLOW));
    close(t);
    char buf[32] = "";
    int n = open(named, O_RDONLY);
    show("open the linked name", n);
    printf("content: %s", read(n, buf, sizeof buf - 1) > 0 ? buf : "(none)\n");
    close(n);
    unlink(fifo);
    unlink(named);
    unlink(in_dir(sub, "made"));
    rmdir(sub);
    return 0;
}

/* renameat2's flags (an exchange; no replacing, a dangling symlink included) and truncation to a negative length. */
/* ---- proc_mem: /proc/self/mem reads and writes this process's memory at the file offset
 * (read-only pages too, as a debugger's writes); unmapped addresses give EIO. The offset of
 * a 32-bit address fits a 32-bit off_t's range only through lseek64/pread64. ---- */
static const char mem_secret[] = "SECRETDATA";
static char mem_target[16] = "xxxxxxxxxx";

static int case_proc_mem(int argc, char **argv)
{
    (void)argc, (void)argv;
    int fd = open("/proc/self/mem", O_RDWR);
    if (!(fd >= 0)) {
        perror("proc_mem");
        return 1;
    }
    char buf[16] = {0};
    if (!(lseek64(fd, (off64_t)(uintptr_t)mem_secret, SEEK_SET) == (off64_t)(uintptr_t)mem_secret)) {
        perror("proc_mem");
        return 1;
    }
    ssize_t r = read(fd, buf, 6);
    printf("read %zd %.6s\n", r, buf);
    r = read(fd, buf, 4);
    printf("read on %zd %.4s\n", r, buf);
    r = pwrite64(fd, "WRITTEN", 7, (off64_t)(uintptr_t)mem_target);
    printf("pwrite %zd: %s\n", r, mem_target);
    long pg = sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (!(p != MAP_FAILED && munmap(p + pg, pg) == 0)) {
        perror("proc_mem");
        return 1;
    }
    memset(p, 'a', pg);
    printf("up to an unmapped page: %zd\n", pread64(fd, buf, 16, (off64_t)(uintptr_t)(p + pg - 6)));
    r = pread64(fd, buf, 16, (off64_t)(uintptr_t)(p + pg));
    printf("unmapped: %zd %s\n", r, errname(r < 0 ? errno : 0));
    if (!(mprotect(p, pg, PROT_READ) == 0)) {
        perror("proc_mem");
        return 1;
    }
    r = pwrite64(fd, "XY", 2, (off64_t)(uintptr_t)p);
    printf("into a read-only page: %zd, now %c%c\n", r, p[0], p[1]);
    return 0;
}

/* ---- offsets_vmsplice: pread/pwrite at a negative offset fail with EINVAL and write nothing;
 * vmsplice moves the caller's buffers into a pipe and, from its read end, out of it ---- */
static int case_offsets_vmsplice(int argc, char **argv)
{
    (void)argc, (void)argv;
    char path[] = "/tmp/urun-offsets-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("mkstemp");
        return 1;
    }
    unlink(path);
    char c = 'x';
    ssize_t r = pwrite64(fd, &c, 1, -5);
    printf("pwrite at -5: %zd %s\n", r, errname(r < 0 ? errno : 0));
    r = pread64(fd, &c, 1, -5);
    printf("pread at -5: %zd %s\n", r, errname(r < 0 ? errno : 0));
    struct stat st;
    fstat(fd, &st);
    printf("file size: %lld\n", (long long)st.st_size);
    close(fd);
    int p[2];
    if (pipe(p) != 0) {
        perror("pipe");
        return 1;
    }
    char a[] = "hello ", b[] = "vmsplice";
    struct iovec in[2] = {{a, 6}, {b, 8}};
    printf("vmsplice in: %zd\n", vmsplice(p[1], in, 2, 0));
    char x[5] = {0}, y[20] = {0};
    struct iovec out[2] = {{x, 4}, {y, sizeof y - 1}};
    r = vmsplice(p[0], out, 2, 0);
    printf("vmsplice out: %zd: %s|%s\n", r, x, y);
    r = vmsplice(open("/dev/null", O_WRONLY), in, 1, 0);
    printf("vmsplice on a file: %zd %s\n", r, errname(r < 0 ? errno : 0));
    return 0;
}

/* ---- far_offsets: positions past 2^53 (which a double cannot hold exactly) reach the file
 * system as they are: a pwrite or pwritev there does not land at the file's offset (it fails
 * with EFBIG on ext4, or writes there on tmpfs), a pread there finds nothing or what was
 * written, lseek goes exactly there or fails, ftruncate makes the file exactly that long or
 * fails with EFBIG; past 2^63 - 1 with the count added, EINVAL ---- */
static void far_show(const char *label, ssize_t r, ssize_t ok)
{
    printf("%s: %s\n", label, r == ok ? "done" : r < 0 ? errname(errno) : "short");
}

static int case_far_offsets(int argc, char **argv)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/far_offsets", argc > 2 ? argv[2] : "/tmp");
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    unlink(path);
    if (fd < 0 || write(fd, "0123456789", 10) != 10 || lseek(fd, 3, SEEK_SET) != 3) {
        printf("file: %s\n", errname(errno));
        return 1;
    }
    const off64_t far[] = { (1LL << 53) + 1, 0x6000000000000001LL, 0x7ffffffffffffff0LL };
    for (int i = 0; i < 3; i++) {
        char at[40], label[80], got[3] = {0};
        snprintf(at, sizeof at, "%llx", (long long)far[i]);
        errno = 0;
        ssize_t w = pwrite64(fd, "ab", 2, far[i]);
        snprintf(label, sizeof label, "pwrite at %s", at);
        far_show(label, w == -1 && errno == EFBIG ? 2 : w, 2); /* EFBIG or written: both right */
        errno = 0;
        ssize_t r = pread64(fd, got, 2, far[i]);
        snprintf(label, sizeof label, "pread at %s", at);
        far_show(label, r == 0 || (r == 2 && strcmp(got, "ab") == 0) ? 2 : r, 2);
        struct iovec v[2] = {{"c", 1}, {"d", 1}};
        errno = 0;
        r = pwritev64(fd, v, 2, far[i] + 2);
        snprintf(label, sizeof label, "pwritev at %s+2", at);
        far_show(label, r == -1 && errno == EFBIG ? 2 : r, 2);
        char x = 0, y = 0;
        struct iovec u[2] = {{&x, 1}, {&y, 1}};
        errno = 0;
        r = preadv64(fd, u, 2, far[i] + 2);
        snprintf(label, sizeof label, "preadv at %s+2", at);
        far_show(label, r == 0 || (r == 2 && x == 'c' && y == 'd') ? 2 : r, 2);
        errno = 0;
        off64_t s = lseek64(fd, far[i], SEEK_SET);
        printf("lseek to %s: %s\n", at, s == far[i] || (s < 0 && errno == EINVAL) ? "there or EINVAL" : "elsewhere");
        errno = 0;
        int t = ftruncate64(fd, far[i]);
        struct stat64 st;
        fstat64(fd, &st);
        printf("ftruncate to %s: %s\n", at, t == 0 && st.st_size == far[i] ? "EFBIG or that long" : t < 0 && errno == EFBIG ? "EFBIG or that long" : errname(errno));
        ftruncate64(fd, 10);
        lseek64(fd, 3, SEEK_SET);
    }
    char head[11] = {0};
    printf("offset still 3: %s\n", lseek64(fd, 0, SEEK_CUR) == 3 ? "yes" : "no");
    printf("first bytes: %zd %s\n", pread64(fd, head, 10, 0), head);
    return 0;
}

/* ---- mremap_fixed: MREMAP_FIXED moves a mapping to the address asked for (replacing what is
 * there), DONTUNMAP leaves the old range mapped and zero, FIXED without MAYMOVE is EINVAL,
 * an unmapped old range EFAULT ---- */
static int case_mremap_fixed(int argc, char **argv)
{
    (void)argc, (void)argv;
    long pg = sysconf(_SC_PAGESIZE);
    char *c = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *target = mmap(NULL, 8 * pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (c == MAP_FAILED || target == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    strcpy(c, "moved");
    strcpy(c + pg, "second page");
    char *d = mremap(c, 2 * pg, 3 * pg, MREMAP_MAYMOVE | MREMAP_FIXED, target + pg);
    printf("fixed: at the target %d, +%ld pages, %s / %s, grown page %d\n", d == target + pg, d == MAP_FAILED ? -1 : (long)(d - target) / pg,
           d, d + pg, d[2 * pg]);
    unsigned char vec[2];
    printf("old range unmapped: %d\n", mincore(c, 2 * pg, vec) == -1 && errno == ENOMEM);
    char *e = mremap(d, pg, pg, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
    printf("dontunmap: moved %d, new %s, old now %d\n", e != MAP_FAILED && e != d, e == MAP_FAILED ? "-" : e, d[0]);
    errno = 0;
    void *f = mremap(d, pg, pg, MREMAP_FIXED, target);
    printf("fixed without maymove: %s\n", f == MAP_FAILED ? errname(errno) : "moved");
    f = mremap(c, pg, pg, MREMAP_MAYMOVE | MREMAP_FIXED, target);
    printf("unmapped old range: %s\n", f == MAP_FAILED ? errname(errno) : "moved");
    return 0;
}

/* ---- mm_args: what Linux refuses in mmap, munmap, mprotect, madvise and mremap: a mapping
 * that is neither shared nor private, MAP_SHARED_VALIDATE with a flag it does not know, a
 * range above user space (ARM's vectors page stays, and stays executable), a hole in madvise's
 * range, a private mapping "duplicated" by an old length of 0, a pipe or socket (no mmap),
 * MADV_REMOVE of a private mapping ---- */
static int case_mm_args(int argc, char **argv)
{
    (void)argc, (void)argv;
    long pg = sysconf(_SC_PAGESIZE);
#define MM_TRY(what, call) do { errno = 0; long r_ = (long)(call); printf("%s: %s\n", what, r_ == -1 ? errname(errno) : "ok"); } while (0)
    MM_TRY("anonymous, neither shared nor private", mmap(NULL, pg, PROT_READ, MAP_ANONYMOUS, -1, 0));
    MM_TRY("anonymous, MAP_SHARED_VALIDATE", mmap(NULL, pg, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0));
    int fd = open("/proc/self/exe", O_RDONLY);
    MM_TRY("a file, MAP_SHARED_VALIDATE", mmap(NULL, pg, PROT_READ, MAP_SHARED_VALIDATE, fd, 0));
    MM_TRY("a file, MAP_SHARED_VALIDATE with an unknown flag", mmap(NULL, pg, PROT_READ, MAP_SHARED_VALIDATE | 0x40000000, fd, 0));
    MM_TRY("a file, neither shared nor private", mmap(NULL, pg, PROT_READ, 0, fd, 0));
    close(fd);
    int pipefd[2], sv[2];
    pipe(pipefd);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    MM_TRY("a pipe", mmap(NULL, pg, PROT_READ, MAP_PRIVATE, pipefd[0], 0));
    MM_TRY("a socket, shared", mmap(NULL, pg, PROT_READ, MAP_SHARED, sv[0], 0));
    close(pipefd[0]), close(pipefd[1]), close(sv[0]), close(sv[1]);
    char *a = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(a + 2 * pg, pg);
    a[0] = 'x';
    a[3 * pg] = 'y';
    MM_TRY("madvise over a hole", madvise(a, 4 * pg, MADV_DONTNEED));
    printf("around the hole: %d %d\n", a[0], a[3 * pg]);
    MM_TRY("madvise of the hole", madvise(a + 2 * pg, pg, MADV_NORMAL));
    MM_TRY("madvise of nothing", madvise(a + 2 * pg, 0, MADV_NORMAL));
    MM_TRY("MADV_REMOVE of a private mapping", madvise(a, pg, MADV_REMOVE));
    char *shared = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    MM_TRY("MADV_REMOVE of a shared one", madvise(shared, pg, MADV_REMOVE));
    MM_TRY("mremap of a private mapping's 0 bytes", mremap(a, 0, pg, MREMAP_MAYMOVE));
    MM_TRY("munmap above user space", munmap((void *)0xffff0000u, pg));
    MM_TRY("mprotect above user space", mprotect((void *)0xffff0000u, pg, PROT_READ | PROT_WRITE));
    MM_TRY("madvise above user space", madvise((void *)0xffff0000u, pg, MADV_DONTNEED));
#ifdef __arm__
    /* glibc's __aeabi_read_tp on ARMv5 calls the kernel's helper at 0xffff0fe0 */
    void *(*get_tls)(void) = (void *(*)(void))0xffff0fe0;
    printf("the vectors page still works: %d\n", get_tls() == __builtin_thread_pointer());
#else
    printf("the vectors page still works: 1\n");
#endif
#undef MM_TRY
    return 0;
}

/* ---- mm_rlimits: RLIMIT_AS bounds every mapping (PROT_NONE ones too, shared ones too, a
 * mremap's growth), RLIMIT_DATA the private writable ones and the break, as Linux's
 * may_expand_vm checks them ---- */
#define TRY(what, ok) do { errno = 0; int ok_ = (ok); printf("%s: %s\n", what, ok_ ? "ok" : errname(errno)); } while (0)
#define MAP(len, prot, flags) mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0)
static int case_mm_rlimits(int argc, char **argv)
{
    (void)argc, (void)argv;
    const long mb = 1 << 20;
    struct rlimit as = { 256 * mb, RLIM_INFINITY };
    TRY("RLIMIT_AS 256 MiB", setrlimit(RLIMIT_AS, &as) == 0);
    TRY("map 300 MiB, PROT_NONE", MAP(300 * mb, PROT_NONE, MAP_PRIVATE) != MAP_FAILED);
    char *a = MAP(100 * mb, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    TRY("map 100 MiB", a != MAP_FAILED);
    TRY("another 100 MiB, shared", MAP(100 * mb, PROT_READ | PROT_WRITE, MAP_SHARED) != MAP_FAILED);
    TRY("another 100 MiB", MAP(100 * mb, PROT_READ, MAP_PRIVATE) != MAP_FAILED);
    TRY("malloc 100 MiB", malloc(100 * mb) != NULL);
    TRY("grow the first to 200 MiB (may move)", mremap(a, 100 * mb, 200 * mb, MREMAP_MAYMOVE) != MAP_FAILED);
    TRY("map over the first, fixed", mmap(a, 100 * mb, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == a);
    munmap(a, 100 * mb);
    TRY("map 100 MiB after unmapping as much", MAP(100 * mb, PROT_READ, MAP_PRIVATE) != MAP_FAILED);
    as.rlim_cur = RLIM_INFINITY;
    setrlimit(RLIMIT_AS, &as);
    struct rlimit data = { 64 * mb, RLIM_INFINITY };
    TRY("RLIMIT_DATA 64 MiB", setrlimit(RLIMIT_DATA, &data) == 0);
    TRY("map 100 MiB, private writable", MAP(100 * mb, PROT_READ | PROT_WRITE, MAP_PRIVATE) != MAP_FAILED);
    TRY("map 100 MiB, read-only", MAP(100 * mb, PROT_READ, MAP_PRIVATE) != MAP_FAILED);
    TRY("map 100 MiB, shared writable", MAP(100 * mb, PROT_READ | PROT_WRITE, MAP_SHARED) != MAP_FAILED);
    TRY("sbrk 100 MiB", sbrk(100 * mb) != (void *)-1);
    TRY("sbrk 1 MiB", sbrk(mb) != (void *)-1);
    TRY("malloc 100 MiB", malloc(100 * mb) != NULL);
#undef TRY
#undef MAP
    return 0;
}

/* ---- mm_implied_read: a page mapped executable or writable, not readable, reads all the same,
 * as ARM's and (RI/XI-less) MIPS's page tables give it on Linux ---- */
static int case_mm_implied_read(int argc, char **argv)
{
    (void)argc, (void)argv;
    long pg = sysconf(_SC_PAGESIZE);
    volatile char *x = mmap(NULL, pg, PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    volatile char *w = mmap(NULL, pg, PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    volatile char *y = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    w[1] = 5;
    y[2] = 42;
    mprotect((void *)y, pg, PROT_EXEC);
    printf("exec-only: %d, write-only: %d, made exec-only: %d\n", x[0], w[1], y[2]);
    return 0;
}

/* ---- maps_shared: /proc/self/maps marks shared mappings 's' and names shared anonymous
 * memory "/dev/zero (deleted)", as Linux does ---- */
static void maps_line_of(const void *p, const char *what)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char l[512];
    while (f && fgets(l, sizeof l, f)) {
        unsigned long s, e;
        char perm[8] = "";
        if (sscanf(l, "%lx-%lx %7s", &s, &e, perm) == 3 && (unsigned long)p >= s && (unsigned long)p < e) {
            const char *name = strchr(l, '/');
            printf("%s: %s %s", what, perm, name && strstr(name, "(deleted)") ? name : name ? "(a file)\n" : "\n");
        }
    }
    if (f)
        fclose(f);
}

static int case_maps_shared(int argc, char **argv)
{
    (void)argc, (void)argv;
    long pg = sysconf(_SC_PAGESIZE);
    char *a = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    maps_line_of(a, "shared anonymous");
    mprotect(a, pg, PROT_READ);
    maps_line_of(a, "its first page made read-only");
    int fd = open("/proc/self/exe", O_RDONLY);
    maps_line_of(mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, 0), "a file, shared");
    maps_line_of(mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 0), "a file, private");
    close(fd);
    maps_line_of(mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), "private anonymous");
    return 0;
}

/* ---- stat_vsize: /proc/self/stat's vsize (field 23) is the process's own mappings, so a
 * 64 MiB mapping adds about 64 MiB to it and it stays below 4 GiB on a 32-bit machine ---- */
static unsigned long stat_vsize(void)
{
    char text[4096] = "";
    FILE *f = fopen("/proc/self/stat", "r");
    if (!f || !fgets(text, sizeof text, f))
        return 0;
    fclose(f);
    char *field = strrchr(text, ')');
    for (int i = 2; field && i < 23; i++) /* field 2 ends at the ')' */
        field = strchr(field + 1, ' ');
    return field ? strtoul(field + 1, NULL, 10) : 0;
}

static int case_stat_vsize(int argc, char **argv)
{
    (void)argc, (void)argv;
    stat_vsize(); /* (stdio's first buffers are not counted in the difference) */
    unsigned long before = stat_vsize();
    void *p = mmap(NULL, 64 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned long after = stat_vsize();
    printf("vsize below 1 GiB: %s, grew by 64 MiB: %s\n", before > 0 && before < (1ul << 30) ? "yes" : "no",
           p != MAP_FAILED && after - before + (1ul << 20) >= 64ul << 20 && after - before <= 65ul << 20 ? "yes" : "no");
    return 0;
}

static int case_rename_truncate(int argc, char **argv)
{
    (void)argc;
    const char *dir = argv[2];
    char a[4096], b[4096], link[4096], buf[8] = "";
    snprintf(a, sizeof a, "%s/a", dir);
    snprintf(b, sizeof b, "%s/b", dir);
    snprintf(link, sizeof link, "%s/dangling", dir);
    int fd = open(a, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    write_all(fd, "AAA");
    close(fd);
    fd = open(b, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    write_all(fd, "B");
    close(fd);
    show("renameat2 RENAME_EXCHANGE", renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE));
    fd = open(a, O_RDONLY);
    printf("a holds: %.*s\n", (int)read(fd, buf, sizeof buf - 1), buf);
    close(fd);
    show("renameat2 RENAME_NOREPLACE onto a file", renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_NOREPLACE));
    show("symlink to nothing", symlink("nowhere", link));
    show("renameat2 RENAME_NOREPLACE onto a dangling symlink", renameat2(AT_FDCWD, a, AT_FDCWD, link, RENAME_NOREPLACE));
    show("renameat2 with an unknown flag", renameat2(AT_FDCWD, a, AT_FDCWD, b, 0x100));
    show("truncate to -1", truncate(a, -1));
    fd = open(a, O_RDWR);
    show("ftruncate to -1", ftruncate(fd, -1));
    struct stat st;
    show("fstat", fstat(fd, &st));
    printf("size still %ld\n", (long)st.st_size);
    close(fd);
    unlink(a);
    unlink(b);
    unlink(link);
    return 0;
}

/* ---- mmap_huge: a 2 GiB length is unsigned: the mapping (or ENOMEM) leaves the stack alone ---- */
static int case_mmap_huge(int argc, char **argv)
{
    (void)argc, (void)argv;
    volatile int local = 42;
    size_t len = 0x80000000u;
    char *p = mmap((void *)0x20800000, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int clear = p == MAP_FAILED || !((char *)&local >= p && (char *)&local < p + len);
    local = 7;
    printf("stack clear of it: %d, stack still writable: %d\n", clear, local);
    if (p != MAP_FAILED) munmap(p, len);
    return 0;
}

/* ---- more_sockopts: SOL_SOCKET options found ENOPROTOOPT: SO_WIFI_STATUS and SO_LOCK_FILTER
 * (ints), SO_TXTIME (struct sock_txtime), SO_INCOMING_NAPI_ID ---- */
static int case_more_sockopts(int argc, char **argv)
{
    (void)argc, (void)argv;
    int s = socket(AF_INET, SOCK_DGRAM, 0), one = 1, v = -1;
    socklen_t l = sizeof v;
    int r = setsockopt(s, SOL_SOCKET, SO_WIFI_STATUS, &one, sizeof one);
    int g = getsockopt(s, SOL_SOCKET, SO_WIFI_STATUS, &v, &l);
    printf("SO_WIFI_STATUS: set %d, get %d: %d (len %u)\n", r, g, v, (unsigned)l);
    v = -1, l = sizeof v;
    g = getsockopt(s, SOL_SOCKET, SO_LOCK_FILTER, &v, &l);
    printf("SO_LOCK_FILTER: %d: %d (len %u)\n", g, v, (unsigned)l);
    struct { int32_t clockid; uint32_t flags; } tx = { CLOCK_MONOTONIC, 2 }, got = { -1, 99 };
    r = setsockopt(s, SOL_SOCKET, SO_TXTIME, &tx, sizeof tx);
    l = sizeof got;
    g = getsockopt(s, SOL_SOCKET, SO_TXTIME, &got, &l);
    printf("SO_TXTIME: set %d, get %d: clock %d flags %u (len %u)\n", r, g, got.clockid, got.flags, (unsigned)l);
    v = -1, l = sizeof v;
    g = getsockopt(s, SOL_SOCKET, SO_INCOMING_NAPI_ID, &v, &l);
    printf("SO_INCOMING_NAPI_ID: %d: %d (len %u)\n", g, v, (unsigned)l);
    return 0;
}

/* ---- setns: the host's answer for a /proc/self/ns/ descriptor (joining one's own
 * namespace: done, or EPERM without CAP_SYS_ADMIN), EINVAL for the wrong type or a file
 * that is not a namespace, EBADF for no descriptor ---- */
static int case_setns(int argc, char **argv)
{
    (void)argc, (void)argv;
    errno = 0;
    int r = setns(-1, 0);
    printf("no descriptor: %d %s\n", r, strerrorname_np(errno));
    int uts = open("/proc/self/ns/uts", O_RDONLY), exe = open("/proc/self/exe", O_RDONLY);
    r = setns(uts, CLONE_NEWUTS);
    printf("its own UTS namespace: %s\n", r == 0 || errno == EPERM ? "joined or EPERM" : strerrorname_np(errno));
    errno = 0;
    r = setns(uts, CLONE_NEWNET);
    printf("UTS as a network namespace: %d %s\n", r, strerrorname_np(errno));
    errno = 0;
    r = setns(exe, 0);
    printf("a file: %d %s\n", r, strerrorname_np(errno));
    return 0;
}

/* ---- prctl_more: prctls found answering EINVAL where Linux answers (qemu-user passes
 * most to its host): timing, the THP switch, the child-subreaper and tid-address getters,
 * and FP modes, which are MIPS's only. */
static int case_prctl_more(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("PR_GET_TIMING: %d\n", prctl(PR_GET_TIMING, 0, 0, 0, 0));
    printf("PR_SET_TIMING 0: %d, 1: %d\n", prctl(PR_SET_TIMING, 0, 0, 0, 0), prctl(PR_SET_TIMING, 1, 0, 0, 0));
    int set = prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0), got = prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0);
    int cleared = prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0);
    printf("THP disabled: %d, then %d; enabled: %d, then %d\n", set, got, cleared, prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0));
    int v = -1;
    int r = prctl(PR_GET_CHILD_SUBREAPER, &v, 0, 0, 0);
    printf("PR_GET_CHILD_SUBREAPER: %d, %d\n", r, v);
    static int tid_word;
    syscall(SYS_set_tid_address, &tid_word);
    int *at = NULL;
    r = prctl(PR_GET_TID_ADDRESS, &at, 0, 0, 0);
    printf("PR_GET_TID_ADDRESS: %d, set_tid_address's: %d\n", r, at == &tid_word);
    errno = 0;
    r = prctl(PR_GET_FP_MODE, 0, 0, 0, 0);
#ifdef __mips__
    printf("PR_GET_FP_MODE: %d\n", r < 0 ? -1 : 0);
#else
    printf("PR_GET_FP_MODE: %d %s\n", r, strerrorname_np(errno));
#endif
    return 0;
}

/* ---- absent_features: calls of kernel features Linux can be built without are ENOSYS, as
 * from such a kernel, with nothing on stderr; so is a number in a hole of the arch's table
 * (memfd_secret's, on neither ARM nor MIPS). Memory protection keys are as on a kernel for
 * an arch without them: none to allocate or free, pkey_mprotect takes -1 or the default 0. */
static int case_absent_features(int argc, char **argv)
{
    (void)argc, (void)argv;
    unsigned long ctx = 0;
    unsigned char params[120] = {0};
    struct iovec local = { params, 4 }, remote = { params + 4, 4 };
    struct { const char *name; long r; } calls[] = {
        { "io_setup", syscall(SYS_io_setup, 1, &ctx) },
        { "io_uring_setup", syscall(SYS_io_uring_setup, 4, params) },
        { "landlock_create_ruleset", syscall(SYS_landlock_create_ruleset, NULL, 0, 1) },
        { "seccomp", syscall(SYS_seccomp, 2, 0, params) },
        { "bpf", syscall(SYS_bpf, 0, params, 8) },
        { "perf_event_open", syscall(SYS_perf_event_open, params, 0, -1, -1, 0) },
        { "userfaultfd", syscall(SYS_userfaultfd, 0) },
        { "keyctl", syscall(SYS_keyctl, 0, -3, 0) },
        { "add_key", syscall(SYS_add_key, "user", "urun", "v", 1, -2) },
        { "fanotify_init", syscall(SYS_fanotify_init, 0, 0) },
        { "process_vm_readv", syscall(SYS_process_vm_readv, getpid(), &local, 1, &remote, 1, 0) },
        { "sysfs", syscall(SYS_sysfs, 3) },
#ifdef __mips__
        { "a hole (4447)", syscall(4447, 0) },
#else
        { "a hole (447)", syscall(447, 0) },
#endif
    };
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
        printf("%s: %ld %s\n", calls[i].name, calls[i].r, calls[i].r < 0 ? strerrorname_np(errno) : "");
    errno = 0;
    long r = syscall(SYS_pkey_alloc, 0, 0);
    printf("pkey_alloc: %ld %s\n", r, strerrorname_np(errno));
    r = syscall(SYS_pkey_alloc, 1, 0);
    printf("pkey_alloc with a flag: %ld %s\n", r, strerrorname_np(errno));
    r = syscall(SYS_pkey_free, 0);
    printf("pkey_free: %ld %s\n", r, strerrorname_np(errno));
    char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    r = syscall(SYS_pkey_mprotect, p, 4096, PROT_READ, -1);
    printf("pkey_mprotect, key -1: %ld, key 0: %ld", r, syscall(SYS_pkey_mprotect, p, 4096, PROT_READ, 0));
    errno = 0;
    r = syscall(SYS_pkey_mprotect, p, 4096, PROT_READ, 1);
    printf(", key 1: %ld %s, key 1 for nothing: %ld\n", r, strerrorname_np(errno), syscall(SYS_pkey_mprotect, p, 0, PROT_READ, 1));
    return 0;
}

/* ---- bad_syscall: an unknown number is ENOSYS; on ARM, one above the private calls
 * (0xf0000-0xf07ff) is a bad syscall, SIGILL with ILL_ILLTRP ---- */
static void on_bad_syscall(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    printf("%s, si_code %d\n", sig == SIGILL ? "SIGILL" : "another signal", si->si_code);
    fflush(stdout);
    _exit(0);
}

static int case_bad_syscall(int argc, char **argv)
{
    (void)argc, (void)argv;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_bad_syscall;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sa, NULL);
    errno = 0;
    long r = syscall(5999);
    printf("syscall 5999: %ld %s\n", r, errno == ENOSYS ? "ENOSYS" : "?");
    errno = 0;
    r = syscall(-1);
    printf("syscall -1: %ld %s\n", r, errno == ENOSYS ? "ENOSYS" : "?");
    return 0;
}


/* ------------------------------------------------------------------------ */
/* The old calls glibc no longer makes, through syscall(): other C libraries */
/* and old programs still do                                                 */
/* ------------------------------------------------------------------------ */

#if defined(__mips__)
struct old_sigaction_abi { unsigned int flags; void (*handler)(int); unsigned long mask[4]; };
#define OLD_SA_INIT(h, m) { 0, (h), { (m), 0, 0, 0 } }
#define OLD_SA_MASK(sa) ((sa).mask[0])
#else
struct old_sigaction_abi { void (*handler)(int); unsigned long mask; unsigned long flags; void (*restorer)(void); };
#define OLD_SA_INIT(h, m) { (h), (m), 0, 0 }
#define OLD_SA_MASK(sa) ((sa).mask)
#endif

static volatile int old_hits;
static void on_old_signal(int sig)
{
    (void)sig;
    old_hits++;
}

static int case_old_calls(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    char path[512], sub[512];
    snprintf(path, sizeof path, "%s/old-calls", argv[2]);
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    close(fd);

    /* utimes and futimesat: timevals, NULL for now, microseconds past a second refused */
    struct timeval tv[2] = { { 1000000000, 250000 }, { 1100000000, 500000 } };
    struct stat st;
    long r = syscall(SYS_utimes, path, tv);
    stat(path, &st);
    printf("utimes: %ld, atime %ld.%09ld mtime %ld.%09ld\n", r, (long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    tv[1].tv_usec = 1000000;
    errno = 0;
    r = syscall(SYS_utimes, path, tv);
    printf("utimes, usec 1000000: %ld %s\n", r, errname(errno));
    int dir = open(argv[2], O_RDONLY | O_DIRECTORY);
    tv[1].tv_usec = 7;
    r = syscall(SYS_futimesat, dir, "old-calls", tv);
    stat(path, &st);
    printf("futimesat: %ld, mtime %ld.%09ld\n", r, (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    fd = open(path, O_RDONLY);
    r = syscall(SYS_futimesat, fd, NULL, NULL);
    stat(path, &st);
    printf("futimesat(fd, NULL, NULL): %ld, mtime now: %d\n", r, st.st_mtim.tv_sec > 1500000000);
    close(fd);

    /* statfs and fstatfs: the 32-bit struct, as statfs64 has it */
    unsigned char small[128], big[128];
    struct statfs64 sf64;
    memset(small, 0xa5, sizeof small);
    r = syscall(SYS_statfs, argv[2], small);
    statfs64(argv[2], &sf64);
    uint32_t f_type, f_bsize;
    memcpy(&f_type, small, 4);
    memcpy(&f_bsize, small + 4, 4);
    printf("statfs: %ld, type %s, bsize %s\n", r, f_type == (uint32_t)sf64.f_type ? "same" : "differs",
           f_bsize == (uint32_t)sf64.f_bsize ? "same" : "differs");
    memset(big, 0xa5, sizeof big);
    r = syscall(SYS_fstatfs, dir, big);
    /* (the free counts may change between the calls: type, block size and the next word only) */
    printf("fstatfs: %ld, same as statfs: %d\n", r, memcmp(small, big, 12) == 0);

    /* getdents: struct linux_dirent, d_type last */
    snprintf(sub, sizeof sub, "%s/d", argv[2]);
    mkdir(sub, 0755);
    const char *names[] = { "a", "bb", "ccc-long-name", "dddd" };
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", sub, names[i]);
        if (i == 3)
            mkdir(path, 0755);
        else
            close(open(path, O_CREAT | O_WRONLY, 0644));
    }
    int d = open(sub, O_RDONLY | O_DIRECTORY);
    char buf[1024];
    int n = syscall(SYS_getdents, d, buf, sizeof buf);
    int seen = 0, aligned = 1, types = 0;
    for (int at = 0; at < n;) {
        unsigned short reclen;
        memcpy(&reclen, buf + at + 8, 2);
        const char *name = buf + at + 10;
        unsigned char type = buf[at + reclen - 1];
        aligned &= reclen % 4 == 0;
        for (int i = 0; i < 4; i++) {
            if (strcmp(name, names[i]) == 0) {
                seen |= 1 << i;
                types += type == (i == 3 ? DT_DIR : DT_REG);
            }
        }
        at += reclen;
    }
    printf("getdents: all found %d, d_type right %d of 4, reclen 4-aligned %d\n", seen == 15, types, aligned);
    close(d);
    errno = 0;
    r = syscall(SYS_getdents, 999, buf, sizeof buf);
    printf("getdents on a closed fd: %ld %s\n", r, errname(errno));
    close(dir);

    /* nice: the niceness moves by the increment */
    int before = getpriority(PRIO_PROCESS, 0);
    r = syscall(SYS_nice, 2);
    printf("nice(2): %ld, niceness %+d\n", r, getpriority(PRIO_PROCESS, 0) - before);

    /* sched_rr_get_interval: a time, for this process */
    struct { long sec, nsec; } rr = { -1, -1 };
    r = syscall(SYS_sched_rr_get_interval, 0, &rr);
    printf("sched_rr_get_interval: %ld, sane %d\n", r, rr.sec >= 0 && rr.nsec >= 0 && rr.nsec < 1000000000);

    /* the old signal calls: one-word sets */
    struct old_sigaction_abi sa = OLD_SA_INIT(on_old_signal, 0), old;
    r = syscall(SYS_sigaction, SIGUSR1, &sa, NULL);
    memset(&old, 0xff, sizeof old);
    syscall(SYS_sigaction, SIGUSR1, NULL, &old);
    printf("sigaction: %ld, handler read back %d, mask %lx\n", r, old.handler == on_old_signal, OLD_SA_MASK(old));
    unsigned long set = 1UL << (SIGUSR1 - 1), was = 0xdead, pending = 0;
    r = syscall(SYS_sigprocmask, SIG_BLOCK, &set, &was);
    raise(SIGUSR1);
    syscall(SYS_sigpending, &pending);
    printf("sigprocmask: %ld, was %lx, pending SIGUSR1 %d, handled %d\n", r, was, (pending & set) != 0, old_hits);
    r = syscall(SYS_sigprocmask, SIG_UNBLOCK, &set, NULL);
    printf("unblocked: %ld, handled %d\n", r, old_hits);
    /* SIG_SETMASK of one word leaves the real-time signals as they were */
    sigset_t rt;
    sigemptyset(&rt);
    sigaddset(&rt, SIGRTMIN + 1);
    sigprocmask(SIG_BLOCK, &rt, NULL);
    unsigned long none = 0;
    syscall(SYS_sigprocmask, SIG_SETMASK, &none, NULL);
    sigprocmask(SIG_BLOCK, NULL, &rt);
    printf("one-word SIG_SETMASK keeps SIGRTMIN+1 blocked: %d\n", sigismember(&rt, SIGRTMIN + 1));
    errno = 0;
    r = syscall(SYS_sigaction, SIGKILL, &sa, NULL);
    printf("sigaction(SIGKILL): %ld %s\n", r, errname(errno));
    return 0;
}

/* ---- block_size: FIGETBSZ (any descriptor's file system block size), FIOQSIZE (a file's
 * bytes on disk, 64-bit; ENOTTY for a pipe), F_SET_RW_HINT/F_GET_RW_HINT (the inode's
 * write-life hint, a u64) in a file of the directory given ---- */
static int case_block_size(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    char path[512];
    snprintf(path, sizeof path, "%s/blocks.out", argv[2]);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    char buf[10000];
    memset(buf, 'x', sizeof buf);
    write(fd, buf, sizeof buf);
    fsync(fd);
    int bs = 0, p[2];
    pipe(p);
    int r = ioctl(fd, FIGETBSZ, &bs);
    printf("FIGETBSZ: %d, a power of two from 512: %d\n", r, bs >= 512 && (bs & (bs - 1)) == 0);
    bs = 0;
    r = ioctl(p[0], FIGETBSZ, &bs);
    printf("FIGETBSZ of a pipe: %d, %d\n", r, bs > 0);
    struct stat st;
    fstat(fd, &st);
    long long q = -1;
    r = ioctl(fd, FIOQSIZE, &q);
    printf("FIOQSIZE: %d, st_blocks * 512: %d\n", r, q == (long long)st.st_blocks * 512);
    errno = 0;
    r = ioctl(p[0], FIOQSIZE, &q);
    printf("FIOQSIZE of a pipe: %d %s\n", r, strerrorname_np(errno));
    uint64_t hint = 3; /* RWH_WRITE_LIFE_MEDIUM */
    r = fcntl(fd, F_SET_RW_HINT, &hint);
    hint = 0;
    int got = fcntl(fd, F_GET_RW_HINT, &hint);
    printf("F_SET_RW_HINT: %d, F_GET_RW_HINT: %d, %llu\n", r, got, (unsigned long long)hint);
    hint = 99;
    errno = 0;
    r = fcntl(fd, F_SET_RW_HINT, &hint);
    printf("F_SET_RW_HINT 99: %d %s\n", r, strerrorname_np(errno));
    close(fd);
    return 0;
}

/* ---- more_ioctls: /dev/urandom's entropy count (RNDGETENTCNT); an inode's generation and
 * struct fsxattr, answered for a directory of the host's as its inode flags are ---- */
static int case_more_ioctls(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    int r = open("/dev/urandom", O_RDONLY), n = -1;
    int got = ioctl(r, RNDGETENTCNT, &n);
    printf("RNDGETENTCNT: %d, a count: %d\n", got, n >= 0);
    int d = open(argv[2], O_RDONLY | O_DIRECTORY);
    int flags = 0;
    int has_flags = ioctl(d, FS_IOC_GETFLAGS, &flags) == 0;
    struct fsxattr fx;
    memset(&fx, 0xff, sizeof fx);
    int has_fsx = ioctl(d, FS_IOC_FSGETXATTR, &fx) == 0;
    printf("FS_IOC_FSGETXATTR answered where FS_IOC_GETFLAGS is: %d\n", has_fsx == has_flags);
    if (has_fsx)
        printf("  fsx_nextents of a directory: %u, padding zeroed: %d\n", fx.fsx_nextents, fx.fsx_pad[0] == 0);
    unsigned gen = 0;
    errno = 0;
    int v = ioctl(d, FS_IOC_GETVERSION, &gen);
    printf("FS_IOC_GETVERSION: %s\n", v == 0 ? "0" : errno == ENOTTY ? "ENOTTY from the file system" : strerrorname_np(errno));
    return 0;
}

/* F_SETFL clears O_DIRECT as it sets it; tar's tape ioctls on an archive file are ENOTTY */
static int case_direct_tape(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    char path[512];
    snprintf(path, sizeof path, "%s/direct.out", argv[2]);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT, 0644);
    if (fd < 0) {
        printf("open O_DIRECT: %s\n", errname(errno));
        return 1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_DIRECT);
    printf("F_GETFL has O_DIRECT: %d, write of 3 bytes: %zd\n", (fcntl(fd, F_GETFL) & O_DIRECT) != 0, write(fd, "abc", 3));
    struct mtget status;
    errno = 0;
    int r = ioctl(fd, MTIOCGET, &status);
    printf("MTIOCGET on a file: %d %s\n", r, errname(errno));
    close(fd);
    return 0;
}

/* FS_IOC_FIEMAP (filefrag; dpkg and man-db order the files they read by it): a file of two
 * 4 KiB blocks and a hole, counted (fm_extent_count 0) then mapped; "unsupported" where the
 * file system has no extent map (tmpfs) */
static int case_fiemap(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    char path[512], block[4096];
    snprintf(path, sizeof path, "%s/extents", argv[2]);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    memset(block, 'x', sizeof block);
    if (fd < 0 || pwrite(fd, block, 4096, 0) != 4096 || pwrite(fd, block, 4096, 65536) != 4096 || fsync(fd) != 0)
        return 1;
    union { struct fiemap fm; char bytes[sizeof(struct fiemap) + 8 * sizeof(struct fiemap_extent)]; } u;
    memset(&u, 0, sizeof u);
    u.fm.fm_length = FIEMAP_MAX_OFFSET;
    u.fm.fm_flags = FIEMAP_FLAG_SYNC;
    errno = 0;
    int r = ioctl(fd, FS_IOC_FIEMAP, &u.fm);
    if (r != 0 && (errno == EOPNOTSUPP || errno == ENOTSUP)) {
        printf("FIEMAP: unsupported\n");
        return 0;
    }
    printf("count only: %d %s, extents %u, start %llu, length all: %d\n", r, errname(errno), u.fm.fm_mapped_extents,
           (unsigned long long)u.fm.fm_start, u.fm.fm_length == FIEMAP_MAX_OFFSET);
    unsigned counted = u.fm.fm_mapped_extents;
    u.fm.fm_extent_count = 8;
    r = ioctl(fd, FS_IOC_FIEMAP, &u.fm);
    printf("mapped: %d, same count: %d\n", r, u.fm.fm_mapped_extents == counted);
    unsigned long long covered = 0;
    for (unsigned i = 0; i < u.fm.fm_mapped_extents && i < 8; i++) {
        struct fiemap_extent *e = &u.fm.fm_extents[i];
        covered += e->fe_length;
        if (i == 0)
            printf("first at %llu, physical set: %d\n", (unsigned long long)e->fe_logical, e->fe_physical != 0);
        if (i + 1 == u.fm.fm_mapped_extents)
            printf("last ends at %llu, flagged last: %d\n", (unsigned long long)(e->fe_logical + e->fe_length),
                   (e->fe_flags & FIEMAP_EXTENT_LAST) != 0);
    }
    printf("bytes mapped: %llu\n", covered);
    /* More extents than a 32-bit kernel's copy could hold is EINVAL */
    u.fm.fm_extent_count = 0xffffffffu;
    errno = 0;
    r = ioctl(fd, FS_IOC_FIEMAP, &u.fm);
    printf("huge count: %d %s\n", r, errname(errno));
    close(fd);
    unlink(path);
    return 0;
}

/* The Linux console's requests (nano asks VT_GETSTATE of its terminal) on a pty and a pipe */
static int case_console_ioctls(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(master);
    unlockpt(master);
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    int p[2];
    if (slave < 0 || pipe(p) != 0)
        return 1;
    struct vt_stat vs;
    char kb;
    int mode;
    show("VT_GETSTATE on a pty", ioctl(slave, VT_GETSTATE, &vs));
    show("KDGKBTYPE on a pty", ioctl(slave, KDGKBTYPE, &kb));
    show("KDGETMODE on a pty", ioctl(slave, KDGETMODE, &mode));
    show("VT_GETSTATE on a pipe", ioctl(p[0], VT_GETSTATE, &vs));
    return 0;
}

/* A pty master in packet mode (screen sets it), and TIOCSIG: a signal to the slave's foreground group (MIPS numbers SIGTSTP 24) */
static volatile sig_atomic_t pkt_got;
static void pkt_handler(int sig) { pkt_got = sig; }
static int case_pty_packet(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    alarm(20);
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(master);
    unlockpt(master);
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    if (slave < 0)
        return 1;
    int on = 1, got = -1;
    show("TIOCPKT on", ioctl(master, TIOCPKT, &on));
    show("TIOCGPKT", ioctl(master, TIOCGPKT, &got));
    printf("packet mode: %d\n", got);
    write_all(slave, "ab");
    unsigned char buf[16];
    ssize_t n = read_n(master, (char *)buf, 3);
    printf("data packet: %zd bytes, status %d, '%c%c'\n", n, buf[0], buf[1], buf[2]);
    show("tcflush TCIFLUSH", tcflush(slave, TCIFLUSH));
    n = read(master, buf, sizeof buf);
    printf("flush packet: %zd bytes, status 0x%x\n", n, buf[0]);
    on = 0;
    ioctl(master, TIOCPKT, &on);
    show("TIOCSIG on a slave", ioctl(slave, TIOCSIG, SIGTSTP));
    show("TIOCSIG SIGUSR1, not a terminal's signal", ioctl(master, TIOCSIG, SIGUSR1));
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        setsid();
        ioctl(slave, TIOCSCTTY, 0);
        signal(SIGTSTP, pkt_handler);
        write_all(slave, "r");
        while (!pkt_got)
            pause();
        printf("child got %s\n", pkt_got == SIGTSTP ? "SIGTSTP" : "another signal");
        fflush(stdout);
        _exit(0);
    }
    read_n(master, (char *)buf, 1);
    int r = ioctl(master, TIOCSIG, SIGTSTP);
    int status;
    waitpid(child, &status, 0);
    show("TIOCSIG SIGTSTP", r);
    printf("child exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}

/* File names that are not UTF-8 (Latin-1, a cut-off sequence) keep their bytes */
static int case_raw_names(int argc, char **argv)
{
    if (argc < 3 || chdir(argv[2]) != 0)
        return 2;
    struct stat st;
    char buf[4096] = { 0 };
    close(open("lat\xe9", O_CREAT | O_WRONLY, 0644));
    close(open("cut\xf0\x90\x80", O_CREAT | O_WRONLY, 0644));
    printf("stat: %d, the other name: %d, a UTF-8 lookalike: %d\n", stat("lat\xe9", &st), stat("cut\xf0\x90\x80", &st),
           stat("cut\xef\xbf\xbd", &st));
    printf("rename: %d\n", rename("lat\xe9", "x\xfa"));
    printf("symlink: %d\n", symlink("t\xff", "s\xfe"));
    ssize_t n = readlink("s\xfe", buf, sizeof buf);
    printf("readlink: %zd bytes, %02x %02x\n", n, (unsigned char)buf[0], (unsigned char)buf[1]);
    printf("mkdir: %d, chdir: %d\n", mkdir("d\x80", 0755), chdir("d\x80"));
    printf("getcwd ends with 0x%02x\n", getcwd(buf, sizeof buf) ? (unsigned char)buf[strlen(buf) - 1] : 0);
    chdir("..");
    DIR *d = opendir(".");
    struct dirent *de;
    int found = 0;
    while ((de = readdir(d)) != NULL)
        found += strcmp(de->d_name, "x\xfa") == 0 || strcmp(de->d_name, "s\xfe") == 0 || strcmp(de->d_name, "d\x80") == 0 ||
                 strcmp(de->d_name, "cut\xf0\x90\x80") == 0;
    closedir(d);
    printf("readdir finds the 4 names: %d\n", found == 4);
    printf("rmdir: %d, unlink: %d %d %d\n", rmdir("d\x80"), unlink("s\xfe"), unlink("x\xfa"), unlink("cut\xf0\x90\x80"));
    return 0;
}

/* An undefined instruction: SIGILL with the kernel's si_code and si_addr for the arch */
static sigjmp_buf ill_jump;
static volatile int ill_code;
static void *volatile ill_addr;
static void on_illegal(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    ill_code = si->si_code;
    ill_addr = si->si_addr;
    siglongjmp(ill_jump, 1);
}

static int case_illegal_insn(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    set_handler(SIGILL, (void *)on_illegal, SA_SIGINFO);
    if (sigsetjmp(ill_jump, 1) == 0) {
#if defined(__mips__)
        __asm__ volatile(".word 0xfc000000"); /* SDC3: reserved */
#elif defined(__thumb__)
        __asm__ volatile(".inst.n 0xde00"); /* udf #0 */
#else
        __asm__ volatile(".inst 0xe7f000f0"); /* udf #0 */
#endif
    }
    printf("SIGILL: si_code %d, si_addr %s\n", ill_code, ill_addr == NULL ? "0" : "set");
    return 0;
}

/* sendfile takes its input from a regular file only (a pipe: EINVAL) */
static int case_sendfile_pipe(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    int p[2];
    pipe(p);
    write(p[1], "ab", 2);
    int out = open("/dev/null", O_WRONLY);
    errno = 0;
    long r = sendfile(out, p[0], NULL, 2);
    printf("sendfile from a pipe: %ld %s, still there: %zd\n", r, errname(errno), read(p[0], (char[2]){0}, 2));
    return 0;
}

/* writev to a blocking pipe or socket is one write: four 256-byte buffers go into a one-page
 * pipe together (PIPE_BUF atomicity), non-blocking too, and two buffers to a datagram socket
 * make one datagram */
static int case_writev_gather(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    int p[2];
    char data[1024], got[2048];
    for (int i = 0; i < (int)sizeof data; i++)
        data[i] = (char)i;
    struct iovec v[4];
    for (int i = 0; i < 4; i++) {
        v[i].iov_base = data + 256 * i;
        v[i].iov_len = 256;
    }
    pipe(p);
    printf("pipe size: %d\n", fcntl(p[0], F_SETPIPE_SZ, 4096));
    printf("writev to a pipe: %zd\n", writev(p[1], v, 4));
    ssize_t n = read(p[0], got, sizeof got);
    printf("read: %zd, same: %d\n", n, n == 1024 && memcmp(got, data, 1024) == 0);
    printf("writev again: %zd\n", writev(p[1], v, 4));
    int s[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, s);
    printf("writev to a datagram socket: %zd\n", writev(s[0], v, 2));
    n = recv(s[1], got, sizeof got, MSG_DONTWAIT);
    printf("one datagram: %zd, same: %d\n", n, n == 512 && memcmp(got, data, 512) == 0);
    n = recv(s[1], got, sizeof got, MSG_DONTWAIT);
    printf("then: %zd %s\n", n, errname(n < 0 ? errno : 0));
    /* non-blocking: 3900 bytes in the one page, then two 100-byte buffers do not fit (EAGAIN,
     * the first is not written alone), and two 90-byte ones do */
    static char big[3900];
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    read(p[0], got, sizeof got);
    printf("write: %zd\n", write(p[1], big, sizeof big));
    v[0].iov_len = v[1].iov_len = 100;
    errno = 0;
    n = writev(p[1], v, 2);
    printf("non-blocking writev of 200: %zd %s\n", n, errname(n < 0 ? errno : 0));
    v[0].iov_len = v[1].iov_len = 90;
    printf("non-blocking writev of 180: %zd\n", writev(p[1], v, 2));
    return 0;
}

/* The ids as root: seteuid keeps the real and saved ids (so it can go back), setgroups sets */
static int case_ids(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    uid_t r, e, s;
    errno = 0;
    int rc = seteuid(1);
    getresuid(&r, &e, &s);
    printf("seteuid(1): %d %s, now %u %u %u\n", rc, errname(rc ? errno : 0), r, e, s);
    errno = 0;
    rc = seteuid(0);
    getresuid(&r, &e, &s);
    printf("seteuid(0): %d %s, now %u %u %u\n", rc, errname(rc ? errno : 0), r, e, s);
    gid_t groups[] = { 0, 1, 2, 3 }, got[16];
    errno = 0;
    rc = setgroups(4, groups);
    printf("setgroups: %d %s, getgroups: %d\n", rc, errname(rc ? errno : 0), getgroups(16, got));
    return 0;
}

/* ARM: a misaligned VFP transfer, or a NEON one short of its alignment qualifier, is SIGBUS
   (BUS_ADRALN): Linux does not fix those up. (The fixed-up ones, and unaligned VLD1, work.) */
#if defined(__ARM_PCS_VFP)
static sigjmp_buf vfp_jump;
static void on_vfp_bus(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    printf(" SIGBUS %d", si->si_code);
    siglongjmp(vfp_jump, 1);
}

#define VFP_TRY(what, insn, at)                                                       \
    do {                                                                              \
        printf("%s:", what);                                                          \
        if (sigsetjmp(vfp_jump, 1) == 0) {                                            \
            __asm__ volatile(".fpu neon\n" insn : : "r"(vfp_mem + (at)) : "d0", "d1", "memory"); \
            printf(" done");                                                          \
        }                                                                             \
        printf("\n");                                                                 \
    } while (0)
#endif

static int case_vfp_align(int argc, char **argv)
{
    (void)argc;
    (void)argv;
#if defined(__ARM_PCS_VFP)
    static char vfp_mem[64] __attribute__((aligned(16)));
    set_handler(SIGBUS, (void *)on_vfp_bus, SA_SIGINFO);
    VFP_TRY("vldr d at +2", "vldr d0, [%0]", 2);
    VFP_TRY("vstr s at +1", "vstr s0, [%0]", 1);
    VFP_TRY("vldmia at +2", "vldmia %0, {d0-d1}", 2);
    VFP_TRY("vldr d at +4", "vldr d0, [%0]", 4);
    VFP_TRY("vld1.64 :64 at +4", "vld1.64 {d0}, [%0 :64]", 4);
    VFP_TRY("vld1.32 at +1", "vld1.32 {d0}, [%0]", 1);
    VFP_TRY("vld1.32 lane :32 at +2", "vld1.32 {d0[1]}, [%0 :32]", 2);
    VFP_TRY("vld2.32 :128 at +16", "vld2.32 {d0, d1}, [%0 :128]", 16);
    VFP_TRY("vld2.32 :128 at +8", "vld2.32 {d0, d1}, [%0 :128]", 8);
#else
    printf("(armhf only)\n");
#endif
    return 0;
}

/* Which of SIGHUP, SIGINT and SIGQUIT the program finds ignored when it starts (nohup, a shell's background job) */
static int case_ignored_at_start(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    const int sigs[] = { SIGHUP, SIGINT, SIGQUIT };
    const char *names[] = { "HUP", "INT", "QUIT" };
    for (int i = 0; i < 3; i++) {
        struct sigaction sa;
        sigaction(sigs[i], NULL, &sa);
        printf("%s %s%s", names[i], sa.sa_handler == SIG_IGN ? "ignored" : "default", i < 2 ? ", " : "\n");
    }
    return 0;
}

/* A program that gives up root (a daemon, su): as root it becomes nobody, then exits */
static int case_drop_root(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (geteuid() == 0 && setuid(65534) != 0)
        return 1;
    printf("running as %s\n", geteuid() == 0 ? "root" : "another user");
    return 0;
}


/* A root process that forks once, gives up root (setgroups, setresgid, setresuid), then forks
   again: the second child has the ids the parent gave itself (under urun it is the spare
   started after the first fork, which was root). Not root: nothing changes, as it reports. */
/* Forks a child that exits at once, and reaps it: under urun, a later fork becomes the spare
   urun started after this one, with the host state it had then. */
static void fork_once(void)
{
    pid_t p = fork();
    if (p == 0)
        _exit(0);
    waitpid(p, NULL, 0);
}

static int case_drop_root_fork(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fork_once();
    pid_t p;
    if (geteuid() == 0) {
        gid_t g = 65533;
        if (setgroups(1, &g) != 0 || setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0)
            return 1;
    }
    uid_t pr, pe, ps;
    getresuid(&pr, &pe, &ps);
    fflush(stdout);
    p = fork();
    if (p == 0) {
        uid_t r, e, s;
        gid_t gr, ge, gs, groups[8];
        getresuid(&r, &e, &s);
        getresgid(&gr, &ge, &gs);
        int n = getgroups(8, groups);
        printf("child uids same as parent's: %d, gids %u %u %u, groups %d first %u\n", r == pr && e == pe && s == ps,
               (unsigned)gr, (unsigned)ge, (unsigned)gs, n, n > 0 ? (unsigned)groups[0] : 0u);
        _exit(0);
    }
    int st;
    waitpid(p, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

/* A program that forks once, then sets no_new_privs and the keep-capabilities flag, then forks
   again: the second child has both (under urun it is the spare started after the first fork). */
static int case_nnp_fork(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fork_once();
    pid_t p;
    int r1 = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), r2 = prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
    printf("set: %d %d\n", r1, r2);
    fflush(stdout);
    p = fork();
    if (p == 0) {
        printf("child: no_new_privs %d keepcaps %d\n", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
        _exit(0);
    }
    int st;
    waitpid(p, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

/* Event descriptors as files: a timerfd or signalfd has no write (EINVAL, before the buffer
   is looked at; a blocking timerfd's write used to wait for ever); readv/writev of an eventfd
   move its counter in the guest's byte order; a forked child's copy of a signalfd reads the
   child's own signals; a pipe2(O_DIRECT) pipe keeps each write as one packet. */
static int case_event_files(int argc, char **argv)
{
    (void)argc, (void)argv;
    int e = eventfd(0x0102, EFD_NONBLOCK);
    int t = timerfd_create(CLOCK_MONOTONIC, 0);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int sf = signalfd(-1, &set, SFD_NONBLOCK);
    uint64_t v = 0x0304;
    struct iovec io = { &v, 8 };
    ssize_t w = writev(e, &io, 1);
    v = 0;
    ssize_t r = readv(e, &io, 1);
    printf("eventfd writev %zd, readv %zd, counter 0x%llx\n", w, r, (unsigned long long)v);
    errno = 0;
    printf("blocking timerfd write: %zd %s\n", write(t, &v, 8), errname(errno));
    errno = 0;
    void *volatile bad = (void *)8;
    printf("timerfd write from a bad pointer: %zd %s\n", write(t, bad, 8), errname(errno));
    errno = 0;
    printf("signalfd write: %zd %s\n", write(sf, &v, 8), errname(errno));
    pid_t pid = fork();
    if (pid == 0) {
        raise(SIGUSR1);
        struct signalfd_siginfo si;
        ssize_t n = read(sf, &si, sizeof si);
        printf("child's signalfd read: %zd, signo %d\n", n, n == sizeof si ? (int)si.ssi_signo : 0);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    struct signalfd_siginfo si;
    errno = 0;
    printf("parent's signalfd after the child's signal: %zd %s\n", read(sf, &si, sizeof si), errname(errno));
    int p[2];
    if (pipe2(p, O_DIRECT) != 0)
        return 1;
    write(p[1], "abc", 3);
    write(p[1], "de", 2);
    char buf[16];
    ssize_t a = read(p[0], buf, sizeof buf);
    ssize_t b = read(p[0], buf, sizeof buf);
    printf("packet pipe reads: %zd then %zd\n", a, b);
    return 0;
}

/* Socket ioctls: SIOCOUTQ (TIOCOUTQ's number) on a unix socket, SIOCATMARK around TCP
   urgent data, SIOCGSTAMP after a UDP datagram. */
static int case_socket_ioctls(int argc, char **argv)
{
    (void)argc, (void)argv;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        return 1;
    int outq = -1;
    printf("SIOCOUTQ, nothing queued: %d, %d\n", ioctl(sv[0], SIOCOUTQ, &outq), outq);
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t alen = sizeof a;
    if (bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 1) || getsockname(l, (struct sockaddr *)&a, &alen))
        return 1;
    int c = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)&a, sizeof a))
        return 1;
    int s = accept(l, NULL, NULL);
    send(c, "ab", 2, 0);
    send(c, "!", 1, MSG_OOB);
    usleep(100000);
    int mark = -1;
    char buf[8];
    ioctl(s, SIOCATMARK, &mark);
    printf("at the mark before reading: %d\n", mark);
    ssize_t n = recv(s, buf, sizeof buf, 0);
    ioctl(s, SIOCATMARK, &mark);
    printf("read %zd, then at the mark: %d\n", n, mark);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in ua = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t ualen = sizeof ua;
    if (bind(u, (struct sockaddr *)&ua, sizeof ua) || getsockname(u, (struct sockaddr *)&ua, &ualen))
        return 1;
    sendto(u, "x", 1, 0, (struct sockaddr *)&ua, sizeof ua);
    recv(u, buf, sizeof buf, 0);
    struct timeval tv = {0, 0};
    int rs = ioctl(u, SIOCGSTAMP, &tv);
    struct timeval now;
    gettimeofday(&now, NULL);
    printf("SIOCGSTAMP: %d, within a minute of now: %d\n", rs, rs == 0 && tv.tv_sec > now.tv_sec - 60 && tv.tv_sec <= now.tv_sec);
    return 0;
}

/* ---- async_io: O_ASYNC by FIOASYNC or F_SETFL, on a socket and a pipe: SIGIO to the
 * F_SETOWN owner when data comes; FIOASYNC on a regular file is ENOTTY ---- */
static volatile sig_atomic_t sigio_count;
static void count_sigio(int sig)
{
    (void)sig;
    sigio_count++;
}

static int wait_sigio(void)
{
    for (int i = 0; i < 200 && !sigio_count; i++)
        usleep(10000);
    int got = sigio_count > 0;
    sigio_count = 0;
    return got;
}

static int case_async_io(int argc, char **argv)
{
    (void)argc;
    signal(SIGIO, count_sigio);
    int sv[2], p[2], on = 1, off = 0;
    if (!(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0))
        return 1;
    int r = ioctl(sv[0], FIOASYNC, &on);
    printf("socket FIOASYNC on: %d %s\n", r, errname(r ? errno : 0));
    if (!(fcntl(sv[0], F_SETOWN, getpid()) == 0))
        return 1;
    printf("O_ASYNC in F_GETFL: %d\n", (fcntl(sv[0], F_GETFL) & O_ASYNC) != 0);
    if (!(write(sv[1], "x", 1) == 1))
        return 1;
    printf("SIGIO after a write: %d\n", wait_sigio());
    r = ioctl(sv[0], FIOASYNC, &off);
    printf("FIOASYNC off: %d, O_ASYNC %d\n", r, (fcntl(sv[0], F_GETFL) & O_ASYNC) != 0);
    if (!(write(sv[1], "x", 1) == 1))
        return 1;
    usleep(100000);
    printf("SIGIO after a write: %d\n", sigio_count > 0);
    if (!(pipe(p) == 0))
        return 1;
    if (!(fcntl(p[0], F_SETOWN, getpid()) == 0))
        return 1;
    printf("pipe F_SETFL O_ASYNC: %d\n", fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_ASYNC));
    printf("O_ASYNC in F_GETFL: %d\n", (fcntl(p[0], F_GETFL) & O_ASYNC) != 0);
    if (!(write(p[1], "y", 1) == 1))
        return 1;
    printf("SIGIO after a pipe write: %d\n", wait_sigio());
    int fd = open(argv[0], O_RDONLY);
    if (!(fd >= 0))
        return 1;
    errno = 0;
    r = ioctl(fd, FIOASYNC, &on);
    printf("regular file FIOASYNC: %d %s\n", r, errname(r ? errno : 0));
    return 0;
}

/* ---- signals_qemu_misses: SA_NOCLDWAIT (no child left for wait: ECHILD once all ended),
 * death by a real-time signal, alarm() after a 2.5 s setitimer, and the mask a thread's
 * execve leaves the new program ---- */
static volatile sig_atomic_t nocld_count;
static void count_nocld(int sig)
{
    (void)sig;
    nocld_count++;
}

static void print_mask(const char *when)
{
    sigset_t s;
    pthread_sigmask(SIG_BLOCK, NULL, &s);
    printf("%s:", when);
    for (int i = 1; i < 32; i++)
        if (sigismember(&s, i))
            printf(" %d", i);
    printf("\n");
    fflush(stdout);
}

static char *exec_self;
static void *exec_from_thread(void *arg)
{
    (void)arg;
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &m, NULL);
    print_mask("thread before execve");
    execl("/proc/self/exe", exec_self, "signals_qemu_misses", "after", (char *)0);
    return NULL;
}

#ifdef __mips__
static volatile int break_code = -1;
static void *volatile break_addr = (void *)1;
/* Takes a break's SIGTRAP and steps over the instruction. */
static void on_break(int sig, siginfo_t *si, void *uc)
{
    break_code = si->si_code;
    break_addr = si->si_addr;
    ((ucontext_t *)uc)->uc_mcontext.pc += 4;
}
#endif

static int case_signals_qemu_misses(int argc, char **argv)
{
    if (argc > 2) {
        print_mask("after execve");
        return 0;
    }
    set_handler(SIGCHLD, count_nocld, SA_NOCLDWAIT | SA_RESTART);
    for (int i = 1; i <= 2; i++)
        if (fork() == 0) {
            usleep(i * 200000);
            _exit(i);
        }
    int st;
    errno = 0;
    int r = wait(&st);
    printf("SA_NOCLDWAIT wait: %d %s, SIGCHLD came %d\n", r, errname(errno), nocld_count >= 1);
    signal(SIGCHLD, SIG_DFL);
    pid_t c = fork();
    if (c == 0) {
        raise(SIGRTMIN + 2);
        _exit(77);
    }
    waitpid(c, &st, 0);
    printf("death by SIGRTMIN+2: %d\n", WIFSIGNALED(st) && WTERMSIG(st) == SIGRTMIN + 2);
    struct itimerval it = {{0, 0}, {2, 500000}};
    setitimer(ITIMER_REAL, &it, NULL);
    printf("alarm(0) after a 2.5 s setitimer: %u\n", alarm(0));
    /* (the SIGCHLD of the child reaped above came under SIG_DFL: urun's host listener may
     * still hand it over later, to the handler set next; a sleep lets it go first) */
    usleep(100000);
    nocld_count = 0;
    set_handler(SIGCHLD, count_nocld, SA_NOCLDSTOP | SA_RESTART);
    c = fork();
    if (c == 0) {
        raise(SIGSTOP);
        _exit(3);
    }
    waitpid(c, &st, WUNTRACED);
    usleep(200000);
    int after_stop = nocld_count;
    kill(c, SIGCONT);
    waitpid(c, &st, 0);
    usleep(100000);
    printf("SA_NOCLDSTOP: SIGCHLDs at the stop %d, in all %d, exit %d\n", after_stop, nocld_count, WEXITSTATUS(st));
    signal(SIGCHLD, SIG_DFL);
#ifdef __arm__
    printf("ARM get_tls: the thread pointer %d\n", syscall(0xf0006) == (long)__builtin_thread_pointer());
#endif
#ifdef __mips__
    set_handler(SIGTRAP, on_break, SA_SIGINFO);
    __asm__ volatile("break 0");
    printf("MIPS break: TRAP_BRKPT %d, no address %d\n", break_code == TRAP_BRKPT, break_addr == NULL);
#endif
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR1);
    sigprocmask(SIG_BLOCK, &m, NULL);
    exec_self = argv[0];
    pthread_t t;
    pthread_create(&t, NULL, exec_from_thread, NULL);
    for (;;)
        pause();
}

static void put_hex(const char *label, const char *s)
{
    printf("%s ", label);
    for (; *s; s++)
        printf("%02x", (unsigned char)*s);
    printf("\n");
}

/*
 * Bytes that are not UTF-8 arrive as they are: in the arguments (argv[3...]) and the
 * environment (RAW), in a directory's name as getcwd and /proc/self/cwd give it (made in
 * argv[2]), in /proc/self/cmdline, and through an execve of the program itself.
 */
static int case_raw_bytes(int argc, char **argv)
{
    for (int i = 3; i < argc; i++)
        put_hex("arg", argv[i]);
    const char *raw = getenv("RAW");
    put_hex("env", raw ? raw : "");
    if (argc < 3 || strcmp(argv[2], "-") == 0)
        return 0;
    char buf[4096];
    if (chdir(argv[2]) != 0 || mkdir("d\xe9", 0700) != 0 || chdir("d\xe9") != 0) {
        printf("chdir: %s\n", errname(errno));
        return 1;
    }
    if (getcwd(buf, sizeof buf))
        put_hex("getcwd tail", strrchr(buf, '/'));
    ssize_t n = readlink("/proc/self/cwd", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    put_hex("cwd link tail", strrchr(buf, '/') ? strrchr(buf, '/') : "");
    chdir("..");
    rmdir("d\xe9");
    int fd = open("/proc/self/cmdline", O_RDONLY);
    n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    const char *last = buf;
    for (const char *p = buf; p < buf + n - 1; p++)
        if (*p == 0)
            last = p + 1;
    put_hex("cmdline last", last);
    fflush(stdout);
    char *args[] = { argv[0], "raw_bytes", "-", "\xe9\xe8", NULL };
    char *env[] = { "RAW=x\xff", NULL };
    execve("/proc/self/exe", args, env);
    printf("execve: %s\n", errname(errno));
    return 1;
}

/*
 * /proc/self/cmdline reads the argument strings as they are now in memory (Linux's
 * get_mm_cmdline): perl's `$0 = ...` writes a name over them padded with NULs, setproctitle
 * runs past their last NUL into the environment's (then: up to the first NUL). qemu-user
 * gives the arguments the program started with.
 */
static void put_cmdline(const char *label)
{
    char buf[8192];
    int fd = open("/proc/self/cmdline", O_RDONLY);
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    printf("%s %zd:", label, n);
    for (ssize_t i = 0; i < n; i++)
        putchar(buf[i] ? buf[i] : '|');
    putchar('\n');
}

static int case_cmdline_rewrite(int argc, char **argv)
{
    char *end = argv[argc - 1] + strlen(argv[argc - 1]);
    size_t area = end - argv[0]; /* the strings' bytes but the last NUL */
    memset(argv[0], 0, area);
    strcpy(argv[0], "renamed");
    put_cmdline("renamed");
    memset(argv[0], 'x', area + 1);
    strcpy(argv[0] + area - 3, "title");
    put_cmdline("title");
    printf("area %zu\n", area);
    return 0;
}

static sigjmp_buf past_eof_env;
static volatile int past_eof_code, past_eof_sig;
static void *volatile past_eof_addr;
static void on_past_eof(int sig, siginfo_t *si, void *uc)
{
    past_eof_sig = sig;
    past_eof_code = si->si_code;
    past_eof_addr = si->si_addr;
    siglongjmp(past_eof_env, sig);
}

/* Evaluates expr (a load or a store); the signal it raised, or 0. */
#define TOUCH(expr) (sigsetjmp(past_eof_env, 1) == 0 ? ((void)(expr), 0) : past_eof_sig)

/*
 * A private file mapping's pages wholly past the end of the file raise SIGBUS (BUS_ADRERR,
 * at the address) when read or written, mprotect or not; the partial last page reads zeros
 * past the end; /proc/self/maps shows the mapping with the protection asked for.
 */
/*
 * mprotect's PROT_GROWSDOWN (glibc's _dl_make_stack_executable, when a MIPS library wants an
 * executable stack): the change reaches down to the start of the stack, which stays one
 * mapping, so pthread_getattr_np still finds the whole stack (Rust's stack-overflow report
 * depends on it); elsewhere, and PROT_GROWSUP anywhere, EINVAL; PROT_SEM is accepted.
 */
static int case_growsdown(int argc, char **argv)
{
    (void)argc, (void)argv;
    int here;
    uintptr_t page = (uintptr_t)&here & ~(uintptr_t)4095;
    printf("growsdown on the stack: %d\n", mprotect((void *)page, 4096, PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN));
    pthread_attr_t at;
    void *addr;
    size_t size;
    pthread_getattr_np(pthread_self(), &at);
    pthread_attr_getstack(&at, &addr, &size);
    struct rlimit rl;
    getrlimit(RLIMIT_STACK, &rl);
    printf("stack size is the limit: %d\n", size == rl.rlim_cur);
    static char data[8192] __attribute__((aligned(4096)));
    int r = mprotect(data, 4096, PROT_READ | PROT_WRITE | PROT_GROWSDOWN);
    printf("growsdown elsewhere: %d %s\n", r, r ? strerror(errno) : "");
    r = mprotect(data, 4096, PROT_READ | PROT_WRITE | PROT_GROWSUP);
    printf("growsup: %d %s\n", r, r ? strerror(errno) : "");
    printf("PROT_SEM: %d\n", mprotect(data, 4096, PROT_READ | PROT_WRITE | 0x8));
    return 0;
}

static char *volatile past_eof_shared;
static int past_eof_fd;
static void *past_eof_thread(void *arg)
{
    int hit = TOUCH(*(volatile char *)(past_eof_shared + 4096));
    printf("shared, in a thread: SIGBUS %d\n", hit == SIGBUS);
    pwrite(past_eof_fd, "!", 1, 6000);
    hit = TOUCH(past_eof_shared[4096] = 'h');
    char c = 0;
    pread(past_eof_fd, &c, 1, 4096);
    printf("shared, in a thread, once a write made the file reach it: signal %d, the file has it %d\n", hit, c == 'h');
    return arg;
}

static int case_past_eof(int argc, char **argv)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/past_eof", argc > 2 ? argv[2] : "/tmp");
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    unlink(path);
    char data[5000];
    memset(data, 'x', sizeof data);
    if (fd < 0 || write(fd, data, sizeof data) != sizeof data) {
        printf("file: %s\n", errname(errno));
        return 1;
    }
    set_handler(SIGBUS, on_past_eof, SA_SIGINFO);
    set_handler(SIGSEGV, on_past_eof, SA_SIGINFO);
    char *volatile p = mmap(0, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    printf("last byte %c, zeros after it in its page %d\n", p[4999], p[5000] == 0 && p[8191] == 0);
    past_eof_code = 0;
    int hit = TOUCH(*(volatile char *)(p + 8192));
    printf("read past the end: SIGBUS %d, BUS_ADRERR %d, at the address %d\n", hit == SIGBUS, past_eof_code == BUS_ADRERR, past_eof_addr == p + 8192);
    past_eof_code = 0;
    hit = TOUCH(p[3 * 4096 - 1] = 1);
    printf("write past the end: SIGBUS %d, BUS_ADRERR %d\n", hit == SIGBUS, past_eof_code == BUS_ADRERR);
    FILE *maps = fopen("/proc/self/maps", "r");
    char line[512];
    int rw = 1, seen = 0;
    while (fgets(line, sizeof line, maps)) {
        unsigned long lo, hi;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 && lo < (unsigned long)p + 3 * 4096 && hi > (unsigned long)p) {
            seen = 1;
            rw &= strncmp(perms, "rw", 2) == 0;
        }
    }
    fclose(maps);
    printf("maps: rw all through %d\n", seen && rw);
    mprotect(p, 3 * 4096, PROT_READ);
    past_eof_code = 0;
    hit = TOUCH(*(volatile char *)(p + 8192));
    printf("after mprotect: SIGBUS %d, BUS_ADRERR %d\n", hit == SIGBUS, past_eof_code == BUS_ADRERR);
    munmap(p, 3 * 4096);
    char *volatile q = mmap(0, 4096, PROT_READ, MAP_PRIVATE, fd, 8192);
    past_eof_code = 0;
    hit = TOUCH(*(volatile char *)q);
    printf("an offset past the end: SIGBUS %d, BUS_ADRERR %d\n", hit == SIGBUS, past_eof_code == BUS_ADRERR);

    /* a shared mapping's pages past the end too, until the file reaches them */
    char *volatile s = mmap(0, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    past_eof_code = 0;
    hit = TOUCH(*(volatile char *)(s + 8192));
    printf("shared, read past the end: SIGBUS %d, BUS_ADRERR %d, at the address %d\n", hit == SIGBUS, past_eof_code == BUS_ADRERR, past_eof_addr == s + 8192);
    int null = open("/dev/null", O_WRONLY);
    errno = 0;
    long w = write(null, s + 8192, 10);
    printf("shared, write() from past the end: %ld %s\n", w, errname(errno));
    close(null);
    if (ftruncate(fd, 9000) != 0)
        return 1;
    hit = TOUCH(s[8192] = 'g');
    char c = 0;
    pread(fd, &c, 1, 8192);
    printf("shared, once the file reaches it: signal %d, the file has it %d\n", hit, c == 'g');
    if (ftruncate(fd, 100) != 0)
        return 1;
    hit = TOUCH(*(volatile char *)(s + 4096));
    printf("shared, after a truncation: SIGBUS %d; the first page still reads %c\n", hit == SIGBUS, s[99]);
    /* a thread's touch, once a write (not a truncation) has made the file reach the page */
    past_eof_shared = s;
    past_eof_fd = fd;
    pthread_t t;
    if (pthread_create(&t, NULL, past_eof_thread, NULL) != 0 || pthread_join(t, NULL) != 0)
        return 1;
    return 0;
}

/*
 * A shared file mapping longer than the file: what the file gains later (a pwrite past its
 * end, an ftruncate) shows in it, and stores there reach the file, a forked child's too
 * (a database that maps more than it has written, as LMDB does).
 */
static int case_shared_grow(int argc, char **argv)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/shared_grow", argc > 2 ? argv[2] : "/tmp");
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    unlink(path);
    if (fd < 0 || write(fd, "abc", 3) != 3) {
        printf("file: %s\n", errname(errno));
        return 1;
    }
    char *p = mmap(0, 4 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    pwrite(fd, "y", 1, 8192);
    printf("written past the old end shows: %c\n", p[8192]);
    ftruncate(fd, 4 * 4096);
    p[12288] = 'z';
    char c = 0;
    pread(fd, &c, 1, 12288);
    printf("stored after it grew reaches the file: %c\n", c);
    if (fork() == 0) {
        p[12289] = 'w';
        _exit(0);
    }
    wait(NULL);
    pread(fd, &c, 1, 12289);
    printf("a child's store too: %c\n", c);
    return 0;
}

/* alarm(1) in a loop without system calls, after a while: its default action ends the program a second later. */
static int case_alarm_busy(int argc, char **argv)
{
    sleep(5);
    alarm(1);
    volatile unsigned long n = 0;
    while (n != ~0ul)
        n++;
    return 1;
}


/* ---- spawn_threaded: posix_spawn, system and popen from a second thread, and from the
 * first while a second lives. glibc's posix_spawn child shares memory with its parent
 * (CLONE_VM | CLONE_VFORK) and leaves an exec error there: a missing program is ENOENT on
 * Linux (qemu-user runs the child on a copy: 0, and a child exiting 127). The child's file
 * actions and signal defaults are its own, not its parent's. */
#include <spawn.h>
extern char **environ;
static volatile sig_atomic_t spawn_usr1;
static void on_spawn_usr1(int s) { (void)s; spawn_usr1++; }

/* posix_spawn's addchdir moves the child, not its parent */
static void spawn_in_root(const char *who)
{
    int out[2];
    if (pipe(out) != 0)
        return;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addchdir_np(&fa, "/");
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    char *pwd[] = {"sh", "-c", "pwd", NULL};
    pid_t pid;
    int r = posix_spawnp(&pid, "sh", &fa, NULL, pwd, environ);
    close(out[1]);
    char buf[128] = {0}, here[256];
    (void)!read(out[0], buf, sizeof buf - 1);
    close(out[0]);
    waitpid(pid, NULL, 0);
    printf("%s: addchdir %s, child in %s", who, errname(r), buf);
    printf("%s: parent still in /dev: %d\n", who, getcwd(here, sizeof here) && strcmp(here, "/dev") == 0);
    posix_spawn_file_actions_destroy(&fa);
}

/* a vfork child (its own stack, sharing memory) with a umask and directory of its own */
static char vfork_stack[16384] __attribute__((aligned(16)));
static int vfork_umask_child(void *arg)
{
    (void)arg;
    umask(077);
    (void)!chdir("/");
    _exit(0);
}

static void vfork_umask(const char *who)
{
    mode_t before = umask(022);
    pid_t pid = clone(vfork_umask_child, vfork_stack + sizeof vfork_stack, CLONE_VM | CLONE_VFORK | SIGCHLD, NULL);
    waitpid(pid, NULL, 0);
    mode_t after = umask(before);
    char here[256];
    printf("%s: after a vfork child's umask and chdir: umask %03o, in /dev: %d\n", who, (unsigned)after,
           getcwd(here, sizeof here) && strcmp(here, "/dev") == 0);
}

static void *spawn_round(void *arg)
{
    const char *who = arg;
    int out[2];
    if (pipe(out) != 0)
        return NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    posix_spawn_file_actions_addclose(&fa, out[1]);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t def;
    sigemptyset(&def);
    sigaddset(&def, SIGUSR1);
    posix_spawnattr_setsigdefault(&attr, &def);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
    char *sh[] = {"sh", "-c", "echo \"child says $0\"; exit 5", (char *)who, NULL};
    pid_t pid;
    int r = posix_spawnp(&pid, "sh", &fa, &attr, sh, environ);
    close(out[1]);
    char buf[128] = {0};
    ssize_t n = read(out[0], buf, sizeof buf - 1);
    int st = -1;
    waitpid(pid, &st, 0);
    printf("%s: posix_spawnp %s, read %zd: %s", who, errname(r), n, n > 0 ? buf : "\n");
    printf("%s: status %d, pipe's read end still open here: %d, SIGUSR1 handler kept: %d\n", who,
           WIFEXITED(st) ? WEXITSTATUS(st) : -1, fcntl(out[0], F_GETFD) >= 0,
           (raise(SIGUSR1), spawn_usr1 > 0));
    close(out[0]);
    char *none[] = {"/nonexistent/prog", NULL};
    r = posix_spawn(&pid, "/nonexistent/prog", NULL, NULL, none, environ);
    printf("%s: missing program: %s\n", who, errname(r));
    posix_spawn_file_actions_destroy(&fa);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/nonexistent/input", O_RDONLY, 0);
    r = posix_spawnp(&pid, "sh", &fa, NULL, sh, environ);
    printf("%s: missing file to open: %s\n", who, errname(r));
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    spawn_in_root(who);
    vfork_umask(who);
    st = system("exit 3");
    printf("%s: system: %d\n", who, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    FILE *p = popen("echo popen works", "r");
    if (p && fgets(buf, sizeof buf, p))
        printf("%s: %s", who, buf);
    if (p)
        printf("%s: pclose %d\n", who, pclose(p));
    fflush(stdout);
    return NULL;
}

static void *spawn_idle(void *arg)
{
    int *fd = arg;
    char c;
    (void)!read(*fd, &c, 1);
    return NULL;
}

static int case_spawn_threaded(int argc, char **argv)
{
    (void)argc, (void)argv;
    signal(SIGUSR1, on_spawn_usr1);
    if (chdir("/dev") != 0)
        return 1;
    spawn_in_root("no thread yet");
    vfork_umask("no thread yet");
    pthread_t t;
    pthread_create(&t, NULL, spawn_round, "second thread");
    pthread_join(t, NULL);
    int hold[2];
    if (pipe(hold) != 0)
        return 1;
    pthread_create(&t, NULL, spawn_idle, &hold[0]);
    spawn_usr1 = 0;
    spawn_round("first thread");
    (void)!write(hold[1], "", 1);
    pthread_join(t, NULL);
    return 0;
}

/* ---- many_fds: poll over more than 1024 descriptors (up to RLIMIT_NOFILE) and epoll_wait
 * handing over more than 1024 events in one call; MADV_DONTNEED on a private file mapping
 * reads the file again, and zeroes anonymous pages of any protection; /proc/self/smaps lists the same mappings as maps. */
static int case_many_fds(int argc, char **argv)
{
    (void)argc, (void)argv;
    enum { PAIRS = 800 };
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < 2 * PAIRS + 64) {
        printf("hard RLIMIT_NOFILE too low\n");
        return 1;
    }
    rl.rlim_cur = 2 * PAIRS + 64;
    setrlimit(RLIMIT_NOFILE, &rl);
    static struct pollfd pfds[2 * PAIRS];
    static struct epoll_event evs[2 * PAIRS];
    int ep = epoll_create1(0), made = 0;
    for (int i = 0; i < PAIRS; i++) {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
            break;
        for (int j = 0; j < 2; j++) {
            pfds[2 * i + j] = (struct pollfd){.fd = sv[j], .events = POLLOUT};
            struct epoll_event e = {.events = EPOLLOUT, .data.fd = sv[j]};
            epoll_ctl(ep, EPOLL_CTL_ADD, sv[j], &e);
        }
        made++;
    }
    printf("socket pairs: %d\n", made);
    printf("poll over %d: %d ready\n", 2 * made, poll(pfds, 2 * made, 0));
    printf("epoll_wait: %d events in one call\n", epoll_wait(ep, evs, 2 * PAIRS, 0));
    /* select past FD_SETSIZE with a bigger set of the program's own, and nfds past every descriptor */
    static unsigned long bits[2048 / (8 * sizeof(unsigned long))];
    dup2(1, 1500);
    bits[1500 / (8 * sizeof(unsigned long))] |= 1UL << (1500 % (8 * sizeof(unsigned long)));
    struct timeval zero = {0, 0};
    printf("select on descriptor 1500: %d\n", select(1501, NULL, (fd_set *)bits, NULL, &zero));
    struct timespec none = {0, 0};
    printf("pselect with nfds 5000 and no sets: %d\n", pselect(5000, NULL, NULL, NULL, &none, NULL));
    close(1500);
    for (int i = 0; i < 2 * made; i++)
        close(pfds[i].fd);
    close(ep);

    char path[] = "/tmp/urun-madv-XXXXXX";
    int fd = mkstemp(path);
    (void)!write(fd, "filecontent", 11);
    char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    memcpy(p, "overwritten", 11);
    madvise(p, 4096, MADV_DONTNEED);
    printf("private file page after MADV_DONTNEED: %.11s\n", p);
    munmap(p, 4096);
    /* read-only: the page the file has now, written since the mapping was made */
    p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
    char first = p[0];
    (void)!pwrite(fd, "FILE", 4, 0);
    madvise(p, 4096, MADV_DONTNEED);
    printf("read-only one: %c, then %.11s\n", first, p);
    munmap(p, 4096);
    close(fd);
    unlink(path);
    /* anonymous pages read back as zeros whatever their protection */
    char *a = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    a[0] = 'r', a[4096] = 'n';
    mprotect(a, 4096, PROT_READ);
    mprotect(a + 4096, 4096, PROT_NONE);
    madvise(a, 2 * 4096, MADV_DONTNEED);
    mprotect(a, 2 * 4096, PROT_READ);
    printf("anonymous read-only and PROT_NONE pages after MADV_DONTNEED: %d %d\n", a[0], a[4096]);
    munmap(a, 2 * 4096);

    char maps[256] = {0}, smaps[256] = {0}, size[64] = {0};
    FILE *m = fopen("/proc/self/maps", "r"), *sm = fopen("/proc/self/smaps", "r");
    if (m && sm && fgets(maps, sizeof maps, m) && fgets(smaps, sizeof smaps, sm) && fgets(size, sizeof size, sm)) {
        unsigned long lo, hi, kb = 0;
        sscanf(maps, "%lx-%lx", &lo, &hi);
        sscanf(size, "Size: %lu kB", &kb);
        printf("smaps starts as maps: %d, its size in kB: %d\n", strcmp(maps, smaps) == 0, kb == (hi - lo) / 1024);
    }
    return 0;
}

/* ---- sched_fdinfo: what system tools read of a process (found with chrt, taskset, prlimit,
 * lsof): clock_getres as Linux answers it; sched_getattr's policy (SCHED_BATCH kept) and its
 * struct; the CPU mask a forked child keeps; /proc/self/fdinfo of the guest's own
 * descriptor, and none for one it does not have. */
struct sched_attr_v1 {
    uint32_t size, policy;
    uint64_t flags;
    int32_t nice;
    uint32_t priority;
    uint64_t runtime, deadline, period;
    uint32_t util_min, util_max;
};

/* ---- sched_setattr: checked as Linux checks it (its struct's size, flags, policy and
 * priority, a deadline's parameters) and kept as sched_setscheduler keeps a policy; the nice
 * value given is the current one, so that the run is not slowed. */
static long set_attr(struct sched_attr_v1 *a, const char *what)
{
    long r = syscall(SYS_sched_setattr, 0, a, 0);
    printf("%s: %ld%s%s\n", what, r, r ? " " : "", r ? strerrorname_np(errno) : "");
    return r;
}

static int case_sched_setattr(int argc, char **argv)
{
    (void)argc, (void)argv;
    struct sched_attr_v1 a;
    int nice = getpriority(PRIO_PROCESS, 0);
#define RESET() (memset(&a, 0, sizeof a), a.size = 48, a.nice = nice)
    RESET();
    a.policy = SCHED_IDLE;
    set_attr(&a, "SCHED_IDLE");
    printf("policy now %d\n", sched_getscheduler(0));
    memset(&a, 0xff, sizeof a);
    syscall(SYS_sched_getattr, 0, &a, sizeof a, 0);
    printf("sched_getattr: policy %u, priority %u, nice is the same %d\n", a.policy, a.priority, a.nice == nice);
    RESET();
    a.policy = SCHED_BATCH;
    a.flags = 1; /* SCHED_FLAG_RESET_ON_FORK */
    set_attr(&a, "SCHED_BATCH, reset on fork");
    printf("policy now %#x\n", sched_getscheduler(0));
    RESET();
    a.flags = 8 | 0x10; /* SCHED_FLAG_KEEP_POLICY | SCHED_FLAG_KEEP_PARAMS */
    set_attr(&a, "keep policy and parameters");
    printf("policy now %#x\n", sched_getscheduler(0));
    RESET();
    a.size = 0;
    set_attr(&a, "size 0 (48), SCHED_OTHER");
    printf("policy now %d\n", sched_getscheduler(0));
    RESET();
    a.size = 40;
    set_attr(&a, "size 40");
    printf("size written back: %u\n", a.size);
    unsigned char big[80];
    memset(big, 0, sizeof big);
    RESET();
    memcpy(big, &a, sizeof a);
    ((struct sched_attr_v1 *)big)->size = 80;
    set_attr((struct sched_attr_v1 *)big, "size 80, zeros past 56");
    big[70] = 1;
    ((struct sched_attr_v1 *)big)->size = 80;
    set_attr((struct sched_attr_v1 *)big, "size 80, a byte past 56");
    printf("size written back: %u\n", ((struct sched_attr_v1 *)big)->size);
    RESET();
    a.policy = SCHED_FIFO;
    set_attr(&a, "SCHED_FIFO at priority 0");
    RESET();
    a.priority = 1;
    set_attr(&a, "SCHED_OTHER at priority 1");
    RESET();
    a.policy = 4;
    set_attr(&a, "policy 4");
    RESET();
    a.flags = 0x80;
    set_attr(&a, "flag 0x80");
    RESET();
    a.policy = 6; /* SCHED_DEADLINE */
    a.runtime = 100;
    a.deadline = 1000000;
    set_attr(&a, "SCHED_DEADLINE, runtime 100 ns");
    RESET();
    a.flags = 0x20; /* SCHED_FLAG_UTIL_CLAMP_MIN */
    a.util_min = 2000;
    set_attr(&a, "utilisation minimum 2000");
    RESET();
    long r = syscall(SYS_sched_setattr, 0, &a, 1);
    printf("flags argument 1: %ld%s%s\n", r, r ? " " : "", r ? strerrorname_np(errno) : "");
    r = syscall(SYS_sched_setattr, -1, &a, 0);
    printf("pid -1: %ld%s%s\n", r, r ? " " : "", r ? strerrorname_np(errno) : "");
    r = syscall(SYS_sched_setattr, 0, NULL, 0);
    printf("no struct: %ld%s%s\n", r, r ? " " : "", r ? strerrorname_np(errno) : "");
    printf("policy at the end %d\n", sched_getscheduler(0));
#undef RESET
    return 0;
}

static int case_sched_fdinfo(int argc, char **argv)
{
    (void)argc, (void)argv;
    struct timespec res;
    clock_getres(CLOCK_MONOTONIC_COARSE, &res);
    printf("coarse clock's resolution, a tick of 1-10 ms: %d\n", res.tv_sec == 0 && res.tv_nsec >= 1000000 && res.tv_nsec <= 10000000);
    clock_getres(CLOCK_MONOTONIC, &res);
    printf("monotonic clock's resolution: %ld ns\n", (long)res.tv_nsec);
    long bad = syscall(SYS_clock_getres, 99, NULL);
    printf("clock_getres of clock 99: %ld %s\n", bad, bad ? strerror(errno) : "");
    struct sched_attr_v1 a;
    memset(&a, 0xff, sizeof a);
    long r = syscall(SYS_sched_getattr, 0, &a, sizeof a, 0);
    printf("sched_getattr: %ld, size %u, policy %u, priority %u\n", r, a.size, a.policy, a.priority);
    r = syscall(SYS_sched_getattr, 0, &a, 8192, 0);
    printf("sched_getattr with size 8192: %ld %s\n", r, r ? strerror(errno) : "");
    struct sched_param sp = {0};
    r = sched_setscheduler(0, SCHED_BATCH, &sp);
    printf("SCHED_BATCH: %ld, now %d\n", r, sched_getscheduler(0));
    r = syscall(SYS_sched_getattr, 0, &a, sizeof a, 0);
    printf("sched_getattr policy: %u\n", a.policy);
    sched_setscheduler(0, SCHED_OTHER, &sp);

    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    sched_setaffinity(0, sizeof one, &one);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        cpu_set_t got;
        sched_getaffinity(0, sizeof got, &got);
        printf("forked child's CPUs: %d\n", CPU_COUNT(&got));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);

    int fd = open("/", O_RDONLY | O_CLOEXEC);
    lseek(fd, 1, SEEK_SET);
    char path[64], line[128];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "pos:", 4) == 0)
            printf("fdinfo %s", line);
        if (strncmp(line, "flags:", 6) == 0) {
            long flags = strtol(line + 6, NULL, 8);
            printf("fdinfo flags: close-on-exec %d, read-only %d\n", (flags & O_CLOEXEC) != 0, (flags & O_ACCMODE) == O_RDONLY);
        }
    }
    if (f)
        fclose(f);
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", 900);
    struct stat st;
    printf("fdinfo of a descriptor it does not have: %d\n", stat(path, &st));
    return 0;
}

/* ---- settime_invalid: setting the clock to a time Linux would not take is EINVAL, checked
 * before the privilege (EPERM): a negative time, tv_nsec or tv_usec out of range, a time past
 * TIME_SETTOD_SEC_MAX. (Only invalid times here: with CAP_SYS_TIME qemu-user or a native run
 * would set the host's clock to a valid one.) */
static int case_settime_invalid(int argc, char **argv)
{
    (void)argc, (void)argv;
    int32_t ts32[2] = {-1, 0}, bad_ns[2] = {0, 1000000000}, bad_us[2] = {0, 1000000};
    long r = syscall(SYS_clock_settime, CLOCK_REALTIME, ts32);
    printf("clock_settime before 1970: %ld %s\n", r, r ? strerror(errno) : "");
    r = syscall(SYS_clock_settime, CLOCK_REALTIME, bad_ns);
    printf("clock_settime tv_nsec 1e9: %ld %s\n", r, r ? strerror(errno) : "");
    r = syscall(SYS_settimeofday, bad_us, NULL);
    printf("settimeofday tv_usec 1e6: %ld %s\n", r, r ? strerror(errno) : "");
    r = syscall(SYS_settimeofday, ts32, NULL);
    printf("settimeofday before 1970: %ld %s\n", r, r ? strerror(errno) : "");
#ifdef SYS_clock_settime64
    struct { int64_t sec; int64_t nsec; } far = {8277292036LL, 0};
    r = syscall(SYS_clock_settime64, CLOCK_REALTIME, &far);
    printf("clock_settime64 past TIME_SETTOD_SEC_MAX: %ld %s\n", r, r ? strerror(errno) : "");
#else
    printf("clock_settime64 past TIME_SETTOD_SEC_MAX: -1 Invalid argument\n");
#endif
    return 0;
}

/* ---- many_timers: a process may have more than 32 POSIX timers (Linux's limit is
 * RLIMIT_SIGPENDING; qemu-user has a table of 32), and the one after 40 still fires. */
static int case_many_timers(int argc, char **argv)
{
    (void)argc, (void)argv;
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_NONE;
    int made = 0;
    for (int i = 0; i < 40; i++) {
        timer_t t;
        if (timer_create(CLOCK_MONOTONIC, &ev, &t) == 0) made++;
    }
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    timer_t last;
    int r = timer_create(CLOCK_MONOTONIC, &ev, &last);
    struct itimerspec its = {{0, 0}, {0, 10000000}};
    if (r == 0) timer_settime(last, 0, &its, NULL);
    struct timespec wait = {5, 0};
    int sig = r == 0 ? sigtimedwait(&usr1, NULL, &wait) : -1;
    printf("timers made: %d, the 41st: %d, its signal: %d\n", made, r, sig == SIGUSR1);
    return 0;
}

/* ---- stat_before_1970: a time before 1970 with a fraction of a second, as stat64, fstat64
 * and fstatat64 give it: whole seconds rounded down and tv_nsec in [0, 1e9) (old urun:
 * seconds rounded toward zero and a negative tv_nsec, which made pax -rw warn "File ...
 * was modified during copy" as its fstat and its stat disagreed with statx). */
static int case_stat_before_1970(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    char path[512];
    snprintf(path, sizeof path, "%s/before-1970", argv[2]);
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    struct timespec times[2] = { { -1, 500000000 }, { -315576000, 123456789 } };
    long r = utimensat(AT_FDCWD, path, times, 0);
    printf("utimensat: %ld\n", r);
    struct stat64 st;
    memset(&st, 0, sizeof st);
    r = syscall(SYS_stat64, path, &st);
    printf("stat64: %ld, atime %lld.%09ld mtime %lld.%09ld\n", r, (long long)st.st_atim.tv_sec, (long)st.st_atim.tv_nsec,
           (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
    memset(&st, 0, sizeof st);
    r = syscall(SYS_fstat64, fd, &st);
    printf("fstat64: %ld, mtime %lld.%09ld\n", r, (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
    memset(&st, 0, sizeof st);
#ifdef SYS_fstatat64
    r = syscall(SYS_fstatat64, AT_FDCWD, path, &st, 0);
#else
    r = syscall(SYS_newfstatat, AT_FDCWD, path, &st, 0);
#endif
    printf("fstatat64: %ld, mtime %lld.%09ld\n", r, (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
    struct statx sx;
    r = statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx);
    printf("statx: %ld, mtime %lld.%09u\n", r, (long long)sx.stx_mtime.tv_sec, sx.stx_mtime.tv_nsec);
    close(fd);
    return 0;
}

/* ---- efbig_no_signal: past the file system's largest file (offset + length beyond
 * s_maxbytes) fallocate fails with EFBIG, and with no RLIMIT_FSIZE there is no SIGXFSZ
 * (old urun sent one for every EFBIG: `truncate -s 20T` on ext4 died of it). ---- */
static volatile sig_atomic_t xfsz_seen;
static void on_xfsz(int sig)
{
    (void)sig;
    xfsz_seen++;
}

static int case_efbig_no_signal(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    const char *path = in_dir(argv[2], "huge");
    int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
    set_handler(SIGXFSZ, on_xfsz, 0);
    errno = 0;
    int r = fallocate64(fd, 0, 0x7ffffffffffff000LL, 0x2000);
    printf("fallocate past the largest file: %d %s, SIGXFSZ %d\n", r, errname(errno), (int)xfsz_seen);
    signal(SIGXFSZ, SIG_DFL);
    errno = 0;
    r = fallocate64(fd, 0, 0x7ffffffffffff000LL, 0x2000);
    printf("again, SIGXFSZ at its default: %d %s\n", r, errname(errno));
    close(fd);
    unlink(path);
    return 0;
}

/* ---- times_null_path: utimensat/futimesat with AT_FDCWD and a NULL path, and utimes
 * with a NULL path, read the path: EFAULT (old urun: EBADF for AT_FDCWD taken as the
 * descriptor); with a descriptor, a NULL path sets that file's times. ---- */
static int case_times_null_path(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    const char *path = in_dir(argv[2], "times");
    int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
    errno = 0;
    long r = syscall(SYS_utimensat, AT_FDCWD, NULL, NULL, 0);
    printf("utimensat(AT_FDCWD, NULL): %ld %s\n", r, errname(errno));
    errno = 0;
    r = syscall(SYS_futimesat, AT_FDCWD, NULL, NULL);
    printf("futimesat(AT_FDCWD, NULL): %ld %s\n", r, errname(errno));
    errno = 0;
    r = syscall(SYS_utimes, NULL, NULL);
    printf("utimes(NULL): %ld %s\n", r, errname(errno));
    struct timespec ts[2] = { { 1000, 0 }, { 2000, 0 } };
    errno = 0;
    r = syscall(SYS_utimensat, fd, NULL, ts, 0);
    struct stat st;
    fstat(fd, &st);
    printf("utimensat(fd, NULL): %ld %s, mtime %ld\n", r, errname(errno), (long)st.st_mtime);
    close(fd);
    unlink(path);
    return 0;
}

/* ---- xattr_too_big: a value longer than XATTR_SIZE_MAX (64 KiB) is E2BIG (old urun cut
 * it to 64 KiB and passed it on: ENOSPC on ext4); a buffer that long for getxattr is fine. ---- */
static int case_xattr_too_big(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    const char *path = in_dir(argv[2], "attrs");
    int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
    static char value[70000];
    memset(value, 'v', sizeof value);
    errno = 0;
    int r = setxattr(path, "user.big", value, 65537, 0);
    printf("setxattr of 65537 bytes: %d %s\n", r, errname(errno));
    errno = 0;
    r = fsetxattr(fd, "user.big", value, sizeof value, 0);
    printf("fsetxattr of 70000 bytes: %d %s\n", r, errname(errno));
    /* (Where the file system has no user attributes, there is nothing to read back.) */
    r = setxattr(path, "user.small", value, 100, 0);
    ssize_t n = r == 0 ? getxattr(path, "user.small", value, sizeof value) : errno == EOPNOTSUPP ? 100 : -1;
    printf("a 100-byte value, read into 70000 bytes: %d\n", n == 100);
    close(fd);
    unlink(path);
    return 0;
}

/* ---- owner_ex: fcntl F_GETOWN (which glibc makes with F_GETOWN_EX), F_SETOWN_EX and
 * F_GETOWN_EX (old urun: EINVAL for both, so every fcntl(fd, F_GETOWN) failed). ---- */
static int case_owner_ex(int argc, char **argv)
{
    (void)argc, (void)argv;
    int p[2];
    if (pipe(p))
        return 1;
    errno = 0;
    int r = fcntl(p[0], F_GETOWN);
    printf("F_GETOWN, no owner: %d %s\n", r, errname(errno));
    errno = 0;
    r = fcntl(p[0], F_SETOWN, getpid());
    printf("F_SETOWN to itself: %d %s\n", r, errname(errno));
    printf("F_GETOWN is its pid: %d\n", fcntl(p[0], F_GETOWN) == getpid());
    struct f_owner_ex ex = { 0, 0 };
    errno = 0;
    r = fcntl(p[0], F_GETOWN_EX, &ex);
    printf("F_GETOWN_EX: %d %s, F_OWNER_PID %d, its pid %d\n", r, errname(errno), ex.type == F_OWNER_PID, ex.pid == getpid());
    ex.type = F_OWNER_PGRP;
    ex.pid = getpgrp();
    errno = 0;
    r = fcntl(p[0], F_SETOWN_EX, &ex);
    printf("F_SETOWN_EX to its group: %d %s\n", r, errname(errno));
    printf("F_GETOWN is minus its group: %d\n", fcntl(p[0], F_GETOWN) == -getpgrp());
    ex.type = 7;
    errno = 0;
    r = fcntl(p[0], F_SETOWN_EX, &ex);
    printf("F_SETOWN_EX, type 7: %d %s\n", r, errname(errno));
    errno = 0;
    r = fcntl(p[0], F_GETOWN_EX, (void *)16);
    printf("F_GETOWN_EX to a bad address: %d %s\n", r, errname(errno));
    return 0;
}

/* ---- sendfile_append: sendfile to a file opened O_APPEND is EINVAL and writes nothing (old
 * urun appended the data); to the same file without O_APPEND it works. ---- */
static int case_sendfile_append(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    char src[512], dst[512];
    snprintf(src, sizeof src, "%s/src", argv[2]);
    snprintf(dst, sizeof dst, "%s/dst", argv[2]);
    int in = open(src, O_CREAT | O_RDWR | O_TRUNC, 0644);
    write_all(in, "0123456789");
    int out = open(dst, O_CREAT | O_WRONLY | O_TRUNC | O_APPEND, 0644);
    off_t off = 0;
    errno = 0;
    ssize_t r = sendfile(out, in, &off, 4);
    struct stat st;
    fstat(out, &st);
    printf("sendfile to O_APPEND: %zd %s, offset %ld, size %ld\n", r, errname(errno), (long)off, (long)st.st_size);
    fcntl(out, F_SETFL, 0);
    errno = 0;
    r = sendfile(out, in, &off, 4);
    fstat(out, &st);
    printf("after F_SETFL 0: %zd %s, offset %ld, size %ld\n", r, errname(errno), (long)off, (long)st.st_size);
    close(in);
    close(out);
    unlink(src);
    unlink(dst);
    return 0;
}

/* ---- statx_sync_type: AT_STATX_FORCE_SYNC and AT_STATX_DONT_SYNC together are EINVAL (old
 * urun: 0 for a file with a birth time, whose statx it answers itself); each alone is fine. ---- */
static int case_statx_sync_type(int argc, char **argv)
{
    (void)argc, (void)argv;
    struct statx sx;
    errno = 0;
    int r = statx(AT_FDCWD, "/proc/self/exe", AT_STATX_FORCE_SYNC, STATX_BASIC_STATS, &sx);
    printf("AT_STATX_FORCE_SYNC: %d %s\n", r, errname(errno));
    errno = 0;
    r = statx(AT_FDCWD, "/proc/self/exe", AT_STATX_DONT_SYNC, STATX_BASIC_STATS, &sx);
    printf("AT_STATX_DONT_SYNC: %d %s\n", r, errname(errno));
    errno = 0;
    r = statx(AT_FDCWD, "/proc/self/exe", AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC, STATX_BASIC_STATS, &sx);
    printf("both: %d %s\n", r, errname(errno));
    return 0;
}

static const struct guest_case cases[] = {
    { "statx_sync_type", case_statx_sync_type },
    { "sendfile_append", case_sendfile_append },
    { "owner_ex", case_owner_ex },
    { "xattr_too_big", case_xattr_too_big },
    { "times_null_path", case_times_null_path },
    { "efbig_no_signal", case_efbig_no_signal },
    { "stat_before_1970", case_stat_before_1970 },
    { "many_timers", case_many_timers },
    { "settime_invalid", case_settime_invalid },
    { "many_fds", case_many_fds },
    { "spawn_threaded", case_spawn_threaded },
    { "alarm_busy", case_alarm_busy },
    { "shared_grow", case_shared_grow },
    { "past_eof", case_past_eof },
    { "growsdown", case_growsdown },
    { "sched_fdinfo", case_sched_fdinfo },
    { "sched_setattr", case_sched_setattr },
    { "absent_features", case_absent_features },
    { "prctl_more", case_prctl_more },
    { "setns", case_setns },
    { "more_sockopts", case_more_sockopts },
    { "raw_bytes", case_raw_bytes },
    { "event_files", case_event_files },
    { "socket_ioctls", case_socket_ioctls },
    { "async_io", case_async_io },
    { "signals_qemu_misses", case_signals_qemu_misses },
    { "locks", case_locks },
    { "lock_deadlock", case_lock_deadlock },
    { "memfd_seals", case_memfd_seals },
    { "stdin_seek", case_stdin_seek },
    { "errors", case_errors },
    { "fileops", case_fileops },
    { "tty", case_tty },
    { "tty_noinput", case_tty_noinput },
    { "fdpaths", case_fdpaths },
    { "longpath", case_longpath },
    { "cat", case_cat },
    { "nproc", case_nproc },
    { "cwd", case_cwd },
    { "atdir", case_atdir },
    { "listdir", case_listdir },
    { "anon_files", case_anon_files },
    { "opath_tmpfile", case_opath_tmpfile },
    { "rename_truncate", case_rename_truncate },
    { "proc_mem", case_proc_mem },
    { "cmdline_rewrite", case_cmdline_rewrite },
    { "offsets_vmsplice", case_offsets_vmsplice },
    { "far_offsets", case_far_offsets },
    { "mremap_fixed", case_mremap_fixed },
    { "mm_args", case_mm_args },
    { "mm_rlimits", case_mm_rlimits },
    { "mm_implied_read", case_mm_implied_read },
    { "maps_shared", case_maps_shared },
    { "stat_vsize", case_stat_vsize },
    { "mmap_huge", case_mmap_huge },
    { "bad_syscall", case_bad_syscall },
    { "old_calls", case_old_calls },
    { "direct_tape", case_direct_tape },
    { "block_size", case_block_size },
    { "more_ioctls", case_more_ioctls },
    { "console_ioctls", case_console_ioctls },
    { "fiemap", case_fiemap },
    { "pty_packet", case_pty_packet },
    { "raw_names", case_raw_names },
    { "illegal_insn", case_illegal_insn },
    { "sendfile_pipe", case_sendfile_pipe },
    { "writev_gather", case_writev_gather },
    { "ids", case_ids },
    { "vfp_align", case_vfp_align },
    { "ignored_at_start", case_ignored_at_start },
    { "drop_root", case_drop_root },
    { "drop_root_fork", case_drop_root_fork },
    { "nnp_fork", case_nnp_fork },
};

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    return RUN_CASE("files", cases, argc, argv);
}

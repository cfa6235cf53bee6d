/* Tries every way out of urun's --sandbox it knows and prints what each got: "ok" or the
 * errno's name. Run as: sandbox W R S (a writable, a readable and a forbidden directory,
 * siblings under one parent; S holds secret.txt, R holds r.txt). test/sandbox.test.ts
 * checks each line. "child" as the first argument: the exec'd program's checks. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <netinet/in.h>
#include <stddef.h>
#include <unistd.h>

static const char *name_of(int e)
{
    switch (e) {
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case ELOOP: return "ELOOP";
    case EBADF: return "EBADF";
    case ENOTSUP: return "ENOTSUP";
    case ECONNREFUSED: return "ECONNREFUSED";
    default: return "other";
    }
}

static void report(const char *what, int r)
{
    printf("%s: %s\n", what, r < 0 ? name_of(errno) : "ok");
    fflush(stdout);
}

static char buf[4096];
static const char *at(const char *dir, const char *name)
{
    static char paths[8][4096];
    static int next;
    char *p = paths[next++ % 8];
    snprintf(p, 4096, "%s/%s", dir, name);
    return p;
}

static int try_open(const char *p, int flags)
{
    int fd = open(p, flags, 0644);
    if (fd >= 0) close(fd);
    return fd;
}

static int read_file(const char *p)
{
    int fd = open(p, O_RDONLY);
    if (fd < 0) return -1;
    int n = read(fd, buf, sizeof buf);
    close(fd);
    return n;
}

static int unix_socket_at(const char *p, int do_bind, int abstract)
{
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    if (s < 0) return -1;
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    socklen_t len;
    if (abstract) {
        strcpy(a.sun_path + 1, p);
        len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(p);
    } else {
        strncpy(a.sun_path, p, sizeof a.sun_path - 1);
        len = sizeof a;
    }
    int r = do_bind ? bind(s, (struct sockaddr *)&a, len) : connect(s, (struct sockaddr *)&a, len);
    int e = errno;
    close(s);
    errno = e;
    return r;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "child") == 0) {
        report("exec'd guest reads S", read_file(at(argv[2], "secret.txt")));
        report("exec'd guest reads /etc/passwd", read_file("/etc/passwd"));
        return 0;
    }
    if (argc != 4) {
        fprintf(stderr, "usage: sandbox W R S\n");
        return 2;
    }
    const char *W = argv[1], *R = argv[2], *S = argv[3];
    char parent[1024];
    if (strlen(W) > 1000) return 2;
    snprintf(parent, sizeof parent, "%s/..", W);

    /* What the policy allows. */
    report("read R/r.txt", read_file(at(R, "r.txt")));
    report("write R/r.txt", try_open(at(R, "r.txt"), O_WRONLY));
    report("create W/new.txt", try_open(at(W, "new.txt"), O_WRONLY | O_CREAT | O_TRUNC));
    report("read W/new.txt", read_file(at(W, "new.txt")));
    report("mkdir W/d", mkdir(at(W, "d"), 0755));
    report("rename W/d W/e", rename(at(W, "d"), at(W, "e")));
    report("rmdir W/e", rmdir(at(W, "e")));
    report("write /dev/null", try_open("/dev/null", O_WRONLY));
    report("write /dev/stdout", write(open("/dev/stdout", O_WRONLY), "", 0));
    report("stat parent of W", stat(parent, &(struct stat){0}));
    report("getcwd", getcwd(buf, sizeof buf) ? 0 : -1);

    /* Plain denials. */
    report("read S/secret.txt", read_file(at(S, "secret.txt")));
    report("stat S/secret.txt", stat(at(S, "secret.txt"), &(struct stat){0}));
    report("read /etc/passwd", read_file("/etc/passwd"));
    report("create S/new", try_open(at(S, "new"), O_WRONLY | O_CREAT));
    report("mkdir S/d", mkdir(at(S, "d"), 0755));
    report("unlink S/secret.txt", unlink(at(S, "secret.txt")));
    report("chmod S/secret.txt", chmod(at(S, "secret.txt"), 0777));
    report("truncate S/secret.txt", truncate(at(S, "secret.txt"), 0));
    report("utimes S/secret.txt", utimes(at(S, "secret.txt"), NULL));
    report("setxattr S/secret.txt", setxattr(at(S, "secret.txt"), "user.x", "1", 1, 0));
    report("chdir S", chdir(S));

    /* Escapes through names. */
    snprintf(buf, sizeof buf, "%s/%s/secret.txt", parent, strrchr(S, '/') + 1);
    report("read W/../S/secret.txt", read_file(buf));
    snprintf(buf, sizeof buf, "/proc/self/root%s/secret.txt", S);
    report("read /proc/self/root/S/secret.txt", read_file(buf));
    report("symlink W/link -> S/secret.txt", symlink(at(S, "secret.txt"), at(W, "link")));
    report("read W/link", read_file(at(W, "link")));
    report("readlink W/link", readlink(at(W, "link"), buf, sizeof buf) < 0 ? -1 : 0);
    report("symlink W/dlink -> S/made", symlink(at(S, "made"), at(W, "dlink")));
    report("create through W/dlink", try_open(at(W, "dlink"), O_WRONLY | O_CREAT));
    report("unlink W/link", unlink(at(W, "link")));
    report("symlink W/dir -> S", symlink(S, at(W, "dir")));
    report("read W/dir/secret.txt", read_file(at(W, "dir/secret.txt")));
    report("link S/secret.txt W/hard", link(at(S, "secret.txt"), at(W, "hard")));
    report("rename S/secret.txt W/stolen", rename(at(S, "secret.txt"), at(W, "stolen")));
    report("rename W/new.txt S/planted", rename(at(W, "new.txt"), at(S, "planted")));
    int wfd = open(W, O_RDONLY | O_DIRECTORY);
    report("open W as a directory", wfd);
    snprintf(buf, sizeof buf, "../%s/secret.txt", strrchr(S, '/') + 1);
    int fd = openat(wfd, buf, O_RDONLY);
    report("openat(W fd, ../S/secret.txt)", fd);
    snprintf(buf, sizeof buf, "/proc/self/fd/%d/../%s/secret.txt", wfd, strrchr(S, '/') + 1);
    report("read /proc/self/fd/W/../S/secret.txt", read_file(buf));
    report("chdir parent of W", chdir(parent));
    snprintf(buf, sizeof buf, "%s/secret.txt", strrchr(S, '/') + 1);
    report("read S/secret.txt from the parent", read_file(buf));
    report("chdir W", chdir(W));

    /* Changes through descriptors. */
    int rfd = open(at(R, "r.txt"), O_RDONLY);
    report("fchmod R/r.txt (read-only fd)", fchmod(rfd, 0600));
    report("futimens R/r.txt", futimens(rfd, NULL));
    report("linkat(R fd, \"\", W/hard2, AT_EMPTY_PATH)", linkat(rfd, "", AT_FDCWD, at(W, "hard2"), AT_EMPTY_PATH));
    close(rfd);
    int nfd = open(at(W, "mine.txt"), O_RDWR | O_CREAT, 0644);
    report("fchmod W/mine.txt", fchmod(nfd, 0600));
    close(nfd);
    report("mknod W/null (a device)", mknod(at(W, "null"), S_IFCHR | 0666, makedev(1, 3)));
    report("mkfifo W/fifo", mkfifo(at(W, "fifo"), 0644));
    int ns = syscall(SYS_pidfd_open, getpid(), 0);
    report("pidfd_open self", ns < 0 ? -1 : 0);
    report("setns into its UTS namespace", setns(ns, CLONE_NEWUTS));

    /* Signals. */
    report("kill(1, 0)", kill(1, 0));
    report("kill(parent, 0)", kill(getppid(), 0));
    report("kill(-1, 0)", kill(-1, 0));
    report("kill(self, 0)", kill(getpid(), 0));

    /* Sockets. */
    report("socket AF_INET", socket(AF_INET, SOCK_STREAM, 0));
    report("socket AF_INET6", socket(AF_INET6, SOCK_DGRAM, 0));
    report("bind W/sock", unix_socket_at(at(W, "sock"), 1, 0));
    report("bind S/sock", unix_socket_at(at(S, "sock"), 1, 0));
    report("connect S/sock", unix_socket_at(at(S, "sock"), 0, 0));
    report("bind abstract", unix_socket_at("urun-sandbox-test", 1, 1));

    /* Programs. */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        report("forked child reads S", read_file(at(S, "secret.txt")));
        execl("/bin/true", "true", (char *)NULL);
        report("exec host /bin/true", -1);
        execl("/proc/self/exe", argv[0], "child", S, (char *)NULL);
        report("exec guest", -1);
        _exit(1);
    }
    report("kill(child, 0)", kill(pid, 0));
    int status;
    waitpid(pid, &status, 0);
    printf("child status %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    /* A program started from "/" (which can be looked up) must not be able to read it. */
    fflush(stdout);
    report("chdir /", chdir("/"));
    pid = vfork();
    if (pid == 0) {
        execl("/proc/self/exe", argv[0], "child", S, (char *)NULL);
        _exit(1);
    }
    waitpid(pid, &status, 0);
    printf("vfork child status %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}

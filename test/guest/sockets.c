/*
 * urun guest tests for sockets: AF_UNIX (stream, datagram, seqpacket; path and
 * abstract names; socketpair; SCM_RIGHTS and SCM_CREDENTIALS), AF_INET and
 * AF_INET6 over loopback (TCP and UDP), options, blocking and non-blocking
 * calls, timeouts, SIGPIPE, threads blocked in accept, socketcall.
 *
 *     sockets <case> [args...]
 *     sockets serve_echo            (for test/sockets-node.test.ts)
 *     sockets client_echo PORT
 *
 * Every case prints deterministic output only: ports, pids and addresses that
 * vary are compared, never printed; errors are printed by errno name (their
 * numbers differ between MIPS and ARM).  Path names are made in the working
 * directory and removed; abstract names carry the pid (concurrent runs).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/errqueue.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cases.h"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

/* Prints "what: result" for a call returning -1/errno or a value. */
static void show(const char *what, long r)
{
    if (r < 0)
        printf("%s: -1 %s\n", what, errname(errno));
    else
        printf("%s: %ld\n", what, r);
}

#define CHECK(x)                                                                                   \
    do {                                                                                           \
        if (!(x)) {                                                                                \
            printf("FAILED line %d: %s (%s)\n", __LINE__, #x, errname(errno));                   \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

static void msleep(int ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* Reads exactly n bytes (or to end of file); returns the count. */
static size_t read_full(int fd, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    return got;
}

/* A loopback address of the family, port 0 (any) or the given one. */
static socklen_t loopback(int family, struct sockaddr_storage *ss, int port)
{
    memset(ss, 0, sizeof *ss);
    if (family == AF_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *)ss;
        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return sizeof *sin;
    }
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    sin6->sin6_addr = in6addr_loopback;
    return sizeof *sin6;
}

static int port_of(const struct sockaddr_storage *ss)
{
    return ntohs(ss->ss_family == AF_INET ? ((const struct sockaddr_in *)ss)->sin_port
                                          : ((const struct sockaddr_in6 *)ss)->sin6_port);
}

/* A listening (or, for datagrams, bound) socket on loopback; its port in *port. */
static int bound_socket(int family, int type, int *port)
{
    struct sockaddr_storage ss;
    socklen_t len = loopback(family, &ss, 0);
    int s = socket(family, type, 0);
    CHECK(s >= 0);
    int one = 1;
    CHECK(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0);
    CHECK(bind(s, (struct sockaddr *)&ss, len) == 0);
    if (type == SOCK_STREAM)
        CHECK(listen(s, 8) == 0);
    len = sizeof ss;
    CHECK(getsockname(s, (struct sockaddr *)&ss, &len) == 0);
    CHECK(ss.ss_family == family);
    *port = port_of(&ss);
    CHECK(*port != 0);
    return s;
}

static int connected_socket(int family, int type, int port)
{
    struct sockaddr_storage ss;
    socklen_t len = loopback(family, &ss, port);
    int s = socket(family, type, 0);
    CHECK(s >= 0);
    CHECK(connect(s, (struct sockaddr *)&ss, len) == 0);
    return s;
}

static const char *family_name(int f)
{
    return f == AF_INET ? "AF_INET" : f == AF_INET6 ? "AF_INET6" : f == AF_UNIX ? "AF_UNIX" : "AF_?";
}

/* ------------------------------------------------------------------------ */
/* TCP and UDP over loopback                                                */
/* ------------------------------------------------------------------------ */

/* Echoes one connection until end of file. */
static void echo_connection(int c)
{
    char buf[4096];
    ssize_t n;
    while ((n = recv(c, buf, sizeof buf, 0)) > 0)
        CHECK(send(c, buf, (size_t)n, 0) == n);
}

static int tcp_family(int family)
{
    int port;
    int ls = bound_socket(family, SOCK_STREAM, &port);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        struct sockaddr_storage peer;
        socklen_t plen = sizeof peer;
        int c = accept(ls, (struct sockaddr *)&peer, &plen);
        CHECK(c >= 0);
        CHECK(peer.ss_family == family);
        echo_connection(c);
        _exit(0);
    }
    close(ls);
    int s = connected_socket(family, SOCK_STREAM, port);
    struct sockaddr_storage peer;
    socklen_t plen = sizeof peer;
    CHECK(getpeername(s, (struct sockaddr *)&peer, &plen) == 0);
    printf("%s: peer %s, same port %s\n", family_name(family), family_name(peer.ss_family),
           port_of(&peer) == port ? "yes" : "no");
    /* a message bigger than one segment, echoed back whole */
    static char out[100000], in[100000];
    for (size_t i = 0; i < sizeof out; i++)
        out[i] = (char)(i * 7 + i / 251);
    CHECK(send(s, out, sizeof out, 0) == (ssize_t)sizeof out);
    CHECK(shutdown(s, SHUT_WR) == 0);
    size_t got = read_full(s, in, sizeof in);
    printf("%s: echoed %zu bytes, %s\n", family_name(family), got, memcmp(in, out, got) == 0 ? "same" : "different");
    char extra;
    show("read after end", read(s, &extra, 1));
    close(s);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    printf("server status %d\n", WEXITSTATUS(status));
    return 0;
}

static int c_tcp(int argc, char **argv)
{
    (void)argc, (void)argv;
    tcp_family(AF_INET);
    tcp_family(AF_INET6);
    return 0;
}

static int udp_family(int family)
{
    int port, cport;
    int srv = bound_socket(family, SOCK_DGRAM, &port);
    int cli = bound_socket(family, SOCK_DGRAM, &cport);
    struct sockaddr_storage to, from;
    socklen_t tolen = loopback(family, &to, port), fromlen = sizeof from;
    show("sendto", sendto(cli, "ping", 4, 0, (struct sockaddr *)&to, tolen));
    char buf[64];
    ssize_t n = recvfrom(srv, buf, sizeof buf, 0, (struct sockaddr *)&from, &fromlen);
    printf("%s: got %zd '%.*s' from %s, client port %s, addrlen %s\n", family_name(family), n, (int)n, buf,
           family_name(from.ss_family), port_of(&from) == cport ? "yes" : "no",
           fromlen == (family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6)) ? "right" : "wrong");
    show("echo", sendto(srv, buf, (size_t)n, 0, (struct sockaddr *)&from, fromlen));
    /* a connected datagram socket: send/recv */
    CHECK(connect(cli, (struct sockaddr *)&to, tolen) == 0);
    n = recv(cli, buf, sizeof buf, 0);
    printf("reply %zd '%.*s'\n", n, (int)n, buf);
    show("send", send(cli, "", 0, 0));
    show("empty datagram", recv(srv, buf, sizeof buf, 0));
    /* a truncated datagram: MSG_TRUNC gives its real length */
    show("send 10", send(cli, "0123456789", 10, 0));
    show("recv 4 MSG_TRUNC", recv(srv, buf, 4, MSG_TRUNC));
    close(cli);
    close(srv);
    return 0;
}

static int c_udp(int argc, char **argv)
{
    (void)argc, (void)argv;
    udp_family(AF_INET);
    udp_family(AF_INET6);
    /* IPV6_V6ONLY off: an IPv6 socket takes IPv4 traffic as mapped addresses */
    int s6 = socket(AF_INET6, SOCK_DGRAM, 0), off = 0, v = -1;
    socklen_t vl = sizeof v;
    CHECK(setsockopt(s6, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off) == 0);
    CHECK(getsockopt(s6, IPPROTO_IPV6, IPV6_V6ONLY, &v, &vl) == 0);
    printf("IPV6_V6ONLY %d\n", v);
    struct sockaddr_in6 any6 = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT};
    CHECK(bind(s6, (struct sockaddr *)&any6, sizeof any6) == 0);
    socklen_t l6 = sizeof any6;
    CHECK(getsockname(s6, (struct sockaddr *)&any6, &l6) == 0);
    int s4 = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_storage to;
    socklen_t tl = loopback(AF_INET, &to, ntohs(any6.sin6_port));
    show("v4 to v6 socket", sendto(s4, "x", 1, 0, (struct sockaddr *)&to, tl));
    struct sockaddr_in6 from;
    socklen_t fl = sizeof from;
    char c;
    show("recvfrom", recvfrom(s6, &c, 1, 0, (struct sockaddr *)&from, &fl));
    printf("from %s, v4-mapped %s\n", family_name(from.sin6_family), IN6_IS_ADDR_V4MAPPED(&from.sin6_addr) ? "yes" : "no");
    close(s4);
    close(s6);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* AF_UNIX                                                                  */
/* ------------------------------------------------------------------------ */

static socklen_t unix_addr(struct sockaddr_un *sun, const char *name, int abstract)
{
    memset(sun, 0, sizeof *sun);
    sun->sun_family = AF_UNIX;
    if (abstract) {
        snprintf(sun->sun_path + 1, sizeof sun->sun_path - 1, "urun-%s-%d", name, (int)getpid());
        return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(sun->sun_path + 1));
    }
    snprintf(sun->sun_path, sizeof sun->sun_path, "%s", name);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(name) + 1);
}

static void unix_stream(int type, int abstract)
{
    const char *tname = type == SOCK_STREAM ? "stream" : "seqpacket";
    struct sockaddr_un sun;
    socklen_t len = unix_addr(&sun, "srv.sock", abstract);
    int ls = socket(AF_UNIX, type, 0);
    CHECK(ls >= 0);
    CHECK(bind(ls, (struct sockaddr *)&sun, len) == 0);
    CHECK(listen(ls, 4) == 0);
    struct sockaddr_un got;
    socklen_t glen = sizeof got;
    CHECK(getsockname(ls, (struct sockaddr *)&got, &glen) == 0);
    printf("%s %s: name %s\n", tname, abstract ? "abstract" : "path",
           glen == len && memcmp(&got, &sun, len) == 0 ? "same" : "different");
    /* the second bind of the name fails */
    int other = socket(AF_UNIX, type, 0);
    show("bind again", bind(other, (struct sockaddr *)&sun, len));
    close(other);
    int c = socket(AF_UNIX, type, 0);
    CHECK(connect(c, (struct sockaddr *)&sun, len) == 0); /* completes into the backlog */
    struct sockaddr_un peer;
    socklen_t plen = sizeof peer;
    int a = accept(ls, (struct sockaddr *)&peer, &plen);
    CHECK(a >= 0);
    printf("accepted: unnamed peer %s\n", plen == offsetof(struct sockaddr_un, sun_path) ? "yes" : "no");
    plen = sizeof peer;
    CHECK(getpeername(c, (struct sockaddr *)&peer, &plen) == 0);
    printf("client's peer is the server: %s\n", plen == len && memcmp(&peer, &sun, len) == 0 ? "yes" : "no");
    CHECK(send(c, "abc", 3, 0) == 3);
    CHECK(send(c, "defg", 4, 0) == 4);
    char buf[16];
    ssize_t n = recv(a, buf, sizeof buf, 0);
    /* a stream joins the two sends (both were queued); seqpacket keeps the boundary */
    printf("recv %zd '%.*s'\n", n, (int)n, buf);
    if (type == SOCK_SEQPACKET) {
        n = recv(a, buf, sizeof buf, 0);
        printf("recv %zd '%.*s'\n", n, (int)n, buf);
    }
    close(c);
    show("recv after close", recv(a, buf, sizeof buf, 0));
    close(a);
    close(ls);
    if (!abstract)
        CHECK(unlink("srv.sock") == 0);
}

static int c_unix(int argc, char **argv)
{
    (void)argc, (void)argv;
    unix_stream(SOCK_STREAM, 0);
    unix_stream(SOCK_STREAM, 1);
    unix_stream(SOCK_SEQPACKET, 0);
    unix_stream(SOCK_SEQPACKET, 1);

    /* datagrams between two bound sockets */
    struct sockaddr_un a1, a2, from;
    socklen_t l1 = unix_addr(&a1, "d1.sock", 0), l2 = unix_addr(&a2, "d2", 1), fl = sizeof from;
    int d1 = socket(AF_UNIX, SOCK_DGRAM, 0), d2 = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK(bind(d1, (struct sockaddr *)&a1, l1) == 0);
    CHECK(bind(d2, (struct sockaddr *)&a2, l2) == 0);
    show("dgram sendto", sendto(d2, "hello", 5, 0, (struct sockaddr *)&a1, l1));
    show("dgram sendto", sendto(d2, "world!", 6, 0, (struct sockaddr *)&a1, l1));
    char buf[32];
    ssize_t n = recvfrom(d1, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
    printf("dgram %zd '%.*s' from the abstract name: %s\n", n, (int)n, buf,
           fl == l2 && memcmp(&from, &a2, l2) == 0 ? "yes" : "no");
    n = recv(d1, buf, sizeof buf, 0);
    printf("dgram %zd '%.*s'\n", n, (int)n, buf);
    show("sendto nobody", sendto(d2, "x", 1, 0, (struct sockaddr *)&(struct sockaddr_un){.sun_family = AF_UNIX, .sun_path = "none.sock"},
                                 sizeof(struct sockaddr_un)));
    close(d1);
    close(d2);
    CHECK(unlink("d1.sock") == 0);

    /* socketpair of each type */
    int types[] = {SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET};
    for (int i = 0; i < 3; i++) {
        int sv[2];
        CHECK(socketpair(AF_UNIX, types[i], 0, sv) == 0);
        CHECK(write(sv[0], "12345", 5) == 5);
        n = read(sv[1], buf, 3);
        printf("socketpair type %d: read 3 gives %zd\n", i, n);
        int t;
        socklen_t tl = sizeof t;
        CHECK(getsockopt(sv[1], SOL_SOCKET, SO_TYPE, &t, &tl) == 0);
        printf("  SO_TYPE is the type: %s\n", t == types[i] ? "yes" : "no");
        close(sv[0]);
        close(sv[1]);
    }
    show("socketpair AF_INET", socketpair(AF_INET, SOCK_STREAM, 0, (int[2]){0, 0}));
    show("socket AF_APPLETALK", socket(5, SOCK_DGRAM, 0));
    show("accept on a file", accept(1, NULL, NULL));
    /* (a pipe of its own: the standard input a test harness gives may be a socket) */
    int p[2];
    CHECK(pipe(p) == 0);
    close(p[1]);
    show("recv on a pipe", recv(p[0], buf, 1, MSG_DONTWAIT));
    close(p[0]);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Ancillary data                                                           */
/* ------------------------------------------------------------------------ */

static int send_fd(int sock, int fd)
{
    char byte = 'F';
    struct iovec iov = {&byte, 1};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } u;
    memset(&u, 0, sizeof u);
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
    return (int)sendmsg(sock, &msg, 0);
}

static int recv_fd(int sock, int flags)
{
    char byte;
    struct iovec iov = {&byte, 1};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } u;
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
    if (recvmsg(sock, &msg, flags) != 1)
        return -1;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int)))
        return -2;
    int fd;
    memcpy(&fd, CMSG_DATA(c), sizeof fd);
    return fd;
}

static int c_scm_rights(int argc, char **argv)
{
    (void)argc, (void)argv;
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        /* the child gets the write end of a pipe its parent made after the fork */
        close(sv[0]);
        int fd = recv_fd(sv[1], MSG_CMSG_CLOEXEC);
        CHECK(fd >= 0);
        printf("child: got a descriptor, close-on-exec %s\n", fcntl(fd, F_GETFD) & FD_CLOEXEC ? "yes" : "no");
        CHECK(write(fd, "through the pipe", 16) == 16);
        close(fd);
        /* and sends one back: a socket of its own */
        int mine[2];
        CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, mine) == 0);
        CHECK(send_fd(sv[1], mine[1]) == 1);
        CHECK(send(mine[0], "from the child's socket", 23, 0) == 23);
        _exit(0);
    }
    close(sv[1]);
    int p[2];
    CHECK(pipe(p) == 0);
    CHECK(send_fd(sv[0], p[1]) == 1);
    close(p[1]);
    char buf[64];
    ssize_t n = read(p[0], buf, sizeof buf);
    printf("parent: read %zd '%.*s'\n", n, (int)n, buf);
    show("read at end", read(p[0], buf, sizeof buf));
    int s = recv_fd(sv[0], 0);
    CHECK(s >= 0);
    printf("parent: got a socket, close-on-exec %s\n", fcntl(s, F_GETFD) & FD_CLOEXEC ? "yes" : "no");
    n = recv(s, buf, sizeof buf, 0);
    printf("parent: received %zd '%.*s'\n", n, (int)n, buf);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    printf("child status %d\n", WEXITSTATUS(status));

    /* two descriptors, but room for one: the other is dropped, MSG_CTRUNC */
    int q[2], r[2];
    CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, q) == 0);
    CHECK(pipe(r) == 0);
    {
        char byte = 'x';
        struct iovec iov = {&byte, 1};
        union {
            char buf[CMSG_SPACE(2 * sizeof(int))];
            struct cmsghdr align;
        } u;
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(2 * sizeof(int));
        memcpy(CMSG_DATA(c), r, sizeof r);
        show("sendmsg 2 fds", sendmsg(q[0], &msg, 0));
        /* a bad descriptor is refused */
        int bad[2] = {r[0], 999};
        memcpy(CMSG_DATA(c), bad, sizeof bad);
        show("sendmsg bad fd", sendmsg(q[0], &msg, 0));
    }
    {
        char byte;
        struct iovec iov = {&byte, 1};
        union {
            char buf[CMSG_SPACE(sizeof(int))];
            struct cmsghdr align;
        } u;
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
        show("recvmsg", recvmsg(q[1], &msg, 0));
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        /* (Linux also sets MSG_CTRUNC here; qemu-user 7.2 does not, so it is not shown) */
        printf("controllen %s, one fd %s\n", msg.msg_controllen == CMSG_SPACE(sizeof(int)) ? "right" : "wrong",
               c && c->cmsg_len == CMSG_LEN(sizeof(int)) ? "yes" : "no");
        /* no room at all: the descriptors are dropped */
        memset(&msg, 0, sizeof msg);
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        int fd1[1] = {r[0]};
        union {
            char buf[CMSG_SPACE(sizeof(int))];
            struct cmsghdr align;
        } v;
        struct msghdr one = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = v.buf, .msg_controllen = sizeof v.buf};
        c = CMSG_FIRSTHDR(&one);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), fd1, sizeof fd1);
        show("sendmsg 1 fd", sendmsg(q[0], &one, 0));
        show("recvmsg without room", recvmsg(q[1], &msg, 0));
        printf("MSG_CTRUNC %s, controllen %u\n", msg.msg_flags & MSG_CTRUNC ? "yes" : "no", (unsigned)msg.msg_controllen);
    }
    return 0;
}

static int c_scm_credentials(int argc, char **argv)
{
    (void)argc, (void)argv;
    int sv[2], one = 1;
    CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0);
    CHECK(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof one) == 0);
    struct ucred cred = {getpid(), getuid(), getgid()};
    char byte = 'c';
    struct iovec iov = {&byte, 1};
    union {
        char buf[CMSG_SPACE(sizeof(struct ucred))];
        struct cmsghdr align;
    } u;
    memset(&u, 0, sizeof u);
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_CREDENTIALS;
    c->cmsg_len = CMSG_LEN(sizeof cred);
    memcpy(CMSG_DATA(c), &cred, sizeof cred);
    show("sendmsg credentials", sendmsg(sv[0], &msg, 0));
    /* and one without: the receiver gets them anyway (SO_PASSCRED) */
    show("send", send(sv[0], "d", 1, 0));
    for (int i = 0; i < 2; i++) {
        memset(&u, 0, sizeof u);
        struct msghdr in = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
        show("recvmsg", recvmsg(sv[1], &in, 0));
        c = CMSG_FIRSTHDR(&in);
        struct ucred got = {0, 0, 0};
        if (c && c->cmsg_type == SCM_CREDENTIALS)
            memcpy(&got, CMSG_DATA(c), sizeof got);
        printf("credentials: level SOL_SOCKET %s, pid %s, uid %s, gid %s\n", c && c->cmsg_level == SOL_SOCKET ? "yes" : "no",
               got.pid == getpid() ? "mine" : "other", got.uid == getuid() ? "mine" : "other",
               got.gid == getgid() ? "mine" : "other");
    }
    struct ucred peer;
    socklen_t pl = sizeof peer;
    CHECK(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &peer, &pl) == 0);
    printf("SO_PEERCRED: pid %s, uid %s, len %u\n", peer.pid == getpid() ? "mine" : "other",
           peer.uid == getuid() ? "mine" : "other", (unsigned)pl);

    /* SO_PEERGROUPS (dbus-daemon's UnixGroupIDs): the peer's supplementary groups as gid_t,
       each in the guest's byte order; a buffer too short for them is ERANGE with the length
       they need. (As root, groups whose bytes differ each way round; else the user's own.) */
    gid_t want[2] = {1234, 70000};
    if (geteuid() == 0)
        (void)setgroups(2, want);
    int ps[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, ps) == 0);
    gid_t mine[64], got[64];
    int n = getgroups(64, mine);
    CHECK(n >= 0);
    socklen_t gl = sizeof got;
    int r = getsockopt(ps[0], SOL_SOCKET, SO_PEERGROUPS, got, &gl);
    printf("SO_PEERGROUPS: the peer's groups %s\n",
           r == 0 && gl == n * sizeof(gid_t) && memcmp(got, mine, gl) == 0 ? "yes" : "no");
    gl = 0;
    r = getsockopt(ps[0], SOL_SOCKET, SO_PEERGROUPS, got, &gl);
    printf("SO_PEERGROUPS with no room: %s\n",
           gl == n * sizeof(gid_t) && (n == 0 ? r == 0 : r == -1 && errno == ERANGE) ? "their length" : "wrong");
    return 0;
}

/* ------------------------------------------------------------------------ */
/* connect: non-blocking, refused                                           */
/* ------------------------------------------------------------------------ */

/* A loopback port nobody listens on: bound (so nobody else takes it) but not listening. */
static int closed_port(int *holder)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_storage ss;
    socklen_t len = loopback(AF_INET, &ss, 0);
    CHECK(bind(s, (struct sockaddr *)&ss, len) == 0);
    len = sizeof ss;
    CHECK(getsockname(s, (struct sockaddr *)&ss, &len) == 0);
    *holder = s;
    return port_of(&ss);
}

static int c_connect(int argc, char **argv)
{
    (void)argc, (void)argv;
    int port;
    int ls = bound_socket(AF_INET, SOCK_STREAM, &port);
    struct sockaddr_storage ss;
    socklen_t len = loopback(AF_INET, &ss, port);

    int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    printf("O_NONBLOCK set: %s\n", fcntl(s, F_GETFL) & O_NONBLOCK ? "yes" : "no");
    int r = connect(s, (struct sockaddr *)&ss, len);
    printf("non-blocking connect: %s\n", r == 0 ? "OK" : errname(errno));
    struct pollfd pfd = {s, POLLOUT, 0};
    show("poll", poll(&pfd, 1, 5000));
    int err = -1;
    socklen_t el = sizeof err;
    CHECK(getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &el) == 0);
    printf("SO_ERROR %s\n", errname(err));
    show("connect again", connect(s, (struct sockaddr *)&ss, len));
    int a = accept(ls, NULL, NULL);
    CHECK(a >= 0);
    char c;
    show("non-blocking recv", recv(s, &c, 1, 0));
    show("MSG_DONTWAIT recv", recv(a, &c, 1, MSG_DONTWAIT));
    close(a);
    close(s);
    /* accept on a non-blocking listener with nothing pending */
    CHECK(fcntl(ls, F_SETFL, O_NONBLOCK) == 0);
    show("non-blocking accept", accept(ls, NULL, NULL));
    CHECK(fcntl(ls, F_SETFL, 0) == 0);
    close(ls);

    int holder;
    int closed = closed_port(&holder);
    len = loopback(AF_INET, &ss, closed);
    s = socket(AF_INET, SOCK_STREAM, 0);
    show("refused connect", connect(s, (struct sockaddr *)&ss, len));
    close(s);
    s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    r = connect(s, (struct sockaddr *)&ss, len);
    printf("non-blocking refused connect: %s\n", r == 0 ? "OK" : errname(errno));
    if (r < 0 && errno == EINPROGRESS) {
        pfd.fd = s;
        show("poll", poll(&pfd, 1, 5000) > 0);
        /* poll may be early in an emulator that cannot wait: SO_ERROR waits for the outcome */
        for (int i = 0; i < 500; i++) {
            el = sizeof err;
            CHECK(getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &el) == 0);
            if (err)
                break;
            msleep(2);
        }
        /* qemu-user 7.2 hands MIPS guests the host's errno number here; Linux gives the guest's */
        if (err == 111 && ECONNREFUSED != 111)
            err = ECONNREFUSED;
        printf("SO_ERROR %s\n", errname(err));
        el = sizeof err;
        CHECK(getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &el) == 0);
        printf("SO_ERROR again %s\n", errname(err));
    }
    close(s);
    close(holder);
    show("connect on a pipe", connect(0, (struct sockaddr *)&ss, len));
    s = socket(AF_INET, SOCK_STREAM, 0);
    show("connect with a short address", connect(s, (struct sockaddr *)&ss, 3));
    show("connect with a long address", connect(s, (struct sockaddr *)&ss, 200));
    show("connect with a bad address", connect(s, (struct sockaddr *)8, sizeof(struct sockaddr_in)));
    close(s);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Options                                                                  */
/* ------------------------------------------------------------------------ */

static void int_option(int s, int level, int name, const char *what, int set)
{
    int v = -1;
    socklen_t l = sizeof v;
    if (set >= 0)
        CHECK(setsockopt(s, level, name, &set, sizeof set) == 0);
    if (getsockopt(s, level, name, &v, &l) < 0)
        printf("%s: -1 %s\n", what, errname(errno));
    else
        printf("%s: %d (len %u)\n", what, v, (unsigned)l);
}

static int c_sockopts(int argc, char **argv)
{
    (void)argc, (void)argv;
    int port;
    int ls = bound_socket(AF_INET, SOCK_STREAM, &port);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    int t = -1;
    socklen_t l = sizeof t;
    CHECK(getsockopt(s, SOL_SOCKET, SO_TYPE, &t, &l) == 0);
    printf("SO_TYPE is SOCK_STREAM: %s\n", t == SOCK_STREAM ? "yes" : "no");
    l = sizeof t;
    CHECK(getsockopt(s, SOL_SOCKET, SO_DOMAIN, &t, &l) == 0);
    printf("SO_DOMAIN is AF_INET: %s\n", t == AF_INET ? "yes" : "no");
    l = sizeof t;
    CHECK(getsockopt(s, SOL_SOCKET, SO_PROTOCOL, &t, &l) == 0);
    printf("SO_PROTOCOL is IPPROTO_TCP: %s\n", t == IPPROTO_TCP ? "yes" : "no");
    int_option(ls, SOL_SOCKET, SO_ACCEPTCONN, "SO_ACCEPTCONN listening", -1);
    int_option(s, SOL_SOCKET, SO_ACCEPTCONN, "SO_ACCEPTCONN", -1);
    int_option(ls, SOL_SOCKET, SO_REUSEADDR, "SO_REUSEADDR", -1);
    int_option(s, SOL_SOCKET, SO_REUSEPORT, "SO_REUSEPORT", 1);
    int_option(s, SOL_SOCKET, SO_KEEPALIVE, "SO_KEEPALIVE", 1);
    int_option(s, SOL_SOCKET, SO_RCVBUF, "SO_RCVBUF set 65536", 65536);
    int_option(s, SOL_SOCKET, SO_SNDBUF, "SO_SNDBUF set 32768", 32768);
    int_option(s, SOL_SOCKET, SO_ERROR, "SO_ERROR", -1);
    int_option(s, SOL_SOCKET, SO_BROADCAST, "SO_BROADCAST", -1);
    int_option(s, SOL_SOCKET, SO_OOBINLINE, "SO_OOBINLINE", 1);
    int_option(s, IPPROTO_TCP, TCP_NODELAY, "TCP_NODELAY", 1);
    int_option(s, IPPROTO_TCP, TCP_KEEPIDLE, "TCP_KEEPIDLE", 30);
    int_option(s, IPPROTO_TCP, TCP_KEEPINTVL, "TCP_KEEPINTVL", 5);
    int_option(s, IPPROTO_TCP, TCP_KEEPCNT, "TCP_KEEPCNT", 4);
    int_option(s, IPPROTO_IP, IP_TTL, "IP_TTL", 32);
    int_option(s, IPPROTO_IP, IP_TOS, "IP_TOS", 0x10);
    struct linger lg = {1, 5}, lg2 = {-1, -1};
    CHECK(setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) == 0);
    l = sizeof lg2;
    CHECK(getsockopt(s, SOL_SOCKET, SO_LINGER, &lg2, &l) == 0);
    printf("SO_LINGER: onoff %d linger %d (len %u)\n", lg2.l_onoff, lg2.l_linger, (unsigned)l);
    struct timeval tv = {1, 500000}, tv2 = {0, 0};
    CHECK(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0);
    l = sizeof tv2;
    CHECK(getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv2, &l) == 0);
    printf("SO_RCVTIMEO: %ld.%06ld (len %s)\n", (long)tv2.tv_sec, (long)tv2.tv_usec, l == sizeof tv2 ? "right" : "wrong");
    l = sizeof tv2;
    CHECK(getsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv2, &l) == 0);
    printf("SO_SNDTIMEO: %ld.%06ld\n", (long)tv2.tv_sec, (long)tv2.tv_usec);
    show("SO_RCVTIMEO too short", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, 4));
    char cc[16] = "";
    l = sizeof cc;
    show("TCP_CONGESTION", getsockopt(s, IPPROTO_TCP, TCP_CONGESTION, cc, &l));
    show("unknown SOL_SOCKET option", setsockopt(s, SOL_SOCKET, 9999, &t, sizeof t));
    l = sizeof t;
    show("unknown SOL_SOCKET option get", getsockopt(s, SOL_SOCKET, 9999, &t, &l));
    show("unknown level", setsockopt(s, 250, 1, &t, sizeof t));
    show("option on a pipe", setsockopt(0, SOL_SOCKET, SO_KEEPALIVE, &t, sizeof t));
    l = 1;
    unsigned char small = 0xee;
    show("IP_TTL into one byte", getsockopt(s, IPPROTO_IP, IP_TTL, &small, &l));
    printf("  byte %d, len %u\n", small, (unsigned)l);
    l = (socklen_t)-1;
    show("negative optlen", getsockopt(s, SOL_SOCKET, SO_TYPE, &t, &l));
    show("bad optval", setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, (void *)8, 4));

    int u = socket(AF_INET, SOCK_DGRAM, 0);
    l = sizeof t;
    CHECK(getsockopt(u, SOL_SOCKET, SO_TYPE, &t, &l) == 0);
    printf("SO_TYPE is SOCK_DGRAM: %s\n", t == SOCK_DGRAM ? "yes" : "no");
    int_option(u, IPPROTO_IP, IP_MULTICAST_TTL, "IP_MULTICAST_TTL", 4);
    int_option(u, IPPROTO_IP, IP_MULTICAST_LOOP, "IP_MULTICAST_LOOP", 0);
    unsigned char ttl = 9;
    CHECK(setsockopt(u, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, 1) == 0);
    int_option(u, IPPROTO_IP, IP_MULTICAST_TTL, "IP_MULTICAST_TTL set as a byte", -1);
    int_option(u, SOL_SOCKET, SO_BROADCAST, "SO_BROADCAST", 1);
    int u6 = socket(AF_INET6, SOCK_DGRAM, 0);
    int_option(u6, IPPROTO_IPV6, IPV6_V6ONLY, "IPV6_V6ONLY", 1);
    int_option(u6, IPPROTO_IPV6, IPV6_UNICAST_HOPS, "IPV6_UNICAST_HOPS", 7);
    int_option(u6, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, "IPV6_MULTICAST_HOPS", 3);
    int us = socket(AF_UNIX, SOCK_STREAM, 0);
    show("TCP_NODELAY on AF_UNIX", setsockopt(us, IPPROTO_TCP, TCP_NODELAY, &t, sizeof t));
    int_option(us, SOL_SOCKET, SO_PASSCRED, "SO_PASSCRED", 1);
    close(us);
    close(u6);
    close(u);
    close(s);
    close(ls);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Data: peek, shutdown, iovecs, mmsg                                       */
/* ------------------------------------------------------------------------ */

static int c_io(int argc, char **argv)
{
    (void)argc, (void)argv;
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    CHECK(send(sv[0], "peekaboo", 8, 0) == 8);
    char buf[64];
    ssize_t n = recv(sv[1], buf, 4, MSG_PEEK);
    printf("peek %zd '%.*s'\n", n, (int)n, buf);
    n = recv(sv[1], buf, sizeof buf, 0);
    printf("recv %zd '%.*s'\n", n, (int)n, buf);

    /* gather and scatter */
    struct iovec out[3] = {{"one ", 4}, {"two ", 4}, {"three", 5}};
    struct msghdr m = {.msg_iov = out, .msg_iovlen = 3};
    show("sendmsg 3 iovecs", sendmsg(sv[0], &m, 0));
    char a[6], b[16];
    struct iovec in[2] = {{a, 6}, {b, sizeof b}};
    struct msghdr mi = {.msg_iov = in, .msg_iovlen = 2};
    n = recvmsg(sv[1], &mi, 0);
    printf("recvmsg %zd: '%.6s' + '%.*s', flags %d\n", n, a, (int)(n - 6), b, mi.msg_flags);

    /* shutdown: the peer reads end of file, the other direction still works */
    show("shutdown SHUT_WR", shutdown(sv[0], SHUT_WR));
    show("recv after peer's shutdown", recv(sv[1], buf, sizeof buf, 0));
    show("send back", send(sv[1], "back", 4, 0));
    show("recv back", recv(sv[0], buf, sizeof buf, 0));
    show("send after shutdown", send(sv[0], "x", 1, MSG_NOSIGNAL));
    show("shutdown bad how", shutdown(sv[0], 7));
    close(sv[0]);
    close(sv[1]);
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    show("shutdown of an unconnected socket", shutdown(socket(AF_INET, SOCK_STREAM, 0), SHUT_RDWR));

    /* datagrams: MSG_TRUNC in msg_flags, sendmmsg/recvmmsg */
    int port;
    int srv = bound_socket(AF_INET, SOCK_DGRAM, &port);
    int cli = connected_socket(AF_INET, SOCK_DGRAM, port);
    char d0[] = "first", d1[] = "second!", d2[] = "third..";
    struct iovec iv[3] = {{d0, 5}, {d1, 7}, {d2, 7}};
    struct mmsghdr mm[3];
    memset(mm, 0, sizeof mm);
    for (int i = 0; i < 3; i++) {
        mm[i].msg_hdr.msg_iov = &iv[i];
        mm[i].msg_hdr.msg_iovlen = 1;
    }
    show("sendmmsg", sendmmsg(cli, mm, 3, 0));
    printf("msg_len %u %u %u\n", mm[0].msg_len, mm[1].msg_len, mm[2].msg_len);
    char r0[8], r1[8], r2[4];
    struct iovec ri[3] = {{r0, 8}, {r1, 8}, {r2, 4}};
    struct sockaddr_in from[3];
    memset(mm, 0, sizeof mm);
    for (int i = 0; i < 3; i++) {
        mm[i].msg_hdr.msg_iov = &ri[i];
        mm[i].msg_hdr.msg_iovlen = 1;
        mm[i].msg_hdr.msg_name = &from[i];
        mm[i].msg_hdr.msg_namelen = sizeof from[i];
    }
    show("recvmmsg", recvmmsg(srv, mm, 3, 0, NULL));
    for (int i = 0; i < 3; i++)
        printf("  %u bytes '%.*s' truncated %s from %s namelen %u\n", mm[i].msg_len,
               (int)(mm[i].msg_len > ri[i].iov_len ? ri[i].iov_len : mm[i].msg_len), (char *)ri[i].iov_base,
               mm[i].msg_hdr.msg_flags & MSG_TRUNC ? "yes" : "no", family_name(from[i].sin_family),
               (unsigned)mm[i].msg_hdr.msg_namelen);
    show("recvmmsg MSG_DONTWAIT, nothing there", recvmmsg(srv, mm, 3, MSG_DONTWAIT, NULL));
    CHECK(send(cli, "a", 1, 0) == 1);
    show("recvmmsg MSG_WAITFORONE, one there", recvmmsg(srv, mm, 3, MSG_WAITFORONE, NULL));
    close(cli);
    close(srv);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Timeouts and SIGPIPE                                                     */
/* ------------------------------------------------------------------------ */

static int alarm_peer;
static void on_alarm(int sig)
{
    (void)sig;
    if (send(alarm_peer, "!", 1, 0) != 1)
        _exit(3);
}

static int c_timeout(int argc, char **argv)
{
    (void)argc, (void)argv;
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    struct timeval tv = {0, 100000};
    CHECK(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0);
    char buf[64];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    show("recv with SO_RCVTIMEO", recv(sv[0], buf, sizeof buf, 0));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    printf("waited at least 90 ms: %s\n", ms >= 90 ? "yes" : "no");
    /* the send side: fill the buffer */
    CHECK(setsockopt(sv[1], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) == 0);
    static char big[1 << 16];
    ssize_t n;
    long total = 0;
    while ((n = send(sv[1], big, sizeof big, 0)) > 0)
        total += n;
    printf("send until full: %s, sent something %s\n", errname(errno), total > 0 ? "yes" : "no");
    /* accept times out too */
    int port;
    int ls = bound_socket(AF_INET, SOCK_STREAM, &port);
    CHECK(setsockopt(ls, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0);
    show("accept with SO_RCVTIMEO", accept(ls, NULL, NULL));
    close(ls);

    /* a signal during a blocking recv: EINTR, or the call restarts after a SA_RESTART handler
       (which here sends what the recv waits for); with SO_RCVTIMEO set it is EINTR anyway */
    int p[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, p) == 0);
    alarm_peer = p[1];
    /* Long enough for the recv to be waiting when it fires, on a loaded machine too (at 30 ms
       a CI run once got there after the handler had sent its byte). */
    struct itimerval it = {{0, 0}, {0, 150000}};
    for (int round = 0; round < 3; round++) {
        struct sigaction sa = {.sa_handler = on_alarm, .sa_flags = round ? SA_RESTART : 0};
        sigemptyset(&sa.sa_mask);
        CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
        if (round == 2) {
            struct timeval tv2 = {0, 500000};
            CHECK(setsockopt(p[0], SOL_SOCKET, SO_RCVTIMEO, &tv2, sizeof tv2) == 0);
        }
        CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
        ssize_t r = recv(p[0], buf, sizeof buf, 0);
        printf("%s: recv %s\n", round == 0 ? "no SA_RESTART" : round == 1 ? "SA_RESTART" : "SA_RESTART, SO_RCVTIMEO",
               r < 0 ? errname(errno) : r == 1 ? "got the handler's byte" : "?");
        if (r < 0)
            CHECK(recv(p[0], buf, sizeof buf, 0) == 1); /* the handler ran as recv returned: its byte */
    }
    return 0;
}

static volatile sig_atomic_t got_sigpipe;
static void on_sigpipe(int sig)
{
    (void)sig;
    got_sigpipe++;
}

static int c_sigpipe(int argc, char **argv)
{
    (void)argc, (void)argv;
    signal(SIGPIPE, on_sigpipe);
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    close(sv[1]);
    show("send to a closed peer", send(sv[0], "x", 1, 0));
    printf("SIGPIPE %d\n", (int)got_sigpipe);
    show("send MSG_NOSIGNAL", send(sv[0], "x", 1, MSG_NOSIGNAL));
    printf("SIGPIPE %d\n", (int)got_sigpipe);
    show("write", write(sv[0], "x", 1));
    printf("SIGPIPE %d\n", (int)got_sigpipe);
    close(sv[0]);
    /* TCP: the peer closed with unread data, so it reset the connection */
    int port;
    int ls = bound_socket(AF_INET, SOCK_STREAM, &port);
    int c = connected_socket(AF_INET, SOCK_STREAM, port);
    int a = accept(ls, NULL, NULL);
    CHECK(send(c, "unread", 6, 0) == 6);
    msleep(20);
    close(a);
    msleep(20);
    int before = got_sigpipe;
    ssize_t r;
    int tries = 0;
    do
        r = send(c, "x", 1, 0);
    while (r > 0 && ++tries < 100);
    printf("tcp send after reset: %s\n", errname(errno));
    printf("SIGPIPE after reset: %s\n", got_sigpipe > before ? "yes" : "no");
    close(c);
    close(ls);
    /* the default action kills */
    signal(SIGPIPE, SIG_DFL);
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    close(sv[1]);
    send(sv[0], "x", 1, 0);
    printf("not reached\n");
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Threads                                                                  */
/* ------------------------------------------------------------------------ */

static int listener_fd;

static void *accept_thread(void *arg)
{
    (void)arg;
    struct sockaddr_in peer;
    socklen_t plen = sizeof peer;
    int c = accept(listener_fd, (struct sockaddr *)&peer, &plen);
    if (c < 0)
        return (void *)(intptr_t)-1;
    char buf[64];
    ssize_t n = recv(c, buf, 30, MSG_WAITALL);
    /* pieces sent apart, received as one */
    CHECK(n == 30);
    CHECK(send(c, buf, (size_t)n, 0) == n);
    close(c);
    return (void *)(intptr_t)n;
}

static void *reader_thread(void *arg)
{
    int fd = (int)(intptr_t)arg;
    char buf[16];
    ssize_t n = read(fd, buf, sizeof buf);
    return (void *)(intptr_t)n;
}

static int c_threads(int argc, char **argv)
{
    (void)argc, (void)argv;
    int port;
    listener_fd = bound_socket(AF_INET, SOCK_STREAM, &port);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, accept_thread, NULL) == 0);
    msleep(50); /* let it block in accept */
    int s = connected_socket(AF_INET, SOCK_STREAM, port);
    CHECK(send(s, "0123456789", 10, 0) == 10);
    msleep(20);
    CHECK(send(s, "abcdefghij", 10, 0) == 10);
    msleep(20);
    CHECK(send(s, "ABCDEFGHIJ", 10, 0) == 10);
    char buf[64];
    size_t got = read_full(s, buf, 30);
    printf("echo %zu '%.*s'\n", got, (int)got, buf);
    void *ret;
    CHECK(pthread_join(t, &ret) == 0);
    printf("thread accepted and got %d bytes with MSG_WAITALL\n", (int)(intptr_t)ret);
    close(s);
    close(listener_fd);

    /* a thread blocked in read on a socket, woken by the main thread's send */
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    CHECK(pthread_create(&t, NULL, reader_thread, (void *)(intptr_t)sv[1]) == 0);
    msleep(50);
    CHECK(send(sv[0], "wake", 4, 0) == 4);
    CHECK(pthread_join(t, &ret) == 0);
    printf("reader thread read %d bytes\n", (int)(intptr_t)ret);

    /* SO_RCVTIMEO in a thread (its wait is its own) */
    struct timeval tv = {0, 50000};
    CHECK(setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0);
    CHECK(pthread_create(&t, NULL, reader_thread, (void *)(intptr_t)sv[1]) == 0);
    CHECK(pthread_join(t, &ret) == 0);
    printf("reader thread with SO_RCVTIMEO: %s\n", (intptr_t)ret < 0 ? "timed out" : "read something");
    return 0;
}

/* ------------------------------------------------------------------------ */
/* A host program on a socket, getaddrinfo, socketcall                      */
/* ------------------------------------------------------------------------ */

static int c_exec_cat(int argc, char **argv)
{
    (void)argc, (void)argv;
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        /* cat reads its stdin socket before anything is there: it must block */
        dup2(sv[1], 0);
        dup2(sv[1], 1);
        close(sv[0]);
        close(sv[1]);
        execl("/bin/cat", "cat", (char *)NULL);
        _exit(127);
    }
    close(sv[1]);
    msleep(100);
    CHECK(send(sv[0], "through cat\n", 12, 0) == 12);
    CHECK(shutdown(sv[0], SHUT_WR) == 0);
    char buf[64];
    size_t n = read_full(sv[0], buf, sizeof buf);
    printf("cat echoed %zu '%.*s'\n", n, (int)n, buf);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    printf("cat status %d\n", WEXITSTATUS(status));
    /* the parent's socket still behaves as blocking */
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    struct timeval tv = {0, 50000};
    CHECK(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0);
    show("recv", recv(sv[0], buf, 1, 0));
    return 0;
}

/* ---- procnet: /proc/net's tables print addresses as 32-bit words in the CPU's byte order,
 * so a word read back with %X is the address as the socket calls hold it (a big-endian
 * kernel prints 127.0.0.1 as 7F000001, a little-endian one as 0100007F) ---- */
static int find_listener(const char *table, unsigned port, uint32_t words[4])
{
    FILE *f = fopen(table, "r");
    CHECK(f != NULL);
    char line[512];
    int found = 0;
    CHECK(fgets(line, sizeof line, f) != NULL);
    while (!found && fgets(line, sizeof line, f)) {
        char addr[33];
        unsigned p;
        if (sscanf(line, " %*u: %32[0-9A-F]:%4X", addr, &p) != 2 || p != port)
            continue;
        for (size_t i = 0; i < strlen(addr) / 8; i++) {
            char w[9] = {0};
            memcpy(w, addr + 8 * i, 8);
            words[i] = (uint32_t)strtoul(w, NULL, 16);
        }
        found = 1;
    }
    fclose(f);
    return found;
}

static int c_procnet(int argc, char **argv)
{
    (void)argc, (void)argv;
    int s4 = socket(AF_INET, SOCK_STREAM, 0), s6 = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in a4 = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    socklen_t len4 = sizeof a4, len6 = sizeof a6;
    CHECK(bind(s4, (struct sockaddr *)&a4, sizeof a4) == 0 && listen(s4, 1) == 0);
    CHECK(getsockname(s4, (struct sockaddr *)&a4, &len4) == 0);
    CHECK(bind(s6, (struct sockaddr *)&a6, sizeof a6) == 0 && listen(s6, 1) == 0);
    CHECK(getsockname(s6, (struct sockaddr *)&a6, &len6) == 0);
    uint32_t w[4] = {0};
    char text[INET6_ADDRSTRLEN];
    CHECK(find_listener("/proc/self/net/tcp", ntohs(a4.sin_port), w));
    struct in_addr in4 = {w[0]};
    printf("tcp listener: %s\n", inet_ntoa(in4));
    CHECK(find_listener("/proc/net/tcp6", ntohs(a6.sin6_port), w));
    struct in6_addr in6;
    memcpy(&in6, w, sizeof w);
    printf("tcp6 listener: %s\n", inet_ntop(AF_INET6, &in6, text, sizeof text));
    /* the routes (whatever this machine has): each mask a prefix that the destination fits */
    FILE *f = fopen("/proc/net/route", "r");
    CHECK(f != NULL);
    char line[512];
    int bad = 0;
    CHECK(fgets(line, sizeof line, f) != NULL);
    while (fgets(line, sizeof line, f)) {
        unsigned dst, mask;
        if (sscanf(line, "%*s %X %*X %*X %*d %*d %*d %X", &dst, &mask) != 2)
            continue;
        uint32_t host = ntohl(mask), inv = ~host;
        if ((inv & (inv + 1)) != 0 || (dst & ~mask) != 0)
            bad++;
    }
    fclose(f);
    printf("routes whose mask is no prefix of the destination: %d\n", bad);
    /* the multicast groups (whatever this machine's interfaces joined): each one 224/4 */
    f = fopen("/proc/net/igmp", "r");
    bad = 0;
    while (f && fgets(line, sizeof line, f)) {
        unsigned group;
        if (line[0] != '\t' || sscanf(line, " %8X", &group) != 1)
            continue;
        struct in_addr g = {group};
        if ((ntohl(g.s_addr) >> 28) != 0xe)
            bad++;
    }
    if (f)
        fclose(f);
    printf("igmp groups that are not multicast addresses: %d\n", bad);
    close(s4);
    close(s6);
    return 0;
}

/* ---- icmp6_filter: a raw ICMPv6 socket's filter (eight 32-bit words of type bits, in the
 * CPU's byte order) lets the echo reply to its own ping through and blocks the request.
 * Without CAP_NET_RAW (an unprivileged run) there is no raw socket: the same line is printed. ---- */
static int c_icmp6_filter(int argc, char **argv)
{
    (void)argc, (void)argv;
    const char *ok = "first message: the echo reply (the request was filtered out)";
    const char *hops = "hop limit (IPV6_2292HOPLIMIT): 64";
    int s = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
    if (s < 0 && (errno == EPERM || errno == EACCES)) {
        printf("%s\n%s\n", ok, hops);
        return 0;
    }
    CHECK(s >= 0);
    struct icmp6_filter f;
    ICMP6_FILTER_SETBLOCKALL(&f);
    ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
    CHECK(setsockopt(s, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof f) == 0);
    /* what ping6 sets: the checksum's offset at SOL_RAW, and RFC 2292's hop limit message */
    int two = 2, on = 1;
    CHECK(setsockopt(s, SOL_RAW, IPV6_CHECKSUM, &two, sizeof two) == 0);
    CHECK(setsockopt(s, IPPROTO_IPV6, IPV6_2292HOPLIMIT, &on, sizeof on) == 0);
    struct sockaddr_in6 to = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    struct icmp6_hdr h = {.icmp6_type = ICMP6_ECHO_REQUEST};
    h.icmp6_id = htons(0x7531);
    h.icmp6_seq = htons(1);
    CHECK(sendto(s, &h, sizeof h, 0, (struct sockaddr *)&to, sizeof to) == (ssize_t)sizeof h);
    struct pollfd p = {s, POLLIN, 0};
    unsigned char buf[256];
    if (poll(&p, 1, 5000) != 1) {
        printf("first message: none\n");
        return 0;
    }
    union {
        struct cmsghdr align;
        char space[CMSG_SPACE(sizeof(int))];
    } control;
    struct iovec iov = {buf, sizeof buf};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = &control, .msg_controllen = sizeof control};
    CHECK(recvmsg(s, &m, 0) >= 1);
    if (buf[0] == ICMP6_ECHO_REPLY)
        printf("%s\n", ok);
    else
        printf("first message: type %d\n", buf[0]);
    int hop = -1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
        if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_2292HOPLIMIT)
            memcpy(&hop, CMSG_DATA(c), sizeof hop);
    printf("hop limit (IPV6_2292HOPLIMIT): %d\n", hop);
    close(s);
    return 0;
}

static int c_getaddrinfo(int argc, char **argv)
{
    (void)argc, (void)argv;
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *res;
    int r = getaddrinfo("localhost", "80", &hints, &res);
    printf("getaddrinfo localhost: %s\n", r == 0 ? "OK" : gai_strerror(r));
    if (r == 0) {
        struct sockaddr_in *sin = (struct sockaddr_in *)res->ai_addr;
        char text[INET_ADDRSTRLEN];
        printf("  %s port %d socktype stream %s\n", inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text),
               ntohs(sin->sin_port), res->ai_socktype == SOCK_STREAM ? "yes" : "no");
        freeaddrinfo(res);
    }
    hints.ai_flags = AI_NUMERICHOST;
    hints.ai_family = AF_UNSPEC;
    r = getaddrinfo("::1", NULL, &hints, &res);
    printf("getaddrinfo ::1: %s %s\n", r == 0 ? "OK" : gai_strerror(r), r == 0 ? family_name(res->ai_family) : "");
    if (r == 0)
        freeaddrinfo(res);
    return 0;
}

/* The raw socketcall(2) where the ABI has it (MIPS o32); the same calls directly elsewhere. */
static long sockcall(int call, unsigned long *args)
{
#ifdef SYS_socketcall
    return syscall(SYS_socketcall, call, args);
#else
    switch (call) {
    case 1: return socket((int)args[0], (int)args[1], (int)args[2]);
    case 2: return bind((int)args[0], (const struct sockaddr *)args[1], (socklen_t)args[2]);
    case 4: return listen((int)args[0], (int)args[1]);
    case 6: return getsockname((int)args[0], (struct sockaddr *)args[1], (socklen_t *)args[2]);
    case 3: return connect((int)args[0], (const struct sockaddr *)args[1], (socklen_t)args[2]);
    case 18: return accept4((int)args[0], (struct sockaddr *)args[1], (socklen_t *)args[2], (int)args[3]);
    case 9: return send((int)args[0], (const void *)args[1], args[2], (int)args[3]);
    case 10: return recv((int)args[0], (void *)args[1], args[2], (int)args[3]);
    default: errno = EINVAL; return -1;
    }
#endif
}

static int c_socketcall(int argc, char **argv)
{
    (void)argc, (void)argv;
    struct sockaddr_storage ss;
    socklen_t len = loopback(AF_INET, &ss, 0);
    unsigned long a[6] = {AF_INET, SOCK_STREAM, 0};
    long ls = sockcall(1, a);
    CHECK(ls >= 0);
    a[0] = (unsigned long)ls, a[1] = (unsigned long)&ss, a[2] = len;
    show("bind", sockcall(2, a));
    a[1] = 4;
    show("listen", sockcall(4, a));
    a[1] = (unsigned long)&ss, a[2] = (unsigned long)&len;
    len = sizeof ss;
    show("getsockname", sockcall(6, a));
    a[0] = AF_INET, a[1] = SOCK_STREAM, a[2] = 0;
    long c = sockcall(1, a);
    a[0] = (unsigned long)c, a[1] = (unsigned long)&ss, a[2] = len;
    show("connect", sockcall(3, a));
    a[0] = (unsigned long)ls, a[1] = 0, a[2] = 0, a[3] = SOCK_CLOEXEC;
    long s = sockcall(18, a);
    printf("accept4: %s, close-on-exec %s\n", s >= 0 ? "OK" : errname(errno), fcntl((int)s, F_GETFD) & FD_CLOEXEC ? "yes" : "no");
    a[0] = (unsigned long)c, a[1] = (unsigned long)"hi!", a[2] = 3, a[3] = 0;
    show("send", sockcall(9, a));
    char buf[8];
    a[0] = (unsigned long)s, a[1] = (unsigned long)buf, a[2] = sizeof buf, a[3] = 0;
    show("recv", sockcall(10, a));
    show("bad call", sockcall(99, a));
    return 0;
}

/* ------------------------------------------------------------------------ */
/* For test/sockets-node.test.ts: a guest server and a guest client          */
/* ------------------------------------------------------------------------ */

/* Prints the port it listens on, then echoes connections until one sends "quit". */
static int c_serve_echo(int argc, char **argv)
{
    (void)argc, (void)argv;
    int port;
    int ls = bound_socket(AF_INET, SOCK_STREAM, &port);
    printf("port %d\n", port);
    fflush(stdout);
    for (;;) {
        int c = accept(ls, NULL, NULL);
        CHECK(c >= 0);
        char buf[4096];
        ssize_t n;
        int quit = 0;
        while ((n = recv(c, buf, sizeof buf, 0)) > 0) {
            if (n >= 4 && memcmp(buf, "quit", 4) == 0)
                quit = 1;
            CHECK(send(c, buf, (size_t)n, 0) == n);
        }
        close(c);
        if (quit)
            break;
    }
    printf("server done\n");
    return 0;
}

/* Connects to 127.0.0.1:PORT, sends lines, prints what comes back. */
static int c_client_echo(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    int s = connected_socket(AF_INET, SOCK_STREAM, atoi(argv[2]));
    int nodelay = 1;
    CHECK(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &nodelay, sizeof nodelay) == 0);
    const char *lines[] = {"hello node\n", "second line\n"};
    for (int i = 0; i < 2; i++) {
        size_t len = strlen(lines[i]);
        CHECK(send(s, lines[i], len, 0) == (ssize_t)len);
        char buf[64];
        size_t n = read_full(s, buf, len);
        printf("reply: %.*s", (int)n, buf);
    }
    CHECK(shutdown(s, SHUT_WR) == 0);
    char buf[64];
    show("end", recv(s, buf, sizeof buf, 0));
    return 0;
}

/* Measurements (not a test case): ROUNDS request/response round trips of SIZE bytes over
 * loopback TCP with a forked echo server, then MIB mebibytes sent one way; timings on stderr. */
static int c_bench(int argc, char **argv)
{
    int rounds = argc > 2 ? atoi(argv[2]) : 10000, size = argc > 3 ? atoi(argv[3]) : 64;
    int mib = argc > 4 ? atoi(argv[4]) : 64;
    int port;
    int ls = bound_socket(AF_INET, SOCK_STREAM, &port);
    pid_t pid = fork();
    if (pid == 0) {
        int c = accept(ls, NULL, NULL);
        echo_connection(c); /* echoes the round trips, then the bulk data */
        _exit(0);
    }
    close(ls);
    int s = connected_socket(AF_INET, SOCK_STREAM, port);
    int one = 1;
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char *buf = calloc(1, (size_t)size);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < rounds; i++) {
        CHECK(send(s, buf, (size_t)size, 0) == size);
        CHECK(read_full(s, buf, (size_t)size) == (size_t)size);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double sec = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    fprintf(stderr, "%d round trips of %d bytes in %.3f s: %.0f/s\n", rounds, size, sec, rounds / sec);
    /* bulk: the server echoes it, a second socket direction read as it comes */
    static char big[1 << 16], back[1 << 16];
    long long want = (long long)mib << 20, sent = 0, got = 0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (got < want) {
        if (sent < want) {
            ssize_t n = send(s, big, sizeof big, MSG_DONTWAIT);
            if (n > 0)
                sent += n;
        }
        ssize_t n = recv(s, back, sizeof back, sent < want ? MSG_DONTWAIT : 0);
        if (n > 0)
            got += n;
        else if (n == 0)
            break;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    sec = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    fprintf(stderr, "%d MiB echoed in %.3f s: %.1f MiB/s each way\n", mib, sec, mib / sec);
    close(s);
    waitpid(pid, NULL, 0);
    return 0;
}

/* ---- errqueue: reading a socket's error queue never waits: EAGAIN when it is empty, on a
 * socket whose connect was refused (its error pending) too ---- */
static int c_errqueue(int argc, char **argv)
{
    (void)argc, (void)argv;
    int port;
    int ls = bound_socket(AF_INET, SOCK_STREAM, &port);
    close(ls); /* nothing listens on the port now */
    struct sockaddr_storage ss;
    socklen_t len = loopback(AF_INET, &ss, port);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    show("connect to a closed port", connect(s, (struct sockaddr *)&ss, len));
    char data[16], control[64];
    struct iovec iov = {data, sizeof data};
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = control;
    m.msg_controllen = sizeof control;
    show("recvmsg MSG_ERRQUEUE", recvmsg(s, &m, MSG_ERRQUEUE));
    close(s);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    m.msg_controllen = sizeof control;
    show("UDP recvmsg MSG_ERRQUEUE", recvmsg(u, &m, MSG_ERRQUEUE));
    close(u);
    return 0;
}

/*
 * send_signal_thread: in a threaded process (each thread in a Worker under urun), a send of
 * more than the socket holds, nobody reading, ended by a signal with a handler: it returns
 * what it queued, as Linux does. urun answered EINTR: taking the signal during the wait
 * (the Worker asks the main thread for the handler) lost the wait's state, and with it the
 * count the call had sent before it waited.
 */
static void quiet_alarm(int sig) { (void)sig; }
static void *no_op(void *arg) { return arg; }

static int c_send_signal_thread(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    pthread_t t;
    CHECK(pthread_create(&t, NULL, no_op, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = quiet_alarm;
    CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
    static char big[8 << 20];
    alarm(1);
    ssize_t n = send(sv[0], big, sizeof big, 0);
    printf("send of 8 MiB nobody reads, ended by SIGALRM: %s\n", n > 0 && n < (ssize_t)sizeof big ? "part of it" : n < 0 ? strerror(errno) : "all of it");
    int queued = 0;
    CHECK(ioctl(sv[1], FIONREAD, &queued) == 0);
    printf("the count is what the reader finds: %s\n", queued == n ? "yes" : "no");
    alarm(1);
    n = write(sv[0], big, sizeof big);
    printf("write of 8 MiB into the full socket: %s\n", n > 0 ? "a count" : strerror(errno));
    return 0;
}

/*
 * recverr: a UDP socket with IP_RECVERR (IPV6_RECVERR) sending to a closed loopback port
 * reads the ICMP error from its error queue as a struct sock_extended_err, whose ee_errno is
 * the kernel's errno: ECONNREFUSED in the guest's numbering (146 on MIPS). urun passed the
 * host's 111 to MIPS guests (tracepath never said 'reached').
 */
static int c_recverr(int argc, char **argv)
{
    (void)argc, (void)argv;
    for (int family = AF_INET; family; family = family == AF_INET ? AF_INET6 : 0) {
        int port;
        int b = bound_socket(family, SOCK_DGRAM, &port);
        close(b); /* nothing listens on the port now */
        struct sockaddr_storage ss;
        socklen_t len = loopback(family, &ss, port);
        int u = socket(family, SOCK_DGRAM, 0);
        CHECK(u >= 0);
        int one = 1;
        if (family == AF_INET)
            CHECK(setsockopt(u, SOL_IP, IP_RECVERR, &one, sizeof one) == 0);
        else
            CHECK(setsockopt(u, SOL_IPV6, IPV6_RECVERR, &one, sizeof one) == 0);
        CHECK(connect(u, (struct sockaddr *)&ss, len) == 0);
        CHECK(send(u, "x", 1, 0) == 1);
        struct pollfd p = {u, 0, 0};
        CHECK(poll(&p, 1, 5000) == 1);
        printf("%s: poll says POLLERR: %s\n", family == AF_INET ? "IPv4" : "IPv6", p.revents & POLLERR ? "yes" : "no");
        char data[16];
        union { char buf[256]; struct cmsghdr align; } control;
        struct iovec iov = {data, sizeof data};
        struct msghdr m = {0};
        m.msg_iov = &iov;
        m.msg_iovlen = 1;
        m.msg_control = control.buf;
        m.msg_controllen = sizeof control.buf;
        show("recvmsg MSG_ERRQUEUE", recvmsg(u, &m, MSG_ERRQUEUE));
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
            if (!((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
                  (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR)))
                continue;
            struct sock_extended_err e;
            memcpy(&e, CMSG_DATA(c), sizeof e);
            printf("ee_errno %s (%s), origin %d, type %d, code %d\n", errname(e.ee_errno),
                   e.ee_errno == ECONNREFUSED ? "ECONNREFUSED" : "not ECONNREFUSED", e.ee_origin,
                   e.ee_type, e.ee_code);
        }
        show("send after reading the error", send(u, "x", 1, 0));
        close(u);
    }
    return 0;
}

/*
 * tcp_info: getsockopt(TCP_INFO) on a loopback connection, in the guest's byte order (urun
 * refused it on big-endian MIPS with ENOPROTOOPT: the struct was passed as the host's bytes
 * or not at all), the window-scale bitfields in the guest compiler's bit order, at the glibc
 * struct's length and at a shorter one.
 */
static int c_tcp_info(int argc, char **argv)
{
    (void)argc, (void)argv;
    int port;
    int l = bound_socket(AF_INET, SOCK_STREAM, &port);
    int c = connected_socket(AF_INET, SOCK_STREAM, port);
    int a = accept(l, NULL, NULL);
    CHECK(a >= 0);
    CHECK(write(c, "hello", 5) == 5);
    char buf[8];
    CHECK(read_full(a, buf, 5) == 5);
    struct tcp_info ti;
    memset(&ti, 0xff, sizeof ti);
    socklen_t tl = sizeof ti;
    show("getsockopt TCP_INFO", getsockopt(c, SOL_TCP, TCP_INFO, &ti, &tl));
    printf("length %s the struct's\n", tl == sizeof ti ? "is" : "is not");
    printf("state ESTABLISHED: %s\n", ti.tcpi_state == TCP_ESTABLISHED ? "yes" : "no");
    printf("window scaling on, both scales alike and below 15: %s\n",
           (ti.tcpi_options & TCPI_OPT_WSCALE) && ti.tcpi_snd_wscale == ti.tcpi_rcv_wscale && ti.tcpi_snd_wscale < 15 ? "yes" : "no");
    printf("mss in 500..65535: %s\n", ti.tcpi_snd_mss >= 500 && ti.tcpi_snd_mss <= 65535 ? "yes" : "no");
    printf("pmtu over 1000: %s\n", ti.tcpi_pmtu > 1000 && ti.tcpi_pmtu <= 65536 ? "yes" : "no");
    printf("rtt under 1 s: %s\n", ti.tcpi_rtt > 0 && ti.tcpi_rtt < 1000000 ? "yes" : "no");
    printf("retransmits %u, unacked %u\n", ti.tcpi_total_retrans, ti.tcpi_unacked);
    memset(&ti, 0, sizeof ti);
    tl = 8;
    show("getsockopt TCP_INFO, 8 bytes", getsockopt(a, SOL_TCP, TCP_INFO, &ti, &tl));
    printf("length %u, state %u, rtt untouched %s\n", (unsigned)tl, ti.tcpi_state, ti.tcpi_rtt == 0 ? "yes" : "no");
    close(a), close(c), close(l);
    return 0;
}

static const struct guest_case cases[] = {
    {"tcp", c_tcp},
    {"errqueue", c_errqueue},
    {"recverr", c_recverr},
    {"tcp_info", c_tcp_info},
    {"udp", c_udp},
    {"unix", c_unix},
    {"scm_rights", c_scm_rights},
    {"scm_credentials", c_scm_credentials},
    {"connect", c_connect},
    {"sockopts", c_sockopts},
    {"io", c_io},
    {"timeout", c_timeout},
    {"sigpipe", c_sigpipe},
    {"threads", c_threads},
    {"send_signal_thread", c_send_signal_thread},
    {"exec_cat", c_exec_cat},
    {"getaddrinfo", c_getaddrinfo},
    {"socketcall", c_socketcall},
    {"procnet", c_procnet},
    {"icmp6_filter", c_icmp6_filter},
    {"serve_echo", c_serve_echo},
    {"client_echo", c_client_echo},
    {"bench", c_bench},
};

int main(int argc, char **argv)
{
    /* every line reaches the pipe before any fork or exec */
    setvbuf(stdout, NULL, _IOLBF, 0);
    return RUN_CASE("sockets", cases, argc, argv);
}

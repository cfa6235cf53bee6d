/* Netlink (NETLINK_ROUTE) as programs use it: glibc's getifaddrs(), raw link, address and
 * route dumps, errors with extended acknowledgements, socket names and memberships. What it
 * prints describes the host's network, so test/netlink.test.ts checks it against the host
 * and against qemu-user rather than golden files.
 *
 *   netlink ifaddrs | links | addrs | routes | sockname | errors | unsupported | ioctls | ifioctls | ethtool
 *           | diag | procunix
 *
 * ethtool: SIOCETHTOOL (ethtool -i, -S) of every interface: driver, link, statistics' names.
 * ifioctls: rarer interface ioctls (SIOCGIFPFLAGS, SIOCGIFENCAP, SIOCGIFSLAVE, mii-tool's SIOCGMII*)
 * of lo and of no interface: the kernel's answers.
 * diag, procunix: the program's own sockets as NETLINK_SOCK_DIAG (ss's path) and /proc/net/unix
 * (netstat's) describe them, their types in the guest's numbering (MIPS swaps SOCK_STREAM and
 * SOCK_DGRAM).
 *
 * ioctls: the interface ioctls on a socket (struct ifreq, SIOCGIFCONF), which are not netlink
 * but tell the same things to older programs (busybox ifconfig and ip).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/ethtool.h>
#include <linux/sock_diag.h>
#include <linux/sockios.h>
#include <linux/netlink_diag.h>
#include <linux/unix_diag.h>
#include <net/if.h>
#include <netpacket/packet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static void die(const char *what) {
    printf("%s: %s\n", what, strerror(errno));
    exit(1);
}

/* ---- getifaddrs, its entries sorted ---- */

static int by_string(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int prefix_len(const struct sockaddr *mask) {
    const unsigned char *p = mask->sa_family == AF_INET ? (const unsigned char *)&((const struct sockaddr_in *)mask)->sin_addr
                                                          : (const unsigned char *)&((const struct sockaddr_in6 *)mask)->sin6_addr;
    int n = mask->sa_family == AF_INET ? 4 : 16, bits = 0;
    for (int i = 0; i < n; i++) bits += __builtin_popcount(p[i]);
    return bits;
}

static int ifaddrs_case(void) {
    struct ifaddrs *list;
    if (getifaddrs(&list) != 0) die("getifaddrs");
    char *lines[256];
    int n = 0;
    for (struct ifaddrs *a = list; a && n < 256; a = a->ifa_next) {
        char line[256], addr[INET6_ADDRSTRLEN] = "-";
        int family = a->ifa_addr ? a->ifa_addr->sa_family : -1;
        if (family == AF_INET || family == AF_INET6) {
            const void *src = family == AF_INET ? (const void *)&((struct sockaddr_in *)a->ifa_addr)->sin_addr
                                                : (const void *)&((struct sockaddr_in6 *)a->ifa_addr)->sin6_addr;
            inet_ntop(family, src, addr, sizeof addr);
            snprintf(line, sizeof line, "%s %s %s/%d flags %#x", a->ifa_name, family == AF_INET ? "inet" : "inet6", addr,
                     a->ifa_netmask ? prefix_len(a->ifa_netmask) : -1, a->ifa_flags);
        } else if (family == AF_PACKET) {
            const struct sockaddr_ll *ll = (const struct sockaddr_ll *)a->ifa_addr;
            char hw[64] = "";
            for (int i = 0; i < ll->sll_halen && i < 8; i++) sprintf(hw + strlen(hw), "%s%02x", i ? ":" : "", ll->sll_addr[i]);
            /* ifa_data: the link's struct rtnl_link_stats (IFLA_STATS) */
            const struct rtnl_link_stats *st = a->ifa_data;
            snprintf(line, sizeof line, "%s packet index %d hw %s flags %#x stats %s", a->ifa_name,
                     ll->sll_ifindex, hw[0] ? hw : "-",
                     a->ifa_flags, st && st->rx_packets >= st->multicast ? "ok" : "bad");
        } else {
            snprintf(line, sizeof line, "%s family %d", a->ifa_name, family);
        }
        lines[n++] = strdup(line);
    }
    freeifaddrs(list);
    qsort(lines, n, sizeof *lines, by_string);
    for (int i = 0; i < n; i++) printf("%s\n", lines[i]);
    return 0;
}

/* ---- raw dumps ---- */

static int open_route(void) {
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) die("socket");
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) die("bind");
    return fd;
}

/* Whether requests and replies go through write(2) and read(2) instead of sendmsg and recvmsg. */
static int plain_io;

/* Sends a request: a header, a family header of `size` bytes, and optionally one u32 attribute. */
static void request(int fd, int type, int flags, int seq, const void *body, size_t size, int attr, uint32_t value) {
    char buf[256] __attribute__((aligned(4)));
    memset(buf, 0, sizeof buf);
    struct nlmsghdr *h = (struct nlmsghdr *)buf;
    h->nlmsg_len = NLMSG_LENGTH(size);
    h->nlmsg_type = type;
    h->nlmsg_flags = NLM_F_REQUEST | flags;
    h->nlmsg_seq = seq;
    memcpy(NLMSG_DATA(h), body, size);
    if (attr) {
        struct rtattr *a = (struct rtattr *)(buf + NLMSG_ALIGN(h->nlmsg_len));
        a->rta_type = attr;
        a->rta_len = RTA_LENGTH(4);
        memcpy(RTA_DATA(a), &value, 4);
        h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
    }
    if (plain_io) {
        /* write(2): an unconnected netlink socket sends to the kernel */
        if (write(fd, buf, h->nlmsg_len) != (ssize_t)h->nlmsg_len) die("write");
        return;
    }
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    struct iovec iov = {buf, h->nlmsg_len};
    struct msghdr m = {.msg_name = &kernel, .msg_namelen = sizeof kernel, .msg_iov = &iov, .msg_iovlen = 1};
    if (sendmsg(fd, &m, 0) != (ssize_t)h->nlmsg_len) die("sendmsg");
}

/* Receives one datagram through recvmsg (two buffers: a message may straddle them). */
static char reply[65536] __attribute__((aligned(4)));
static ssize_t receive(int fd) {
    if (plain_io) {
        ssize_t n = read(fd, reply, sizeof reply);
        if (n < 0) die("read");
        return n;
    }
    struct sockaddr_nl from;
    struct iovec iov[2] = {{reply, 1000}, {reply + 1000, sizeof reply - 1000}};
    struct msghdr m = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = iov, .msg_iovlen = 2};
    ssize_t n = recvmsg(fd, &m, 0);
    if (n < 0) die("recvmsg");
    if (m.msg_namelen != sizeof from || from.nl_family != AF_NETLINK || from.nl_pid != 0) printf("reply not from the kernel\n");
    return n;
}

typedef void (*on_message)(struct nlmsghdr *h);

/* A whole dump: every message until NLMSG_DONE, each checked and handed to `each`. */
static void dump(int fd, int type, const void *body, size_t size, on_message each) {
    static int seq = 100;
    request(fd, type, NLM_F_DUMP, ++seq, body, size, 0, 0);
    for (;;) {
        ssize_t n = receive(fd);
        for (struct nlmsghdr *h = (struct nlmsghdr *)reply; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_seq != (unsigned)seq) printf("seq %u, not %d\n", h->nlmsg_seq, seq);
            if (h->nlmsg_type == NLMSG_DONE) return;
            if (h->nlmsg_type == NLMSG_ERROR) {
                printf("error %d\n", ((struct nlmsgerr *)NLMSG_DATA(h))->error);
                return;
            }
            if (!(h->nlmsg_flags & NLM_F_MULTI)) printf("not NLM_F_MULTI\n");
            each(h);
        }
    }
}

static uint32_t u32_at(const struct rtattr *a) {
    uint32_t v;
    memcpy(&v, RTA_DATA(a), 4);
    return v;
}

static void link_line(struct nlmsghdr *h) {
    const struct ifinfomsg *i = NLMSG_DATA(h);
    const char *name = "?";
    uint32_t mtu = 0, txqlen = 0, stats32[24];
    uint64_t stats64[24];
    int operstate = -1, have32 = 0, have64 = 0;
    int len = IFLA_PAYLOAD(h);
    for (struct rtattr *a = IFLA_RTA(i); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
        switch (a->rta_type) {
        case IFLA_IFNAME: name = RTA_DATA(a); break;
        case IFLA_MTU: mtu = u32_at(a); break;
        case IFLA_TXQLEN: txqlen = u32_at(a); break;
        case IFLA_OPERSTATE: operstate = *(unsigned char *)RTA_DATA(a); break;
        case IFLA_STATS: memcpy(stats32, RTA_DATA(a), sizeof stats32); have32 = RTA_PAYLOAD(a) >= sizeof stats32; break;
        case IFLA_STATS64: memcpy(stats64, RTA_DATA(a), sizeof stats64); have64 = RTA_PAYLOAD(a) >= sizeof stats64; break;
        }
    }
    /* The kernel fills IFLA_STATS from the same snapshot as IFLA_STATS64. */
    int same = have32 && have64;
    for (int k = 0; same && k < 24; k++) same = stats32[k] == (uint32_t)stats64[k];
    printf("%d %s type %d flags %#x mtu %u txqlen %u operstate %d stats %s\n", i->ifi_index, name, i->ifi_type, i->ifi_flags,
           mtu, txqlen, operstate, same ? "agree" : "differ");
}

static void addr_line(struct nlmsghdr *h) {
    const struct ifaddrmsg *i = NLMSG_DATA(h);
    char addr[INET6_ADDRSTRLEN] = "-", label[IFNAMSIZ] = "-";
    const char *life = "-";
    int len = IFA_PAYLOAD(h);
    for (struct rtattr *a = IFA_RTA(i); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
        if (a->rta_type == IFA_ADDRESS) inet_ntop(i->ifa_family, RTA_DATA(a), addr, sizeof addr);
        if (a->rta_type == IFA_LABEL) snprintf(label, sizeof label, "%s", (char *)RTA_DATA(a));
        if (a->rta_type == IFA_CACHEINFO) {
            const struct ifa_cacheinfo *c = RTA_DATA(a);
            life = c->ifa_valid == 0xffffffffu ? "forever" : c->ifa_prefered <= c->ifa_valid ? "finite" : "bad";
        }
    }
    printf("%u %s %s/%d scope %d label %s valid %s\n", i->ifa_index, i->ifa_family == AF_INET ? "inet" : "inet6", addr,
           i->ifa_prefixlen, i->ifa_scope, label, life);
}

static void route_line(struct nlmsghdr *h) {
    const struct rtmsg *r = NLMSG_DATA(h);
    char dst[INET_ADDRSTRLEN] = "0.0.0.0", gw[INET_ADDRSTRLEN] = "-";
    uint32_t table = r->rtm_table, oif = 0, priority = 0;
    int len = RTM_PAYLOAD(h);
    for (struct rtattr *a = RTM_RTA(r); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
        if (a->rta_type == RTA_DST) inet_ntop(AF_INET, RTA_DATA(a), dst, sizeof dst);
        if (a->rta_type == RTA_GATEWAY) inet_ntop(AF_INET, RTA_DATA(a), gw, sizeof gw);
        if (a->rta_type == RTA_TABLE) table = u32_at(a);
        if (a->rta_type == RTA_OIF) oif = u32_at(a);
        if (a->rta_type == RTA_PRIORITY) priority = u32_at(a);
    }
    if (table != RT_TABLE_MAIN) return;
    printf("%s/%d via %s oif %u metric %u scope %d type %d\n", dst, r->rtm_dst_len, gw, oif, priority, r->rtm_scope, r->rtm_type);
}

static int dump_case(const char *what) {
    int fd = open_route();
    if (!strcmp(what, "links")) {
        struct ifinfomsg i = {.ifi_family = AF_UNSPEC};
        dump(fd, RTM_GETLINK, &i, sizeof i, link_line);
    } else if (!strcmp(what, "addrs")) {
        /* as glibc and Go ask: a struct rtgenmsg, one byte */
        struct rtgenmsg g = {.rtgen_family = AF_UNSPEC};
        dump(fd, RTM_GETADDR, &g, sizeof g, addr_line);
    } else {
        struct rtmsg r = {.rtm_family = AF_INET};
        dump(fd, RTM_GETROUTE, &r, sizeof r, route_line);
    }
    close(fd);
    return 0;
}

/* ---- names, memberships, options ---- */

static int sockname_case(void) {
    int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    if (fd < 0) die("socket");
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK};
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) die("bind");
    int group = RTNLGRP_IPV4_IFADDR, on = 1;
    if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof group) != 0) die("NETLINK_ADD_MEMBERSHIP");
    if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &on, sizeof on) != 0) die("NETLINK_EXT_ACK");
    int rcvbuf = 1 << 16, got = 0;
    socklen_t len = sizeof got;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf) != 0) die("SO_RCVBUF");
    if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len) != 0) die("getsockopt SO_RCVBUF");
    printf("SO_RCVBUF %s\n", got >= rcvbuf ? "set" : "not set");
    len = sizeof got;
    if (getsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &got, &len) != 0) die("getsockopt NETLINK_EXT_ACK");
    printf("NETLINK_EXT_ACK %d len %d\n", got, (int)len);
    len = sizeof got;
    if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &got, &len) != 0) die("getsockopt SO_PROTOCOL");
    printf("SO_PROTOCOL %d\n", got);
    memset(&sa, 0xff, sizeof sa);
    len = sizeof sa;
    if (getsockname(fd, (struct sockaddr *)&sa, &len) != 0) die("getsockname");
    /* The first netlink socket of a process is named by its pid. */
    printf("family %d len %d pad %d pid is getpid %s groups %#x\n", sa.nl_family, (int)len, sa.nl_pad,
           sa.nl_pid == (uint32_t)getpid() ? "yes" : "no", sa.nl_groups);
    int second = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE);
    if (second < 0) die("second socket");
    /* A name no other process holds: the tests run this program for several arches at once. */
    uint32_t wanted = 0x40000000u | (uint32_t)getpid();
    struct sockaddr_nl named = {.nl_family = AF_NETLINK, .nl_pid = wanted};
    if (bind(second, (struct sockaddr *)&named, sizeof named) != 0) die("bind by name");
    memset(&sa, 0, sizeof sa);
    len = sizeof sa;
    if (getsockname(second, (struct sockaddr *)&sa, &len) != 0) die("getsockname");
    printf("bound by name %s\n", sa.nl_pid == wanted ? "as asked" : "other");
    return 0;
}

/* ---- errors: NLMSG_ERROR with the request echoed, and extended acknowledgements ---- */

static void show_error(int fd, const char *what) {
    ssize_t n = receive(fd);
    struct nlmsghdr *h = (struct nlmsghdr *)reply;
    if (!NLMSG_OK(h, n) || (h->nlmsg_type != NLMSG_ERROR && h->nlmsg_type != NLMSG_DONE)) {
        printf("%s: type %d\n", what, NLMSG_OK(h, n) ? h->nlmsg_type : -1);
        return;
    }
    const struct nlmsgerr *e = NLMSG_DATA(h);
    printf("%s: %s %s", what, h->nlmsg_type == NLMSG_ERROR ? "NLMSG_ERROR" : "NLMSG_DONE", e->error ? strerror(-e->error) : "ack");
    if (h->nlmsg_type == NLMSG_ERROR) printf(", echoed type %d seq %u len %u", e->msg.nlmsg_type, e->msg.nlmsg_seq, e->msg.nlmsg_len);
    if (h->nlmsg_flags & NLM_F_ACK_TLVS) {
        /* after the echoed header (capped) or the whole request; NLMSG_DONE: after the int */
        size_t at = h->nlmsg_type == NLMSG_DONE ? sizeof(int)
                    : h->nlmsg_flags & NLM_F_CAPPED ? sizeof *e : sizeof(int) + NLMSG_ALIGN(e->msg.nlmsg_len);
        struct rtattr *a = (struct rtattr *)((char *)NLMSG_DATA(h) + at);
        int len = h->nlmsg_len - NLMSG_HDRLEN - at;
        for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
            if (a->rta_type == NLMSGERR_ATTR_MSG) printf(", message \"%s\"", (char *)RTA_DATA(a));
            if (a->rta_type == NLMSGERR_ATTR_OFFS) printf(", offset %u", u32_at(a));
        }
    }
    printf("\n");
}

static int errors_case(void) {
    int fd = open_route(), on = 1;
    struct ifinfomsg i = {.ifi_family = AF_UNSPEC, .ifi_index = 0x7fffffff};
    request(fd, RTM_GETLINK, NLM_F_ACK, 7, &i, sizeof i, 0, 0);
    show_error(fd, "no such link");
    /* RTM_GETADDR has only a dump: anything else is EOPNOTSUPP (a number MIPS has its own for) */
    struct ifaddrmsg a = {.ifa_family = AF_INET};
    request(fd, RTM_GETADDR, NLM_F_ACK, 8, &a, sizeof a, 0, 0);
    show_error(fd, "getaddr without dump");
    if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &on, sizeof on) != 0) die("NETLINK_EXT_ACK");
    if (setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &on, sizeof on) != 0) die("NETLINK_CAP_ACK");
    request(fd, RTM_GETLINK, NLM_F_ACK, 9, &i, sizeof i, IFLA_EXT_MASK, 1);
    show_error(fd, "no such link, capped");
    /* strict checking: an attribute a get request does not take, flags in a dump request */
    if (setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &on, sizeof on) != 0) die("NETLINK_GET_STRICT_CHK");
    struct ifinfomsg lo = {.ifi_family = AF_UNSPEC, .ifi_index = 1};
    request(fd, RTM_GETLINK, NLM_F_ACK, 10, &lo, sizeof lo, IFLA_MTU, 1000);
    show_error(fd, "strict get");
    struct ifinfomsg flagged = {.ifi_family = AF_UNSPEC, .ifi_flags = 1};
    request(fd, RTM_GETLINK, NLM_F_DUMP, 11, &flagged, sizeof flagged, 0, 0);
    show_error(fd, "strict dump");
    close(fd);
    return 0;
}

static int unsupported_case(void) {
    /* NETLINK_GENERIC: carried on little-endian guests only */
    int fd = socket(AF_NETLINK, SOCK_RAW, 16);
    printf("NETLINK_GENERIC: %s\n", fd >= 0 ? "ok" : strerror(errno));
    fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_KOBJECT_UEVENT);
    printf("NETLINK_KOBJECT_UEVENT: %s\n", fd >= 0 ? "ok" : strerror(errno));
    int sv[2];
    printf("socketpair: %s\n", socketpair(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE, sv) == 0 ? "ok" : strerror(errno));
    return 0;
}

static const char *in4(const struct sockaddr *sa) {
    static char text[4][INET_ADDRSTRLEN];
    static int next;
    char *t = text[next++ % 4];
    if (sa->sa_family != AF_INET) snprintf(t, INET_ADDRSTRLEN, "family %d", sa->sa_family);
    else inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, t, INET_ADDRSTRLEN);
    return t;
}

static int ioctls_case(void) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) die("socket");
    struct ifreq reqs[64];
    struct ifconf conf = {.ifc_len = sizeof reqs, .ifc_req = reqs};
    if (ioctl(fd, SIOCGIFCONF, &conf) != 0) die("SIOCGIFCONF");
    printf("SIOCGIFCONF: %d entries\n", conf.ifc_len / (int)sizeof *reqs);
    for (int i = 0; i < conf.ifc_len / (int)sizeof *reqs; i++) printf("  %s %s\n", reqs[i].ifr_name, in4(&reqs[i].ifr_addr));
    struct ifconf size = {.ifc_len = 0, .ifc_req = NULL};
    if (ioctl(fd, SIOCGIFCONF, &size) != 0) die("SIOCGIFCONF length");
    printf("SIOCGIFCONF length %s\n", size.ifc_len == conf.ifc_len ? "same" : "differs");
    struct if_nameindex *names = if_nameindex();
    for (struct if_nameindex *n = names; n && n->if_index; n++) {
        struct ifreq r;
        memset(&r, 0, sizeof r);
        snprintf(r.ifr_name, IFNAMSIZ, "%s", n->if_name);
        printf("%s:", n->if_name);
        if (ioctl(fd, SIOCGIFINDEX, &r) == 0) printf(" index %s", (unsigned)r.ifr_ifindex == if_nametoindex(n->if_name) && (unsigned)r.ifr_ifindex == n->if_index ? "ok" : "wrong");
        if (ioctl(fd, SIOCGIFFLAGS, &r) == 0) printf(" flags %#x", (unsigned short)r.ifr_flags);
        if (ioctl(fd, SIOCGIFMTU, &r) == 0) printf(" mtu %d", r.ifr_mtu);
        if (ioctl(fd, SIOCGIFTXQLEN, &r) == 0) printf(" txqlen %d", r.ifr_qlen);
        if (ioctl(fd, SIOCGIFHWADDR, &r) == 0) {
            const unsigned char *hw = (const unsigned char *)r.ifr_hwaddr.sa_data;
            printf(" hw type %d %02x:%02x:%02x:%02x:%02x:%02x", r.ifr_hwaddr.sa_family, hw[0], hw[1], hw[2], hw[3], hw[4], hw[5]);
        }
        if (ioctl(fd, SIOCGIFADDR, &r) == 0) {
            printf(" addr %s", in4(&r.ifr_addr));
            if (ioctl(fd, SIOCGIFNETMASK, &r) == 0) printf(" mask %s", in4(&r.ifr_netmask));
        } else {
            printf(" addr: %s", strerror(errno));
        }
        char name[IF_NAMESIZE];
        printf(" name by index %s\n", if_indextoname(n->if_index, name) && !strcmp(name, n->if_name) ? "ok" : "wrong");
    }
    if_freenameindex(names);
    struct ifreq none = {.ifr_ifindex = 0x7fffffff};
    printf("SIOCGIFNAME of no interface: %s\n", ioctl(fd, SIOCGIFNAME, &none) == 0 ? "found" : strerror(errno));
    return 0;
}

/* The rarer interface ioctls, asked of lo and of no interface: what the kernel answers. */
static int ifioctls_case(void) {
    static const struct { unsigned long req; const char *name; } reqs[] = {
        {SIOCGIFPFLAGS, "SIOCGIFPFLAGS"}, {SIOCGIFENCAP, "SIOCGIFENCAP"}, {SIOCGIFSLAVE, "SIOCGIFSLAVE"},
        {SIOCGMIIPHY, "SIOCGMIIPHY"}, {SIOCGMIIREG, "SIOCGMIIREG"},
    };
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) die("socket");
    for (size_t i = 0; i < sizeof reqs / sizeof reqs[0]; i++) {
        for (int none = 0; none < 2; none++) {
            struct ifreq r;
            memset(&r, 0, sizeof r);
            strcpy(r.ifr_name, none ? "nosuch0" : "lo");
            printf("%s of %s: %s\n", reqs[i].name, r.ifr_name, ioctl(fd, reqs[i].req, &r) == 0 ? "ok" : strerror(errno));
        }
    }
    return 0;
}

/* SIOCETHTOOL of every interface: the driver, the link, the statistics' names. */
static int ethtool_call(int fd, const char *name, void *data) {
    struct ifreq r;
    memset(&r, 0, sizeof r);
    strcpy(r.ifr_name, name);
    r.ifr_data = data;
    return ioctl(fd, SIOCETHTOOL, &r);
}

static int ethtool_case(void) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) die("socket");
    struct if_nameindex *all = if_nameindex();
    if (!all) die("if_nameindex");
    for (struct if_nameindex *n = all; n->if_index; n++) {
        struct ethtool_drvinfo d = {.cmd = ETHTOOL_GDRVINFO};
        if (ethtool_call(fd, n->if_name, &d) == 0)
            printf("%s: driver %s version %s bus %s statistics %u\n", n->if_name, d.driver, d.version, d.bus_info, d.n_stats);
        else
            printf("%s: driver: %s\n", n->if_name, strerror(errno));
        struct ethtool_value v = {.cmd = ETHTOOL_GLINK};
        if (ethtool_call(fd, n->if_name, &v) == 0) printf("%s: link %u\n", n->if_name, v.data);
        else printf("%s: link: %s\n", n->if_name, strerror(errno));
        /* the statistics' count (a u64 mask, then one u32 per set asked), their names and values */
        struct { struct ethtool_sset_info h; uint32_t count; } info = {{.cmd = ETHTOOL_GSSET_INFO, .sset_mask = 1ull << ETH_SS_STATS}};
        if (ethtool_call(fd, n->if_name, &info) != 0) {
            printf("%s: string sets: %s\n", n->if_name, strerror(errno));
            continue;
        }
        uint32_t count = info.h.sset_mask ? info.count : 0;
        printf("%s: mask %#llx, %u statistics\n", n->if_name, (unsigned long long)info.h.sset_mask, count);
        if (!count) continue;
        struct ethtool_gstrings *names = calloc(1, sizeof *names + count * ETH_GSTRING_LEN);
        struct ethtool_stats *values = calloc(1, sizeof *values + count * sizeof(uint64_t));
        names->cmd = ETHTOOL_GSTRINGS;
        names->string_set = ETH_SS_STATS;
        values->cmd = ETHTOOL_GSTATS;
        values->n_stats = count;
        if (ethtool_call(fd, n->if_name, names) != 0 || ethtool_call(fd, n->if_name, values) != 0) die("statistics");
        printf("%s: %u names, first %.32s, last %.32s; %u values\n", n->if_name, names->len, (char *)names->data,
            (char *)names->data + (names->len - 1) * ETH_GSTRING_LEN, values->n_stats);
        free(names);
        free(values);
    }
    if_freenameindex(all);
    printf("no buffer: %s\n", ethtool_call(fd, "lo", NULL) == 0 ? "ok" : strerror(errno));
    return 0;
}

/* ---- the program's own sockets, as NETLINK_SOCK_DIAG and /proc/net/unix tell them ---- */

static const char *type_name(int type) {
    return type == SOCK_STREAM ? "STREAM" : type == SOCK_DGRAM ? "DGRAM" : type == SOCK_SEQPACKET ? "SEQPACKET"
        : type == SOCK_RAW ? "RAW" : "?";
}

/* One SOCK_DIAG_BY_FAMILY dump; each reply's (inode or port id, type) is put in place of the matching key. */
static void diag_dump(int fd, const void *req, size_t size, unsigned *keys, int *types, int n) {
    struct nlmsghdr h = {.nlmsg_len = NLMSG_LENGTH(size), .nlmsg_type = SOCK_DIAG_BY_FAMILY, .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP};
    struct iovec iov[2] = {{&h, sizeof h}, {(void *)req, size}};
    struct msghdr m = {.msg_iov = iov, .msg_iovlen = 2};
    if (sendmsg(fd, &m, 0) < 0) die("sendmsg");
    for (;;) {
        ssize_t len = recv(fd, reply, sizeof reply, 0);
        if (len < 0) die("recv");
        for (struct nlmsghdr *r = (struct nlmsghdr *)reply; NLMSG_OK(r, len); r = NLMSG_NEXT(r, len)) {
            if (r->nlmsg_type == NLMSG_DONE) return;
            if (r->nlmsg_type == NLMSG_ERROR) {
                printf("dump: %s\n", strerror(-((struct nlmsgerr *)NLMSG_DATA(r))->error));
                return;
            }
            const unsigned char *body = NLMSG_DATA(r);
            unsigned key = body[0] == AF_UNIX ? ((struct unix_diag_msg *)body)->udiag_ino : ((struct netlink_diag_msg *)body)->ndiag_portid;
            for (int i = 0; i < n; i++)
                if (keys[i] == key) types[i] = body[1];
        }
    }
}

static const int kinds[] = {SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET};
static unsigned inodes[3];

/* A socket pair of each kind, their first sockets' inodes in inodes[]. */
static void unix_pairs(void) {
    for (int i = 0; i < 3; i++) {
        int sv[2];
        struct stat st;
        if (socketpair(AF_UNIX, kinds[i], 0, sv) < 0 || fstat(sv[0], &st) < 0) die("socketpair");
        inodes[i] = st.st_ino;
    }
}

static int diag_case(void) {
    int types[3] = {-1, -1, -1};
    unix_pairs();
    int fd = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_SOCK_DIAG);
    if (fd < 0) {
        printf("NETLINK_SOCK_DIAG: %s\n", strerror(errno));
    } else {
        struct unix_diag_req ureq = {.sdiag_family = AF_UNIX, .udiag_states = -1};
        diag_dump(fd, &ureq, sizeof ureq, inodes, types, 3);
        for (int i = 0; i < 3; i++) printf("sock_diag: %s socket is %s\n", type_name(kinds[i]), type_name(types[i]));
        /* the netlink socket itself, a SOCK_DGRAM one */
        struct sockaddr_nl me;
        socklen_t len = sizeof me;
        if (getsockname(fd, (struct sockaddr *)&me, &len) < 0) die("getsockname");
        unsigned port = me.nl_pid;
        int type = -1;
        struct netlink_diag_req nreq = {.sdiag_family = AF_NETLINK, .sdiag_protocol = NDIAG_PROTO_ALL};
        diag_dump(fd, &nreq, sizeof nreq, &port, &type, 1);
        printf("sock_diag: the SOCK_DGRAM netlink socket is %s\n", type_name(type));
    }
    return 0;
}

static int proc_unix_case(void) {
    unix_pairs();
    FILE *f = fopen("/proc/net/unix", "r");
    if (!f) die("/proc/net/unix");
    char line[512];
    int found[3] = {-1, -1, -1};
    while (fgets(line, sizeof line, f)) {
        unsigned type, inode;
        if (sscanf(line, "%*s %*s %*s %*s %x %*s %u", &type, &inode) != 2) continue;
        for (int i = 0; i < 3; i++)
            if (inode == inodes[i]) found[i] = type;
    }
    fclose(f);
    for (int i = 0; i < 3; i++) printf("/proc/net/unix: %s socket is %s\n", type_name(kinds[i]), type_name(found[i]));
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *c = argc > 1 ? argv[1] : "";
    if (!strcmp(c, "ifaddrs")) return ifaddrs_case();
    if (!strcmp(c, "links") || !strcmp(c, "addrs") || !strcmp(c, "routes")) return dump_case(c);
    if (!strcmp(c, "links_rw")) {
        plain_io = 1;
        return dump_case("links");
    }
    if (!strcmp(c, "sockname")) return sockname_case();
    if (!strcmp(c, "errors")) return errors_case();
    if (!strcmp(c, "unsupported")) return unsupported_case();
    if (!strcmp(c, "ioctls")) return ioctls_case();
    if (!strcmp(c, "ifioctls")) return ifioctls_case();
    if (!strcmp(c, "ethtool")) return ethtool_case();
    if (!strcmp(c, "diag")) return diag_case();
    if (!strcmp(c, "procunix")) return proc_unix_case();
    fprintf(stderr, "usage: netlink ifaddrs|links|links_rw|addrs|routes|sockname|errors|unsupported|ioctls|ifioctls|ethtool|diag|procunix\n");
    return 2;
}

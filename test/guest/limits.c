// Resource limits as the guest sees them: each limit's number (which differs between MIPS
// and the generic ABI), soft and hard value; then a setrlimit read back, and the parent's
// limits read with prlimit (toybox's ulimit -a reads its shell's).
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

int main(void) {
    static const int resources[] = {RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_DATA, RLIMIT_STACK, RLIMIT_CORE, RLIMIT_RSS,
        RLIMIT_NPROC, RLIMIT_NOFILE, RLIMIT_MEMLOCK, RLIMIT_AS, RLIMIT_LOCKS, RLIMIT_SIGPENDING, RLIMIT_MSGQUEUE,
        RLIMIT_NICE, RLIMIT_RTPRIO, RLIMIT_RTTIME};
    static const char *const names[] = {"cpu", "fsize", "data", "stack", "core", "rss", "nproc", "nofile", "memlock",
        "as", "locks", "sigpending", "msgqueue", "nice", "rtprio", "rttime"};
    for (unsigned i = 0; i < sizeof resources / sizeof resources[0]; i++) {
        struct rlimit64 r;
        if (getrlimit64(resources[i], &r) != 0) { perror("getrlimit64"); return 1; }
        printf("%s %d %llu %llu\n", names[i], resources[i], (unsigned long long)r.rlim_cur, (unsigned long long)r.rlim_max);
    }
    struct rlimit r = {100, 200};
    if (setrlimit(RLIMIT_CORE, &r) != 0) { perror("setrlimit"); return 1; }
    r.rlim_cur = r.rlim_max = 0;
    getrlimit(RLIMIT_CORE, &r);
    printf("core after setrlimit %lu %lu\n", (unsigned long)r.rlim_cur, (unsigned long)r.rlim_max);
    r.rlim_cur = 300;
    printf("soft above hard: %d\n", setrlimit(RLIMIT_CORE, &r));
    // A hard limit raised: EPERM without CAP_SYS_RESOURCE (0 with it).
    r.rlim_cur = 100, r.rlim_max = 300;
    printf("hard raised: %d\n", setrlimit(RLIMIT_CORE, &r) == 0 ? 0 : errno);
    for (unsigned i = 0; i < sizeof resources / sizeof resources[0]; i++) {
        struct rlimit64 p;
        if (prlimit64(getppid(), resources[i], NULL, &p) != 0) { perror("prlimit64 of the parent"); return 1; }
        printf("parent %s %llu %llu\n", names[i], (unsigned long long)p.rlim_cur, (unsigned long long)p.rlim_max);
    }
    struct rlimit64 none;
    printf("no such process: %d\n", prlimit64(0x3fffffff, RLIMIT_CORE, NULL, &none) == 0 ? 0 : errno);
    return 0;
}

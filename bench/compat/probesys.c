/* What compiled programs do with the kernel beyond one thread of plain calls, printed
 * deterministically: setjmp/longjmp, a SIGSEGV handler on an alternate stack, alarm and
 * interval timers, shared file mappings, fork with pipes and wait, popen/system, clocks,
 * resource limits, dlopen, atexit order, threads with a mutex and condition variable,
 * socketpair and a loopback TCP connection found by getaddrinfo, signal masks.
 * `probesys all` runs every part; `probesys segv|abort|kill` ends by that signal unhandled.
 * Built by bench/compat.mjs (also for big-endian MIPS) and run under qemu-user and urun. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static jmp_buf jump;
static sigjmp_buf sigjump;
static volatile sig_atomic_t alarms, ticks, usr1, chld;
static char *readonly_page;

static void deep(int n)
{
    if (n == 0)
        longjmp(jump, 7);
    deep(n - 1);
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    char here;
    stack_t ss;
    sigaltstack(NULL, &ss);
    int on_alt = (char *)&here >= (char *)ss.ss_sp && (char *)&here < (char *)ss.ss_sp + ss.ss_size;
    unsigned long addr = (unsigned long)si->si_addr;
    if (readonly_page)
        addr -= (unsigned long)readonly_page;
    printf("SIGSEGV %d code %d addr %#lx on altstack %d flags %d\n", sig, si->si_code, addr, on_alt, ss.ss_flags);
    siglongjmp(sigjump, 1);
}

static void jumps_part(void)
{
    int r = setjmp(jump);
    if (r == 0)
        deep(50);
    printf("longjmp returned %d\n", r);
    static char altstack[65536];
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };
    printf("sigaltstack %d\n", sigaltstack(&ss, NULL));
    struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_ONSTACK };
    sigaction(SIGSEGV, &sa, NULL);
    if (sigsetjmp(sigjump, 1) == 0)
        *(volatile int *)0x10 = 1;
    readonly_page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (sigsetjmp(sigjump, 1) == 0)
        readonly_page[100] = 1; /* a write to a read-only page: SEGV_ACCERR, address relative to the page */
    munmap(readonly_page, 4096);
    readonly_page = NULL;
    sigset_t now;
    sigprocmask(SIG_SETMASK, NULL, &now);
    printf("SIGSEGV unblocked after siglongjmp %d\n", !sigismember(&now, SIGSEGV));
    signal(SIGSEGV, SIG_DFL);
}

static void on_alarm(int sig) { (void)sig; alarms++; }
static void on_tick(int sig) { (void)sig; ticks++; }
static void on_usr1(int sig, siginfo_t *si, void *uc) { (void)sig; (void)uc; usr1 = si->si_code == SI_USER || si->si_code == SI_TKILL ? 1 : 2; }
static void on_chld(int sig) { (void)sig; chld++; }

static void timers_part(void)
{
    signal(SIGALRM, on_alarm);
    alarm(1);
    printf("alarm left %u\n", alarm(1));
    pause();
    printf("alarms %d\n", (int)alarms);
    signal(SIGALRM, on_tick);
    struct itimerval it = { { 0, 20000 }, { 0, 20000 } };
    setitimer(ITIMER_REAL, &it, NULL);
    while (ticks < 5)
        pause();
    struct itimerval off = { { 0, 0 }, { 0, 0 } }, old;
    setitimer(ITIMER_REAL, &off, &old);
    printf("ticks >= 5 %d interval %ld\n", ticks >= 5, (long)old.it_interval.tv_usec);
    struct timespec a, b, req = { 0, 30000000 }, rem;
    clock_gettime(CLOCK_MONOTONIC, &a);
    printf("nanosleep %d\n", nanosleep(&req, &rem));
    clock_gettime(CLOCK_MONOTONIC, &b);
    long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
    printf("slept >= 30ms %d < 2s %d\n", ms >= 30, ms < 2000);
    struct timespec res;
    clock_getres(CLOCK_MONOTONIC, &res);
    printf("clock_getres monotonic %ld.%09ld\n", (long)res.tv_sec, res.tv_nsec);
    clock_gettime(CLOCK_REALTIME, &a);
    printf("realtime after 2020 %d\n", a.tv_sec > 1577836800);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
    printf("cputime sane %d %d\n", a.tv_sec < 100, b.tv_sec < 100);
    struct sigaction sa = { .sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO };
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t block, pend;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, NULL);
    kill(getpid(), SIGUSR1);
    sigpending(&pend);
    printf("pending while blocked %d handled %d\n", sigismember(&pend, SIGUSR1), (int)usr1);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    printf("handled after unblock %d\n", (int)usr1);
    int sig = 0;
    sigprocmask(SIG_BLOCK, &block, NULL);
    raise(SIGUSR1);
    sigwait(&block, &sig);
    printf("sigwait %d\n", sig);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
}

static void files_part(void)
{
    const char *name = "probesys.map";
    int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
    ftruncate(fd, 8192);
    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    strcpy(m + 4096 + 10, "written through the mapping");
    char buf[64] = { 0 };
    pread(fd, buf, 27, 4096 + 10);
    printf("read sees mapping: %s\n", buf);
    pwrite(fd, "WRITTEN", 7, 4096 + 10);
    printf("mapping sees write: %.27s\n", m + 4096 + 10);
    msync(m, 8192, MS_SYNC);
    pid_t pid = fork();
    if (pid == 0) {
        memcpy(m, "child", 5);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("child's store visible %.5s\n", m);
    munmap(m, 8192);
    char *priv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    priv[0] = 'X';
    pread(fd, buf, 5, 0);
    printf("private store hidden %.5s\n", buf);
    munmap(priv, 4096);
    struct stat st;
    fstat(fd, &st);
    printf("size %lld\n", (long long)st.st_size);
    close(fd);
    unlink(name);
    void *big = mmap(NULL, 64 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    printf("reserve 64M %d mprotect %d\n", big != MAP_FAILED, mprotect(big, 1 << 20, PROT_READ | PROT_WRITE));
    ((char *)big)[12345] = 1;
    munmap(big, 64 << 20);
    char *small = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    small[5000] = 9;
    char *moved = mremap(small, 8192, 1 << 20, MREMAP_MAYMOVE);
    printf("mremap %d kept %d\n", moved != MAP_FAILED, moved[5000]);
    munmap(moved, 1 << 20);
    struct rlimit rl;
    printf("getrlimit stack %d nofile %d cur<=max %d\n", getrlimit(RLIMIT_STACK, &rl), getrlimit(RLIMIT_NOFILE, &rl),
           rl.rlim_cur <= rl.rlim_max);
    rl.rlim_cur = 64;
    printf("setrlimit nofile %d\n", setrlimit(RLIMIT_NOFILE, &rl));
    getrlimit(RLIMIT_NOFILE, &rl);
    printf("nofile now %lu\n", (unsigned long)rl.rlim_cur);
}

static void processes_part(void)
{
    signal(SIGCHLD, on_chld);
    int p[2];
    pipe(p);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        char msg[64];
        int n = snprintf(msg, sizeof msg, "child ppid matches %d", getppid() > 1);
        write(p[1], msg, n);
        _exit(17);
    }
    close(p[1]);
    char buf[128] = { 0 };
    ssize_t n, got = 0;
    while ((n = read(p[0], buf + got, sizeof buf - 1 - got)) > 0)
        got += n;
    int status;
    pid_t w;
    while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
        ;
    printf("%s; waited %d exited %d status %d\n", buf, w == pid, WIFEXITED(status), WEXITSTATUS(status));
    pid = fork();
    if (pid == 0) {
        pause();
        _exit(0);
    }
    kill(pid, SIGTERM);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    printf("killed child signaled %d sig %d\n", WIFSIGNALED(status), WTERMSIG(status));
    printf("SIGCHLD seen %d\n", chld >= 1);
    signal(SIGCHLD, SIG_DFL);
    FILE *f = popen("echo from popen; echo line two", "r");
    char line[128];
    while (fgets(line, sizeof line, f))
        printf("popen: %s", line);
    printf("pclose %d\n", pclose(f));
    f = popen("read x; echo got $x >&2; exit 4", "w");
    fputs("hello\n", f);
    fflush(stdout);
    int rc = pclose(f);
    printf("pclose w exited %d status %d\n", WIFEXITED(rc), WEXITSTATUS(rc));
    fflush(stdout);
    rc = system("exit 3");
    printf("system %d\n", WEXITSTATUS(rc));
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    if (fork() == 0) {
        char c[16];
        ssize_t k = read(sv[1], c, sizeof c);
        for (ssize_t i = 0; i < k; i++)
            c[i] ^= 0x20;
        write(sv[1], c, k);
        _exit(0);
    }
    write(sv[0], "socket", 6);
    memset(buf, 0, sizeof buf);
    read(sv[0], buf, sizeof buf);
    wait(NULL);
    printf("socketpair echo %s\n", buf);
}

static void *worker(void *arg);
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int turn;
static long total;

static void *worker(void *arg)
{
    int me = (int)(intptr_t)arg;
    for (int round = 0; round < 50; round++) {
        pthread_mutex_lock(&lock);
        while (turn % 4 != me)
            pthread_cond_wait(&cond, &lock);
        total += me * 1000 + round;
        turn++;
        pthread_cond_broadcast(&cond);
        pthread_mutex_unlock(&lock);
    }
    return (void *)(intptr_t)(me * 10);
}

static __thread int tls_value = 5;
static void *tls_worker(void *arg) { tls_value += (int)(intptr_t)arg; return (void *)(intptr_t)tls_value; }

static void threads_part(void)
{
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
    long sum = 0;
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        sum += (intptr_t)r;
    }
    printf("threads total %ld turn %d joined %ld\n", total, turn, sum);
    pthread_t x;
    void *r;
    pthread_create(&x, NULL, tls_worker, (void *)3);
    pthread_join(x, &r);
    printf("tls thread %d main %d\n", (int)(intptr_t)r, tls_value);
    struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *ai;
    int rc = getaddrinfo("localhost", "0", &hints, &ai);
    printf("getaddrinfo localhost %d family %d\n", rc, rc == 0 ? ai->ai_family : -1);
    int srv = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int one = 1;
    setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    bind(srv, (struct sockaddr *)&sin, sizeof sin);
    listen(srv, 1);
    socklen_t len = sizeof sin;
    getsockname(srv, (struct sockaddr *)&sin, &len);
    if (rc == 0)
        ((struct sockaddr_in *)ai->ai_addr)->sin_port = sin.sin_port;
    int cli = socket(AF_INET, SOCK_STREAM, 0);
    printf("connect %d\n", connect(cli, rc == 0 ? ai->ai_addr : (struct sockaddr *)&sin, sizeof sin));
    int acc = accept(srv, NULL, NULL);
    char host[64], serv[16];
    struct sockaddr_in peer;
    len = sizeof peer;
    getpeername(acc, (struct sockaddr *)&peer, &len);
    getnameinfo((struct sockaddr *)&peer, len, host, sizeof host, serv, sizeof serv, NI_NUMERICHOST);
    printf("peer %s\n", host);
    send(cli, "ping over tcp", 13, 0);
    char buf[32] = { 0 };
    recv(acc, buf, sizeof buf, 0);
    printf("received %s\n", buf);
    shutdown(cli, SHUT_WR);
    printf("eof %d\n", (int)recv(acc, buf, sizeof buf, 0));
    close(acc);
    close(cli);
    close(srv);
    if (rc == 0)
        freeaddrinfo(ai);
}

static void last(void) { printf("atexit: registered first, runs last\n"); }
static void first(void) { printf("atexit: registered second, runs first\n"); }

static void libs_part(void)
{
    void *h = dlopen("libm.so.6", RTLD_NOW);
    double (*cosine)(double) = h ? (double (*)(double))dlsym(h, "cos") : NULL;
    printf("dlopen libm %d cos(0.5) %.17g\n", h != NULL, cosine ? cosine(0.5) : 0.0);
    printf("dlsym missing %d error %d\n", h && dlsym(h, "no_such_symbol") != NULL, dlerror() != NULL);
    printf("dlopen missing %d\n", dlopen("libnope.so.9", RTLD_NOW) != NULL);
    printf("floats %.3f %g %e %a %.20Lg %Lf\n", M_PI, 1e-310, -0.0, 1.0 / 3, 1.0L / 3, 1e20L);
    const char *in[] = { "0x1p-1074", "1e-400", "-inf", "nan(123)", "0x1.fffffffffffffp1023", "1e309", "  +12.5e-1xyz", "4.9e-324" };
    for (unsigned i = 0; i < sizeof in / sizeof *in; i++) {
        char *end;
        errno = 0;
        double d = strtod(in[i], &end);
        printf("strtod %s = %.17g errno %d rest '%s'\n", in[i], d, errno, end);
    }
    atexit(last);
    atexit(first);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *part = argc > 1 ? argv[1] : "all";
    int all = !strcmp(part, "all");
    if (all || !strcmp(part, "jumps"))
        jumps_part();
    if (all || !strcmp(part, "timers"))
        timers_part();
    if (all || !strcmp(part, "files"))
        files_part();
    if (all || !strcmp(part, "processes"))
        processes_part();
    if (all || !strcmp(part, "threads"))
        threads_part();
    if (all || !strcmp(part, "libs"))
        libs_part();
    if (!strcmp(part, "segv"))
        *(volatile int *)8 = 0;
    if (!strcmp(part, "abort"))
        abort();
    if (!strcmp(part, "kill"))
        kill(getpid(), SIGTERM);
    if (!strcmp(part, "exit"))
        return 42;
    return 0;
}

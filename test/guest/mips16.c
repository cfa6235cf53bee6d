/*
 * MIPS16e code (built with -mips16, test/fixtures/build-mips16.sh) mixed with MIPS32 code:
 * the C library and the functions marked nomips16. Each case prints what it computed; the
 * goldens are qemu-user's (test/fixtures/golden/mips16/<case>.json).
 *
 *   mips16 alu       arithmetic, shifts, compares, extended immediates, mult/div, 64-bit
 *   mips16 memory    byte/halfword/word loads and stores, signed and unsigned, on the stack too
 *   mips16 calls     MIPS16 <-> MIPS32 calls both ways (jalx, jr/jalr to odd addresses),
 *                    function pointers, qsort callbacks, varargs, save/restore of many registers
 *   mips16 switch    jump tables and constant pools (PC-relative loads)
 *   mips16 signals   a handler in MIPS16 code; a fault in MIPS16 code whose handler returns
 *   mips16 divzero   integer division by zero (break 7: SIGFPE)
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static uint32_t h = 2166136261u;
static void mix(uint32_t v)
{
    h = (h ^ v) * 16777619u;
}

static uint32_t seed = 12345;
static uint32_t rnd(void)
{
    seed = seed * 1103515245u + 12345u;
    return seed ^ (seed >> 15);
}

static int alu(void)
{
    static const int32_t edge[] = {0, 1, -1, 2, 7, 255, 256, -256, 32767, 32768, -32768, 65535, 0x7fffffff, (int32_t)0x80000000, 12345678};
    for (int i = 0; i < 400; i++) {
        volatile int32_t a = i < 15 ? edge[i] : (int32_t)rnd(), b = i < 15 ? edge[14 - i] : (int32_t)rnd() >> (rnd() % 32);
        uint32_t ua = (uint32_t)a, ub = (uint32_t)b;
        unsigned s = rnd() % 32;
        mix(ua + ub);
        mix(ua - ub);
        mix(ua & ub);
        mix(ua | ub);
        mix(ua ^ ub);
        mix(~ua);
        mix(-ua);
        mix(ua << s);
        mix(ua >> s);
        mix((uint32_t)(a >> s));
        mix(ua << 3);
        mix(ua >> 7);
        mix((uint32_t)(a >> 9));
        mix(ua << 20);
        mix((uint32_t)(a >> 31));
        mix(a < b);
        mix(ua < ub);
        mix(a == b);
        mix(a != b);
        mix(a < 100);
        mix(ua < 200u);
        mix(a < -3000);
        mix(ua < 40000u);
        mix(a == 77);
        mix(a == 4000);
        mix(ua + 5);
        mix(ua - 12);
        mix(ua + 30000);
        mix(ua - 32768);
        mix(ua * ub);
        mix((uint32_t)((int64_t)a * b >> 32));
        mix((uint32_t)((uint64_t)ua * ub >> 32));
        if (b != 0 && !(a == (int32_t)0x80000000 && b == -1)) {
            mix((uint32_t)(a / b));
            mix((uint32_t)(a % b));
        }
        if (ub != 0) {
            mix(ua / ub);
            mix(ua % ub);
        }
        mix((uint32_t)(int8_t)ua);
        mix((uint32_t)(int16_t)ua);
        mix((uint8_t)ua);
        mix((uint16_t)ua);
        mix(ua & 0xff00);
        mix(ua | 0x12345);
        mix(ua ^ 0xbeef);
        volatile uint64_t la = ((uint64_t)ua << 32) | ub, lb = ((uint64_t)ub << 17) ^ ua;
        uint64_t r[] = {la + lb, la - lb, la * lb, la >> (s + 1), la << (s + 3), la < lb, la == lb};
        for (unsigned k = 0; k < sizeof r / sizeof r[0]; k++) {
            mix((uint32_t)r[k]);
            mix((uint32_t)(r[k] >> 32));
        }
        if (i < 6)
            printf("%d: a=%d b=%d sum=%d prod=%d shl=%u sra=%d slt=%d\n", i, a, b, a + b, a * b, ua << s, a >> s, a < b);
    }
    printf("alu checksum %08x\n", h);
    return 0;
}

struct rec {
    int8_t c;
    uint8_t uc;
    int16_t s;
    uint16_t us;
    int32_t w;
    char pad[3];
    int32_t far[40];
};

static int memory(void)
{
    static struct rec g[8];
    struct rec l[4];
    for (int i = 0; i < 8; i++) {
        struct rec *p = i < 4 ? &l[i] : &g[i];
        uint32_t v = rnd();
        p->c = (int8_t)v;
        p->uc = (uint8_t)(v >> 8);
        p->s = (int16_t)(v >> 3);
        p->us = (uint16_t)(v >> 11);
        p->w = (int32_t)v;
        for (int k = 0; k < 40; k++)
            p->far[k] = (int32_t)(v * (uint32_t)k);
    }
    for (int i = 0; i < 8; i++) {
        volatile struct rec *p = i < 4 ? &l[i] : &g[i];
        printf("%d: %d %u %d %u %d %d\n", i, p->c, p->uc, p->s, p->us, p->w, p->far[39]);
    }
    char big[3000];
    for (int i = 0; i < 3000; i++)
        big[i] = (char)(i * 7);
    volatile char *vb = big;
    printf("stack: %d %d %d\n", vb[0], vb[1500], vb[2999]);
    return 0;
}

/* MIPS32 code called from MIPS16 code and calling back into it. */
__attribute__((nomips16, noinline)) static int m32_apply(int (*f)(int, int), int a, int b)
{
    return f(a, b) * 3 + 1;
}
__attribute__((noinline)) static int m16_add(int a, int b)
{
    return a + b;
}
__attribute__((noinline)) static int m16_many(int a, int b, int c, int d, int e, int f, int g)
{
    volatile int x[7] = {a, b, c, d, e, f, g};
    int s1 = x[0] * x[1], s2 = x[2] * x[3], s3 = x[4] * x[5], s4 = x[6] + x[0], s5 = x[1] - x[2];
    int s6 = x[3] ^ x[4], s7 = x[5] | x[6], s8 = x[0] & x[3];
    int r = m16_add(s1, s2);
    r = m16_add(r, s3) ^ m16_add(s4, s5);
    return r + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8;
}
static int sum_va(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    int s = 0;
    for (int i = 0; i < n; i++)
        s += va_arg(ap, int) * (i + 1);
    va_end(ap);
    return s;
}
static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}
static int depth(int n)
{
    return n <= 0 ? 0 : 1 + depth(n - 1);
}
static jmp_buf jb;
static volatile int jumps;
__attribute__((noinline)) static void jump_back(int n)
{
    jumps++;
    if (n > 100)
        return;
    if (n <= 0)
        longjmp(jb, 42);
    jump_back(n - 1);
    jumps--;
}

static int calls(void)
{
    int (*volatile fp)(int, int) = m16_add;
    printf("m32_apply: %d\n", m32_apply(fp, 20, 22));
    printf("m16_many: %d\n", m16_many(1, 2, 3, 4, 5, 6, 7));
    printf("sum_va: %d\n", sum_va(6, 1, 2, 3, 4, 5, 6));
    int a[50];
    for (int i = 0; i < 50; i++)
        a[i] = (int)(rnd() % 1000) - 500;
    qsort(a, 50, sizeof a[0], cmp_int);
    printf("qsort: %d %d %d\n", a[0], a[25], a[49]);
    printf("depth: %d\n", depth(1000));
    int r = setjmp(jb);
    if (r == 0)
        jump_back(10);
    printf("longjmp: %d after %d calls\n", r, jumps);
    char buf[64];
    snprintf(buf, sizeof buf, "%s-%d-%x", "mips16", 16, 0x16);
    printf("snprintf: %s %zu\n", buf, strlen(buf));
    return 0;
}

static int sw(int k)
{
    switch (k) {
    case 0: return 11;
    case 1: return 0x12345678;
    case 2: return -99999;
    case 3: return 314159;
    case 4: return 0x7fff0000;
    case 5: return 55;
    case 6: return -1;
    case 7: return 0x00c0ffee;
    case 9: return 99;
    default: return k * 1000003;
    }
}

static int switches(void)
{
    for (int k = -1; k < 12; k++)
        printf("%d:%d ", k, sw(k));
    printf("\n");
    volatile double d = 2.5;
    printf("double: %g %g\n", d * 3.25, d / 7);
    return 0;
}

static volatile int got;
static char *page;
static void on_usr1(int sig)
{
    got += sig;
}
static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    got += 1000;
    if ((char *)si->si_addr == page + 16)
        mprotect(page, 4096, PROT_READ | PROT_WRITE);
    (void)sig;
}

static int signals(void)
{
    signal(SIGUSR1, on_usr1);
    raise(SIGUSR1);
    printf("after raise: %d\n", got);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, 0);
    page = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    volatile char *p = page;
    p[16] = 7;
    printf("after fault: %d %d\n", got, p[16]);
    return 0;
}

static int divzero(void)
{
    volatile int a = 5, b = 0;
    printf("before\n");
    fflush(stdout);
    printf("%d\n", a / b);
    return 1;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(void);
    } cases[] = {
        {"alu", alu}, {"memory", memory}, {"calls", calls}, {"switch", switches}, {"signals", signals}, {"divzero", divzero},
    };
    for (unsigned i = 0; argc > 1 && i < sizeof cases / sizeof cases[0]; i++)
        if (strcmp(argv[1], cases[i].name) == 0)
            return cases[i].fn();
    fprintf(stderr, "usage: mips16 CASE\n");
    return 2;
}

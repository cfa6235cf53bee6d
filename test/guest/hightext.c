/*
 * A program linked above 2 GiB (test/fixtures/build-hightext.sh: -Ttext-segment=0x90000000,
 * 0xb0000000), where an ARM kernel's 3 GiB of user space lets it be: no C library, one write.
 */
static long sys(long n, long a, long b, long c)
{
    register long r0 __asm__("r0") = a, r1 __asm__("r1") = b, r2 __asm__("r2") = c, r7 __asm__("r7") = n;
    __asm__ volatile("svc 0" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r7) : "memory");
    return r0;
}

static const char msg[] = "running above 2 GiB\n";
static char bss[64];

void _start(void)
{
    bss[0] = (char)((unsigned long)&_start >> 28); /* 9 or 0xb */
    sys(4, 1, (long)msg, sizeof msg - 1);
    sys(1, bss[0] == 9 || bss[0] == 0xb ? 0 : 1, 0, 0);
    for (;;)
        ;
}

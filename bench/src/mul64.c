/*
 * mul64: 64-bit integer arithmetic on a 32-bit CPU: a splitmix64 generator
 * (64-bit multiplies, shifts and xors) whose outputs are reduced with a
 * 64-bit division and modulo now and then.
 *
 *   mul64 [N]        default N = 12000000: N generator steps (the bench runs 50000000)
 *
 * On MIPS32 a 64-bit multiply is multu/mflo/mfhi plus two mul; on ARM
 * umull plus two mla; the division calls libgcc's __udivdi3/__umoddi3.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state = 0x0123456789abcdefull;

static uint64_t splitmix64(void)
{
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 12000000;
    uint64_t acc = 0, rem = 0;
    for (long i = 0; i < n; i++) {
        uint64_t x = splitmix64();
        acc += x;
        if ((i & 63) == 0)
            rem ^= x / ((acc | 1) >> 20) + x % 1000003u;
    }
    printf("%016llx %016llx\n", (unsigned long long)acc, (unsigned long long)rem);
    return 0;
}

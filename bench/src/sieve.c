/*
 * sieve: count the primes below N with a segmented sieve of Eratosthenes.
 *
 * The base primes up to sqrt(N) come from a small plain sieve; the range
 * [0, N) is then crossed off one 32 KiB segment at a time, so memory stays
 * small whatever N is.  Work grows about linearly with N.
 *
 *   sieve [N]        default N = 75000000, N < 2^31
 *
 * Prints the prime count, the sum of the primes and a hash of them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEGMENT 32768u

int main(int argc, char **argv)
{
    uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 75000000u;
    if (n > 0x7fffffffu) {
        fprintf(stderr, "sieve: N must be below 2^31\n");
        return 2;
    }
    if (n < 2)
        n = 2;

    /* root = the largest r with r*r < n: every composite below n has a
       prime factor no larger than root. */
    uint32_t root = 1;
    while ((uint64_t)(root + 1) * (root + 1) < n)
        root++;

    uint8_t *small = calloc(root + 1, 1);
    uint32_t *primes = malloc((root + 1) * sizeof *primes);
    uint32_t *next = malloc((root + 1) * sizeof *next);
    uint8_t *seg = malloc(SEGMENT);
    if (!small || !primes || !next || !seg) {
        fprintf(stderr, "sieve: out of memory\n");
        return 1;
    }

    uint32_t nbase = 0;
    for (uint32_t i = 2; i <= root; i++) {
        if (small[i])
            continue;
        primes[nbase] = i;
        next[nbase] = i * i; /* the first multiple a segment must cross off */
        nbase++;
        for (uint32_t j = i * i; j <= root; j += i)
            small[j] = 1;
    }

    uint32_t count = 0, hash = 2166136261u;
    uint64_t sum = 0;
    for (uint32_t lo = 0; lo < n; lo += SEGMENT) {
        uint32_t hi = n - lo < SEGMENT ? n : lo + SEGMENT;
        memset(seg, 0, hi - lo);
        for (uint32_t k = 0; k < nbase; k++) {
            uint32_t p = primes[k];
            if ((uint64_t)p * p >= hi)
                break;
            uint32_t j = next[k];
            for (; j < hi; j += p)
                seg[j - lo] = 1;
            next[k] = j;
        }
        for (uint32_t i = lo < 2 ? 2 : lo; i < hi; i++) {
            if (seg[i - lo])
                continue;
            count++;
            sum += i;
            hash = (hash ^ i) * 16777619u;
        }
    }

    printf("sieve %lu primes %lu sum %llu checksum %08lx\n", (unsigned long)n,
           (unsigned long)count, (unsigned long long)sum, (unsigned long)hash);
    free(small);
    free(primes);
    free(next);
    free(seg);
    return 0;
}

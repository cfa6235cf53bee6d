/*
 * matmul: multiply two generated N x N matrices of 32-bit unsigned ints
 * (arithmetic modulo 2^32), in i-k-j order so the inner loop walks rows.
 *
 *   matmul [N]       default N = 680   (work grows as N^3)
 *
 * Prints a hash of the product and its trace.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xorshift.h"

static void multiply(const uint32_t *a, const uint32_t *b, uint32_t *c, long n)
{
    memset(c, 0, (size_t)n * n * sizeof *c);
    for (long i = 0; i < n; i++) {
        uint32_t *crow = c + i * n;
        for (long k = 0; k < n; k++) {
            uint32_t aik = a[i * n + k];
            const uint32_t *brow = b + k * n;
            for (long j = 0; j < n; j++)
                crow[j] += aik * brow[j];
        }
    }
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 680l;
    if (n < 1)
        n = 1;
    size_t bytes = (size_t)n * n * sizeof(uint32_t);
    uint32_t *a = malloc(bytes), *b = malloc(bytes), *c = malloc(bytes);
    if (!a || !b || !c) {
        fprintf(stderr, "matmul: out of memory\n");
        return 1;
    }

    uint32_t seed = 0x9e3779b9u;
    for (long i = 0; i < n * n; i++)
        a[i] = xorshift32(&seed);
    for (long i = 0; i < n * n; i++)
        b[i] = xorshift32(&seed) >> 16;

    multiply(a, b, c, n);

    uint32_t hash = 2166136261u, trace = 0;
    for (long i = 0; i < n * n; i++)
        hash = (hash ^ c[i]) * 16777619u;
    for (long i = 0; i < n; i++)
        trace += c[i * n + i];
    printf("matmul %ld trace %08lx checksum %08lx\n", n, (unsigned long)trace,
           (unsigned long)hash);
    free(a);
    free(b);
    free(c);
    return 0;
}

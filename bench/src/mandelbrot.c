/*
 * mandelbrot: iterate z = z^2 + c over an N x N grid covering
 * [-2.0, 0.6] x [-1.3, 1.3], at most 500 iterations per point, in double
 * precision.
 *
 *   mandelbrot [N]   default N = 250   (work grows as N^2)
 *
 * A short loop of double multiplies, adds and one compare, with a
 * data-dependent exit.  Prints the total iteration count, the points inside
 * the set, and a hash of every point's iteration count.
 * Build without contraction into fused multiply-add (-ffp-contract=off).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_ITER 500

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 250l;
    if (n < 1)
        n = 1;

    unsigned long long total = 0;
    unsigned long inside = 0;
    uint32_t hash = 2166136261u;
    for (long py = 0; py < n; py++) {
        double ci = -1.3 + 2.6 * (double)py / (double)n;
        for (long px = 0; px < n; px++) {
            double cr = -2.0 + 2.6 * (double)px / (double)n;
            double zr = 0, zi = 0, zr2 = 0, zi2 = 0;
            int it = 0;
            while (it < MAX_ITER && zr2 + zi2 <= 4.0) {
                zi = 2.0 * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                zr2 = zr * zr;
                zi2 = zi * zi;
                it++;
            }
            total += (unsigned long long)it;
            if (it == MAX_ITER)
                inside++;
            hash = (hash ^ (uint32_t)it) * 16777619u;
        }
    }

    printf("mandelbrot %ld iterations %llu inside %lu checksum %08lx\n", n, total,
           inside, (unsigned long)hash);
    return 0;
}

/* The benchmarks' input generator: Marsaglia's 32-bit xorshift, so every program
 * builds the same data on every architecture (no rand(), no byte-order dependence). */
#include <stdint.h>

static uint32_t xorshift32(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

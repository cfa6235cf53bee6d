/*
 * memops: the C library's memcpy, memset, memchr and strlen over 64 KiB buffers at
 * every source alignment, as real programs call them (buffers, strings, I/O).
 *
 *   memops [M]       default M = 3000: move about M MiB in all
 *
 * The library's own routines: on armhf glibc's NEON ones (vld1/vst1 blocks, vceq
 * lanes), elsewhere word loops. A checksum of what was copied and found is printed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF_SIZE 65536u
/* Keeps the compiler from folding a call into the load that follows it. */
#define BARRIER() __asm__ volatile("" ::: "memory")

int main(int argc, char **argv)
{
    long mib = argc > 1 ? atol(argv[1]) : 3000;
    static char src[BUF_SIZE + 64], dst[BUF_SIZE + 64];
    for (unsigned i = 0; i < sizeof src; i++) src[i] = (char)('a' + (i * 7 + i / 13) % 26);
    src[BUF_SIZE - 1] = 0;
    uint32_t sum = 0;
    /* Each round moves 64 KiB four ways: 16 rounds a MiB. */
    for (long r = 0; r < mib * 16 / 4; r++) {
        unsigned off = (unsigned)r & 7;
        memcpy(dst + (r & 3), src + off, BUF_SIZE - 8);
        BARRIER();
        sum = sum * 31 + (unsigned char)dst[(r * 977) % (BUF_SIZE - 8)];
        memset(dst + off, (int)(r & 0x7f), BUF_SIZE - 8);
        BARRIER();
        sum = sum * 31 + (unsigned char)dst[(r * 131) % BUF_SIZE];
        const char *hit = memchr(src + off, 'z' + 1 - (int)(r & 1), BUF_SIZE - 16);
        sum = sum * 31 + (hit ? (uint32_t)(hit - src) : 7u);
        sum = sum * 31 + (uint32_t)strlen(src + off);
        BARRIER();
    }
    printf("memops %ld MiB: checksum %08x\n", mib, (unsigned)sum);
    return 0;
}

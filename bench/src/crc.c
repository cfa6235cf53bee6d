/*
 * crc: table-driven CRC-32 (the zlib/Ethernet polynomial, reflected) over a
 * generated 64 KiB buffer, fed through the CRC again and again.
 *
 *   crc [K]          default K = 170000: run K KiB through the CRC
 *
 * One table lookup, a shift and two xors per byte: a tight loop of loads
 * and ALU operations with a dependency chain through the CRC register.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF_SIZE 65536u

static uint32_t table[256];

static void make_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
}

/* Continue a CRC: pass 0 to start, the previous result to continue. */
static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t len)
{
    crc = ~crc;
    for (size_t i = 0; i < len; i++)
        crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

#include "xorshift.h"

int main(int argc, char **argv)
{
    unsigned long kib = argc > 1 ? strtoul(argv[1], NULL, 10) : 170000ul;
    make_table();

    /* The standard check value: CRC-32 of "123456789". */
    if (crc32_update(0, (const uint8_t *)"123456789", 9) != 0xcbf43926u) {
        fprintf(stderr, "crc: self-test failed\n");
        return 1;
    }

    uint8_t *buf = malloc(BUF_SIZE);
    if (!buf) {
        fprintf(stderr, "crc: out of memory\n");
        return 1;
    }
    uint32_t seed = 0x12345678u;
    for (uint32_t i = 0; i < BUF_SIZE; i++)
        buf[i] = (uint8_t)(xorshift32(&seed) >> 24);

    /* Whole passes over the buffer, then a partial one for the rest. */
    uint32_t crc = 0, fold = 0;
    unsigned long bytes = kib * 1024ul, done = 0;
    while (done < bytes) {
        size_t len = bytes - done < BUF_SIZE ? (size_t)(bytes - done) : BUF_SIZE;
        crc = crc32_update(crc, buf, len);
        fold = (fold << 1 | fold >> 31) ^ crc;
        done += len;
    }

    printf("crc %lu checksum %08lx fold %08lx\n", kib, (unsigned long)crc,
           (unsigned long)fold);
    free(buf);
    return 0;
}

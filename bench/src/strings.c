/*
 * strings: libc string functions over a pool of 4096 generated strings of
 * 0 to 95 characters: strlen, strcpy, strcat, strcmp, strncmp, memcmp,
 * memcpy, memmove, memset, memchr, strchr, strrchr, strstr, strspn, strcspn.
 *
 *   strings [N]      default N = 75: N rounds over the pool
 *
 * Between rounds a few strings are changed, so no round repeats another.
 * Only the sign of a comparison is used (its magnitude is unspecified).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT 4096u
#define MAX_LEN 95u

#include "xorshift.h"

static uint32_t mix(uint32_t h, uint32_t v)
{
    return (h ^ v) * 16777619u;
}

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

/* A random string over a 16-letter alphabet, so repeats and shared prefixes
   are common. */
static void random_string(char *s, uint32_t *seed)
{
    static const char alphabet[] = "abcdefghijklmnop";
    uint32_t len = xorshift32(seed) % (MAX_LEN + 1);
    for (uint32_t i = 0; i < len; i++)
        s[i] = alphabet[xorshift32(seed) >> 28];
    s[len] = '\0';
}

int main(int argc, char **argv)
{
    unsigned long rounds = argc > 1 ? strtoul(argv[1], NULL, 10) : 75ul;
    char (*pool)[MAX_LEN + 1] = malloc(COUNT * sizeof *pool);
    if (!pool) {
        fprintf(stderr, "strings: out of memory\n");
        return 1;
    }
    uint32_t seed = 0x2545f491u;
    for (uint32_t i = 0; i < COUNT; i++)
        random_string(pool[i], &seed);

    char joined[2 * MAX_LEN + 8], copy[2 * MAX_LEN + 8];
    uint32_t h = 2166136261u;
    for (unsigned long r = 0; r < rounds; r++) {
        for (uint32_t i = 0; i < COUNT; i++) {
            const char *s = pool[i], *t = pool[(i * 7u + r) % COUNT];
            size_t ls = strlen(s), lt = strlen(t);

            strcpy(joined, s);
            strcat(joined, t);
            size_t lj = strlen(joined);
            h = mix(h, (uint32_t)(ls * 131u + lt * 7u + lj));

            h = mix(h, (uint32_t)(sign(strcmp(s, t)) + 1));
            h = mix(h, (uint32_t)(sign(strncmp(s, t, 8)) + 1));
            h = mix(h, (uint32_t)(sign(memcmp(s, t, ls < lt ? ls : lt)) + 1));

            const char *p = strchr(joined, 'k');
            h = mix(h, p ? (uint32_t)(p - joined) : 999u);
            p = strrchr(joined, 'a');
            h = mix(h, p ? (uint32_t)(p - joined) : 999u);
            p = strstr(joined, "abc");
            h = mix(h, p ? (uint32_t)(p - joined) : 999u);
            p = memchr(joined, 'p', lj);
            h = mix(h, p ? (uint32_t)(p - joined) : 999u);
            h = mix(h, (uint32_t)strspn(joined, "abcdefgh"));
            h = mix(h, (uint32_t)strcspn(joined, "mnop"));

            /* Shift the joined string right by three within itself, pad the
               front, copy it out and compare with the original. */
            memcpy(copy, joined, lj + 1);
            memmove(joined + 3, joined, lj + 1);
            memset(joined, 'z', 3);
            h = mix(h, (uint32_t)(sign(memcmp(joined + 3, copy, lj + 1)) + 1));
            h = mix(h, (uint32_t)(unsigned char)joined[lj / 2]);
        }
        /* Change eight strings for the next round. */
        for (int k = 0; k < 8; k++)
            random_string(pool[xorshift32(&seed) % COUNT], &seed);
    }

    printf("strings %lu checksum %08lx\n", rounds, (unsigned long)h);
    free(pool);
    return 0;
}

/*
 * sort: sort N generated ints three ways and check they agree:
 *   1. libc qsort() with a comparator function (an indirect call per compare),
 *   2. a hand-written quicksort (median of three, insertion sort for short runs),
 *   3. a hand-written bottom-up merge sort.
 *
 *   sort [N]         default N = 750000
 *
 * Prints a hash of the sorted array.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xorshift.h"

static int compare_ints(const void *pa, const void *pb)
{
    int a = *(const int *)pa, b = *(const int *)pb;
    return (a > b) - (a < b);
}

static void insertion_sort(int *a, long n)
{
    for (long i = 1; i < n; i++) {
        int v = a[i];
        long j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static void swap(int *a, long i, long j)
{
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
}

/* Recurse into the smaller side, loop on the larger: stack depth O(log n). */
static void quick_sort(int *a, long n)
{
    while (n > 16) {
        long mid = n / 2, last = n - 1;
        if (a[mid] < a[0])
            swap(a, mid, 0);
        if (a[last] < a[0])
            swap(a, last, 0);
        if (a[last] < a[mid])
            swap(a, last, mid);
        int pivot = a[mid];

        long i = 0, j = last;
        for (;;) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i >= j)
                break;
            swap(a, i, j);
            i++;
            j--;
        }
        /* a[0..j] <= pivot <= a[j+1..n-1] */
        long left = j + 1, right = n - left;
        if (left < right) {
            quick_sort(a, left);
            a += left;
            n = right;
        } else {
            quick_sort(a + left, right);
            n = left;
        }
    }
    insertion_sort(a, n);
}

/* Bottom-up merge sort through a scratch buffer of n ints. */
static void merge_sort(int *a, int *tmp, long n)
{
    int *src = a, *dst = tmp;
    for (long width = 1; width < n; width *= 2) {
        for (long lo = 0; lo < n; lo += 2 * width) {
            long mid = lo + width < n ? lo + width : n;
            long hi = lo + 2 * width < n ? lo + 2 * width : n;
            long i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = src[j] < src[i] ? src[j++] : src[i++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        int *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, (size_t)n * sizeof *a);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 750000l;
    if (n < 1)
        n = 1;
    size_t bytes = (size_t)n * sizeof(int);
    int *orig = malloc(bytes), *a = malloc(bytes), *b = malloc(bytes);
    int *c = malloc(bytes), *tmp = malloc(bytes);
    if (!orig || !a || !b || !c || !tmp) {
        fprintf(stderr, "sort: out of memory\n");
        return 1;
    }

    /* Values in [-1e9, 1e9], with some runs of duplicates mixed in. */
    uint32_t seed = 2463534242u;
    for (long i = 0; i < n; i++) {
        uint32_t r = xorshift32(&seed);
        if (i > 0 && (r & 15) == 0)
            orig[i] = orig[i - 1];
        else
            orig[i] = (int)(r % 2000000001u) - 1000000000;
    }

    memcpy(a, orig, bytes);
    memcpy(b, orig, bytes);
    memcpy(c, orig, bytes);
    qsort(a, (size_t)n, sizeof(int), compare_ints);
    quick_sort(b, n);
    merge_sort(c, tmp, n);

    if (memcmp(a, b, bytes) != 0 || memcmp(a, c, bytes) != 0) {
        fprintf(stderr, "sort: the sorts disagree\n");
        return 1;
    }
    for (long i = 1; i < n; i++) {
        if (a[i - 1] > a[i]) {
            fprintf(stderr, "sort: not sorted at %ld\n", i);
            return 1;
        }
    }

    uint32_t hash = 2166136261u;
    for (long i = 0; i < n; i++)
        hash = (hash ^ (uint32_t)a[i]) * 16777619u;
    printf("sort %ld min %d median %d max %d checksum %08lx\n", n, a[0], a[n / 2],
           a[n - 1], (unsigned long)hash);
    free(orig);
    free(a);
    free(b);
    free(c);
    free(tmp);
    return 0;
}

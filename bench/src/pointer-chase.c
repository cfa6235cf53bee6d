/*
 * pointer-chase: a linked list threaded through an array of 2^16 nodes in
 * a random order (one cycle through every node, made by Sattolo's shuffle),
 * followed for N hops.  Each load's address comes from the previous load.
 *
 *   pointer-chase [N]   default N = 100000000
 *
 * Measures dependent-load latency: no two hops can overlap.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define NODES (1u << 16)

struct node {
    struct node *next;
    uint32_t value;
};

#include "xorshift.h"

int main(int argc, char **argv)
{
    unsigned long hops = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000000ul;
    struct node *nodes = malloc(NODES * sizeof *nodes);
    uint32_t *order = malloc(NODES * sizeof *order);
    if (!nodes || !order) {
        fprintf(stderr, "pointer-chase: out of memory\n");
        return 1;
    }

    /* Sattolo's algorithm: a random cyclic permutation, so the list is a
       single ring through all the nodes. */
    uint32_t seed = 0xdeadbeefu;
    for (uint32_t i = 0; i < NODES; i++)
        order[i] = i;
    for (uint32_t i = NODES - 1; i > 0; i--) {
        uint32_t j = xorshift32(&seed) % i;
        uint32_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (uint32_t i = 0; i < NODES; i++) {
        nodes[order[i]].next = &nodes[order[(i + 1) % NODES]];
        nodes[i].value = i * 2654435761u;
    }

    /* The chase itself.  Every 2^16 hops fold the running sum into a hash,
       so a wrong turn anywhere shows in the checksum. */
    const struct node *p = &nodes[0];
    uint32_t sum = 0, hash = 2166136261u;
    for (unsigned long h = 0; h < hops; h++) {
        sum += p->value;
        p = p->next;
        if ((h & 0xffff) == 0xffff)
            hash = (hash ^ sum) * 16777619u;
    }

    printf("pointer-chase %lu end %lu sum %08lx checksum %08lx\n", hops,
           (unsigned long)(p - nodes), (unsigned long)sum, (unsigned long)hash);
    free(nodes);
    free(order);
    return 0;
}

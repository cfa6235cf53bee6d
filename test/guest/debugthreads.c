/* A pthread program for gdb sessions against urun -g (test/gdb.test.ts): a breakpoint in
   the thread's function stops every thread; gdb lists both and shows the new one's frames.
   With "spin", both threads spin (for gdb's Ctrl-C); with "segv", the thread faults (gdb
   stops there first). Built with -O0 -g, static. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

volatile int shared;

void *worker(void *arg)
{
    int n = *(int *)arg;
    shared = n * 2;
    return NULL;
}

static void *spin(void *arg);

static void *segv(void *arg)
{
    *(volatile int *)arg = 1;
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t t;
    int n = 21;
    if (argc > 1 && strcmp(argv[1], "segv") == 0) {
        pthread_create(&t, NULL, segv, NULL);
        pthread_join(t, NULL);
        return 0;
    }
    if (argc > 1 && pthread_create(&t, NULL, spin, NULL) == 0)
        return spin(NULL) != NULL;
    if (pthread_create(&t, NULL, worker, &n) != 0)
        return 1;
    pthread_join(t, NULL);
    printf("shared %d\n", shared);
    return 0;
}

static void *spin(void *arg)
{
    for (;;)
        shared++;
    return arg;
}

/* A pthread program for gdb sessions against urun -g (test/gdb.test.ts): a breakpoint in
   the thread's function stops every thread; gdb lists both and shows the new one's frames.
   Built with -O0 -g, static. */
#include <pthread.h>
#include <stdio.h>

volatile int shared;

void *worker(void *arg)
{
    int n = *(int *)arg;
    shared = n * 2;
    return NULL;
}

int main(void)
{
    pthread_t t;
    int n = 21;
    if (pthread_create(&t, NULL, worker, &n) != 0)
        return 1;
    pthread_join(t, NULL);
    printf("shared %d\n", shared);
    return 0;
}

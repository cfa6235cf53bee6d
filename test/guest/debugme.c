/* A small program for gdb sessions against urun -g (test/gdb.test.ts): calls, a loop,
   a watched global, floating point, and on request a fault or an endless loop. Built with
   -O0 -g, static, and (debugme-dyn) dynamic for sessions under -L. */
#include <stdio.h>
#include <string.h>

volatile int counter;
double scale = 1.5;

int square(int x)
{
    return x * x;
}

double scaled(int x)
{
    return scale * x;
}

int sum_squares(int n)
{
    int total = 0;
    for (int i = 1; i <= n; i++) {
        total += square(i);
        counter++;
    }
    return total;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "segv") == 0)
        *(volatile int *)16 = 1;
    if (argc > 1 && strcmp(argv[1], "spin") == 0)
        for (;;)
            counter++;
    int s = sum_squares(4);
    double d = scaled(s);
    printf("%d %g\n", s, d);
    return s;
}

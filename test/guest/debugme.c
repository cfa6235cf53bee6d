/* A small program for gdb sessions against urun -g (test/gdb.test.ts): calls, a loop,
   a watched global, floating point, and a fault on request. Built with -O0 -g. */
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
    int s = sum_squares(4);
    double d = scaled(s);
    printf("%d %g\n", s, d);
    return s;
}

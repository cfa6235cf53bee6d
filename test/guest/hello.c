/* Smallest guest program: used as a first smoke test of the emulator. */
#include <stdio.h>

int main(void)
{
    puts("Hello, world!");
    return 0;
}

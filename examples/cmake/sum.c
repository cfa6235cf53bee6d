/* Prints the sum of its arguments; exits 1 naming the first that is not a number. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    long sum = 0;
    for (int i = 1; i < argc; i++) {
        char *end;
        long v = strtol(argv[i], &end, 10);
        if (*end != '\0' || end == argv[i]) {
            fprintf(stderr, "sum: not a number: %s\n", argv[i]);
            return 1;
        }
        sum += v;
    }
    printf("%ld\n", sum);
    return 0;
}

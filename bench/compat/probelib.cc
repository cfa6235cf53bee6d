// Built as libprobethrow.so for probecc2 (see probelib.h).
#include "probelib.h"

#include <cerrno>
#include <iostream>
#include <system_error>

int probelib_throw(int kind)
{
    switch (kind) {
    case 0: throw probelib_error("thrown in library", 7);
    case 1: throw std::system_error(ENOENT, std::generic_category(), "open");
    case 2: throw std::logic_error("logic in library");
    default: throw 99;
    }
}

int probelib_call(const std::function<int(int)> &f, int x)
{
    int sum = 0;
    for (int i = 0; i <= x; i++) {
        try {
            sum += f(i);
        } catch (const std::exception &e) {
            std::cout << "library caught " << e.what() << " at " << i << '\n';
            return sum;
        }
    }
    return sum;
}

// The shared library half of probecc2: exceptions thrown here are caught in the program.
#pragma once
#include <functional>
#include <stdexcept>

struct probelib_error : std::runtime_error {
    int value;
    probelib_error(const char *what, int v) : std::runtime_error(what), value(v) {}
};

/** Throws by `kind`: 0 probelib_error, 1 std::system_error (ENOENT), 2 std::logic_error, 3 an int. */
int probelib_throw(int kind);
/** Calls `f(x)`; when `f` throws, catches it here and returns -1 after printing what it caught. */
int probelib_call(const std::function<int(int)> &f, int x);

#pragma once
// A failed property in a fuzz target: print what broke and abort, so libFuzzer records the input.
#include <cstdio>
#include <cstdlib>

#define LX_FUZZ_CHECK(cond, what)                                                                                      \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            std::fprintf(stderr, "fuzz property failed: %s (%s)\n", what, #cond);                                      \
            std::abort();                                                                                              \
        }                                                                                                              \
    } while (0)

#pragma once
// Process-wide LibTorch settings: thread count, and what devices LibTorch has.
#include <string>

namespace lx {

class Runtime {
public:
    // Sets LibTorch's intra-op threads (0 = number of cores) and returns the count now in force.
    static int configureThreads(int threads);
    static bool cudaAvailable();
    static int coreCount();
    // "LibTorch 1.13.1, CPU" or "... CUDA 12.1"
    static std::string describe();
};

} // namespace lx

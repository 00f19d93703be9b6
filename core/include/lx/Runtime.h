#pragma once
// Process-wide LibTorch settings: thread count, and what devices LibTorch has.
#include <string>

namespace lx {

class Runtime {
public:
    // Sets LibTorch's intra-op threads (0 = number of cores) and returns the count now in force. The
    // first call also tunes glibc's allocator so large tensors freed between passes stay in the heap
    // (see Runtime.cpp); Model::load calls it, so every entry point gets both.
    static int configureThreads(int threads);
    // Call first thing in main(). LibTorch's OpenMP threads spin while they wait for work; on a busy
    // machine (or a laptop running other programs) the spinning steals the cores the work needs, and
    // frames and batch jobs get 3-100x slower (measured: `bench` p95 35 ms spinning vs 0.47 ms
    // passive, a training batch 30 s vs 1 s). OpenMP reads OMP_WAIT_POLICY only when it loads, so when
    // the variable is unset this sets it to PASSIVE and re-executes the program (/proc/self/exe) with
    // the same arguments. A user's own OMP_WAIT_POLICY is respected. Returns only when no re-exec
    // happened (already set, or exec failed).
    static void preferPassiveThreadWaiting(char** argv);
    static bool cudaAvailable();
    static int coreCount();
    // Measured float32 matmul throughput of an n x n product on the device ("cpu" or "cuda"), the
    // median of `repeats` runs: the yardstick benchmarks compare achieved GFLOP/s against.
    static double matmulGflops(const std::string& device, int n = 1024, int repeats = 7);
    // "LibTorch 1.13.1, CPU" or "... CUDA 12.1"
    static std::string describe();
};

} // namespace lx

#include "lx/Runtime.h"

#include <torch/script.h>
#include <torch/csrc/jit/runtime/graph_executor.h>
#include <ATen/Parallel.h>
#include <ATen/Context.h>
#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(__linux__)
#include <unistd.h>
#endif
#include <cstdlib>

namespace lx {
namespace {

// glibc hands every freed block above its (dynamic) mmap threshold back to the OS and trims the heap
// top above 128 KiB, so a loop that allocates the same large activations each pass pays page faults
// for all of them every time: measured 3-5x slower passes for decode/encode batches of a 64x64 VAE.
// Keep such blocks in the heap: mmap only above the largest threshold glibc accepts (32 MiB on 64-bit)
// and trim only above 256 MiB. Memory stays bounded by the peak a computation needs.
void configureAllocator()
{
#if defined(__GLIBC__)
    static std::once_flag once;
    std::call_once(once, [] {
        mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
        mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
    });
#endif
}

} // namespace

int Runtime::coreCount()
{
    const unsigned n = std::thread::hardware_concurrency();
    return n ? static_cast<int>(n) : 1;
}

int Runtime::configureThreads(int threads)
{
    configureAllocator();
    // Debian's LibTorch may start with a single intra-op thread: set it explicitly.
    at::set_num_threads(threads > 0 ? threads : coreCount());
    // The profiling executor re-optimises graphs after a few calls, which makes the first frames slow
    // and lets two calls of the same function differ in the last bits. Interventions compare outputs
    // exactly, so run the graphs as written.
    torch::jit::setGraphExecutorOptimize(false);
    return at::get_num_threads();
}

void Runtime::preferPassiveThreadWaiting(char** argv)
{
#if defined(__linux__)
    if (argv == nullptr || argv[0] == nullptr || std::getenv("OMP_WAIT_POLICY") != nullptr)
        return;
    setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
    execv("/proc/self/exe", argv);
    // exec failed (no /proc): carry on with OpenMP's default policy.
#endif
}

bool Runtime::cudaAvailable() { return at::hasCUDA() && at::getNumGPUs() > 0; }

double Runtime::matmulGflops(const std::string& device, int n, int repeats)
{
    c10::InferenceMode guard;
    const torch::Device dev(device);
    const torch::Tensor a = torch::randn({n, n}, torch::TensorOptions().device(dev));
    const torch::Tensor b = torch::randn({n, n}, torch::TensorOptions().device(dev));
    torch::Tensor c = torch::mm(a, b); // warm-up
    std::vector<double> seconds;
    for (int r = 0; r < std::max(1, repeats); ++r) {
        const auto start = std::chrono::steady_clock::now();
        c = torch::mm(a, b);
        if (dev.is_cuda())
            c.sum().item<float>(); // wait for the kernel
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::nth_element(seconds.begin(), seconds.begin() + seconds.size() / 2, seconds.end());
    return 2.0 * n * n * double(n) / seconds[seconds.size() / 2] / 1e9;
}

std::string Runtime::describe()
{
    std::string s = "LibTorch " TORCH_VERSION ", ";
    s += cudaAvailable() ? "CUDA" : "CPU only";
    s += ", " + std::to_string(at::get_num_threads()) + " threads";
    return s;
}

} // namespace lx

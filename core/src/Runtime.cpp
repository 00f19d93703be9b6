#include "lx/Runtime.h"

#include <torch/script.h>
#include <torch/csrc/jit/runtime/graph_executor.h>
#include <ATen/Parallel.h>
#include <ATen/Context.h>
#include <torch/version.h>

#include <thread>

namespace lx {

int Runtime::coreCount()
{
    const unsigned n = std::thread::hardware_concurrency();
    return n ? static_cast<int>(n) : 1;
}

int Runtime::configureThreads(int threads)
{
    // Debian's LibTorch may start with a single intra-op thread: set it explicitly.
    at::set_num_threads(threads > 0 ? threads : coreCount());
    // The profiling executor re-optimises graphs after a few calls, which makes the first frames slow
    // and lets two calls of the same function differ in the last bits. Interventions compare outputs
    // exactly, so run the graphs as written.
    torch::jit::setGraphExecutorOptimize(false);
    return at::get_num_threads();
}

bool Runtime::cudaAvailable() { return at::hasCUDA() && at::getNumGPUs() > 0; }

std::string Runtime::describe()
{
    std::string s = "LibTorch " TORCH_VERSION ", ";
    s += cudaAvailable() ? "CUDA" : "CPU only";
    s += ", " + std::to_string(at::get_num_threads()) + " threads";
    return s;
}

} // namespace lx

// Elementary influence maps of whole layers: the fast path (cached prefix, batched channels, linear
// shortcut through the next layer) against the way a researcher writes it in PyTorch (--pytorch ARCH:
// tests/bench/influence_pytorch.py run with /usr/bin/python3, the eager model ARCH with a forward hook,
// one full forward per channel batched over the pairs) and against a C++ loop doing the same (a full
// forward pass per channel with the layer's output patched), same model, same pairs, same run.
// With each time: the FLOPs executed, GFLOP/s and a traffic floor in GB/s, next to the same run's 2048^3
// matmul and memory-copy rates, and the FLOP ratio of the plain way to the fast one (the bound on its
// speed-up at equal efficiency). A class-conditional model gets class i % K for latent i.
// Usage: bench_influence MODEL --layers L1,L2 [--pairs N] [--pytorch ARCH] [--device cpu|cuda]
//                        [--threads T] [--skip-plain] [--repeat R]
// Each time is the best of R runs (1 by default; the first run also pays for first-touch allocations).
// Prints JSON.
#include "BenchArgs.h"
#include "lx/BenchStats.h"

#include "lx/InfluenceEngine.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/Npy.h"
#include "lx/Runtime.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

namespace {

double peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0;
}

// Bytes per second of a 256 MiB memcpy, counting the read and the write, best of three.
double copyGbs()
{
    const size_t n = size_t(256) << 20;
    std::vector<char> a(n, 1), b(n, 0);
    double best = 1e30;
    for (int i = 0; i < 3; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        std::memcpy(b.data(), a.data(), n);
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return 2.0 * double(n) / best / 1e9 + 0.0 * b[n / 2];
}

double best(const std::vector<double>& ms) { return *std::min_element(ms.begin(), ms.end()); }

float maxAbsDiff(const lx::Array& a, const lx::Array& b)
{
    if (a.numel() != b.numel())
        return INFINITY;
    float diff = 0;
    for (int64_t i = 0; i < a.numel(); ++i) {
        const float d = std::fabs(a.data()[size_t(i)] - b.data()[size_t(i)]);
        diff = std::isnan(d) ? INFINITY : std::max(diff, d); // a NaN on either side is no match
        if (std::isinf(diff))
            break;
    }
    return diff;
}

// The PyTorch way for every layer, in one python3 run: its JSON, or {"not_run": why}.
nlohmann::json runPyTorch(const std::string& arch, const std::string& model, const lx::Array& z,
                          const lx::Array& classes, const std::string& layers, int threads, int repeat,
                          const std::string& dir)
{
    if (std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") != 0)
        return {{"not_run", "/usr/bin/python3 cannot import torch (install python3-torch)"}};
    lx::Npy::write(dir + "/z.npy", z);
    std::string cmd = "/usr/bin/python3 " LX_BENCH_SOURCE_DIR "/influence_pytorch.py --arch '" + arch + "' --model '"
        + model + "' --latents '" + dir + "/z.npy' --layers '" + layers + "' --threads " + std::to_string(threads)
        + " --repeat " + std::to_string(repeat) + " --maps-dir '" + dir + "'";
    if (classes.numel() > 0) {
        lx::Npy::write(dir + "/classes.npy", classes);
        cmd += " --classes '" + dir + "/classes.npy'";
    }
    std::string text;
    if (FILE* pipe = popen(cmd.c_str(), "r")) {
        char buf[4096];
        size_t got;
        while ((got = std::fread(buf, 1, sizeof buf, pipe)) > 0)
            text.append(buf, got);
        if (pclose(pipe) != 0)
            return {{"not_run", "influence_pytorch.py failed (its error is above)"}};
    }
    return nlohmann::json::parse(text);
}

} // namespace

int main(int argc, char** argv)
{
    lx::Runtime::preferPassiveThreadWaiting(argv);
    if (argc < 2 || !std::strcmp(argv[1], "--help")) {
        std::fprintf(stderr,
                     "usage: bench_influence MODEL --layers L1,L2 [--pairs N] [--pytorch ARCH] [--device cpu|cuda] "
                     "[--threads T] [--skip-plain] [--repeat R]\n");
        return 2;
    }
    spdlog::set_level(spdlog::level::warn);
    const BenchArgs args(argc, argv, {"skip-plain"});
    const std::string layers = args.value("layers", "");
    const int pairs = static_cast<int>(std::max(1LL, args.integer("pairs", 16)));
    const bool skipPlain = args.flag("skip-plain");
    const std::string arch = args.value("pytorch", "");
    const int repeat = static_cast<int>(std::max(1LL, args.integer("repeat", 1)));
    try {
        auto model = args.loadModel();
        const lx::Array z =
            lx::LatentSampler(model->card().latentShape).sample(lx::LatentSampler::seedRange(0, 2 * pairs));
        lx::Array classes;
        if (const int64_t k = int64_t(model->card().inputClasses.size()); k > 0) {
            classes = lx::Array({2 * pairs});
            for (int64_t i = 0; i < 2 * pairs; ++i)
                classes.data()[size_t(i)] = float(i % k);
        }
        nlohmann::ordered_json out;
        out["model"] = argv[1];
        out["device"] = model->deviceName();
        out["threads"] = model->threads();
        out["pairs"] = pairs;
        out["repeat"] = repeat;
        const double matmulGflops = lx::Runtime::matmulGflops(model->deviceName(), 2048, 3);
        out["matmul_2048_gflops"] = matmulGflops;
        out["matmul_2048_ms"] = 2.0 * 2048.0 * 2048.0 * 2048.0 / matmulGflops / 1e6;
        out["forward_gflop_per_sample"] = lx::InfluenceEngine::forwardFlopsPerSample(*model) / 1e9;

        const std::string dir =
            std::filesystem::temp_directory_path() / ("bench_influence." + std::to_string(getpid()));
        std::filesystem::create_directories(dir);
        nlohmann::json torch;
        if (!arch.empty())
            torch = runPyTorch(arch, argv[1], z, classes, layers, model->threads(), repeat, dir);
        if (torch.contains("not_run"))
            out["pytorch"] = torch;
        else if (!arch.empty())
            out["pytorch"] = {{"torch", torch["torch"]}, {"threads", torch["threads"]}};

        out["layers"] = nlohmann::json::array();
        std::stringstream names(layers);
        std::string name;
        for (size_t row = 0; std::getline(names, name, ','); ++row) {
            const int layer = model->requireLayer(name);
            const double hybrids = double(model->layers()[size_t(layer)].channels()) * pairs;
            const double fastGflop = hybrids * lx::InfluenceEngine::fastFlopsPerHybrid(*model, layer) / 1e9;
            const double plainGflop = hybrids * lx::InfluenceEngine::forwardFlopsPerSample(*model) / 1e9;
            const double traffic = hybrids * lx::InfluenceEngine::suffixBytesPerSample(*model, layer) / 1e9;
            lx::Array fast, plain;
            const double fastMs = best(lx::BenchStats::timeMs(repeat, [&] {
                fast = lx::InfluenceEngine::elementaryMaps(*model, layer, z, classes, lx::InfluenceOptions{});
            }));
            nlohmann::ordered_json r{
                {"layer", name},
                {"shape", model->layers()[size_t(layer)].shape},
                {"shortcut", lx::InfluenceEngine::shortcutKind(*model, layer)},
                {"streamed_through", lx::InfluenceEngine::streamedThrough(*model, layer)},
                {"fast_ms", fastMs},
                {"fast_gflop", fastGflop},
                {"fast_gflops", fastGflop / (fastMs / 1000.0)},
                {"fast_gbs_floor", traffic / (fastMs / 1000.0)},
                {"fast_ms_at_matmul_rate", fastGflop / matmulGflops * 1000.0},
                {"fast_over_matmul_2048", fastMs / (2.0 * 2048.0 * 2048.0 * 2048.0 / matmulGflops / 1e6)},
                {"flop_ratio_bound", plainGflop / fastGflop}};
            if (torch.contains("layers")) {
                const nlohmann::json& t = torch["layers"][row];
                const double ms = t["ms"].get<double>();
                r["pytorch_ms"] = ms;
                r["pytorch_gflops"] = plainGflop / (ms / 1000.0);
                r["speedup_vs_pytorch"] = ms / fastMs;
                r["pytorch_max_abs_diff"] =
                    maxAbsDiff(fast, lx::Npy::read(t["maps"].get<std::string>()).reshaped(fast.shape()));
            }
            if (!skipPlain) {
                const double plainMs = best(lx::BenchStats::timeMs(repeat, [&] {
                    plain = lx::InfluenceEngine::elementaryMapsPlain(*model, layer, z, 16, nullptr, classes);
                }));
                r["plain_cpp_ms"] = plainMs;
                r["plain_cpp_gflops"] = plainGflop / (plainMs / 1000.0);
                r["speedup_vs_plain_cpp"] = plainMs / fastMs;
                r["plain_cpp_max_abs_diff"] = maxAbsDiff(fast, plain);
            }
            out["layers"].push_back(r);
        }
        std::filesystem::remove_all(dir);
        out["peak_rss_mb"] = peakRssMb(); // before the copy test's 512 MiB
        out["copy_gbs"] = copyGbs();
        std::printf("%s\n", out.dump(2).c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_influence: %s\n", e.what());
        return 1;
    }
    return 0;
}

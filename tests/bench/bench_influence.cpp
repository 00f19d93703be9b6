// Elementary influence maps of whole layers: the fast path (cached prefix, batched channels, linear
// shortcut through the next layer) against the straightforward way (a full forward pass per channel
// with the layer's output patched), same model, same pairs, same run.
// Usage: bench_influence MODEL --layers L1,L2 [--pairs N] [--device cpu|cuda] [--threads T] [--skip-plain]
// Prints JSON.
#include "BenchArgs.h"
#include "lx/BenchStats.h"

#include "lx/InfluenceEngine.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/Runtime.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <sys/resource.h>

namespace {

double peakRssMb()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0;
}

} // namespace

int main(int argc, char** argv)
{
    lx::Runtime::preferPassiveThreadWaiting(argv);
    if (argc < 2 || !std::strcmp(argv[1], "--help")) {
        std::fprintf(stderr, "usage: bench_influence MODEL --layers L1,L2 [--pairs N] [--device cpu|cuda] [--threads T] [--skip-plain]\n");
        return 2;
    }
    spdlog::set_level(spdlog::level::warn);
    const BenchArgs args(argc, argv, {"skip-plain"});
    const std::string layers = args.value("layers", "");
    const int pairs = static_cast<int>(std::max(1LL, args.integer("pairs", 8)));
    const bool skipPlain = args.flag("skip-plain");
    try {
        auto model = args.loadModel();
        const lx::Array z = lx::LatentSampler(model->card().latentShape).sample(lx::LatentSampler::seedRange(0, 2 * pairs));
        nlohmann::ordered_json out;
        out["model"] = argv[1];
        out["device"] = model->deviceName();
        out["threads"] = model->threads();
        out["pairs"] = pairs;
        out["matmul_1024_gflops"] = lx::Runtime::matmulGflops(model->deviceName());
        out["layers"] = nlohmann::json::array();
        std::stringstream names(layers);
        std::string name;
        while (std::getline(names, name, ',')) {
            const int layer = model->requireLayer(name);
            const int64_t channels = model->layers()[size_t(layer)].channels();
            const double usefulGflop = double(channels) * pairs * lx::InfluenceEngine::suffixFlopsPerSample(*model, layer) / 1e9;
            lx::Array fast, plain;
            const double fastMs = lx::BenchStats::timeMs(1, [&] { fast = lx::InfluenceEngine::elementaryMaps(*model, layer, z); })[0];
            nlohmann::ordered_json row{{"layer", name},
                                       {"shape", model->layers()[size_t(layer)].shape},
                                       {"shortcut", lx::InfluenceEngine::shortcutKind(*model, layer)},
                                       {"fast_ms", fastMs},
                                       {"useful_gflop", usefulGflop},
                                       {"fast_useful_gflops", usefulGflop / (fastMs / 1000.0)}};
            if (!skipPlain) {
                const double plainMs = lx::BenchStats::timeMs(1, [&] { plain = lx::InfluenceEngine::elementaryMapsPlain(*model, layer, z); })[0];
                float diff = 0;
                for (int64_t i = 0; i < fast.numel(); ++i)
                    diff = std::max(diff, std::fabs(fast.data()[size_t(i)] - plain.data()[size_t(i)]));
                row["plain_ms"] = plainMs;
                row["plain_useful_gflops"] = usefulGflop / (plainMs / 1000.0);
                row["speedup"] = plainMs / fastMs;
                row["max_abs_diff"] = diff;
            }
            out["layers"].push_back(row);
        }
        out["peak_rss_mb"] = peakRssMb();
        std::printf("%s\n", out.dump(2).c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_influence: %s\n", e.what());
        return 1;
    }
    return 0;
}

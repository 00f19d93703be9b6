// Hybrid latency: the cached-prefix path the GUI uses against the straightforward way (run both
// latents to the layer, patch the channels, run the rest) for one pair, at every layer or one layer.
// Usage: bench_hybrid MODEL [--layer L] [--frames N] [--device cpu|cuda] [--threads T]
// Prints JSON.
#include "BenchArgs.h"
#include "lx/BenchStats.h"

#include "lx/Error.h"
#include "lx/HybridEngine.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/Runtime.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstring>
#include <string>

namespace {

lx::Array patched(lx::Model& m, int layer, const std::vector<int>& channels, const lx::Array& z1, const lx::Array& z2)
{
    lx::Array h1 = m.forwardTo(layer, z1);
    const lx::Array h2 = m.forwardTo(layer, z2);
    const int64_t plane = h1.numel() / h1.dim(1);
    for (int c : channels)
        std::copy_n(h2.ptr() + c * plane, plane, h1.ptr() + c * plane);
    return m.forwardFrom(layer, h1, z1);
}

} // namespace

int main(int argc, char** argv)
{
    lx::Runtime::preferPassiveThreadWaiting(argv);
    if (argc < 2 || !std::strcmp(argv[1], "--help")) {
        std::fprintf(stderr, "usage: bench_hybrid MODEL [--layer L] [--frames N] [--device cpu|cuda] [--threads T]\n");
        return 2;
    }
    const BenchArgs args(argc, argv);
    const std::string layerName = args.value("layer", "");
    const int frames = static_cast<int>(std::max(1LL, args.integer("frames", 200)));
    spdlog::set_level(spdlog::level::warn); // stdout carries the JSON only
    try {
        auto model = args.loadModel();
        const lx::LatentSampler sampler(model->card().latentShape);
        const lx::Array z1 = sampler.sample({1}), z2 = sampler.sample({2});

        nlohmann::ordered_json out;
        out["model"] = argv[1];
        out["device"] = model->deviceName();
        out["threads"] = model->threads();
        out["frames"] = frames;
        out["matmul_1024_gflops"] = lx::Runtime::matmulGflops(model->deviceName());
        out["full_forward_p50_ms"] =
            lx::BenchStats::percentile(lx::BenchStats::timeMs(frames, [&] { model->generate(z1); }), 50);
        out["layers"] = nlohmann::json::array();
        for (int layer = 0; layer < static_cast<int>(model->layers().size()); ++layer) {
            const lx::LayerInfo& info = model->layers()[static_cast<size_t>(layer)];
            if (!layerName.empty() && info.name != layerName)
                continue;
            lx::HybridEngine engine(*model);
            engine.setInputs(layer, z1, z2);
            // A slider-like sequence: a different channel set every frame.
            int frame = 0;
            const auto channelsOf = [&](int f) {
                return std::vector<int>{f % int(info.channels()), (7 * f + 3) % int(info.channels())};
            };
            const auto cached = lx::BenchStats::timeMs(frames, [&] { engine.hybrid(channelsOf(frame++)); });
            frame = 0;
            const auto plain =
                lx::BenchStats::timeMs(frames, [&] { patched(*model, layer, channelsOf(frame++), z1, z2); });
            const double c50 = lx::BenchStats::percentile(cached, 50), p50 = lx::BenchStats::percentile(plain, 50);
            out["layers"].push_back({{"layer", info.name},
                                     {"shape", info.shape},
                                     {"cached_p50_ms", c50},
                                     {"cached_p95_ms", lx::BenchStats::percentile(cached, 95)},
                                     {"plain_p50_ms", p50},
                                     {"speedup_p50", c50 > 0 ? p50 / c50 : 0.0}});
        }
        std::printf("%s\n", out.dump(2).c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_hybrid: %s\n", lx::firstLine(e.what()).c_str());
        return 1;
    }
    return 0;
}

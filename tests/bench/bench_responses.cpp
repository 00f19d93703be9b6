// Latent response matrix: ResponseEngine's batched path (all d * N interventions streamed through the
// model in large passes) against the plain loop (one dimension at a time, each with its own decode and
// encode of the N samples, through the public Model API), in the same run on the same inputs.
// Usage: bench_responses MODEL [--samples N] [--repeats R] [--chunk-rows R] [--device cpu|cuda] [--threads T]
// MODEL is an autoencoder, e.g. the conv_vae64.pt fixture (3x64x64, latent 24). Prints JSON: wall times
// (p50 and min over the repeats) and process CPU times of both paths.
#include "BenchArgs.h"
#include "lx/BenchStats.h"

#include "lx/Error.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/ResponseEngine.h"
#include "lx/Runtime.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <string>

namespace {

// The definition, one intervened dimension per decode/encode pass of N samples.
lx::Array plainLoop(lx::Model& m, const lx::Array& z, const lx::Array& values)
{
    const int64_t n = z.dim(0), d = z.dim(1);
    const lx::Array r0 = m.encodeMean(m.generate(z));
    lx::Array out({d, d});
    for (int64_t i = 0; i < d; ++i) {
        lx::Array zi = z;
        for (int64_t k = 0; k < n; ++k)
            zi.ptr()[k * d + i] = values.ptr()[k * d + i];
        const lx::Array ri = m.encodeMean(m.generate(zi));
        for (int64_t j = 0; j < d; ++j) {
            double sum = 0;
            for (int64_t k = 0; k < n; ++k)
                sum += std::pow(double(ri.ptr()[k * d + j]) - r0.ptr()[k * d + j], 2);
            out.ptr()[i * d + j] = float(std::sqrt(sum / double(n)));
        }
    }
    return out;
}

// Process CPU time of `work` in ms (all threads): unlike wall time, it barely changes when other
// processes compete for the cores, so compare it with --threads 1 on a busy machine.
double cpuMs(const std::function<void()>& work)
{
    const std::clock_t start = std::clock();
    work();
    return 1000.0 * double(std::clock() - start) / CLOCKS_PER_SEC;
}

float maxAbsDiff(const lx::Array& a, const lx::Array& b)
{
    float m = 0;
    for (int64_t i = 0; i < a.numel(); ++i)
        m = std::max(m, std::fabs(a.ptr()[i] - b.ptr()[i]));
    return m;
}

} // namespace

int main(int argc, char** argv)
{
    lx::Runtime::preferPassiveThreadWaiting(argv);
    if (argc < 2 || !std::strcmp(argv[1], "--help")) {
        std::fprintf(stderr,
                     "usage: bench_responses MODEL [--samples N] [--repeats R] [--chunk-rows R] "
                     "[--device cpu|cuda] [--threads T]\n");
        return 2;
    }
    const BenchArgs args(argc, argv);
    const int samples = static_cast<int>(std::max(1LL, args.integer("samples", 256)));
    const int repeats = static_cast<int>(std::max(1LL, args.integer("repeats", 3)));
    const long long chunkRows = std::max(0LL, args.integer("chunk-rows", 0));
    spdlog::set_level(spdlog::level::warn); // stdout carries the JSON only
    try {
        auto model = args.loadModel();
        const int64_t d = model->card().latentSize();
        lx::ResponseEngine engine(*model);
        engine.setChunkRows(chunkRows);
        const lx::Array z = lx::LatentSampler({d}).sample(lx::LatentSampler::seedRange(0, samples));
        const lx::Array values = lx::ResponseEngine::priorValues(samples, d, 1);

        lx::Array batched, plain;
        engine.responseMatrix(z.rows(0, 1), values.rows(0, 1)); // warm-up
        // Alternate the two paths, so that both see the same machine (other processes, clock speed).
        std::vector<double> batchedMs, plainMs, batchedCpu, plainCpu;
        for (int r = 0; r < repeats; ++r) {
            const auto b = lx::BenchStats::timeMs(
                1, [&] { batchedCpu.push_back(cpuMs([&] { batched = engine.responseMatrix(z, values); })); });
            const auto p = lx::BenchStats::timeMs(
                1, [&] { plainCpu.push_back(cpuMs([&] { plain = plainLoop(*model, z, values); })); });
            batchedMs.push_back(b[0]);
            plainMs.push_back(p[0]);
        }
        const double b50 = lx::BenchStats::percentile(batchedMs, 50), p50 = lx::BenchStats::percentile(plainMs, 50);
        const int64_t rows = (d + 1) * samples;

        nlohmann::ordered_json out;
        out["model"] = argv[1];
        out["device"] = model->deviceName();
        out["threads"] = model->threads();
        out["latent_dim"] = d;
        out["samples"] = samples;
        out["output_shape"] = model->outputShape();
        out["rows_decoded_and_encoded"] = rows;
        out["chunk_rows"] = engine.effectiveChunkRows();
        out["repeats"] = repeats;
        out["matmul_1024_gflops"] = lx::Runtime::matmulGflops(model->deviceName());
        out["batched_p50_ms"] = b50;
        out["batched_min_ms"] = lx::BenchStats::percentile(batchedMs, 0);
        out["plain_p50_ms"] = p50;
        out["plain_min_ms"] = lx::BenchStats::percentile(plainMs, 0);
        out["speedup_p50"] = b50 > 0 ? p50 / b50 : 0.0;
        out["batched_cpu_p50_ms"] = lx::BenchStats::percentile(batchedCpu, 50);
        out["plain_cpu_p50_ms"] = lx::BenchStats::percentile(plainCpu, 50);
        out["batched_rows_per_s"] = b50 > 0 ? double(rows) / (b50 / 1000.0) : 0.0;
        out["max_abs_diff_batched_vs_plain"] = maxAbsDiff(batched, plain);
        std::printf("%s\n", out.dump(2).c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_responses: %s\n", lx::firstLine(e.what()).c_str());
        return 1;
    }
    return 0;
}

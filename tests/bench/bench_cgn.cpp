// CGN throughput: images per second of CgnModel::render one request at a time (the mixer's path) and
// in batches, and of a whole counterfactual dataset export (render + PNG encoding + atomic writes).
// Usage: bench_cgn MODEL [--n 1024] [--batch 256] [--single 128] [--device cpu|cuda] [--threads T] [--keep DIR]
// Prints JSON.
#include "BenchArgs.h"
#include "lx/BenchStats.h"

#include "lx/CgnDataset.h"
#include "lx/CgnModel.h"
#include "lx/Error.h"
#include "lx/Runtime.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <unistd.h>

namespace {

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

int main(int argc, char** argv)
{
    lx::Runtime::preferPassiveThreadWaiting(argv);
    if (argc < 2 || !std::strcmp(argv[1], "--help")) {
        std::fprintf(stderr,
                     "usage: bench_cgn MODEL [--n 1024] [--batch 256] [--single 128] [--device cpu|cuda] [--threads T] "
                     "[--keep DIR]\n");
        return 2;
    }
    const BenchArgs args(argc, argv);
    const int64_t n = std::max(1LL, args.integer("n", 1024));
    const int single = static_cast<int>(std::max(5LL, args.integer("single", 128)));
    const int64_t batch = std::max(1LL, args.integer("batch", 256));
    spdlog::set_level(spdlog::level::warn); // stdout carries the JSON only
    try {
        auto model = lx::CgnModel::load(args.model(), args.loadOptions());
        std::vector<lx::CgnRequest> requests;
        for (int64_t i = 0; i < n; ++i)
            requests.push_back(lx::CgnDataset::request(1, 10, model->classCount(), i));
        model->render({requests[0]}); // warm-up

        int64_t next = 0;
        const std::vector<double> oneMs =
            lx::BenchStats::timeMs(single, [&] { model->render({requests[size_t(next++ % n)]}); });
        // Batched: render calls of --batch requests each (CgnModel itself computes in chunks).
        auto start = std::chrono::steady_clock::now();
        for (int64_t begin = 0; begin < n; begin += batch)
            model->render(
                std::vector<lx::CgnRequest>(requests.begin() + begin, requests.begin() + std::min(n, begin + batch)));
        const double batchSeconds = secondsSince(start);

        const std::string keep = args.value("keep", "");
        const std::filesystem::path folder = keep.empty()
            ? std::filesystem::temp_directory_path() / ("bench_cgn_" + std::to_string(::getpid()))
            : std::filesystem::path(keep);
        lx::CgnDatasetOptions options;
        options.folder = folder.string();
        options.count = n;
        options.counterfactuals = 10;
        options.seed = 1;
        options.batch = batch;
        const lx::CgnDatasetResult dataset = lx::CgnDataset::write(*model, options);
        if (keep.empty())
            std::filesystem::remove_all(folder);

        double oneTotal = 0.0;
        for (double ms : oneMs)
            oneTotal += ms;
        nlohmann::ordered_json out;
        out["model"] = args.model();
        out["device"] = model->deviceName();
        out["threads"] = args.integer("threads", 0);
        out["image_shape"] = model->imageShape();
        out["single_renders"] = single;
        out["single_p50_ms"] = lx::BenchStats::percentile(oneMs, 50);
        out["single_p95_ms"] = lx::BenchStats::percentile(oneMs, 95);
        out["single_images_per_second"] = 1000.0 * single / oneTotal;
        out["batch_images"] = n;
        out["batch_size"] = batch;
        out["batch_images_per_second"] = double(n) / batchSeconds;
        out["dataset_images_per_second"] = dataset.imagesPerSecond;
        out["dataset_seconds"] = dataset.seconds;
        std::printf("%s\n", out.dump(2).c_str());
    } catch (const lx::Error& e) {
        std::fprintf(stderr, "bench_cgn: %s\n", e.what());
        return 1;
    }
    return 0;
}

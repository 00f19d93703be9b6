// Datasets with known factors (the procedural lx-shapes) and the conditioned response matrix with its
// causal disentanglement score (Leeb et al., NeurIPS 2022): `shapes` and `conditioned`.
#include "CliCommands.h"

#include "lx/Array.h"
#include "lx/ConditionedResponse.h"
#include "lx/Error.h"
#include "lx/FactorDataset.h"
#include "lx/Model.h"
#include "lx/Npy.h"
#include "lx/ResponseEngine.h"
#include "lx/ShapesDataset.h"
#include "lx/SplitMix64.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <numeric>
#include <tuple>

namespace {

long long nonNegative(const CliArgs& args, const std::string& name, long long fallback)
{
    return args.integer(name, fallback, 0, CliArgs::kMaxSeed);
}

long long positive(const CliArgs& args, const std::string& name, long long fallback)
{
    const long long v = args.integer(name, fallback);
    if (v < 1 || v > 1000000)
        throw UsageError("--" + name + " must be between 1 and 1000000");
    return v;
}

std::string knownDatasets()
{
    std::string names;
    for (const std::string& n : lx::factorDatasetNames())
        names += (names.empty() ? "" : ", ") + n;
    return names;
}

// --indices: "all", "random:N" (N distinct indices, a seeded partial Fisher-Yates shuffle) or a list of
// indices and ranges ("0-99,200").
std::vector<int64_t> indicesOf(const CliArgs& args, const lx::FactorDataset& data)
{
    const std::string text = args.require("indices");
    const int64_t size = data.size();
    std::vector<int64_t> out;
    if (text == "all") {
        out.resize(static_cast<size_t>(size));
        std::iota(out.begin(), out.end(), int64_t(0));
        return out;
    }
    if (text.rfind("random:", 0) == 0) {
        const std::vector<int> count = CliArgs::parseIntList(text.substr(7), "--indices random:N");
        if (count.size() != 1 || count[0] < 1 || count[0] > size)
            throw UsageError("--indices random:N needs 1 <= N <= " + std::to_string(size) + ", got '" + text + "'");
        std::vector<int64_t> all(static_cast<size_t>(size));
        std::iota(all.begin(), all.end(), int64_t(0));
        lx::SplitMix64 rng(static_cast<uint64_t>(nonNegative(args, "seed", 0)));
        for (int64_t k = 0; k < count[0]; ++k)
            std::swap(all[size_t(k)], all[size_t(k + int64_t(rng.below(uint64_t(size - k))))]);
        all.resize(size_t(count[0]));
        return all;
    }
    if (args.has("seed"))
        throw UsageError("--seed only applies to --indices random:N");
    for (int i : CliArgs::parseIntList(text, "--indices"))
        out.push_back(i);
    if (out.empty())
        throw UsageError("--indices is empty");
    return out;
}

// --info: the dataset's name, size, image shape and factors (name, size, values) as JSON.
void printDatasetInfo(const lx::FactorDataset& data)
{
    nlohmann::ordered_json info;
    info["dataset"] = data.name();
    info["size"] = data.size();
    info["image_shape"] = data.imageShape();
    info["factors"] = nlohmann::json::array();
    for (int64_t k = 0; k < data.factorCount(); ++k) {
        info["factors"].push_back({{"name", data.factorNames()[size_t(k)]},
                                   {"size", data.factorSizes()[size_t(k)]},
                                   {"values", data.factorValues(k)}});
    }
    if (dynamic_cast<const lx::ShapesDataset*>(&data))
        info["shape_names"] = lx::ShapesDataset::shapeNames();
    std::printf("%s\n", info.dump(2).c_str());
}

int runShapes(const CliArgs& args)
{
    args.allowOnly({"dataset", "indices", "seed", "out", "factors-out", "info"});
    const auto data = lx::makeFactorDataset(args.value("dataset", "lx-shapes"));
    if (args.flag("info")) {
        printDatasetInfo(*data);
        return 0;
    }
    const std::string out = args.require("out");
    const std::vector<int64_t> indices = indicesOf(args, *data);
    const auto start = std::chrono::steady_clock::now();
    const lx::Array images = data->images(indices);
    spdlog::info("shapes: {} images of {} in {:.1f} ms", indices.size(), data->name(), msSince(start));
    if (args.has("factors-out"))
        lx::Npy::write(args.require("factors-out"), data->factorTable(indices));
    lx::Npy::write(out, images);
    return 0;
}

// The JSON `conditioned` prints, for its own result and for a merge of its shards' parts.
std::string conditionedReport(const lx::Array& matrix, const nlohmann::json& meta, double computeMs)
{
    nlohmann::ordered_json report;
    report["dataset"] = meta.at("dataset");
    report["factors"] = meta.at("factors");
    report["dims"] = matrix.dim(1);
    report["cds"] = lx::causalDisentanglementScore(matrix);
    report["matrix"] = nlohmann::json::array();
    for (int64_t k = 0; k < matrix.dim(0); ++k) {
        const lx::Array row = matrix.row(k);
        report["matrix"].push_back(row.data());
    }
    for (const char* key : {"traversals", "batch", "seed"})
        report[key] = meta.at(key);
    report["compute_ms"] = computeMs;
    return report.dump(2);
}

int runConditioned(const CliArgs& args)
{
    args.allowOnly({"dataset", "traversals", "batch", "seed", "out", "chunk-rows", "shard"});
    lx::ConditionedOptions options;
    options.traversals = static_cast<int>(positive(args, "traversals", options.traversals));
    options.batch = static_cast<int>(positive(args, "batch", options.batch));
    options.seed = static_cast<uint64_t>(nonNegative(args, "seed", 0));
    const long long chunkRows = nonNegative(args, "chunk-rows", 0);
    const lx::Shard shard = CliCommands::shardOf(args);
    if (args.has("shard"))
        args.require("out");
    auto model = CliCommands::openModel(args);
    std::string datasetName = args.value("dataset", model->card().dataset);
    if (datasetName.empty())
        throw UsageError("the card of " + model->path()
                         + " names no dataset; pass --dataset (known datasets: " + knownDatasets() + ")");
    const auto data = lx::makeFactorDataset(datasetName);
    lx::ResponseEngine engine(*model);
    engine.setChunkRows(chunkRows);
    const auto start = std::chrono::steady_clock::now();
    const lx::ProgressFn progress = [](long long done, long long total) {
        spdlog::info("conditioned: {}/{} traversals", done, total);
    };
    const nlohmann::json meta{{"dataset", data->name()},
                              {"factors", data->factorNames()},
                              {"traversals", options.traversals},
                              {"batch", options.batch},
                              {"seed", options.seed}};
    if (args.has("shard")) {
        // A deterministic slice of the (factor, traversal) items, written as sums of the diagonals.
        lx::PartialResult part;
        part.job = CliCommands::jobOf(args, "conditioned",
                                      {{"dataset", data->name()},
                                       {"traversals", std::to_string(options.traversals)},
                                       {"batch", std::to_string(options.batch)},
                                       {"seed", std::to_string(options.seed)}});
        part.finish = lx::PartialSum::Finish::RowMean;
        part.shard = shard;
        part.total = lx::conditionedItemCount(*data, options);
        std::tie(part.begin, part.end) = shard.slice(part.total);
        part.data = lx::conditionedResponseSums(engine, *model, *data, options, part.begin, part.end, progress);
        part.meta = meta.dump();
        part.computeMs = msSince(start);
        spdlog::info("conditioned: shard {} (traversals {}-{}) in {:.1f} ms", shard.text(), part.begin, part.end,
                     part.computeMs);
        part.write(args.require("out"));
        return 0;
    }
    const lx::ConditionedResult r = lx::conditionedResponseMatrix(engine, *model, *data, options, progress);
    const double ms = msSince(start);
    spdlog::info("conditioned: {}x{} matrix, CDS {:.4f}, in {:.1f} ms", r.matrix.dim(0), r.matrix.dim(1), r.cds, ms);
    if (args.has("out"))
        lx::Npy::write(args.require("out"), r.matrix);
    std::printf("%s\n", conditionedReport(r.matrix, meta, ms).c_str());
    return 0;
}

// A merge of conditioned's parts: C.npy and the report, as the unsharded command writes and prints them.
void finishConditioned(const lx::PartialResult& merged, const std::string& out)
{
    const lx::Array matrix = merged.data.finished(merged.finish);
    lx::Npy::write(out, matrix);
    std::printf("%s\n", conditionedReport(matrix, nlohmann::json::parse(merged.meta), merged.computeMs).c_str());
}

} // namespace

std::vector<int64_t> CliCommands::datasetIndices(const CliArgs& args, const lx::FactorDataset& data)
{
    return indicesOf(args, data);
}

std::vector<CliCommand> CliCommands::shapesCommands()
{
    return {
        {"shapes",
         "images of a dataset with known factors (lx-shapes) (.npy)",
         "Usage: latent-explorer-cli shapes --indices 0-99|all|random:N [--seed S] --out X.npy\n"
         "           [--factors-out F.npy] [--dataset lx-shapes]\n"
         "       latent-explorer-cli shapes --info [--dataset lx-shapes]\n\n"
         "Writes images of a procedural dataset with known factors, generated on the fly (no download):\n"
         "X is (N, 1, 64, 64) float32 in [0, 1]; F (optional) is (N, factors), each row the factor\n"
         "indices of an image. lx-shapes (dSprites-style, 73,728 images) has the factors shape (3:\n"
         "square, ellipse, heart), scale (6, 0.5..1), orientation (16 over [0, 2 pi)), pos_x (16), pos_y\n"
         "(16); flat index = mixed radix with the last factor (pos_y) fastest.\n"
         "  --indices all        every image, in index order (1.2 GB of float32 for lx-shapes)\n"
         "  --indices random:N   N distinct random indices, deterministic for --seed S (default 0)\n"
         "  --indices 0-99,512   a list of indices and ranges\n"
         "--info prints JSON {dataset, size, image_shape, factors [{name, size, values}], shape_names}.\n",
         {"info"},
         runShapes},
        {"conditioned",
         "conditioned response matrix and CDS on a factor dataset (JSON)",
         "Usage: latent-explorer-cli conditioned MODEL [--dataset NAME] [--traversals 20] [--batch 32]\n"
         "           [--seed 0] [--out C.npy] [--chunk-rows R] [--shard K/N]\n\n"
         "Conditioned response matrix C (factors x latent dimensions) and the causal disentanglement score\n"
         "(Leeb et al., NeurIPS 2022) of an autoencoder on a dataset with known factors (default: the\n"
         "card's `dataset`; lx-shapes is built in). For each factor, --traversals times: a random image's\n"
         "traversal of that factor (all its values, the other factors fixed) is encoded to posterior means;\n"
         "a response matrix is computed with --batch base points drawn from the traversal (with\n"
         "replacement when it is shorter) whose intervention values come from a DIFFERENT member of the\n"
         "same traversal; its diagonal is kept. C averages the diagonals over the traversals, and\n"
         "  CDS = sum_j max_k C[k, j] / sum_{k, j} C[k, j]   (1 = each dimension answers one factor).\n"
         "Prints JSON {dataset, factors, dims, cds, matrix, traversals, batch, seed, compute_ms}; --out\n"
         "also writes C as .npy. Deterministic for --seed on one device. Dataset images in [0, 1] are\n"
         "mapped onto the card's output_range.\n"
         "--shard K/N (K = 0..N-1) does only shard K's slice of the F x traversals items (the random draws\n"
         "stay those of the whole job) and writes their sums to --out; `merge` makes C.npy and the JSON.\n",
         {},
         runConditioned,
         false,
         finishConditioned},
    };
}

// VQ-VAEs with a causal transition on their codes (CT-VAE, Gendron, Witbrock & Dobbie, IJCAI
// 2023): `vq-encode`, `vq-decode`, `vq-apply` (an action, repeated into a trajectory), `vq-evaluate`
// (action retrieval on lx-shapes pairs), and `info` on a vqvae through vqInfo.
#include "CliCommands.h"

#include "lx/Array.h"
#include "lx/AtomicFile.h"
#include "lx/Error.h"
#include "lx/FactorDataset.h"
#include "lx/ImageGrid.h"
#include "lx/Npy.h"
#include "lx/Png.h"
#include "lx/VqModel.h"
#include "lx/VqPairs.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>

namespace {

using Json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

constexpr int64_t kPngColumns = 8; // vq-decode: images per row of the PNG
constexpr int64_t kStripRows = 16; // vq-apply: samples drawn in the strip at most

std::unique_ptr<lx::VqModel> openVq(const CliArgs& args)
{
    return lx::VqModel::load(args.positionalAt(0, "MODEL argument"), CliCommands::loadOptions(args));
}

int scaleOf(const CliArgs& args)
{
    const long long scale = args.integer("scale", 2);
    if (scale < 1 || scale > 16)
        throw UsageError("--scale must lie in 1..16");
    return static_cast<int>(scale);
}

std::unique_ptr<lx::FactorDataset> datasetOf(const CliArgs& args, const lx::VqModel& model)
{
    const std::string& fallback = model.card().dataset;
    return lx::makeFactorDataset(args.value("dataset", fallback.empty() ? "lx-shapes" : fallback));
}

// Images from --images X.npy, or from --dataset NAME --indices I (mapped onto the model's output range).
lx::Array imagesOf(const CliArgs& args, const lx::VqModel& model)
{
    if (args.has("images") && (args.has("indices") || args.has("dataset")))
        throw UsageError("give either --images X.npy or --dataset NAME --indices I, not both");
    if (args.has("images"))
        return args.npy("images");
    if (!args.has("indices"))
        throw UsageError("give the images: --images X.npy, or --dataset lx-shapes --indices 0,5,...");
    const auto data = datasetOf(args, model);
    return lx::VqPairs::imagesFor(model, *data, CliCommands::datasetIndices(args, *data));
}

// Code indices from --codes, else the codes of the images (imagesOf).
lx::Array codesOf(const CliArgs& args, lx::VqModel& model)
{
    if (args.has("codes")) {
        if (args.has("images") || args.has("indices") || args.has("dataset"))
            throw UsageError("give one input: --codes IDX.npy, --images X.npy or --dataset NAME --indices I");
        const lx::Array codes = args.npy("codes");
        model.requireCodes(codes, args.require("codes"));
        return codes;
    }
    return model.encode(imagesOf(args, model));
}

lx::ImageGridOptions gridOptions(const lx::VqModel& model, int scale)
{
    lx::ImageGridOptions options;
    options.low = model.card().outputLow;
    options.high = model.card().outputHigh;
    options.scale = scale;
    return options;
}

int64_t distinctCodes(const lx::Array& codes)
{
    return static_cast<int64_t>(std::set<float>(codes.data().begin(), codes.data().end()).size());
}

Json changeList(const std::vector<lx::VqCodeChange>& changes, int64_t sample)
{
    Json list = Json::array();
    for (const lx::VqCodeChange& c : changes) {
        if (c.sample == sample)
            list.push_back({{"node", c.node},
                            {"codebook", c.codebook},
                            {"row", c.row},
                            {"col", c.col},
                            {"before", c.before},
                            {"after", c.after}});
    }
    return list;
}

int runEncode(const CliArgs& args)
{
    args.allowOnly({"images", "dataset", "indices", "seed", "out"});
    const std::string out = args.require("out");
    auto model = openVq(args);
    const lx::Array images = imagesOf(args, *model);
    const auto start = Clock::now();
    const lx::Array codes = model->encode(images);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    lx::Npy::write(out, codes);
    const Json j = {{"model", model->path()},
                    {"n", codes.dim(0)},
                    {"grid_shape", model->gridShape()},
                    {"codebook_size", model->codebookSize()},
                    {"distinct_codes", distinctCodes(codes)},
                    {"out", out},
                    {"encode_ms", ms}};
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
}

int runDecode(const CliArgs& args)
{
    args.allowOnly({"codes", "out", "png", "scale"});
    const std::string out = args.require("out");
    const int scale = scaleOf(args);
    auto model = openVq(args);
    const lx::Array codes = args.npy("codes");
    model->requireCodes(codes, args.require("codes"));
    const lx::Array x = model->decode(codes);
    lx::Npy::write(out, x);
    Json j = {{"model", model->path()}, {"n", x.dim(0)}, {"image_shape", model->imageShape()}, {"out", out}};
    if (args.has("png")) {
        if (x.dim(0) == 0)
            throw lx::Error("vq-decode: no codes to draw into " + args.require("png"));
        const int64_t cols = std::min(kPngColumns, x.dim(0)), rows = (x.dim(0) + cols - 1) / cols;
        std::vector<lx::Array> tiles(size_t(rows * cols));
        for (int64_t i = 0; i < x.dim(0); ++i)
            tiles[size_t(i)] = x.row(i);
        lx::Png::write(args.require("png"),
                       lx::ImageGrid::compose(tiles, int(rows), int(cols), gridOptions(*model, scale)));
        j["png"] = args.require("png");
    }
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
}

int runApply(const CliArgs& args)
{
    args.allowOnly({"codes", "images", "dataset", "indices", "seed", "action", "steps", "out", "trajectory-out",
                    "images-out", "png", "scale"});
    const std::string out = args.require("out");
    const long long steps = args.integer("steps", 1);
    if (steps < 1 || steps > 1000)
        throw UsageError("--steps must lie in 1..1000");
    const int scale = scaleOf(args);
    auto model = openVq(args);
    const int action = model->actionIndex(args.require("action"));
    const lx::Array codes = codesOf(args, *model);
    const int64_t n = codes.dim(0), m = model->nodeCount(), s1 = steps + 1;
    const auto start = Clock::now();
    const lx::Array t = model->trajectory(codes, action, int(steps)); // [N, S + 1, B, h, w]
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();

    const std::vector<int64_t>& grid = model->gridShape();
    const auto stepCodes = [&](int64_t s) {
        lx::Array c({n, grid[0], grid[1], grid[2]});
        for (int64_t i = 0; i < n; ++i)
            std::copy_n(t.ptr() + (i * s1 + s) * m, m, c.ptr() + i * m);
        return c;
    };
    const lx::Array last = stepCodes(steps);
    lx::Npy::write(out, last);

    Json j;
    j["model"] = model->path();
    j["action"] = model->actionName(action);
    j["action_index"] = action;
    j["steps"] = steps;
    j["n"] = n;
    Json perStep = Json::array();
    lx::Array previous = codes;
    std::vector<lx::VqCodeChange> first;
    for (int64_t s = 1; s <= steps; ++s) {
        const lx::Array now = stepCodes(s);
        const std::vector<lx::VqCodeChange> changes = lx::VqModel::changedCodes(previous, now);
        if (s == 1)
            first = changes;
        perStep.push_back(changes.size());
        previous = now;
    }
    j["changed_codes_per_step"] = perStep; // over all samples, step s against step s - 1
    j["first_step_changes_sample0"] = changeList(first, 0);
    j["out"] = out;
    if (args.has("trajectory-out")) {
        lx::Npy::write(args.require("trajectory-out"), t);
        j["trajectory_out"] = args.require("trajectory-out");
    }
    if (args.has("images-out")) {
        lx::Npy::write(args.require("images-out"), model->decode(last));
        j["images_out"] = args.require("images-out");
    }
    if (args.has("png")) {
        // Rows: the first samples; columns: step 0 (the input) to step S, decoded.
        const int64_t rows = std::min(kStripRows, n);
        if (rows == 0)
            throw lx::Error("vq-apply: no samples to draw into " + args.require("png"));
        const lx::Array x = model->decode(t.rows(0, rows).reshaped({rows * s1, grid[0], grid[1], grid[2]}));
        std::vector<lx::Array> tiles;
        for (int64_t k = 0; k < rows * s1; ++k)
            tiles.push_back(x.row(k));
        lx::Png::write(args.require("png"),
                       lx::ImageGrid::compose(tiles, int(rows), int(s1), gridOptions(*model, scale)));
        j["png"] = args.require("png");
    }
    j["apply_ms"] = ms;
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
}

// The JSON vq-evaluate prints (and writes), for its own run and for a merge of its shards' parts.
// `meta`: model, dataset, seed, device, action_names.
std::string evaluationReport(const lx::VqEvaluation& e, const Json& meta, double seconds)
{
    Json j;
    j["model"] = meta.at("model");
    j["dataset"] = meta.at("dataset");
    j["n_pairs"] = e.pairs;
    j["seed"] = meta.at("seed");
    j["action_accuracy"] = e.actionAccuracy;
    j["factor_accuracy"] = e.factorAccuracy;
    j["action_chance"] = e.actionChance;
    j["factor_chance"] = e.factorChance;
    j["mean_true_probability"] = e.meanTrueProbability;
    Json perAction = Json::array();
    for (int a = 0; a < e.actionCount; ++a) {
        Json row = {
            {"action", a}, {"name", meta.at("action_names").at(size_t(a))}, {"pairs", e.perActionPairs[size_t(a)]}};
        row["accuracy"] =
            std::isnan(e.perActionAccuracy[size_t(a)]) ? Json(nullptr) : Json(e.perActionAccuracy[size_t(a)]);
        perAction.push_back(row);
    }
    j["per_action"] = perAction;
    Json confusion = Json::array();
    for (int64_t t = 0; t < e.actionCount; ++t) {
        Json row = Json::array();
        for (int64_t p = 0; p < e.actionCount; ++p)
            row.push_back(static_cast<int64_t>(e.confusion.ptr()[t * e.actionCount + p]));
        confusion.push_back(row);
    }
    j["confusion"] = confusion; // rows: true action, columns: predicted
    j["device"] = meta.at("device");
    j["seconds"] = seconds;
    return j.dump(2);
}

int runEvaluate(const CliArgs& args)
{
    args.allowOnly({"pairs", "seed", "dataset", "out", "shard"});
    const long long pairs = args.integer("pairs", 1000);
    if (pairs < 1 || pairs > 10000000)
        throw UsageError("--pairs must lie in 1..10000000");
    const long long seed = args.integer("seed", 0, 0, CliArgs::kMaxSeed);
    const lx::Shard shard = CliCommands::shardOf(args);
    if (args.has("shard"))
        args.require("out");
    auto model = openVq(args);
    const auto data = datasetOf(args, *model);
    const auto [first, last] = shard.slice(pairs);
    const auto start = Clock::now();
    const lx::VqEvaluation e = lx::VqPairs::evaluate(
        *model, *data, pairs, uint64_t(seed),
        [](int64_t done, int64_t total) { spdlog::info("vq-evaluate: {}/{} pairs", done, total); }, first, last);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    Json meta{{"model", model->path()}, {"dataset", data->name()}, {"seed", seed}, {"device", model->deviceName()}};
    meta["action_names"] = Json::array();
    for (int a = 0; a < e.actionCount; ++a)
        meta["action_names"].push_back(model->actionName(a));
    if (args.has("shard")) {
        // The shard's confusion counts and sum of p(true action): merged, the whole job's evaluation.
        lx::PartialResult part;
        part.job = CliCommands::jobOf(
            args, "vq-evaluate",
            {{"dataset", data->name()}, {"pairs", std::to_string(pairs)}, {"seed", std::to_string(seed)}});
        part.finish = lx::PartialSum::Finish::Sum;
        part.shard = shard;
        part.total = pairs;
        part.begin = first;
        part.end = last;
        std::vector<double> sums(e.confusion.data().begin(), e.confusion.data().end());
        sums.push_back(e.trueProbabilitySum);
        part.data = {{int64_t(sums.size())}, sums, last - first};
        part.meta = meta.dump();
        part.computeMs = seconds * 1000.0;
        part.write(args.require("out"));
        return 0;
    }
    const std::string text = evaluationReport(e, meta, seconds);
    if (args.has("out"))
        lx::AtomicFile::write(args.require("out"), text + "\n");
    std::printf("%s\n", text.c_str());
    return 0;
}

// A merge of vq-evaluate's parts: the report of the summed confusion counts (seconds: the shards' time).
void finishEvaluate(const lx::PartialResult& merged, const std::string& out)
{
    const Json meta = Json::parse(merged.meta);
    const std::vector<double>& sums = merged.data.sum;
    const auto a = static_cast<int64_t>(meta.at("action_names").size());
    if (int64_t(sums.size()) != a * a + 1)
        throw lx::Error("vq-evaluate parts: " + std::to_string(sums.size()) + " sums for " + std::to_string(a)
                        + " actions");
    lx::Array confusion({a, a});
    std::copy(sums.begin(), sums.end() - 1, confusion.data().begin());
    const int factors = a % 2 == 0 ? int(a / 2) : 0;
    const std::string text =
        evaluationReport(lx::VqPairs::fromCounts(confusion, sums.back(), factors), meta, merged.computeMs / 1000.0);
    lx::AtomicFile::write(out, text + "\n");
    std::printf("%s\n", text.c_str());
}

const char kInputs[] =
    "  --codes IDX.npy                    code indices [N, B, h, w] (float32 integer values)\n"
    "  --images X.npy                     images [N, C, H, W] in the card's output_range\n"
    "  --dataset lx-shapes --indices I    dataset images (I: 0,5,9 | 0-99 | random:N [--seed S] | all),\n"
    "                                     mapped from [0, 1] onto output_range (default dataset: the card's)\n";

} // namespace

int CliCommands::vqInfo(const CliArgs& args)
{
    auto model = openVq(args);
    const lx::Card& card = model->card();
    Json out;
    out["kind"] = lx::Card::kindName(card.kind);
    out["input_shape"] = card.inputShape;
    out["output_shape"] = card.inputShape;
    out["latent_shape"] = card.gridShape;
    out["output_range"] = {card.outputLow, card.outputHigh};
    if (!card.name.empty())
        out["name"] = card.name;
    if (!card.description.empty())
        out["description"] = card.description;
    out["grid_shape"] = card.gridShape;
    out["codebook_size"] = card.codebookSize;
    out["nodes"] = model->nodeCount();
    out["factors"] = card.factors;
    out["actions"] = card.actions;
    if (!card.dataset.empty())
        out["dataset"] = card.dataset;
    out["methods"] =
        model->hasTransition() ? Json{"encode", "decode", "transition_logits", "adjacency"} : Json{"encode", "decode"};
    out["device"] = model->deviceName();
    out["layers"] = Json::array();
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
}

std::vector<CliCommand> CliCommands::vqCommands()
{
    return {
        {"vq-encode",
         "code indices of images under a VQ-VAE (.npy)",
         std::string("Usage: latent-explorer-cli vq-encode MODEL (--images X.npy | --dataset lx-shapes --indices I)\n"
                     "                                     --out IDX.npy\n\n"
                     "Encodes images with a model of card kind \"vqvae\" into code indices IDX [N, B, h, w]\n"
                     "(grid_shape; float32 holding integers in [0, codebook_size)). Inputs:\n")
             + kInputs
             + "Prints JSON: n, grid_shape, codebook_size, distinct_codes (over the batch), out, encode_ms.\n",
         {},
         runEncode},
        {"vq-decode",
         "images of code indices under a VQ-VAE (.npy, PNG)",
         "Usage: latent-explorer-cli vq-decode MODEL --codes IDX.npy --out X.npy [--png F.png] [--scale 2]\n\n"
         "Decodes code indices IDX [N, B, h, w] (float32 integer values in [0, codebook_size)) into images\n"
         "X [N, C, H, W] in the card's output_range. --png draws them, 8 per row (gray or RGB models),\n"
         "upscaled --scale times. A code that is not an integer in range is refused, naming its position.\n"
         "Prints JSON: n, image_shape, out, png.\n",
         {},
         runDecode},
        {"vq-apply",
         "apply a causal-transition action to codes, repeatedly (.npy, PNG strip)",
         std::string("Usage: latent-explorer-cli vq-apply MODEL (--codes IDX.npy | --images X.npy |\n"
                     "                                    --dataset lx-shapes --indices I) --action NAME|INDEX\n"
                     "                                    [--steps 1] --out IDX2.npy [--trajectory-out T.npy]\n"
                     "                                    [--images-out X2.npy] [--png strip.png] [--scale 2]\n\n"
                     "Applies an action of the model's transition (CT-VAE): new codes = argmax over the codebook\n"
                     "of transition_logits(codes, onehot(action)), --steps times in a row (a trajectory). The\n"
                     "action is a name of the card's `actions` (e.g. pos_x+), an index, or `identity` (the\n"
                     "all-zero action, which gives the codes back). Inputs:\n")
             + kInputs
             + "--out gets the codes after the last step [N, B, h, w]; --trajectory-out all steps\n"
               "[N, S + 1, B, h, w] (step 0 = the input); --images-out the decoded last step; --png a strip per\n"
               "sample (first 16 samples as rows; columns step 0 .. S, decoded). Prints JSON: action,\n"
               "action_index, steps, n, changed_codes_per_step (over all samples, each step against the one\n"
               "before), first_step_changes_sample0 [{node, codebook, row, col, before, after}], apply_ms.\n",
         {},
         runApply},
        {"vq-evaluate",
         "action retrieval accuracy of a CT-VAE on dataset pairs (JSON)",
         "Usage: latent-explorer-cli vq-evaluate MODEL [--pairs 1000] [--seed 0] [--dataset lx-shapes]\n"
         "                                        [--out metrics.json] [--shard K/N]\n\n"
         "Action retrieval (Gendron et al., IJCAI 2023) on --pairs pairs (x, y) of a dataset with known\n"
         "factors (default: the card's `dataset`, else lx-shapes): y is x with one factor stepped by +1 or\n"
         "-1 (never wrapping around), the true action index F*dir + factor (dir 1 for -1). The pairs are a\n"
         "pure function of --seed. For each action a, CE_a = mean over the code nodes of the cross-entropy\n"
         "of transition_logits(encode(x), onehot(a)) against encode(y); p(a | x, y) = softmax(-CE); the\n"
         "prediction is argmax p. The model's actions must be the dataset's (A = 2F, card factors in the\n"
         "dataset's order). Prints JSON: n_pairs, seed, action_accuracy, factor_accuracy (direction\n"
         "ignored), action_chance (1/A), factor_chance (1/F), mean_true_probability, per_action [{action,\n"
         "name, pairs, accuracy}], confusion [A][A] (rows true, columns predicted), seconds; --out also\n"
         "writes it, atomically. --shard K/N (K = 0..N-1) scores only shard K's slice of the pairs (the same\n"
         "pairs as the whole job) and writes its confusion counts to --out; `merge` writes metrics.json.\n",
         {},
         runEvaluate,
         false,
         finishEvaluate},
    };
}

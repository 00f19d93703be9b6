// Module assays (Besserve et al., ICLR 2020): the module hybrid grid figure and classifier robustness
// to module hybrids.
#include "CliCommands.h"
#include "CliModuleHelpers.h"

#include "lx/AtomicFile.h"
#include "lx/Classifier.h"
#include "lx/Error.h"
#include "lx/HybridGrid.h"
#include "lx/ImageGrid.h"
#include "lx/LatentSampler.h"
#include "lx/ModuleDiscovery.h"
#include "lx/Npy.h"
#include "lx/Png.h"
#include "lx/RobustnessAssay.h"
#include "lx/SeedClasses.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>

namespace {

// "a,b,c" -> {"a", "b", "c"} (empty parts refused).
std::vector<std::string> splitList(const std::string& text, const std::string& option)
{
    std::vector<std::string> parts;
    size_t begin = 0;
    while (true) {
        const size_t comma = text.find(',', begin);
        const std::string part = text.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin);
        if (part.empty())
            throw UsageError("--" + option + ": empty entry in '" + text + "'");
        parts.push_back(part);
        if (comma == std::string::npos)
            return parts;
        begin = comma + 1;
    }
}

// --class-after-cut base|donor: whether the layers after the cut take the donor's (z2's) class.
bool classFromDonor(const CliArgs& args)
{
    const std::string afterCut = args.value("class-after-cut", "base");
    if (afterCut != "base" && afterCut != "donor")
        throw UsageError("--class-after-cut must be base or donor");
    return afterCut == "donor";
}

std::vector<int> channelsOfModule(const std::vector<int>& assignment, int module, const std::string& dir)
{
    const std::vector<std::vector<int>> modules = lx::RobustnessAssay::modulesOf(assignment);
    if (module < 0 || module >= static_cast<int>(modules.size()))
        throw lx::Error("--module " + std::to_string(module) + ": " + dir + "/modules.json has modules 0.."
                        + std::to_string(static_cast<int>(modules.size()) - 1));
    return modules[size_t(module)];
}

int runModuleGrid(const CliArgs& args)
{
    args.allowOnly({"layer", "channels", "modules", "module", "rows", "cols", "out", "npy", "scale", "padding",
                    "row-classes", "col-classes", "class-after-cut"});
    const std::string out = args.require("out");
    if (args.has("channels") == args.has("modules"))
        throw UsageError("give exactly one of --channels or --modules DIR --module K");
    if (args.has("modules") != args.has("module"))
        throw UsageError("--modules DIR and --module K go together");
    const std::vector<uint64_t> rows = CliCommands::seedList(args, "rows"), cols = CliCommands::seedList(args, "cols");
    if (rows.size() > 64 || cols.size() > 64)
        throw UsageError("--rows and --cols take at most 64 seeds each");
    const long long scale = args.integer("scale", 1), padding = args.integer("padding", 2);
    if (scale < 1 || scale > 16)
        throw UsageError("--scale must be between 1 and 16");
    if (padding < 0 || padding > 64)
        throw UsageError("--padding must be between 0 and 64");
    std::vector<int> channels;
    if (args.has("channels")) {
        channels = args.intList("channels");
    } else {
        const long long module = args.integer("module", -1, 0, 1000000);
        channels = channelsOfModule(CliModuleHelpers::readAssignment(args.require("modules")), static_cast<int>(module),
                                    args.require("modules"));
    }

    auto model = CliCommands::openModel(args);
    const int layer = model->requireLayer(args.require("layer"));
    if (args.has("modules")) {
        const std::vector<int> assignment = CliModuleHelpers::readAssignment(args.require("modules"));
        if (static_cast<int64_t>(assignment.size()) != model->layers()[size_t(layer)].channels())
            throw lx::Error(args.require("modules") + "/modules.json: the assignment lists "
                            + std::to_string(assignment.size()) + " channels but layer " + args.require("layer")
                            + " has " + std::to_string(model->layers()[size_t(layer)].channels()));
    }
    // Classes: one per seed, or one for all of an axis.
    const auto classesOf = [&](const char* option, size_t n) {
        std::vector<int> c = args.has(option) ? args.intList(option) : std::vector<int>();
        if (c.size() == 1)
            c.assign(n, c.front());
        if (!c.empty() && c.size() != n)
            throw UsageError(std::string("--") + option + " takes one class, or one per seed (" + std::to_string(n)
                             + ")");
        return c;
    };
    const lx::ClassInputs classes = lx::ClassInputs::of(classesOf("row-classes", rows.size()),
                                                        classesOf("col-classes", cols.size()), classFromDonor(args));
    const auto start = std::chrono::steady_clock::now();
    const lx::HybridGridResult grid =
        lx::HybridGrid::computeSeeds(*model, layer, channels, rows, cols, {}, nullptr, classes);
    spdlog::info("module-grid: {} x {} hybrids at layer {} ({} channels) in {:.1f} ms", rows.size(), cols.size(),
                 args.require("layer"), channels.size(), msSince(start));

    lx::ImageGridOptions options;
    options.low = model->card().outputLow;
    options.high = model->card().outputHigh;
    options.padding = static_cast<int>(padding);
    options.headerGap = std::max(2, static_cast<int>(padding));
    options.scale = static_cast<int>(scale);
    const lx::Image8 picture = lx::ImageGrid::compose(grid.figureTiles(), static_cast<int>(rows.size()) + 1,
                                                      static_cast<int>(cols.size()) + 1, options);
    if (args.has("npy"))
        lx::Npy::write(args.require("npy"), grid.hybrids);
    lx::Png::write(out, picture);
    return 0;
}

// The module assignment of one layer for the robustness assay: from DIR/modules.json, or discovered
// by NMF of the layer's influence maps over pairs drawn from `eimFirstSeed`.
struct LayerModules {
    std::vector<int> assignment;
    nlohmann::ordered_json source;
};

LayerModules discoverModules(lx::Model& model, int layer, long long k, long long pairsEim, uint64_t eimFirstSeed,
                             double sigma, double q, uint64_t seed)
{
    const lx::Array s = lx::ModuleDiscovery::preprocess(
        lx::ModuleDiscovery::seedPairMaps(model, layer, eimFirstSeed, pairsEim), sigma, q);
    lx::ModuleDiscoveryOptions options;
    options.k = static_cast<int>(k);
    options.seed = seed;
    const lx::ModuleDiscoveryResult r = lx::ModuleDiscovery::factorize(s, options);
    LayerModules out;
    out.assignment = r.assignment;
    out.source = {{"method", "nmf"},
                  {"k", k},
                  {"pairs_eim", pairsEim},
                  {"eim_first_seed", eimFirstSeed},
                  {"smooth", sigma},
                  {"threshold", q},
                  {"nmf_relative_error", r.relativeError}};
    return out;
}

nlohmann::ordered_json moduleJson(const lx::ModuleRobustness& m)
{
    nlohmann::ordered_json j;
    j["module"] = m.module;
    j["channels"] = m.channels;
    j["n"] = m.pairs;
    j["kept_fraction"] = m.keptFraction();
    j["donor_fraction"] = m.donorFraction();
    j["n_differing"] = m.differingPairs;
    j["kept_fraction_differing"] = m.keptFractionDiffering();
    j["donor_fraction_differing"] = m.donorFractionDiffering();
    return j;
}

// Pairs [begin, end) of the N pairs in z (pair i = rows i and N + i), as 2 (end - begin) rows.
lx::Array pairSlice(const lx::Array& z, int64_t n, int64_t begin, int64_t end)
{
    std::vector<int64_t> shape = z.shape();
    shape[0] = 2 * (end - begin);
    lx::Array out(shape);
    const int64_t row = z.numel() / z.dim(0);
    std::copy(z.ptr() + begin * row, z.ptr() + end * row, out.ptr());
    std::copy(z.ptr() + (n + begin) * row, z.ptr() + (n + end) * row, out.ptr() + (end - begin) * row);
    return out;
}

// The robustness report from the per-layer results; `meta` holds what is not a count (model,
// classifier, pair source, per layer its name, channels and module source). The originals come from
// the first layer's run: every layer sees the same pairs.
std::string robustnessReport(const nlohmann::json& meta, const std::vector<lx::RobustnessResult>& results,
                             double wallMs)
{
    nlohmann::ordered_json report;
    for (const char* key : {"model", "classifier", "classes", "pairs", "pair_source"})
        report[key] = meta.at(key);
    report["kept"] = "hybrid classified as x(z1), the sample that keeps the rest and receives the module";
    report["donor"] = "hybrid classified as x(z2), the sample that gives the module";
    const lx::OriginalsSummary& o = results.front().originals;
    nlohmann::ordered_json counts = nlohmann::ordered_json::object();
    for (size_t c = 0; c < o.classCounts.size(); ++c)
        counts[meta.at("classes").at(c).get<std::string>()] = o.classCounts[c];
    report["originals"] = {{"n", o.pairs},
                           {"same_class_fraction", lx::ModuleRobustness::ratio(o.sameClassPairs, o.pairs)},
                           {"mean_confidence", o.meanConfidence},
                           {"class_counts", counts}};
    report["layers"] = nlohmann::json::array();
    for (size_t l = 0; l < results.size(); ++l) {
        const nlohmann::json& layer = meta.at("layers").at(l);
        nlohmann::ordered_json layerJson;
        for (const char* key : {"layer", "channels", "modules_from"})
            layerJson[key] = layer.at(key);
        layerJson["compute_ms"] = results[l].computeMs;
        layerJson["modules"] = nlohmann::json::array();
        for (const lx::ModuleRobustness& m : results[l].modules)
            layerJson["modules"].push_back(moduleJson(m));
        report["layers"].push_back(layerJson);
    }
    report["wall_ms"] = wallMs;
    return report.dump(2) + "\n";
}

// A shard's counts as one vector of sums: the originals (pairs, same-class pairs, confidence sum, class
// counts), then per layer its time and per module (pairs, kept, donor, differing, kept and donor among
// them). robustnessResults reads them back.
std::vector<double> robustnessSums(const std::vector<lx::RobustnessResult>& results)
{
    const lx::OriginalsSummary& o = results.front().originals;
    std::vector<double> v{double(o.pairs), double(o.sameClassPairs), o.confidenceSum};
    v.insert(v.end(), o.classCounts.begin(), o.classCounts.end());
    for (const lx::RobustnessResult& r : results) {
        v.push_back(r.computeMs);
        for (const lx::ModuleRobustness& m : r.modules)
            v.insert(v.end(),
                     {double(m.pairs), double(m.kept), double(m.donor), double(m.differingPairs),
                      double(m.keptDiffering), double(m.donorDiffering)});
    }
    return v;
}

std::vector<lx::RobustnessResult> robustnessResults(const std::vector<double>& v, const nlohmann::json& meta)
{
    size_t at = 0;
    const auto next = [&] { return at < v.size() ? v[at++] : throw lx::Error("robustness parts: too few sums"); };
    const auto count = [&] { return static_cast<int64_t>(next()); };
    lx::OriginalsSummary o;
    o.pairs = count();
    o.sameClassPairs = count();
    o.confidenceSum = next();
    o.meanConfidence = o.pairs > 0 ? o.confidenceSum / double(2 * o.pairs) : 0.0;
    for (size_t c = 0; c < meta.at("classes").size(); ++c)
        o.classCounts.push_back(count());
    std::vector<lx::RobustnessResult> results;
    for (const auto& layer : meta.at("layers")) {
        lx::RobustnessResult r;
        r.originals = o;
        r.computeMs = next();
        const std::vector<std::vector<int>> modules = layer.at("module_channels").get<std::vector<std::vector<int>>>();
        for (size_t k = 0; k < modules.size(); ++k) {
            lx::ModuleRobustness m;
            m.module = int(k);
            m.channels = modules[k];
            m.pairs = count();
            m.kept = count();
            m.donor = count();
            m.differingPairs = count();
            m.keptDiffering = count();
            m.donorDiffering = count();
            r.modules.push_back(m);
        }
        results.push_back(r);
    }
    if (at != v.size())
        throw lx::Error("robustness parts: " + std::to_string(v.size() - at) + " sums left over");
    return results;
}

int runRobustness(const CliArgs& args)
{
    args.allowOnly({"classifier", "layer", "modules", "k", "pairs-eim", "smooth", "threshold", "seed", "pairs",
                    "latents", "classes", "class-after-cut", "out", "shard"});
    const auto start = std::chrono::steady_clock::now();
    const std::vector<std::string> layerNames = splitList(args.require("layer"), "layer");
    if (args.has("modules") == args.has("k"))
        throw UsageError("give exactly one of --modules DIR or --k K");
    std::vector<std::string> moduleDirs;
    if (args.has("modules")) {
        moduleDirs = splitList(args.require("modules"), "modules");
        if (moduleDirs.size() != layerNames.size())
            throw UsageError("--modules needs one DIR per --layer (comma-separated, in the same order)");
        for (const char* o : {"pairs-eim", "smooth", "threshold"}) {
            if (args.has(o))
                throw UsageError(std::string("--") + o + " applies to --k only");
        }
    }
    const long long k = args.integer("k", 0, 1, 100000), pairsEim = args.integer("pairs-eim", 64, 1, 1000000);
    const long long pairs = args.integer("pairs", 256, 1, 1000000),
                    seed = args.integer("seed", 0, 0, CliArgs::kMaxSeed);
    if (args.has("latents") && args.has("pairs"))
        throw UsageError("--latents and --pairs exclude each other");
    const double sigma = args.real("smooth", 0.0), q = args.real("threshold", 0.0);
    const lx::Shard shard = CliCommands::shardOf(args);
    if (args.has("shard"))
        args.require("out");

    auto model = CliCommands::openModel(args);
    auto classifier = lx::Classifier::load(args.require("classifier"), model->deviceName());
    classifier->requireImageShape(model->outputShape());
    std::vector<int> layers;
    for (const std::string& name : layerNames)
        layers.push_back(model->requireLayer(name));

    // The assay's pairs: --latents Z (pair i = (Z[i], Z[N+i])), or seeds S .. S+2N-1 (pair i = (S+i, S+N+i)).
    const lx::LatentSampler sampler(model->card().latentShape);
    const lx::Array latents = args.has("latents")
        ? args.npy("latents")
        : sampler.sample(lx::LatentSampler::seedRange(uint64_t(seed), 2 * pairs));
    const int64_t n = model->normalizeLatents(latents, "latents").dim(0) / 2;
    if (args.has("classes") && !args.has("latents"))
        throw UsageError("--classes goes with --latents (seed pairs are within-class pairs of class (S+i) mod K)");
    lx::RobustnessOptions options;
    options.classes = args.has("latents") ? CliCommands::classes(args, 2 * n)
                                          : lx::SeedClasses::forPairs(model->card(), uint64_t(seed), n);
    options.classFromDonor = classFromDonor(args);
    // A shard assays pairs [first, last) of the N.
    const auto [first, last] = shard.slice(n);
    const lx::Array assayed = args.has("shard") ? pairSlice(latents, n, first, last) : latents;
    if (args.has("shard") && options.classes.numel() > 0)
        options.classes = pairSlice(options.classes, n, first, last);

    nlohmann::ordered_json meta;
    meta["model"] = model->path();
    meta["classifier"] = classifier->path();
    meta["classes"] = classifier->card().classes;
    meta["pairs"] = n;
    meta["pair_source"] = args.has("latents") ? "latents " + args.require("latents") + ": pair i = (Z[i], Z[N+i])"
                                              : "seeds " + std::to_string(seed) + ".."
            + std::to_string(seed + 2 * pairs - 1) + ": pair i = (seed S+i, seed S+N+i)";
    meta["layers"] = nlohmann::json::array();
    std::vector<lx::RobustnessResult> results;
    std::string assignments;
    for (size_t l = 0; l < layers.size(); ++l) {
        const int layer = layers[l];
        LayerModules modules;
        if (args.has("modules")) {
            modules.assignment = CliModuleHelpers::readAssignment(moduleDirs[l]);
            modules.source = {{"modules", moduleDirs[l] + "/modules.json"}};
        } else {
            // Discovery pairs are independent of the assay's: the seeds after them.
            modules = discoverModules(*model, layer, k, pairsEim, uint64_t(seed + 2 * pairs), sigma, q, uint64_t(seed));
        }
        const std::vector<std::vector<int>> channels = lx::RobustnessAssay::modulesOf(modules.assignment);
        meta["layers"].push_back({{"layer", layerNames[l]},
                                  {"channels", model->layers()[size_t(layer)].channels()},
                                  {"modules_from", modules.source},
                                  {"module_channels", channels}});
        for (int a : modules.assignment)
            assignments += std::to_string(a) + ",";
        assignments += ";";
        if (last == first) {
            // An empty shard: no pairs, the modules with zero counts.
            lx::RobustnessResult none;
            none.originals.classCounts.assign(classifier->card().classes.size(), 0);
            for (size_t m = 0; m < channels.size(); ++m)
                none.modules.push_back({int(m), channels[m]});
            results.push_back(none);
            continue;
        }
        results.push_back(lx::RobustnessAssay::run(
            *model, *classifier, layer, modules.assignment, assayed, options, [&](long long done, long long total) {
                spdlog::info("robustness {}: {}/{} pairs", layerNames[l], done, total);
            }));
    }
    if (!args.has("shard")) {
        const std::string text = robustnessReport(meta, results, msSince(start));
        if (args.has("out"))
            lx::AtomicFile::write(args.require("out"), text);
        std::fputs(text.c_str(), stdout);
        return 0;
    }
    lx::PartialResult part;
    std::vector<std::pair<std::string, std::string>> job{CliCommands::fileHash(args, "classifier"),
                                                         {"layer", args.require("layer")},
                                                         {"module_assignments", assignments},
                                                         {"pairs", std::to_string(n)},
                                                         {"class_after_cut", args.value("class-after-cut", "base")}};
    if (args.has("latents"))
        job.push_back(CliCommands::fileHash(args, "latents"));
    else
        job.push_back({"seed", std::to_string(seed)});
    if (args.has("classes"))
        job.push_back(CliCommands::fileHash(args, "classes"));
    part.job = CliCommands::jobOf(args, "robustness", job);
    part.finish = lx::PartialSum::Finish::Sum;
    part.shard = shard;
    part.total = n;
    part.begin = first;
    part.end = last;
    const std::vector<double> sums = robustnessSums(results);
    part.data = {{int64_t(sums.size())}, sums, last - first};
    part.meta = meta.dump();
    part.computeMs = msSince(start);
    spdlog::info("robustness: shard {} (pairs {}-{}) in {:.1f} ms", shard.text(), first, last, part.computeMs);
    part.write(args.require("out"));
    return 0;
}

// A merge of robustness's parts: the report the unsharded command writes (and prints), its counts the
// sums of the shards' (wall_ms and each layer's compute_ms: the shards' times added up).
void finishRobustness(const lx::PartialResult& merged, const std::string& out)
{
    const nlohmann::json meta = nlohmann::json::parse(merged.meta);
    const std::string text = robustnessReport(meta, robustnessResults(merged.data.sum, meta), merged.computeMs);
    lx::AtomicFile::write(out, text);
    std::fputs(text.c_str(), stdout);
}

} // namespace

std::vector<CliCommand> CliCommands::moduleAssayCommands()
{
    return {
        {"module-grid",
         "module hybrid grid figure: rows z1, columns z2 (PNG)",
         "Usage: latent-explorer-cli module-grid MODEL --layer L (--channels 3,5-9 | --modules DIR --module K)\n"
         "                                      --rows SEEDS --cols SEEDS --out GRID.png [--npy X.npy]\n"
         "                                      [--scale 2] [--padding 2]\n"
         "                                      [--row-classes C] [--col-classes C] [--class-after-cut base|donor]\n\n"
         "The hybridization figure of Besserve et al.: cell (i, j) is the hybrid that takes the channels of\n"
         "layer L listed by --channels (or module K of DIR/modules.json, as `modules` writes it; K counts\n"
         "from 0 as in its assignment) from the column sample z2_j and the rest from the row sample z1_i.\n"
         "The first row shows the donors x(z2_j), the first column the originals x(z1_i), set apart by a\n"
         "wider gap. SEEDS are lists and ranges as for `sample --seeds` (at most 64). Pixels are mapped\n"
         "from the card's output_range to 0..255 (gray, or RGB for 3-channel outputs); --scale upscales\n"
         "by an integer factor. --npy also writes the hybrids, (rows, cols, *output_shape), raw units.\n"
         "A class-conditional model needs --row-classes and --col-classes (one class for the axis, or one\n"
         "per seed); --class-after-cut donor gives the layers after L the column's class.\n",
         {},
         runModuleGrid},
        {"robustness",
         "classifier robustness to module hybrids, per layer and module (JSON)",
         "Usage: latent-explorer-cli robustness MODEL --classifier C.pt --layer L[,L2...]\n"
         "           (--modules DIR[,DIR2...] | --k K [--pairs-eim P] [--smooth S] [--threshold Q])\n"
         "           [--pairs N | --latents Z.npy [--classes C.npy]] [--seed S] [--out R.json]\n"
         "           [--class-after-cut base|donor] [--shard K/N]\n\n"
         "Besserve et al.'s robustness assay: for N pairs (z1, z2) and every module E of each layer, the\n"
         "hybrid takes E from z2 and the rest from z1. C.pt is a classifier (card kind \"classifier\",\n"
         "models/CONTRACT.md; the generator's output_range is mapped onto its input_range). Per module the\n"
         "JSON gives channels, n, kept_fraction (hybrid classified as x(z1)), donor_fraction (as x(z2)),\n"
         "and the same over the n_differing pairs whose originals get different classes; plus what the\n"
         "classifier makes of the originals (class counts, same-class fraction, mean confidence).\n"
         "Pairs: seeds S..S+2N-1, pair i = (S+i, S+N+i) (default N = 256, S = 0), or --latents Z.npy\n"
         "(2N latents, pair i = (Z[i], Z[N+i]); a class-conditional model's classes in C.npy, one per\n"
         "latent; seed pairs are within-class pairs of class (S+i) mod K). Modules: DIR/modules.json per layer, or NMF "
         "with rank K\n"
         "of the layer's influence maps over P pairs (default 64) from the seeds after the assay's, with\n"
         "optional smoothing/threshold as in `modules`. Several layers are comma-separated. Prints the\n"
         "JSON; --out also writes it. --shard K/N (K = 0..N-1) assays only shard K's slice of the pairs (the\n"
         "modules are found as without it) and writes its counts to --out; `merge` writes R.json.\n",
         {},
         runRobustness,
         false,
         finishRobustness},
    };
}

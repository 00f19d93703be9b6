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
#include "lx/Nmf.h"
#include "lx/Npy.h"
#include "lx/Png.h"
#include "lx/RobustnessAssay.h"
#include "lx/SeedClasses.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>

namespace {

double msSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

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
            throw lx::Error(args.require("modules") + "/modules.json: the assignment lists " + std::to_string(assignment.size())
                            + " channels but layer " + args.require("layer") + " has "
                            + std::to_string(model->layers()[size_t(layer)].channels()));
    }
    // Classes: one per seed, or one for all of an axis.
    const auto classesOf = [&](const char* option, size_t n) {
        std::vector<int> c = args.has(option) ? args.intList(option) : std::vector<int>();
        if (c.size() == 1)
            c.assign(n, c.front());
        if (!c.empty() && c.size() != n)
            throw UsageError(std::string("--") + option + " takes one class, or one per seed (" + std::to_string(n) + ")");
        return c;
    };
    const lx::ClassInputs classes = lx::ClassInputs::of(classesOf("row-classes", rows.size()),
                                                        classesOf("col-classes", cols.size()), classFromDonor(args));
    const auto start = std::chrono::steady_clock::now();
    const lx::HybridGridResult grid = lx::HybridGrid::computeSeeds(*model, layer, channels, rows, cols, {}, nullptr, classes);
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
    const lx::Array s = CliModuleHelpers::preprocessedMaps(model, layer, eimFirstSeed, pairsEim, sigma, q);
    lx::NmfOptions options;
    options.k = static_cast<int>(k);
    options.seed = seed;
    const lx::NmfResult r = lx::Nmf::factorize(s, options);
    LayerModules out;
    out.assignment = r.assignment;
    out.source = {{"method", "nmf"}, {"k", k}, {"pairs_eim", pairsEim}, {"eim_first_seed", eimFirstSeed},
                  {"smooth", sigma}, {"threshold", q}, {"nmf_relative_error", r.relativeError}};
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

int runRobustness(const CliArgs& args)
{
    args.allowOnly({"classifier", "layer", "modules", "k", "pairs-eim", "smooth", "threshold", "seed", "pairs",
                    "latents", "classes", "class-after-cut", "out"});
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
    const long long pairs = args.integer("pairs", 256, 1, 1000000), seed = args.integer("seed", 0, 0, CliArgs::kMaxSeed);
    if (args.has("latents") && args.has("pairs"))
        throw UsageError("--latents and --pairs exclude each other");
    const double sigma = args.real("smooth", 0.0), q = args.real("threshold", 0.0);

    auto model = CliCommands::openModel(args);
    auto classifier = lx::Classifier::load(args.require("classifier"), model->deviceName());
    classifier->requireImageShape(model->outputShape());
    std::vector<int> layers;
    for (const std::string& name : layerNames)
        layers.push_back(model->requireLayer(name));

    // The assay's pairs: --latents Z (pair i = (Z[i], Z[N+i])), or seeds S .. S+2N-1 (pair i = (S+i, S+N+i)).
    const lx::LatentSampler sampler(model->card().latentShape);
    const lx::Array latents = args.has("latents") ? args.npy("latents")
                                                  : sampler.sample(lx::LatentSampler::seedRange(uint64_t(seed), 2 * pairs));
    const int64_t n = model->normalizeLatents(latents, "latents").dim(0) / 2;
    if (args.has("classes") && !args.has("latents"))
        throw UsageError("--classes goes with --latents (seed pairs are within-class pairs of class (S+i) mod K)");
    lx::RobustnessOptions options;
    options.classes = args.has("latents") ? CliCommands::classes(args, 2 * n)
                                          : lx::SeedClasses::forPairs(model->card(), uint64_t(seed), n);
    options.classFromDonor = classFromDonor(args);

    nlohmann::ordered_json report;
    report["model"] = model->path();
    report["classifier"] = classifier->path();
    report["classes"] = classifier->card().classes;
    report["pairs"] = n;
    report["pair_source"] = args.has("latents") ? "latents " + args.require("latents") + ": pair i = (Z[i], Z[N+i])"
                                                : "seeds " + std::to_string(seed) + ".." + std::to_string(seed + 2 * pairs - 1)
                                                      + ": pair i = (seed S+i, seed S+N+i)";
    report["kept"] = "hybrid classified as x(z1), the sample that keeps the rest and receives the module";
    report["donor"] = "hybrid classified as x(z2), the sample that gives the module";
    report["originals"] = nullptr;   // filled from the first layer's run (the same pairs for every layer)
    report["layers"] = nlohmann::json::array();
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
        const lx::RobustnessResult r = lx::RobustnessAssay::run(
            *model, *classifier, layer, modules.assignment, latents, options, [&](long long done, long long total) {
                spdlog::info("robustness {}: {}/{} pairs", layerNames[l], done, total);
            });
        if (l == 0) {
            const lx::OriginalsSummary& o = r.originals;
            nlohmann::ordered_json counts = nlohmann::ordered_json::object();
            for (size_t c = 0; c < o.classCounts.size(); ++c)
                counts[classifier->card().classes[c]] = o.classCounts[c];
            report["originals"] = {{"n", o.pairs},
                                   {"same_class_fraction", lx::ModuleRobustness::ratio(o.sameClassPairs, o.pairs)},
                                   {"mean_confidence", o.meanConfidence},
                                   {"class_counts", counts}};
        }
        nlohmann::ordered_json layerJson;
        layerJson["layer"] = layerNames[l];
        layerJson["channels"] = model->layers()[size_t(layer)].channels();
        layerJson["modules_from"] = modules.source;
        layerJson["compute_ms"] = r.computeMs;
        layerJson["modules"] = nlohmann::json::array();
        for (const lx::ModuleRobustness& m : r.modules)
            layerJson["modules"].push_back(moduleJson(m));
        report["layers"].push_back(layerJson);
    }
    report["wall_ms"] = msSince(start);
    const std::string text = report.dump(2) + "\n";
    if (args.has("out"))
        lx::AtomicFile::write(args.require("out"), text);
    std::fputs(text.c_str(), stdout);
    return 0;
}

} // namespace

std::vector<CliCommand> CliCommands::moduleAssayCommands()
{
    return {
        {"module-grid", "module hybrid grid figure: rows z1, columns z2 (PNG)",
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
         {}, runModuleGrid},
        {"robustness", "classifier robustness to module hybrids, per layer and module (JSON)",
         "Usage: latent-explorer-cli robustness MODEL --classifier C.pt --layer L[,L2...]\n"
         "           (--modules DIR[,DIR2...] | --k K [--pairs-eim P] [--smooth S] [--threshold Q])\n"
         "           [--pairs N | --latents Z.npy [--classes C.npy]] [--seed S] [--out R.json]\n"
         "           [--class-after-cut base|donor]\n\n"
         "Besserve et al.'s robustness assay: for N pairs (z1, z2) and every module E of each layer, the\n"
         "hybrid takes E from z2 and the rest from z1. C.pt is a classifier (card kind \"classifier\",\n"
         "models/CONTRACT.md; the generator's output_range is mapped onto its input_range). Per module the\n"
         "JSON gives channels, n, kept_fraction (hybrid classified as x(z1)), donor_fraction (as x(z2)),\n"
         "and the same over the n_differing pairs whose originals get different classes; plus what the\n"
         "classifier makes of the originals (class counts, same-class fraction, mean confidence).\n"
         "Pairs: seeds S..S+2N-1, pair i = (S+i, S+N+i) (default N = 256, S = 0), or --latents Z.npy\n"
         "(2N latents, pair i = (Z[i], Z[N+i]); a class-conditional model's classes in C.npy, one per\n"
         "latent; seed pairs are within-class pairs of class (S+i) mod K). Modules: DIR/modules.json per layer, or NMF with rank K\n"
         "of the layer's influence maps over P pairs (default 64) from the seeds after the assay's, with\n"
         "optional smoothing/threshold as in `modules`. Several layers are comma-separated. Prints the\n"
         "JSON; --out also writes it.\n",
         {}, runRobustness},
    };
}

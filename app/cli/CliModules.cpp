// influence and modules (Besserve et al., ICLR 2020): CLI contract v1.
#include "CliCommands.h"
#include "CliModuleHelpers.h"

#include "lx/Error.h"
#include "lx/EimPreprocess.h"
#include "lx/InfluenceEngine.h"
#include "lx/KMeans.h"
#include "lx/LatentSampler.h"
#include "lx/SeedClasses.h"
#include "lx/ModuleConsistency.h"
#include "lx/Nmf.h"
#include "lx/Npy.h"
#include "lx/AtomicFile.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>

lx::Array CliModuleHelpers::preprocessedMaps(lx::Model& model, int layer, uint64_t first, int64_t pairs, double sigma, double q)
{
    const lx::Array latents
        = lx::LatentSampler(model.card().latentShape).sample(lx::LatentSampler::seedRange(first, 2 * pairs));
    const lx::Array eim = lx::InfluenceEngine::elementaryMaps(model, layer, latents,
                                                              lx::SeedClasses::forPairs(model.card(), first, pairs), {});
    return lx::EimPreprocess::threshold(eim.rank() == 3 ? lx::EimPreprocess::smooth(eim, sigma) : eim, q);
}

std::vector<int> CliModuleHelpers::readAssignment(const std::string& dir)
{
    const std::string path = dir + "/modules.json";
    nlohmann::json report;
    try {
        report = nlohmann::json::parse(lx::AtomicFile::read(path));
    } catch (const nlohmann::json::parse_error& e) {
        throw lx::Error(path + ": not valid JSON (" + lx::firstLine(e.what()) + ")");
    }
    if (!report.is_object() || !report.contains("assignment") || !report["assignment"].is_array())
        throw lx::Error(path + ": no 'assignment' list (write it with the modules command)");
    std::vector<int> assignment;
    for (const nlohmann::json& m : report["assignment"]) {
        if (!m.is_number_integer() || m.get<long long>() < -1 || m.get<long long>() > 1000000)
            throw lx::Error(path + ": 'assignment' must hold module numbers (integers >= 0)");
        assignment.push_back(m.get<int>());
    }
    if (assignment.empty())
        throw lx::Error(path + ": 'assignment' is empty");
    return assignment;
}

namespace {

int runInfluence(const CliArgs& args)
{
    args.allowOnly({"layer", "latents", "classes", "out", "plain"});
    const std::string out = args.require("out");
    const lx::Array latents = args.npy("latents");
    const lx::Array classes = CliCommands::classes(args, latents.rank() > 0 ? latents.dim(0) : 0);
    auto model = CliCommands::openModel(args);
    const int layer = model->requireLayer(args.require("layer"));
    const auto start = std::chrono::steady_clock::now();
    const auto progress = [](long long done, long long total) { spdlog::info("influence: {}/{}", done, total); };
    const lx::Array eim = args.flag("plain")
        ? lx::InfluenceEngine::elementaryMapsPlain(*model, layer, latents, 16, nullptr, classes)
        : lx::InfluenceEngine::elementaryMaps(*model, layer, latents, classes, {}, progress);
    spdlog::info("influence: layer {} ({} channels, {} pairs) in {:.1f} ms", args.require("layer"), eim.dim(0),
                 latents.dim(0) / 2, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    lx::Npy::write(out, eim);
    return 0;
}

int runModules(const CliArgs& args)
{
    args.allowOnly({"eim", "k", "seed", "smooth", "threshold", "out", "method", "init", "max-iter"});
    const std::string dir = args.require("out");
    if (!args.has("k"))
        throw UsageError("missing required option --k");
    const long long k = args.integer("k", 0, 1, 100000);
    const long long seed = args.integer("seed", 0, 0, CliArgs::kMaxSeed);
    const std::string method = args.value("method", "nmf");
    if (method != "nmf" && method != "kmeans")
        throw UsageError("--method must be nmf or kmeans");
    const std::string init = args.value("init", "nndsvda");
    if (init != "nndsvda" && init != "random")
        throw UsageError("--init must be nndsvda or random");
    const double sigma = args.real("smooth", 0.0), q = args.real("threshold", 0.0);

    lx::Array eim = args.npy("eim");
    if (eim.rank() < 2)
        throw lx::Error(args.require("eim") + ": expected influence maps (channels, H, W), got shape "
                        + lx::Array::shapeString(eim.shape()));
    eim.requireFinite(args.require("eim"));
    if (sigma > 0.0 && eim.rank() != 3)
        throw lx::Error("--smooth needs maps of shape (channels, H, W), got " + lx::Array::shapeString(eim.shape()));
    const lx::Array s = lx::EimPreprocess::threshold(lx::EimPreprocess::smooth(eim, sigma), q);

    nlohmann::ordered_json report;
    report["method"] = method;
    report["k"] = k;
    report["seed"] = seed;
    report["smooth"] = sigma;
    report["threshold"] = q;
    lx::Array w, h;
    const auto start = std::chrono::steady_clock::now();
    if (method == "nmf") {
        lx::NmfOptions options;
        options.k = static_cast<int>(k);
        options.seed = static_cast<uint64_t>(seed);
        options.init = init == "random" ? lx::NmfInit::Random : lx::NmfInit::Nndsvda;
        options.maxIterations = static_cast<int>(args.integer("max-iter", options.maxIterations, 1, 1000000));
        const lx::NmfResult r = lx::Nmf::factorize(s, options);
        w = r.w;
        h = r.h;
        report["init"] = init;
        report["assignment"] = r.assignment;
        report["error"] = r.frobeniusError;
        report["relative_error"] = r.relativeError;
        report["iterations"] = r.iterations;
    } else {
        const lx::KMeansResult r = lx::KMeans::cluster(s, static_cast<int>(k), static_cast<uint64_t>(seed));
        // W is the one-hot membership and H the centroids, so the files read the same as for NMF.
        w = lx::Array({s.dim(0), k});
        for (size_t c = 0; c < r.assignment.size(); ++c)
            w.data()[c * static_cast<size_t>(k) + static_cast<size_t>(r.assignment[c])] = 1.0f;
        h = r.centroids;
        report["assignment"] = r.assignment;
        report["error"] = r.inertia;
        report["error_kind"] = "inertia (sum of squared distances to centroids)";
        report["iterations"] = r.iterations;
    }
    report["fit_ms"] = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        throw lx::Error("cannot create " + dir + ": " + ec.message());
    lx::Npy::write(dir + "/W.npy", w);
    lx::Npy::write(dir + "/H.npy", h);
    lx::AtomicFile::write(dir + "/modules.json", report.dump(2) + "\n");
    return 0;
}

int runConsistency(const CliArgs& args)
{
    args.allowOnly({"layer", "pairs", "seed", "kmin", "kmax", "smooth", "threshold", "out"});
    const std::string out = args.require("out");
    const long long pairs = args.integer("pairs", 64, 1, 1000000), seed = args.integer("seed", 0, 0, CliArgs::kMaxSeed);
    const long long kMin = args.integer("kmin", 2, 1, 100000), kMax = args.integer("kmax", 8, 1, 100000);
    const double sigma = args.real("smooth", 0.0), q = args.real("threshold", 0.0);
    auto model = CliCommands::openModel(args);
    const int layer = model->requireLayer(args.require("layer"));
    // Two independent sets of pairs: seeds [seed, seed + 2N) and [seed + 2N, seed + 4N).
    const auto mapsOf = [&](uint64_t first) {
        return CliModuleHelpers::preprocessedMaps(*model, layer, first, pairs, sigma, q);
    };
    const lx::Array a = mapsOf(static_cast<uint64_t>(seed)), b = mapsOf(static_cast<uint64_t>(seed + 2 * pairs));
    const auto points = lx::ModuleConsistency::curve(a, b, static_cast<int>(kMin), static_cast<int>(std::min<long long>(kMax, a.dim(0))),
                                                     static_cast<uint64_t>(seed));
    nlohmann::ordered_json report;
    report["layer"] = args.require("layer");
    report["pairs_per_set"] = pairs;
    report["seed"] = seed;
    report["smooth"] = sigma;
    report["threshold"] = q;
    report["curve"] = nlohmann::json::array();
    for (const lx::ConsistencyPoint& p : points)
        report["curve"].push_back({{"k", p.k}, {"nmf", p.nmf}, {"kmeans", p.kmeans}, {"nmf_relative_error", p.nmfRelativeError}});
    lx::AtomicFile::write(out, report.dump(2) + "\n");
    return 0;
}

} // namespace

std::vector<CliCommand> CliCommands::moduleCommands()
{
    return {
        {"influence", "elementary influence maps of a layer's channels (.npy)",
         "Usage: latent-explorer-cli influence MODEL --layer L --latents Z.npy [--classes C.npy] --out EIM.npy [--plain]\n\n"
         "Per-channel influence maps (channels of L, H, W): for pair i = (Z[i], Z[N+i]), the mean over\n"
         "pairs of |hybrid - G(Z[i])| where the hybrid takes channel c of layer L from Z[N+i], averaged\n"
         "over the output colour channels (Besserve et al., ICLR 2020). The prefix up to L is computed once\n"
         "per chunk of pairs, many channels share one suffix pass, and when the next layer is a Conv2d,\n"
         "ConvTranspose2d or Linear only the swapped channel's contribution to it is computed. --plain uses\n"
         "a full forward pass per channel instead (same result, for comparison).\n",
         {"plain"}, runInfluence},
        {"modules", "module discovery by NMF (or k-means) of influence maps",
         "Usage: latent-explorer-cli modules --eim EIM.npy --k K --out DIR [--seed S] [--smooth SIGMA]\n"
         "                                  [--threshold Q] [--method nmf|kmeans] [--init nndsvda|random]\n"
         "                                  [--max-iter N]\n\n"
         "Optionally smooths each map with a Gaussian of SIGMA pixels and zeroes values below each map's\n"
         "Q-quantile (0 = off for both; these defaults are ours, the paper's constants are unverified), then\n"
         "factorises the (channels x pixels) matrix S ~ W H with rank K (HALS, NNDSVDa initialisation by\n"
         "default; the seed drives --init random and k-means). Channel c joins module argmax_k W[c, k].\n"
         "Writes DIR/W.npy (channels, K), DIR/H.npy (K, pixels) and DIR/modules.json (assignment, error,\n"
         "relative_error, iterations and the parameters). --method kmeans clusters the same vectors\n"
         "instead: W is then the one-hot membership, H the centroids and error the inertia.\n",
         {}, runModules},
        {"consistency", "module consistency over K, NMF vs k-means (JSON)",
         "Usage: latent-explorer-cli consistency MODEL --layer L --out CURVE.json [--pairs N] [--seed S]\n"
         "                                      [--kmin 2] [--kmax 8] [--smooth SIGMA] [--threshold Q]\n\n"
         "Computes the influence maps of layer L on two independent sets of N pairs (seeds S.. and S+2N..),\n"
         "factorises each for every K in [kmin, kmax], matches the two sets' templates one to one and\n"
         "reports their mean cosine similarity, for NMF and for k-means (Besserve et al.'s consistency\n"
         "criterion for choosing K). Default N = 64.\n",
         {}, runConsistency},
    };
}

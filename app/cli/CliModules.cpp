// influence and modules (Besserve et al., ICLR 2020): CLI contract v1.
#include "CliCommands.h"
#include "CliModuleHelpers.h"

#include "lx/Error.h"
#include "lx/InfluenceEngine.h"
#include "lx/ModuleConsistency.h"
#include "lx/ModuleDiscovery.h"
#include "lx/Npy.h"
#include "lx/AtomicFile.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <tuple>
#include <filesystem>

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
    args.allowOnly({"layer", "latents", "classes", "out", "plain", "shard"});
    const std::string out = args.require("out");
    const lx::Shard shard = CliCommands::shardOf(args);
    if (args.has("shard") && args.flag("plain"))
        throw UsageError("--shard works with the fast path only, not with --plain");
    const lx::Array latents = args.npy("latents");
    const lx::Array classes = CliCommands::classes(args, latents.rank() > 0 ? latents.dim(0) : 0);
    auto model = CliCommands::openModel(args);
    const int layer = model->requireLayer(args.require("layer"));
    const auto start = std::chrono::steady_clock::now();
    const auto progress = [](long long done, long long total) { spdlog::info("influence: {}/{}", done, total); };
    if (args.has("shard")) {
        // A deterministic slice of the pairs, cut on the engine's pair chunks, written as sums.
        lx::PartialResult part;
        std::vector<std::pair<std::string, std::string>> inputs{{"layer", args.require("layer")},
                                                                CliCommands::fileHash(args, "latents")};
        if (args.has("classes"))
            inputs.push_back(CliCommands::fileHash(args, "classes"));
        part.job = CliCommands::jobOf(args, "influence", inputs);
        part.finish = lx::PartialSum::Finish::Mean;
        part.shard = shard;
        part.total = latents.rank() > 0 ? latents.dim(0) / 2 : 0;
        lx::InfluenceOptions options;
        std::tie(part.begin, part.end) = shard.slice(part.total, options.pairChunk);
        options.pairBegin = part.begin;
        options.pairEnd = part.end;
        part.data = lx::InfluenceEngine::elementaryMapSum(*model, layer, latents, classes, options, progress);
        part.computeMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        spdlog::info("influence: shard {} (pairs {}-{}) in {:.1f} ms", shard.text(), part.begin, part.end,
                     part.computeMs);
        part.write(out);
        return 0;
    }
    const lx::Array eim = args.flag("plain")
        ? lx::InfluenceEngine::elementaryMapsPlain(*model, layer, latents, 16, nullptr, classes)
        : lx::InfluenceEngine::elementaryMaps(*model, layer, latents, classes, {}, progress);
    spdlog::info("influence: layer {} ({} channels, {} pairs) in {:.1f} ms", args.require("layer"), eim.dim(0),
                 latents.dim(0) / 2,
                 std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
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
    const lx::Array s = lx::ModuleDiscovery::preprocess(eim, sigma, q);

    nlohmann::ordered_json report;
    report["method"] = method;
    report["k"] = k;
    report["seed"] = seed;
    report["smooth"] = sigma;
    report["threshold"] = q;
    lx::ModuleDiscoveryOptions options;
    options.method = method == "nmf" ? lx::ModuleMethod::Nmf : lx::ModuleMethod::KMeans;
    options.k = static_cast<int>(k);
    options.seed = static_cast<uint64_t>(seed);
    options.init = init == "random" ? lx::NmfInit::Random : lx::NmfInit::Nndsvda;
    if (method == "nmf")
        options.maxIterations = static_cast<int>(args.integer("max-iter", options.maxIterations, 1, 1000000));
    const auto start = std::chrono::steady_clock::now();
    const lx::ModuleDiscoveryResult r = lx::ModuleDiscovery::factorize(s, options);
    if (method == "nmf")
        report["init"] = init;
    report["assignment"] = r.assignment;
    report["error"] = r.error;
    if (method == "nmf")
        report["relative_error"] = r.relativeError;
    else
        report["error_kind"] = "inertia (sum of squared distances to centroids)";
    report["iterations"] = r.iterations;
    report["fit_ms"] = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        throw lx::Error("cannot create " + dir + ": " + ec.message());
    lx::Npy::write(dir + "/W.npy", r.w);
    lx::Npy::write(dir + "/H.npy", r.h);
    lx::AtomicFile::write(dir + "/modules.json", report.dump(2) + "\n");
    return 0;
}

// The JSON `consistency` writes: the parameters (meta) and one curve point per K, each [nmf, kmeans,
// nmf_relative_error] (a row of `points`).
std::string consistencyReport(const nlohmann::json& meta, int kMin, const std::vector<double>& points)
{
    nlohmann::ordered_json report;
    for (const char* key : {"layer", "pairs_per_set", "seed", "smooth", "threshold"})
        report[key] = meta.at(key);
    report["curve"] = nlohmann::json::array();
    for (size_t i = 0; i + 2 < points.size(); i += 3)
        report["curve"].push_back({{"k", kMin + int(i / 3)},
                                   {"nmf", points[i]},
                                   {"kmeans", points[i + 1]},
                                   {"nmf_relative_error", points[i + 2]}});
    return report.dump(2) + "\n";
}

int runConsistency(const CliArgs& args)
{
    args.allowOnly({"layer", "pairs", "seed", "kmin", "kmax", "smooth", "threshold", "out", "shard"});
    const std::string out = args.require("out");
    const long long pairs = args.integer("pairs", 64, 1, 1000000), seed = args.integer("seed", 0, 0, CliArgs::kMaxSeed);
    const long long kMin = args.integer("kmin", 2, 1, 100000), kMax = args.integer("kmax", 8, 1, 100000);
    const double sigma = args.real("smooth", 0.0), q = args.real("threshold", 0.0);
    const lx::Shard shard = CliCommands::shardOf(args);
    const auto start = std::chrono::steady_clock::now();
    auto model = CliCommands::openModel(args);
    const int layer = model->requireLayer(args.require("layer"));
    // K runs over [kmin, min(kmax, channels)]; a shard takes a slice of these K values.
    const int kLast = static_cast<int>(std::min<long long>(kMax, model->layers()[size_t(layer)].channels()));
    if (kLast < kMin)
        throw lx::Error("consistency: need 1 <= kmin <= kmax, got " + std::to_string(kMin) + ".."
                        + std::to_string(kLast));
    const int64_t kCount = kLast - kMin + 1;
    const auto [first, last] = shard.slice(kCount);
    const nlohmann::json meta{{"layer", args.require("layer")},
                              {"pairs_per_set", pairs},
                              {"seed", seed},
                              {"smooth", sigma},
                              {"threshold", q},
                              {"kmin", kMin}};
    std::vector<double> points;
    if (last > first) {
        // Two independent sets of pairs: seeds [seed, seed + 2N) and [seed + 2N, seed + 4N).
        const auto mapsOf = [&](uint64_t firstSeed) {
            return lx::ModuleDiscovery::preprocess(lx::ModuleDiscovery::seedPairMaps(*model, layer, firstSeed, pairs),
                                                   sigma, q);
        };
        const lx::Array a = mapsOf(static_cast<uint64_t>(seed)), b = mapsOf(static_cast<uint64_t>(seed + 2 * pairs));
        for (const lx::ConsistencyPoint& p :
             lx::ModuleConsistency::curve(a, b, int(kMin + first), int(kMin + last - 1), static_cast<uint64_t>(seed)))
            points.insert(points.end(), {p.nmf, p.kmeans, p.nmfRelativeError});
    }
    if (!args.has("shard")) {
        lx::AtomicFile::write(out, consistencyReport(meta, int(kMin), points));
        return 0;
    }
    // The shard's curve points fill their own rows of a [K values, 3] sum: merged, the whole curve.
    lx::PartialResult part;
    part.job = CliCommands::jobOf(args, "consistency",
                                  {{"layer", args.require("layer")},
                                   {"pairs", std::to_string(pairs)},
                                   {"seed", std::to_string(seed)},
                                   {"kmin", std::to_string(kMin)},
                                   {"kmax", std::to_string(kMax)},
                                   {"smooth", meta["smooth"].dump()},
                                   {"threshold", meta["threshold"].dump()}});
    part.finish = lx::PartialSum::Finish::Sum;
    part.shard = shard;
    part.total = kCount;
    part.begin = first;
    part.end = last;
    part.data.count = last - first;
    if (part.data.count > 0) {
        part.data.shape = {kCount, 3};
        part.data.sum.assign(size_t(kCount * 3), 0.0);
        std::copy(points.begin(), points.end(), part.data.sum.begin() + first * 3);
    }
    part.meta = meta.dump();
    part.computeMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    spdlog::info("consistency: shard {} (K {}-{}) in {:.1f} ms", shard.text(), kMin + first, kMin + last - 1,
                 part.computeMs);
    part.write(out);
    return 0;
}

// A merge of consistency's parts: the curve JSON the unsharded command writes.
void finishConsistency(const lx::PartialResult& merged, const std::string& out)
{
    const nlohmann::json meta = nlohmann::json::parse(merged.meta);
    lx::AtomicFile::write(out, consistencyReport(meta, meta.at("kmin").get<int>(), merged.data.sum));
}

} // namespace

std::vector<CliCommand> CliCommands::moduleCommands()
{
    return {
        {"influence",
         "elementary influence maps of a layer's channels (.npy)",
         "Usage: latent-explorer-cli influence MODEL --layer L --latents Z.npy [--classes C.npy] --out EIM.npy "
         "[--plain]\n"
         "           [--shard K/N]\n\n"
         "Per-channel influence maps (channels of L, H, W): for pair i = (Z[i], Z[N+i]), the mean over\n"
         "pairs of |hybrid - G(Z[i])| where the hybrid takes channel c of layer L from Z[N+i], averaged\n"
         "over the output colour channels (Besserve et al., ICLR 2020). The prefix up to L is computed once\n"
         "per chunk of pairs, many channels share one suffix pass, and when the next layer is a Conv2d,\n"
         "ConvTranspose2d or Linear only the swapped channel's contribution to it is computed. --plain uses\n"
         "a full forward pass per channel instead (same result, for comparison).\n"
         "--shard K/N (K = 0..N-1) does only shard K's slice of the pairs (whole chunks of 16) and writes\n"
         "its sums to --out instead of the maps; `merge` turns the N parts into EIM.npy.\n",
         {"plain"},
         runInfluence,
         false,
         CliCommands::mergeToNpy},
        {"modules",
         "module discovery by NMF (or k-means) of influence maps",
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
         {},
         runModules},
        {"consistency",
         "module consistency over K, NMF vs k-means (JSON)",
         "Usage: latent-explorer-cli consistency MODEL --layer L --out CURVE.json [--pairs N] [--seed S]\n"
         "                                      [--kmin 2] [--kmax 8] [--smooth SIGMA] [--threshold Q]\n"
         "                                      [--shard K/N]\n\n"
         "Computes the influence maps of layer L on two independent sets of N pairs (seeds S.. and S+2N..),\n"
         "factorises each for every K in [kmin, kmax], matches the two sets' templates one to one and\n"
         "reports their mean cosine similarity, for NMF and for k-means (Besserve et al.'s consistency\n"
         "criterion for choosing K). Default N = 64.\n"
         "--shard K/N (K = 0..N-1) computes only shard K's slice of the K values (each shard computes the\n"
         "two sets of maps) and writes its curve points to --out; `merge` writes CURVE.json.\n",
         {},
         runConsistency,
         false,
         finishConsistency},
    };
}

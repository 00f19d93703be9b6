// responses (Leeb et al., NeurIPS 2022): CLI contract v1, plus the helpers `response`,
// `response-values` and `encode`, the response maps `response-map` and the iterated responses `iterate`.
#include "CliCommands.h"

#include "lx/Array.h"
#include "lx/AtomicFile.h"
#include "lx/Error.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/Npy.h"
#include "lx/PosteriorMeans.h"
#include "lx/PartialResult.h"
#include "lx/ResponseEngine.h"
#include "lx/ResponseMap.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <tuple>
#include <filesystem>

namespace {

int64_t chunkRowsOf(const CliArgs& args)
{
    return args.integer("chunk-rows", 0, 0, 1 << 30); // 0 = automatic
}

uint64_t seedOf(const CliArgs& args)
{
    const long long seed = args.integer("seed", 0, 0, CliArgs::kMaxSeed);
    return static_cast<uint64_t>(seed);
}

int runResponses(const CliArgs& args)
{
    // Usage first (exit 2), then the files (exit 1).
    args.allowOnly({"latents", "values", "out", "chunk-rows", "shard"});
    const std::string out = args.require("out");
    args.require("latents"); // both named before either file is read
    args.require("values");
    const int64_t chunkRows = chunkRowsOf(args);
    const lx::Shard shard = CliCommands::shardOf(args);
    const lx::Array z = args.npy("latents");
    const lx::Array values = args.npy("values");
    auto model = CliCommands::openModel(args);
    lx::ResponseEngine engine(*model);
    engine.setChunkRows(chunkRows);
    const auto start = std::chrono::steady_clock::now();
    const lx::ProgressFn progress = [](long long done, long long total) {
        spdlog::info("responses: {}/{} rows", done, total);
    };
    if (args.has("shard")) {
        // A deterministic slice of the base latents (and their values), written as sums of squares.
        lx::PartialResult part;
        part.job = CliCommands::jobOf(args, "responses",
                                      {CliCommands::fileHash(args, "latents"), CliCommands::fileHash(args, "values")});
        part.finish = lx::PartialSum::Finish::RootMean;
        part.shard = shard;
        part.total = z.rank() > 0 ? z.dim(0) : 0;
        if (values.rank() < 1 || values.dim(0) != part.total)
            throw lx::Error(args.require("values") + ": expected one row of values per latent ("
                            + std::to_string(part.total) + "), got shape " + lx::Array::shapeString(values.shape()));
        std::tie(part.begin, part.end) = shard.slice(part.total);
        if (part.end > part.begin)
            part.data = engine.responseSums(z.rows(part.begin, part.end), values.rows(part.begin, part.end), progress);
        part.computeMs = msSince(start);
        spdlog::info("responses: shard {} (latents {}-{}) in {:.1f} ms", shard.text(), part.begin, part.end,
                     part.computeMs);
        part.write(out);
        return 0;
    }
    const lx::Array m = engine.responseMatrix(z, values, progress);
    spdlog::info("responses: {}x{} matrix from {} latents in {:.1f} ms ({} rows per pass)", m.dim(0), m.dim(1),
                 z.dim(0), msSince(start), engine.effectiveChunkRows());
    lx::Npy::write(out, m);
    return 0;
}

int runResponse(const CliArgs& args)
{
    args.allowOnly({"latents", "out", "chunk-rows"});
    const std::string out = args.require("out");
    const int64_t chunkRows = chunkRowsOf(args);
    const lx::Array z = args.npy("latents");
    auto model = CliCommands::openModel(args);
    lx::ResponseEngine engine(*model);
    engine.setChunkRows(chunkRows);
    lx::Npy::write(out, engine.response(z));
    return 0;
}

int runResponseValues(const CliArgs& args)
{
    args.allowOnly({"latents", "mode", "seed", "data", "out"});
    const std::string out = args.require("out");
    const std::string mode = args.value("mode", "aggregate");
    if (mode != "aggregate" && mode != "prior")
        throw UsageError("--mode must be aggregate or prior, got '" + mode + "'");
    if (mode == "prior" && args.has("data"))
        throw UsageError("--data only applies to --mode aggregate");
    const uint64_t seed = seedOf(args);
    const lx::Array z = args.npy("latents");
    auto model = CliCommands::openModel(args);
    const lx::Array latents = model->normalizeLatents(z, "latents");
    const int64_t n = latents.dim(0), size = model->card().latentSize();
    if (mode == "prior") {
        lx::Npy::write(out, lx::ResponseEngine::priorValues(n, size, seed));
        return 0;
    }
    lx::Array means;
    if (args.has("data")) {
        means = lx::PosteriorMeans::of(*model, args.npy("data"));
    } else {
        spdlog::info("response-values: no --data; using the responses R(Z) as posterior means");
        lx::ResponseEngine engine(*model);
        means = engine.response(latents);
    }
    lx::Npy::write(out, lx::ResponseEngine::aggregatePosteriorValues(means, n, seed));
    return 0;
}

int runEncode(const CliArgs& args)
{
    args.allowOnly({"data", "out"});
    const std::string out = args.require("out");
    const lx::Array x = args.npy("data");
    auto model = CliCommands::openModel(args);
    if (model->card().kind != lx::ModelKind::Autoencoder)
        throw lx::Error("encode needs an autoencoder, but " + model->path() + " is a "
                        + lx::Card::kindName(model->card().kind));
    lx::Npy::write(out, lx::PosteriorMeans::of(*model, x));
    return 0;
}

// The base point of a response map: row 0 of --base (which must hold one latent), else the prior
// sample of --seed (as `sample --seeds S` gives it).
lx::Array mapBaseOf(const CliArgs& args, const lx::Model& model)
{
    if (args.has("base")) {
        const lx::Array base = args.npy("base");
        const int64_t size = model.card().latentSize();
        if (base.numel() != size)
            throw lx::Error(args.require("base") + ": expected one latent of " + std::to_string(size)
                            + " values ([d] or [1, *latent_shape]), got shape " + lx::Array::shapeString(base.shape()));
        return base.reshaped({size});
    }
    return lx::LatentSampler({model.card().latentSize()}).sample({seedOf(args)}).reshaped({model.card().latentSize()});
}

int runResponseMap(const CliArgs& args)
{
    args.allowOnly({"dims", "grid", "radius", "base", "seed", "posterior", "out", "chunk-rows"});
    const std::string dir = args.require("out");
    const std::vector<int> dims = args.intList("dims");
    if (dims.size() != 2)
        throw UsageError("--dims takes two latent dimensions X,Y");
    if (args.has("base") && args.has("seed"))
        throw UsageError("--base and --seed exclude each other");
    lx::ResponseMapOptions options;
    options.dimX = dims[0];
    options.dimY = dims[1];
    const long long grid = args.integer("grid", options.gridSize);
    if (grid < 2 || grid > 2048)
        throw UsageError("--grid must be between 2 and 2048");
    options.gridSize = static_cast<int>(grid);
    options.radius = args.real("radius", options.radius);
    if (!(options.radius > 0))
        throw UsageError("--radius must be > 0");
    const int64_t chunkRows = chunkRowsOf(args);
    const lx::Array posterior = args.has("posterior") ? args.npy("posterior") : lx::Array();
    auto model = CliCommands::openModel(args);
    lx::ResponseEngine engine(*model);
    engine.setChunkRows(chunkRows);
    const lx::Array base = mapBaseOf(args, *model);
    const auto start = std::chrono::steady_clock::now();
    const lx::ResponseMapResult r =
        lx::responseMap(engine, base, options, posterior, [](long long done, long long total) {
            spdlog::info("response-map: {}/{} grid points", done, total);
        });
    const double ms = msSince(start);

    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        throw lx::Error("cannot create " + dir + ": " + ec.message());
    lx::Npy::write(dir + "/field_x.npy", r.fieldX);
    lx::Npy::write(dir + "/field_y.npy", r.fieldY);
    lx::Npy::write(dir + "/magnitude.npy", r.magnitude);
    lx::Npy::write(dir + "/divergence.npy", r.divergence);
    lx::Npy::write(dir + "/curvature.npy", r.curvature);
    if (!r.histogram.empty())
        lx::Npy::write(dir + "/histogram.npy", r.histogram);
    nlohmann::ordered_json report;
    report["dims"] = dims;
    report["grid"] = options.gridSize;
    report["radius"] = options.radius;
    report["axis"] = r.axis;
    report["base"] = r.base.data();
    report["orientation"] = "[row, col] = (y = axis[row], x = axis[col]); row 0 is y = -radius (bottom in a y-up plot)";
    report["units"] = "divergence and curvature in grid index units (np.gradient, no 1/delta)";
    report["histogram_bins"] = r.histogram.empty() ? 0 : r.histogram.dim(0);
    report["histogram_points"] = posterior.empty() ? 0 : posterior.dim(0);
    report["compute_ms"] = ms;
    lx::AtomicFile::write(dir + "/map.json", report.dump(2) + "\n");
    spdlog::info("response-map: {}x{} grid in {:.1f} ms", options.gridSize, options.gridSize, ms);
    return 0;
}

int runIterate(const CliArgs& args)
{
    args.allowOnly({"latents", "steps", "out", "chunk-rows"});
    const std::string out = args.require("out");
    const long long steps = args.integer("steps", -1);
    if (!args.has("steps"))
        throw UsageError("missing required option --steps");
    if (steps < 0 || steps > 100000)
        throw UsageError("--steps must be between 0 and 100000");
    const int64_t chunkRows = chunkRowsOf(args);
    const lx::Array z = args.npy("latents");
    auto model = CliCommands::openModel(args);
    lx::ResponseEngine engine(*model);
    engine.setChunkRows(chunkRows);
    lx::Npy::write(out, engine.iterate(z, static_cast<int>(steps)));
    return 0;
}

} // namespace

std::vector<CliCommand> CliCommands::responseCommands()
{
    return {
        {"responses",
         "latent response matrix of an autoencoder (.npy)",
         "Usage: latent-explorer-cli responses MODEL --latents Z.npy --values V.npy --out M.npy\n"
         "           [--chunk-rows R] [--shard K/N]\n\n"
         "Latent response matrix (Leeb et al., NeurIPS 2022) of an autoencoder. The latent response is\n"
         "R(z) = posterior mean of encode(decode(z)). Z is (N, *latent_shape), the base latents z_n; V is\n"
         "(N, d), V[n, i] the value that dimension i of z_n is set to. M is (d, d):\n"
         "  M[i, j] = sqrt(mean_n (R_j(z_n with dim i := V[n, i]) - R_j(z_n))^2)\n"
         "row i = the intervened dimension, column j = the responding dimension. The difference is taken\n"
         "against the response of the un-intervened z_n, not against z_n. Informative dimensions light up\n"
         "on the diagonal, collapsed ones stay near 0, off-diagonal entries are latent-latent links.\n"
         "In the paper, Z are posterior means of data and V comes from the aggregate posterior (another\n"
         "sample's posterior mean per dimension); `response-values` writes such a V.\n"
         "All d*N interventions are decoded and re-encoded in large passes; --chunk-rows R caps the rows\n"
         "per pass (default 0 = automatic: up to 4096, fewer for large images, fewer on the CPU than on\n"
         "a GPU). --verbose logs progress.\n"
         "--shard K/N (K = 0..N-1) does only shard K's slice of the latents and writes its sums of squares\n"
         "to --out instead of M; `merge` turns the N parts into M.npy.\n",
         {},
         runResponses,
         false,
         CliCommands::mergeToNpy},
        {"response",
         "latent responses R(z) = encode(decode(z)) (.npy)",
         "Usage: latent-explorer-cli response MODEL --latents Z.npy --out R.npy [--chunk-rows R]\n\n"
         "R is (N, *latent_shape): the posterior mean of encode(decode(z)) for every latent in Z (an\n"
         "autoencoder's latent response, Leeb et al., NeurIPS 2022).\n",
         {},
         runResponse},
        {"response-values",
         "intervention values for `responses` (.npy)",
         "Usage: latent-explorer-cli response-values MODEL --latents Z.npy --out V.npy\n"
         "           [--mode aggregate|prior] [--seed S] [--data X.npy]\n\n"
         "Writes V (N, d), one intervention value per latent of Z (N, *latent_shape) and dimension, for\n"
         "`responses`. Deterministic for a seed (--seed, default 0).\n"
         "  --mode aggregate (default, as in the paper): column i of V is a random permutation of\n"
         "      dimension i of the aggregate posterior's samples (fresh permutations when N exceeds\n"
         "      them), independently per dimension: each dimension takes a randomly chosen sample's value.\n"
         "      The samples are the posterior means of --data X.npy (M, *output_shape), images in\n"
         "      raw model units. That is the paper's aggregate posterior. Without --data they are the\n"
         "      responses R(Z) = encode(decode(Z)) of the given latents instead: only a stand-in for\n"
         "      the aggregate posterior (it reflects the model's decoder, not the data), which equals it\n"
         "      only when Z themselves are posterior means of data and the autoencoder reconstructs\n"
         "      well. Pass --data whenever you have data.\n"
         "  --mode prior: standard-normal values (the original code's fallback without data); Z only\n"
         "      gives N. Its seeds are hashed, so V is not the latents `sample --seeds` gives.\n",
         {},
         runResponseValues},
        {"encode",
         "posterior means of images under an autoencoder (.npy)",
         "Usage: latent-explorer-cli encode MODEL --data X.npy --out Z.npy\n\n"
         "Z is (M, d): the posterior mean of encode(x) for every image of X (M, *output_shape), in raw\n"
         "model units. Samples of the aggregate posterior, e.g. for `response-map --posterior`.\n",
         {},
         runEncode},
        {"response-map",
         "response field, divergence, curvature on a 2-D latent slice (.npy)",
         "Usage: latent-explorer-cli response-map MODEL --dims X,Y --out DIR [--grid 64] [--radius 2]\n"
         "           [--base Z.npy | --seed S] [--posterior P.npy] [--chunk-rows R]\n\n"
         "Response map (Leeb et al., NeurIPS 2022) on the slice of latent dimensions X (horizontal) and\n"
         "Y (vertical) through a base point: an n x n grid (--grid, default 64) over [-r, r]^2 (--radius,\n"
         "default 2), every other dimension at the base point's value. The base point is --base Z.npy\n"
         "(one latent) or the prior sample `sample --seeds S` gives (--seed, default 0). Writes to DIR:\n"
         "  field_x.npy, field_y.npy   (n, n): u = R(z) - z on X and Y, R(z) = encode(decode(z)) mean\n"
         "  magnitude.npy              (n, n): |u|\n"
         "  divergence.npy             (n, n): du_x/dx + du_y/dy, np.gradient in grid index units\n"
         "                             (central inside, one-sided at the borders; no 1/delta)\n"
         "  curvature.npy              (n, n): mean curvature -1/2 div(u/|u|) (0 where u = 0)\n"
         "  histogram.npy              (n/2, n/2): counts of the posterior means P (M, d) over\n"
         "                             [-r, r]^2, only with --posterior (see `encode`)\n"
         "  map.json                   dims, grid, radius, axis, base, timings\n"
         "Orientation: element [row, col] is the grid point x = axis[col], y = axis[row]; row 0 is\n"
         "y = -r (the bottom of a plot whose y axis points up).\n",
         {},
         runResponseMap},
        {"iterate",
         "iterated latent responses z, R(z), R(R(z)), ... (.npy)",
         "Usage: latent-explorer-cli iterate MODEL --latents Z.npy --steps K --out P.npy [--chunk-rows R]\n\n"
         "P is (K + 1, N, d): P[0] = Z (flattened to d values), P[k] = R(P[k - 1]) with\n"
         "R(z) = posterior mean of encode(decode(z)), for every latent of Z (N, *latent_shape).\n",
         {},
         runIterate},
    };
}

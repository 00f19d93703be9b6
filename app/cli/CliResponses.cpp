// responses (Leeb et al., NeurIPS 2022): CLI contract v1, plus the helpers `response` and
// `response-values`.
#include "CliCommands.h"

#include "lx/Array.h"
#include "lx/Error.h"
#include "lx/Model.h"
#include "lx/Npy.h"
#include "lx/ResponseEngine.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

namespace {

// Rows per encode pass when posterior means are computed from --data.
constexpr int64_t kEncodeChunkRows = 256;

double msSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

int64_t chunkRowsOf(const CliArgs& args)
{
    const long long rows = args.integer("chunk-rows", 0);
    if (rows < 0)
        throw UsageError("--chunk-rows must be >= 0 (0 = automatic)");
    return rows;
}

uint64_t seedOf(const CliArgs& args)
{
    const long long seed = args.integer("seed", 0);
    if (seed < 0)
        throw UsageError("--seed must be non-negative");
    return static_cast<uint64_t>(seed);
}

int runResponses(const CliArgs& args)
{
    // Usage first (exit 2), then the files (exit 1).
    args.allowOnly({"latents", "values", "out", "chunk-rows"});
    const std::string out = args.require("out");
    const std::string latentsPath = args.require("latents"), valuesPath = args.require("values");
    const int64_t chunkRows = chunkRowsOf(args);
    const lx::Array z = lx::Npy::read(latentsPath);
    const lx::Array values = lx::Npy::read(valuesPath);
    auto model = CliCommands::openModel(args);
    lx::ResponseEngine engine(*model);
    engine.setChunkRows(chunkRows);
    const auto start = std::chrono::steady_clock::now();
    const lx::ProgressFn progress = [](long long done, long long total) {
        spdlog::info("responses: {}/{} rows", done, total);
    };
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
    const std::string latentsPath = args.require("latents");
    const int64_t chunkRows = chunkRowsOf(args);
    const lx::Array z = lx::Npy::read(latentsPath);
    auto model = CliCommands::openModel(args);
    lx::ResponseEngine engine(*model);
    engine.setChunkRows(chunkRows);
    lx::Npy::write(out, engine.response(z));
    return 0;
}

// Posterior means of the data X, encoded in passes of kEncodeChunkRows.
lx::Array posteriorMeansOf(lx::Model& model, const lx::Array& x)
{
    if (x.rank() < 1 || x.dim(0) < 1)
        throw lx::Error("data: expected images of shape [M, ...], got " + lx::Array::shapeString(x.shape()));
    std::vector<float> data;
    for (int64_t begin = 0; begin < x.dim(0); begin += kEncodeChunkRows) {
        const lx::Array means = model.encodeMean(x.rows(begin, std::min(x.dim(0), begin + kEncodeChunkRows)));
        data.insert(data.end(), means.data().begin(), means.data().end());
    }
    return lx::Array({x.dim(0), model.card().latentSize()}, std::move(data));
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
    const std::string latentsPath = args.require("latents");
    const lx::Array z = lx::Npy::read(latentsPath);
    auto model = CliCommands::openModel(args);
    const lx::Array latents = model->normalizeLatents(z, "latents");
    const int64_t n = latents.dim(0), size = model->card().latentSize();
    if (mode == "prior") {
        lx::Npy::write(out, lx::ResponseEngine::priorValues(n, size, seed));
        return 0;
    }
    lx::Array means;
    if (args.has("data")) {
        means = posteriorMeansOf(*model, lx::Npy::read(args.require("data")));
    } else {
        spdlog::info("response-values: no --data; using the responses R(Z) as posterior means");
        lx::ResponseEngine engine(*model);
        means = engine.response(latents);
    }
    lx::Npy::write(out, lx::ResponseEngine::aggregatePosteriorValues(means, n, seed));
    return 0;
}

} // namespace

std::vector<CliCommand> CliCommands::responseCommands()
{
    return {
        {"responses", "latent response matrix of an autoencoder (.npy)",
         "Usage: latent-explorer-cli responses MODEL --latents Z.npy --values V.npy --out M.npy\n"
         "           [--chunk-rows R]\n\n"
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
         "a GPU). --verbose logs progress.\n",
         {}, runResponses},
        {"response", "latent responses R(z) = encode(decode(z)) (.npy)",
         "Usage: latent-explorer-cli response MODEL --latents Z.npy --out R.npy [--chunk-rows R]\n\n"
         "R is (N, *latent_shape): the posterior mean of encode(decode(z)) for every latent in Z (an\n"
         "autoencoder's latent response, Leeb et al., NeurIPS 2022).\n",
         {}, runResponse},
        {"response-values", "intervention values for `responses` (.npy)",
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
         {}, runResponseValues},
    };
}

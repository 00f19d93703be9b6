#pragma once
// Latent responses (Leeb, Bauer, Besserve, Schölkopf, NeurIPS 2022): for an autoencoder, the latent
// response is R(z) = posterior mean of encode(decode(z)). Intervening on dimension i (z_i := v) and
// measuring how every dimension j of the response moves gives the latent response matrix
//   M[i, j] = sqrt(mean_n (R_j(z_n with dim i := V[n, i]) - R_j(z_n))^2),
// rows = intervened dimension, columns = responding dimension. The difference is taken against the
// response of the un-intervened z_n, never against z_n itself.
#include "lx/Array.h"
#include "lx/PartialResult.h"
#include "lx/Progress.h"

#include <cstdint>
#include <memory>

namespace lx {

class Model;

class ResponseEngine {
public:
    // The model must be an autoencoder (throws lx::Error otherwise).
    explicit ResponseEngine(Model& model);
    ~ResponseEngine();
    ResponseEngine(const ResponseEngine&) = delete;
    ResponseEngine& operator=(const ResponseEngine&) = delete;

    // Most latents decoded and re-encoded in one pass. 0 (the default) = automatic: up to 4096 rows,
    // fewer for large outputs (about 2^24 output values per pass on a GPU, 2^20 on the CPU, where
    // passes that outgrow the caches cost more per row). Throws for rows < 0.
    void setChunkRows(int64_t rows);
    int64_t chunkRows() const; // the value set (0 = automatic)
    int64_t effectiveChunkRows() const; // the row count actually used per pass

    // d, the number of latent values per sample (the model's card).
    int64_t latentSize() const;

    // R(z) for latents z [N, *latent_shape] (or [N, d]): [N, *latent_shape].
    Array response(const Array& z);

    // The latent response matrix [d, d] for base latents z [N, *latent_shape] (or [N, d]) and
    // intervention values [N, d] (values[n, i] is the value dimension i of z_n is set to). All d * N
    // interventions and the N un-intervened latents are streamed through the model in passes of
    // effectiveChunkRows() rows. `progress` gets (rows done, (d + 1) * N); a cancelled token makes it
    // throw lx::Cancelled between passes. Throws lx::Error for bad shapes or non-finite values.
    Array responseMatrix(const Array& z, const Array& values, const ProgressFn& progress = {},
                         const CancelToken* cancel = nullptr);

    // The float64 sums behind responseMatrix: sum over n of the squared response differences [d, d],
    // with count N; responseMatrix is their root mean. What one shard of a cluster job writes.
    PartialSum responseSums(const Array& z, const Array& values, const ProgressFn& progress = {},
                            const CancelToken* cancel = nullptr);

    // Iterated responses z -> R(z) -> R(R(z)) -> ... for latents z [N, *latent_shape] (or [N, d]):
    // [steps + 1, N, d] (flat latents), row 0 = z itself, row k = R^k(z). Throws lx::Error for steps < 0
    // or bad shapes. `progress` gets (steps done, steps); a cancelled token throws lx::Cancelled
    // between steps.
    Array iterate(const Array& z, int steps, const ProgressFn& progress = {}, const CancelToken* cancel = nullptr);

    // Intervention values from the aggregate posterior: [n, d]. Column i is drawn from column i of
    // posteriorMeans [M, d] (or [M, *latent_shape]) by its own random permutation of the M rows, fresh
    // permutations being drawn when n > M; so each dimension takes the value of a randomly chosen
    // sample, independently of the other dimensions, and the marginals are kept exactly. Deterministic
    // for a seed (SplitMix64 and Fisher-Yates, the same on every machine).
    static Array aggregatePosteriorValues(const Array& posteriorMeans, int64_t n, uint64_t seed);
    // Intervention values from the prior N(0, 1): [n, d], deterministic for a seed. Row k uses a seed
    // hashed from (seed, k), so the values are not the latents LatentSampler gives for seeds 0, 1, ...
    static Array priorValues(int64_t n, int64_t d, uint64_t seed);

private:
    struct Impl;
    struct MatrixStream;
    std::unique_ptr<Impl> d;
};

} // namespace lx

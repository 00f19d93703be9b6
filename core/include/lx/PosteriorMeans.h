#pragma once
// Posterior means of a set of images under an autoencoder, encoded in passes of a fixed number of rows
// (so that a large data set never goes through encode() at once): what the GUI's response panels and
// the CLI's `encode` and `response-values --data` use.
#include "lx/Array.h"
#include "lx/Progress.h"

#include <cstdint>

namespace lx {

class Model;

class PosteriorMeans {
public:
    static constexpr int64_t kChunkRows = 256; // images per encode pass

    // x: images [M, ...] as the model's generate() returns them, M >= 1. Returns [M, latent size]: row i is
    // the posterior mean of encode(x[i]). Progress counts rows encoded; throws lx::Error for an empty x
    // and lx::Cancelled when `cancel` is set before a pass.
    static Array of(Model& model, const Array& x, const ProgressFn& progress = {}, const CancelToken* cancel = nullptr);
};

} // namespace lx

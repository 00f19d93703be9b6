#pragma once
// The conditioned response matrix and the causal disentanglement score (Leeb, Bauer, Besserve,
// Schölkopf, NeurIPS 2022), for an autoencoder and a dataset with known factors.
//
// For every factor k and each of `traversals` traversals:
//   1. a base image is drawn uniformly from the dataset (flat index, SplitMix64 from the seed), and
//      the full traversal of factor k through it is rendered: all values of k, the others fixed;
//   2. the traversal's images are encoded to posterior means Z_t [s_k, d];
//   3. a response matrix is built with Z_t as both the base points and the intervention values,
//      "force_different": `batch` base points are drawn from the s_k members (with replacement when
//      batch > s_k, else the first `batch` of a random permutation), and for every base point and
//      dimension j the value of z_j comes from a DIFFERENT member of the traversal (index
//      (base + 1 + u) mod s_k, u uniform in [0, s_k - 2]);
//   4. only its diagonal is kept: how far dimension j's response moves when dimension j is set to
//      another member's value, as an RMS over the batch.
// C[k, j] is the mean of these diagonals over the traversals: [F, d].
// Deviation from the original code (documented): the batch of base points is drawn once per
// traversal and shared by all dimensions (the original draws one per dimension); the expectation is
// the same and it needs (d + 1) * batch instead of 2 * d * batch responses per traversal.
//
// Images are fed to the encoder as the dataset gives them in [0, 1], mapped linearly onto the
// card's output_range (identity for output_range [0, 1]). The model's output shape must equal the
// dataset's image shape (lx::Error otherwise).
#include "lx/Array.h"
#include "lx/PartialResult.h"
#include "lx/Progress.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lx {

class FactorDataset;
class Model;
class ResponseEngine;

struct ConditionedOptions {
    int traversals = 20; // traversals per factor (the paper's code defaults to 50, its notebook uses 20)
    int batch = 32; // base points per traversal's response matrix
    uint64_t seed = 0; // everything random (base images, batches, value members) follows from it
};

struct ConditionedResult {
    Array matrix; // C [F, d]: row k = factor k, column j = latent dimension j
    double cds = 0; // causalDisentanglementScore(matrix)
    std::vector<std::string> factorNames; // the F factor names, in row order
    std::string dataset; // the dataset's name
};

// Computes C and its CDS. `progress` gets (traversals done, F * traversals); a cancelled token makes it
// throw lx::Cancelled between traversals (and between passes inside one). Deterministic for a seed on
// one device. Throws lx::Error for a non-autoencoder, mismatched image shapes, traversals < 1 or
// batch < 1.
ConditionedResult conditionedResponseMatrix(ResponseEngine& engine, Model& model, const FactorDataset& data,
                                            const ConditionedOptions& options = {}, const ProgressFn& progress = {},
                                            const CancelToken* cancel = nullptr);

// The job as items: item i is traversal i mod T of factor i / T (F * T items, T = options.traversals).
int64_t conditionedItemCount(const FactorDataset& data, const ConditionedOptions& options);
// The sums behind C over items [itemBegin, itemEnd) (itemEnd -1 = all): sum[k, j] adds the diagonal
// entry j of each of the slice's traversals of factor k, count = the items summed. Every item makes the
// same random draws as in the whole job (the items before the slice are drawn, not computed), so the
// slices of a job add up to its sums, and their RowMean finish is C. What one shard of a cluster job writes.
PartialSum conditionedResponseSums(ResponseEngine& engine, Model& model, const FactorDataset& data,
                                   const ConditionedOptions& options, int64_t itemBegin, int64_t itemEnd,
                                   const ProgressFn& progress = {}, const CancelToken* cancel = nullptr);

// CDS = sum_j max_k C[k, j] / sum_{k, j} C[k, j] for a conditioned matrix C [F, d] (F >= 1 rows, the
// factors). 1 when every latent dimension responds to at most one factor; 1/F for a uniform C. Returns 0
// when C is all zero (nothing responds). Throws lx::Error for a non-2-D, empty, negative or non-finite C.
double causalDisentanglementScore(const Array& conditioned);

} // namespace lx

#pragma once
// Non-negative matrix factorisation S ~ W H (Besserve et al.'s module discovery), in Eigen.
// Solver: HALS (hierarchical alternating least squares, the coordinate-descent family scikit-learn's
// default 'cd' solver belongs to); initialisation NNDSVDa (deterministic) or seeded random.
#include "lx/Array.h"
#include "lx/Progress.h"

#include <cstdint>
#include <vector>

namespace lx {

enum class NmfInit { Nndsvda, Random };

struct NmfOptions {
    int k = 3;
    uint64_t seed = 0; // used by the random initialisation
    int maxIterations = 400;
    double tolerance = 1e-5; // stop when the relative error improves by less than this per iteration
    NmfInit init = NmfInit::Nndsvda;
};

struct NmfResult {
    Array w; // [rows, k], rows = channels
    Array h; // [k, columns], columns = pixels: the module templates
    std::vector<int> assignment; // row r joins module argmax_k W[r, k]
    double frobeniusError = 0.0; // ||S - WH||_F
    double relativeError = 0.0; // ||S - WH||_F / ||S||_F
    int iterations = 0;
    std::vector<double> errorHistory; // relative error after each iteration (non-increasing)
};

class Nmf {
public:
    // S is [rows, ...]: everything after the first axis is flattened into columns. Throws lx::Error
    // for NaN/Inf or negative entries, k < 1 or k > min(rows, columns).
    static NmfResult factorize(const Array& s, const NmfOptions& options, const CancelToken* cancel = nullptr);
};

} // namespace lx

#pragma once
// lx::PcaDirections: GANSpace-style directions (Härkönen et al. 2020) for generators with a Gaussian
// latent: the principal components of a layer's activations over N prior samples, each carried back to
// the latent by linear regression, u_k = sum_i z_i x_ik / sum_i x_ik^2 (x_ik the k-th PCA coordinate
// of sample i; the coordinates are uncorrelated, so the multivariate regression splits per component).
// u_k is the latent step per unit of coordinate k, so z' = z + sum_k s_k sigma_k u_k moves the layer by
// about s_k standard deviations along component k. The top components come from block power iteration
// on the centred activations with a Rayleigh-Ritz step, never forming the D x D covariance.
#include "lx/Array.h"
#include "lx/Progress.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lx {

class Model;

struct PcaResult {
    Array mean; // [D]
    Array components; // [k, D], orthonormal rows, by decreasing variance
    std::vector<double> variance; // [k], the variance of each coordinate (divisor N)
    double totalVariance = 0.0; // trace of the covariance
};

struct PcaDirectionsResult {
    int layer = -1;
    std::string layerName;
    int64_t samples = 0;
    uint64_t firstSeed = 0;
    std::vector<double> variance; // of each component's coordinate
    std::vector<double> explained; // variance / total variance
    std::vector<double> sigma; // sqrt(variance)
    Array latentDirections; // [k, latent size]: u_k, one unit of coordinate k
};

class PcaDirections {
public:
    // The top `k` principal components of the rows of x [N, D] (N >= 2, 1 <= k <= min(N, D)). Throws
    // lx::Error for bad sizes or NaN/Inf. Deterministic (fixed start).
    static PcaResult pca(const Array& x, int k, int iterations = 60);
    // Components of layer `layer`'s activations over the prior samples of seeds firstSeed ..
    // firstSeed + samples - 1, and their latent directions. Progress counts samples run through the model.
    // A class-conditional model's samples take their classes as lx::SeedClasses::forSeeds deals them
    // (seed s of class s mod K), so the components span the classes.
    static PcaDirectionsResult compute(Model& model, int layer, int64_t samples, int k, uint64_t firstSeed = 0,
                                       const ProgressFn& progress = {}, const CancelToken* cancel = nullptr);
    // z [1, *latent] moved by amounts[k] standard deviations along each direction (missing amounts are 0).
    static Array apply(const Array& z, const PcaDirectionsResult& directions, const std::vector<double>& amounts);
};

} // namespace lx

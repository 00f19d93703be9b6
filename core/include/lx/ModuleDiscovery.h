#pragma once
// Module discovery (Besserve et al., ICLR 2020) from elementary influence maps, as the GUI's Modules tab
// and the CLI's `modules`, `consistency` and `robustness` commands all do it: the maps of a layer over
// seeded pairs, optional spatial smoothing and per-map quantile threshold (lx::EimPreprocess), then NMF
// (lx::Nmf) or k-means (lx::KMeans) of the (channels x pixels) matrix.
#include "lx/Array.h"
#include "lx/Nmf.h"
#include "lx/Progress.h"

#include <cstdint>
#include <vector>

namespace lx {

class Model;

enum class ModuleMethod { Nmf, KMeans };

struct ModuleDiscoveryOptions {
    ModuleMethod method = ModuleMethod::Nmf;
    int k = 3; // modules (NMF rank, or k-means clusters)
    uint64_t seed = 0; // NMF's random initialisation and k-means' seeding
    NmfInit init = NmfInit::Nndsvda;
    int maxIterations = 400; // NMF only (k-means keeps lx::KMeans' defaults)
};

struct ModuleDiscoveryResult {
    std::vector<int> assignment; // module of each channel
    Array w; // [channels, k]: NMF's W, or k-means' one-hot membership
    Array h; // [k, pixels]: NMF's templates H, or the k-means centroids
    double error = 0.0; // NMF: ||S - WH||_F; k-means: inertia (sum of squared distances)
    double relativeError = 0.0; // NMF: ||S - WH||_F / ||S||_F; k-means: 0
    int iterations = 0;
};

class ModuleDiscovery {
public:
    // Elementary influence maps of every channel of `layer` over the pairs of seeds
    // (first + i, first + pairs + i), i < pairs, drawn by lx::LatentSampler (within-class pairs for a
    // class-conditional model, as lx::SeedClasses deals them): [C, H, W] for image outputs, else [C, F].
    static Array seedPairMaps(Model& model, int layer, uint64_t first, int64_t pairs, const ProgressFn& progress = {},
                              const CancelToken* cancel = nullptr);
    // Smoothing with a Gaussian of sigma pixels (image maps [C, H, W] only: other maps pass unsmoothed),
    // then each map's values below its q-quantile set to 0. 0 turns either step off. Throws lx::Error for
    // a negative or non-finite sigma, whatever the maps' shape, and for q outside [0, 1).
    static Array preprocess(const Array& maps, double sigma, double q);
    // The sigma preprocess applies to `maps`: sigma for image maps, else 0.
    static double appliedSigma(const Array& maps, double sigma);
    // NMF or k-means of the rows of already preprocessed maps [C, ...]. Throws lx::Error as lx::Nmf and
    // lx::KMeans do (bad k, negative or non-finite values) and lx::Cancelled when `cancel` is set.
    static ModuleDiscoveryResult factorize(const Array& preprocessed, const ModuleDiscoveryOptions& options,
                                           const CancelToken* cancel = nullptr);
};

} // namespace lx

#include "lx/ModuleDiscovery.h"

#include "lx/EimPreprocess.h"
#include "lx/Error.h"
#include "lx/InfluenceEngine.h"
#include "lx/KMeans.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/SeedClasses.h"

#include <cmath>
#include <string>

namespace lx {

Array ModuleDiscovery::seedPairMaps(Model& model, int layer, uint64_t first, int64_t pairs, const ProgressFn& progress,
                                    const CancelToken* cancel)
{
    const Array latents = LatentSampler(model.card().latentShape).sample(LatentSampler::seedRange(first, 2 * pairs));
    return InfluenceEngine::elementaryMaps(model, layer, latents, SeedClasses::forPairs(model.card(), first, pairs), {},
                                           progress, cancel);
}

double ModuleDiscovery::appliedSigma(const Array& maps, double sigma) { return maps.rank() == 3 ? sigma : 0.0; }

Array ModuleDiscovery::preprocess(const Array& maps, double sigma, double q)
{
    // A bad sigma is refused whatever the maps' shape (smooth would refuse it for image maps).
    if (!(sigma >= 0.0) || !std::isfinite(sigma))
        throw Error("smoothing sigma must be >= 0, got " + std::to_string(sigma));
    return EimPreprocess::threshold(maps.rank() == 3 ? EimPreprocess::smooth(maps, sigma) : maps, q);
}

ModuleDiscoveryResult ModuleDiscovery::factorize(const Array& preprocessed, const ModuleDiscoveryOptions& options,
                                                 const CancelToken* cancel)
{
    throwIfCancelled(cancel);
    ModuleDiscoveryResult result;
    if (options.method == ModuleMethod::Nmf) {
        NmfOptions nmf;
        nmf.k = options.k;
        nmf.seed = options.seed;
        nmf.init = options.init;
        nmf.maxIterations = options.maxIterations;
        NmfResult r = Nmf::factorize(preprocessed, nmf, cancel);
        result.assignment = std::move(r.assignment);
        result.w = std::move(r.w);
        result.h = std::move(r.h);
        result.error = r.frobeniusError;
        result.relativeError = r.relativeError;
        result.iterations = r.iterations;
    } else {
        KMeansResult r = KMeans::cluster(preprocessed, options.k, options.seed);
        // W is the one-hot membership and H the centroids, so both methods' results read alike.
        const int64_t k = options.k;
        result.w = Array({preprocessed.dim(0), k});
        for (size_t c = 0; c < r.assignment.size(); ++c)
            result.w.data()[c * static_cast<size_t>(k) + static_cast<size_t>(r.assignment[c])] = 1.0f;
        result.assignment = std::move(r.assignment);
        result.h = std::move(r.centroids);
        result.error = r.inertia;
        result.iterations = r.iterations;
    }
    throwIfCancelled(cancel);
    return result;
}

} // namespace lx

#include "lx/ModuleConsistency.h"

#include "lx/Error.h"
#include "lx/KMeans.h"
#include "lx/LinearAssignment.h"
#include "lx/Nmf.h"

#include <cmath>

namespace lx {

double ModuleConsistency::matchedCosine(const Array& a, const Array& b)
{
    if (a.rank() != 2 || a.shape() != b.shape())
        throw Error("consistency: template sets must both be [K, P], got " + Array::shapeString(a.shape()) + " and "
                    + Array::shapeString(b.shape()));
    const int k = static_cast<int>(a.dim(0));
    const int64_t p = a.dim(1);
    std::vector<double> norms(static_cast<size_t>(2 * k), 0.0);
    for (int i = 0; i < k; ++i) {
        for (int64_t x = 0; x < p; ++x) {
            norms[static_cast<size_t>(i)] += double(a.data()[size_t(i * p + x)]) * a.data()[size_t(i * p + x)];
            norms[static_cast<size_t>(k + i)] += double(b.data()[size_t(i * p + x)]) * b.data()[size_t(i * p + x)];
        }
    }
    std::vector<double> cosine(static_cast<size_t>(k * k), 0.0);
    for (int i = 0; i < k; ++i)
        for (int j = 0; j < k; ++j) {
            double dot = 0.0;
            for (int64_t x = 0; x < p; ++x)
                dot += double(a.data()[size_t(i * p + x)]) * b.data()[size_t(j * p + x)];
            const double denom = std::sqrt(norms[size_t(i)] * norms[size_t(k + j)]);
            cosine[size_t(i * k + j)] = denom > 0.0 ? dot / denom : 0.0;
        }
    const std::vector<int> match = LinearAssignment::maximize(cosine, k);
    double total = 0.0;
    for (int i = 0; i < k; ++i)
        total += cosine[size_t(i * k + match[size_t(i)])];
    return k ? total / k : 0.0;
}

std::vector<ConsistencyPoint> ModuleConsistency::curve(const Array& mapsA, const Array& mapsB, int kMin, int kMax,
                                                       uint64_t seed, const ProgressFn& progress,
                                                       const CancelToken* cancel)
{
    if (mapsA.shape() != mapsB.shape())
        throw Error("consistency: the two sets of maps differ in shape (" + Array::shapeString(mapsA.shape()) + " vs "
                    + Array::shapeString(mapsB.shape()) + ")");
    if (kMin < 1 || kMax < kMin)
        throw Error("consistency: need 1 <= kmin <= kmax, got " + std::to_string(kMin) + ".." + std::to_string(kMax));
    std::vector<ConsistencyPoint> points;
    for (int k = kMin; k <= kMax; ++k) {
        throwIfCancelled(cancel);
        NmfOptions options;
        options.k = k;
        options.seed = seed;
        const NmfResult a = Nmf::factorize(mapsA, options, cancel);
        const NmfResult b = Nmf::factorize(mapsB, options, cancel);
        ConsistencyPoint point;
        point.k = k;
        point.nmf = matchedCosine(a.h, b.h);
        point.nmfRelativeError = a.relativeError;
        point.kmeans =
            matchedCosine(KMeans::cluster(mapsA, k, seed).centroids, KMeans::cluster(mapsB, k, seed).centroids);
        points.push_back(point);
        if (progress)
            progress(k - kMin + 1, kMax - kMin + 1);
    }
    return points;
}

} // namespace lx

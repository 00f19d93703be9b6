#pragma once
// Module quality (Besserve et al.): how consistent discovered modules are, as a function of K. The
// influence maps of two independent sets of pairs are factorised separately; templates are matched one
// to one (maximum total cosine similarity) and the mean matched cosine similarity is the consistency.
// NMF and k-means are scored on the same maps, the comparison the paper makes.
#include "lx/Array.h"
#include "lx/Progress.h"

#include <cstdint>
#include <vector>

namespace lx {

struct ConsistencyPoint {
    int k = 0;
    double nmf = 0.0; // mean matched cosine similarity of NMF templates (rows of H)
    double kmeans = 0.0; // the same for k-means centroids
    double nmfRelativeError = 0.0; // of the first set's factorisation
};

class ModuleConsistency {
public:
    // Cosine similarity of optimally matched rows of a and b (both [K, P]).
    static double matchedCosine(const Array& a, const Array& b);
    // mapsA, mapsB: [C, ...] influence maps from two independent pair sets, already preprocessed.
    static std::vector<ConsistencyPoint> curve(const Array& mapsA, const Array& mapsB, int kMin, int kMax,
                                               uint64_t seed, const ProgressFn& progress = {},
                                               const CancelToken* cancel = nullptr);
};

} // namespace lx

#pragma once
// k-means on the rows of a matrix (Lloyd's algorithm, k-means++ seeding, best of several restarts):
// the clustering Besserve et al. compare NMF against.
#include "lx/Array.h"

#include <cstdint>
#include <vector>

namespace lx {

struct KMeansResult {
    std::vector<int> assignment; // cluster of each row
    Array centroids; // [k, columns]
    double inertia = 0.0; // sum of squared distances to the assigned centroid
    int iterations = 0;
};

class KMeans {
public:
    // Rows of `data` ([rows, ...] flattened to columns). Throws lx::Error for NaN/Inf, k < 1 or k > rows.
    static KMeansResult cluster(const Array& data, int k, uint64_t seed, int restarts = 10, int maxIterations = 300);
};

} // namespace lx

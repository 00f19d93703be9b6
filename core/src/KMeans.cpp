#include "lx/KMeans.h"

#include "lx/Error.h"
#include "lx/SplitMix64.h"

#include <Eigen/Dense>

#include <limits>

namespace lx {

namespace {

using Matrix = Eigen::MatrixXd;

struct Run {
    std::vector<int> assignment;
    Matrix centroids;
    double inertia = std::numeric_limits<double>::infinity();
    int iterations = 0;
};

// k-means++: each new centre is a row drawn with probability proportional to its squared distance
// to the nearest centre so far.
Matrix seedCentroids(const Matrix& x, int k, SplitMix64& rng)
{
    const Eigen::Index n = x.rows();
    Matrix c(k, x.cols());
    c.row(0) = x.row(static_cast<Eigen::Index>(rng.below(static_cast<uint64_t>(n))));
    Eigen::VectorXd d2 = (x.rowwise() - c.row(0)).rowwise().squaredNorm();
    for (int j = 1; j < k; ++j) {
        const double total = d2.sum();
        Eigen::Index pick = 0;
        if (total > 0.0) {
            double target = rng.uniform() * total;
            for (pick = 0; pick < n - 1; ++pick) {
                target -= d2(pick);
                if (target <= 0.0)
                    break;
            }
        } else {
            pick = static_cast<Eigen::Index>(rng.below(static_cast<uint64_t>(n)));
        }
        c.row(j) = x.row(pick);
        d2 = d2.cwiseMin((x.rowwise() - c.row(j)).rowwise().squaredNorm());
    }
    return c;
}

Run lloyd(const Matrix& x, int k, SplitMix64& rng, int maxIterations)
{
    Run run;
    run.centroids = seedCentroids(x, k, rng);
    run.assignment.assign(static_cast<size_t>(x.rows()), -1);
    for (int it = 0; it < maxIterations; ++it) {
        run.iterations = it + 1;
        bool changed = false;
        run.inertia = 0.0;
        for (Eigen::Index r = 0; r < x.rows(); ++r) {
            Eigen::Index best = 0;
            const double d = (run.centroids.rowwise() - x.row(r)).rowwise().squaredNorm().minCoeff(&best);
            run.inertia += d;
            if (run.assignment[static_cast<size_t>(r)] != static_cast<int>(best)) {
                run.assignment[static_cast<size_t>(r)] = static_cast<int>(best);
                changed = true;
            }
        }
        if (!changed)
            break;
        Matrix sums = Matrix::Zero(k, x.cols());
        std::vector<int> counts(static_cast<size_t>(k), 0);
        for (Eigen::Index r = 0; r < x.rows(); ++r) {
            sums.row(run.assignment[static_cast<size_t>(r)]) += x.row(r);
            ++counts[static_cast<size_t>(run.assignment[static_cast<size_t>(r)])];
        }
        for (int j = 0; j < k; ++j) {
            if (counts[static_cast<size_t>(j)] > 0)
                run.centroids.row(j) = sums.row(j) / counts[static_cast<size_t>(j)];
        }
    }
    return run;
}

} // namespace

KMeansResult KMeans::cluster(const Array& data, int k, uint64_t seed, int restarts, int maxIterations)
{
    if (data.rank() < 2)
        throw Error("k-means needs a matrix [rows, columns...], got shape " + Array::shapeString(data.shape()));
    data.requireFinite("k-means input");
    const int64_t rows = data.dim(0), cols = data.numel() / rows;
    if (k < 1 || k > rows)
        throw Error("k-means k = " + std::to_string(k) + " must be between 1 and the number of rows "
                    + std::to_string(rows));
    Matrix x(rows, cols);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
            x(r, c) = data.data()[static_cast<size_t>(r * cols + c)];
    SplitMix64 rng(seed);
    Run best;
    for (int i = 0; i < std::max(1, restarts); ++i) {
        Run run = lloyd(x, k, rng, std::max(1, maxIterations));
        if (run.inertia < best.inertia)
            best = std::move(run);
    }
    KMeansResult result;
    result.assignment = best.assignment;
    result.inertia = best.inertia;
    result.iterations = best.iterations;
    result.centroids = Array({k, cols});
    for (int j = 0; j < k; ++j)
        for (int64_t c = 0; c < cols; ++c)
            result.centroids.data()[static_cast<size_t>(j * cols + c)] = static_cast<float>(best.centroids(j, c));
    return result;
}

} // namespace lx

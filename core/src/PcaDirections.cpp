#include "lx/PcaDirections.h"

#include "lx/Error.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/SeedClasses.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>

namespace lx {

namespace {

using Matrix = Eigen::MatrixXd;
constexpr int64_t kChunk = 64;
constexpr int64_t kMaxValues = int64_t(1) << 26; // N x D floats kept (256 MB)

} // namespace

PcaResult PcaDirections::pca(const Array& x, int k, int iterations)
{
    if (x.rank() != 2)
        throw Error("PCA: data must be [N, D], not " + Array::shapeString(x.shape()));
    const int64_t n = x.dim(0), d = x.dim(1);
    if (n < 2)
        throw Error("PCA: needs at least 2 samples, not " + std::to_string(n));
    if (k < 1 || k > std::min(n, d))
        throw Error("PCA: components must be between 1 and " + std::to_string(std::min(n, d)) + ", not "
                    + std::to_string(k));
    x.requireFinite("PCA: data");
    Matrix xc = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(x.ptr(), n, d)
                    .cast<double>();
    const Eigen::RowVectorXd mean = xc.colwise().mean();
    xc.rowwise() -= mean;
    // Block power iteration with oversampling, from a fixed start (deterministic results).
    const int64_t b = std::min<int64_t>(std::min(n, d), int64_t(k) + 8);
    Matrix q(d, b);
    uint64_t state = 0x9E3779B97F4A7C15ULL;
    for (int64_t i = 0; i < q.size(); ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        q.data()[i] = double(state >> 11) / double(1ULL << 53) - 0.5;
    }
    for (int it = 0; it < std::max(1, iterations); ++it) {
        const Matrix y = xc.transpose() * (xc * q);
        q = Eigen::HouseholderQR<Matrix>(y).householderQ() * Matrix::Identity(d, b);
    }
    // Rayleigh-Ritz: the covariance restricted to the subspace, diagonalised.
    const Matrix proj = xc * q; // [n, b]
    const Matrix small = proj.transpose() * proj / double(n);
    Eigen::SelfAdjointEigenSolver<Matrix> eig(small);
    PcaResult out;
    out.mean = Array({d});
    for (int64_t j = 0; j < d; ++j)
        out.mean.ptr()[j] = static_cast<float>(mean(j));
    out.components = Array({int64_t(k), d});
    for (int c = 0; c < k; ++c) {
        const int64_t col = b - 1 - c; // eigenvalues ascend
        Eigen::VectorXd v = q * eig.eigenvectors().col(col);
        v.normalize();
        // Sign: the largest entry positive, so results do not flip between runs.
        Eigen::Index at = 0;
        v.cwiseAbs().maxCoeff(&at);
        if (v(at) < 0)
            v = -v;
        for (int64_t j = 0; j < d; ++j)
            out.components.ptr()[c * d + j] = static_cast<float>(v(j));
        out.variance.push_back(std::max(0.0, eig.eigenvalues()(col)));
    }
    out.totalVariance = xc.squaredNorm() / double(n);
    return out;
}

PcaDirectionsResult PcaDirections::compute(Model& model, int layer, int64_t samples, int k, uint64_t firstSeed,
                                           const ProgressFn& progress, const CancelToken* cancel)
{
    if (layer < 0 || layer >= int(model.layers().size()))
        throw Error("PCA directions: no layer " + std::to_string(layer));
    const int64_t d = Array::product(model.layers()[size_t(layer)].shape);
    if (samples < 2 || samples * d > kMaxValues)
        throw Error("PCA directions: samples must be between 2 and "
                    + std::to_string(kMaxValues / std::max<int64_t>(d, 1)) + " at "
                    + model.layers()[size_t(layer)].name);
    const LatentSampler sampler(model.card().latentShape);
    const Array z = sampler.sample(LatentSampler::seedRange(firstSeed, samples));
    const int64_t latent = z.numel() / samples;
    std::vector<float> acts;
    acts.reserve(size_t(samples * d));
    for (int64_t begin = 0; begin < samples; begin += kChunk) {
        throwIfCancelled(cancel);
        const int64_t end = std::min(samples, begin + kChunk);
        const Array h = model.forwardTo(layer, z.rows(begin, end),
                                        SeedClasses::forSeeds(model.card(), firstSeed + uint64_t(begin), end - begin));
        acts.insert(acts.end(), h.data().begin(), h.data().end());
        if (progress)
            progress(end, samples);
    }
    const Array x({samples, d}, std::move(acts));
    const PcaResult p = pca(x, k);
    PcaDirectionsResult out;
    out.layer = layer;
    out.layerName = model.layers()[size_t(layer)].name;
    out.samples = samples;
    out.firstSeed = firstSeed;
    out.variance = p.variance;
    for (double v : p.variance) {
        out.explained.push_back(p.totalVariance > 0 ? v / p.totalVariance : 0.0);
        out.sigma.push_back(std::sqrt(v));
    }
    // Regression of the latents on each coordinate: u_k = sum_i z_i x_ik / sum_i x_ik^2.
    out.latentDirections = Array({int64_t(k), latent});
    std::vector<double> u(size_t(k * latent), 0.0), norm(size_t(k), 0.0);
    std::vector<double> centred(static_cast<size_t>(d));
    for (int64_t i = 0; i < samples; ++i) {
        for (int64_t j = 0; j < d; ++j)
            centred[size_t(j)] = double(x.ptr()[i * d + j]) - double(p.mean.ptr()[j]);
        for (int c = 0; c < k; ++c) {
            double coord = 0.0;
            const float* v = p.components.ptr() + int64_t(c) * d;
            for (int64_t j = 0; j < d; ++j)
                coord += centred[size_t(j)] * double(v[j]);
            norm[size_t(c)] += coord * coord;
            for (int64_t j = 0; j < latent; ++j)
                u[size_t(c * latent + j)] += double(z.ptr()[i * latent + j]) * coord;
        }
    }
    for (int c = 0; c < k; ++c) {
        for (int64_t j = 0; j < latent; ++j)
            out.latentDirections.ptr()[c * latent + j] =
                norm[size_t(c)] > 0 ? static_cast<float>(u[size_t(c * latent + j)] / norm[size_t(c)]) : 0.f;
    }
    return out;
}

Array PcaDirections::apply(const Array& z, const PcaDirectionsResult& directions, const std::vector<double>& amounts)
{
    Array out = z;
    const int64_t k = directions.latentDirections.empty() ? 0 : directions.latentDirections.dim(0);
    const int64_t latent = k ? directions.latentDirections.dim(1) : 0;
    if (k && out.numel() != latent)
        throw Error("PCA directions: a latent of " + std::to_string(out.numel()) + " values, directions of "
                    + std::to_string(latent));
    for (int64_t c = 0; c < k && c < int64_t(amounts.size()); ++c) {
        const double step = amounts[size_t(c)] * directions.sigma[size_t(c)];
        for (int64_t j = 0; j < latent; ++j)
            out.ptr()[j] += static_cast<float>(step * directions.latentDirections.ptr()[c * latent + j]);
    }
    return out;
}

} // namespace lx

#include "lx/ResponseMap.h"

#include "lx/Error.h"
#include "lx/ResponseEngine.h"

#include <algorithm>
#include <cmath>

namespace lx {

namespace {

int64_t sideOf(const Array& fieldX, const Array& fieldY)
{
    if (fieldX.rank() != 2 || fieldX.dim(0) != fieldX.dim(1) || fieldX.dim(0) < 2 || fieldX.shape() != fieldY.shape())
        throw Error("response map: expected two [n, n] fields with n >= 2, got " + Array::shapeString(fieldX.shape())
                    + " and " + Array::shapeString(fieldY.shape()));
    return fieldX.dim(0);
}

// np.gradient of f along one axis in index units: f(i + 1) - f(i - 1) over 2 inside, one-sided at the ends.
// at(i) gives f at index i of the line.
template <typename At> double gradient(const At& at, int64_t i, int64_t n)
{
    if (i == 0)
        return at(1) - at(0);
    if (i == n - 1)
        return at(n - 1) - at(n - 2);
    return 0.5 * (at(i + 1) - at(i - 1));
}

} // namespace

Array gridDivergence(const Array& fieldX, const Array& fieldY)
{
    const int64_t n = sideOf(fieldX, fieldY);
    Array out({n, n});
    const float* fx = fieldX.ptr();
    const float* fy = fieldY.ptr();
    for (int64_t row = 0; row < n; ++row) {
        for (int64_t col = 0; col < n; ++col) {
            // d u_x / d column (x index) + d u_y / d row (y index).
            const double dx = gradient([&](int64_t c) { return double(fx[row * n + c]); }, col, n);
            const double dy = gradient([&](int64_t r) { return double(fy[r * n + col]); }, row, n);
            out.ptr()[row * n + col] = static_cast<float>(dx + dy);
        }
    }
    return out;
}

Array gridMeanCurvature(const Array& fieldX, const Array& fieldY)
{
    const int64_t n = sideOf(fieldX, fieldY);
    Array ux({n, n}), uy({n, n});
    for (int64_t k = 0; k < n * n; ++k) {
        const double x = fieldX.ptr()[k], y = fieldY.ptr()[k];
        const double norm = std::sqrt(x * x + y * y);
        ux.ptr()[k] = norm > 0 ? static_cast<float>(x / norm) : 0.0f;
        uy.ptr()[k] = norm > 0 ? static_cast<float>(y / norm) : 0.0f;
    }
    Array out = gridDivergence(ux, uy);
    for (float& v : out.data())
        v *= -0.5f;
    return out;
}

Array histogram2d(const std::vector<float>& xs, const std::vector<float>& ys, int bins, double radius)
{
    if (bins < 1 || !(radius > 0) || xs.size() != ys.size())
        throw Error("histogram: needs bins >= 1, radius > 0 and as many x as y values");
    Array out({bins, bins});
    const double width = 2.0 * radius / bins;
    // numpy.histogram2d: [e_i, e_{i+1}) with e_i = -r + i * width, the last bin closed at +r.
    const auto binOf = [&](double v) -> int {
        if (!(v >= -radius && v <= radius))
            return -1;
        return std::min(bins - 1, static_cast<int>(std::floor((v + radius) / width)));
    };
    for (size_t m = 0; m < xs.size(); ++m) {
        const int bx = binOf(xs[m]), by = binOf(ys[m]);
        if (bx >= 0 && by >= 0)
            out.ptr()[by * bins + bx] += 1.0f;
    }
    return out;
}

ResponseMapResult responseMap(ResponseEngine& engine, const Array& base, const ResponseMapOptions& options,
                              const Array& posteriorMeans, const ProgressFn& progress, const CancelToken* cancel)
{
    const int64_t d = engine.latentSize();
    if (base.numel() != d)
        throw Error("response map: the base point must hold one latent of " + std::to_string(d) + " values, got shape "
                    + Array::shapeString(base.shape()));
    base.requireFinite("base point");
    if (d < 2)
        throw Error("response map: needs a latent space with at least 2 dimensions, got " + std::to_string(d));
    const int x = options.dimX, y = options.dimY;
    if (x < 0 || x >= d || y < 0 || y >= d || x == y)
        throw Error("response map: dimensions must be two different values in [0, " + std::to_string(d) + "), got "
                    + std::to_string(x) + " and " + std::to_string(y));
    const int n = options.gridSize;
    if (n < 2)
        throw Error("response map: the grid size must be >= 2, got " + std::to_string(n));
    if (!(options.radius > 0) || !std::isfinite(options.radius))
        throw Error("response map: the radius must be > 0, got " + std::to_string(options.radius));
    if (!posteriorMeans.empty() && (posteriorMeans.rank() < 1 || posteriorMeans.numel() != posteriorMeans.dim(0) * d))
        throw Error("response map: posterior means must be [M, " + std::to_string(d) + "], got "
                    + Array::shapeString(posteriorMeans.shape()));

    ResponseMapResult result;
    result.base = base.reshaped({d});
    for (int i = 0; i < n; ++i)
        result.axis.push_back(-options.radius + 2.0 * options.radius * i / (n - 1));

    // Grid latents, row-major over (y index, x index), streamed in passes.
    const int64_t total = int64_t(n) * n, chunk = engine.effectiveChunkRows();
    result.fieldX = Array({n, n});
    result.fieldY = Array({n, n});
    if (progress)
        progress(0, total);
    for (int64_t begin = 0; begin < total; begin += chunk) {
        throwIfCancelled(cancel);
        const int64_t rows = std::min(chunk, total - begin);
        Array z({rows, d});
        for (int64_t r = 0; r < rows; ++r) {
            float* row = z.ptr() + r * d;
            std::copy(result.base.ptr(), result.base.ptr() + d, row);
            row[x] = static_cast<float>(result.axis[size_t((begin + r) % n)]);
            row[y] = static_cast<float>(result.axis[size_t((begin + r) / n)]);
        }
        const Array response = engine.response(z).reshaped({rows, d});
        for (int64_t r = 0; r < rows; ++r) {
            result.fieldX.ptr()[begin + r] = response.ptr()[r * d + x] - z.ptr()[r * d + x];
            result.fieldY.ptr()[begin + r] = response.ptr()[r * d + y] - z.ptr()[r * d + y];
        }
        if (progress)
            progress(begin + rows, total);
    }
    result.magnitude = Array({n, n});
    for (int64_t k = 0; k < total; ++k)
        result.magnitude.ptr()[k] = std::hypot(result.fieldX.ptr()[k], result.fieldY.ptr()[k]);
    result.divergence = gridDivergence(result.fieldX, result.fieldY);
    result.curvature = gridMeanCurvature(result.fieldX, result.fieldY);

    if (!posteriorMeans.empty()) {
        posteriorMeans.requireFinite("posterior means");
        const int64_t m = posteriorMeans.dim(0);
        std::vector<float> xs(static_cast<size_t>(m)), ys(static_cast<size_t>(m));
        for (int64_t k = 0; k < m; ++k) {
            xs[size_t(k)] = posteriorMeans.ptr()[k * d + x];
            ys[size_t(k)] = posteriorMeans.ptr()[k * d + y];
        }
        result.histogram = histogram2d(xs, ys, n / 2, options.radius);
    }
    return result;
}

} // namespace lx

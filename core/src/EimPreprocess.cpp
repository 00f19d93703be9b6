#include "lx/EimPreprocess.h"

#include "lx/Error.h"

#include <algorithm>
#include <cmath>

namespace lx {

namespace {

// Mirror an index into [0, n) (the 'reflect' mode of scipy.ndimage: the edge sample is repeated).
int64_t mirror(int64_t i, int64_t n)
{
    const int64_t period = 2 * n;
    i %= period;
    if (i < 0)
        i += period;
    return i < n ? i : period - 1 - i;
}

} // namespace

Array EimPreprocess::smooth(const Array& maps, double sigma)
{
    if (!(sigma >= 0.0) || !std::isfinite(sigma))
        throw Error("smoothing sigma must be >= 0, got " + std::to_string(sigma));
    if (sigma == 0.0)
        return maps;
    if (maps.rank() != 3)
        throw Error("smoothing needs maps of shape [C, H, W], got " + Array::shapeString(maps.shape()));
    const int64_t c = maps.dim(0), h = maps.dim(1), w = maps.dim(2);
    const int64_t radius = static_cast<int64_t>(std::ceil(3.0 * sigma));
    std::vector<double> kernel(static_cast<size_t>(2 * radius + 1));
    double total = 0.0;
    for (int64_t i = -radius; i <= radius; ++i)
        total += kernel[static_cast<size_t>(i + radius)] = std::exp(-0.5 * double(i * i) / (sigma * sigma));
    for (double& k : kernel)
        k /= total;

    Array out(maps.shape());
    std::vector<double> rowPass(static_cast<size_t>(h * w));
    for (int64_t m = 0; m < c; ++m) {
        const float* in = maps.ptr() + m * h * w;
        for (int64_t y = 0; y < h; ++y)
            for (int64_t x = 0; x < w; ++x) {
                double acc = 0.0;
                for (int64_t i = -radius; i <= radius; ++i)
                    acc += kernel[static_cast<size_t>(i + radius)] * in[y * w + mirror(x + i, w)];
                rowPass[static_cast<size_t>(y * w + x)] = acc;
            }
        float* o = out.ptr() + m * h * w;
        for (int64_t y = 0; y < h; ++y)
            for (int64_t x = 0; x < w; ++x) {
                double acc = 0.0;
                for (int64_t i = -radius; i <= radius; ++i)
                    acc += kernel[static_cast<size_t>(i + radius)]
                        * rowPass[static_cast<size_t>(mirror(y + i, h) * w + x)];
                o[y * w + x] = static_cast<float>(acc);
            }
    }
    return out;
}

Array EimPreprocess::threshold(const Array& maps, double q)
{
    if (!(q >= 0.0 && q < 1.0))
        throw Error("threshold quantile must be in [0, 1), got " + std::to_string(q));
    if (q == 0.0)
        return maps;
    if (maps.rank() < 2)
        throw Error("thresholding needs maps of shape [C, ...], got " + Array::shapeString(maps.shape()));
    Array out = maps;
    const int64_t c = maps.dim(0), size = maps.numel() / c;
    std::vector<float> sorted(static_cast<size_t>(size));
    for (int64_t m = 0; m < c; ++m) {
        float* map = out.ptr() + m * size;
        std::copy(map, map + size, sorted.begin());
        std::sort(sorted.begin(), sorted.end());
        const double pos = q * double(size - 1);
        const size_t lo = static_cast<size_t>(std::floor(pos));
        const size_t hi = std::min(lo + 1, sorted.size() - 1);
        const double cut = sorted[lo] + (pos - double(lo)) * (double(sorted[hi]) - sorted[lo]);
        for (int64_t i = 0; i < size; ++i)
            if (map[i] < cut)
                map[i] = 0.0f;
    }
    return out;
}

} // namespace lx

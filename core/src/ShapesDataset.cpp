#include "lx/ShapesDataset.h"

#include "lx/Error.h"

#include <algorithm>
#include <cmath>
#include <thread>

namespace lx {

namespace {

constexpr int kShapes = 3, kScales = 6, kOrientations = 16, kPositions = 16;
constexpr double kPi = 3.14159265358979323846;
// Centre = kMargin + kSpan * pos (pixels); shape radius = kRadius * scale pixels; kMargin - kRadius = 2.
constexpr double kMargin = 16.0, kSpan = 32.0, kRadius = 14.0;
constexpr double kScaleLow = 0.5, kScaleHigh = 1.0;
// Images per worker thread below which rendering stays on the calling thread.
constexpr size_t kImagesPerThread = 256;

double linspace(double low, double high, int count, int64_t i)
{
    return low + (high - low) * double(i) / double(count - 1);
}

// Is (u, v) (shape coordinates, v up, unit disc) inside the unit shape?
bool inside(int64_t shape, double u, double v)
{
    switch (shape) {
    case 0: { // square of half side 1/sqrt(2)
        const double h = 0.70710678118654752440;
        return std::fabs(u) <= h && std::fabs(v) <= h;
    }
    case 1: // ellipse with semi-axes 1 and 1/2
        return u * u + 4.0 * v * v <= 1.0;
    default: { // heart: (x^2 + y^2 - 1)^3 - x^2 y^3 <= 0, fitted into the unit disc
        const double x = 1.25 * u, y = 1.25 * v + 0.25;
        const double a = x * x + y * y - 1.0;
        return a * a * a - x * x * y * y * y <= 0.0;
    }
    }
}

// cos and sin of 2 pi k / 16, exact for multiples of 90 degrees.
void rotation(int64_t k, double& c, double& s)
{
    static const double exactC[4] = {1, 0, -1, 0}, exactS[4] = {0, 1, 0, -1};
    if (k % 4 == 0) {
        c = exactC[k / 4];
        s = exactS[k / 4];
        return;
    }
    const double t = 2.0 * kPi * double(k) / double(kOrientations);
    c = std::cos(t);
    s = std::sin(t);
}

} // namespace

ShapesDataset::ShapesDataset()
    : mNames{"shape", "scale", "orientation", "pos_x", "pos_y"}
    , mSizes{kShapes, kScales, kOrientations, kPositions, kPositions}
{
}

std::string ShapesDataset::name() const { return "lx-shapes"; }

const std::vector<std::string>& ShapesDataset::factorNames() const { return mNames; }

const std::vector<int64_t>& ShapesDataset::factorSizes() const { return mSizes; }

std::vector<int64_t> ShapesDataset::imageShape() const { return {1, kImageSize, kImageSize}; }

const std::vector<std::string>& ShapesDataset::shapeNames()
{
    static const std::vector<std::string> names{"square", "ellipse", "heart"};
    return names;
}

std::vector<double> ShapesDataset::factorValues(int64_t factor) const
{
    checkFactor(factor);
    const int64_t count = mSizes[size_t(factor)];
    std::vector<double> values;
    for (int64_t i = 0; i < count; ++i) {
        switch (factor) {
        case 0:
            values.push_back(double(i));
            break;
        case 1:
            values.push_back(linspace(kScaleLow, kScaleHigh, kScales, i));
            break;
        case 2:
            values.push_back(2.0 * kPi * double(i) / double(kOrientations));
            break;
        default:
            values.push_back(linspace(0.0, 1.0, kPositions, i));
            break;
        }
    }
    return values;
}

void ShapesDataset::render(int64_t index, float* out) const
{
    const std::vector<int64_t> f = factorsOf(index);
    const double radius = kRadius * linspace(kScaleLow, kScaleHigh, kScales, f[1]);
    const double cx = kMargin + kSpan * linspace(0.0, 1.0, kPositions, f[3]);
    const double cy = kMargin + kSpan * linspace(0.0, 1.0, kPositions, f[4]);
    double c = 1, s = 0;
    rotation(f[2], c, s);
    std::fill(out, out + kImageSize * kImageSize, 0.0f);
    // Only pixels that can touch the shape's disc are sampled.
    const auto clampPixel = [](double p) { return std::clamp(static_cast<int>(std::floor(p)), 0, kImageSize - 1); };
    const int col0 = clampPixel(cx - radius - 1), col1 = clampPixel(cx + radius + 1);
    const int row0 = clampPixel(cy - radius - 1), row1 = clampPixel(cy + radius + 1);
    const double step = 1.0 / kSupersample, weight = 1.0 / (kSupersample * kSupersample);
    for (int row = row0; row <= row1; ++row) {
        for (int col = col0; col <= col1; ++col) {
            int hits = 0;
            for (int j = 0; j < kSupersample; ++j) {
                const double up = -(row + (j + 0.5) * step - cy) / radius; // v axis points up on screen
                for (int i = 0; i < kSupersample; ++i) {
                    const double right = (col + (i + 0.5) * step - cx) / radius;
                    hits += inside(f[0], c * right + s * up, -s * right + c * up);
                }
            }
            out[row * kImageSize + col] = static_cast<float>(hits * weight);
        }
    }
}

Array ShapesDataset::images(const std::vector<int64_t>& indices) const
{
    for (int64_t index : indices)
        checkIndex(index);
    const int64_t pixels = int64_t(kImageSize) * kImageSize;
    Array out({static_cast<int64_t>(indices.size()), 1, kImageSize, kImageSize});
    const auto renderRange = [&](size_t begin, size_t end) {
        for (size_t n = begin; n < end; ++n)
            render(indices[n], out.ptr() + int64_t(n) * pixels);
    };
    const size_t workers =
        std::min<size_t>(std::max(1u, std::thread::hardware_concurrency()), indices.size() / kImagesPerThread + 1);
    if (workers <= 1) {
        renderRange(0, indices.size());
        return out;
    }
    std::vector<std::thread> threads;
    const size_t per = (indices.size() + workers - 1) / workers;
    for (size_t w = 0; w < workers; ++w)
        threads.emplace_back(renderRange, std::min(indices.size(), w * per), std::min(indices.size(), (w + 1) * per));
    for (std::thread& t : threads)
        t.join();
    return out;
}

} // namespace lx

#include "ui/figure/ImageConvert.h"

#include <algorithm>
#include <cmath>

namespace lx::ui {
namespace {

uchar toByte(float v, double low, double scale)
{
    if (!std::isfinite(v))
        return 0;
    const double t = (static_cast<double>(v) - low) * scale;
    return static_cast<uchar>(std::clamp(std::lround(t), 0L, 255L));
}

// Picks a [C, H, W] interpretation for a flat sample of f values.
std::vector<int64_t> guessShape(int64_t f)
{
    const auto side = [](int64_t n) -> int64_t {
        const auto s = static_cast<int64_t>(std::llround(std::sqrt(static_cast<double>(n))));
        return s * s == n ? s : 0;
    };
    if (const int64_t s = side(f); s > 0)
        return {1, s, s};
    if (f % 3 == 0) {
        if (const int64_t s = side(f / 3); s > 0)
            return {3, s, s};
    }
    return {1, 1, f};
}

} // namespace

QImage ImageConvert::toImage(const lx::Array& sample, double low, double high, const std::vector<int64_t>& outputShape)
{
    if (sample.empty())
        return {};
    std::vector<int64_t> shape = sample.shape();
    if (shape.size() == 2)
        shape = {1, shape[0], shape[1]};
    if (shape.size() != 3) {
        const int64_t n = sample.numel();
        if (outputShape.size() == 3 && lx::Array::product(outputShape) == n)
            shape = outputShape;
        else if (outputShape.size() == 2 && lx::Array::product(outputShape) == n)
            shape = {1, outputShape[0], outputShape[1]};
        else
            shape = guessShape(n);
    }
    const int64_t channels = shape[0];
    const int height = static_cast<int>(shape[1]);
    const int width = static_cast<int>(shape[2]);
    if (channels <= 0 || height <= 0 || width <= 0)
        return {};

    const double scale = high > low ? 255.0 / (high - low) : 1.0;
    const float* data = sample.ptr();
    const int64_t plane = static_cast<int64_t>(height) * width;

    if (channels >= 3) {
        QImage image(width, height, QImage::Format_RGB888);
        for (int y = 0; y < height; ++y) {
            uchar* line = image.scanLine(y);
            for (int x = 0; x < width; ++x) {
                const int64_t i = static_cast<int64_t>(y) * width + x;
                line[3 * x + 0] = toByte(data[i], low, scale);
                line[3 * x + 1] = toByte(data[plane + i], low, scale);
                line[3 * x + 2] = toByte(data[2 * plane + i], low, scale);
            }
        }
        return image;
    }
    QImage image(width, height, QImage::Format_Grayscale8);
    for (int y = 0; y < height; ++y) {
        uchar* line = image.scanLine(y);
        for (int x = 0; x < width; ++x)
            line[x] = toByte(data[static_cast<int64_t>(y) * width + x], low, scale);
    }
    return image;
}

QImage ImageConvert::fromBatch(const lx::Array& batch, int64_t index, double low, double high,
                               const std::vector<int64_t>& outputShape)
{
    if (batch.rank() < 1 || index < 0 || index >= batch.dim(0))
        return {};
    return toImage(batch.row(index), low, high, outputShape);
}

QImage ImageConvert::normalizedGray(const float* values, int height, int width)
{
    QImage image(width, height, QImage::Format_Grayscale8);
    const int64_t n = static_cast<int64_t>(height) * width;
    float lo = 0.0f;
    float hi = 0.0f;
    bool any = false;
    for (int64_t i = 0; i < n; ++i) {
        const float v = values[i];
        if (!std::isfinite(v))
            continue;
        lo = any ? std::min(lo, v) : v;
        hi = any ? std::max(hi, v) : v;
        any = true;
    }
    const double range = static_cast<double>(hi) - lo;
    for (int y = 0; y < height; ++y) {
        uchar* line = image.scanLine(y);
        for (int x = 0; x < width; ++x) {
            const float v = values[static_cast<int64_t>(y) * width + x];
            if (!std::isfinite(v))
                line[x] = 0;
            else if (range <= 0.0)
                line[x] = 128;
            else
                line[x] = toByte(v, lo, 255.0 / range);
        }
    }
    return image;
}

QVector<QImage> ImageConvert::channelThumbnails(const lx::Array& activations, int64_t index, int maxChannels)
{
    QVector<QImage> thumbnails;
    if (activations.rank() < 2 || index < 0 || index >= activations.dim(0) || maxChannels <= 0)
        return thumbnails;
    const lx::Array sample = activations.row(index); // [C, ...]
    const auto& shape = sample.shape();
    const int64_t channels = shape[0];
    const int count = static_cast<int>(std::min<int64_t>(channels, maxChannels));
    thumbnails.reserve(count);

    if (shape.size() == 1) {
        // A flat layer: one grey tile per feature, on a common scale.
        QImage all = normalizedGray(sample.ptr(), 1, static_cast<int>(channels));
        for (int c = 0; c < count; ++c)
            thumbnails.push_back(all.copy(c, 0, 1, 1));
        return thumbnails;
    }
    int height = 1;
    int width = 1;
    if (shape.size() == 2) {
        width = static_cast<int>(shape[1]);
    } else {
        height = static_cast<int>(shape[1]);
        width = static_cast<int>(lx::Array::product({shape.begin() + 2, shape.end()}));
    }
    const int64_t plane = static_cast<int64_t>(height) * width;
    for (int c = 0; c < count; ++c)
        thumbnails.push_back(normalizedGray(sample.ptr() + c * plane, height, width));
    return thumbnails;
}

QVector<QImage> ImageConvert::fromBatchAll(const lx::Array& batch, double low, double high,
                                           const std::vector<int64_t>& outputShape)
{
    QVector<QImage> images;
    for (int64_t i = 0; i < (batch.rank() > 0 ? batch.dim(0) : 0); ++i)
        images << fromBatch(batch, i, low, high, outputShape);
    return images;
}

lx::Image8 ImageConvert::toImage8(const QImage& image)
{
    const bool gray = image.format() == QImage::Format_Grayscale8;
    const QImage src = image.convertToFormat(gray ? QImage::Format_Grayscale8 : QImage::Format_RGB888);
    lx::Image8 out(src.width(), src.height(), gray ? 1 : 3);
    const int rowBytes = src.width() * out.channels;
    for (int y = 0; y < src.height(); ++y)
        std::copy_n(src.constScanLine(y), rowBytes, out.pixels.data() + size_t(y) * size_t(rowBytes));
    return out;
}

} // namespace lx::ui

#include "ui/widgets/ColorMap.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace lx::ui {
namespace {

// magma at t = 0, 0.1, ..., 1 (as in matplotlib / viridisLite).
constexpr std::array<QRgb, 11> kMagma = {
    0xff000004, 0xff140e36, 0xff3b0f70, 0xff641a80, 0xff8c2981, 0xffb73779,
    0xffde4968, 0xfff7705c, 0xfffe9f6d, 0xfffecf92, 0xfffcfdbf,
};

int mix(int a, int b, double f) { return static_cast<int>(std::lround(a + (b - a) * f)); }

} // namespace

QRgb ColorMap::magma(double t)
{
    if (!(t > 0.0)) // also NaN
        return kMagma.front();
    if (t >= 1.0)
        return kMagma.back();
    const double x = t * (kMagma.size() - 1);
    const auto i = static_cast<size_t>(x);
    const double f = x - static_cast<double>(i);
    const QRgb a = kMagma[i];
    const QRgb b = kMagma[i + 1];
    return qRgb(mix(qRed(a), qRed(b), f), mix(qGreen(a), qGreen(b), f), mix(qBlue(a), qBlue(b), f));
}

QVector<QPair<double, QColor>> ColorMap::magmaStops()
{
    QVector<QPair<double, QColor>> stops;
    for (size_t i = 0; i < kMagma.size(); ++i)
        stops.append({static_cast<double>(i) / (kMagma.size() - 1), QColor(kMagma[i])});
    return stops;
}

QImage ColorMap::heatmap(const float* values, int height, int width, double low, double high)
{
    QImage image(width, height, QImage::Format_RGB32);
    const double scale = high > low ? 1.0 / (high - low) : 0.0;
    for (int y = 0; y < height; ++y) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
        for (int x = 0; x < width; ++x) {
            const double v = values[static_cast<qint64>(y) * width + x];
            line[x] = magma(std::isfinite(v) ? (v - low) * scale : 0.0);
        }
    }
    return image;
}

QImage ColorMap::legendBar(int width, int height)
{
    QImage image(std::max(1, width), std::max(1, height), QImage::Format_RGB32);
    for (int x = 0; x < image.width(); ++x) {
        const QRgb c = magma(image.width() > 1 ? double(x) / (image.width() - 1) : 0.0);
        for (int y = 0; y < image.height(); ++y)
            image.setPixel(x, y, c);
    }
    return image;
}

} // namespace lx::ui

#pragma once
// A perceptual colour ramp for heatmaps, black through purple and orange to pale yellow (the
// 11-stop "magma" ramp, linearly interpolated), and heatmap images made with it. Pure functions,
// safe on any thread.
#include <QColor>
#include <QImage>
#include <QVector>

namespace lx::ui {

class ColorMap {
public:
    // Colour at t in [0, 1] (clamped; NaN gives the lowest colour).
    static QRgb magma(double t);
    // The ramp's stops as (position, colour) pairs, e.g. for QCPColorGradient.
    static QVector<QPair<double, QColor>> magmaStops();

    // A width x height RGB32 image of row-major `values` mapped from [low, high] to the ramp.
    static QImage heatmap(const float* values, int height, int width, double low, double high);
    // A horizontal legend bar (low on the left) of the given size.
    static QImage legendBar(int width, int height);
};

} // namespace lx::ui

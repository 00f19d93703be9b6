#pragma once
// Module discovery's job and result in the GUI (ModuleTasks runs lx::ModuleDiscovery on the worker); the
// result is what the modules panel shows and the module assays read.
#include "lx/ModuleDiscovery.h"

#include <QMetaType>
#include <QString>
#include <QVector>

namespace lx::ui {

using ModuleMethod = lx::ModuleMethod;

// Module discovery on a set of influence maps: optional smoothing (sigma pixels, 0 = off) and
// per-map quantile threshold (0 = off), then NMF of rank k or k-means with k clusters.
struct ModulesJob {
    ModuleMethod method = ModuleMethod::Nmf;
    int k = 3;
    quint64 seed = 0;
    double sigma = 1.0;
    double threshold = 0.0;
    QVector<float> maps; // [channels, height, width] as in InfluenceResult
    int channels = 0;
    int height = 0;
    int width = 0;
};

struct ModulesResult {
    quint64 id = 0;
    ModuleMethod method = ModuleMethod::Nmf;
    int k = 0;
    quint64 seed = 0;
    double sigma = 0.0;
    double threshold = 0.0;
    QVector<int> assignment; // module of each channel
    QVector<float> templates; // [k, height * width]: rows of H (NMF) or the centroids (k-means)
    QVector<float> moduleMaps; // [k, height * width]: mean of the member channels' (raw) EIMs
    int height = 0;
    int width = 0;
    double error = 0.0; // NMF: relative error ||S - WH|| / ||S||; k-means: inertia
    int iterations = 0;
    double computeMs = 0.0;

    QVector<int> members(int module) const; // channels of a module, ascending
};

QString methodName(ModuleMethod method);

} // namespace lx::ui

Q_DECLARE_METATYPE(lx::ui::ModulesResult)

#pragma once
// Immutable values that cross the thread boundary between the UI and the ComputeWorker. They are
// registered with Qt's meta-type system (registerWorkerTypes) so queued signals can carry them.
#include <QImage>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

namespace lx::ui {

// One interactive hybrid request: the layer, the channels taken from z2, and the two latent seeds.
// Layer -1 asks for x(z1) and x(z2) only (for models without layers); the frame's hybrid is null.
// `modelGeneration` names the model the request was made for (ModelSummary::generation); the worker
// drops requests made for another model. 0 means "whatever model is loaded".
struct HybridRequest {
    quint64 seq = 0;
    int layer = 0;
    QVector<int> channels;
    quint64 seed1 = 0;
    quint64 seed2 = 0;
    quint64 modelGeneration = 0;
};

// The answer to a HybridRequest: x(z1), the hybrid and x(z2) as display images, plus per-channel
// thumbnails of the layer's activations for z1 (at most ComputeWorker::kMaxThumbnails).
struct HybridFrame {
    quint64 seq = 0;
    QImage x1;
    QImage hybrid;
    QImage x2;
    QVector<QImage> channelThumbnails;
    int layer = 0;
    qint64 channelCount = 0;     // channels of the layer
    int selectedCount = 0;       // channels taken from z2
    quint64 seed1 = 0;
    quint64 seed2 = 0;
    double computeMs = 0.0;      // latents + prefix (when not cached) + hybrid suffix
    bool prefixCached = false;   // the activations before the layer were reused
    quint64 modelGeneration = 0;
};

// What the UI needs to know about a freshly loaded model.
struct ModelSummary {
    QString path;
    QString name;
    QString description;
    QString kind;
    QString device;
    QVector<qint64> latentShape;
    QVector<qint64> outputShape;
    double outputLow = -1.0;
    double outputHigh = 1.0;
    QStringList layerNames;
    QStringList layerTypes;
    QVector<QVector<qint64>> layerShapes;
    QString discoveryNote;
    quint64 generation = 0;   // increases with every successful load

    int layerCount() const { return static_cast<int>(layerNames.size()); }
    // A sensible layer to start with: the middle of the generating path.
    int defaultLayer() const { return layerNames.isEmpty() ? -1 : (layerCount() - 1) / 2; }
};

// "[64, 16, 16]"
QString shapeText(const QVector<qint64>& shape);

// Registers the types above for queued connections. Idempotent; call before connecting.
void registerWorkerTypes();

} // namespace lx::ui

Q_DECLARE_METATYPE(lx::ui::HybridRequest)
Q_DECLARE_METATYPE(lx::ui::HybridFrame)
Q_DECLARE_METATYPE(lx::ui::ModelSummary)

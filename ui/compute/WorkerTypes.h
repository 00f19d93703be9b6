#pragma once
// Immutable values that cross the thread boundary between the UI and the ComputeWorker. They are
// registered with Qt's meta-type system (registerWorkerTypes) so queued signals can carry them.
#include <QImage>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVector>

#include "lx/LayerEdit.h"

class QElapsedTimer;

namespace lx::ui {

// Milliseconds on `timer`, for the timings tasks report.
double elapsedMs(const QElapsedTimer& timer);

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
    QString discoveryDetails; // why module calls are not layers, one per line (the note's tooltip)
    QStringList classNames; // class_input's classes of a class-conditional model (empty: none)
    bool classOneHot = false; // its encoding is "onehot" (it takes class mixtures)
    quint64 generation = 0; // increases with every successful load

    int layerCount() const { return static_cast<int>(layerNames.size()); }
    // A sensible layer to start with: the middle of the generating path.
    int defaultLayer() const { return layerNames.isEmpty() ? -1 : (layerCount() - 1) / 2; }
};

// --- Influence maps: computed by influence/, read by modules/ (the maps modules are found from) ---

struct InfluenceResult {
    quint64 id = 0;
    QString modelPath;
    quint64 modelGeneration = 0;
    int layer = 0;
    int pairs = 0;
    quint64 firstSeed = 0;
    QVector<float> maps; // [channels, height, width], row-major; flat outputs: height 1
    QVector<double> totals; // per channel: sum of its map over the pixels
    int channels = 0;
    int height = 0;
    int width = 0;
    double computeMs = 0.0;
    // Maps opened from a file (InfluencePanel::openMaps) rather than computed: the file's absolute path
    // and the shards its provenance says they were merged from (0: not recorded). Their pairs are the
    // provenance's `items` (0: unknown) and firstSeed means nothing: the file's latents were not seeds.
    // Empty for computed maps, so opened maps never stand in for a computation (InfluenceCache).
    QString sourcePath;
    int sourceShards = 0;

    bool isEmpty() const { return channels == 0; }
    bool isOpened() const { return !sourcePath.isEmpty(); }
    qint64 plane() const { return qint64(height) * width; }
    const float* map(int channel) const { return maps.constData() + channel * plane(); }
};

// "[64, 16, 16]"
QString shapeText(const QVector<qint64>& shape);

// Registers the types above for queued connections. Idempotent; call before connecting.
void registerWorkerTypes();

} // namespace lx::ui

Q_DECLARE_METATYPE(lx::ui::ModelSummary)
Q_DECLARE_METATYPE(lx::ui::InfluenceResult)

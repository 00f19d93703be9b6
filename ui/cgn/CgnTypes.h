#pragma once
// Values of the CGN mixer (Sauer & Geiger, Counterfactual Generative Networks, ICLR 2021): what the
// mixer shows (its state, which is also an undo step and the session's "cgn" view settings) and what the
// compute worker hands back inside the QVariant of TaskHandle::finished. Built on
// the worker thread by CgnTasks from lx::CgnModel results.
#include "lx/CgnModel.h"
#include "ui/compute/WorkerTypes.h"

#include <QImage>
#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

#include <memory>
#include <vector>

namespace lx::ui {

// The three mechanisms' inputs (class, second class + mix, noise seed) and the counterfactual grid's
// settings.
struct CgnMixerState {
    lx::CgnRequest request;
    int gridRows = 4;
    int gridCols = 6;
    quint64 gridSeed = 1;

    static constexpr int kMaxGridSide = 16;

    QJsonObject toJson() const;
    // Reads the keys of toJson() over `base` (a missing key keeps base's value); classes are clamped to
    // [0, classCount), mixes to [0, 1], grid sides to [1, kMaxGridSide].
    static CgnMixerState fromJson(const QJsonObject& json, int classCount, const CgnMixerState& base);
};

bool sameInput(const lx::CgnMechanismInput& a, const lx::CgnMechanismInput& b);
bool operator==(const CgnMixerState& a, const CgnMixerState& b);
inline bool operator!=(const CgnMixerState& a, const CgnMixerState& b) { return !(a == b); }

// The open CGN: the model (used on the worker thread only: every task body captures this pointer) and
// what the mixer needs to know about it.
struct CgnModelInfo {
    std::shared_ptr<lx::CgnModel> model;
    QString path;
    QString name;
    QString description;
    QString device;
    QStringList classes;
    qint64 latentSize = 0;
    QVector<qint64> imageShape; // [3, H, W]
    double outputLow = -1.0;
    double outputHigh = 1.0;
    double maskLow = 1e-4;
    double maskHigh = 0.9999;
    bool shuffled = false; // the card's shuffle is tile2x2
    bool sharedNoise = false; // the card's noise is "shared" (one u for all mechanisms)

    // For the Model panel and session documents: kind "cgn", no layers.
    ModelSummary summary() const;
    // "T-shirt" or "T-shirt 70% · Bag 30%".
    QString describe(const lx::CgnMechanismInput& input) const;
};

// One rendered image with its parts, as display images, and the raw arrays they came from.
struct CgnFrame {
    lx::CgnRequest request;
    lx::CgnImages raw; // N = 1, model units
    QImage premask; // min-max normalised (premask is not bounded)
    QImage mask; // [0, 1] -> 0..255
    QImage foreground; // output_range -> 0..255
    QImage background;
    QImage composite;
    float premaskLow = 0.0f;
    float premaskHigh = 0.0f;
    double maskMean = 0.0;
    double computeMs = 0.0;
};

// The counterfactual grid: one fixed shape mechanism (the mask) and rows x cols random (texture,
// background) draws from `seed`.
struct CgnGridRequest {
    lx::CgnMechanismInput shape;
    int rows = 3;
    int cols = 6;
    quint64 seed = 1;

    // The cells' requests, row-major: the counterfactuals of one mask as the dataset export draws them
    // (lx::CgnDataset::request with `seed`, rows * cols per mask: texture and background each with its own
    // uniformly drawn class and noise seed), with `shape` as the shape mechanism.
    std::vector<lx::CgnRequest> cells(int classCount) const;
};

struct CgnGridData {
    CgnGridRequest request;
    std::vector<lx::CgnRequest> cells; // row-major
    QImage mask; // the fixed mask, [0, 1] -> 0..255
    QVector<QImage> composites; // row-major
    double computeMs = 0.0;

    const QImage& cell(int row, int col) const { return composites[row * request.cols + col]; }
};

// A counterfactual dataset export (lx::CgnDataset) and its outcome.
struct CgnExportRequest {
    QString folder;
    int count = 1000;
    int cfsPerMask = 10;
    quint64 seed = 0;
};

struct CgnExportResult {
    CgnExportRequest request;
    qint64 written = 0;
    qint64 skipped = 0;
    double seconds = 0.0;
    double imagesPerSecond = 0.0;
};

void registerCgnTypes(); // idempotent

} // namespace lx::ui

Q_DECLARE_METATYPE(lx::ui::CgnModelInfo)
Q_DECLARE_METATYPE(lx::ui::CgnFrame)
Q_DECLARE_METATYPE(lx::ui::CgnGridData)
Q_DECLARE_METATYPE(lx::ui::CgnExportResult)

#pragma once
// Values of the module assays (Besserve et al.) that cross from the compute worker to the UI inside
// a QVariant (a TaskHandle's finished): the module hybrid grid, classifier robustness per module,
// the consistency-over-K curve and the group influence maps of a set of modules.
#include "lx/HybridGrid.h"
#include "lx/ModuleConsistency.h"
#include "lx/RobustnessAssay.h"

#include <QImage>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

#include <vector>

namespace lx::ui {

// A hybrid grid: rows z1 (seeds), columns z2 (seeds), `channels` of `layer` taken from the column.
struct ModuleGridRequest {
    int layer = -1;
    QVector<int> channels;
    QVector<quint64> rowSeeds;
    QVector<quint64> colSeeds;
    QString label; // what the channels are, e.g. "M2 (8 channels)"
    // A class-conditional model: every row's class and every column's (-1: none), and whether the layers
    // after the cut take the column's class.
    int rowClass = -1;
    int colClass = -1;
    bool classFromDonor = false;

    std::vector<int> rowClasses() const { return classList(rowClass, rowSeeds.size()); }
    std::vector<int> colClasses() const { return classList(colClass, colSeeds.size()); }
    static std::vector<int> classList(int cls, qsizetype n)
    {
        return cls < 0 ? std::vector<int>() : std::vector<int>(size_t(n), cls);
    }
};

struct ModuleGridData {
    ModuleGridRequest request;
    lx::HybridGridResult grid; // raw model units
    QVector<QImage> originals; // x(z1_i), display images
    QVector<QImage> donors; // x(z2_j)
    QVector<QImage> cells; // hybrids, row-major [rows * cols]
    double computeMs = 0.0;

    int rows() const { return static_cast<int>(originals.size()); }
    int cols() const { return static_cast<int>(donors.size()); }
    const QImage& cell(int row, int col) const { return cells[row * cols() + col]; }
};

// The robustness assay of one layer's modules over `pairs` pairs from seeds firstSeed.. (pair i =
// (seed firstSeed + i, seed firstSeed + pairs + i)), classified by the classifier at `classifierPath`.
struct RobustnessRequest {
    int layer = -1;
    QVector<int> assignment; // module of each channel
    int pairs = 128;
    quint64 firstSeed = 0;
    QString classifierPath;
};

struct RobustnessData {
    RobustnessRequest request;
    lx::RobustnessResult result;
    QStringList classes;
    QString classifierName;
};

// Consistency over K: the maps shown (set A, raw EIMs [C, H, W] over `pairs` pairs from firstSeed)
// against a second, independent set B (the seeds after A's), both smoothed and thresholded alike.
struct ConsistencyRequest {
    int layer = -1;
    int pairs = 64;
    quint64 firstSeed = 0;
    QVector<float> mapsA;
    int channels = 0;
    int height = 0;
    int width = 0;
    double sigma = 0.0;
    double threshold = 0.0;
    int kMin = 2;
    int kMax = 8;
    quint64 seed = 0;
};

struct ConsistencyData {
    ConsistencyRequest request; // without mapsA
    std::vector<lx::ConsistencyPoint> points;
    double computeMs = 0.0;
};

// Influence maps of whole modules (InfluenceEngine::groupMap): the module's channels swapped together.
struct GroupMapsRequest {
    int layer = -1;
    QVector<QVector<int>> modules;
    int pairs = 64;
    quint64 firstSeed = 0;
    QString key; // which modules result these belong to
};

struct GroupMapsData {
    GroupMapsRequest request;
    QVector<float> maps; // [modules, height * width]
    int height = 0;
    int width = 0;
};

void registerModuleAssayTypes(); // idempotent

} // namespace lx::ui

Q_DECLARE_METATYPE(lx::ui::ModuleGridData)
Q_DECLARE_METATYPE(lx::ui::RobustnessData)
Q_DECLARE_METATYPE(lx::ui::ConsistencyData)
Q_DECLARE_METATYPE(lx::ui::GroupMapsData)

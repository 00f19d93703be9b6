#pragma once
// Values of the "Latent responses" workbench (Leeb, Bauer, Besserve, Schölkopf, NeurIPS 2022): what a
// panel asks for (the data source, the map's slice) and what the worker hands back, as plain Qt values
// that travel inside the QVariant of TaskHandle::finished. Built on the worker
// thread by ResponseTasks from core results.
#include <QImage>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

#include <cstdint>
#include <vector>

namespace lx {
class Array;
}

namespace lx::ui {

// Where intervention values come from: the aggregate posterior (the paper's choice: another sample's
// posterior mean per dimension) or the prior N(0, 1) (the original code's fallback without data).
enum class ValueSource { AggregatePosterior, Prior };

// The samples behind a response matrix (and the posterior histogram of a response map).
struct ResponseDataSource {
    ValueSource values = ValueSource::AggregatePosterior;
    QString dataset; // a dataset core knows (the card's `dataset`, e.g. "lx-shapes"), or empty
    QString imagesPath; // a .npy of images [M, *output_shape] in raw model units, or empty
    int samples = 128; // N base points (the code's default num_samples = 100; the notebook 128)
    quint64 seed = 0;

    bool hasData() const { return !dataset.isEmpty() || !imagesPath.isEmpty(); }
};

// What the card says about a dataset with known factors (for the conditioned matrix).
struct ResponseModelInfo {
    quint64 modelGeneration = 0;
    int latentSize = 0;
    QString dataset; // the card's `dataset` key, may be empty or unknown to core
    bool datasetUsable = false; // core knows it and its images fit the model
    QString datasetNote; // why it is not usable (empty when it is)
    QStringList factorNames; // the dataset's factors (when usable)
};

struct ResponseMatrixResult {
    QVector<float> matrix; // [d, d] row-major: row i = intervened dim, column j = responding dim
    int dims = 0;
    int samples = 0;
    quint64 seed = 0;
    ValueSource values = ValueSource::Prior; // the source actually used
    QString sourceText; // e.g. "aggregate posterior of 128 lx-shapes images"
    QString note; // e.g. the fallback to the prior; empty when none
    double computeMs = 0.0;
    // A matrix opened from a file (ResponseMatrixFile) rather than computed: the file's absolute path
    // and the shards its provenance says it was merged from (0: not recorded). `samples` is then the
    // provenance's `items` (0: unknown), `sourceText` says where it came from, and seed, values, note
    // and computeMs mean nothing. Empty for computed matrices.
    QString sourcePath;
    int sourceShards = 0;

    bool isOpened() const { return !sourcePath.isEmpty(); }
    float at(int row, int col) const { return matrix.value(row * dims + col); }
    QVector<float> diagonal() const;
};

struct ConditionedMatrixResult {
    QVector<float> matrix; // [F, d] row-major: row k = factor, column j = latent dim
    int factors = 0;
    int dims = 0;
    QStringList factorNames;
    QString dataset;
    double cds = 0.0;
    int traversals = 0;
    int batch = 0;
    quint64 seed = 0;
    double computeMs = 0.0;
    // Opened from a file (ResponseMatrixFile), as for ResponseMatrixResult: traversals, batch and seed are
    // the provenance's (0 when it records none) and `sourceText` says where the matrix came from.
    QString sourcePath;
    int sourceShards = 0;
    QString sourceText;

    bool isOpened() const { return !sourcePath.isEmpty(); }
    float at(int row, int col) const { return matrix.value(row * dims + col); }
};

// A response map's request: the slice (dimX horizontal, dimY vertical) through the base point.
struct ResponseMapRequest {
    int dimX = 0;
    int dimY = 1;
    int grid = 64;
    double radius = 2.0;
    quint64 baseSeed = 0; // the base point is LatentSampler's prior sample of this seed
};

// Every [n, n] array below follows core's ResponseMap orientation: element [row * n + col] is the grid
// point x = axis[col], y = axis[row]; row 0 is y = -radius (the BOTTOM of a plot whose y points up).
struct ResponseMapData {
    ResponseMapRequest request;
    QVector<float> base; // [d]
    QVector<float> fieldX, fieldY, magnitude, divergence, curvature; // [n, n]
    QVector<float> histogram; // [bins, bins], same orientation; empty without posterior samples
    int bins = 0;
    int posteriorPoints = 0;
    QString histogramNote; // why there is no histogram, or where its points came from
    QVector<double> axis; // n values, linspace(-r, r, n)
    double computeMs = 0.0;

    int grid() const { return static_cast<int>(axis.size()); }
};

// A latent, its response R(z) and both decoded (the sliders, click-to-decode).
struct LatentProbe {
    QVector<float> z; // [d]
    QVector<float> response; // R(z), [d]
    QImage image; // x(z)
    QImage responseImage; // x(R(z))
};

// Traversal strips: for every dim i, decode z with z_i swept over values (others fixed).
struct TraversalStrips {
    QVector<double> values; // the sweep, linspace(-r, r, steps)
    QVector<QVector<QImage>> strips; // [d][steps]
    QVector<double> diagonal; // per dim: the sort key (larger first)
    QVector<int> order; // dims, sorted by the key, descending
    QString orderNote; // what the key is
};

// Iterated responses z, R(z), R(R(z)), ...
struct IteratedResponses {
    QVector<float> path; // [steps + 1, d], row 0 = z
    int dims = 0;
    QVector<QImage> images; // x(R^k(z)), k = 0..steps

    int steps() const { return images.isEmpty() ? 0 : static_cast<int>(images.size()) - 1; }
    float at(int step, int dim) const { return path.value(step * dims + dim); }
};

QString valueSourceName(ValueSource source); // "aggregate posterior", "prior"

QVector<float> floatsOf(const lx::Array& array);
// Row-major [rows, cols] values as an lx::Array (for .npy export).
lx::Array arrayOf(const QVector<float>& values, const std::vector<int64_t>& shape);

} // namespace lx::ui

Q_DECLARE_METATYPE(lx::ui::ResponseModelInfo)
Q_DECLARE_METATYPE(lx::ui::ResponseMatrixResult)
Q_DECLARE_METATYPE(lx::ui::ConditionedMatrixResult)
Q_DECLARE_METATYPE(lx::ui::ResponseMapData)
Q_DECLARE_METATYPE(lx::ui::LatentProbe)
Q_DECLARE_METATYPE(lx::ui::TraversalStrips)
Q_DECLARE_METATYPE(lx::ui::IteratedResponses)

#include "ui/responses/ResponseTasks.h"

#include "lx/ConditionedResponse.h"
#include "lx/Error.h"
#include "lx/FactorDataset.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/Npy.h"
#include "lx/PosteriorMeans.h"
#include "lx/ResponseEngine.h"
#include "lx/ResponseMap.h"
#include "lx/SplitMix64.h"
#include "ui/figure/ImageConvert.h"

#include <QElapsedTimer>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace lx::ui {
namespace {

// Keeps the image draws apart from the other users of a seed.
constexpr uint64_t kImageSalt = 0x696d616765736565ull; // "imagesee"

int64_t latentSize(const lx::Model& model) { return model.card().latentSize(); }

// A latent [d] from the UI as a batch [1, d].
lx::Array latentRow(const lx::Model& model, const QVector<float>& z)
{
    const int64_t d = latentSize(model);
    if (z.size() != d)
        throw lx::Error("expected a latent of " + std::to_string(d) + " values, got " + std::to_string(z.size()));
    return arrayOf(z, {1, d});
}

QImage imageOf(const lx::Model& model, const lx::Array& batch, int64_t index)
{
    return ImageConvert::fromBatch(batch, index, model.card().outputLow, model.card().outputHigh, model.outputShape());
}

// `count` row indices into `size` rows: the first `count` of a seeded permutation, or draws with
// replacement when count > size.
std::vector<int64_t> drawRows(int64_t size, int64_t count, uint64_t seed)
{
    lx::SplitMix64 rng(seed ^ kImageSalt);
    std::vector<int64_t> rows(static_cast<size_t>(size));
    if (count <= size) {
        std::iota(rows.begin(), rows.end(), int64_t(0));
        for (int64_t k = size - 1; k > 0; --k)
            std::swap(rows[size_t(k)], rows[size_t(rng.below(uint64_t(k) + 1))]);
        rows.resize(size_t(count));
        return rows;
    }
    rows.resize(size_t(count));
    for (int64_t& r : rows)
        r = int64_t(rng.below(uint64_t(size)));
    return rows;
}

// Images of the card's dataset, mapped from [0, 1] onto the model's output range: [count, ...].
lx::Array datasetImages(const lx::Model& model, const lx::FactorDataset& data, int count, uint64_t seed)
{
    if (data.imageShape() != model.outputShape())
        throw lx::Error("dataset " + data.name() + " has images " + lx::Array::shapeString(data.imageShape())
                        + " but the model makes " + lx::Array::shapeString(model.outputShape()));
    lx::Array x = data.images(drawRows(data.size(), count, seed));
    const double low = model.card().outputLow, high = model.card().outputHigh;
    if (low != 0.0 || high != 1.0) {
        for (float& v : x.data())
            v = static_cast<float>(low + (high - low) * v);
    }
    return x;
}

// Rows of a user's .npy of images [M, *output_shape] (or [M, numel]).
lx::Array fileImages(const lx::Model& model, const std::string& path, int count, uint64_t seed)
{
    const lx::Array all = lx::Npy::read(path);
    all.requireFinite(path);
    const int64_t per = lx::Array::product(model.outputShape());
    if (all.rank() < 2 || all.dim(0) < 1 || all.numel() != all.dim(0) * per)
        throw lx::Error(path + ": expected images of shape [M, " + lx::Array::shapeString(model.outputShape())
                        + "...] (" + std::to_string(per) + " values each), got " + lx::Array::shapeString(all.shape()));
    std::vector<int64_t> shape = model.outputShape();
    shape.insert(shape.begin(), all.dim(0));
    const lx::Array images = all.reshaped(shape);
    const std::vector<int64_t> rows = drawRows(images.dim(0), count, seed);
    std::vector<lx::Array> picked;
    picked.reserve(rows.size());
    for (int64_t r : rows)
        picked.push_back(images.row(r));
    return lx::Array::stack(picked);
}

template <typename F> TaskBody bodyOf(F compute)
{
    return [compute](lx::Model& model, const lx::ProgressFn& progress, const lx::CancelToken& cancel) {
        return QVariant::fromValue(compute(model, progress, &cancel));
    };
}

} // namespace

lx::Array ResponseTasks::posteriorSamples(lx::Model& model, const ResponseDataSource& source, int count,
                                          const lx::CancelToken* cancel, QString* text)
{
    if (count < 1 || !source.hasData())
        return {};
    lx::Array images;
    if (!source.dataset.isEmpty()) {
        const auto data = lx::makeFactorDataset(source.dataset.toStdString());
        images = datasetImages(model, *data, count, source.seed);
        if (text)
            *text = QStringLiteral("%1 random %2 images").arg(count).arg(source.dataset);
    } else {
        images = fileImages(model, source.imagesPath.toStdString(), count, source.seed);
        if (text)
            *text = QStringLiteral("%1 images of %2").arg(count).arg(QFileInfo(source.imagesPath).fileName());
    }
    return lx::PosteriorMeans::of(model, images, {}, cancel);
}

QVector<float> ResponseTasks::mapBase(lx::Model& model, quint64 seed)
{
    const int64_t d = latentSize(model);
    return floatsOf(lx::LatentSampler({d}).sample({seed}).reshaped({d}));
}

ResponseModelInfo ResponseTasks::modelInfo(lx::Model& model)
{
    ResponseModelInfo info;
    info.latentSize = static_cast<int>(latentSize(model));
    const lx::Card& card = model.card();
    info.dataset = QString::fromStdString(card.dataset);
    if (card.dataset.empty()) {
        info.datasetNote = QStringLiteral(
            "the model's card names no dataset with known factors "
            "(card key \"dataset\", e.g. \"lx-shapes\")");
        return info;
    }
    const std::vector<std::string> known = lx::factorDatasetNames();
    if (std::find(known.begin(), known.end(), card.dataset) == known.end()) {
        QStringList names;
        for (const std::string& name : known)
            names << QString::fromStdString(name);
        info.datasetNote = QStringLiteral(
                               "the card's dataset '%1' is not one Latent Explorer can generate "
                               "(known: %2)")
                               .arg(info.dataset, names.join(QStringLiteral(", ")));
        return info;
    }
    const auto data = lx::makeFactorDataset(card.dataset);
    if (data->imageShape() != model.outputShape()) {
        info.datasetNote = QStringLiteral("dataset %1 has images %2 but the model makes %3")
                               .arg(info.dataset, QString::fromStdString(lx::Array::shapeString(data->imageShape())),
                                    QString::fromStdString(lx::Array::shapeString(model.outputShape())));
        return info;
    }
    info.datasetUsable = true;
    for (const std::string& name : data->factorNames())
        info.factorNames << QString::fromStdString(name);
    return info;
}

ResponseMatrixResult ResponseTasks::computeMatrix(lx::Model& model, const ResponseDataSource& source,
                                                  const lx::ProgressFn& progress, const lx::CancelToken* cancel)
{
    if (source.samples < 1 || source.samples > kMaxSamples)
        throw lx::Error("samples must lie in 1.." + std::to_string(kMaxSamples) + ", not "
                        + std::to_string(source.samples));
    QElapsedTimer timer;
    timer.start();
    lx::ResponseEngine engine(model);
    const int64_t d = latentSize(model);
    const int n = source.samples;
    ResponseMatrixResult result;
    result.dims = static_cast<int>(d);
    result.samples = n;
    result.seed = source.seed;
    lx::Array z, values;
    if (source.values == ValueSource::AggregatePosterior && source.hasData()) {
        QString text;
        z = posteriorSamples(model, source, n, cancel, &text);
        values = lx::ResponseEngine::aggregatePosteriorValues(z, n, source.seed);
        result.values = ValueSource::AggregatePosterior;
        result.sourceText = QStringLiteral("aggregate posterior of %1").arg(text);
    } else {
        z = lx::LatentSampler({d}).sample(lx::LatentSampler::seedRange(source.seed, n));
        values = lx::ResponseEngine::priorValues(n, d, source.seed);
        result.values = ValueSource::Prior;
        result.sourceText = QStringLiteral("prior N(0, 1), %1 samples").arg(n);
        if (source.values == ValueSource::AggregatePosterior)
            result.note = QStringLiteral(
                "No data for the aggregate posterior (the card names no dataset and "
                "no image file was chosen): used the prior instead.");
    }
    result.matrix = floatsOf(engine.responseMatrix(z, values, progress, cancel));
    result.computeMs = elapsedMs(timer);
    return result;
}

ConditionedMatrixResult ResponseTasks::computeConditioned(lx::Model& model, int traversals, int batch, quint64 seed,
                                                          const lx::ProgressFn& progress, const lx::CancelToken* cancel)
{
    const ResponseModelInfo info = modelInfo(model);
    if (!info.datasetUsable)
        throw lx::Error("no conditioned response matrix: " + info.datasetNote.toStdString());
    QElapsedTimer timer;
    timer.start();
    const auto data = lx::makeFactorDataset(model.card().dataset);
    lx::ResponseEngine engine(model);
    lx::ConditionedOptions options;
    options.traversals = traversals;
    options.batch = batch;
    options.seed = seed;
    const lx::ConditionedResult c = lx::conditionedResponseMatrix(engine, model, *data, options, progress, cancel);
    ConditionedMatrixResult result;
    result.matrix = floatsOf(c.matrix);
    result.factors = static_cast<int>(c.matrix.dim(0));
    result.dims = static_cast<int>(c.matrix.dim(1));
    for (const std::string& name : c.factorNames)
        result.factorNames << QString::fromStdString(name);
    result.dataset = QString::fromStdString(c.dataset);
    result.cds = c.cds;
    result.traversals = traversals;
    result.batch = batch;
    result.seed = seed;
    result.computeMs = elapsedMs(timer);
    return result;
}

ResponseMapData ResponseTasks::computeMap(lx::Model& model, const ResponseMapRequest& request,
                                          const ResponseDataSource& source, const lx::ProgressFn& progress,
                                          const lx::CancelToken* cancel)
{
    QElapsedTimer timer;
    timer.start();
    lx::ResponseEngine engine(model);
    ResponseMapData out;
    out.request = request;
    out.base = mapBase(model, request.baseSeed);
    QString text;
    const lx::Array posterior =
        posteriorSamples(model, source, std::max(source.samples, kMinHistogramPoints), cancel, &text);
    lx::ResponseMapOptions options;
    options.dimX = request.dimX;
    options.dimY = request.dimY;
    options.gridSize = request.grid;
    options.radius = request.radius;
    const lx::ResponseMapResult r =
        lx::responseMap(engine, latentRow(model, out.base), options, posterior, progress, cancel);
    out.base = floatsOf(r.base);
    out.fieldX = floatsOf(r.fieldX);
    out.fieldY = floatsOf(r.fieldY);
    out.magnitude = floatsOf(r.magnitude);
    out.divergence = floatsOf(r.divergence);
    out.curvature = floatsOf(r.curvature);
    out.axis = QVector<double>(r.axis.begin(), r.axis.end());
    if (!r.histogram.empty()) {
        out.histogram = floatsOf(r.histogram);
        out.bins = static_cast<int>(r.histogram.dim(0));
        out.posteriorPoints = static_cast<int>(posterior.dim(0));
        out.histogramNote = QStringLiteral("posterior means of %1").arg(text);
    } else {
        out.histogramNote = QStringLiteral(
            "No posterior histogram: it needs data (a dataset in the card, "
            "or an image file chosen above).");
    }
    out.computeMs = elapsedMs(timer);
    return out;
}

LatentProbe ResponseTasks::probe(lx::Model& model, const QVector<float>& z)
{
    lx::ResponseEngine engine(model);
    const lx::Array row = latentRow(model, z);
    const lx::Array r = engine.response(row).reshaped({1, latentSize(model)});
    const lx::Array images = model.generate(lx::Array::stack({row.row(0), r.row(0)}));
    LatentProbe probe;
    probe.z = z;
    probe.response = floatsOf(r);
    probe.image = imageOf(model, images, 0);
    probe.responseImage = imageOf(model, images, 1);
    return probe;
}

TraversalStrips ResponseTasks::traversals(lx::Model& model, const QVector<float>& z, double radius, int steps,
                                          const QVector<float>& matrixDiagonal)
{
    if (steps < 2 || steps > 64)
        throw lx::Error("traversal steps must lie in 2..64, not " + std::to_string(steps));
    if (!(radius > 0.0))
        throw lx::Error("traversal radius must be > 0");
    const int64_t d = latentSize(model);
    const lx::Array base = latentRow(model, z);
    TraversalStrips out;
    for (int s = 0; s < steps; ++s)
        out.values << -radius + 2.0 * radius * s / (steps - 1);
    // Row i * steps + s: z with dimension i set to values[s].
    lx::Array sweep({d * steps, d});
    for (int64_t i = 0; i < d; ++i) {
        for (int s = 0; s < steps; ++s) {
            float* row = sweep.ptr() + (i * steps + s) * d;
            std::copy(base.ptr(), base.ptr() + d, row);
            row[i] = static_cast<float>(out.values[s]);
        }
    }
    const lx::Array images = model.generate(sweep);
    out.strips.resize(static_cast<int>(d));
    for (int64_t i = 0; i < d; ++i) {
        for (int s = 0; s < steps; ++s)
            out.strips[int(i)] << imageOf(model, images, i * steps + s);
    }
    if (matrixDiagonal.size() == d) {
        out.diagonal = QVector<double>(matrixDiagonal.begin(), matrixDiagonal.end());
        out.orderNote = QStringLiteral("sorted by the response matrix's diagonal");
    } else {
        // The diagonal of a response matrix whose base point is z and whose values are the sweep:
        // RMS over the sweep of R_i(z with z_i := v) - R_i(z).
        lx::ResponseEngine engine(model);
        const lx::Array rz = engine.response(base).reshaped({d});
        const lx::Array rs = engine.response(sweep).reshaped({d * steps, d});
        for (int64_t i = 0; i < d; ++i) {
            double sum = 0.0;
            for (int s = 0; s < steps; ++s) {
                const double diff = rs.ptr()[(i * steps + s) * d + i] - rz.ptr()[i];
                sum += diff * diff;
            }
            out.diagonal << std::sqrt(sum / steps);
        }
        out.orderNote = QStringLiteral("sorted by the diagonal response along each sweep (RMS of R_i − R_i(z))");
    }
    for (int i = 0; i < d; ++i)
        out.order << i;
    std::stable_sort(out.order.begin(), out.order.end(),
                     [&](int a, int b) { return out.diagonal[a] > out.diagonal[b]; });
    return out;
}

IteratedResponses ResponseTasks::iterate(lx::Model& model, const QVector<float>& z, int steps)
{
    if (steps < 1 || steps > 256)
        throw lx::Error("iteration steps must lie in 1..256, not " + std::to_string(steps));
    lx::ResponseEngine engine(model);
    const int64_t d = latentSize(model);
    const lx::Array path = engine.iterate(latentRow(model, z), steps).reshaped({steps + 1, d});
    const lx::Array images = model.generate(path);
    IteratedResponses out;
    out.path = floatsOf(path);
    out.dims = static_cast<int>(d);
    for (int k = 0; k <= steps; ++k)
        out.images << imageOf(model, images, k);
    return out;
}

TaskBody ResponseTasks::modelInfoTask()
{
    return [](lx::Model& model, const lx::ProgressFn&, const lx::CancelToken&) {
        return QVariant::fromValue(modelInfo(model));
    };
}

TaskBody ResponseTasks::matrixTask(ResponseDataSource source)
{
    return bodyOf([source](lx::Model& model, const lx::ProgressFn& progress, const lx::CancelToken* cancel) {
        return computeMatrix(model, source, progress, cancel);
    });
}

TaskBody ResponseTasks::conditionedTask(int traversals, int batch, quint64 seed)
{
    return bodyOf([=](lx::Model& model, const lx::ProgressFn& progress, const lx::CancelToken* cancel) {
        return computeConditioned(model, traversals, batch, seed, progress, cancel);
    });
}

TaskBody ResponseTasks::mapTask(ResponseMapRequest request, ResponseDataSource source)
{
    return bodyOf([=](lx::Model& model, const lx::ProgressFn& progress, const lx::CancelToken* cancel) {
        return computeMap(model, request, source, progress, cancel);
    });
}

TaskBody ResponseTasks::probeTask(QVector<float> z)
{
    return bodyOf([z](lx::Model& model, const lx::ProgressFn&, const lx::CancelToken*) { return probe(model, z); });
}

TaskBody ResponseTasks::traversalTask(QVector<float> z, double radius, int steps, QVector<float> matrixDiagonal)
{
    return bodyOf([=](lx::Model& model, const lx::ProgressFn&, const lx::CancelToken*) {
        return traversals(model, z, radius, steps, matrixDiagonal);
    });
}

TaskBody ResponseTasks::iterateTask(QVector<float> z, int steps)
{
    return bodyOf(
        [=](lx::Model& model, const lx::ProgressFn&, const lx::CancelToken*) { return iterate(model, z, steps); });
}

} // namespace lx::ui

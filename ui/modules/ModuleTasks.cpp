#include "ui/modules/ModuleTasks.h"

#include "lx/Classifier.h"
#include "lx/Error.h"
#include "lx/InfluenceEngine.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/ModuleDiscovery.h"
#include "lx/SeedClasses.h"
#include "ui/figure/ImageConvert.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>

namespace lx::ui {
namespace {

// The core shape of influence maps kept as [channels, height, width]: maps of flat outputs (one row, as
// InfluenceResult keeps them) go to core as [C, F], so that smoothing, which is spatial, leaves them as
// they are (as the CLI does).
std::vector<int64_t> mapsShape(int channels, int height, int width)
{
    return height > 1 ? std::vector<int64_t>{channels, height, width} : std::vector<int64_t>{channels, width};
}

std::vector<uint64_t> toSeeds(const QVector<quint64>& seeds)
{
    return std::vector<uint64_t>(seeds.begin(), seeds.end());
}

void checkPairs(int pairs)
{
    if (pairs < 1 || pairs > ModuleTasks::kMaxPairs)
        throw lx::Error("pairs must be between 1 and " + std::to_string(ModuleTasks::kMaxPairs));
}

lx::Array pairLatents(lx::Model& model, int pairs, quint64 firstSeed)
{
    checkPairs(pairs);
    return lx::LatentSampler(model.card().latentShape)
        .sample(lx::LatentSampler::seedRange(firstSeed, 2 * int64_t(pairs)));
}

// Splits one progress range into phases: phase p of n reports into [p / n, (p + 1) / n) of 1000 units.
lx::ProgressFn phase(const lx::ProgressFn& progress, int p, int n)
{
    if (!progress)
        return {};
    return [progress, p, n](long long done, long long total) {
        const double f = total > 0 ? double(done) / double(total) : 1.0;
        progress(static_cast<long long>(1000.0 * (p + f) / n), 1000);
    };
}

template <typename Compute> TaskBody bodyOf(Compute compute)
{
    return [compute](lx::Model& model, const lx::ProgressFn& progress, const lx::CancelToken& cancel) {
        return QVariant::fromValue(compute(model, progress, &cancel));
    };
}

} // namespace

ModuleGridData ModuleTasks::computeGrid(lx::Model& model, const ModuleGridRequest& request,
                                        const lx::ProgressFn& progress, const lx::CancelToken* cancel)
{
    if (request.rowSeeds.isEmpty() || request.colSeeds.isEmpty())
        throw lx::Error("hybrid grid: give at least one row and one column seed");
    if (request.rowSeeds.size() > kMaxGridSide || request.colSeeds.size() > kMaxGridSide)
        throw lx::Error("hybrid grid: at most " + std::to_string(kMaxGridSide) + " seeds per axis");
    QElapsedTimer timer;
    timer.start();
    ModuleGridData data;
    data.request = request;
    data.grid = lx::HybridGrid::computeSeeds(
        model, request.layer, std::vector<int>(request.channels.begin(), request.channels.end()),
        toSeeds(request.rowSeeds), toSeeds(request.colSeeds), progress, cancel,
        lx::ClassInputs::of(request.rowClasses(), request.colClasses(), request.classFromDonor));
    const double low = model.card().outputLow, high = model.card().outputHigh;
    data.originals = ImageConvert::fromBatchAll(data.grid.originals, low, high);
    data.donors = ImageConvert::fromBatchAll(data.grid.donors, low, high);
    std::vector<int64_t> flat = data.grid.hybrids.shape();
    flat.erase(flat.begin());
    flat[0] = data.grid.rows() * data.grid.cols();
    data.cells = ImageConvert::fromBatchAll(data.grid.hybrids.reshaped(flat), low, high);
    data.computeMs = double(timer.nsecsElapsed()) / 1e6;
    return data;
}

RobustnessData ModuleTasks::computeRobustness(lx::Model& model, const RobustnessRequest& request,
                                              const lx::ProgressFn& progress, const lx::CancelToken* cancel)
{
    if (request.classifierPath.isEmpty())
        throw lx::Error("robustness: choose a classifier file first");
    auto classifier = lx::Classifier::load(request.classifierPath.toStdString(), model.deviceName());
    RobustnessData data;
    data.request = request;
    lx::RobustnessOptions options;
    options.classes = lx::SeedClasses::forPairs(model.card(), request.firstSeed, request.pairs); // within-class pairs
    data.result = lx::RobustnessAssay::run(
        model, *classifier, request.layer, std::vector<int>(request.assignment.begin(), request.assignment.end()),
        pairLatents(model, request.pairs, request.firstSeed), options, progress, cancel);
    for (const std::string& c : classifier->card().classes)
        data.classes << QString::fromStdString(c);
    data.classifierName = classifier->card().name.empty() ? QFileInfo(request.classifierPath).fileName()
                                                          : QString::fromStdString(classifier->card().name);
    return data;
}

ConsistencyData ModuleTasks::computeConsistency(lx::Model& model, const ConsistencyRequest& request,
                                                const lx::ProgressFn& progress, const lx::CancelToken* cancel)
{
    if (request.channels < 2 || request.mapsA.size() != qint64(request.channels) * request.height * request.width)
        throw lx::Error("consistency: compute the influence maps of a layer with at least two channels first");
    if (request.kMin < 1 || request.kMax < request.kMin)
        throw lx::Error("consistency: need 1 <= K min <= K max");
    QElapsedTimer timer;
    timer.start();
    const std::vector<int64_t> shape = mapsShape(request.channels, request.height, request.width);
    const lx::Array a(shape, std::vector<float>(request.mapsA.begin(), request.mapsA.end()));
    // Set B: the same number of pairs from the seeds right after set A's (as `consistency` in the CLI).
    checkPairs(request.pairs);
    const lx::Array b =
        lx::ModuleDiscovery::seedPairMaps(model, request.layer, request.firstSeed + 2 * quint64(request.pairs),
                                          request.pairs, phase(progress, 0, 2), cancel);
    if (b.numel() != a.numel())
        throw lx::Error("consistency: the influence maps shown are not those of layer "
                        + std::to_string(request.layer));
    ConsistencyData data;
    data.request = request;
    data.request.mapsA.clear();
    const int kMax = std::min(request.kMax, request.channels);
    data.points = lx::ModuleConsistency::curve(
        lx::ModuleDiscovery::preprocess(a, request.sigma, request.threshold),
        lx::ModuleDiscovery::preprocess(b.reshaped(shape), request.sigma, request.threshold),
        std::min(request.kMin, kMax), kMax, request.seed, phase(progress, 1, 2), cancel);
    data.computeMs = double(timer.nsecsElapsed()) / 1e6;
    return data;
}

GroupMapsData ModuleTasks::computeGroupMaps(lx::Model& model, const GroupMapsRequest& request,
                                            const lx::ProgressFn& progress, const lx::CancelToken* cancel)
{
    const lx::Array z = pairLatents(model, request.pairs, request.firstSeed);
    GroupMapsData data;
    data.request = request;
    const int k = static_cast<int>(request.modules.size());
    for (int m = 0; m < k; ++m) {
        const lx::Array map = lx::InfluenceEngine::groupMap(
            model, request.layer, std::vector<int>(request.modules[m].begin(), request.modules[m].end()), z, cancel,
            lx::SeedClasses::forPairs(model.card(), request.firstSeed, request.pairs));
        data.height = map.rank() >= 2 ? static_cast<int>(map.dim(0)) : 1;
        data.width = static_cast<int>(map.numel() / data.height);
        data.maps += QVector<float>(map.data().begin(), map.data().end());
        if (progress)
            progress(m + 1, k);
    }
    return data;
}

TaskBody ModuleTasks::gridTask(ModuleGridRequest request)
{
    return bodyOf([request](lx::Model& m, const lx::ProgressFn& p, const lx::CancelToken* c) {
        return computeGrid(m, request, p, c);
    });
}

TaskBody ModuleTasks::robustnessTask(RobustnessRequest request)
{
    return bodyOf([request](lx::Model& m, const lx::ProgressFn& p, const lx::CancelToken* c) {
        return computeRobustness(m, request, p, c);
    });
}

TaskBody ModuleTasks::consistencyTask(ConsistencyRequest request)
{
    return bodyOf([request](lx::Model& m, const lx::ProgressFn& p, const lx::CancelToken* c) {
        return computeConsistency(m, request, p, c);
    });
}

TaskBody ModuleTasks::groupMapsTask(GroupMapsRequest request)
{
    return bodyOf([request](lx::Model& m, const lx::ProgressFn& p, const lx::CancelToken* c) {
        return computeGroupMaps(m, request, p, c);
    });
}

namespace {

// "3, 5-9" -> {3, 5, 6, 7, 8, 9}; false with `error` for anything else.
bool parseRanges(const QString& text, qint64 limit, QVector<qint64>* values, QString* error)
{
    static const QRegularExpression item(QStringLiteral("^\\s*(\\d+)\\s*(?:-\\s*(\\d+)\\s*)?$"));
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QRegularExpressionMatch match = item.match(part);
        if (!match.hasMatch()) {
            *error = QObject::tr("'%1' is not a number or a range a-b").arg(part.trimmed());
            return false;
        }
        const qint64 from = match.captured(1).toLongLong();
        const qint64 to = match.captured(2).isEmpty() ? from : match.captured(2).toLongLong();
        if (to < from) {
            *error = QObject::tr("range '%1' runs backwards").arg(part.trimmed());
            return false;
        }
        if (to - from >= limit || values->size() + (to - from) >= limit) {
            *error = QObject::tr("too many values (at most %1)").arg(limit);
            return false;
        }
        for (qint64 v = from; v <= to; ++v)
            *values << v;
    }
    return true;
}

} // namespace

bool ModuleTasks::parseSeeds(const QString& text, int maxCount, QVector<quint64>* seeds, QString* error)
{
    QVector<qint64> values;
    if (!parseRanges(text, maxCount, &values, error))
        return false;
    if (values.isEmpty()) {
        *error = QObject::tr("no seeds given");
        return false;
    }
    seeds->clear();
    for (qint64 v : values)
        *seeds << quint64(v);
    return true;
}

bool ModuleTasks::parseChannels(const QString& text, int channelCount, QVector<int>* channels, QString* error)
{
    channels->clear();
    if (text.trimmed().compare(QLatin1String("all"), Qt::CaseInsensitive) == 0) {
        for (int c = 0; c < channelCount; ++c)
            *channels << c;
        return true;
    }
    QVector<qint64> values;
    if (!parseRanges(text, qint64(channelCount) + 1, &values, error))
        return false;
    for (qint64 v : values) {
        if (v >= channelCount) {
            *error = QObject::tr("channel %1 is out of range (the layer has %2)").arg(v).arg(channelCount);
            return false;
        }
        *channels << int(v);
    }
    std::sort(channels->begin(), channels->end());
    channels->erase(std::unique(channels->begin(), channels->end()), channels->end());
    return true;
}

ModulesResult ModuleTasks::computeModules(const ModulesJob& job, const lx::CancelToken* cancel)
{
    const qint64 plane = qint64(job.height) * job.width;
    if (job.channels < 1 || plane < 1 || job.maps.size() != job.channels * plane)
        throw lx::Error("no influence maps to find modules in");
    if (job.k < 1 || job.k > job.channels)
        throw lx::Error("K must lie in 1.." + std::to_string(job.channels) + " (the channels of the "
                        "layer), not " + std::to_string(job.k));
    lx::throwIfCancelled(cancel);

    QElapsedTimer timer;
    timer.start();
    const lx::Array maps(mapsShape(job.channels, job.height, job.width),
                         std::vector<float>(job.maps.begin(), job.maps.end()));
    const lx::Array s = lx::ModuleDiscovery::preprocess(maps, job.sigma, job.threshold);
    lx::throwIfCancelled(cancel);

    ModulesResult result;
    result.method = job.method;
    result.k = job.k;
    result.seed = job.seed;
    result.sigma = lx::ModuleDiscovery::appliedSigma(maps, job.sigma);
    result.threshold = job.threshold;
    result.height = job.height;
    result.width = job.width;
    lx::ModuleDiscoveryOptions options;
    options.method = job.method;
    options.k = job.k;
    options.seed = job.seed;
    const lx::ModuleDiscoveryResult found = lx::ModuleDiscovery::factorize(s, options, cancel);
    result.templates = QVector<float>(found.h.data().begin(), found.h.data().end());
    result.error = job.method == ModuleMethod::Nmf ? found.relativeError : found.error;
    result.iterations = found.iterations;
    result.assignment = QVector<int>(found.assignment.begin(), found.assignment.end());

    // Per module, the influence map of its channels taken as the mean of their EIMs (an
    // approximation of the group's own influence map, which would need another pass of the model).
    result.moduleMaps = QVector<float>(job.k * plane, 0.0f);
    QVector<int> counts(job.k, 0);
    for (int c = 0; c < job.channels; ++c) {
        const int m = result.assignment.value(c, -1);
        if (m < 0 || m >= job.k)
            continue;
        ++counts[m];
        float* dst = result.moduleMaps.data() + m * plane;
        const float* src = job.maps.constData() + c * plane;
        for (qint64 i = 0; i < plane; ++i)
            dst[i] += src[i];
    }
    for (int m = 0; m < job.k; ++m) {
        if (counts[m] == 0)
            continue;
        float* dst = result.moduleMaps.data() + m * plane;
        std::transform(dst, dst + plane, dst, [n = float(counts[m])](float v) { return v / n; });
    }
    result.computeMs = elapsedMs(timer);
    return result;
}

FreeTaskBody ModuleTasks::modulesTask(ModulesJob job)
{
    return [job](const lx::ProgressFn&, const lx::CancelToken& cancel) {
        return QVariant::fromValue(computeModules(job, &cancel));
    };
}

} // namespace lx::ui

#include "ui/influence/BatchJobs.h"

#include "lx/Error.h"
#include "lx/ModuleDiscovery.h"
#include "lx/Model.h"

#include <QElapsedTimer>

#include <algorithm>
#include <string>

namespace lx::ui {
namespace {

QVector<float> toQVector(const std::vector<float>& v)
{
    return QVector<float>(v.begin(), v.end());
}

} // namespace

InfluenceResult BatchJobs::influence(lx::Model& model, const InfluenceJob& job,
                                     const lx::ProgressFn& progress)
{
    const auto& layers = model.layers();
    if (job.layer < 0 || job.layer >= static_cast<int>(layers.size()))
        throw lx::Error("layer index " + std::to_string(job.layer) + " out of range (model has "
                        + std::to_string(layers.size()) + " layers)");
    if (job.pairs < 1 || job.pairs > kMaxPairs)
        throw lx::Error("pairs must lie in 1.." + std::to_string(kMaxPairs) + ", not "
                        + std::to_string(job.pairs));
    lx::throwIfCancelled(job.cancel.get());

    QElapsedTimer timer;
    timer.start();
    const lx::Array eim = lx::ModuleDiscovery::seedPairMaps(model, job.layer, job.firstSeed, job.pairs, progress,
                                                            job.cancel.get());

    InfluenceResult result;
    result.id = job.id;
    result.layer = job.layer;
    result.pairs = job.pairs;
    result.firstSeed = job.firstSeed;
    const auto& shape = eim.shape();
    if (eim.rank() < 2 || eim.numel() == 0)
        throw lx::Error("influence maps have an unexpected shape " + lx::Array::shapeString(shape));
    result.channels = static_cast<int>(shape[0]);
    if (eim.rank() == 3) {
        result.height = static_cast<int>(shape[1]);
        result.width = static_cast<int>(shape[2]);
    } else {   // flat outputs [C, F] (or anything else): one row of pixels per channel
        result.height = 1;
        result.width = static_cast<int>(eim.numel() / shape[0]);
    }
    result.maps = toQVector(eim.data());
    result.totals.resize(result.channels);
    const qint64 plane = result.plane();
    for (int c = 0; c < result.channels; ++c) {
        const float* map = result.map(c);
        double total = 0.0;
        for (qint64 i = 0; i < plane; ++i)
            total += map[i];
        result.totals[c] = total;
    }
    result.computeMs = elapsedMs(timer);
    return result;
}

ModulesResult BatchJobs::modules(const ModulesJob& job)
{
    const qint64 plane = qint64(job.height) * job.width;
    if (job.channels < 1 || plane < 1 || job.maps.size() != job.channels * plane)
        throw lx::Error("no influence maps to find modules in");
    if (job.k < 1 || job.k > job.channels)
        throw lx::Error("K must lie in 1.." + std::to_string(job.channels) + " (the channels of the "
                        "layer), not " + std::to_string(job.k));
    lx::throwIfCancelled(job.cancel.get());

    QElapsedTimer timer;
    timer.start();
    // Maps of flat outputs (one row, as InfluenceResult keeps them) go to core as [C, F]: smoothing is
    // spatial and leaves them as they are.
    const lx::Array maps(job.height > 1 ? std::vector<int64_t>{job.channels, job.height, job.width}
                                        : std::vector<int64_t>{job.channels, job.width},
                         std::vector<float>(job.maps.begin(), job.maps.end()));
    const lx::Array s = lx::ModuleDiscovery::preprocess(maps, job.sigma, job.threshold);
    lx::throwIfCancelled(job.cancel.get());

    ModulesResult result;
    result.id = job.id;
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
    const lx::ModuleDiscoveryResult found = lx::ModuleDiscovery::factorize(s, options, job.cancel.get());
    result.templates = toQVector(found.h.data());
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

} // namespace lx::ui

#include "ui/influence/InfluenceTasks.h"

#include "ui/compute/ComputeController.h"

#include "lx/Error.h"
#include "lx/ModuleDiscovery.h"
#include "lx/Model.h"

#include <QElapsedTimer>

#include <algorithm>
#include <string>

namespace lx::ui {
namespace {

QVector<float> toQVector(const std::vector<float>& v) { return QVector<float>(v.begin(), v.end()); }

} // namespace

InfluenceResult InfluenceTasks::computeMaps(lx::Model& model, const InfluenceJob& job, const lx::ProgressFn& progress,
                                            const lx::CancelToken* cancel)
{
    const auto& layers = model.layers();
    if (job.layer < 0 || job.layer >= static_cast<int>(layers.size()))
        throw lx::Error("layer index " + std::to_string(job.layer) + " out of range (model has "
                        + std::to_string(layers.size()) + " layers)");
    if (job.pairs < 1 || job.pairs > kMaxPairs)
        throw lx::Error("pairs must lie in 1.." + std::to_string(kMaxPairs) + ", not " + std::to_string(job.pairs));
    lx::throwIfCancelled(cancel);

    QElapsedTimer timer;
    timer.start();
    const lx::Array eim =
        lx::ModuleDiscovery::seedPairMaps(model, job.layer, job.firstSeed, job.pairs, progress, cancel);

    InfluenceResult result;
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
    } else { // flat outputs [C, F] (or anything else): one row of pixels per channel
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
    result.modelPath = QString::fromStdString(model.path());
    result.modelGeneration = job.modelGeneration;
    return result;
}

TaskBody InfluenceTasks::mapsTask(InfluenceJob job)
{
    return [job](lx::Model& model, const lx::ProgressFn& progress, const lx::CancelToken& cancel) {
        return QVariant::fromValue(computeMaps(model, job, progress, &cancel));
    };
}

TaskHandle* InfluenceTasks::start(ComputeController& controller, const InfluenceJob& job)
{
    return controller.run(Task::onModel(QStringLiteral("influence maps"), mapsTask(job), job.modelGeneration));
}

} // namespace lx::ui

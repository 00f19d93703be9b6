#include "lx/ui/ExploreTasks.h"

#include "lx/Error.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/ui/ImageConvert.h"

#include <QElapsedTimer>

namespace lx::ui {
namespace {

QVector<QImage> imagesOf(lx::Model& model, const lx::Array& batch)
{
    QVector<QImage> images;
    for (int64_t i = 0; i < batch.dim(0); ++i)
        images << ImageConvert::fromBatch(batch, i, model.card().outputLow, model.card().outputHigh, model.outputShape());
    return images;
}

lx::Array transformedImages(lx::Model& model, const WorkbenchTransform& t, const lx::Array& z,
                            const lx::ProgressFn& progress, const lx::CancelToken* cancel)
{
    return lx::Exploration::transformed(model, t.layer, z, ExploreTasks::latentOf(model, t.seed2),
                                        std::vector<int>(t.channels.begin(), t.channels.end()), t.edit, progress,
                                        cancel);
}

} // namespace

lx::Array ExploreTasks::latentOf(lx::Model& model, quint64 seed, double truncation)
{
    return lx::LatentSampler(model.card().latentShape).sample({seed}, truncation);
}

InterpolationData ExploreTasks::computeInterpolation(lx::Model& model, const InterpolationRequest& request,
                                                     const lx::ProgressFn& progress, const lx::CancelToken* cancel)
{
    if (request.frames < 2 || request.frames > kMaxFrames)
        throw lx::Error("interpolation: frames must be between 2 and " + std::to_string(kMaxFrames));
    QElapsedTimer timer;
    timer.start();
    InterpolationData data;
    data.request = request;
    const WorkbenchTransform& t = request.transform;
    data.latents = lx::Exploration::interpolate(latentOf(model, t.seed1), latentOf(model, t.seed2), request.frames,
                                                request.mode);
    if (request.applyTransform) {
        data.images = transformedImages(model, t, data.latents, progress, cancel);
    } else {
        data.images = lx::Exploration::transformed(model, t.layer, data.latents, latentOf(model, t.seed2), {}, {},
                                                   progress, cancel);
    }
    data.frames = imagesOf(model, data.images);
    data.computeMs = double(timer.nsecsElapsed()) / 1e6;
    return data;
}

SampleGridData ExploreTasks::computeSampleGrid(lx::Model& model, const SampleGridRequest& request,
                                               const lx::ProgressFn& progress, const lx::CancelToken* cancel)
{
    if (request.rows < 1 || request.cols < 1 || request.rows > kMaxGridSide || request.cols > kMaxGridSide)
        throw lx::Error("sample grid: rows and columns must be between 1 and " + std::to_string(kMaxGridSide));
    if (!(request.truncation >= 0.0) || request.truncation > 10.0)
        throw lx::Error("sample grid: truncation must be 0 (none) or in (0, 10]");
    QElapsedTimer timer;
    timer.start();
    SampleGridData data;
    data.request = request;
    const int64_t n = int64_t(request.rows) * request.cols;
    const lx::Array z = lx::LatentSampler(model.card().latentShape)
                            .sample(lx::LatentSampler::seedRange(request.firstSeed, n), request.truncation);
    const WorkbenchTransform& t = request.transform;
    // Originals first (half the progress), then the transform.
    const auto half = [&](int part) -> lx::ProgressFn {
        if (!progress)
            return {};
        return [progress, part](long long done, long long total) { progress(part * total + done, 2 * total); };
    };
    data.originals = lx::Exploration::transformed(model, t.layer, z, latentOf(model, t.seed2), {}, {}, half(0), cancel);
    data.transformed = transformedImages(model, t, z, half(1), cancel);
    data.originalImages = imagesOf(model, data.originals);
    data.transformedImages = imagesOf(model, data.transformed);
    data.computeMs = double(timer.nsecsElapsed()) / 1e6;
    return data;
}

TaskBody ExploreTasks::interpolationTask(InterpolationRequest request)
{
    return [request](lx::Model& model, const lx::ProgressFn& progress, const lx::CancelToken& cancel) {
        return QVariant::fromValue(computeInterpolation(model, request, progress, &cancel));
    };
}

TaskBody ExploreTasks::sampleGridTask(SampleGridRequest request)
{
    return [request](lx::Model& model, const lx::ProgressFn& progress, const lx::CancelToken& cancel) {
        return QVariant::fromValue(computeSampleGrid(model, request, progress, &cancel));
    };
}

} // namespace lx::ui

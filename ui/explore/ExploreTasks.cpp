#include "ui/explore/ExploreTasks.h"

#include "lx/Error.h"
#include "lx/LatentSampler.h"
#include "lx/SeedClasses.h"
#include "lx/Model.h"
#include "ui/figure/ImageConvert.h"

#include <QElapsedTimer>

#include <algorithm>

namespace lx::ui {
namespace {

QVector<QImage> imagesOf(lx::Model& model, const lx::Array& batch)
{
    return ImageConvert::fromBatchAll(batch, model.card().outputLow, model.card().outputHigh, model.outputShape());
}

// The class inputs of n samples of class `index` (empty for an unconditional model).
lx::Array classesOf(lx::Model& model, int index, int64_t n)
{
    return lx::SeedClasses::repeated(model.card(), index, n);
}

// Images of z (of classes `classes`): under the workbench's transform (donor z2 of class2), or plain
// when `apply` is false.
lx::Array imagesFor(lx::Model& model, const WorkbenchTransform& t, const lx::Array& z, const lx::Array& classes,
                    bool apply, const lx::ProgressFn& progress = {}, const lx::CancelToken* cancel = nullptr)
{
    const std::vector<int> channels =
        apply ? std::vector<int>(t.channels.begin(), t.channels.end()) : std::vector<int>{};
    lx::ClassInputs c;
    c.base = classes;
    c.donor = classesOf(model, t.class2, 1);
    c.afterCut = t.classFromDonor ? lx::HybridEngine::ClassSource::Donor : lx::HybridEngine::ClassSource::Base;
    return lx::Exploration::transformed(model, t.layer, z, ExploreTasks::latentOf(model, t.seed2), channels,
                                        apply ? t.edit : lx::LayerEdit{}, progress, cancel, c);
}

// The latents and classes of an interpolation's points at t (one row each).
struct PathPoints {
    lx::Array z, classes;
};

PathPoints pathAt(lx::Model& model, const InterpolationRequest& request, const std::vector<double>& ts)
{
    const WorkbenchTransform& w = request.transform;
    const lx::Card& card = model.card();
    const bool classMoves = request.classPath != ClassPath::Latent;
    if (classMoves && card.classEncoding != lx::ClassEncoding::OneHot)
        throw lx::Error(
            "class interpolation needs a model with class_input encoding \"onehot\"; this one takes class "
            "indices");
    const lx::Array z1 = ExploreTasks::latentOf(model, w.seed1), z2 = ExploreTasks::latentOf(model, w.seed2);
    std::vector<lx::Array> zs, cs;
    for (double t : ts) {
        zs.push_back(request.classPath == ClassPath::Class ? z1.row(0)
                                                           : lx::Exploration::at(z1, z2, t, request.mode).row(0));
        if (classMoves)
            cs.push_back(lx::Exploration::classAt(int64_t(card.inputClasses.size()), w.class1, w.class2, t).row(0));
    }
    PathPoints p;
    p.z = lx::Array::stack(zs);
    p.classes = classMoves ? lx::Array::stack(cs) : classesOf(model, w.class1, int64_t(ts.size()));
    return p;
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
    std::vector<double> ts;
    for (int i = 0; i < request.frames; ++i)
        ts.push_back(i == request.frames - 1 ? 1.0 : double(i) / double(request.frames - 1));
    const PathPoints points = pathAt(model, request, ts);
    data.latents = points.z;
    data.classes = points.classes;
    data.images =
        imagesFor(model, request.transform, data.latents, data.classes, request.applyTransform, progress, cancel);
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
    if (request.rowPerClass && request.rows != int(model.card().inputClasses.size()))
        throw lx::Error("sample grid: one row per class needs a class-conditional model and as many rows as classes");
    const lx::Array z = gridLatents(model, request);
    const lx::Array classes = gridClasses(model, request);
    const WorkbenchTransform& t = request.transform;
    // Originals first (half the progress), then the transform.
    const auto half = [&](int part) -> lx::ProgressFn {
        if (!progress)
            return {};
        return [progress, part](long long done, long long total) { progress(part * total + done, 2 * total); };
    };
    data.originals = imagesFor(model, t, z, classes, false, half(0), cancel);
    data.transformed = imagesFor(model, t, z, classes, true, half(1), cancel);
    data.originalImages = imagesOf(model, data.originals);
    data.transformedImages = imagesOf(model, data.transformed);
    data.computeMs = double(timer.nsecsElapsed()) / 1e6;
    return data;
}

quint64 ExploreTasks::gridSeed(const SampleGridRequest& request, int i)
{
    return request.firstSeed + quint64(request.rowPerClass ? i % request.cols : i);
}

lx::Array ExploreTasks::gridLatents(lx::Model& model, const SampleGridRequest& request)
{
    std::vector<uint64_t> seeds;
    for (int i = 0; i < request.rows * request.cols; ++i)
        seeds.push_back(gridSeed(request, i));
    return lx::LatentSampler(model.card().latentShape).sample(seeds, request.truncation);
}

lx::Array ExploreTasks::gridClasses(lx::Model& model, const SampleGridRequest& request)
{
    const int64_t n = int64_t(request.rows) * request.cols;
    if (!request.rowPerClass)
        return classesOf(model, request.transform.class1, n);
    std::vector<float> classes(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i)
        classes[size_t(i)] = float(i / request.cols);
    return lx::Array({n}, std::move(classes));
}

ChannelViewData ExploreTasks::computeChannelView(lx::Model& model, const ChannelViewRequest& request,
                                                 const lx::ProgressFn& progress, const lx::CancelToken* cancel)
{
    if (request.layer < 0 || request.layer >= int(model.layers().size()))
        throw lx::Error("channel view: choose a layer");
    if (request.channels.isEmpty())
        throw lx::Error("channel view: select channels in the Channels panel");
    if (request.batch < 1 || request.batch > kMaxBatch)
        throw lx::Error("channel view: the batch must have 1 to " + std::to_string(kMaxBatch) + " samples");
    QElapsedTimer timer;
    timer.start();
    ChannelViewData data;
    data.request = request;
    data.channels = request.channels.mid(0, kMaxViewChannels);
    const std::vector<int> channels(data.channels.begin(), data.channels.end());
    const lx::Array h =
        model.forwardTo(request.layer, latentOf(model, request.seed1), classesOf(model, request.class1, 1));
    data.sample = lx::ChannelStats::of(h, channels);
    // The maps of the shown channels, [k, H, W].
    const int64_t c = h.dim(1), plane = h.numel() / c;
    const int64_t height = h.rank() >= 4 ? h.dim(2) : 1;
    std::vector<float> maps;
    for (int ch : channels)
        maps.insert(maps.end(), h.ptr() + ch * plane, h.ptr() + (ch + 1) * plane);
    data.maps = lx::Array({int64_t(channels.size()), height, plane / height}, std::move(maps));
    // The batch, streamed in chunks of 64 samples.
    lx::ChannelStats batch(channels);
    const lx::LatentSampler sampler(model.card().latentShape);
    for (int64_t begin = 0; begin < request.batch; begin += 64) {
        lx::throwIfCancelled(cancel);
        const int64_t count = std::min<int64_t>(64, request.batch - begin);
        batch.add(model.forwardTo(request.layer, sampler.sample(lx::LatentSampler::seedRange(uint64_t(begin), count)),
                                  lx::SeedClasses::forSeeds(model.card(), uint64_t(begin), count)));
        if (progress)
            progress(begin + count, request.batch);
    }
    data.batch = batch.result();
    data.computeMs = double(timer.nsecsElapsed()) / 1e6;
    return data;
}

TaskBody ExploreTasks::channelViewTask(ChannelViewRequest request)
{
    return [request](lx::Model& model, const lx::ProgressFn& progress, const lx::CancelToken& cancel) {
        return QVariant::fromValue(computeChannelView(model, request, progress, &cancel));
    };
}

TaskBody ExploreTasks::previewTask(InterpolationRequest request, double t)
{
    return [request, t](lx::Model& model, const lx::ProgressFn&, const lx::CancelToken&) {
        const PathPoints point = pathAt(model, request, {t});
        return QVariant::fromValue(
            imagesOf(model, imagesFor(model, request.transform, point.z, point.classes, request.applyTransform))
                .front());
    };
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

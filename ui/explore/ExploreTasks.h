#pragma once
// The Explore tab's computations (lx::Exploration) as task bodies for the compute worker. Each runs on
// the worker thread with the loaded model and returns an ExploreTypes value in a QVariant; the compute*
// functions are the same without the QVariant (they throw lx::Error / lx::Cancelled).
#include "ui/compute/Task.h"
#include "ui/explore/ExploreTypes.h"
#include "ui/compute/WorkerTypes.h"

namespace lx {
class Model;
}

namespace lx::ui {

class ExploreTasks {
public:
    static constexpr int kMaxFrames = 240;
    static constexpr int kMaxGridSide = 16;
    static constexpr int kMaxViewChannels = 32;
    static constexpr int kMaxBatch = 4096;

    static TaskBody interpolationTask(InterpolationRequest request);
    // One frame of the same path at t in [0, 1], as a QImage (the Explore tab's slider preview).
    static TaskBody previewTask(InterpolationRequest request, double t);
    static TaskBody sampleGridTask(SampleGridRequest request);
    static TaskBody channelViewTask(ChannelViewRequest request);

    static InterpolationData computeInterpolation(lx::Model& model, const InterpolationRequest& request,
                                                  const lx::ProgressFn& progress, const lx::CancelToken* cancel);
    static SampleGridData computeSampleGrid(lx::Model& model, const SampleGridRequest& request,
                                            const lx::ProgressFn& progress, const lx::CancelToken* cancel);
    static ChannelViewData computeChannelView(lx::Model& model, const ChannelViewRequest& request,
                                              const lx::ProgressFn& progress, const lx::CancelToken* cancel);
    // The latents of one seed under the model's card (LatentSampler), [1, *latent_shape].
    static lx::Array latentOf(lx::Model& model, quint64 seed, double truncation = 0.0);
    // The latents and class inputs of the sample grid's cells (row-major), [rows * cols, ...] each; the
    // classes are empty for an unconditional model.
    static lx::Array gridLatents(lx::Model& model, const SampleGridRequest& request);
    static lx::Array gridClasses(lx::Model& model, const SampleGridRequest& request);
    // The seed of cell i of the sample grid.
    static quint64 gridSeed(const SampleGridRequest& request, int i);
};

} // namespace lx::ui

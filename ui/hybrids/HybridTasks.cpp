#include "ui/hybrids/HybridTasks.h"

#include "lx/Error.h"
#include "lx/HybridEngine.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "ui/compute/ComputeController.h"
#include "ui/figure/ImageConvert.h"

#include <QElapsedTimer>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace lx::ui {

struct HybridTasks::Session {
    std::unique_ptr<lx::HybridEngine> engine;
    std::uint64_t modelSerial = 0; // the model the engine was built for (lx::Model::serial)
    // Thumbnails are reused while the prefix (layer, seed1) stays the same.
    QVector<QImage> thumbnails;
    int thumbLayer = -1;
    quint64 thumbSeed1 = 0;

    lx::HybridEngine& engineFor(lx::Model& model)
    {
        if (!engine || modelSerial != model.serial()) {
            engine.reset();
            engine = std::make_unique<lx::HybridEngine>(model);
            modelSerial = model.serial();
            thumbnails.clear();
            thumbLayer = -1;
        }
        return *engine;
    }
};

namespace {

HybridFrame computeFrame(HybridTasks::Session& session, lx::Model& model, const HybridRequest& request)
{
    lx::HybridEngine& engine = session.engineFor(model);

    const auto& layers = model.layers();
    if (request.layer < -1 || request.layer >= static_cast<int>(layers.size()))
        throw lx::Error("layer index " + std::to_string(request.layer) + " out of range (model has "
                        + std::to_string(layers.size()) + " layers)");
    const lx::Card& card = model.card();

    QElapsedTimer timer;
    timer.start();
    const lx::LatentSampler sampler(card.latentShape);
    const lx::Array z1 = sampler.sample({request.seed1});
    const lx::Array z2 = sampler.sample({request.seed2});
    // A class-conditional model takes the request's classes (the card's first two when none is set).
    const auto classOf = [&](int c, int fallback) {
        return card.conditional() ? lx::Array({1}, {float(c >= 0 ? c : fallback)}) : lx::Array();
    };
    const int lastClass = std::max(0, static_cast<int>(card.inputClasses.size()) - 1);
    const lx::Array c1 = classOf(request.class1, 0), c2 = classOf(request.class2, std::min(1, lastClass));
    const auto& outShape = model.outputShape();
    const double lo = card.outputLow;
    const double hi = card.outputHigh;

    if (request.layer == -1) {
        // No layer to intervene on (a model without discovered layers): just the two originals.
        HybridFrame frame;
        frame.x1 = ImageConvert::fromBatch(model.generate(z1, c1), 0, lo, hi, outShape);
        frame.x2 = ImageConvert::fromBatch(model.generate(z2, c2), 0, lo, hi, outShape);
        frame.computeMs = static_cast<double>(timer.nsecsElapsed()) / 1.0e6;
        frame.layer = -1;
        frame.seed1 = request.seed1;
        frame.seed2 = request.seed2;
        frame.class1 = c1.numel() ? int(c1.data()[0]) : -1;
        frame.class2 = c2.numel() ? int(c2.data()[0]) : -1;
        frame.modelGeneration = request.modelGeneration;
        return frame;
    }
    engine.setClassSource(request.classFromDonor ? lx::HybridEngine::ClassSource::Donor
                                                 : lx::HybridEngine::ClassSource::Base);
    const bool recomputed = engine.setInputs(request.layer, z1, z2, c1, c2);
    // Interventions act on z1's activations; without any, the selected channels come from z2.
    const bool edited = !request.edit.isIdentity();
    const std::vector<int> channels(request.channels.begin(), request.channels.end());
    const lx::Array hybrid = edited ? engine.intervene(request.edit) : engine.hybrid(channels);

    HybridFrame frame;
    frame.computeMs = static_cast<double>(timer.nsecsElapsed()) / 1.0e6;
    frame.layer = request.layer;
    frame.channelCount = engine.channelCount();
    frame.selectedCount = edited ? 0 : static_cast<int>(request.channels.size());
    for (const lx::Intervention& i : request.edit.interventions)
        frame.interventionCount += (i.enabled && !i.channels.empty()) ? 1 : 0;
    frame.seed1 = request.seed1;
    frame.seed2 = request.seed2;
    frame.class1 = c1.numel() ? int(c1.data()[0]) : -1;
    frame.class2 = c2.numel() ? int(c2.data()[0]) : -1;
    frame.prefixCached = !recomputed;
    frame.modelGeneration = request.modelGeneration;

    frame.hybrid = ImageConvert::fromBatch(hybrid, 0, lo, hi, outShape);
    frame.x1 = ImageConvert::fromBatch(engine.original1(), 0, lo, hi, outShape);
    frame.x2 = ImageConvert::fromBatch(engine.original2(), 0, lo, hi, outShape);

    if (recomputed || session.thumbLayer != request.layer || session.thumbSeed1 != request.seed1) {
        session.thumbnails = ImageConvert::channelThumbnails(engine.activations1(), 0, HybridTasks::kMaxThumbnails);
        session.thumbLayer = request.layer;
        session.thumbSeed1 = request.seed1;
    }
    frame.channelThumbnails = session.thumbnails; // implicitly shared, cheap when unchanged
    return frame;
}

} // namespace

std::shared_ptr<HybridTasks::Session> HybridTasks::newSession() { return std::make_shared<Session>(); }

Task HybridTasks::frameTask(std::shared_ptr<Session> session, const HybridRequest& request)
{
    return Task::onModel(
               QStringLiteral("hybrid"),
               [session = std::move(session), request](lx::Model& model, const lx::ProgressFn&,
                                                       const lx::CancelToken&) {
                   return QVariant::fromValue(computeFrame(*session, model, request));
               },
               request.modelGeneration)
        .latest(QLatin1String(kKey));
}

TaskHandle* HybridTasks::request(ComputeController& controller, std::shared_ptr<Session> session,
                                 const HybridRequest& request)
{
    return controller.run(frameTask(std::move(session), request));
}

} // namespace lx::ui

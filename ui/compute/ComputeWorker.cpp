#include "ui/compute/ComputeWorker.h"

#include "lx/Error.h"
#include "lx/Progress.h"
#include "lx/HybridEngine.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "ui/compute/ErrorText.h"
#include "ui/figure/ImageConvert.h"

#include <QElapsedTimer>
#include <QMetaObject>
#include <QMutexLocker>

#include <spdlog/spdlog.h>

#include <exception>
#include <memory>
#include <vector>

namespace lx::ui {
namespace {

QVector<qint64> toQVector(const std::vector<int64_t>& v) { return QVector<qint64>(v.begin(), v.end()); }

// The model panel's line on how the layers were found. Why module calls are not layers goes into the
// note itself only when there are no layers at all; otherwise it is counted there and listed in
// `details` (the panel's tooltip).
QString discoveryNote(const lx::LayerDiscovery& discovery, size_t layerCount, QString& details)
{
    QString note;
    if (discovery.method == "graph") {
        note = QStringLiteral("%1 layers: the submodule calls of %2()")
                   .arg(layerCount)
                   .arg(QString::fromStdString(discovery.path));
    } else {
        note = QStringLiteral("No layers found (see models/CONTRACT.md)");
    }
    details.clear();
    for (const auto& rejected : discovery.rejected)
        details += (details.isEmpty() ? QString() : QStringLiteral("\n")) + QString::fromStdString(rejected);
    if (layerCount == 0) {
        for (const auto& rejected : discovery.rejected)
            note += QStringLiteral("\nRejected: ") + QString::fromStdString(rejected);
    } else if (!discovery.rejected.empty()) {
        note += QStringLiteral("; %1 other module call%2 not layers (hover for why)")
                    .arg(discovery.rejected.size())
                    .arg(discovery.rejected.size() == 1 ? QStringLiteral(" is") : QStringLiteral("s are"));
    }
    return note;
}

} // namespace

ComputeWorker::ComputeWorker(int threads)
    : mThreads(threads)
{
    registerWorkerTypes();
}

ComputeWorker::~ComputeWorker()
{
    // Normally shutdown() already ran on the worker thread; this only catches the direct-use case.
    mEngine.reset();
    mModel.reset();
}

void ComputeWorker::postHybrid(const HybridRequest& request)
{
    {
        QMutexLocker lock(&mMutex);
        if (mStopped)
            return;
        mPending = request; // newest wins: an older pending request is simply overwritten
        if (mWakePending)
            return; // the worker will find this request when it wakes (or loops)
        mWakePending = true;
    }
    QMetaObject::invokeMethod(this, &ComputeWorker::processPending, Qt::QueuedConnection);
}

std::optional<HybridRequest> ComputeWorker::takePending()
{
    QMutexLocker lock(&mMutex);
    std::optional<HybridRequest> request;
    request.swap(mPending);
    if (!request || mStopped) {
        mWakePending = false; // the next post queues a new wake-up
        return std::nullopt;
    }
    return request;
}

void ComputeWorker::processPending()
{
    // Keeps mWakePending set while it runs, so posts made meanwhile only overwrite the slot.
    while (std::optional<HybridRequest> request = takePending()) {
        if (request->modelGeneration != 0 && request->modelGeneration != mGeneration)
            continue; // made for a model that is no longer (or not yet) loaded

        HybridFrame frame;
        QString error;
        try {
            frame = compute(*request);
        } catch (const lx::Error& e) {
            error = errorText(e);
        } catch (const std::exception& e) {
            error = errorText(e);
        } catch (...) {
            error = QStringLiteral("unknown error while computing the hybrid");
        }
        ++mComputed;

        // A newer request that arrived meanwhile does not make this frame useless: it is still newer
        // than anything shown, so it is shown while the newer one computes. (Dropping it starved the
        // view during a drag: measured with tests/bench/bench_storm at one event per 8 ms, 85% of the
        // computed frames were thrown away and the view updated 8 times a second.)
        // An error of a superseded request is not shown: the newer one may well succeed.
        bool stopped = false, superseded = false;
        {
            QMutexLocker lock(&mMutex);
            stopped = mStopped;
            superseded = mPending.has_value();
        }
        if (stopped || (superseded && !error.isEmpty())) {
            ++mDropped;
            continue;
        }
        if (superseded)
            ++mSuperseded;
        if (error.isEmpty()) {
            Q_EMIT frameReady(frame);
        } else {
            spdlog::warn("hybrid request {} failed: {}", request->seq, error.toStdString());
            Q_EMIT computeFailed(error);
        }
    }
}

HybridFrame ComputeWorker::compute(const HybridRequest& request)
{
    if (!mModel || !mEngine)
        throw lx::Error("no model loaded");
    const auto& layers = mModel->layers();
    if (request.layer < -1 || request.layer >= static_cast<int>(layers.size()))
        throw lx::Error("layer index " + std::to_string(request.layer) + " out of range (model has "
                        + std::to_string(layers.size()) + " layers)");
    const lx::Card& card = mModel->card();

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
    const auto& outShape = mModel->outputShape();
    const double lo = card.outputLow;
    const double hi = card.outputHigh;

    if (request.layer == -1) {
        // No layer to intervene on (a model without discovered layers): just the two originals.
        HybridFrame frame;
        frame.x1 = ImageConvert::fromBatch(mModel->generate(z1, c1), 0, lo, hi, outShape);
        frame.x2 = ImageConvert::fromBatch(mModel->generate(z2, c2), 0, lo, hi, outShape);
        frame.computeMs = static_cast<double>(timer.nsecsElapsed()) / 1.0e6;
        frame.seq = request.seq;
        frame.layer = -1;
        frame.seed1 = request.seed1;
        frame.seed2 = request.seed2;
        frame.class1 = c1.numel() ? int(c1.data()[0]) : -1;
        frame.class2 = c2.numel() ? int(c2.data()[0]) : -1;
        frame.modelGeneration = mGeneration;
        return frame;
    }
    mEngine->setClassSource(request.classFromDonor ? lx::HybridEngine::ClassSource::Donor
                                                   : lx::HybridEngine::ClassSource::Base);
    const bool recomputed = mEngine->setInputs(request.layer, z1, z2, c1, c2);
    // Interventions act on z1's activations; without any, the selected channels come from z2.
    const bool edited = !request.edit.isIdentity();
    const std::vector<int> channels(request.channels.begin(), request.channels.end());
    const lx::Array hybrid = edited ? mEngine->intervene(request.edit) : mEngine->hybrid(channels);

    HybridFrame frame;
    frame.computeMs = static_cast<double>(timer.nsecsElapsed()) / 1.0e6;
    frame.seq = request.seq;
    frame.layer = request.layer;
    frame.channelCount = mEngine->channelCount();
    frame.selectedCount = edited ? 0 : static_cast<int>(request.channels.size());
    for (const lx::Intervention& i : request.edit.interventions)
        frame.interventionCount += (i.enabled && !i.channels.empty()) ? 1 : 0;
    frame.seed1 = request.seed1;
    frame.seed2 = request.seed2;
    frame.class1 = c1.numel() ? int(c1.data()[0]) : -1;
    frame.class2 = c2.numel() ? int(c2.data()[0]) : -1;
    frame.prefixCached = !recomputed;
    frame.modelGeneration = mGeneration;

    frame.hybrid = ImageConvert::fromBatch(hybrid, 0, lo, hi, outShape);
    frame.x1 = ImageConvert::fromBatch(mEngine->original1(), 0, lo, hi, outShape);
    frame.x2 = ImageConvert::fromBatch(mEngine->original2(), 0, lo, hi, outShape);

    if (recomputed || mThumbLayer != request.layer || mThumbSeed1 != request.seed1 || mThumbGeneration != mGeneration) {
        mThumbnails = ImageConvert::channelThumbnails(mEngine->activations1(), 0, kMaxThumbnails);
        mThumbLayer = request.layer;
        mThumbSeed1 = request.seed1;
        mThumbGeneration = mGeneration;
    }
    frame.channelThumbnails = mThumbnails; // implicitly shared, cheap when unchanged
    return frame;
}

lx::LoadOptions ComputeWorker::loadOptions(const QString& device) const
{
    const std::optional<lx::DeviceChoice> choice = lx::parseDeviceChoice(device.toStdString());
    if (!choice)
        throw lx::Error("unknown device '" + device.toStdString() + "' (use auto, cpu or cuda)");
    lx::LoadOptions options;
    options.device = *choice;
    options.threads = mThreads;
    return options;
}

void ComputeWorker::loadModel(const QString& path, const QString& device)
{
    try {
        const lx::LoadOptions options = loadOptions(device);

        QElapsedTimer timer;
        timer.start();
        std::unique_ptr<lx::Model> model = lx::Model::load(path.toStdString(), options);
        auto engine = std::make_unique<lx::HybridEngine>(*model);

        // Success: only now replace the previous model (the engine refers to its model).
        mEngine.reset();
        mModel = std::move(model);
        mEngine = std::move(engine);
        ++mGeneration;
        mThumbnails.clear();
        mThumbLayer = -1;
        spdlog::info("loaded model {} on {} in {:.0f} ms", path.toStdString(), mModel->deviceName(),
                     static_cast<double>(timer.elapsed()));
        Q_EMIT modelLoaded(summarize());
    } catch (const std::exception& e) {
        const QString error = errorText(e);
        spdlog::error("cannot load model {}: {}", path.toStdString(), error.toStdString());
        Q_EMIT modelLoadFailed(error);
    } catch (...) {
        Q_EMIT modelLoadFailed(QStringLiteral("cannot load %1: unknown error").arg(path));
    }
}

ModelSummary ComputeWorker::summarize() const
{
    ModelSummary summary;
    const lx::Card& card = mModel->card();
    summary.path = QString::fromStdString(mModel->path());
    summary.name = QString::fromStdString(card.name);
    summary.description = QString::fromStdString(card.description);
    summary.kind = QString::fromStdString(lx::Card::kindName(card.kind));
    summary.device = QString::fromStdString(mModel->deviceName());
    summary.latentShape = toQVector(card.latentShape);
    summary.outputShape = toQVector(mModel->outputShape());
    summary.outputLow = card.outputLow;
    summary.outputHigh = card.outputHigh;
    for (const lx::LayerInfo& layer : mModel->layers()) {
        summary.layerNames << QString::fromStdString(layer.name);
        summary.layerTypes << QString::fromStdString(layer.type);
        summary.layerShapes << toQVector(layer.shape);
    }
    summary.discoveryNote = discoveryNote(mModel->discovery(), mModel->layers().size(), summary.discoveryDetails);
    for (const std::string& c : mModel->card().inputClasses)
        summary.classNames << QString::fromStdString(c);
    summary.classOneHot = mModel->card().classEncoding == lx::ClassEncoding::OneHot;
    summary.generation = mGeneration;
    return summary;
}

void ComputeWorker::runJob(quint64 id, const char* what, const std::function<void()>& body)
{
    try {
        body();
    } catch (const lx::Cancelled&) {
        spdlog::info("{} job {} cancelled", what, id);
        Q_EMIT jobCancelled(id);
    } catch (const std::exception& e) {
        const QString error = errorText(e);
        spdlog::warn("{} job {} failed: {}", what, id, error.toStdString());
        Q_EMIT jobFailed(id, error);
    } catch (...) {
        Q_EMIT jobFailed(id, QStringLiteral("unknown error in the %1 job").arg(QLatin1String(what)));
    }
}

lx::ProgressFn ComputeWorker::throttledProgress(quint64 id)
{
    auto sinceEmit = std::make_shared<QElapsedTimer>();
    return [this, id, sinceEmit](long long done, long long total) {
        if (sinceEmit->isValid() && done < total && sinceEmit->elapsed() < kProgressIntervalMs)
            return;
        sinceEmit->start();
        Q_EMIT jobProgress(id, done, total);
    };
}

lx::Model& ComputeWorker::modelFor(quint64 modelGeneration)
{
    if (!mModel)
        throw lx::Error("no model loaded");
    if (modelGeneration != 0 && modelGeneration != mGeneration)
        throw lx::Error("another model was loaded before the job started");
    return *mModel;
}

void ComputeWorker::runTask(const TaskRequest& task)
{
    const std::string what = task.what.toStdString();
    runJob(task.id, what.c_str(), [&] {
        if (task.cancel && task.cancel->cancelled())
            throw lx::Cancelled(); // cancelled while it waited in the queue
        QElapsedTimer timer;
        timer.start();
        const lx::CancelToken never;
        const lx::CancelToken& cancel = task.cancel ? *task.cancel : never;
        // A model-free task runs whether or not a model is loaded.
        const QVariant result = task.freeBody
            ? task.freeBody(throttledProgress(task.id), cancel)
            : task.body(modelFor(task.modelGeneration), throttledProgress(task.id), cancel);
        spdlog::info("{} job {} done in {} ms", what, task.id, timer.elapsed());
        Q_EMIT taskReady(task.id, result);
    });
}

void ComputeWorker::postLatest(const TaskRequest& request)
{
    {
        QMutexLocker lock(&mMutex);
        if (mStopped)
            return;
        mPendingLatest.insert(request.key, request); // newest of its key wins
        if (mLatestWakePending)
            return;
        mLatestWakePending = true;
    }
    QMetaObject::invokeMethod(this, &ComputeWorker::processLatest, Qt::QueuedConnection);
}

std::optional<TaskRequest> ComputeWorker::takeLatest()
{
    QMutexLocker lock(&mMutex);
    if (mPendingLatest.isEmpty() || mStopped) {
        mLatestWakePending = false;
        return std::nullopt;
    }
    auto it = mPendingLatest.begin();
    std::optional<TaskRequest> request = it.value();
    mPendingLatest.erase(it);
    return request;
}

void ComputeWorker::processLatest()
{
    while (std::optional<TaskRequest> request = takeLatest()) {
        QVariant result;
        QString error;
        try {
            const lx::CancelToken never;
            const lx::CancelToken& cancel = request->cancel ? *request->cancel : never;
            const lx::ProgressFn ignore = [](long long, long long) {};
            result = request->freeBody ? request->freeBody(ignore, cancel)
                                       : request->body(modelFor(request->modelGeneration), ignore, cancel);
        } catch (const lx::Cancelled&) {
            continue;
        } catch (const std::exception& e) {
            error = errorText(e);
        } catch (...) {
            error = QStringLiteral("unknown error in %1").arg(request->what);
        }
        // As for hybrids: a result whose key got a newer request meanwhile is still the newest one
        // finished, so it is shown while the newer one computes (dropping it starved views whose tasks
        // take longer than the interval between slider events). Its error is not shown.
        bool stopped = false, superseded = false;
        {
            QMutexLocker lock(&mMutex);
            stopped = mStopped;
            superseded = mPendingLatest.contains(request->key);
        }
        if (stopped || (superseded && !error.isEmpty()))
            continue;
        if (superseded)
            ++mSuperseded;
        if (error.isEmpty()) {
            Q_EMIT latestReady(request->key, request->id, result);
        } else {
            spdlog::warn("{} {} failed: {}", request->what.toStdString(), request->id, error.toStdString());
            Q_EMIT latestFailed(request->key, request->id, error);
        }
    }
}

void ComputeWorker::shutdown()
{
    {
        QMutexLocker lock(&mMutex);
        mStopped = true;
        mPending.reset();
        mPendingLatest.clear();
    }
    mEngine.reset();
    mModel.reset();
    mThumbnails.clear();
}

} // namespace lx::ui

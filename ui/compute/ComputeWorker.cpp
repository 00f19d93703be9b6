#include "ui/compute/ComputeWorker.h"

#include "lx/Error.h"
#include "lx/Progress.h"
#include "lx/Model.h"
#include "ui/compute/ErrorText.h"

#include <QElapsedTimer>
#include <QMetaObject>
#include <QMutexLocker>

#include <spdlog/spdlog.h>

#include <exception>
#include <memory>
#include <utility>
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
    mModel.reset();
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

void ComputeWorker::loadModel(quint64 id, const QString& path, const QString& device)
{
    try {
        const lx::LoadOptions options = loadOptions(device);

        QElapsedTimer timer;
        timer.start();
        std::unique_ptr<lx::Model> model = lx::Model::load(path.toStdString(), options);
        // Success: only now replace the previous model.
        mModel = std::move(model);
        ++mGeneration;
        spdlog::info("loaded model {} on {} in {:.0f} ms", path.toStdString(), mModel->deviceName(),
                     static_cast<double>(timer.elapsed()));
        Q_EMIT taskFinished(id, QVariant::fromValue(summarize()));
    } catch (const std::exception& e) {
        const QString error = errorText(e);
        spdlog::error("cannot load model {}: {}", path.toStdString(), error.toStdString());
        Q_EMIT taskFailed(id, error);
    } catch (...) {
        Q_EMIT taskFailed(id, QStringLiteral("cannot load %1: unknown error").arg(path));
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

lx::ProgressFn ComputeWorker::throttledProgress(quint64 id)
{
    auto sinceEmit = std::make_shared<QElapsedTimer>();
    return [this, id, sinceEmit](long long done, long long total) {
        if (sinceEmit->isValid() && done < total && sinceEmit->elapsed() < kProgressIntervalMs)
            return;
        sinceEmit->start();
        Q_EMIT taskProgress(id, done, total);
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

QVariant ComputeWorker::execute(const TaskRequest& request)
{
    lx::throwIfCancelled(request.cancel.get()); // cancelled while it waited
    const Task& task = request.task;
    // A model-free task runs whether or not a model is loaded.
    return task.freeBody ? task.freeBody(throttledProgress(request.id), *request.cancel)
                         : task.body(modelFor(task.modelGeneration), throttledProgress(request.id), *request.cancel);
}

void ComputeWorker::runTask(const TaskRequest& request)
{
    const std::string what = request.task.what.toStdString();
    try {
        QElapsedTimer timer;
        timer.start();
        const QVariant result = execute(request);
        spdlog::info("{} job {} done in {} ms", what, request.id, timer.elapsed());
        Q_EMIT taskFinished(request.id, result);
    } catch (const lx::Cancelled&) {
        spdlog::info("{} job {} cancelled", what, request.id);
        Q_EMIT taskCancelled(request.id);
    } catch (const std::exception& e) {
        const QString error = errorText(e);
        spdlog::warn("{} job {} failed: {}", what, request.id, error.toStdString());
        Q_EMIT taskFailed(request.id, error);
    } catch (...) {
        Q_EMIT taskFailed(request.id, QStringLiteral("unknown error in the %1 job").arg(request.task.what));
    }
}

quint64 ComputeWorker::postLatest(const TaskRequest& request)
{
    quint64 replaced = 0;
    {
        QMutexLocker lock(&mMutex);
        if (mStopped)
            return 0;
        if (const auto it = mPendingLatest.constFind(request.task.latestKey); it != mPendingLatest.constEnd())
            replaced = it->id;
        mPendingLatest.insert(request.task.latestKey, request); // newest of its key wins
        if (mLatestWakePending)
            return replaced; // the worker will find this request when it wakes (or loops)
        mLatestWakePending = true;
    }
    QMetaObject::invokeMethod(this, &ComputeWorker::processLatest, Qt::QueuedConnection);
    return replaced;
}

std::optional<TaskRequest> ComputeWorker::takeLatest()
{
    QMutexLocker lock(&mMutex);
    if (mPendingLatest.isEmpty() || mStopped) {
        mLatestWakePending = false; // the next post queues a new wake-up
        return std::nullopt;
    }
    auto it = mPendingLatest.begin();
    std::optional<TaskRequest> request = std::move(it.value());
    mPendingLatest.erase(it);
    return request;
}

void ComputeWorker::processLatest()
{
    // Keeps mLatestWakePending set while it runs, so posts made meanwhile only overwrite their slot.
    while (std::optional<TaskRequest> request = takeLatest()) {
        const quint64 generation = request->task.freeBody ? 0 : request->task.modelGeneration;
        if (generation != 0 && generation != mGeneration) {
            Q_EMIT taskCancelled(request->id); // made for a model that is no longer (or not yet) loaded
            continue;
        }
        QVariant result;
        QString error;
        try {
            result = execute(*request);
        } catch (const lx::Cancelled&) {
            Q_EMIT taskCancelled(request->id);
            continue;
        } catch (const std::exception& e) {
            error = errorText(e);
        } catch (...) {
            error = QStringLiteral("unknown error in %1").arg(request->task.what);
        }
        ++mComputed;
        bool stopped = false, superseded = false;
        {
            QMutexLocker lock(&mMutex);
            stopped = mStopped;
            superseded = mPendingLatest.contains(request->task.latestKey);
        }
        if (stopped || (superseded && !error.isEmpty())) {
            ++mDropped;
            Q_EMIT taskCancelled(request->id);
            continue;
        }
        if (superseded)
            ++mSuperseded;
        if (error.isEmpty()) {
            Q_EMIT taskFinished(request->id, result);
        } else {
            spdlog::warn("{} {} failed: {}", request->task.what.toStdString(), request->id, error.toStdString());
            Q_EMIT taskFailed(request->id, error);
        }
    }
}

void ComputeWorker::shutdown()
{
    {
        QMutexLocker lock(&mMutex);
        mStopped = true;
        mPendingLatest.clear();
    }
    mModel.reset();
}

} // namespace lx::ui

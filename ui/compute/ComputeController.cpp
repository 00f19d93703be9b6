#include "ui/compute/ComputeController.h"

#include "ui/compute/ComputeWorker.h"

#include <QMetaObject>

#include <memory>
#include <utility>

#include <spdlog/spdlog.h>

namespace lx::ui {

template <typename Emit> void ComputeController::end(quint64 id, Emit emitSignal)
{
    const QPointer<TaskHandle> handle = mHandles.take(id);
    if (mLoads.remove(id) && mLoads.isEmpty())
        Q_EMIT loadingChanged(false);
    if (!handle)
        return; // already ended (a replaced latest task), or deleted with its receiver's blessing
    handle->mActive = false;
    emitSignal(handle.data());
    if (handle)
        handle->deleteLater();
}

ComputeController::ComputeController(int threads, QObject* parent)
    : QObject(parent)
{
    registerWorkerTypes();
    mThread.setObjectName(QStringLiteral("lx-compute"));
    mWorker = new ComputeWorker(threads);
    mWorker->moveToThread(&mThread);
    // Documented QThread pattern: the worker (and with it the model) is destroyed on its own thread.
    connect(&mThread, &QThread::finished, mWorker, &QObject::deleteLater);

    connect(mWorker, &ComputeWorker::taskProgress, this, [this](quint64 id, qint64 done, qint64 total) {
        if (TaskHandle* handle = mHandles.value(id))
            Q_EMIT handle->progress(done, total);
    });
    connect(mWorker, &ComputeWorker::taskFinished, this, &ComputeController::onFinished);
    connect(mWorker, &ComputeWorker::taskFailed, this, [this](quint64 id, const QString& error) {
        const bool load = mLoads.contains(id);
        end(id, [&](TaskHandle* handle) { Q_EMIT handle->failed(error); });
        if (load)
            Q_EMIT modelLoadFailed(error);
    });
    connect(mWorker, &ComputeWorker::taskCancelled, this,
            [this](quint64 id) { end(id, [](TaskHandle* handle) { Q_EMIT handle->cancelled(); }); });
    mThread.start();
}

ComputeController::~ComputeController()
{
    // Tasks stop at their next check instead of running to the end while the window closes.
    for (const QPointer<TaskHandle>& handle : std::as_const(mHandles)) {
        if (handle)
            handle->cancel();
    }
    if (mThread.isRunning()) {
        // Blocks at most until the computation in flight ends; pending requests are dropped.
        QMetaObject::invokeMethod(mWorker, &ComputeWorker::shutdown, Qt::BlockingQueuedConnection);
        mThread.quit();
        mThread.wait();
    }
}

TaskHandle* ComputeController::newHandle(const QString& what, const QString& key)
{
    const quint64 id = mNextId++;
    auto* handle = new TaskHandle(id, what, key, std::make_shared<lx::CancelToken>(), this);
    mHandles.insert(id, handle);
    return handle;
}

TaskHandle* ComputeController::loadModel(const QString& path, const QString& device)
{
    spdlog::info("loading model {} (device {})", path.toStdString(), device.toStdString());
    TaskHandle* handle = newHandle(tr("Open model"), QString());
    mLoads.insert(handle->id());
    if (mLoads.size() == 1)
        Q_EMIT loadingChanged(true);
    ComputeWorker* worker = mWorker;
    const quint64 id = handle->id();
    QMetaObject::invokeMethod(
        mWorker, [worker, id, path, device] { worker->loadModel(id, path, device); }, Qt::QueuedConnection);
    return handle;
}

TaskHandle* ComputeController::run(Task task)
{
    TaskHandle* handle = newHandle(task.what, task.latestKey);
    TaskRequest request;
    request.id = handle->id();
    request.cancel = handle->mCancel;
    request.task = std::move(task);
    if (handle->latestKey().isEmpty()) {
        ComputeWorker* worker = mWorker;
        QMetaObject::invokeMethod(
            mWorker, [worker, request = std::move(request)] { worker->runTask(request); }, Qt::QueuedConnection);
        return handle;
    }
    mPosted[handle->latestKey()] = handle->id();
    // The task it replaced never runs: it ends now. The caller gets its handle before any signal.
    if (const quint64 replaced = mWorker->postLatest(request); replaced != 0) {
        QMetaObject::invokeMethod(
            this, [this, replaced] { end(replaced, [](TaskHandle* h) { Q_EMIT h->cancelled(); }); },
            Qt::QueuedConnection);
    }
    return handle;
}

void ComputeController::onFinished(quint64 id, const QVariant& result)
{
    if (mLoads.contains(id)) {
        const auto summary = result.value<ModelSummary>();
        end(id, [&](TaskHandle* handle) { Q_EMIT handle->finished(result); });
        Q_EMIT modelLoaded(summary);
        return;
    }
    TaskHandle* handle = mHandles.value(id);
    if (handle && !handle->latestKey().isEmpty()) {
        quint64& newest = mDelivered[handle->latestKey()];
        if (id <= newest) { // older than what this key already delivered
            end(id, [](TaskHandle* h) { Q_EMIT h->cancelled(); });
            return;
        }
        newest = id;
    }
    end(id, [&](TaskHandle* h) { Q_EMIT h->finished(result); });
}

} // namespace lx::ui

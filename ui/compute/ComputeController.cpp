#include "ui/compute/ComputeController.h"

#include "ui/compute/ComputeWorker.h"

#include <QMetaObject>

#include <memory>
#include <utility>

#include <spdlog/spdlog.h>

namespace lx::ui {

ComputeController::ComputeController(int threads, QObject* parent)
    : QObject(parent)
{
    registerWorkerTypes();
    mThread.setObjectName(QStringLiteral("lx-compute"));
    mWorker = new ComputeWorker(threads);
    mWorker->moveToThread(&mThread);
    // Documented QThread pattern: the worker (and with it the model) is destroyed on its own thread.
    connect(&mThread, &QThread::finished, mWorker, &QObject::deleteLater);

    connect(mWorker, &ComputeWorker::modelLoaded, this, [this](const ModelSummary& summary) {
        loadFinished();
        Q_EMIT modelLoaded(summary);
    });
    connect(mWorker, &ComputeWorker::modelLoadFailed, this, [this](const QString& error) {
        loadFinished();
        Q_EMIT modelLoadFailed(error);
    });
    connect(mWorker, &ComputeWorker::frameReady, this, &ComputeController::onFrame);
    connect(mWorker, &ComputeWorker::computeFailed, this, &ComputeController::computeFailed);

    connect(mWorker, &ComputeWorker::jobProgress, this, [this](quint64 id, qint64 done, qint64 total) {
        if (mJobs.contains(id))
            Q_EMIT jobProgress(id, done, total);
    });
    connect(mWorker, &ComputeWorker::jobCancelled, this, [this](quint64 id) {
        mJobs.remove(id);
        Q_EMIT jobCancelled(id);
    });
    connect(mWorker, &ComputeWorker::jobFailed, this, [this](quint64 id, const QString& error) {
        mJobs.remove(id);
        Q_EMIT jobFailed(id, error);
    });
    connect(mWorker, &ComputeWorker::taskReady, this, [this](quint64 id, const QVariant& result) {
        if (mJobs.remove(id) > 0)
            Q_EMIT taskReady(id, result);
    });
    connect(mWorker, &ComputeWorker::latestReady, this,
            [this](const QString& key, quint64 seq, const QVariant& result) {
                quint64& newest = mNewestLatest[key];
                if (seq <= newest)
                    return; // older than what this key already showed
                newest = seq;
                Q_EMIT latestReady(key, seq, result);
            });
    connect(mWorker, &ComputeWorker::latestFailed, this, [this](const QString& key, quint64 seq, const QString& error) {
        if (seq > mNewestLatest.value(key))
            Q_EMIT latestFailed(key, seq, error);
    });
    mThread.start();
}

ComputeController::~ComputeController()
{
    // Jobs stop at their next check instead of running to the end while the window closes.
    for (const auto& token : std::as_const(mJobs))
        token->cancel();
    if (mThread.isRunning()) {
        // Blocks at most until the computation in flight ends; pending requests are dropped.
        QMetaObject::invokeMethod(mWorker, &ComputeWorker::shutdown, Qt::BlockingQueuedConnection);
        mThread.quit();
        mThread.wait();
    }
}

void ComputeController::loadModel(const QString& path, const QString& device)
{
    spdlog::info("loading model {} (device {})", path.toStdString(), device.toStdString());
    if (mLoadsInFlight++ == 0)
        Q_EMIT loadingChanged(true);
    ComputeWorker* worker = mWorker;
    QMetaObject::invokeMethod(
        mWorker, [worker, path, device] { worker->loadModel(path, device); }, Qt::QueuedConnection);
}

quint64 ComputeController::requestHybrid(int layer, const QVector<int>& channels, quint64 seed1, quint64 seed2,
                                         quint64 modelGeneration)
{
    HybridRequest request;
    request.layer = layer;
    request.channels = channels;
    request.seed1 = seed1;
    request.seed2 = seed2;
    request.modelGeneration = modelGeneration;
    return requestHybrid(std::move(request));
}

quint64 ComputeController::requestHybrid(HybridRequest request)
{
    request.seq = mNextSeq++;
    mWorker->postHybrid(request);
    return request.seq;
}

std::shared_ptr<lx::CancelToken> ComputeController::registerJob(quint64 id)
{
    auto token = std::make_shared<lx::CancelToken>();
    mJobs.insert(id, token);
    return token;
}

quint64 ComputeController::startTask(const QString& what, TaskBody body, quint64 modelGeneration)
{
    TaskRequest task;
    task.id = mNextJobId++;
    task.what = what;
    task.body = std::move(body);
    task.modelGeneration = modelGeneration;
    task.cancel = registerJob(task.id);
    const quint64 id = task.id;
    ComputeWorker* worker = mWorker;
    QMetaObject::invokeMethod(
        mWorker, [worker, task = std::move(task)] { worker->runTask(task); }, Qt::QueuedConnection);
    return id;
}

quint64 ComputeController::postLatest(const QString& key, const QString& what, TaskBody body, quint64 modelGeneration)
{
    TaskRequest task;
    task.id = mNextLatestSeq++;
    task.what = what;
    task.key = key;
    task.body = std::move(body);
    task.modelGeneration = modelGeneration;
    mWorker->postLatest(task);
    return task.id;
}

quint64 ComputeController::startFreeTask(const QString& what, FreeTaskBody body)
{
    TaskRequest task;
    task.id = mNextJobId++;
    task.what = what;
    task.freeBody = std::move(body);
    task.cancel = registerJob(task.id);
    const quint64 id = task.id;
    ComputeWorker* worker = mWorker;
    QMetaObject::invokeMethod(
        mWorker, [worker, task = std::move(task)] { worker->runTask(task); }, Qt::QueuedConnection);
    return id;
}

quint64 ComputeController::postLatestFree(const QString& key, const QString& what, FreeTaskBody body)
{
    TaskRequest task;
    task.id = mNextLatestSeq++;
    task.what = what;
    task.key = key;
    task.freeBody = std::move(body);
    mWorker->postLatest(task);
    return task.id;
}

void ComputeController::cancelJob(quint64 id)
{
    if (const auto it = mJobs.constFind(id); it != mJobs.constEnd()) {
        spdlog::info("cancelling job {}", id);
        it.value()->cancel();
    }
}

void ComputeController::onFrame(const HybridFrame& frame)
{
    if (frame.seq <= mNewestSeq && mNewestSeq != 0)
        return; // older than what is already shown
    mNewestSeq = frame.seq;
    Q_EMIT frameReady(frame);
}

void ComputeController::loadFinished()
{
    if (mLoadsInFlight > 0 && --mLoadsInFlight == 0)
        Q_EMIT loadingChanged(false);
}

} // namespace lx::ui

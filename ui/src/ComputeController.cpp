#include "lx/ui/ComputeController.h"

#include "lx/ui/ComputeWorker.h"

#include <QMetaObject>

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
    mThread.start();
}

ComputeController::~ComputeController()
{
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

quint64 ComputeController::requestHybrid(int layer, const QVector<int>& channels, quint64 seed1,
                                         quint64 seed2, quint64 modelGeneration)
{
    HybridRequest request;
    request.seq = mNextSeq++;
    request.layer = layer;
    request.channels = channels;
    request.seed1 = seed1;
    request.seed2 = seed2;
    request.modelGeneration = modelGeneration;
    mWorker->postHybrid(request);
    return request.seq;
}

void ComputeController::onFrame(const HybridFrame& frame)
{
    if (frame.seq <= mNewestSeq && mNewestSeq != 0)
        return;   // older than what is already shown
    mNewestSeq = frame.seq;
    Q_EMIT frameReady(frame);
}

void ComputeController::loadFinished()
{
    if (mLoadsInFlight > 0 && --mLoadsInFlight == 0)
        Q_EMIT loadingChanged(false);
}

} // namespace lx::ui

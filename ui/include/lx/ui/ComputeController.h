#pragma once
// UI-side handle on the compute worker: owns the worker thread and the ComputeWorker on it, numbers
// requests, forwards the worker's signals on the UI thread, and drops any frame older than the newest
// frame already delivered (so the views never step back in time).
#include "lx/ui/WorkerTypes.h"

#include <QObject>
#include <QString>
#include <QThread>

namespace lx::ui {

class ComputeWorker;

class ComputeController : public QObject {
    Q_OBJECT
public:
    explicit ComputeController(int threads, QObject* parent);
    // Stops the worker cleanly: pending work is dropped, the model is released on the worker thread,
    // and the thread is joined.
    ~ComputeController() override;

    // Queues a model load on the worker.
    void loadModel(const QString& path, const QString& device);
    // Posts a hybrid request (coalesced by the worker); returns its sequence number.
    quint64 requestHybrid(int layer, const QVector<int>& channels, quint64 seed1, quint64 seed2,
                          quint64 modelGeneration = 0);

    quint64 lastPostedSeq() const { return mNextSeq - 1; }
    quint64 lastDeliveredSeq() const { return mNewestSeq; }
    bool loading() const { return mLoadsInFlight > 0; }
    ComputeWorker* worker() const { return mWorker; }

Q_SIGNALS:
    void modelLoaded(const lx::ui::ModelSummary& summary);
    void modelLoadFailed(const QString& error);
    void frameReady(const lx::ui::HybridFrame& frame);
    void computeFailed(const QString& error);
    void loadingChanged(bool loading);

private:
    void onFrame(const lx::ui::HybridFrame& frame);
    void loadFinished();

    QThread mThread;
    ComputeWorker* mWorker = nullptr;   // lives on mThread; deleted there when it finishes
    quint64 mNextSeq = 1;
    quint64 mNewestSeq = 0;
    int mLoadsInFlight = 0;
};

} // namespace lx::ui

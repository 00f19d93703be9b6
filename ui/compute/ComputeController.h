#pragma once
// UI-side handle on the compute worker: owns the worker thread and the ComputeWorker on it, numbers
// requests, forwards the worker's signals on the UI thread, and drops any frame older than the newest
// frame already delivered (so the views never step back in time).
//
// Tasks (TaskBody in WorkerTypes.h) let a feature run any core computation without the worker knowing
// it: startTask queues a batch task, gives it an id and a cancel token and returns the id; cancelJob(id)
// sets the token (the worker polls it). Every batch task ends with exactly one of taskReady,
// jobCancelled or jobFailed. postLatest posts an interactive task that coalesces per key (the newest
// wins; latestReady never steps back in time for a key).
#include "ui/compute/WorkerTypes.h"

#include <QHash>
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
    // The same for a full request (with interventions); its seq is assigned here.
    quint64 requestHybrid(HybridRequest request);

    // Queues a generic batch task; returns its job id. `what` names it in logs and errors.
    quint64 startTask(const QString& what, TaskBody body, quint64 modelGeneration = 0);
    // Posts an interactive task under `key` (e.g. "responses/latent-sliders"), replacing any pending
    // one of that key; returns its sequence number (increasing per controller).
    quint64 postLatest(const QString& key, const QString& what, TaskBody body, quint64 modelGeneration = 0);
    // The same two for model-free tasks (FreeTaskBody): they run on the worker thread whether or not a
    // model is loaded, with the same signals (taskReady / jobProgress / jobCancelled / jobFailed, and
    // latestReady / latestFailed with newest-wins coalescing per key).
    quint64 startFreeTask(const QString& what, FreeTaskBody body);
    quint64 postLatestFree(const QString& key, const QString& what, FreeTaskBody body);
    // Asks a queued or running job to stop; no-op for finished or unknown ids.
    void cancelJob(quint64 id);
    bool isJobActive(quint64 id) const { return mJobs.contains(id); }
    int activeJobCount() const { return static_cast<int>(mJobs.size()); }

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
    void jobProgress(quint64 id, qint64 done, qint64 total);
    void taskReady(quint64 id, const QVariant& result);
    void latestReady(const QString& key, quint64 seq, const QVariant& result);
    void latestFailed(const QString& key, quint64 seq, const QString& error);
    void jobCancelled(quint64 id);
    void jobFailed(quint64 id, const QString& error);

private:
    void onFrame(const lx::ui::HybridFrame& frame);
    void loadFinished();
    std::shared_ptr<lx::CancelToken> registerJob(quint64 id);

    QThread mThread;
    ComputeWorker* mWorker = nullptr; // lives on mThread; deleted there when it finishes
    quint64 mNextSeq = 1; // hybrid requests (lastPostedSeq)
    quint64 mNextLatestSeq = 1; // latest tasks: their own count, so they never look like an unshown frame
    quint64 mNewestSeq = 0;
    int mLoadsInFlight = 0;
    quint64 mNextJobId = 1;
    QHash<quint64, std::shared_ptr<lx::CancelToken>> mJobs; // queued or running
    QHash<QString, quint64> mNewestLatest; // per key: the newest sequence number delivered
};

} // namespace lx::ui

#pragma once
// The one long-lived compute worker. It lives on its own QThread (ComputeController moves it there),
// owns the loaded lx::Model and its lx::HybridEngine, and makes every LibTorch call on that thread.
//
// Interactive requests coalesce: postHybrid() may be called from any thread; it overwrites a single
// pending slot and queues at most one wake-up. The wake-up takes the newest request, computes it and
// emits the frame, then computes whatever request is pending by then (the newest again; those it
// overwrote are never computed). Frames are emitted in request order, so a frame is never older than
// one shown before it; during a drag the view follows at the compute rate. A slider drag therefore
// never queues work.
//
// Batch tasks (WorkerTypes.h, TaskBody) are queued calls of runTask; they run one after another,
// interleaved in arrival order with the hybrid wake-ups (so a hybrid asked for during a task is served
// right after it). A task reports progress (at most ~20 signals a second) and ends with exactly one of
// taskReady, jobCancelled (its cancel token was set) or jobFailed. Latest tasks (postLatest)
// coalesce per key like postHybrid (the newest request of a key wins; overwritten requests
// are never computed, a result overtaken while computing is still emitted) and ends in latestReady or
// latestFailed.
// Model-free tasks (TaskRequest::freeBody) take the same two paths and signals; they run without a
// loaded model.
#include "ui/compute/WorkerTypes.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace lx {
class Model;
class HybridEngine;
struct LoadOptions;
} // namespace lx

namespace lx::ui {

class ComputeWorker : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxThumbnails = 512;
    static constexpr int kProgressIntervalMs = 50; // throttle: at most ~20 progress signals/s

    // `threads`: LibTorch intra-op threads for loaded models (0 = all cores). No parent: the worker
    // is moved to its own thread.
    explicit ComputeWorker(int threads = 0);
    ~ComputeWorker() override;

    // Thread-safe. Stores `request` as the pending one (replacing any older pending request) and
    // wakes the worker unless a wake-up is already on its way.
    void postHybrid(const HybridRequest& request);
    // Thread-safe. Stores `request` as the pending one of its key (replacing an older one of that key).
    void postLatest(const TaskRequest& request);

    // Thread-safe counters, for the status bar and tests.
    int computedCount() const { return mComputed.load(); } // hybrids computed (emitted or not)
    int droppedCount() const { return mDropped.load(); } // computed, not emitted (stopping, or a superseded error)
    int supersededCount() const
    {
        return mSuperseded.load();
    } // emitted while a newer request waited (hybrids and latest tasks)

    // Load options for `device` ("auto", "cpu", "cuda") with this worker's thread count, for models the
    // worker does not own (model-free tasks load them). Throws lx::Error for an unknown device.
    // Thread-safe (reads only constants).
    lx::LoadOptions loadOptions(const QString& device) const;

public Q_SLOTS:
    // Loads a model (device "auto", "cpu" or "cuda"). Emits modelLoaded or modelLoadFailed; on
    // failure the previously loaded model stays loaded and usable.
    void loadModel(const QString& path, const QString& device);
    // Drops pending work and releases the model and engine (on this thread). Called before the
    // thread stops.
    void shutdown();
    // A batch task; see the class comment. Normally queued by ComputeController.
    void runTask(const lx::ui::TaskRequest& task);

Q_SIGNALS:
    void modelLoaded(const lx::ui::ModelSummary& summary);
    void modelLoadFailed(const QString& error);
    void frameReady(const lx::ui::HybridFrame& frame);
    void computeFailed(const QString& error);
    void jobProgress(quint64 id, qint64 done, qint64 total);
    void taskReady(quint64 id, const QVariant& result);
    void latestReady(const QString& key, quint64 seq, const QVariant& result);
    void latestFailed(const QString& key, quint64 seq, const QString& error);
    void jobCancelled(quint64 id);
    void jobFailed(quint64 id, const QString& error);

private Q_SLOTS:
    void processPending();
    void processLatest();

private:
    std::optional<HybridRequest> takePending();
    HybridFrame compute(const HybridRequest& request);
    ModelSummary summarize() const;
    // Runs `body` and turns lx::Cancelled and errors into jobCancelled / jobFailed.
    void runJob(quint64 id, const char* what, const std::function<void()>& body);
    // A progress function for job `id` that emits jobProgress at most every kProgressIntervalMs
    // (always for the first and the last call).
    lx::ProgressFn throttledProgress(quint64 id);
    // The loaded model for a task made for `modelGeneration`; throws lx::Error when there is none or
    // another model was loaded since.
    lx::Model& modelFor(quint64 modelGeneration);
    std::optional<TaskRequest> takeLatest();

    // Shared with postHybrid() callers on other threads.
    mutable QMutex mMutex;
    std::optional<HybridRequest> mPending;
    bool mWakePending = false;
    bool mStopped = false;
    QHash<QString, TaskRequest> mPendingLatest;
    bool mLatestWakePending = false;

    // Worker-thread state.
    int mThreads = 0;
    quint64 mGeneration = 0;
    std::unique_ptr<lx::Model> mModel;
    std::unique_ptr<lx::HybridEngine> mEngine;
    // Thumbnails are reused while the prefix (layer, seed1) stays the same.
    QVector<QImage> mThumbnails;
    int mThumbLayer = -1;
    quint64 mThumbSeed1 = 0;
    quint64 mThumbGeneration = 0;

    std::atomic<int> mComputed{0};
    std::atomic<int> mDropped{0};
    std::atomic<int> mSuperseded{0};
};

} // namespace lx::ui

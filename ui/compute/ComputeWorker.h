#pragma once
// The one long-lived compute worker. It lives on its own QThread (ComputeController moves it there),
// owns the loaded lx::Model and makes every LibTorch call on that thread. It knows no feature: it loads
// models and runs tasks (Task.h), and reports each by its id through four signals the controller turns
// into the task's TaskHandle signals.
//
// Batch tasks are queued calls of runTask and run one after another in arrival order, interleaved with
// the latest tasks' wake-ups. Latest tasks coalesce per key: postLatest() may be called from any
// thread; it overwrites its key's pending slot and queues at most one wake-up. The wake-up computes
// the pending task of each key, then whatever is pending by then (the newest again; those overwritten
// are never computed). A result is reported even when a newer task of its key arrived meanwhile: it
// is still newer than anything shown, and dropping it starved the views during a drag (measured with
// tests/bench/bench_storm at one event per 8 ms: 85% of the computed frames were thrown away and the
// view updated 8 times a second). An error of such a superseded task is not shown: it ends cancelled.
// Progress is reported at most ~20 times a second.
#include "ui/compute/Task.h"
#include "ui/compute/WorkerTypes.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <optional>

namespace lx {
class Model;
struct LoadOptions;
} // namespace lx

namespace lx::ui {

// A task on its way to the worker: the task, its id and its cancel token (shared with its TaskHandle).
struct TaskRequest {
    quint64 id = 0;
    Task task;
    std::shared_ptr<lx::CancelToken> cancel;
};

class ComputeWorker : public QObject {
    Q_OBJECT
public:
    static constexpr int kProgressIntervalMs = 50; // throttle: at most ~20 progress signals/s

    // `threads`: LibTorch intra-op threads for loaded models (0 = all cores). No parent: the worker
    // is moved to its own thread.
    explicit ComputeWorker(int threads = 0);
    ~ComputeWorker() override;

    // Thread-safe. Stores a latest task as the pending one of its key; returns the id of the pending
    // task it replaced (0: none), which will never run.
    quint64 postLatest(const TaskRequest& request);

    // Thread-safe counters of latest tasks, for the status bar, tests and benchmarks.
    int computedCount() const { return mComputed.load(); } // computed (reported or not)
    int droppedCount() const { return mDropped.load(); } // computed, not reported (stopping, or a superseded error)
    int supersededCount() const { return mSuperseded.load(); } // reported while a newer one of the key waited

    // Load options for `device` ("auto", "cpu", "cuda") with this worker's thread count, for models the
    // worker does not own (model-free tasks load them). Throws lx::Error for an unknown device.
    // Thread-safe (reads only constants).
    lx::LoadOptions loadOptions(const QString& device) const;

public Q_SLOTS:
    // Loads a model (device "auto", "cpu" or "cuda") as task `id`: finished with its ModelSummary, or
    // failed, in which case the previously loaded model stays loaded and usable.
    void loadModel(quint64 id, const QString& path, const QString& device);
    // Drops pending work and releases the model (on this thread). Called before the thread stops.
    void shutdown();
    // A batch task; see the class comment. Queued by ComputeController::run.
    void runTask(const lx::ui::TaskRequest& request);

Q_SIGNALS:
    void taskProgress(quint64 id, qint64 done, qint64 total);
    void taskFinished(quint64 id, const QVariant& result);
    void taskFailed(quint64 id, const QString& error);
    void taskCancelled(quint64 id);

private Q_SLOTS:
    void processLatest();

private:
    ModelSummary summarize() const;
    // A progress function for task `id` that emits taskProgress at most every kProgressIntervalMs
    // (always for the first and the last call).
    lx::ProgressFn throttledProgress(quint64 id);
    // The loaded model for a task made for `modelGeneration`; throws lx::Error when there is none or
    // another model was loaded since.
    lx::Model& modelFor(quint64 modelGeneration);
    QVariant execute(const TaskRequest& request);
    std::optional<TaskRequest> takeLatest();

    // Shared with postLatest() callers on other threads.
    mutable QMutex mMutex;
    QHash<QString, TaskRequest> mPendingLatest;
    bool mLatestWakePending = false;
    bool mStopped = false;

    // Worker-thread state.
    int mThreads = 0;
    quint64 mGeneration = 0;
    std::unique_ptr<lx::Model> mModel;

    std::atomic<int> mComputed{0};
    std::atomic<int> mDropped{0};
    std::atomic<int> mSuperseded{0};
};

} // namespace lx::ui

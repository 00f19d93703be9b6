#pragma once
// The UI's side of the compute worker: owns the worker thread and the ComputeWorker on it, and runs
// tasks there. run(task) is the one way to compute anything: it returns the task's TaskHandle, whose
// signals report its progress and its end (TaskHandle.h). Latest tasks never step back in time: a
// result older than one already delivered for its key ends cancelled instead.
//
// The controller's own signals are about the loaded model, which every view shares: modelLoaded when a
// load succeeded, modelLoadFailed when it did not (the previous model stays), loadingChanged.
#include "ui/compute/Task.h"
#include "ui/compute/TaskHandle.h"
#include "ui/compute/WorkerTypes.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QThread>

namespace lx::ui {

class ComputeWorker;

class ComputeController : public QObject {
    Q_OBJECT
public:
    explicit ComputeController(int threads, QObject* parent);
    // Stops the worker cleanly: running tasks are cancelled, pending ones dropped, the model is
    // released on the worker thread, and the thread is joined.
    ~ComputeController() override;

    // Queues a model load on the worker; its handle finishes with the ModelSummary (also sent as
    // modelLoaded) or fails with the error (also sent as modelLoadFailed).
    TaskHandle* loadModel(const QString& path, const QString& device);
    // Runs `task` on the worker (Task.h). The handle belongs to the controller; see TaskHandle.h.
    TaskHandle* run(Task task);

    // The id the next task will get: results of tasks with smaller ids were asked for before now.
    quint64 nextTaskId() const { return mNextId; }
    int activeTaskCount() const { return static_cast<int>(mHandles.size()); }
    bool isActive(quint64 id) const { return mHandles.contains(id); }
    // Latest tasks of `key`: the id of the newest one run, and of the newest one that finished.
    quint64 lastPosted(const QString& key) const { return mPosted.value(key); }
    quint64 lastDelivered(const QString& key) const { return mDelivered.value(key); }
    bool loading() const { return !mLoads.isEmpty(); }
    ComputeWorker* worker() const { return mWorker; }

Q_SIGNALS:
    void modelLoaded(const lx::ui::ModelSummary& summary);
    void modelLoadFailed(const QString& error);
    void loadingChanged(bool loading);

private:
    TaskHandle* newHandle(const QString& what, const QString& key);
    // Ends task `id` with `signal` emitted on its handle, then lets the handle go.
    template <typename Emit> void end(quint64 id, Emit emitSignal);
    void onFinished(quint64 id, const QVariant& result);

    QThread mThread;
    ComputeWorker* mWorker = nullptr; // lives on mThread; deleted there when it finishes
    quint64 mNextId = 1;
    QHash<quint64, QPointer<TaskHandle>> mHandles; // tasks not ended yet
    QSet<quint64> mLoads; // the model loads among them
    QHash<QString, quint64> mPosted;
    QHash<QString, quint64> mDelivered;
};

} // namespace lx::ui

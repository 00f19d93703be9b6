#pragma once
// Shared set-up for the GUI tests: where fixtures and the bundled model are, loading a model on a
// ComputeController, recording how tasks end (TaskRecorder), opening a model in a MainWindow and
// waiting for its frame, finding buttons.
#include "ui/compute/ComputeController.h"
#include "ui/compute/TaskHandle.h"
#include "ui/hybrids/HybridTasks.h"
#include "ui/shell/MainWindow.h"

#include <QDir>
#include <QHash>
#include <QPushButton>
#include <QVector>
#include <QtTest>

namespace lx::ui::test {

constexpr int kTimeoutMs = 120 * 1000;

// A model made by the fixture scripts (tests/fixtures), in $LX_FIXTURES.
inline QString fixture(const QString& name) { return QDir(qEnvironmentVariable("LX_FIXTURES")).filePath(name); }

// A file of the source tree, e.g. "models/fashion_dcgan.pt".
inline QString sourceFile(const QString& relative)
{
    return QDir(qEnvironmentVariable("LX_SOURCE_DIR")).filePath(relative);
}

inline QString defaultModel() { return sourceFile(QStringLiteral("models/fashion_dcgan.pt")); }

// Loads `path` on the CPU and returns its summary; false (with a warning naming the reason) on failure.
inline bool loadModel(ComputeController& controller, const QString& path, ModelSummary& summary)
{
    QSignalSpy loaded(&controller, &ComputeController::modelLoaded);
    QSignalSpy failed(&controller, &ComputeController::modelLoadFailed);
    controller.loadModel(path, QStringLiteral("cpu"));
    if (!QTest::qWaitFor([&] { return !loaded.isEmpty() || !failed.isEmpty(); }, kTimeoutMs)) {
        qWarning("loading %s timed out", qPrintable(path));
        return false;
    }
    if (!failed.isEmpty()) {
        qWarning("loading %s failed: %s", qPrintable(path), qPrintable(failed.first().first().toString()));
        return false;
    }
    summary = loaded.first().first().value<ModelSummary>();
    return true;
}

// The id of the newest hybrid task run on `controller` (0: none yet).
inline quint64 lastHybridPosted(const ComputeController& controller)
{
    return controller.lastPosted(QString::fromLatin1(HybridTasks::kKey));
}

// Batch tasks (and model loads) of `controller` that have not ended: what activeTaskCount() counts,
// less the latest tasks (the hybrid and the views' interactive tasks).
inline int activeBatchTaskCount(const ComputeController& controller)
{
    int count = 0;
    const QList<TaskHandle*> tasks = controller.findChildren<TaskHandle*>(Qt::FindDirectChildrenOnly);
    for (const TaskHandle* task : tasks) {
        if (task->isActive() && task->latestKey().isEmpty())
            ++count;
    }
    return count;
}

// Waits until the newest posted hybrid request has been shown.
inline bool waitForLatestFrame(MainWindow& window)
{
    return QTest::qWaitFor(
        [&] { return window.lastShownSeq() != 0 && window.lastShownSeq() == lastHybridPosted(*window.controller()); },
        kTimeoutMs);
}

// Records what tasks report through their handles, by task id: progress in arrival order and how each
// ended ("ready", "cancelled" or "failed: <error>") with its result. The controller deletes a handle
// once it has ended, so tests read the recorder, never the handle, after that.
class TaskRecorder {
public:
    struct Progress {
        quint64 id = 0;
        qint64 done = 0;
        qint64 total = 0;
    };
    struct End {
        quint64 id = 0;
        QString key; // the latest key (empty for batch tasks)
        QString outcome;
        QVariant result;
    };

    TaskRecorder() = default;
    TaskRecorder(const TaskRecorder&) = delete;
    TaskRecorder& operator=(const TaskRecorder&) = delete;

    // Follows `task` from now on and returns its id (0 for nullptr, e.g. a start the TaskBar refused).
    quint64 track(TaskHandle* task)
    {
        if (!task)
            return 0;
        const quint64 id = task->id();
        const QString key = task->latestKey();
        mTracked.insert(id, key);
        QObject::connect(task, &TaskHandle::progress, &mContext, [this, id](qint64 done, qint64 total) {
            mProgress.push_back({id, done, total});
        });
        QObject::connect(task, &TaskHandle::finished, &mContext,
                         [this, id, key](const QVariant& result) { end(id, key, QStringLiteral("ready"), result); });
        QObject::connect(task, &TaskHandle::cancelled, &mContext,
                         [this, id, key] { end(id, key, QStringLiteral("cancelled"), {}); });
        QObject::connect(task, &TaskHandle::failed, &mContext, [this, id, key](const QString& error) {
            end(id, key, QStringLiteral("failed: ") + error, {});
        });
        return id;
    }

    bool ended(quint64 id) const { return mOutcome.contains(id); }
    // "" while it runs (or when not tracked), else "ready", "cancelled" or "failed: <error>".
    QString outcome(quint64 id) const { return mOutcome.value(id); }
    // Waits for the task's end and returns its outcome ("" on timeout).
    QString wait(quint64 id, int timeoutMs = kTimeoutMs) const
    {
        if (!QTest::qWaitFor([&] { return ended(id); }, timeoutMs))
            return {};
        return outcome(id);
    }
    // Waits until every tracked task has ended.
    bool waitAll(int timeoutMs = kTimeoutMs) const
    {
        return QTest::qWaitFor([&] { return mOutcome.size() == mTracked.size(); }, timeoutMs);
    }
    QVariant result(quint64 id) const { return mResult.value(id); }
    template <typename T> T value(quint64 id) const { return mResult.value(id).value<T>(); }
    // The error of a failed task ("" otherwise).
    QString error(quint64 id) const
    {
        const QString o = outcome(id);
        return o.startsWith(QStringLiteral("failed: ")) ? o.mid(8) : QString();
    }

    // Every progress report of the tracked tasks, in arrival order.
    const QVector<Progress>& progress() const { return mProgress; }
    QVector<Progress> progress(quint64 id) const
    {
        QVector<Progress> out;
        for (const Progress& p : mProgress) {
            if (p.id == id)
                out << p;
        }
        return out;
    }
    // The tracked tasks' ends, in the order they arrived.
    const QVector<End>& ends() const { return mEnds; }
    // The ends with outcome `outcome` ("ready", "cancelled") or, for "failed", any failure.
    QVector<End> ends(const QString& outcome) const
    {
        QVector<End> out;
        for (const End& e : mEnds) {
            if (e.outcome == outcome
                || (outcome == QLatin1String("failed") && e.outcome.startsWith(QLatin1String("failed: "))))
                out << e;
        }
        return out;
    }
    int tracked() const { return static_cast<int>(mTracked.size()); }
    // How often a tracked task ended more than once (the contract: never).
    int extraEnds() const { return mExtraEnds; }

private:
    void end(quint64 id, const QString& key, const QString& outcome, const QVariant& result)
    {
        if (mOutcome.contains(id)) {
            ++mExtraEnds;
            return;
        }
        mOutcome.insert(id, outcome);
        mResult.insert(id, result);
        mEnds.push_back({id, key, outcome, result});
    }

    QHash<quint64, QString> mTracked;
    QHash<quint64, QString> mOutcome;
    QHash<quint64, QVariant> mResult;
    QVector<Progress> mProgress;
    QVector<End> mEnds;
    int mExtraEnds = 0;
    QObject mContext; // the connections end with the recorder (destroyed first)
};

// Opens `path` in a shown window and waits for it to load; with `waitForFrame`, also for its first
// hybrid frame (models with layers or samples).
inline bool openAndWait(MainWindow& window, const QString& path, bool waitForFrame = true)
{
    QSignalSpy ready(&window, &MainWindow::modelReady);
    QSignalSpy failed(&window, &MainWindow::modelFailed);
    window.openModel(path);
    if (!QTest::qWaitFor([&] { return !ready.isEmpty() || !failed.isEmpty(); }, kTimeoutMs) || !failed.isEmpty()) {
        qWarning("cannot open %s: %s", qPrintable(path),
                 failed.isEmpty() ? "timeout" : qPrintable(failed.first().first().toString()));
        return false;
    }
    return !waitForFrame || waitForLatestFrame(window);
}

// The first push button below `parent` whose text is `text`, or nullptr.
inline QPushButton* findButton(QWidget* parent, const QString& text)
{
    const QList<QPushButton*> buttons = parent->findChildren<QPushButton*>();
    for (QPushButton* b : buttons) {
        if (b->text() == text)
            return b;
    }
    return nullptr;
}

} // namespace lx::ui::test

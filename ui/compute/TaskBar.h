#pragma once
// A progress bar, a Cancel button (and an Esc action) for one task at a time on the compute worker: any
// Task, run by start(). The task's result goes to the handler given to start(); cancellation and errors
// end up in the bar's status text and in `message`.
#include "ui/compute/Task.h"
#include "ui/compute/TaskHandle.h"

#include <QPointer>
#include <QWidget>

#include <functional>

class QAction;
class QLabel;
class QProgressBar;
class QPushButton;

namespace lx::ui {

class ComputeController;

class TaskBar : public QWidget {
    Q_OBJECT
public:
    using Handler = std::function<void(const QVariant& result)>;

    TaskBar(ComputeController* controller, QWidget* parent);

    // Runs `task` unless one is running; returns its handle (nullptr: refused, one is running).
    TaskHandle* start(Task task, Handler onReady);
    // Shows a task someone else ran (e.g. a panel's own), with `onReady` for its result.
    void track(TaskHandle* task, Handler onReady);
    bool isRunning() const { return mTask != nullptr; }
    TaskHandle* current() const { return mTask; }
    QString currentWhat() const { return mWhat; }
    QString statusText() const;

    QAction* cancelAction() const { return mCancelAction; } // Esc; enabled only while running
    QPushButton* cancelButton() const { return mCancel; }
    QProgressBar* progressBar() const { return mProgress; }

    // Empties the bar (progress and status) unless a task runs, e.g. when what it reported no longer
    // concerns what the view shows.
    void clear();

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    void runningChanged(bool running);
    // The task ended: `ok` when its result was handled, false when cancelled or failed.
    void finished(quint64 id, bool ok);
    void message(const QString& text);

private:
    void onProgress(qint64 done, qint64 total);
    void onReady(quint64 id, const QVariant& result);
    void onStopped(quint64 id, const QString& status);
    void end(const QString& status, bool ok);

    ComputeController* mController;
    QPointer<TaskHandle> mTask;
    QString mWhat;
    Handler mHandler;
    QProgressBar* mProgress = nullptr;
    QPushButton* mCancel = nullptr;
    QLabel* mStatus = nullptr;
    QAction* mCancelAction = nullptr;
};

} // namespace lx::ui

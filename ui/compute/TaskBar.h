#pragma once
// A progress bar, a Cancel button (and an Esc action) for one generic batch task at a time on the
// compute worker (ComputeController::startTask). The task's result goes to the handler given to
// start(); cancellation and errors end up in the bar's status text and in `message`.
#include "ui/compute/WorkerTypes.h"

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

    // Queues a batch task unless one is running; returns its id (0: refused, one is running).
    quint64 start(const QString& what, TaskBody body, quint64 modelGeneration, Handler onReady);
    // The same for a model-free task (ComputeController::startFreeTask).
    quint64 startFree(const QString& what, FreeTaskBody body, Handler onReady);
    bool isRunning() const { return mJob != 0; }
    quint64 currentJob() const { return mJob; }
    QString currentWhat() const { return mWhat; }
    QString statusText() const;

    QAction* cancelAction() const { return mCancelAction; } // Esc; enabled only while running
    QPushButton* cancelButton() const { return mCancel; }
    QProgressBar* progressBar() const { return mProgress; }

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    void runningChanged(bool running);
    // The task ended: `ok` when its result was handled, false when cancelled or failed.
    void finished(quint64 id, bool ok);
    void message(const QString& text);

private:
    void onProgress(quint64 id, qint64 done, qint64 total);
    void onReady(quint64 id, const QVariant& result);
    void onCancelled(quint64 id);
    void onFailed(quint64 id, const QString& error);
    void end(const QString& status, bool ok);
    void begin(const QString& what, quint64 job, Handler onReady);

    ComputeController* mController;
    quint64 mJob = 0;
    QString mWhat;
    Handler mHandler;
    QProgressBar* mProgress = nullptr;
    QPushButton* mCancel = nullptr;
    QLabel* mStatus = nullptr;
    QAction* mCancelAction = nullptr;
};

} // namespace lx::ui

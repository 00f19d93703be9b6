#include "ui/compute/TaskBar.h"

#include "ui/compute/ComputeController.h"

#include <QAction>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

namespace lx::ui {

TaskBar::TaskBar(ComputeController* controller, QWidget* parent)
    : QWidget(parent)
    , mController(controller)
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    mProgress = new QProgressBar(this);
    mProgress->setRange(0, 1);
    mProgress->setValue(0);
    mProgress->setTextVisible(true);
    mProgress->setFormat(tr("idle"));
    mProgress->setMinimumWidth(220);
    mProgress->setMaximumWidth(320);
    mCancel = new QPushButton(tr("Cancel"), this);
    mCancel->setToolTip(tr("Stop the computation (Esc)"));
    mCancel->setAutoDefault(false);
    mCancel->setEnabled(false);
    mStatus = new QLabel(this);
    mStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mStatus->setMaximumWidth(420); // long errors are in the tooltip and the status bar
    layout->addWidget(mProgress, 1);
    layout->addWidget(mCancel);
    layout->addWidget(mStatus, 2);

    mCancelAction = new QAction(tr("Cancel Response Computation"), this);
    mCancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    mCancelAction->setEnabled(false); // Esc stays free while nothing runs
    connect(mCancelAction, &QAction::triggered, this, &TaskBar::cancel);
    connect(mCancel, &QPushButton::clicked, this, &TaskBar::cancel);

    connect(mController, &ComputeController::jobProgress, this, &TaskBar::onProgress);
    connect(mController, &ComputeController::taskReady, this, &TaskBar::onReady);
    connect(mController, &ComputeController::jobCancelled, this, &TaskBar::onCancelled);
    connect(mController, &ComputeController::jobFailed, this, &TaskBar::onFailed);
}

quint64 TaskBar::start(const QString& what, TaskBody body, quint64 modelGeneration, Handler onReady)
{
    if (isRunning())
        return 0;
    begin(what, mController->startTask(what, std::move(body), modelGeneration), std::move(onReady));
    return mJob;
}

quint64 TaskBar::startFree(const QString& what, FreeTaskBody body, Handler onReady)
{
    if (isRunning())
        return 0;
    begin(what, mController->startFreeTask(what, std::move(body)), std::move(onReady));
    return mJob;
}

void TaskBar::begin(const QString& what, quint64 job, Handler onReady)
{
    mWhat = what;
    mHandler = std::move(onReady);
    mJob = job;
    mProgress->setRange(0, 0); // busy until the first progress report
    mProgress->setFormat(tr("%1: starting…").arg(what));
    mStatus->clear();
    mCancel->setEnabled(true);
    mCancelAction->setEnabled(true);
    Q_EMIT runningChanged(true);
}

void TaskBar::cancel()
{
    if (isRunning())
        mController->cancelJob(mJob);
}

QString TaskBar::statusText() const
{
    return mStatus->toolTip(); // the full text (the label may be elided)
}

void TaskBar::onProgress(quint64 id, qint64 done, qint64 total)
{
    if (id != mJob || total <= 0)
        return;
    mProgress->setRange(0, 1000);
    mProgress->setValue(static_cast<int>(1000 * done / total));
    mProgress->setFormat(tr("%1: %p%").arg(mWhat));
}

void TaskBar::onReady(quint64 id, const QVariant& result)
{
    if (id != mJob)
        return;
    const Handler handler = std::move(mHandler);
    end(QString(), true);
    mProgress->setRange(0, 1);
    mProgress->setValue(1);
    if (handler)
        handler(result);
    Q_EMIT finished(id, true);
}

void TaskBar::onCancelled(quint64 id)
{
    if (id != mJob)
        return;
    end(tr("%1 cancelled").arg(mWhat), false);
    Q_EMIT message(tr("%1 cancelled").arg(mWhat));
    Q_EMIT finished(id, false);
}

void TaskBar::onFailed(quint64 id, const QString& error)
{
    if (id != mJob)
        return;
    const QString text = tr("%1 failed: %2").arg(mWhat, error);
    end(text, false);
    Q_EMIT message(text);
    Q_EMIT finished(id, false);
}

void TaskBar::end(const QString& status, bool ok)
{
    mJob = 0;
    mHandler = nullptr;
    mProgress->setRange(0, 1);
    mProgress->setValue(ok ? 1 : 0);
    mProgress->setFormat(ok ? tr("%1: done").arg(mWhat) : QString());
    mStatus->setText(fontMetrics().elidedText(status, Qt::ElideRight, 420));
    mStatus->setToolTip(status);
    mCancel->setEnabled(false);
    mCancelAction->setEnabled(false);
    Q_EMIT runningChanged(false);
}

} // namespace lx::ui

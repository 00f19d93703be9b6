#include "ui/compute/TaskBar.h"

#include "ui/compute/ComputeController.h"

#include <QAction>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

#include <utility>

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

    mCancelAction = new QAction(tr("&Cancel Computation"), this);
    mCancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    mCancelAction->setEnabled(false); // Esc stays free while nothing runs
    connect(mCancelAction, &QAction::triggered, this, &TaskBar::cancel);
    connect(mCancel, &QPushButton::clicked, this, &TaskBar::cancel);
}

TaskHandle* TaskBar::start(Task task, Handler onReady)
{
    if (isRunning())
        return nullptr;
    TaskHandle* handle = mController->run(std::move(task));
    track(handle, std::move(onReady));
    return handle;
}

void TaskBar::track(TaskHandle* task, Handler handler)
{
    mTask = task;
    mWhat = task->what();
    mHandler = std::move(handler);
    const quint64 id = task->id();
    connect(task, &TaskHandle::progress, this, &TaskBar::onProgress);
    connect(task, &TaskHandle::finished, this, [this, id](const QVariant& result) { onReady(id, result); });
    connect(task, &TaskHandle::cancelled, this, [this, id] { onStopped(id, tr("%1 cancelled").arg(mWhat)); });
    connect(task, &TaskHandle::failed, this,
            [this, id](const QString& error) { onStopped(id, tr("%1 failed: %2").arg(mWhat, error)); });
    mProgress->setRange(0, 0); // busy until the first progress report
    mProgress->setFormat(tr("%1: starting…").arg(mWhat));
    mStatus->clear();
    mCancel->setEnabled(true);
    mCancelAction->setEnabled(true);
    Q_EMIT runningChanged(true);
}

void TaskBar::cancel()
{
    if (mTask)
        mTask->cancel();
}

void TaskBar::clear()
{
    if (isRunning())
        return;
    mProgress->setRange(0, 1);
    mProgress->setValue(0);
    mProgress->setFormat(tr("idle"));
    mStatus->clear();
    mStatus->setToolTip(QString());
}

QString TaskBar::statusText() const
{
    return mStatus->toolTip(); // the full text (the label may be elided)
}

void TaskBar::onProgress(qint64 done, qint64 total)
{
    if (total <= 0)
        return;
    mProgress->setRange(0, 1000);
    mProgress->setValue(static_cast<int>(1000 * done / total));
    mProgress->setFormat(tr("%1: %p%").arg(mWhat));
}

void TaskBar::onReady(quint64 id, const QVariant& result)
{
    const Handler handler = std::move(mHandler);
    end(QString(), true);
    mProgress->setRange(0, 1);
    mProgress->setValue(1);
    if (handler)
        handler(result);
    Q_EMIT finished(id, true);
}

void TaskBar::onStopped(quint64 id, const QString& status)
{
    end(status, false);
    Q_EMIT message(status);
    Q_EMIT finished(id, false);
}

void TaskBar::end(const QString& status, bool ok)
{
    mTask = nullptr;
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

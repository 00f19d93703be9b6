#include "ui/compute/ModelKindView.h"

#include "lx/Model.h"
#include "ui/compute/ComputeController.h"
#include "ui/compute/ComputeWorker.h"
#include "ui/compute/ErrorText.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <spdlog/spdlog.h>

#include <utility>

namespace lx::ui {

ModelKindView::ModelKindView(ComputeController* controller, QString kind, QString noun, const QString& placeholder,
                             QWidget* parent)
    : QWidget(parent)
    , mController(controller)
    , mKind(std::move(kind))
    , mNoun(std::move(noun))
{
    mFrame = new QVBoxLayout(this);
    mFrame->setContentsMargins(8, 8, 8, 6);
    mFrame->setSpacing(6);
    mHeaderRow = new QHBoxLayout;
    mHeader = new QLabel(this);
    mHeader->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mHeader->setWordWrap(true);
    mHeaderRow->addWidget(mHeader, 1);
    mFrame->addLayout(mHeaderRow);
    mStack = new QStackedWidget(this);
    mPlaceholder = new QLabel(placeholder, mStack);
    mPlaceholder->setAlignment(Qt::AlignCenter);
    mPlaceholder->setWordWrap(true);
    mPlaceholder->setForegroundRole(QPalette::PlaceholderText);
    mStack->addWidget(mPlaceholder);
    mBody = new QWidget(mStack);
    mStack->addWidget(mBody);
    mFrame->addWidget(mStack, 1);

    connect(controller, &ComputeController::taskReady, this, &ModelKindView::onTaskReady);
    connect(controller, &ComputeController::jobFailed, this, &ModelKindView::onJobStopped);
    connect(controller, &ComputeController::jobCancelled, this, [this](quint64 id) { onJobStopped(id, QString()); });
}

ModelKindView::~ModelKindView() = default;

void ModelKindView::open(const QString& path, const QString& device)
{
    lx::LoadOptions options;
    try {
        options = mController->worker()->loadOptions(device);
    } catch (const std::exception& e) {
        Q_EMIT openFailed(errorText(e));
        return;
    }
    spdlog::info("opening {} {}", mNoun.toStdString(), path.toStdString());
    mLoadPath = path;
    mLoadJob = mController->startFreeTask(tr("Open %1").arg(mNoun), loadTask(path, options));
}

void ModelKindView::showBody(bool on) { mStack->setCurrentWidget(on ? mBody : static_cast<QWidget*>(mPlaceholder)); }

void ModelKindView::onJobEnded(quint64, const QString&) { }

void ModelKindView::releaseOnWorker(std::shared_ptr<void> model)
{
    if (!model)
        return;
    mController->startFreeTask(tr("Release %1").arg(mNoun),
                               [model](const lx::ProgressFn&, const lx::CancelToken&) mutable {
                                   model.reset();
                                   return QVariant();
                               });
}

void ModelKindView::onTaskReady(quint64 id, const QVariant& result)
{
    if (id == mLoadJob && id != 0) {
        mLoadJob = 0;
        takeLoaded(result);
    }
}

void ModelKindView::onJobStopped(quint64 id, const QString& error)
{
    if (id == 0)
        return;
    if (id == mLoadJob) {
        mLoadJob = 0;
        Q_EMIT openFailed(error.isEmpty() ? tr("opening %1 was cancelled").arg(mLoadPath) : error);
        return;
    }
    onJobEnded(id, error);
}

} // namespace lx::ui

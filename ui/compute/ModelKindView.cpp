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
    TaskHandle* task = mController->run(Task::modelFree(tr("Open %1").arg(mNoun), loadTask(path, options)));
    connect(task, &TaskHandle::finished, this, &ModelKindView::takeLoaded);
    connect(task, &TaskHandle::failed, this, &ModelKindView::openFailed);
    connect(task, &TaskHandle::cancelled, this,
            [this, path] { Q_EMIT openFailed(tr("opening %1 was cancelled").arg(path)); });
}

void ModelKindView::showBody(bool on) { mStack->setCurrentWidget(on ? mBody : static_cast<QWidget*>(mPlaceholder)); }

void ModelKindView::releaseOnWorker(std::shared_ptr<void> model)
{
    if (!model)
        return;
    mController->run(
        Task::modelFree(tr("Release %1").arg(mNoun), [model](const lx::ProgressFn&, const lx::CancelToken&) mutable {
            model.reset();
            return QVariant();
        }));
}

} // namespace lx::ui

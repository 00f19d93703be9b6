#include "ui/responses/ResponsesView.h"

#include "ui/compute/ComputeController.h"
#include "ui/responses/ConditionedPanel.h"
#include "ui/compute/ErrorText.h"
#include "ui/responses/LatentSlidersPanel.h"
#include "ui/responses/ResponseMapPanel.h"
#include "ui/responses/ResponseMatrixFile.h"
#include "ui/responses/ResponseMatrixPanel.h"
#include "ui/responses/ResponseSourceBar.h"
#include "ui/responses/ResponseTasks.h"
#include "ui/compute/TaskBar.h"
#include "ui/widgets/ViewSettings.h"

#include <QAction>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QResizeEvent>
#include <QKeySequence>
#include <QPushButton>
#include <QSettings>
#include <QTabWidget>
#include <QVBoxLayout>

namespace lx::ui {

ResponsesView::ResponsesView(ComputeController* controller, QWidget* parent)
    : QWidget(parent)
    , mController(controller)
{
    // The widgets live in a body without a layout of this view's own (see the header).
    mBody = new QWidget(this);
    mBody->installEventFilter(this);
    auto* layout = new QVBoxLayout(mBody);
    layout->setContentsMargins(8, 8, 8, 4);
    layout->setSpacing(4);
    mSource = new ResponseSourceBar(mBody);
    layout->addWidget(mSource);
    mTaskBar = new TaskBar(controller, this);
    mTaskBar->cancelAction()->setText(tr("Cancel Response Computation")); // in the Analysis menu
    mTabs = new QTabWidget(mBody);
    mTabs->setDocumentMode(true);
    mTabs->setCornerWidget(mTaskBar, Qt::TopRightCorner); // progress and Cancel beside the tabs
    mMatrix = new ResponseMatrixPanel(mTabs);
    mConditioned = new ConditionedPanel(mTabs);
    mMap = new ResponseMapPanel(controller, mTabs);
    mLatents = new LatentSlidersPanel(controller, mTabs);
    mTabs->addTab(mMatrix, tr("Matrix"));
    mTabs->addTab(mConditioned, tr("Conditioned"));
    mTabs->addTab(mMap, tr("Response map"));
    mTabs->addTab(mLatents, tr("Latents && traversals"));
    layout->addWidget(mTabs, 1);

    mMatrixAction = new QAction(tr("Compute &Response Matrix"), this);
    mMatrixAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    mConditionedAction = new QAction(tr("Compute &Conditioned Matrix (CDS)"), this);
    mConditionedAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    mMapAction = new QAction(tr("Compute Response &Map"), this);
    mMapAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    // Opening has no shortcut: no free key combination is an obvious one for it.
    mOpenMatrixAction = new QAction(tr("Open Response Matri&x…"), this);
    mOpenConditionedAction = new QAction(tr("Open Condi&tioned Matrix…"), this);
    // Window-wide shortcuts (the main window adds these actions to its menu) that also work when this
    // view is shown on its own.
    addActions({mMatrixAction, mConditionedAction, mMapAction, mTaskBar->cancelAction()});

    connect(mMatrixAction, &QAction::triggered, this, &ResponsesView::computeMatrix);
    connect(mConditionedAction, &QAction::triggered, this, &ResponsesView::computeConditioned);
    connect(mMapAction, &QAction::triggered, this, &ResponsesView::computeMap);
    // Queued: the main window brings this view forward (a direct connection of its own) before the
    // modal file dialog opens over it.
    connect(mOpenMatrixAction, &QAction::triggered, this, &ResponsesView::openMatrixDialog, Qt::QueuedConnection);
    connect(mOpenConditionedAction, &QAction::triggered, this, &ResponsesView::openConditionedDialog,
            Qt::QueuedConnection);
    connect(mMatrix, &ResponseMatrixPanel::openRequested, this, &ResponsesView::openMatrixDialog);
    connect(mConditioned, &ConditionedPanel::openRequested, this, &ResponsesView::openConditionedDialog);
    connect(mMatrix, &ResponseMatrixPanel::computeRequested, this, &ResponsesView::computeMatrix);
    connect(mConditioned, &ConditionedPanel::computeRequested, this, &ResponsesView::computeConditioned);
    connect(mMap, &ResponseMapPanel::computeRequested, this, &ResponsesView::computeMap);
    connect(mMatrix, &ResponseMatrixPanel::cellClicked, this, [this](int row, int col) {
        if (row == col)
            return;
        mMap->setDims(row, col);
        Q_EMIT message(tr("Response map slice: z%1 (horizontal) × z%2 (vertical)").arg(row).arg(col));
    });
    connect(mTabs, &QTabWidget::currentChanged, this, &ResponsesView::onTabChanged);
    connect(mTaskBar, &TaskBar::runningChanged, this, &ResponsesView::updateActions);
    connect(mTaskBar, &TaskBar::message, this, &ResponsesView::message);
    connect(mMatrix, &ResponseMatrixPanel::message, this, &ResponsesView::message);
    connect(mConditioned, &ConditionedPanel::message, this, &ResponsesView::message);
    connect(mMap, &ResponseMapPanel::message, this, &ResponsesView::message);
    connect(mLatents, &LatentSlidersPanel::message, this, &ResponsesView::message);
    setModel(ModelSummary());
}

QSize ResponsesView::sizeHint() const { return mBody->sizeHint(); }

QSize ResponsesView::minimumSizeHint() const { return mBody->minimumSizeHint(); }

void ResponsesView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    mBody->setGeometry(rect());
}

bool ResponsesView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == mBody && event->type() == QEvent::LayoutRequest)
        updateGeometry(); // the body's size hints changed: so did this view's
    return QWidget::eventFilter(watched, event);
}

QAction* ResponsesView::cancelAction() const { return mTaskBar->cancelAction(); }

QList<QAction*> ResponsesView::actions() const
{
    return {mMatrixAction,     mConditionedAction,     mMapAction,
            mOpenMatrixAction, mOpenConditionedAction, mTaskBar->cancelAction()};
}

void ResponsesView::setModel(const ModelSummary& summary)
{
    cancel();
    mSummary = summary;
    mAvailable = summary.kind == QLatin1String("autoencoder");
    mLatentSize = 1;
    for (qint64 s : summary.latentShape)
        mLatentSize *= static_cast<int>(s);
    if (!mAvailable)
        mLatentSize = 0;
    mInfo = ResponseModelInfo();
    mLatentsStarted = false;
    mSource->setModelInfo(mInfo);
    mConditioned->setModelInfo(mInfo);
    mMatrix->clear(mAvailable ? tr("Compute the response matrix (Ctrl+R): how much each latent dimension of the "
                                   "response moves when one dimension is intervened on")
                              : tr("Latent responses need an autoencoder (card kind \"autoencoder\")"));
    mMap->setModel(summary, mLatentSize);
    mLatents->setModel(summary, mLatentSize);
    mInfoJob = nullptr; // a job for the previous model no longer counts
    if (mAvailable) {
        TaskHandle* task =
            mController->run(Task::onModel(tr("model card"), ResponseTasks::modelInfoTask(), summary.generation));
        mInfoJob = task;
        connect(task, &TaskHandle::finished, this, [this, task](const QVariant& result) {
            if (task == mInfoJob && result.canConvert<ResponseModelInfo>()) {
                mInfoJob = nullptr;
                onModelInfo(result.value<ResponseModelInfo>());
            }
        });
        connect(task, &TaskHandle::failed, this, [this, task](const QString& error) {
            if (task == mInfoJob) {
                mInfoJob = nullptr;
                Q_EMIT message(tr("Cannot read the model's card: %1").arg(error));
            }
        });
    }
    updateActions();
    if (mAvailable && mTabs->currentWidget() == mLatents && isVisible())
        onTabChanged(mTabs->currentIndex());
}

void ResponsesView::onModelInfo(const ResponseModelInfo& info)
{
    if (info.modelGeneration != 0 && info.modelGeneration != mSummary.generation)
        return;
    mInfo = info;
    mInfo.modelGeneration = mSummary.generation;
    mSource->setModelInfo(mInfo);
    mConditioned->setModelInfo(mInfo);
    updateActions();
    Q_EMIT modelInfoReady(mInfo);
}

void ResponsesView::showTab(Tab tab) { mTabs->setCurrentIndex(static_cast<int>(tab)); }

ResponsesView::Tab ResponsesView::currentTab() const { return static_cast<Tab>(mTabs->currentIndex()); }

void ResponsesView::onTabChanged(int index)
{
    // The sliders start from the prior sample of their seed the first time they are shown.
    if (index == static_cast<int>(Tab::Latents) && mAvailable && !mLatentsStarted) {
        mLatentsStarted = true;
        mLatents->samplePrior();
    }
}

void ResponsesView::updateActions()
{
    const bool idle = mAvailable && !mTaskBar->isRunning();
    mMatrixAction->setEnabled(idle);
    mConditionedAction->setEnabled(idle && mConditioned->available());
    mMapAction->setEnabled(idle && mLatentSize >= 2);
    mMatrix->computeButton()->setEnabled(idle);
    mConditioned->computeButton()->setEnabled(idle && mConditioned->available());
    mMap->computeButton()->setEnabled(idle && mLatentSize >= 2);
    mOpenMatrixAction->setEnabled(idle);
    mOpenConditionedAction->setEnabled(idle && mConditioned->available());
    mMatrix->openButton()->setEnabled(idle);
    mConditioned->openButton()->setEnabled(idle && mConditioned->available());
}

void ResponsesView::computeMatrix()
{
    if (!mAvailable || mTaskBar->isRunning())
        return;
    showTab(Tab::Matrix);
    mLastSource = mSource->source();
    mTaskBar->start(Task::onModel(tr("Response matrix"), ResponseTasks::matrixTask(mLastSource), mSummary.generation),
                    [this, generation = mSummary.generation](const QVariant& result) {
                        if (generation != mSummary.generation || !result.canConvert<ResponseMatrixResult>())
                            return;
                        const auto matrix = result.value<ResponseMatrixResult>();
                        mMatrix->showResult(matrix);
                        mLatents->setMatrixDiagonal(matrix.diagonal());
                        Q_EMIT matrixShown();
                    });
}

void ResponsesView::computeConditioned()
{
    if (!mAvailable || mTaskBar->isRunning() || !mConditioned->available())
        return;
    showTab(Tab::Conditioned);
    mTaskBar->start(Task::onModel(tr("Conditioned matrix"),
                                  ResponseTasks::conditionedTask(mConditioned->traversals(), mConditioned->batch(),
                                                                 mConditioned->seed()),
                                  mSummary.generation),
                    [this, generation = mSummary.generation](const QVariant& result) {
                        if (generation != mSummary.generation || !result.canConvert<ConditionedMatrixResult>())
                            return;
                        mConditioned->showResult(result.value<ConditionedMatrixResult>());
                        Q_EMIT conditionedShown();
                    });
}

void ResponsesView::computeMap()
{
    if (!mAvailable || mTaskBar->isRunning() || mLatentSize < 2)
        return;
    const ResponseMapRequest request = mMap->request();
    if (request.dimX == request.dimY) {
        Q_EMIT message(tr("Pick two different dimensions for the response map"));
        return;
    }
    showTab(Tab::Map);
    mLastSource = mSource->source();
    mTaskBar->start(
        Task::onModel(tr("Response map"), ResponseTasks::mapTask(request, mLastSource), mSummary.generation),
        [this, generation = mSummary.generation](const QVariant& result) {
            if (generation != mSummary.generation || !result.canConvert<ResponseMapData>())
                return;
            mMap->showMap(result.value<ResponseMapData>());
            Q_EMIT mapShown();
        });
}

void ResponsesView::cancel() { mTaskBar->cancel(); }

QString ResponsesView::askForMatrix(const QString& caption)
{
    QSettings settings;
    const QString path =
        QFileDialog::getOpenFileName(this, caption, settings.value(QStringLiteral("lastResponseMatrixDir")).toString(),
                                     tr("Response matrices (*.npy)"));
    if (!path.isEmpty())
        settings.setValue(QStringLiteral("lastResponseMatrixDir"), QFileInfo(path).absolutePath());
    return path;
}

void ResponsesView::openMatrixDialog()
{
    if (!mAvailable || mTaskBar->isRunning())
        return;
    const QString path = askForMatrix(tr("Open Response Matrix"));
    if (!path.isEmpty())
        openMatrix(path);
}

void ResponsesView::openConditionedDialog()
{
    if (!mAvailable || mTaskBar->isRunning() || !mConditioned->available())
        return;
    const QString path = askForMatrix(tr("Open Conditioned Matrix"));
    if (!path.isEmpty())
        openConditioned(path);
}

bool ResponsesView::openMatrix(const QString& path)
{
    const auto refuse = [this](const QString& why) {
        Q_EMIT message(tr("Cannot open the response matrix: %1").arg(why));
        return false;
    };
    if (!mAvailable)
        return refuse(tr("no autoencoder loaded"));
    // A running matrix task would replace the opened matrix when it ends.
    if (mTaskBar->isRunning())
        return refuse(tr("a computation is running; wait for it or cancel it first"));
    ResponseMatrixResult result;
    try {
        result = ResponseMatrixFile::readMatrix(path, mSummary.path, mLatentSize);
    } catch (const std::exception& e) {
        return refuse(errorText(e));
    }
    showTab(Tab::Matrix);
    mMatrix->showResult(result);
    mLatents->setMatrixDiagonal(result.diagonal());
    Q_EMIT message(tr("Response matrix %1").arg(result.sourceText));
    Q_EMIT matrixShown();
    return true;
}

bool ResponsesView::openConditioned(const QString& path)
{
    const auto refuse = [this](const QString& why) {
        Q_EMIT message(tr("Cannot open the conditioned matrix: %1").arg(why));
        return false;
    };
    if (!mAvailable)
        return refuse(tr("no autoencoder loaded"));
    if (!hasModelInfo())
        return refuse(tr("the model's card is still being read; try again in a moment"));
    if (mTaskBar->isRunning())
        return refuse(tr("a computation is running; wait for it or cancel it first"));
    ConditionedMatrixResult result;
    try {
        result = ResponseMatrixFile::readConditioned(path, mSummary.path, mInfo);
    } catch (const std::exception& e) {
        return refuse(errorText(e));
    }
    showTab(Tab::Conditioned);
    mConditioned->showResult(result);
    Q_EMIT message(tr("Conditioned matrix %1: CDS = %2").arg(result.sourceText).arg(result.cds, 0, 'f', 4));
    Q_EMIT conditionedShown();
    return true;
}

QJsonObject ResponsesView::sessionJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("source"), mSource->sessionJson());
    o.insert(QStringLiteral("conditioned"), mConditioned->sessionJson());
    o.insert(QStringLiteral("map"), mMap->sessionJson());
    o.insert(QStringLiteral("latents"), mLatents->sessionJson());
    return ViewSettings().add(QStringLiteral("tab"), mTabs).toJson(o);
}

void ResponsesView::restoreSessionJson(const QJsonObject& json)
{
    mSource->restoreSessionJson(json.value(QStringLiteral("source")).toObject());
    mConditioned->restoreSessionJson(json.value(QStringLiteral("conditioned")).toObject());
    mMap->restoreSessionJson(json.value(QStringLiteral("map")).toObject());
    mLatents->restoreSessionJson(json.value(QStringLiteral("latents")).toObject());
    ViewSettings().add(QStringLiteral("tab"), mTabs).restore(json); // after the panels: a tab shows them
}

} // namespace lx::ui

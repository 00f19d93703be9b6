#include "ui/cgn/CgnMixerView.h"

#include "lx/Error.h"
#include "lx/Model.h"
#include "ui/cgn/CgnDatasetDialog.h"
#include "ui/cgn/CgnGridCanvas.h"
#include "ui/cgn/CgnGridView.h"
#include "ui/cgn/CgnMechanismPanel.h"
#include "ui/cgn/CgnStateCommand.h"
#include "ui/cgn/CgnTasks.h"
#include "ui/compute/ComputeController.h"
#include "ui/figure/ExportMenu.h"
#include "ui/widgets/ImageView.h"
#include "ui/compute/TaskBar.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QScrollArea>
#include <QSettings>
#include <QTabWidget>
#include <QUndoStack>
#include <QVBoxLayout>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace lx::ui {
namespace {

const QString kRenderKey = QStringLiteral("cgn/render");
const QString kGridKey = QStringLiteral("cgn/grid");

QString seedText(quint64 seed) { return QObject::tr("seed %1").arg(seed); }

} // namespace

CgnMixerView::CgnMixerView(ComputeController* controller, QUndoStack* undo, QWidget* parent)
    : ModelKindView(controller, QStringLiteral("cgn"), tr("CGN"),
                    tr("Open a model of kind \"cgn\" (a counterfactual generative network) to mix its shape, texture "
                       "and background mechanisms here."),
                    parent)
    , mUndo(undo)
    , mRandom(QRandomGenerator::securelySeeded())
{
    registerCgnTypes();
    mShuffleAction = new QAction(tr("S&huffle Counterfactual"), this);
    mShuffleAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    mShuffleAction->setStatusTip(
        tr("Draw a counterfactual: a new random class and seed for texture and background, "
           "the shape kept"));
    mExportAction = new QAction(tr("Export Counterfactual &Dataset…"), this);
    mExportAction->setStatusTip(tr("Write N counterfactual images with a labels CSV to a folder"));
    connect(mShuffleAction, &QAction::triggered, this, &CgnMixerView::shuffle);
    connect(mExportAction, &QAction::triggered, this, &CgnMixerView::exportDialog);
    mShuffleButton = new QPushButton(tr("Shuffle"), this);
    mShuffleButton->setToolTip(tr("New random texture and background, same shape (Ctrl+Shift+D)"));
    mShuffleButton->setAutoDefault(false);
    connect(mShuffleButton, &QPushButton::clicked, mShuffleAction, &QAction::trigger);
    mExportButton = new QPushButton(tr("Export counterfactual dataset…"), this);
    mExportButton->setAutoDefault(false);
    connect(mExportButton, &QPushButton::clicked, mExportAction, &QAction::trigger);
    auto* exportParts = new QPushButton(tr("Export"), this);
    exportParts->setAutoDefault(false);
    mExportMenu = new ExportMenu(tr("Export"), this);
    mExportMenu->addImage(
        tr("Save Mixer Panels as PNG…"), QStringLiteral("cgn-mixer"),
        [this](const QString& path, QString* error) { return ExportMenu::saveWidget(mMixerPage, path, error); });
    mExportMenu->addImage(tr("Save Counterfactual Grid as PNG…"), QStringLiteral("cgn-grid"),
                          [this](const QString& path, QString* error) {
                              return ExportMenu::saveWidget(mGridView->canvas(), path, error);
                          });
    mExportMenu->addArrays(QStringLiteral("cgn-parts"), [this] { return partArrays(); });
    exportParts->setMenu(mExportMenu);
    connect(mExportMenu, &ExportMenu::message, this, &CgnMixerView::message);
    headerRow()->addWidget(mShuffleButton);
    headerRow()->addWidget(exportParts);
    headerRow()->addWidget(mExportButton);
    QWidget* body = this->body();
    auto* bodyLayout = new QHBoxLayout(body);
    bodyLayout->setContentsMargins(0, 0, 0, 0);
    bodyLayout->setSpacing(10);

    // Left: the three mechanisms.
    auto* controls = new QWidget(body);
    auto* controlsLayout = new QVBoxLayout(controls);
    controlsLayout->setContentsMargins(0, 0, 0, 0);
    controlsLayout->setSpacing(8);
    mPanels[Shape] =
        new CgnMechanismPanel(tr("Shape (mask)"), tr("f_shape: the mask m, from its own class and noise"), controls);
    mPanels[Texture] = new CgnMechanismPanel(tr("Texture (foreground)"),
                                             tr("f_text: the foreground f, from its own class and noise"), controls);
    mPanels[Background] =
        new CgnMechanismPanel(tr("Background"), tr("f_bg: the background b, from its own class and noise"), controls);
    for (int m = Shape; m <= Background; ++m) {
        controlsLayout->addWidget(mPanels[m]);
        connect(mPanels[m], &CgnMechanismPanel::edited, this, [this, m] { onPanelEdited(Mechanism(m)); });
    }
    mNoiseNote = new QLabel(controls);
    mNoiseNote->setWordWrap(true);
    mNoiseNote->setForegroundRole(QPalette::PlaceholderText);
    controlsLayout->addWidget(mNoiseNote);
    controlsLayout->addStretch(1);
    controls->setFixedWidth(350);
    bodyLayout->addWidget(controls);

    // Right: the mixer's images and the counterfactual grid.
    mSubTabs = new QTabWidget(body);
    mSubTabs->setDocumentMode(true);
    auto* mixer = new QWidget(mSubTabs);
    mMixerPage = mixer;
    buildMixerPage(mixer);
    mSubTabs->addTab(mixer, tr("Mixer"));
    mGridView = new CgnGridView(mSubTabs);
    mSubTabs->addTab(mGridView, tr("Counterfactual grid"));
    bodyLayout->addWidget(mSubTabs, 1);
    connect(mGridView, &CgnGridView::edited, this, &CgnMixerView::onGridEdited);
    connect(mSubTabs, &QTabWidget::currentChanged, this, [this] {
        if (subView() == SubView::Grid && mGridStale)
            postGrid();
    });

    auto* footer = new QHBoxLayout;
    mTasks = new TaskBar(controller, this);
    mStatus = new QLabel(this);
    mStatus->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    mStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    footer->addWidget(mTasks, 2);
    footer->addWidget(mStatus, 1);
    frameLayout()->addLayout(footer);
    connect(mTasks, &TaskBar::message, this, &CgnMixerView::message);

    setPlaceholders();
    updateHeader();
}

CgnMixerView::~CgnMixerView() = default;

void CgnMixerView::buildMixerPage(QWidget* page)
{
    auto* grid = new QGridLayout(page);
    grid->setContentsMargins(4, 6, 4, 4);
    grid->setSpacing(10);
    // The mechanisms in a row, the composite below them, larger (as the paper's figures read).
    mPremaskView = new ImageView(tr("premask"), page);
    mMaskView = new ImageView(tr("mask m"), page);
    mForegroundView = new ImageView(tr("foreground f"), page);
    mBackgroundView = new ImageView(tr("background b"), page);
    mCompositeView = new ImageView(tr("composite x = m⊙f + (1−m)⊙b"), page);
    int column = 0;
    for (ImageView* view : {mPremaskView, mMaskView, mForegroundView, mBackgroundView}) {
        grid->addWidget(view, 0, column);
        grid->setColumnStretch(column++, 1);
    }
    grid->addWidget(mCompositeView, 1, 0, 1, 4);
    grid->setRowStretch(0, 1);
    grid->setRowStretch(1, 2);
}

FreeTaskBody CgnMixerView::loadTask(const QString& path, const lx::LoadOptions& options) const
{
    return CgnTasks::load(path, options);
}

void CgnMixerView::close()
{
    if (mExportJob)
        mExportJob->cancel();
    releaseOnWorker(std::move(mInfo.model));
    mInfo = CgnModelInfo();
    mLastFrame = CgnFrame();
    mFirstRender = mPostedRender + 1;
    mFirstGrid = mPostedGrid + 1;
    showBody(false);
    setPlaceholders();
    updateHeader();
}

void CgnMixerView::onExportStopped(const QString& error)
{
    mExportJob = nullptr;
    if (!error.isEmpty()) // the core's one-line reason, e.g. a folder that cannot be written
        Q_EMIT errorOccurred(tr("Cannot export the counterfactual dataset"), error);
    Q_EMIT exportFinished(false);
}

void CgnMixerView::takeLoaded(const QVariant& loaded)
{
    releaseOnWorker(std::move(mInfo.model));
    mInfo = loaded.value<CgnModelInfo>();
    mFirstRender = mPostedRender + 1;
    mFirstGrid = mPostedGrid + 1;
    mLastFrame = CgnFrame();
    for (CgnMechanismPanel* p : mPanels)
        p->setClasses(mInfo.classes);
    const QString shared =
        tr("This CGN shares one noise u across the mechanisms (card: noise \"shared\"): "
           "the shape's seed drives all three.");
    mPanels[Texture]->setSeedFollows(mInfo.sharedNoise, shared);
    mPanels[Background]->setSeedFollows(mInfo.sharedNoise, shared);
    mNoiseNote->setText(mInfo.sharedNoise ? shared
                                          : tr("Each mechanism draws its own noise u from its seed%1.")
                                                .arg(mInfo.shuffled ? tr("; texture and background pass through the "
                                                                         "shuffler (tile 2×2, random crop by seed)")
                                                                    : QString()));
    mExportDefaults.folder =
        QDir(QSettings().value(QStringLiteral("cgnDatasetDir"), QDir::homePath()).toString())
            .filePath(QFileInfo(mInfo.path).completeBaseName() + QStringLiteral("_counterfactuals"));
    showBody(true);
    setPlaceholders();
    updateHeader();
    spdlog::info("CGN {} open on {}: {} classes, image {}", mInfo.path.toStdString(), mInfo.device.toStdString(),
                 mInfo.classes.size(), shapeText(mInfo.imageShape).toStdString());
    mGridStale = true;
    restoreState(defaultState());
    Q_EMIT opened(mInfo.summary());
}

CgnMixerState CgnMixerView::defaultState() const
{
    CgnMixerState s;
    const int second = std::min(1, std::max(0, int(mInfo.classes.size()) - 1));
    lx::CgnMechanismInput* inputs[] = {&s.request.shape, &s.request.texture, &s.request.background};
    for (int m = 0; m < 3; ++m) {
        inputs[m]->classA = 0;
        inputs[m]->classB = second;
        inputs[m]->mix = 0.0;
        inputs[m]->seed = quint64(m + 1);
    }
    return normalized(s);
}

CgnMixerState CgnMixerView::normalized(CgnMixerState state) const
{
    if (mInfo.sharedNoise)
        state.request.texture.seed = state.request.background.seed = state.request.shape.seed;
    return state;
}

void CgnMixerView::restoreState(const CgnMixerState& state) { applyState(normalized(state)); }

void CgnMixerView::commit(const QString& text, const CgnMixerState& after, int mergeId, quint64 mergeKey)
{
    const CgnMixerState next = normalized(after);
    if (next == mState)
        return;
    // push() runs redo(), which applies `next`.
    mUndo->push(new CgnStateCommand(
        text, mState, next, [this](const CgnMixerState& s) { applyState(s); }, mergeId, mergeKey));
}

void CgnMixerView::applyState(const CgnMixerState& state)
{
    const QScopedValueRollback<bool> applying(mApplying, true);
    const bool gridChanged = !sameInput(state.request.shape, mState.request.shape) || state.gridRows != mState.gridRows
        || state.gridCols != mState.gridCols || state.gridSeed != mState.gridSeed;
    const lx::CgnMechanismInput* inputs[] = {&state.request.shape, &state.request.texture, &state.request.background};
    for (int m = Shape; m <= Background; ++m)
        mPanels[m]->setInput(*inputs[m]);
    mGridView->setSettings(state.gridRows, state.gridCols, state.gridSeed);
    mState = state;
    mGridStale = mGridStale || gridChanged;
    postRender();
    Q_EMIT stateChanged();
}

QString CgnMixerView::mechanismName(Mechanism m) const
{
    return m == Shape ? tr("shape") : m == Texture ? tr("texture") : tr("background");
}

void CgnMixerView::onPanelEdited(Mechanism m)
{
    if (mApplying || !isOpen())
        return;
    CgnMixerState after = mState;
    lx::CgnMechanismInput* inputs[] = {&after.request.shape, &after.request.texture, &after.request.background};
    const lx::CgnMechanismInput before = *inputs[m];
    *inputs[m] = mPanels[m]->input();
    const bool mixOnly =
        before.classA == inputs[m]->classA && before.classB == inputs[m]->classB && before.seed == inputs[m]->seed;
    const QString text = mixOnly
        ? tr("Mix %1 to %2").arg(mechanismName(m)).arg(inputs[m]->mix, 0, 'f', 2)
        : tr("Change %1: %2, seed %3").arg(mechanismName(m), mInfo.describe(*inputs[m])).arg(inputs[m]->seed);
    // One drag of a mix slider is one undo step.
    const bool drag = mixOnly && mPanels[m]->sliderHeld();
    commit(text, after, drag ? kMixDragId : -1, (quint64(m) << 56) ^ mPanels[m]->gesture());
}

void CgnMixerView::onGridEdited()
{
    if (mApplying || !isOpen())
        return;
    CgnMixerState after = mState;
    after.gridRows = mGridView->rows();
    after.gridCols = mGridView->cols();
    after.gridSeed = mGridView->seed();
    commit(tr("Counterfactual grid %1 × %2, seed %3").arg(after.gridRows).arg(after.gridCols).arg(after.gridSeed),
           after);
}

void CgnMixerView::shuffle()
{
    if (!isOpen())
        return;
    CgnMixerState after = mState;
    const auto draw = [this](lx::CgnMechanismInput& m) {
        m.classA = static_cast<int>(mRandom.bounded(static_cast<int>(std::max<qsizetype>(1, mInfo.classes.size()))));
        m.classB = m.classA;
        m.mix = 0.0;
        m.seed = mRandom.bounded(1, 1000000);
    };
    draw(after.request.texture);
    draw(after.request.background);
    commit(tr("Shuffle texture and background"), after);
}

void CgnMixerView::postRender()
{
    if (!isOpen())
        return;
    mPostedRender =
        controller()
            ->run(Task::modelFree(tr("CGN render"), CgnTasks::render(mInfo, mState.request)).latest(kRenderKey))
            ->deliverTo(this, &CgnMixerView::onLatestReady, &CgnMixerView::onLatestFailed);
    if (subView() == SubView::Grid && mGridStale)
        postGrid();
}

void CgnMixerView::postGrid()
{
    if (!isOpen())
        return;
    CgnGridRequest request;
    request.shape = mState.request.shape;
    request.rows = mState.gridRows;
    request.cols = mState.gridCols;
    request.seed = mState.gridSeed;
    mGridStale = false;
    mPostedGrid = controller()
                      ->run(Task::modelFree(tr("counterfactual grid"), CgnTasks::grid(mInfo, request)).latest(kGridKey))
                      ->deliverTo(this, &CgnMixerView::onLatestReady, &CgnMixerView::onLatestFailed);
}

void CgnMixerView::onLatestReady(const QString& key, quint64 seq, const QVariant& result)
{
    if (key == kRenderKey && seq >= mFirstRender)
        showFrame(result.value<CgnFrame>(), seq);
    else if (key == kGridKey && seq >= mFirstGrid)
        showGrid(result.value<CgnGridData>(), seq);
}

void CgnMixerView::onLatestFailed(const QString& key, quint64 seq, const QString& error)
{
    if ((key == kRenderKey && seq >= mFirstRender) || (key == kGridKey && seq >= mFirstGrid)) {
        mStatus->setText(tr("cannot render: %1").arg(error));
        mStatus->setToolTip(error);
        Q_EMIT message(tr("CGN: %1").arg(error));
    }
}

void CgnMixerView::showFrame(const CgnFrame& frame, quint64 seq)
{
    mLastFrame = frame;
    mShownRender = seq;
    const lx::CgnRequest& r = frame.request;
    mPremaskView->setImage(frame.premask);
    mPremaskView->setSubtitle(
        tr("[%1, %2], unclamped").arg(frame.premaskLow, 0, 'f', 1).arg(frame.premaskHigh, 0, 'f', 1));
    mMaskView->setImage(frame.mask);
    mMaskView->setTitle(tr("mask m · mean %1").arg(frame.maskMean, 0, 'f', 2));
    mMaskView->setSubtitle(tr("%1 · %2").arg(mInfo.describe(r.shape), seedText(r.shape.seed)));
    mForegroundView->setImage(frame.foreground);
    mForegroundView->setSubtitle(tr("%1 · %2").arg(mInfo.describe(r.texture), seedText(r.texture.seed)));
    mBackgroundView->setImage(frame.background);
    mBackgroundView->setSubtitle(tr("%1 · %2").arg(mInfo.describe(r.background), seedText(r.background.seed)));
    mCompositeView->setImage(frame.composite);
    mCompositeView->setSubtitle(
        tr("shape %1 · texture %2 · background %3")
            .arg(mInfo.describe(r.shape), mInfo.describe(r.texture), mInfo.describe(r.background)));
    mStatus->setText(tr("%1 · render %2 ms").arg(mInfo.device).arg(frame.computeMs, 0, 'f', 1));
    mStatus->setToolTip(QString());
    Q_EMIT frameShown(seq);
}

void CgnMixerView::showGrid(const CgnGridData& data, quint64 seq)
{
    mShownGrid = seq;
    mGridView->canvas()->setData(data, mInfo.classes);
    mGridView->setHeading(
        tr("Mask fixed: <b>%1</b> (%2). Each cell draws its own texture and background class and "
           "noise, as the dataset export does · %3 images in %4 ms (one batch). Hover a cell for "
           "its classes.")
            .arg(mInfo.describe(data.request.shape).toHtmlEscaped(), seedText(data.request.shape.seed))
            .arg(data.composites.size())
            .arg(data.computeMs, 0, 'f', 1));
    Q_EMIT gridShown(seq);
}

CgnMixerView::SubView CgnMixerView::subView() const
{
    return mSubTabs->currentWidget() == mGridView ? SubView::Grid : SubView::Mixer;
}

void CgnMixerView::showSubView(SubView view)
{
    mSubTabs->setCurrentWidget(view == SubView::Grid ? static_cast<QWidget*>(mGridView) : mSubTabs->widget(0));
}

QJsonObject CgnMixerView::sessionJson() const
{
    QJsonObject json = mState.toJson();
    json.insert(QStringLiteral("page"), subView() == SubView::Grid ? QStringLiteral("grid") : QStringLiteral("mixer"));
    return json;
}

void CgnMixerView::restoreSessionJson(const QJsonObject& json)
{
    restoreState(CgnMixerState::fromJson(json, static_cast<int>(mInfo.classes.size()), defaultState()));
    showSubView(json.value(QStringLiteral("page")).toString() == QLatin1String("grid") ? SubView::Grid
                                                                                       : SubView::Mixer);
}

quint64 CgnMixerView::exportDataset(const CgnExportRequest& request)
{
    if (!isOpen() || mTasks->isRunning())
        return 0;
    mExportDefaults = request;
    mExportJob = mTasks->start(Task::modelFree(tr("Counterfactual dataset"), CgnTasks::exportDataset(mInfo, request)),
                               [this](const QVariant& value) {
                                   mExportJob = nullptr;
                                   mLastExport = value.value<CgnExportResult>();
                                   const CgnExportResult& r = mLastExport;
                                   const QString text =
                                       tr("Counterfactual dataset in %1: %2 images written, %3 skipped (already "
                                          "there) in %4 s, %5 images/s")
                                           .arg(QDir::toNativeSeparators(r.request.folder))
                                           .arg(r.written)
                                           .arg(r.skipped)
                                           .arg(r.seconds, 0, 'f', 1)
                                           .arg(r.imagesPerSecond, 0, 'f', 0);
                                   mStatus->setText(text);
                                   mStatus->setToolTip(text);
                                   spdlog::info("{}", text.toStdString());
                                   Q_EMIT message(text);
                                   Q_EMIT exportFinished(true);
                               });
    if (!mExportJob)
        return 0;
    connect(mExportJob, &TaskHandle::failed, this, &CgnMixerView::onExportStopped);
    connect(mExportJob, &TaskHandle::cancelled, this, [this] { onExportStopped(QString()); });
    return mExportJob->id();
}

void CgnMixerView::exportDialog()
{
    if (!isOpen() || mTasks->isRunning())
        return;
    CgnDatasetDialog dialog(mExportDefaults, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const CgnExportRequest request = dialog.request();
    QSettings().setValue(QStringLiteral("cgnDatasetDir"), QFileInfo(request.folder).absolutePath());
    exportDataset(request);
}

QString CgnMixerView::statusText() const { return mStatus->text(); }

void CgnMixerView::updateHeader()
{
    const bool open = isOpen();
    mShuffleAction->setEnabled(open);
    mExportAction->setEnabled(open);
    mShuffleButton->setEnabled(open);
    mExportButton->setEnabled(open);
    if (!open) {
        header()->setText(tr("<b>CGN mixer</b> · no counterfactual generative network open"));
        return;
    }
    const QString name = mInfo.name.isEmpty() ? QFileInfo(mInfo.path).completeBaseName() : mInfo.name;
    header()->setText(tr("<b>%1</b> · %2 classes · image %3 · latent %4 per mechanism · mask clamped to [%5, %6]%7")
                          .arg(name.toHtmlEscaped())
                          .arg(mInfo.classes.size())
                          .arg(shapeText(mInfo.imageShape))
                          .arg(mInfo.latentSize)
                          .arg(mInfo.maskLow)
                          .arg(mInfo.maskHigh)
                          .arg(mInfo.shuffled ? tr(" · shuffler on") : QString()));
}

void CgnMixerView::setPlaceholders()
{
    for (ImageView* view : {mPremaskView, mMaskView, mForegroundView, mBackgroundView, mCompositeView}) {
        view->clear();
        view->setSubtitle(QString());
        view->setPlaceholderText(isOpen() ? tr("Rendering…") : tr("No CGN open"));
    }
    mMaskView->setTitle(tr("mask m"));
    mGridView->canvas()->clear(isOpen() ? tr("Rendering…") : tr("No CGN open"));
    mGridView->setHeading(QString());
    mStatus->clear();
}

QMap<QString, lx::Array> CgnMixerView::partArrays() const
{
    QMap<QString, lx::Array> arrays;
    const lx::CgnImages& raw = mLastFrame.raw;
    if (raw.composite.empty())
        return arrays;
    arrays.insert(QStringLiteral("premask"), raw.premask);
    arrays.insert(QStringLiteral("mask"), raw.mask);
    arrays.insert(QStringLiteral("foreground"), raw.foreground);
    arrays.insert(QStringLiteral("background"), raw.background);
    arrays.insert(QStringLiteral("composite"), raw.composite);
    return arrays;
}

} // namespace lx::ui

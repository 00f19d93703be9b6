#include "ui/vq/VqView.h"

#include "lx/Error.h"
#include "ui/compute/ComputeController.h"
#include "ui/figure/ExportMenu.h"
#include "ui/widgets/ImageStrips.h"
#include "ui/widgets/ImageView.h"
#include "ui/widgets/ResponseMatrixPlot.h"
#include "ui/compute/TaskBar.h"
#include "ui/vq/VqActionPalette.h"
#include "ui/vq/VqCodeGrid.h"
#include "ui/vq/VqEvaluatePanel.h"
#include "ui/vq/VqFactorPicker.h"
#include "ui/vq/VqRetrievalPanel.h"
#include "ui/vq/VqRetrievalPlot.h"
#include "ui/vq/VqStateCommand.h"
#include "ui/vq/VqTasks.h"

#include <QAction>
#include <QComboBox>
#include <QEvent>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTabWidget>
#include <QUndoStack>
#include <QVBoxLayout>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace lx::ui {
namespace {

const QString kRenderKey = QStringLiteral("vq/render");
const QString kAdjacencyKey = QStringLiteral("vq/adjacency");
const QString kRetrievalKey = QStringLiteral("vq/retrieval");

} // namespace

VqView::VqView(ComputeController* controller, QUndoStack* undo, QWidget* parent)
    : ModelKindView(controller, QStringLiteral("vqvae"), tr("VQ-VAE"),
                    tr("Open a model of kind \"vqvae\" (a VQ-VAE, e.g. a CT-VAE with its causal transition) to see and "
                       "edit its discrete codes here."),
                    parent)
    , mUndo(undo)
{
    registerVqTypes();
    auto* exportButton = new QPushButton(tr("Export"), this);
    exportButton->setAutoDefault(false);
    mExportMenu = new ExportMenu(tr("Export"), this);
    exportButton->setMenu(mExportMenu);
    connect(mExportMenu, &ExportMenu::message, this, &VqView::message);
    headerRow()->addWidget(exportButton);
    QWidget* body = this->body();
    auto* bodyLayout = new QHBoxLayout(body);
    bodyLayout->setContentsMargins(0, 0, 0, 0);
    bodyLayout->setSpacing(10);
    bodyLayout->addWidget(buildControls(body));
    bodyLayout->addWidget(buildCodesPage(body), 3);

    mPages = new QTabWidget(body);
    mPages->setDocumentMode(true);
    mPages->addTab(buildAdjacencyPage(mPages), tr("Adjacency"));
    mRetrieval = new VqRetrievalPanel(mPages);
    mPages->addTab(mRetrieval, tr("Action retrieval"));
    mEvaluate = new VqEvaluatePanel(controller, mPages);
    mPages->addTab(mEvaluate, tr("Evaluate"));
    mPages->setMinimumWidth(340);
    bodyLayout->addWidget(mPages, 2);

    mStatus = new QLabel(this);
    mStatus->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    mStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    frameLayout()->addWidget(mStatus);
    buildExportMenu();

    connect(mRetrieval->targetPicker(), &VqFactorPicker::indexEdited, this, [this](qint64 index, int factor) {
        if (mApplying || !isOpen())
            return;
        VqViewState after = mState;
        after.target = index;
        commit(tr("y: %1").arg(describeSource(index)), after, kVqTargetEditId, quint64(factor + 2));
    });
    connect(mRetrieval, &VqRetrievalPanel::randomPairRequested, this, [this](quint64 seed) { randomPair(seed); });
    connect(mEvaluate, &VqEvaluatePanel::evaluateRequested, this,
            [this](qint64 pairs, quint64 seed) { evaluate(pairs, seed); });
    mEvaluateAction = new QAction(tr("&Evaluate Action Retrieval"), this);
    mEvaluateAction->setStatusTip(tr("CT-VAE: action and factor accuracy of argmax p(a | x, y) on dataset pairs"));
    mEvaluateAction->setEnabled(false);
    connect(mEvaluateAction, &QAction::triggered, this, [this] {
        showPage(Page::Evaluate);
        evaluate(mEvaluate->pairsBox()->value(), static_cast<quint64>(mEvaluate->seedBox()->value()));
    });
    connect(mEvaluate->taskBar(), &TaskBar::message, this, &VqView::message);
    connect(mEvaluate->taskBar(), &TaskBar::finished, this,
            [this](quint64, bool ok) { Q_EMIT evaluationFinished(ok); });

    setPlaceholders();
    updateHeader();
}

VqView::~VqView() = default;

QWidget* VqView::buildControls(QWidget* parent)
{
    auto* controls = new QWidget(parent);
    auto* layout = new QVBoxLayout(controls);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);

    auto* source = new QGroupBox(tr("Image x"), controls);
    auto* sourceLayout = new QVBoxLayout(source);
    sourceLayout->setContentsMargins(6, 4, 6, 6);
    mSource = new VqFactorPicker(source);
    sourceLayout->addWidget(mSource);
    layout->addWidget(source);
    connect(mSource, &VqFactorPicker::indexEdited, this, [this](qint64 index, int factor) {
        if (mApplying || !isOpen())
            return;
        VqViewState after = mState;
        after.source = index;
        after.ops.clear(); // new codes: the steps were made on the old ones
        commit(tr("x: %1").arg(describeSource(index)), after, kVqSourceEditId, quint64(factor + 2));
    });

    auto* actions = new QGroupBox(tr("Actions (causal transition)"), controls);
    auto* actionsLayout = new QVBoxLayout(actions);
    actionsLayout->setContentsMargins(6, 4, 6, 6);
    mPalette = new VqActionPalette(actions);
    actionsLayout->addWidget(mPalette);
    layout->addWidget(actions);
    connect(mPalette, &VqActionPalette::actionRequested, this, [this](int a, int times) { applyAction(a, times); });
    connect(mPalette, &VqActionPalette::resetRequested, this, &VqView::resetCodes);

    auto* edit = new QGroupBox(tr("Edit a code (hard intervention)"), controls);
    auto* editLayout = new QVBoxLayout(edit);
    editLayout->setContentsMargins(6, 4, 6, 6);
    mCellLabel = new QLabel(edit);
    mCellLabel->setWordWrap(true);
    editLayout->addWidget(mCellLabel);
    auto* row = new QHBoxLayout;
    auto* codeLabel = new QLabel(tr("code"), edit);
    mCodeBox = new QSpinBox(edit);
    mCodeBox->setToolTip(tr("The selected cell's code: the image decodes the edited codes at once"));
    codeLabel->setBuddy(mCodeBox);
    mCellReset = new QPushButton(tr("Encoded"), edit);
    mCellReset->setAutoDefault(false);
    mCellReset->setToolTip(tr("Give the selected cell its encoded code back"));
    row->addWidget(codeLabel);
    row->addWidget(mCodeBox, 1);
    row->addWidget(mCellReset);
    editLayout->addLayout(row);
    layout->addWidget(edit);
    connect(mCodeBox, &QSpinBox::valueChanged, this, [this](int code) {
        if (!mApplying && mSelected >= 0)
            setCode(mSelected, code);
    });
    connect(mCellReset, &QPushButton::clicked, this, [this] {
        if (mSelected >= 0 && mSelected < mLastFrame.encoded.size())
            setCode(mSelected, mLastFrame.encoded[mSelected]);
    });
    layout->addStretch(1);
    controls->setFixedWidth(270);
    return controls;
}

QWidget* VqView::buildCodesPage(QWidget* parent)
{
    auto* page = new QWidget(parent);
    mCodesPage = page;
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    mImagesRow = new QWidget(page);
    auto* images = new QHBoxLayout(mImagesRow);
    images->setContentsMargins(0, 0, 0, 0);
    images->setSpacing(8);
    mOriginalView = new ImageView(tr("x"), mImagesRow);
    mOriginalView->setToolTip(tr("The image x, picked by its factors on the left"));
    mReconstructionView = new ImageView(tr("x̂ reconstruction"), mImagesRow);
    mReconstructionView->setToolTip(tr("decode(encode(x)): the encoded codes, decoded"));
    mCurrentView = new ImageView(tr("codes decoded"), mImagesRow);
    mCurrentView->setToolTip(tr("decode(codes): the current codes after the edits and actions, decoded"));
    for (ImageView* view : {mOriginalView, mReconstructionView, mCurrentView})
        images->addWidget(view, 1);
    layout->addWidget(mImagesRow, 2);
    // The row is no taller than its square images need (the grid takes the rest).
    page->installEventFilter(this);
    mGridHeading = new QLabel(page);
    mGridHeading->setWordWrap(true);
    layout->addWidget(mGridHeading);
    mGrid = new VqCodeGrid(page);
    layout->addWidget(mGrid, 3);
    connect(mGrid, &VqCodeGrid::cellClicked, this, &VqView::selectNode);
    connect(mGrid, &VqCodeGrid::codeRequested, this, &VqView::setCode);
    mStripHeading = new QLabel(page);
    layout->addWidget(mStripHeading);
    mStrip = new ImageStrips(page);
    layout->addWidget(mStrip);
    return page;
}

QWidget* VqView::buildAdjacencyPage(QWidget* parent)
{
    auto* page = new QWidget(parent);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(4, 6, 4, 4);
    layout->setSpacing(6);
    auto* row = new QHBoxLayout;
    auto* label = new QLabel(tr("Action"), page);
    mAdjacencyBox = new QComboBox(page);
    mAdjacencyBox->setToolTip(tr("The learned graph between code nodes the transition uses for this action"));
    label->setBuddy(mAdjacencyBox);
    row->addWidget(label);
    row->addWidget(mAdjacencyBox, 1);
    layout->addLayout(row);
    mAdjacencyPlot = new ResponseMatrixPlot(page);
    layout->addWidget(mAdjacencyPlot, 1);
    connect(mAdjacencyBox, &QComboBox::currentIndexChanged, this, [this] {
        if (!mApplying)
            postAdjacency();
    });
    return page;
}

void VqView::buildExportMenu()
{
    mExportMenu->addImage(
        tr("Save Codes Panels as PNG…"), QStringLiteral("vq-codes"),
        [this](const QString& path, QString* error) { return ExportMenu::saveWidget(mCodesPage, path, error); });
    mExportMenu->addImage(
        tr("Save Code Grid as PNG…"), QStringLiteral("vq-grid"),
        [this](const QString& path, QString* error) { return ExportMenu::saveWidget(mGrid, path, error); });
    mExportMenu->addImage(tr("Save Trajectory as PNG…"), QStringLiteral("vq-trajectory"),
                          [this](const QString& path, QString* error) { return mStrip->saveImage(path, error); });
    mExportMenu->addImage(
        tr("Save Adjacency Heatmap as PNG…"), QStringLiteral("vq-adjacency"),
        [this](const QString& path, QString* error) { return mAdjacencyPlot->savePlot(path, error); });
    mExportMenu->addImage(
        tr("Save Retrieval Bars as PNG…"), QStringLiteral("vq-retrieval"),
        [this](const QString& path, QString* error) { return mRetrieval->plot()->savePlot(path, error); });
    mExportMenu->addArrays(QStringLiteral("vq-codes"), [this] { return codeArrays(); });
}

bool VqView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == mCodesPage && event->type() == QEvent::Resize) {
        const int caption = 2 * fontMetrics().height() + 12;
        mImagesRow->setMaximumHeight((mCodesPage->width() - 16) / 3 + caption);
    }
    return QWidget::eventFilter(watched, event);
}

FreeTaskBody VqView::loadTask(const QString& path, const lx::LoadOptions& options) const
{
    return VqTasks::load(path, options);
}

void VqView::close()
{
    mEvaluate->taskBar()->cancel(); // no-op unless an evaluation runs
    releaseOnWorker(std::move(mInfo.model));
    mInfo = VqModelInfo();
    mLastFrame = VqFrame();
    mLastAdjacency = VqAdjacencyData();
    mLastRetrieval = VqRetrievalData();
    mFirstRender = mPostedRender + 1;
    mFirstAdjacency = mPostedAdjacency + 1;
    mFirstRetrieval = mPostedRetrieval + 1;
    mSelected = -1;
    showBody(false);
    setPlaceholders();
    updateHeader();
}

void VqView::takeLoaded(const QVariant& loaded)
{
    releaseOnWorker(std::move(mInfo.model));
    mInfo = loaded.value<VqModelInfo>();
    mFirstRender = mPostedRender + 1;
    mFirstAdjacency = mPostedAdjacency + 1;
    mFirstRetrieval = mPostedRetrieval + 1;
    mLastFrame = VqFrame();
    mLastEvaluation = VqEvaluationResult();
    showBody(true);
    spdlog::info("VQ-VAE {} open on {}: grid {}x{}x{}, K {}, {} actions, dataset {}", mInfo.path.toStdString(),
                 mInfo.device.toStdString(), mInfo.codebooks, mInfo.rows, mInfo.cols, mInfo.codebookSize,
                 mInfo.actions.size(), mInfo.dataset ? mInfo.dataset->name() : std::string("none"));
    setUpForModel();
    Q_EMIT opened(mInfo.summary());
}

void VqView::setDataset(std::shared_ptr<const lx::FactorDataset> dataset)
{
    if (!isOpen())
        return;
    if (!dataset)
        mInfo.datasetNote = tr("none chosen");
    VqTasks::attachDataset(mInfo, std::move(dataset));
    mFirstRender = mPostedRender + 1;
    mFirstRetrieval = mPostedRetrieval + 1;
    mLastFrame = VqFrame();
    setUpForModel();
    mUndo->clear(); // the old states name the old dataset's images
}

void VqView::setUpForModel()
{
    {
        const QScopedValueRollback<bool> applying(mApplying, true);
        mSource->setDataset(mInfo.dataset.get(), mInfo.datasetNote);
        mGrid->setShape(mInfo.codebooks, mInfo.rows, mInfo.cols, mInfo.codebookSize);
        mPalette->setActions(mInfo.actions);
        mAdjacencyBox->clear();
        if (mInfo.hasTransition()) {
            mAdjacencyBox->addItem(tr("identity (no intervention)"), lx::VqModel::kIdentity);
            for (int a = 0; a < mInfo.actions.size(); ++a)
                mAdjacencyBox->addItem(mInfo.actions[a], a);
            mAdjacencyBox->setCurrentIndex(1);
        }
        mAdjacencyBox->setEnabled(mInfo.hasTransition());
        mRetrieval->setModel(mInfo);
        mEvaluate->setModel(mInfo);
        mCodeBox->setRange(0, std::max(0, mInfo.codebookSize - 1));
        mSelected = -1;
    }
    setPlaceholders();
    updateHeader();
    // A state that cannot be equal to the new one, so that everything is posted.
    mState = VqViewState();
    mState.source = -1;
    restoreState(defaultState());
    postAdjacency();
}

bool VqView::retrievalUsable() const { return isOpen() && mInfo.dataset && mInfo.pairsUsable; }

VqViewState VqView::defaultState() const
{
    VqViewState s;
    s.source = 1; // without a dataset: the seed of the random codes
    if (!mInfo.dataset)
        return s;
    // Every factor at the middle of its range: an image well inside the dataset.
    std::vector<int64_t> middle;
    for (int64_t size : mInfo.dataset->factorSizes())
        middle.push_back(size / 2);
    s.source = mInfo.dataset->indexOf(middle);
    s.target = s.source;
    if (mInfo.pairsUsable) {
        for (int a = 0; a < mInfo.actions.size(); ++a) {
            const int64_t stepped = lx::VqPairs::step(*mInfo.dataset, s.source, a);
            if (stepped >= 0) {
                s.target = stepped;
                break;
            }
        }
    }
    return s;
}

VqViewState VqView::normalized(VqViewState state) const
{
    if (mInfo.dataset) {
        const qint64 count = mInfo.dataset->size();
        state.source = std::clamp<qint64>(state.source, 0, count - 1);
        state.target = std::clamp<qint64>(state.target, 0, count - 1);
    } else {
        state.source = std::max<qint64>(0, state.source);
    }
    return state;
}

void VqView::restoreState(const VqViewState& state) { applyState(normalized(state)); }

void VqView::commit(const QString& text, const VqViewState& after, int mergeId, quint64 mergeKey)
{
    const VqViewState next = normalized(after);
    if (next == mState || !isOpen())
        return;
    // push() runs redo(), which applies `next`.
    mUndo->push(new VqStateCommand(
        text, mState, next, [this](const VqViewState& s) { applyState(s); }, mergeId, mergeKey));
}

void VqView::applyState(const VqViewState& state)
{
    const QScopedValueRollback<bool> applying(mApplying, true);
    const bool pairChanged = state.source != mState.source || state.target != mState.target;
    mSource->setIndex(state.source);
    mRetrieval->targetPicker()->setIndex(state.target);
    mState = state;
    mPalette->setResetEnabled(!state.ops.isEmpty());
    postRender();
    if (pairChanged)
        postRetrieval();
    Q_EMIT stateChanged();
}

QString VqView::describeSource(qint64 index) const
{
    if (!mInfo.dataset)
        return tr("random codes, seed %1").arg(index);
    QStringList parts;
    try {
        const std::vector<int64_t> factors = mInfo.dataset->factorsOf(index);
        for (size_t f = 0; f < factors.size(); ++f)
            parts
                << QStringLiteral("%1 %2").arg(QString::fromStdString(mInfo.dataset->factorNames()[f])).arg(factors[f]);
    } catch (const lx::Error&) {
        return tr("index %1").arg(index);
    }
    return tr("index %1 (%2)").arg(index).arg(parts.join(QStringLiteral(", ")));
}

// --- computing and showing -------------------------------------------------------------------------

void VqView::postRender()
{
    if (!isOpen())
        return;
    mPostedRender = controller()
                        ->run(Task::modelFree(tr("codes"), VqTasks::render(mInfo, mState)).latest(kRenderKey))
                        ->deliverTo(this, &VqView::onLatestReady, &VqView::onLatestFailed);
}

void VqView::postAdjacency()
{
    if (!isOpen() || !mInfo.hasTransition()) {
        mAdjacencyPlot->clearMatrix(isOpen() ? tr("No causal transition: no adjacency") : tr("No VQ-VAE open"));
        return;
    }
    mPostedAdjacency =
        controller()
            ->run(Task::modelFree(tr("adjacency"), VqTasks::adjacency(mInfo, adjacencyAction())).latest(kAdjacencyKey))
            ->deliverTo(this, &VqView::onLatestReady, &VqView::onLatestFailed);
}

void VqView::postRetrieval()
{
    if (!retrievalUsable())
        return;
    mPostedRetrieval =
        controller()
            ->run(Task::modelFree(tr("action retrieval"), VqTasks::retrieval(mInfo, mState.source, mState.target))
                      .latest(kRetrievalKey))
            ->deliverTo(this, &VqView::onLatestReady, &VqView::onLatestFailed);
}

void VqView::onLatestReady(const QString& key, quint64 seq, const QVariant& result)
{
    if (key == kRenderKey && seq >= mFirstRender) {
        showFrame(result.value<VqFrame>(), seq);
    } else if (key == kAdjacencyKey && seq >= mFirstAdjacency) {
        showAdjacency(result.value<VqAdjacencyData>(), seq);
    } else if (key == kRetrievalKey && seq >= mFirstRetrieval) {
        mLastRetrieval = result.value<VqRetrievalData>();
        mShownRetrieval = seq;
        mRetrieval->showRetrieval(mLastRetrieval, mInfo);
        Q_EMIT retrievalShown(seq);
    }
}

void VqView::onLatestFailed(const QString& key, quint64 seq, const QString& error)
{
    const bool ours = (key == kRenderKey && seq >= mFirstRender) || (key == kAdjacencyKey && seq >= mFirstAdjacency)
        || (key == kRetrievalKey && seq >= mFirstRetrieval);
    if (!ours)
        return;
    mStatus->setText(tr("cannot compute: %1").arg(error));
    mStatus->setToolTip(error);
    Q_EMIT message(tr("VQ-VAE: %1").arg(error));
}

void VqView::showFrame(const VqFrame& frame, quint64 seq)
{
    mLastFrame = frame;
    mShownRender = seq;
    mOriginalView->setImage(frame.original);
    mOriginalView->setSubtitle(mInfo.dataset ? tr("index %1").arg(frame.state.source)
                                             : tr("seed %1").arg(frame.state.source));
    mOriginalView->setToolTip(tr("The image x: %1").arg(describeSource(frame.state.source)));
    mReconstructionView->setImage(frame.reconstruction);
    mReconstructionView->setSubtitle(tr("encoded codes"));
    mCurrentView->setImage(frame.current);
    mGrid->setCodes(frame.codes, frame.encoded);
    mGrid->setHighlighted(frame.lastChanged);
    const int changed = static_cast<int>(mGrid->changedNodes().size());
    mCurrentView->setSubtitle(frame.state.ops.isEmpty() ? tr("as encoded")
                                                        : tr("%1 of %2 changed").arg(changed).arg(mInfo.nodes()));
    QString heading = tr("<b>Codes</b> %1 × %2 × %3 from %4 · hover a cell for its code, click to edit it")
                          .arg(mInfo.codebooks)
                          .arg(mInfo.rows)
                          .arg(mInfo.cols)
                          .arg(mInfo.codebookSize);
    if (changed > 0)
        heading += tr(" · <i>dashed</i>: %1 changed from the encoded codes").arg(changed);
    if (!frame.lastChanged.isEmpty())
        heading += tr(" · <b>thick frame</b>: %1 changed by %2")
                       .arg(frame.lastChanged.size())
                       .arg(frame.lastStep.toHtmlEscaped());
    mGridHeading->setText(heading);
    if (frame.trajectorySteps > 0) {
        mStrip->setRows({{tr("trajectory"), frame.trajectory}}, frame.trajectoryCaptions);
        const int shown = int(frame.trajectory.size()) - 1;
        mStripHeading->setText(
            shown < frame.trajectorySteps
                ? tr("Trajectory: %1 action steps (the newest %2 shown)").arg(frame.trajectorySteps).arg(shown)
                : tr("Trajectory: %1 action step%2")
                      .arg(frame.trajectorySteps)
                      .arg(frame.trajectorySteps == 1 ? QString() : QStringLiteral("s")));
    } else {
        mStrip->clear(tr("Apply an action to start a trajectory"));
        mStripHeading->setText(tr("Trajectory"));
    }
    updateCodeEditor();
    mStatus->setText(tr("%1 · codes %2 ms").arg(mInfo.device).arg(frame.computeMs, 0, 'f', 1));
    mStatus->setToolTip(QString());
    Q_EMIT frameShown(seq);
}

void VqView::showAdjacency(const VqAdjacencyData& data, quint64 seq)
{
    mLastAdjacency = data;
    mShownAdjacency = seq;
    ResponseMatrixPlot::Labels labels;
    labels.title = tr("Adjacency of %1 (%2 nodes)").arg(mInfo.actionName(data.action)).arg(data.nodes);
    labels.rowTitle = tr("node i (receives)");
    labels.columnTitle = tr("node j (sends)");
    labels.scaleTitle = tr("edge probability");
    // Ticks at the first node of every code row (node = b*h*w + i*w + j).
    for (int n = 0; n < data.nodes; ++n)
        labels.rows << (n % std::max(1, mInfo.cols) == 0 ? QString::number(n) : QString());
    labels.columns = labels.rows;
    mAdjacencyPlot->setMatrix(data.values, data.nodes, data.nodes, labels);
    Q_EMIT adjacencyShown(seq);
}

void VqView::updateCodeEditor()
{
    const bool valid = isOpen() && mSelected >= 0 && mSelected < mLastFrame.codes.size();
    const QScopedValueRollback<bool> applying(mApplying, true);
    mCodeBox->setEnabled(valid);
    mCellReset->setEnabled(valid && mLastFrame.codes[mSelected] != mLastFrame.encoded.value(mSelected));
    if (!valid) {
        mCellLabel->setText(isOpen() ? tr("Click a cell of the code grid to edit its code.") : QString());
        return;
    }
    mCodeBox->setValue(mLastFrame.codes[mSelected]);
    mCellLabel->setText(
        tr("<b>%1</b> · encoded code %2").arg(mInfo.nodeName(mSelected)).arg(mLastFrame.encoded.value(mSelected)));
}

void VqView::updateHeader()
{
    mEvaluateAction->setEnabled(retrievalUsable());
    if (!isOpen()) {
        header()->setText(tr("<b>Codes (CT-VAE)</b> · no VQ-VAE open"));
        return;
    }
    const QString name = mInfo.name.isEmpty() ? QFileInfo(mInfo.path).completeBaseName() : mInfo.name;
    const QString dataset = mInfo.dataset
        ? tr("images from %1 (%2)").arg(QString::fromStdString(mInfo.dataset->name())).arg(mInfo.dataset->size())
        : tr("no dataset");
    header()->setText(
        tr("<b>%1</b> · %2 code map%3 of %4×%5 · K = %6 codes · %7 · image %8 · %9")
            .arg(name.toHtmlEscaped())
            .arg(mInfo.codebooks)
            .arg(mInfo.codebooks == 1 ? QString() : QStringLiteral("s"))
            .arg(mInfo.rows)
            .arg(mInfo.cols)
            .arg(mInfo.codebookSize)
            .arg(mInfo.hasTransition() ? tr("%1 actions").arg(mInfo.actions.size()) : tr("no transition"))
            .arg(QString::fromStdString(lx::Array::shapeString({mInfo.imageShape.begin(), mInfo.imageShape.end()})))
            .arg(dataset));
}

void VqView::setPlaceholders()
{
    const QString text = isOpen() ? tr("Computing…") : tr("No VQ-VAE open");
    for (ImageView* view : {mOriginalView, mReconstructionView, mCurrentView}) {
        view->clear();
        view->setSubtitle(QString());
        view->setPlaceholderText(text);
    }
    mGrid->clear(text);
    mGridHeading->clear();
    mStrip->clear(isOpen() ? tr("Apply an action to start a trajectory") : text);
    mStripHeading->setText(tr("Trajectory"));
    mAdjacencyPlot->clearMatrix(text);
    mRetrieval->clear();
    mEvaluate->clear();
    mStatus->clear();
    updateCodeEditor();
}

QMap<QString, lx::Array> VqView::codeArrays() const
{
    QMap<QString, lx::Array> arrays;
    if (mLastFrame.codesArray.empty())
        return arrays;
    arrays.insert(QStringLiteral("codes"), mLastFrame.codesArray);
    arrays.insert(QStringLiteral("encoded"), mLastFrame.encodedArray);
    arrays.insert(QStringLiteral("x"), mLastFrame.x);
    arrays.insert(QStringLiteral("decoded"), mLastFrame.decoded);
    arrays.insert(QStringLiteral("trajectory"), mLastFrame.trajectoryArray);
    if (mLastAdjacency.nodes > 0) {
        arrays.insert(QStringLiteral("adjacency"),
                      lx::Array({mLastAdjacency.nodes, mLastAdjacency.nodes},
                                std::vector<float>(mLastAdjacency.values.begin(), mLastAdjacency.values.end())));
    }
    if (!mLastRetrieval.p.isEmpty()) {
        std::vector<float> p(mLastRetrieval.p.begin(), mLastRetrieval.p.end());
        arrays.insert(QStringLiteral("retrieval"), lx::Array({1, int64_t(p.size())}, p));
    }
    return arrays;
}

QString VqView::statusText() const { return mStatus->text(); }

} // namespace lx::ui

#include "ui/shell/MainWindow.h"

#include "lx/Card.h"
#include "lx/Model.h"
#include "ui/cgn/CgnMixerView.h"
#include "ui/hybrids/ChannelPanel.h"
#include "ui/compute/ComputeController.h"
#include "ui/hybrids/HybridTasks.h"
#include "ui/explore/ExploreView.h"
#include "ui/widgets/ImageView.h"
#include "ui/influence/InfluencePanel.h"
#include "ui/hybrids/InterventionPanel.h"
#include "ui/hybrids/LayerPanel.h"
#include "ui/compute/ModelKindView.h"
#include "ui/hybrids/ModelPanel.h"
#include "ui/figure/FigureMenu.h"
#include "ui/modules/ModuleAssaysView.h"
#include "ui/modules/ModuleGridView.h"
#include "ui/modules/ModulesPanel.h"
#include "ui/responses/ResponsesView.h"
#include "ui/hybrids/SeedPanel.h"
#include "ui/shell/SessionController.h"
#include "ui/hybrids/StateCommand.h"
#include "ui/vq/VqView.h"

#include <QAction>
#include <QDesktopServices>
#include <QStandardPaths>
#include <QUrl>
#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QMimeData>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QScrollArea>
#include <QScopedValueRollback>
#include <QSpinBox>
#include <QTabWidget>
#include <QUndoStack>

#include <spdlog/spdlog.h>

// Q_INIT_RESOURCE must be used outside any namespace; lx_ui is a static library, so its resources
// are registered explicitly.
static void initUiResources() { Q_INIT_RESOURCE(resources); }

namespace lx::ui {
namespace {

QString modelFilter() { return QObject::tr("TorchScript models (*.pt *.pth *.ptl *.zip);;All files (*)"); }

} // namespace

MainWindow::MainWindow(const QString& device, int threads, QWidget* parent)
    : QMainWindow(parent)
    , mDevice(device)
{
    initUiResources();
    setWindowTitle(tr("Latent Explorer"));
    setWindowIcon(QIcon(QStringLiteral(":/lx/icons/latent-explorer.png")));
    setDockNestingEnabled(true);
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::TopLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);

    mController = new ComputeController(threads, this);
    connect(mController, &ComputeController::modelLoaded, this, &MainWindow::onModelLoaded);
    connect(mController, &ComputeController::modelLoadFailed, this, &MainWindow::onModelLoadFailed);
    mHybrids = HybridTasks::newSession();

    mUndo = new QUndoStack(this);
    createCentralViews();
    createDocks();
    createInterventionDock();
    createKindTabs();
    mSessions = new SessionController(*this, this);
    connect(this, &MainWindow::modelReady, mSessions, &SessionController::onModelReady);
    connect(this, &MainWindow::modelFailed, mSessions, &SessionController::onModelFailed);
    connect(mSessions, &SessionController::errorOccurred, this,
            [this](const QString& title, const QString& text) { showError(title, text); });
    connect(mSessions, &SessionController::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, 10000); });
    // Figure exports carry the session (sidecar FIG.session.json) and are recorded in it, for `render`.
    FigureMenu* figures = mModuleAssays->gridView()->figureMenu();
    figures->setSessionProvider([this] { return mSessions->capture(); });
    mExplore->setSessionProvider([this] { return mSessions->capture(); });
    connect(figures, &FigureMenu::figureExported, mSessions, &SessionController::addFigure);
    createActions();

    mStatusCompute = new QLabel(this);
    mStatusCompute->setMinimumWidth(260);
    mStatusCompute->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    statusBar()->addPermanentWidget(mStatusCompute);
    statusBar()->showMessage(tr("Open a model to begin (File > Open, Ctrl+O)"));

    resize(1400, 900);
    resizeDocks({mModelDock, mModulesDock}, {330, 390}, Qt::Horizontal);
    resizeDocks({mModelDock, mLayerDock, mSeedDock}, {250, 420, 150}, Qt::Vertical);
    resizeDocks({mChannelDock}, {300}, Qt::Vertical);
}

MainWindow::~MainWindow() = default;

QDockWidget* MainWindow::addDock(const QString& title, const QString& objectName, QWidget* panel,
                                 Qt::DockWidgetArea area)
{
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable
                      | QDockWidget::DockWidgetClosable);
    panel->setParent(dock);
    dock->setWidget(panel);
    addDockWidget(area, dock);
    return dock;
}

void MainWindow::createDocks()
{
    mModelPanel = new ModelPanel(this);
    mLayerPanel = new LayerPanel(this);
    mSeedPanel = new SeedPanel(this);
    mChannelPanel = new ChannelPanel(this);
    mInfluencePanel = new InfluencePanel(mController, this);
    mModulesPanel = new ModulesPanel(mController, this);
    mModelDock = addDock(tr("Model"), QStringLiteral("modelDock"), mModelPanel, Qt::LeftDockWidgetArea);
    mLayerDock = addDock(tr("Layers"), QStringLiteral("layerDock"), mLayerPanel, Qt::LeftDockWidgetArea);
    mSeedDock = addDock(tr("Latents"), QStringLiteral("seedDock"), mSeedPanel, Qt::LeftDockWidgetArea);
    mChannelDock = addDock(tr("Channels (selected: taken from z2)"), QStringLiteral("channelDock"), mChannelPanel,
                           Qt::BottomDockWidgetArea);
    mInfluenceDock =
        addDock(tr("Influence maps"), QStringLiteral("influenceDock"), mInfluencePanel, Qt::BottomDockWidgetArea);
    tabifyDockWidget(mChannelDock, mInfluenceDock);
    mChannelDock->raise();
    mModulesDock = addDock(tr("Modules"), QStringLiteral("modulesDock"), mModulesPanel, Qt::RightDockWidgetArea);
    mModuleAssays = new ModuleAssaysView(mController, mModulesPanel, mCentralTabs);
    mCentralTabs->addTab(mModuleAssays, tr("Module assays"));
    mCentralTabs->setTabToolTip(mCentralTabs->indexOf(mModuleAssays),
                                tr("Module hybrid grid and classifier robustness (Besserve et al., ICLR 2020)"));

    connect(mModelPanel, &ModelPanel::openRequested, this, &MainWindow::openDialog);
    connect(mLayerPanel, &LayerPanel::layerChanged, this, &MainWindow::onLayerChanged);
    connect(mChannelPanel, &ChannelPanel::selectionChanged, this, &MainWindow::onChannelSelection);
    connect(mInfluencePanel, &InfluencePanel::channelsRequested, mChannelPanel, &ChannelPanel::setSelectedChannels);
    connect(mModulesPanel, &ModulesPanel::channelsRequested, mChannelPanel, &ChannelPanel::setSelectedChannels);
    connect(mInfluencePanel, &InfluencePanel::mapsChanged, mModulesPanel, &ModulesPanel::setMaps);
    // Opened influence maps of another layer: select it (an undoable layer change, as a click would be).
    connect(mInfluencePanel, &InfluencePanel::layerRequested, mLayerPanel, &LayerPanel::setCurrentLayer);
    const auto showMessage = [this](const QString& text) { statusBar()->showMessage(text, 10000); };
    connect(mInfluencePanel, &InfluencePanel::message, this, showMessage);
    connect(mModulesPanel, &ModulesPanel::message, this, showMessage);
    connect(mModuleAssays, &ModuleAssaysView::message, this, showMessage);
    connect(mSeedPanel, &SeedPanel::seedsChanged, this, &MainWindow::onSeedsChanged);
    connect(mSeedPanel, &SeedPanel::classesChanged, this, &MainWindow::onClassesChanged);
    connect(mSeedPanel, &SeedPanel::swapRequested, this, &MainWindow::swapSamples);
}

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Model…"), this, &MainWindow::openDialog);
    open->setShortcut(QKeySequence::Open);
    mRecentMenu = file->addMenu(tr("Recent &Models"));
    file->addSeparator();
    file->addAction(mSessions->openAction());
    file->addMenu(mSessions->recentMenu());
    file->addAction(mSessions->saveAction());
    file->addAction(mSessions->saveAsAction());
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quit->setMenuRole(QAction::QuitRole);
    updateRecentMenu();

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = mUndo->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = mUndo->createRedoAction(this, tr("&Redo"));
    // The platform's redo keys, and Ctrl+Shift+Z everywhere (some platforms only bind Ctrl+Y).
    QList<QKeySequence> redoKeys = QKeySequence::keyBindings(QKeySequence::Redo);
    if (!redoKeys.contains(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)))
        redoKeys.prepend(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z));
    redo->setShortcuts(redoKeys);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    QAction* addIntervention =
        edit->addAction(tr("&Add Intervention"), mInterventionPanel->addButton(), &QPushButton::click);
    addIntervention->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    edit->addAction(tr("&Clear Interventions"), mInterventionPanel->clearButton(), &QPushButton::click);

    QMenu* latents = menuBar()->addMenu(tr("&Latents"));
    QAction* new1 = latents->addAction(tr("New z1 Sample"), mSeedPanel, &SeedPanel::newSample1);
    new1->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    QAction* new2 = latents->addAction(tr("New z2 Sample"), mSeedPanel, &SeedPanel::newSample2);
    new2->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));
    QAction* swap = latents->addAction(tr("Swap z1 and z2"), this, &MainWindow::swapSamples);
    swap->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_3));

    QMenu* channels = menuBar()->addMenu(tr("&Channels"));
    QAction* selectAll = channels->addAction(tr("Select &All"), mChannelPanel, &ChannelPanel::selectAll);
    selectAll->setShortcut(QKeySequence::SelectAll); // Ctrl+A; a focused text field keeps its own
    channels->addAction(tr("Select &None"), mChannelPanel, &ChannelPanel::selectNone);
    QAction* invert = channels->addAction(tr("&Invert Selection"), mChannelPanel, &ChannelPanel::invertSelection);
    invert->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));

    QMenu* analysis = menuBar()->addMenu(tr("&Analysis"));
    analysis->addAction(mInfluencePanel->computeAction());
    analysis->addAction(mInfluencePanel->cancelAction());
    analysis->addAction(mInfluencePanel->openAction());
    analysis->addSeparator();
    analysis->addAction(mModulesPanel->findAction());
    analysis->addSeparator();
    for (QAction* action : mResponsesView->actions())
        analysis->addAction(action);
    analysis->addSeparator();
    analysis->addAction(mCgnMixer->shuffleAction());
    analysis->addAction(mCgnMixer->exportAction());
    analysis->addSeparator();
    analysis->addAction(mVqView->evaluateAction());
    connect(mVqView->evaluateAction(), &QAction::triggered, this, &MainWindow::showVqView);
    // Computing raises the panel that shows the result.
    for (QAction* action : {mInfluencePanel->computeAction(), mInfluencePanel->openAction()}) {
        connect(action, &QAction::triggered, mInfluenceDock, [this] {
            mInfluenceDock->show();
            mInfluenceDock->raise();
        });
    }
    connect(mModulesPanel->findAction(), &QAction::triggered, mModulesDock, [this] {
        mModulesDock->show();
        mModulesDock->raise();
    });

    mViewMenu = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* dock :
         {mModelDock, mLayerDock, mSeedDock, mChannelDock, mInfluenceDock, mModulesDock, mInterventionDock})
        mViewMenu->addAction(dock->toggleViewAction());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* about = help->addAction(tr("&About Latent Explorer"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
    help->addSeparator();
    // The GUI's spdlog file (app/gui/main.cpp) lives in the per-user data folder.
    help->addAction(tr("Open &Log Folder"), this, [this] {
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
        if (dir.isEmpty() || !QDesktopServices::openUrl(QUrl::fromLocalFile(dir)))
            statusBar()->showMessage(tr("The log is in %1 (latent-explorer.log)").arg(dir), 15000);
    });
}

void MainWindow::openDialog()
{
    QSettings settings;
    const QString dir =
        settings.value(QStringLiteral("lastModelDir"), mHasModel ? QFileInfo(mSummary.path).absolutePath() : QString())
            .toString();
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Model"), dir, modelFilter());
    if (path.isEmpty())
        return;
    settings.setValue(QStringLiteral("lastModelDir"), QFileInfo(path).absolutePath());
    openModel(path);
}

void MainWindow::openModel(const QString& path)
{
    mLoadingPath = path;
    mModelPanel->setLoading(path);
    statusBar()->showMessage(tr("Loading %1…").arg(QFileInfo(path).fileName()));
    // The card names the kind, so the model is loaded once, by the tab registered for that kind; a
    // card that cannot be read goes to the worker's load, which says why.
    QString kind;
    try {
        kind = QString::fromStdString(lx::Card::kindName(lx::Model::readCard(path.toStdString()).kind));
    } catch (const std::exception&) {
    }
    for (ModelKindView* view : std::as_const(mKindViews)) {
        if (view->kind() == kind) {
            view->open(path, mDevice); // then onKindOpened, or onModelLoadFailed
            return;
        }
    }
    mController->loadModel(path, mDevice);
}

void MainWindow::updateRecentMenu()
{
    mRecent.fillMenu(mRecentMenu, [this](const QString& path) { openModel(path); });
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Latent Explorer"),
                       tr("<h3>Latent Explorer %1</h3>"
                          "<p>A workbench for looking inside deep generative models: counterfactual hybrids "
                          "(Besserve et al., ICLR 2020), influence maps and module discovery.</p>"
                          "<p>Pick a layer and a set of its channels: the hybrid takes those channels from "
                          "z2's forward pass and everything else from z1's.</p>")
                           .arg(QStringLiteral(LX_VERSION)));
}

void MainWindow::showError(const QString& title, const QString& text, const QString& brief)
{
    statusBar()->showMessage(brief.isEmpty() ? text.section(QLatin1Char('\n'), 0, 0) : brief, 15000);
    if (!mErrorDialogs)
        return;
    const bool created = !mErrorBox;
    if (created) { // one dialog at a time: a new error replaces the text of an open one
        mErrorBox = new QMessageBox(QMessageBox::Warning, title, QString(), QMessageBox::Ok, this);
        mErrorBox->setAttribute(Qt::WA_DeleteOnClose);
        mErrorBox->setModal(false);
    }
    mErrorBox->setWindowTitle(title);
    mErrorBox->setText(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()));
    mErrorBox->setInformativeText(text);
    // QMessageBox sizes itself to short lines; give paths and reasons room. (After the texts: the
    // first informative text rebuilds the dialog's layout.)
    if (auto* grid = qobject_cast<QGridLayout*>(mErrorBox->layout()); grid && created) {
        grid->addItem(new QSpacerItem(480, 0, QSizePolicy::Minimum, QSizePolicy::Expanding), grid->rowCount(), 0, 1,
                      grid->columnCount());
    }
    mErrorBox->show();
    mErrorBox->raise();
}

QString MainWindow::adoptModel(const ModelSummary& summary)
{
    mSummary = summary;
    mHasModel = true;
    mLoadingPath.clear();
    mRecent.add(summary.path);
    updateRecentMenu();
    mModelPanel->setSummary(summary);
    const QString name = summary.name.isEmpty() ? QFileInfo(summary.path).fileName() : summary.name;
    setWindowTitle(tr("%1 — Latent Explorer").arg(name));
    mStatusCompute->setText(summary.device);
    return name;
}

void MainWindow::onModelLoaded(const ModelSummary& summary)
{
    if (ModelKindView* open = openKindView())
        setKindMode(open, false); // a generator or autoencoder replaces the CGN or VQ-VAE
    const QString name = adoptModel(summary);
    const int layer = summary.defaultLayer();
    mLayerPanel->setLayers(summary, layer);
    mSeedPanel->setClassNames(summary.classNames);
    mInfluencePanel->setModel(summary);
    mInfluencePanel->setLayer(layer);
    mModuleAssays->setModel(summary);
    mInterventionPanel->setAvailable(summary.layerCount() > 0);
    mExplore->setModel(summary);
    updateResponsesTab(summary);
    if (summary.layerCount() == 0) {
        mHybridView->clear();
        mHybridView->setSubtitle(QString());
        mHybridView->setPlaceholderText(tr("No layers to intervene on: see the Model panel"));
        showError(tr("No layers found"),
                  tr("%1 loaded, but Latent Explorer found no layers in it, so it can show samples "
                     "but no hybrids. Layers are the submodule calls of forward() (decode() for an "
                     "autoencoder) whose output reaches the image (see models/CONTRACT.md).\n\n%2")
                      .arg(name, summary.discoveryNote),
                  tr("No layers found in %1: showing samples only").arg(name));
    } else {
        mHybridView->setPlaceholderText(tr("The hybrid: channels selected below come from z2"));
        statusBar()->showMessage(tr("Loaded %1 (%2 layers)").arg(name).arg(summary.layerCount()), 5000);
    }
    // A new model starts a new history: the layer's default channels, no interventions.
    WorkbenchState fresh;
    fresh.layer = layer;
    fresh.channels = defaultChannels(layer);
    fresh.seed1 = mSeedPanel->seed1();
    fresh.seed2 = mSeedPanel->seed2();
    if (!summary.classNames.isEmpty()) { // a class-conditional model starts with its first two classes
        fresh.class1 = 0;
        fresh.class2 = std::min(1, static_cast<int>(summary.classNames.size()) - 1);
    }
    restoreWorkbenchState(fresh); // posts the first hybrid request
    Q_EMIT modelReady(summary);
}

void MainWindow::onModelLoadFailed(const QString& error)
{
    const QString path = mLoadingPath;
    mLoadingPath.clear();
    mModelPanel->setIdle();
    if (!path.isEmpty() && !QFileInfo::exists(path)) {
        mRecent.remove(path);
        updateRecentMenu();
    }
    QString text = error;
    if (mHasModel)
        text += tr("\n\nStill using %1.").arg(QFileInfo(mSummary.path).fileName());
    showError(tr("Cannot open model"), text);
    Q_EMIT modelFailed(error);
}

void MainWindow::onLayerChanged(int layer)
{
    if (mApplying)
        return;
    // A layer starts with its default channels and no interventions (they name that layer's channels).
    WorkbenchState after = mState;
    after.layer = layer;
    after.channels = defaultChannels(layer);
    after.edit = lx::LayerEdit();
    commit(tr("Layer %1").arg(mLayerPanel->layerName(layer)), after);
}

QVector<int> MainWindow::defaultChannels(int layer) const
{
    // Start with the first half of the channels taken from z2: a hybrid that differs visibly from
    // both originals. "None" gives x(z1) back, "All" gives x(z2).
    const int count = static_cast<int>(mLayerPanel->channelCount(layer));
    QVector<int> selected;
    for (int c = 0; c < count / 2; ++c)
        selected << c;
    return selected;
}

void MainWindow::onChannelSelection(const QVector<int>& channels)
{
    if (mApplying)
        return;
    WorkbenchState after = mState;
    after.channels = channels;
    // One mouse gesture on the channel list (a click or a rubber-band drag) is one undo step.
    commit(tr("Select %1 channels").arg(channels.size()), after, mChannelListPressed ? kSelectionMergeId : -1,
           mSelectionGesture);
}

void MainWindow::onClassesChanged()
{
    if (mApplying)
        return;
    WorkbenchState after = mState;
    after.class1 = mSeedPanel->class1();
    after.class2 = mSeedPanel->class2();
    after.classFromDonor = mSeedPanel->classFromDonor();
    const QString name1 = mSummary.classNames.value(after.class1), name2 = mSummary.classNames.value(after.class2);
    commit(after.classFromDonor ? tr("Classes %1, %2 (after the cut: %2)").arg(name1, name2)
                                : tr("Classes %1, %2").arg(name1, name2),
           after);
}

void MainWindow::onSeedsChanged()
{
    if (mApplying)
        return;
    WorkbenchState after = mState;
    after.seed1 = mSeedPanel->seed1();
    after.seed2 = mSeedPanel->seed2();
    commit(tr("Seeds %1, %2").arg(after.seed1).arg(after.seed2), after);
}

void MainWindow::swapSamples()
{
    WorkbenchState after = mState;
    std::swap(after.seed1, after.seed2);
    std::swap(after.class1, after.class2);
    commit(tr("Swap z1 and z2"), after);
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == mChannelPanel->list()->viewport()) {
        if (event->type() == QEvent::MouseButtonPress) {
            ++mSelectionGesture;
            mChannelListPressed = true;
        } else if (event->type() == QEvent::MouseButtonRelease) {
            mChannelListPressed = false;
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::createInterventionDock()
{
    mInterventionPanel = new InterventionPanel(this);
    mInterventionDock =
        addDock(tr("Interventions"), QStringLiteral("interventionDock"), mInterventionPanel, Qt::RightDockWidgetArea);
    tabifyDockWidget(mModulesDock, mInterventionDock);
    mModulesDock->raise();
    mChannelPanel->list()->viewport()->installEventFilter(this);

    const auto valid = [this](int index) { return index >= 0 && index < int(mState.edit.interventions.size()); };
    connect(mInterventionPanel, &InterventionPanel::addRequested, this, [this](const lx::Intervention& i) {
        WorkbenchState after = mState;
        after.edit.interventions.push_back(i);
        commit(tr("Add %1").arg(describeIntervention(i)), after);
    });
    connect(mInterventionPanel, &InterventionPanel::removeRequested, this, [this, valid](int index) {
        if (!valid(index))
            return;
        WorkbenchState after = mState;
        after.edit.interventions.erase(after.edit.interventions.begin() + index);
        commit(tr("Remove %1").arg(describeIntervention(mState.edit.interventions[size_t(index)])), after);
    });
    connect(mInterventionPanel, &InterventionPanel::enabledRequested, this, [this, valid](int index, bool on) {
        if (!valid(index))
            return;
        WorkbenchState after = mState;
        after.edit.interventions[size_t(index)].enabled = on;
        commit((on ? tr("Switch on %1") : tr("Switch off %1"))
                   .arg(describeIntervention(after.edit.interventions[size_t(index)])),
               after);
    });
    connect(mInterventionPanel, &InterventionPanel::valueRequested, this,
            [this, valid](int index, double value, quint64 gesture) {
                if (!valid(index))
                    return;
                WorkbenchState after = mState;
                after.edit.interventions[size_t(index)].value = value;
                // A drag is one undo step: same intervention, same gesture.
                commit(tr("Change intervention %1").arg(index + 1), after, kValueDragId,
                       (quint64(index) << 40) ^ gesture);
            });
    connect(mInterventionPanel, &InterventionPanel::maskRequested, this, [this, valid](int index, const QImage& mask) {
        if (!valid(index))
            return;
        WorkbenchState after = mState;
        setInterventionMask(after.edit.interventions[size_t(index)], mask);
        commit(mask.isNull() ? tr("Clear mask of intervention %1").arg(index + 1)
                             : tr("Paint mask of intervention %1").arg(index + 1),
               after);
    });
    // The mask brush paints on the hybrid view.
    connect(mInterventionPanel, &InterventionPanel::brushToggled, mHybridView, &ImageView::setBrushEnabled);
    connect(mInterventionPanel, &InterventionPanel::brushRadiusChanged, mHybridView, &ImageView::setBrushRadius);
    connect(mInterventionPanel, &InterventionPanel::maskShown, mHybridView, &ImageView::setMask);
    connect(mHybridView, &ImageView::maskEdited, mInterventionPanel, &InterventionPanel::maskPainted);
    mHybridView->setBrushRadius(mInterventionPanel->radiusBox()->value());
    connect(mInterventionPanel, &InterventionPanel::clearRequested, this, [this] {
        WorkbenchState after = mState;
        after.edit = lx::LayerEdit();
        commit(tr("Clear interventions"), after);
    });
}

void MainWindow::commit(const QString& text, const WorkbenchState& after, int mergeId, quint64 mergeKey)
{
    if (after == mState)
        return;
    // push() runs the command's redo(), which applies `after`.
    mUndo->push(new StateCommand(
        text, mState, after, [this](const WorkbenchState& state) { applyState(state); }, mergeId, mergeKey));
}

void MainWindow::restoreWorkbenchState(const WorkbenchState& state)
{
    mState.layer = -2; // rebuild the layer's panels whatever they show
    applyState(state);
    mUndo->clear();
}

void MainWindow::applyState(const WorkbenchState& state)
{
    const QScopedValueRollback<bool> applying(mApplying, true); // panel signals below are not edits
    const int count = static_cast<int>(mLayerPanel->channelCount(state.layer));
    const bool newLayer = state.layer != mState.layer || mChannelPanel->channelCount() != count;
    if (mLayerPanel->currentLayer() != state.layer && state.layer >= 0)
        mLayerPanel->setCurrentLayer(state.layer);
    if (newLayer) {
        mInfluencePanel->setLayer(state.layer); // cached maps of that layer show at once
        mChannelPanel->setChannels(count, state.channels);
    } else if (mChannelPanel->selectedChannels() != state.channels) {
        mChannelPanel->setSelectedChannels(state.channels);
    }
    mInfluencePanel->setSelectedChannels(state.channels);
    mModulesPanel->setSelectedChannels(state.channels);
    if (mSeedPanel->seed1() != state.seed1 || mSeedPanel->seed2() != state.seed2)
        mSeedPanel->setSeeds(state.seed1, state.seed2);
    mSeedPanel->setClasses(state.class1, state.class2, state.classFromDonor);
    mInterventionPanel->setEdit(state.edit);
    mInterventionPanel->setSelection(mLayerPanel->layerName(state.layer), state.channels);
    mInterventionPanel->setSpatial(mSummary.layerShapes.value(state.layer).size() == 3);
    mChannelDock->setWindowTitle(activeInterventions(state.edit) > 0 ? tr("Channels (selected: what Add acts on)")
                                                                     : tr("Channels (selected: taken from z2)"));
    mState = state;
    mExplore->setTransform({state.layer, state.channels, state.edit, state.seed1, state.seed2, state.class1,
                            state.class2, state.classFromDonor});
    requestHybrid();
    if (mSessions)
        mSessions->noteChange();
}

void MainWindow::requestHybrid()
{
    if (!mHasModel || openKindView())
        return;
    // The request comes from the state alone (the panels show it; they do not hold it). Layer -1 (a
    // model without layers) still brings x(z1) and x(z2).
    if (mState.layer < 0 && mSummary.layerCount() > 0)
        return;
    HybridRequest request;
    request.layer = mState.layer;
    request.channels = mState.channels;
    request.seed1 = mState.seed1;
    request.seed2 = mState.seed2;
    request.class1 = mState.class1;
    request.class2 = mState.class2;
    request.classFromDonor = mState.classFromDonor;
    request.edit = mState.edit; // interventions, when any is on, replace the channel swap
    request.modelGeneration = mSummary.generation;
    TaskHandle* task = HybridTasks::request(*mController, mHybrids, request);
    connect(task, &TaskHandle::finished, this, [this, id = task->id()](const QVariant& result) {
        HybridFrame frame = result.value<HybridFrame>();
        frame.seq = id;
        onFrame(frame);
    });
    connect(task, &TaskHandle::failed, this, &MainWindow::onComputeFailed);
}

void MainWindow::onFrame(const HybridFrame& frame)
{
    if (frame.modelGeneration != mSummary.generation)
        return; // computed for the previous model
    mLastShownSeq = frame.seq;
    mX1View->setImage(frame.x1);
    mHybridView->setImage(frame.hybrid);
    mX2View->setImage(frame.x2);
    const auto subtitle = [this](quint64 seed, int cls) {
        return cls < 0 ? tr("seed %1").arg(seed)
                       : tr("seed %1 · class %2").arg(seed).arg(mSummary.classNames.value(cls));
    };
    mX1View->setSubtitle(subtitle(frame.seed1, frame.class1));
    mX2View->setSubtitle(subtitle(frame.seed2, frame.class2));
    if (frame.layer >= 0 && frame.interventionCount > 0) {
        mHybridView->setSubtitle(tr("%1: x(z1) with %2 intervention%3")
                                     .arg(mLayerPanel->layerName(frame.layer))
                                     .arg(frame.interventionCount)
                                     .arg(frame.interventionCount == 1 ? QString() : QStringLiteral("s")));
    } else if (frame.layer >= 0) {
        mHybridView->setSubtitle(tr("%1: %2 of %3 from z2")
                                     .arg(mLayerPanel->layerName(frame.layer))
                                     .arg(frame.selectedCount)
                                     .arg(frame.channelCount));
    }
    if (frame.layer == mLayerPanel->currentLayer())
        mChannelPanel->setThumbnails(frame.channelThumbnails);
    mFrameRate.frame();
    const double fps = mFrameRate.fps();
    mStatusCompute->setText(tr("%1 · %2 %3 ms%4%5")
                                .arg(mSummary.device)
                                .arg(frame.layer < 0                   ? tr("samples")
                                         : frame.interventionCount > 0 ? tr("edit")
                                                                       : tr("hybrid"))
                                .arg(frame.computeMs, 0, 'f', 1)
                                .arg(frame.prefixCached ? tr(" (prefix cached)") : QString())
                                .arg(fps > 0 ? tr(" · %1 FPS").arg(fps, 0, 'f', 0) : QString()));
    Q_EMIT frameShown(frame.seq);
}

void MainWindow::onComputeFailed(const QString& error)
{
    spdlog::warn("compute failed: {}", error.toStdString());
    showError(tr("Cannot compute the hybrid"), error);
}

QString MainWindow::statusText() const { return mStatusCompute->text(); }

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() != 1 || !urls.first().isLocalFile())
        return;
    const QString path = urls.first().toLocalFile();
    event->acceptProposedAction();
    if (QFileInfo(path).suffix().compare(QLatin1String("lxsession"), Qt::CaseInsensitive) == 0)
        mSessions->open(path);
    else
        openModel(path);
}

} // namespace lx::ui

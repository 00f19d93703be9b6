#include "lx/ui/MainWindow.h"

#include "lx/ui/ChannelPanel.h"
#include "lx/ui/ComputeController.h"
#include "lx/ui/ImageView.h"
#include "lx/ui/InfluencePanel.h"
#include "lx/ui/LayerPanel.h"
#include "lx/ui/ModelPanel.h"
#include "lx/ui/ModulesPanel.h"
#include "lx/ui/SeedPanel.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

#include <spdlog/spdlog.h>

// Q_INIT_RESOURCE must be used outside any namespace; lx_ui is a static library, so its resources
// are registered explicitly.
static void initUiResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace lx::ui {
namespace {

QString modelFilter()
{
    return QObject::tr("TorchScript models (*.pt *.pth *.ptl *.zip);;All files (*)");
}

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
    connect(mController, &ComputeController::frameReady, this, &MainWindow::onFrame);
    connect(mController, &ComputeController::computeFailed, this, &MainWindow::onComputeFailed);

    createCentralViews();
    createDocks();
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

void MainWindow::createCentralViews()
{
    auto* central = new QWidget(this);
    auto* layout = new QHBoxLayout(central);
    layout->setContentsMargins(10, 10, 10, 6);
    layout->setSpacing(10);
    mX1View = new ImageView(QStringLiteral("x(z1)"), central);
    mHybridView = new ImageView(QStringLiteral("hybrid"), central);
    mX2View = new ImageView(QStringLiteral("x(z2)"), central);
    mX1View->setPlaceholderText(tr("x(z1) appears here once a model is loaded"));
    mHybridView->setPlaceholderText(tr("The hybrid: channels selected below come from z2"));
    mX2View->setPlaceholderText(tr("x(z2) appears here once a model is loaded"));
    for (ImageView* view : {mX1View, mHybridView, mX2View})
        layout->addWidget(view, 1);
    setCentralWidget(central);
}

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
    mModelDock = addDock(tr("Model"), QStringLiteral("modelDock"), mModelPanel,
                         Qt::LeftDockWidgetArea);
    mLayerDock = addDock(tr("Layers"), QStringLiteral("layerDock"), mLayerPanel,
                         Qt::LeftDockWidgetArea);
    mSeedDock = addDock(tr("Latents"), QStringLiteral("seedDock"), mSeedPanel,
                        Qt::LeftDockWidgetArea);
    mChannelDock = addDock(tr("Channels (selected: taken from z2)"), QStringLiteral("channelDock"),
                           mChannelPanel, Qt::BottomDockWidgetArea);
    mInfluenceDock = addDock(tr("Influence maps"), QStringLiteral("influenceDock"), mInfluencePanel,
                             Qt::BottomDockWidgetArea);
    tabifyDockWidget(mChannelDock, mInfluenceDock);
    mChannelDock->raise();
    mModulesDock = addDock(tr("Modules"), QStringLiteral("modulesDock"), mModulesPanel,
                           Qt::RightDockWidgetArea);

    connect(mModelPanel, &ModelPanel::openRequested, this, &MainWindow::openDialog);
    connect(mLayerPanel, &LayerPanel::layerChanged, this, &MainWindow::onLayerChanged);
    connect(mChannelPanel, &ChannelPanel::selectionChanged, this, &MainWindow::onChannelSelection);
    connect(mInfluencePanel, &InfluencePanel::channelsRequested, mChannelPanel,
            &ChannelPanel::setSelectedChannels);
    connect(mModulesPanel, &ModulesPanel::channelsRequested, mChannelPanel,
            &ChannelPanel::setSelectedChannels);
    connect(mInfluencePanel, &InfluencePanel::mapsChanged, mModulesPanel, &ModulesPanel::setMaps);
    const auto showMessage = [this](const QString& text) { statusBar()->showMessage(text, 10000); };
    connect(mInfluencePanel, &InfluencePanel::message, this, showMessage);
    connect(mModulesPanel, &ModulesPanel::message, this, showMessage);
    connect(mSeedPanel, &SeedPanel::seedsChanged, this, &MainWindow::requestHybrid);
}

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Model…"), this, &MainWindow::openDialog);
    open->setShortcut(QKeySequence::Open);
    mRecentMenu = file->addMenu(tr("Recent &Models"));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quit->setMenuRole(QAction::QuitRole);
    updateRecentMenu();

    QMenu* latents = menuBar()->addMenu(tr("&Latents"));
    QAction* new1 = latents->addAction(tr("New z1 Sample"), mSeedPanel, &SeedPanel::newSample1);
    new1->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    QAction* new2 = latents->addAction(tr("New z2 Sample"), mSeedPanel, &SeedPanel::newSample2);
    new2->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));
    QAction* swap = latents->addAction(tr("Swap z1 and z2"), mSeedPanel, &SeedPanel::swapSeeds);
    swap->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_3));

    QMenu* channels = menuBar()->addMenu(tr("&Channels"));
    channels->addAction(tr("Select &All"), mChannelPanel, &ChannelPanel::selectAll);
    channels->addAction(tr("Select &None"), mChannelPanel, &ChannelPanel::selectNone);
    QAction* invert = channels->addAction(tr("&Invert Selection"), mChannelPanel,
                                          &ChannelPanel::invertSelection);
    invert->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));

    QMenu* analysis = menuBar()->addMenu(tr("&Analysis"));
    analysis->addAction(mInfluencePanel->computeAction());
    analysis->addAction(mInfluencePanel->cancelAction());
    analysis->addSeparator();
    analysis->addAction(mModulesPanel->findAction());
    // Computing raises the panel that shows the result.
    connect(mInfluencePanel->computeAction(), &QAction::triggered, mInfluenceDock, [this] {
        mInfluenceDock->show();
        mInfluenceDock->raise();
    });
    connect(mModulesPanel->findAction(), &QAction::triggered, mModulesDock, [this] {
        mModulesDock->show();
        mModulesDock->raise();
    });

    mViewMenu = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* dock : {mModelDock, mLayerDock, mSeedDock, mChannelDock, mInfluenceDock,
                              mModulesDock})
        mViewMenu->addAction(dock->toggleViewAction());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* about = help->addAction(tr("&About Latent Explorer"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::openDialog()
{
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("lastModelDir"),
                                       mHasModel ? QFileInfo(mSummary.path).absolutePath()
                                                 : QString())
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
    mController->loadModel(path, mDevice);
}

void MainWindow::updateRecentMenu()
{
    mRecentMenu->clear();
    const QStringList& paths = mRecent.paths();
    for (int i = 0; i < paths.size(); ++i) {
        const QString path = paths[i];
        QAction* action = mRecentMenu->addAction(
            QStringLiteral("&%1  %2").arg(i + 1).arg(QFileInfo(path).fileName()), this,
            [this, path] { openModel(path); });
        action->setStatusTip(path);
        action->setToolTip(path);
    }
    if (!paths.isEmpty())
        mRecentMenu->addSeparator();
    QAction* clear = mRecentMenu->addAction(tr("Clear List"), this, [this] {
        mRecent.clear();
        updateRecentMenu();
    });
    clear->setEnabled(!paths.isEmpty());
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Latent Explorer"),
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
    if (created) {   // one dialog at a time: a new error replaces the text of an open one
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
        grid->addItem(new QSpacerItem(480, 0, QSizePolicy::Minimum, QSizePolicy::Expanding),
                      grid->rowCount(), 0, 1, grid->columnCount());
    }
    mErrorBox->show();
    mErrorBox->raise();
}

void MainWindow::onModelLoaded(const ModelSummary& summary)
{
    mSummary = summary;
    mHasModel = true;
    mLoadingPath.clear();
    mRecent.add(summary.path);
    updateRecentMenu();
    mModelPanel->setSummary(summary);
    const int layer = summary.defaultLayer();
    mLayerPanel->setLayers(summary, layer);
    mInfluencePanel->setModel(summary);
    mInfluencePanel->setLayer(layer);
    resetChannels(layer);
    const QString name = summary.name.isEmpty() ? QFileInfo(summary.path).fileName() : summary.name;
    setWindowTitle(tr("%1 — Latent Explorer").arg(name));
    mStatusCompute->setText(summary.device);
    if (summary.layerCount() == 0) {
        mHybridView->clear();
        mHybridView->setSubtitle(QString());
        mHybridView->setPlaceholderText(tr("No layers to intervene on: see the Model panel"));
        showError(tr("No layers found"),
                  tr("%1 loaded, but Latent Explorer found no layers in it, so it can show samples "
                     "but no hybrids. Layers are found in a plain nn.Sequential, or declared with "
                     "lx_layers() (see models/CONTRACT.md).\n\n%2")
                      .arg(name, summary.discoveryNote),
                  tr("No layers found in %1: showing samples only").arg(name));
    } else {
        mHybridView->setPlaceholderText(tr("The hybrid: channels selected below come from z2"));
        statusBar()->showMessage(tr("Loaded %1 (%2 layers)").arg(name).arg(summary.layerCount()),
                                 5000);
    }
    requestHybrid();
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
    mInfluencePanel->setLayer(layer);   // cached maps of that layer show at once
    resetChannels(layer);
    requestHybrid();
}

void MainWindow::resetChannels(int layer)
{
    // Start with the first half of the channels taken from z2: a hybrid that differs visibly from
    // both originals. "None" gives x(z1) back, "All" gives x(z2).
    const int count = static_cast<int>(mLayerPanel->channelCount(layer));
    QVector<int> selected;
    for (int c = 0; c < count / 2; ++c)
        selected << c;
    mChannelPanel->setChannels(count, selected);
    mInfluencePanel->setSelectedChannels(selected);
    mModulesPanel->setSelectedChannels(selected);
}

void MainWindow::onChannelSelection(const QVector<int>& channels)
{
    mInfluencePanel->setSelectedChannels(channels);
    mModulesPanel->setSelectedChannels(channels);
    requestHybrid();
}

void MainWindow::requestHybrid()
{
    if (!mHasModel)
        return;
    // Layer -1 (a model without layers) still brings x(z1) and x(z2).
    const int layer = mLayerPanel->currentLayer();
    if (layer < 0 && mSummary.layerCount() > 0)
        return;
    mController->requestHybrid(layer, mChannelPanel->selectedChannels(), mSeedPanel->seed1(),
                               mSeedPanel->seed2(), mSummary.generation);
}

void MainWindow::onFrame(const HybridFrame& frame)
{
    if (frame.modelGeneration != mSummary.generation)
        return;   // computed for the previous model
    mLastShownSeq = frame.seq;
    mX1View->setImage(frame.x1);
    mHybridView->setImage(frame.hybrid);
    mX2View->setImage(frame.x2);
    mX1View->setSubtitle(tr("seed %1").arg(frame.seed1));
    mX2View->setSubtitle(tr("seed %1").arg(frame.seed2));
    if (frame.layer >= 0) {
        mHybridView->setSubtitle(tr("%1: %2 of %3 from z2")
                                     .arg(mLayerPanel->layerName(frame.layer))
                                     .arg(frame.selectedCount)
                                     .arg(frame.channelCount));
    }
    if (frame.layer == mLayerPanel->currentLayer())
        mChannelPanel->setThumbnails(frame.channelThumbnails);
    mStatusCompute->setText(tr("%1 · %2 %3 ms%4")
                                .arg(mSummary.device)
                                .arg(frame.layer >= 0 ? tr("hybrid") : tr("samples"))
                                .arg(frame.computeMs, 0, 'f', 1)
                                .arg(frame.prefixCached ? tr(" (prefix cached)") : QString()));
    Q_EMIT frameShown(frame.seq);
}

void MainWindow::onComputeFailed(const QString& error)
{
    spdlog::warn("compute failed: {}", error.toStdString());
    showError(tr("Cannot compute the hybrid"), error);
}

QString MainWindow::statusText() const
{
    return mStatusCompute->text();
}

} // namespace lx::ui

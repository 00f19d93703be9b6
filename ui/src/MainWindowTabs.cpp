// MainWindow's central tabs: the hybrid views, Explore, Latent responses, Module assays (made with the
// docks), the CGN mixer and the Codes (CT-VAE) tab, and how the docks give way to the tabs that need the room.
#include "lx/ui/MainWindow.h"

#include "lx/ui/CgnMixerView.h"
#include "lx/ui/ComputeController.h"
#include "lx/ui/ExploreView.h"
#include "lx/ui/ImageView.h"
#include "lx/ui/ModelPanel.h"
#include "lx/ui/ModuleAssaysView.h"
#include "lx/ui/ResponsesView.h"
#include "lx/ui/SessionController.h"
#include "lx/ui/VqView.h"

#include <QAction>
#include <QDockWidget>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QStatusBar>
#include <QTabWidget>
#include <QUndoStack>

namespace lx::ui {

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
    createCentralTabs(central);
}

void MainWindow::createCentralTabs(QWidget* hybrids)
{
    mCentralTabs = new QTabWidget(this);
    mCentralTabs->setDocumentMode(true);
    hybrids->setParent(mCentralTabs);
    mCentralTabs->addTab(hybrids, tr("Hybrids"));
    createExploreTab();
    // In a scroll area: the workbench's minimum size must not make the window grow while the hybrid
    // docks share it (it scrolls instead; the docks give way on that tab).
    auto* scroll = new QScrollArea(mCentralTabs);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    mResponsesView = new ResponsesView(mController, scroll);
    scroll->setWidget(mResponsesView);
    mResponsesPage = scroll;
    const int page = mCentralTabs->addTab(scroll, tr("Latent responses"));
    mCentralTabs->setTabEnabled(page, false);
    mCentralTabs->setTabToolTip(page, tr("Latent responses of autoencoders (Leeb et al., NeurIPS 2022)"));
    setCentralWidget(mCentralTabs);
    connect(mCentralTabs, &QTabWidget::currentChanged, this, &MainWindow::onCentralTabChanged);
    connect(mResponsesView, &ResponsesView::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, 10000); });
    // Computing from the menu or a shortcut brings the workbench forward.
    for (QAction* action : {mResponsesView->computeMatrixAction(), mResponsesView->computeConditionedAction(),
                            mResponsesView->computeMapAction()})
        connect(action, &QAction::triggered, this, &MainWindow::showResponses);
}

void MainWindow::createExploreTab()
{
    auto* scroll = new QScrollArea(mCentralTabs);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    mExplore = new ExploreView(mController, scroll);
    scroll->setWidget(mExplore);
    mExplorePage = scroll;
    const int page = mCentralTabs->addTab(scroll, tr("Explore"));
    mCentralTabs->setTabToolTip(page, tr("Interpolation from z1 to z2 and a grid of samples, under the hybrid's transform"));
    connect(mExplore, &ExploreView::message, this, [this](const QString& text) { statusBar()->showMessage(text, 10000); });
    connect(mExplore->playAction(), &QAction::triggered, this, &MainWindow::showExplore);
    addAction(mExplore->playAction());
}

void MainWindow::showExplore()
{
    if (mCentralTabs->isTabEnabled(mCentralTabs->indexOf(mExplorePage)))
        mCentralTabs->setCurrentWidget(mExplorePage);
}

void MainWindow::showModuleAssays()
{
    mCentralTabs->setCurrentWidget(mModuleAssays);
}

void MainWindow::showResponses()
{
    if (mCentralTabs->isTabEnabled(mCentralTabs->indexOf(mResponsesPage)))
        mCentralTabs->setCurrentWidget(mResponsesPage);
}

void MainWindow::updateResponsesTab(const ModelSummary& summary)
{
    mResponsesView->setModel(summary);
    const bool autoencoder = mResponsesView->isAvailable();
    mCentralTabs->setTabEnabled(mCentralTabs->indexOf(mResponsesPage), autoencoder);
    if (autoencoder && summary.layerCount() == 0)
        showResponses();   // nothing to hybridise: the responses are what this model offers
    else if (!autoencoder && mCentralTabs->currentWidget() == mResponsesPage)
        mCentralTabs->setCurrentIndex(0);
}

void MainWindow::onCentralTabChanged(int index)
{
    // Docks take room some tabs need; they come back on leaving the tab. The response plots keep only
    // the model's dock; Explore's strips and grid give the bottom channel dock's height to the grid
    // (the selection still drives the transform; the Hybrids tab shows it).
    for (QDockWidget* dock : std::as_const(mDocksHiddenForTab))
        dock->show();
    mDocksHiddenForTab.clear();
    QWidget* page = mCentralTabs->widget(index);
    if (page != mResponsesPage && page != mExplorePage)
        return;
    for (QDockWidget* dock : findChildren<QDockWidget*>(Qt::FindDirectChildrenOnly)) {
        const bool hide = page == mResponsesPage ? dock != mModelDock : dockWidgetArea(dock) == Qt::BottomDockWidgetArea;
        if (hide && dock->isVisible()) {
            mDocksHiddenForTab << dock;
            dock->hide();
        }
    }
}

// --- CGN mixer (issue 6) ---------------------------------------------------------------------------

void MainWindow::createCgnTab()
{
    setAcceptDrops(true);
    // In a scroll area, as the responses: the mixer's minimum size must not widen the window for the
    // other tabs (a tab widget is as wide as its widest page).
    auto* scroll = new QScrollArea(mCentralTabs);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    mCgnMixer = new CgnMixerView(mController, mUndo, scroll);
    scroll->setWidget(mCgnMixer);
    mCgnPage = scroll;
    const int page = mCentralTabs->addTab(scroll, tr("CGN mixer"));
    mCentralTabs->setTabToolTip(page, tr("Counterfactual generative networks: mix shape, texture and background "
                                         "(Sauer & Geiger, ICLR 2021)"));
    mCentralTabs->setTabVisible(page, false);
    connect(mCgnMixer, &CgnMixerView::opened, this, &MainWindow::onCgnOpened);
    connect(mCgnMixer, &CgnMixerView::openFailed, this, &MainWindow::onModelLoadFailed);
    connect(mCgnMixer, &CgnMixerView::errorOccurred, this,
            [this](const QString& title, const QString& text) { showError(title, text); });
    connect(mCgnMixer, &CgnMixerView::message, this, [this](const QString& text) { statusBar()->showMessage(text, 10000); });
    connect(mCgnMixer, &CgnMixerView::stateChanged, this, [this] {
        if (mSessions)
            mSessions->noteChange();
    });
}

bool MainWindow::cgnOpen() const
{
    return mCgnMixer && mCgnMixer->isOpen();
}

void MainWindow::showCgnMixer()
{
    if (cgnOpen())
        mCentralTabs->setCurrentWidget(mCgnPage);
}

void MainWindow::onCgnOpened(const ModelSummary& summary)
{
    if (vqOpen())
        setVqMode(false);   // a CGN replaces the VQ-VAE
    mSummary = summary;
    mHasModel = true;
    mLoadingPath.clear();
    mRecent.add(summary.path);
    updateRecentMenu();
    mModelPanel->setSummary(summary);
    setCgnMode(true);
    const QString name = summary.name.isEmpty() ? QFileInfo(summary.path).fileName() : summary.name;
    setWindowTitle(tr("%1 — Latent Explorer").arg(name));
    mStatusCompute->setText(summary.device);
    statusBar()->showMessage(tr("Opened %1 in the CGN mixer").arg(name), 5000);
    mUndo->clear();   // a new model starts a new history
    Q_EMIT modelReady(summary);
}

void MainWindow::setCgnMode(bool on)
{
    if (!on)
        mCgnMixer->close();
    setExclusiveTab(mCgnPage, on, mDocksHiddenForCgn);
}

void MainWindow::setExclusiveTab(QWidget* pageWidget, bool on, QList<QDockWidget*>& hidden)
{
    // Docks go before the page comes in (and come back after it left), so the window never needs the
    // page's width beside all the docks.
    const int page = mCentralTabs->indexOf(pageWidget);
    if (on) {
        // The hybrid workbench's docks have nothing to act on: only the model's stays (docks the responses
        // tab hid come back with the others).
        hidden << mDocksHiddenForTab;
        mDocksHiddenForTab.clear();
        for (QDockWidget* dock : findChildren<QDockWidget*>(Qt::FindDirectChildrenOnly)) {
            if (dock != mModelDock && dock->isVisible()) {
                hidden << dock;
                dock->hide();
            }
        }
        mCentralTabs->setTabVisible(page, true);
        mCentralTabs->setTabEnabled(page, true);
        mCentralTabs->setCurrentIndex(page);
        for (int i = 0; i < mCentralTabs->count(); ++i) {
            if (i != page)
                mCentralTabs->setTabEnabled(i, false);
        }
        return;
    }
    // The model-kind tabs stay hidden (and off) while their kind is not open; the responses tab follows the
    // model (updateResponsesTab).
    const int mixer = mCentralTabs->indexOf(mCgnPage);
    const int codes = mCentralTabs->indexOf(mVqPage);
    for (int i = 0; i < mCentralTabs->count(); ++i)
        mCentralTabs->setTabEnabled(i, i != page && i != mixer && i != codes);
    mCentralTabs->setCurrentIndex(0);
    mCentralTabs->setTabVisible(page, false);
    for (QDockWidget* dock : std::as_const(hidden))
        dock->show();
    hidden.clear();
}

// --- Codes (CT-VAE, issue 7) ------------------------------------------------------------------------

void MainWindow::createVqTab()
{
    // In a scroll area, as the CGN mixer: its minimum size must not widen the window for the other tabs.
    auto* scroll = new QScrollArea(mCentralTabs);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    mVqView = new VqView(mController, mUndo, scroll);
    scroll->setWidget(mVqView);
    mVqPage = scroll;
    const int page = mCentralTabs->addTab(scroll, tr("Codes (CT-VAE)"));
    mCentralTabs->setTabToolTip(page, tr("Discrete codes of a VQ-VAE and the actions of its causal transition "
                                         "(Gendron, Witbrock & Dobbie, IJCAI 2023)"));
    mCentralTabs->setTabVisible(page, false);
    connect(mVqView, &VqView::opened, this, &MainWindow::onVqOpened);
    connect(mVqView, &VqView::openFailed, this, &MainWindow::onModelLoadFailed);
    connect(mVqView, &VqView::errorOccurred, this, [this](const QString& title, const QString& text) { showError(title, text); });
    connect(mVqView, &VqView::message, this, [this](const QString& text) { statusBar()->showMessage(text, 10000); });
    connect(mVqView, &VqView::stateChanged, this, [this] {
        if (mSessions)
            mSessions->noteChange();
    });
}

bool MainWindow::vqOpen() const
{
    return mVqView && mVqView->isOpen();
}

void MainWindow::showVqView()
{
    if (vqOpen())
        mCentralTabs->setCurrentWidget(mVqPage);
}

void MainWindow::onVqOpened(const ModelSummary& summary)
{
    if (cgnOpen())
        setCgnMode(false);   // a VQ-VAE replaces the CGN
    mSummary = summary;
    mHasModel = true;
    mLoadingPath.clear();
    mRecent.add(summary.path);
    updateRecentMenu();
    mModelPanel->setSummary(summary);
    setVqMode(true);
    const QString name = summary.name.isEmpty() ? QFileInfo(summary.path).fileName() : summary.name;
    setWindowTitle(tr("%1 — Latent Explorer").arg(name));
    mStatusCompute->setText(summary.device);
    statusBar()->showMessage(tr("Opened %1 in the Codes tab").arg(name), 5000);
    mUndo->clear();   // a new model starts a new history
    Q_EMIT modelReady(summary);
}

void MainWindow::setVqMode(bool on)
{
    if (!on)
        mVqView->close();
    setExclusiveTab(mVqPage, on, mDocksHiddenForVq);
}

} // namespace lx::ui

// MainWindow's central tabs: the hybrid views, Explore, Latent responses, Module assays (made with the
// docks), the CGN mixer and the Codes (CT-VAE) tab, and how the docks give way to the tabs that need the room.
#include "ui/shell/MainWindow.h"

#include "ui/cgn/CgnMixerView.h"
#include "ui/compute/ComputeController.h"
#include "ui/explore/ExploreView.h"
#include "ui/widgets/ImageView.h"
#include "ui/modules/ModuleAssaysView.h"
#include "ui/responses/ResponsesView.h"
#include "ui/shell/SessionController.h"
#include "ui/vq/VqView.h"

#include <QAction>
#include <QDockWidget>
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
    // Computing or opening from the menu or a shortcut brings the workbench forward.
    for (QAction* action : {mResponsesView->computeMatrixAction(), mResponsesView->computeConditionedAction(),
                            mResponsesView->computeMapAction(), mResponsesView->openMatrixAction(),
                            mResponsesView->openConditionedAction()})
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
    mCentralTabs->setTabToolTip(page,
                                tr("Interpolation from z1 to z2 and a grid of samples, under the hybrid's transform"));
    connect(mExplore, &ExploreView::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, 10000); });
    connect(mExplore->playAction(), &QAction::triggered, this, &MainWindow::showExplore);
    addAction(mExplore->playAction());
}

void MainWindow::showExplore()
{
    if (mCentralTabs->isTabEnabled(mCentralTabs->indexOf(mExplorePage)))
        mCentralTabs->setCurrentWidget(mExplorePage);
}

void MainWindow::showModuleAssays() { mCentralTabs->setCurrentWidget(mModuleAssays); }

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
        showResponses(); // nothing to hybridise: the responses are what this model offers
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
        const bool hide =
            page == mResponsesPage ? dock != mModelDock : dockWidgetArea(dock) == Qt::BottomDockWidgetArea;
        if (hide && dock->isVisible()) {
            mDocksHiddenForTab << dock;
            dock->hide();
        }
    }
}

// --- Model kinds with a tab of their own: CGN mixer, Codes (CT-VAE) ---------------

void MainWindow::createKindTabs()
{
    setAcceptDrops(true);
    mCgnMixer = new CgnMixerView(mController, mUndo, mCentralTabs);
    addKindTab(mCgnMixer, tr("CGN mixer"),
               tr("Counterfactual generative networks: mix shape, texture and background (Sauer & Geiger, ICLR 2021)"));
    mVqView = new VqView(mController, mUndo, mCentralTabs);
    addKindTab(mVqView, tr("Codes (CT-VAE)"),
               tr("Discrete codes of a VQ-VAE and the actions of its causal transition (Gendron, Witbrock & Dobbie, "
                  "IJCAI 2023)"));
}

void MainWindow::addKindTab(ModelKindView* view, const QString& title, const QString& toolTip)
{
    // In a scroll area, as the responses: the view's minimum size must not widen the window for the other
    // tabs (a tab widget is as wide as its widest page).
    auto* scroll = new QScrollArea(mCentralTabs);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(view);
    const int page = mCentralTabs->addTab(scroll, title);
    mCentralTabs->setTabToolTip(page, toolTip);
    mCentralTabs->setTabVisible(page, false);
    mKindViews << view;
    mKindPages.insert(view, scroll);
    connect(view, &ModelKindView::opened, this,
            [this, view](const ModelSummary& summary) { onKindOpened(view, summary); });
    connect(view, &ModelKindView::openFailed, this, &MainWindow::onModelLoadFailed);
    connect(view, &ModelKindView::errorOccurred, this,
            [this](const QString& title, const QString& text) { showError(title, text); });
    connect(view, &ModelKindView::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, 10000); });
    connect(view, &ModelKindView::stateChanged, this, [this] {
        if (mSessions)
            mSessions->noteChange();
    });
}

ModelKindView* MainWindow::openKindView() const
{
    for (ModelKindView* view : mKindViews) {
        if (view->isOpen())
            return view;
    }
    return nullptr;
}

bool MainWindow::cgnOpen() const { return mCgnMixer && mCgnMixer->isOpen(); }

bool MainWindow::vqOpen() const { return mVqView && mVqView->isOpen(); }

void MainWindow::showCgnMixer() { showKindView(mCgnMixer); }

void MainWindow::showVqView() { showKindView(mVqView); }

void MainWindow::showKindView(ModelKindView* view)
{
    if (view->isOpen())
        mCentralTabs->setCurrentWidget(mKindPages.value(view));
}

void MainWindow::onKindOpened(ModelKindView* view, const ModelSummary& summary)
{
    for (ModelKindView* other : std::as_const(mKindViews)) {
        if (other != view && other->isOpen())
            setKindMode(other, false); // a CGN replaces the VQ-VAE, and the other way round
    }
    const QString name = adoptModel(summary);
    setKindMode(view, true);
    statusBar()->showMessage(
        tr("Opened %1 in the %2 tab").arg(name, mCentralTabs->tabText(mCentralTabs->currentIndex())), 5000);
    mUndo->clear(); // a new model starts a new history
    Q_EMIT modelReady(summary);
}

void MainWindow::setKindMode(ModelKindView* view, bool on)
{
    // Docks go before the page comes in (and come back after it left), so the window never needs the
    // page's width beside all the docks.
    const int page = mCentralTabs->indexOf(mKindPages.value(view));
    if (on) {
        // The hybrid workbench's docks have nothing to act on: only the model's stays (docks the responses
        // tab hid come back with the others).
        mDocksHiddenForKind << mDocksHiddenForTab;
        mDocksHiddenForTab.clear();
        for (QDockWidget* dock : findChildren<QDockWidget*>(Qt::FindDirectChildrenOnly)) {
            if (dock != mModelDock && dock->isVisible()) {
                mDocksHiddenForKind << dock;
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
    view->close();
    // The model-kind tabs stay hidden (and off) while their kind is not open; the responses tab follows the
    // model (updateResponsesTab).
    QList<int> kindPages;
    for (QWidget* kindPage : std::as_const(mKindPages))
        kindPages << mCentralTabs->indexOf(kindPage);
    for (int i = 0; i < mCentralTabs->count(); ++i)
        mCentralTabs->setTabEnabled(i, !kindPages.contains(i));
    mCentralTabs->setCurrentIndex(0);
    mCentralTabs->setTabVisible(page, false);
    for (QDockWidget* dock : std::as_const(mDocksHiddenForKind))
        dock->show();
    mDocksHiddenForKind.clear();
}

} // namespace lx::ui

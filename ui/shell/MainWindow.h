#pragma once
// The workbench window: model, layer, latent and channel panels in docks around three large views,
// x(z1) | hybrid | x(z2). Every edit posts a hybrid request at once; the worker coalesces them.
// The influence maps (bottom, tabbed with the channels) and modules (right) panels run batch jobs on
// the same worker; clicking a channel's map or a module selects channels for the hybrid.
#include "ui/widgets/FrameRate.h"
#include "ui/shell/RecentModels.h"
#include "ui/shell/SessionHost.h"
#include "ui/hybrids/HybridTasks.h"
#include "ui/hybrids/WorkbenchState.h"
#include "ui/compute/WorkerTypes.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>

#include <memory>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QMessageBox;
class QTabWidget;
class QUndoStack;
class QDragEnterEvent;
class QDropEvent;

namespace lx::ui {

class ChannelPanel;
class ComputeController;
class ImageView;
class InfluencePanel;
class InterventionPanel;
class LayerPanel;
class ModelPanel;
class ModuleAssaysView;
class ModulesPanel;
class ResponsesView;
class SeedPanel;
class SessionController;
class CgnMixerView;
class ModelKindView;
class ExploreView;
class VqView;

class MainWindow : public QMainWindow, public SessionHost {
    Q_OBJECT
public:
    // `device`: "auto", "cpu" or "cuda"; `threads`: LibTorch intra-op threads (0 = all cores).
    explicit MainWindow(const QString& device = QStringLiteral("auto"), int threads = 0, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads a model on the worker; the current model stays until the new one has loaded.
    void openModel(const QString& path) override;

    bool hasModel() const override { return mHasModel; }
    const ModelSummary& summary() const override { return mSummary; }
    // Error dialogs on (default) or off (errors then go to the status bar and the log only).
    void setErrorDialogsEnabled(bool enabled) { mErrorDialogs = enabled; }

    // For tests and tools.
    ImageView* x1View() const { return mX1View; }
    ImageView* hybridView() const { return mHybridView; }
    ImageView* x2View() const { return mX2View; }
    ModelPanel* modelPanel() const { return mModelPanel; }
    LayerPanel* layerPanel() const { return mLayerPanel; }
    ChannelPanel* channelPanel() const { return mChannelPanel; }
    SeedPanel* seedPanel() const { return mSeedPanel; }
    InfluencePanel* influencePanel() const { return mInfluencePanel; }
    ModulesPanel* modulesPanel() const { return mModulesPanel; }
    QDockWidget* channelDock() const { return mChannelDock; }
    QDockWidget* influenceDock() const { return mInfluenceDock; }
    QDockWidget* modulesDock() const { return mModulesDock; }
    // The central area's tabs: "Hybrids" (the three views) and "Latent responses" (autoencoders).
    QTabWidget* centralTabs() const { return mCentralTabs; }
    ResponsesView* responsesView() const { return mResponsesView; }
    ExploreView* exploreView() const { return mExplore; }
    // The "Module assays" tab: module hybrid grid and classifier robustness (Besserve et al.).
    ModuleAssaysView* moduleAssaysView() const { return mModuleAssays; }
    void showModuleAssays();
    void showExplore(); // the Explore tab (when enabled)
    void showResponses(); // switches to the "Latent responses" tab (when enabled)
    // The "CGN mixer" tab: shown, selected and the only enabled tab while a model of kind "cgn"
    // is open (openModel routes such a file there); opening a generator or autoencoder brings the other
    // tabs and docks back.
    CgnMixerView* cgnMixer() const { return mCgnMixer; }
    bool cgnOpen() const;
    void showCgnMixer();
    // The "Codes (CT-VAE)" tab, as the CGN mixer: shown, selected and the only enabled tab while a
    // model of kind "vqvae" is open (openModel routes such a file there); another model brings the rest back.
    VqView* vqView() const { return mVqView; }
    bool vqOpen() const;
    void showVqView();
    ComputeController* controller() const { return mController; }
    // Interventions: the dock panel, the undo history of every workbench edit (layer, seeds,
    // channels, interventions) and the session documents with their autosave.
    InterventionPanel* interventionPanel() const { return mInterventionPanel; }
    QDockWidget* interventionDock() const { return mInterventionDock; }
    QUndoStack* undoStack() const override { return mUndo; }
    SessionController* sessionController() const { return mSessions; }
    const QString& device() const override { return mDevice; }
    // The state an undo step restores; restoreWorkbenchState applies one as a fresh, clean history
    // (sessions).
    const WorkbenchState& workbenchState() const override { return mState; }
    void restoreWorkbenchState(const WorkbenchState& state) override;
    // SessionHost: module settings and the views' part of a session (MainWindowSession.cpp).
    lx::ModuleSettings moduleSettings() const override;
    void setModuleSettings(const lx::ModuleSettings& settings) override;
    QVector<QVector<int>> modulesOf(int layer) const override;
    QJsonObject viewState() const override;
    void restoreViewState(const QJsonObject& view, bool interventions) override;
    double framesPerSecond() const { return mFrameRate.fps(); }
    quint64 lastShownSeq() const { return mLastShownSeq; }
    QString statusText() const;

protected:
    // A model or session file dropped on the window opens as with File > Open.
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

Q_SIGNALS:
    void modelReady(const lx::ui::ModelSummary& summary);
    void modelFailed(const QString& error);
    void frameShown(quint64 seq);

private:
    void createActions();
    void createDocks();
    void createCentralViews();
    void createCentralTabs(QWidget* hybrids);
    void createExploreTab();
    void updateResponsesTab(const lx::ui::ModelSummary& summary);
    void onCentralTabChanged(int index);
    QDockWidget* addDock(const QString& title, const QString& objectName, QWidget* panel, Qt::DockWidgetArea area);

    void openDialog();
    void updateRecentMenu();
    void showAbout();
    // A non-modal warning dialog (one at a time) plus a status-bar line (`brief`, else `text`).
    void showError(const QString& title, const QString& text, const QString& brief = QString());

    void onModelLoaded(const lx::ui::ModelSummary& summary);
    // What every newly opened model does to the window, whichever tab shows it: the summary, the recent
    // list, the model panel, the title and the device in the status bar. Returns the model's display name.
    QString adoptModel(const lx::ui::ModelSummary& summary);
    void onModelLoadFailed(const QString& error);
    void onFrame(const lx::ui::HybridFrame& frame);
    void onComputeFailed(const QString& error);
    void onLayerChanged(int layer);
    QVector<int> defaultChannels(int layer) const;
    void onChannelSelection(const QVector<int>& channels);
    void requestHybrid();
    void updateCaptions();
    // Undo: every edit becomes a StateCommand from mState to `after`; applyState puts a state on screen.
    void createInterventionDock();
    // The tabs of the model kinds lx::Model::load refuses (the CGN mixer, the Codes tab): each in a scroll
    // area, hidden until its kind is open.
    void createKindTabs();
    void addKindTab(ModelKindView* view, const QString& title, const QString& toolTip);
    ModelKindView* openKindView() const; // the kind view whose model is open, else null
    void showKindView(ModelKindView* view);
    void onKindOpened(ModelKindView* view, const lx::ui::ModelSummary& summary);
    // On: `view`'s tab becomes the only enabled central tab, with only the model's dock (the others are
    // hidden until it goes). Off: closes its model and gives the tabs and those docks back.
    void setKindMode(ModelKindView* view, bool on);
    void commit(const QString& text, const WorkbenchState& after, int mergeId = -1, quint64 mergeKey = 0);
    void applyState(const WorkbenchState& state);
    void onSeedsChanged();
    void swapSamples(); // z1 and z2 trade seeds and classes, one undo step
    void onClassesChanged();
    bool eventFilter(QObject* watched, QEvent* event) override;

    ComputeController* mController = nullptr;
    QString mDevice;
    RecentModels mRecent;
    ModelSummary mSummary;
    bool mHasModel = false;
    bool mErrorDialogs = true;
    QString mLoadingPath;
    quint64 mLastShownSeq = 0;
    std::shared_ptr<HybridTasks::Session> mHybrids; // the hybrid's engine, used on the worker thread

    ImageView* mX1View = nullptr;
    ImageView* mHybridView = nullptr;
    ImageView* mX2View = nullptr;
    ModelPanel* mModelPanel = nullptr;
    LayerPanel* mLayerPanel = nullptr;
    ChannelPanel* mChannelPanel = nullptr;
    SeedPanel* mSeedPanel = nullptr;
    InfluencePanel* mInfluencePanel = nullptr;
    ModulesPanel* mModulesPanel = nullptr;
    QDockWidget* mModelDock = nullptr;
    QDockWidget* mLayerDock = nullptr;
    QDockWidget* mSeedDock = nullptr;
    QDockWidget* mChannelDock = nullptr;
    QDockWidget* mInfluenceDock = nullptr;
    QDockWidget* mModulesDock = nullptr;
    QMenu* mRecentMenu = nullptr;
    QMenu* mViewMenu = nullptr;
    QLabel* mStatusCompute = nullptr;
    QPointer<QMessageBox> mErrorBox;
    QTabWidget* mCentralTabs = nullptr;
    ResponsesView* mResponsesView = nullptr;
    QWidget* mResponsesPage = nullptr; // the tab page: a scroll area around mResponsesView
    ExploreView* mExplore = nullptr;
    QWidget* mExplorePage = nullptr; // a scroll area around mExplore
    ModuleAssaysView* mModuleAssays = nullptr;
    QList<QDockWidget*> mDocksHiddenForTab; // docks hidden while on the responses or Explore tab
    InterventionPanel* mInterventionPanel = nullptr;
    QDockWidget* mInterventionDock = nullptr;
    QUndoStack* mUndo = nullptr;
    SessionController* mSessions = nullptr;
    WorkbenchState mState; // what the panels show; the undo history moves it
    bool mApplying = false; // applyState is setting the panels: their signals are not edits
    static constexpr int kSelectionMergeId = 0x4c59;
    quint64 mSelectionGesture = 0; // counts presses on the channel list: one drag, one undo step
    bool mChannelListPressed = false;
    FrameRate mFrameRate;
    CgnMixerView* mCgnMixer = nullptr;
    VqView* mVqView = nullptr;
    QList<ModelKindView*> mKindViews; // the two above
    QHash<const ModelKindView*, QWidget*> mKindPages; // their tab pages (scroll areas around them)
    QList<QDockWidget*> mDocksHiddenForKind; // docks hidden while one of them is open
};

} // namespace lx::ui

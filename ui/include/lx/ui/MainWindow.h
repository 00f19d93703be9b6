#pragma once
// The workbench window: model, layer, latent and channel panels in docks around three large views,
// x(z1) | hybrid | x(z2). Every edit posts a hybrid request at once; the worker coalesces them.
// The influence maps (bottom, tabbed with the channels) and modules (right) panels run batch jobs on
// the same worker; clicking a channel's map or a module selects channels for the hybrid.
#include "lx/ui/RecentModels.h"
#include "lx/ui/WorkerTypes.h"

#include <QMainWindow>
#include <QPointer>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QMessageBox;

namespace lx::ui {

class ChannelPanel;
class ComputeController;
class ImageView;
class InfluencePanel;
class LayerPanel;
class ModelPanel;
class ModulesPanel;
class SeedPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // `device`: "auto", "cpu" or "cuda"; `threads`: LibTorch intra-op threads (0 = all cores).
    explicit MainWindow(const QString& device = QStringLiteral("auto"), int threads = 0,
                        QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads a model on the worker; the current model stays until the new one has loaded.
    void openModel(const QString& path);

    bool hasModel() const { return mHasModel; }
    const ModelSummary& summary() const { return mSummary; }
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
    ComputeController* controller() const { return mController; }
    quint64 lastShownSeq() const { return mLastShownSeq; }
    QString statusText() const;

Q_SIGNALS:
    void modelReady(const lx::ui::ModelSummary& summary);
    void modelFailed(const QString& error);
    void frameShown(quint64 seq);

private:
    void createActions();
    void createDocks();
    void createCentralViews();
    QDockWidget* addDock(const QString& title, const QString& objectName, QWidget* panel,
                         Qt::DockWidgetArea area);

    void openDialog();
    void updateRecentMenu();
    void showAbout();
    // A non-modal warning dialog (one at a time) plus a status-bar line (`brief`, else `text`).
    void showError(const QString& title, const QString& text, const QString& brief = QString());

    void onModelLoaded(const lx::ui::ModelSummary& summary);
    void onModelLoadFailed(const QString& error);
    void onFrame(const lx::ui::HybridFrame& frame);
    void onComputeFailed(const QString& error);
    void onLayerChanged(int layer);
    void resetChannels(int layer);
    void onChannelSelection(const QVector<int>& channels);
    void requestHybrid();
    void updateCaptions();

    ComputeController* mController = nullptr;
    QString mDevice;
    RecentModels mRecent;
    ModelSummary mSummary;
    bool mHasModel = false;
    bool mErrorDialogs = true;
    QString mLoadingPath;
    quint64 mLastShownSeq = 0;

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
};

} // namespace lx::ui

#pragma once
// The "CGN mixer" tab (Sauer & Geiger, Counterfactual Generative Networks, ICLR 2021): three mechanism
// panels (shape, texture, background: class, class interpolation, noise seed) beside the images of one
// render: premask, mask, foreground, background and the composite x = m⊙f + (1−m)⊙b. "Shuffle" draws a
// counterfactual (new random class and seed for texture and background, the shape kept); the
// "Counterfactual grid" page keeps the mask and draws rows x cols textures and backgrounds; "Export
// counterfactual dataset…" writes a labelled dataset (lx::CgnDataset) with progress and Cancel.
//
// The lx::CgnModel lives in CgnModelInfo's std::shared_ptr and is only used by model-free tasks on the
// compute worker (CgnTasks). Every control change is an undo step on the window's stack (a mix-slider
// drag is one step) and posts a newest-wins render (a latest task, Task::latest). The state goes
// into session documents (the "view" object's key "cgn": sessionJson / restoreSessionJson).
#include "ui/cgn/CgnTypes.h"
#include "ui/compute/ModelKindView.h"
#include "ui/compute/TaskHandle.h"

#include <QJsonObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QMap>

class QAction;
class QLabel;
class QPushButton;
class QTabWidget;
class QUndoStack;

namespace lx::ui {

class CgnGridView;
class ExportMenu;
class CgnMechanismPanel;
class ComputeController;
class ImageView;
class TaskBar;

class CgnMixerView : public ModelKindView {
    Q_OBJECT
public:
    enum class SubView { Mixer, Grid };
    enum Mechanism { Shape = 0, Texture = 1, Background = 2 };

    CgnMixerView(ComputeController* controller, QUndoStack* undo, QWidget* parent);
    ~CgnMixerView() override;

    // open(), kind() and isLoading(): ModelKindView (kind "cgn").
    void close() override;
    bool isOpen() const override { return mInfo.model != nullptr; }
    const CgnModelInfo& info() const { return mInfo; }

    const CgnMixerState& state() const { return mState; }
    // The state a freshly opened model starts with.
    CgnMixerState defaultState() const;
    // Puts `state` on screen as it is (no undo step): sessions.
    void restoreState(const CgnMixerState& state);
    // An edit: an undo step from the current state to `after` (applied at once).
    void commit(const QString& text, const CgnMixerState& after, int mergeId = -1, quint64 mergeKey = 0);
    // The session's "cgn" object (the state and the page shown), and back.
    QJsonObject sessionJson() const;
    void restoreSessionJson(const QJsonObject& json);

    SubView subView() const;
    void showSubView(SubView view);

    // Draws a counterfactual: a new random class and seed for texture and background; the shape stays.
    void shuffle();
    // Starts a dataset export in the task bar; returns its job id (0: no CGN, or an export is running).
    quint64 exportDataset(const CgnExportRequest& request);
    // Asks for the export's settings, then starts it.
    void exportDialog();
    const CgnExportResult& lastExport() const { return mLastExport; }

    CgnMechanismPanel* panel(Mechanism m) const { return mPanels[m]; }
    ImageView* premaskView() const { return mPremaskView; }
    ImageView* maskView() const { return mMaskView; }
    ImageView* foregroundView() const { return mForegroundView; }
    ImageView* backgroundView() const { return mBackgroundView; }
    ImageView* compositeView() const { return mCompositeView; }
    CgnGridView* gridView() const { return mGridView; }
    ExportMenu* exportMenu() const { return mExportMenu; }
    // The current render's parts as arrays (premask, mask, foreground, background, composite), model units.
    QMap<QString, lx::Array> partArrays() const;
    QTabWidget* subTabs() const { return mSubTabs; }
    TaskBar* taskBar() const { return mTasks; }
    QAction* shuffleAction() const { return mShuffleAction; }
    QAction* exportAction() const { return mExportAction; }
    QString statusText() const;
    // The newest render shown, and the sequence numbers of the newest posted / shown renders and grids.
    const CgnFrame& lastFrame() const { return mLastFrame; }
    quint64 lastPostedRender() const { return mPostedRender; }
    quint64 lastShownRender() const { return mShownRender; }
    quint64 lastPostedGrid() const { return mPostedGrid; }
    quint64 lastShownGrid() const { return mShownGrid; }

    // Its images fit the height it is given (in the window's scroll area: the viewport's), not the other
    // way round.
    bool hasHeightForWidth() const override { return false; }
    int heightForWidth(int) const override { return -1; }

Q_SIGNALS: // and ModelKindView's opened, openFailed, stateChanged, message, errorOccurred
    void frameShown(quint64 seq);
    void gridShown(quint64 seq);
    void exportFinished(bool ok);

protected:
    FreeTaskBody loadTask(const QString& path, const lx::LoadOptions& options) const override;
    void takeLoaded(const QVariant& loaded) override;
    void onExportStopped(const QString& error);

private:
    void buildMixerPage(QWidget* page);
    void onLatestReady(const QString& key, quint64 seq, const QVariant& result);
    void onLatestFailed(const QString& key, quint64 seq, const QString& error);
    void onPanelEdited(Mechanism m);
    void onGridEdited();
    void applyState(const CgnMixerState& state);
    CgnMixerState normalized(CgnMixerState state) const;
    void postRender();
    void postGrid();
    void showFrame(const CgnFrame& frame, quint64 seq);
    void showGrid(const CgnGridData& data, quint64 seq);
    void updateHeader();
    void setPlaceholders();
    QString mechanismName(Mechanism m) const;

    QUndoStack* mUndo;
    CgnModelInfo mInfo;
    CgnMixerState mState;
    QPointer<TaskHandle> mExportJob;
    CgnExportRequest mExportDefaults;
    CgnExportResult mLastExport;
    CgnFrame mLastFrame;
    quint64 mPostedRender = 0;
    quint64 mShownRender = 0;
    quint64 mFirstRender = 0; // renders posted before this one were made for another model
    quint64 mPostedGrid = 0;
    quint64 mShownGrid = 0;
    quint64 mFirstGrid = 0;
    bool mGridStale = true;
    bool mApplying = false;
    QRandomGenerator mRandom;

    QPushButton* mShuffleButton = nullptr;
    QPushButton* mExportButton = nullptr;
    CgnMechanismPanel* mPanels[3] = {nullptr, nullptr, nullptr};
    QLabel* mNoiseNote = nullptr;
    QTabWidget* mSubTabs = nullptr;
    ImageView* mPremaskView = nullptr;
    ImageView* mMaskView = nullptr;
    ImageView* mForegroundView = nullptr;
    ImageView* mBackgroundView = nullptr;
    ImageView* mCompositeView = nullptr;
    CgnGridView* mGridView = nullptr;
    QWidget* mMixerPage = nullptr;
    ExportMenu* mExportMenu = nullptr;
    TaskBar* mTasks = nullptr;
    QLabel* mStatus = nullptr;
    QAction* mShuffleAction = nullptr;
    QAction* mExportAction = nullptr;
};

} // namespace lx::ui

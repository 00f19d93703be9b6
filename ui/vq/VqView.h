#pragma once
// The "Codes (CT-VAE)" tab (Gendron, Witbrock & Dobbie, Disentanglement of Latent Representations via
// Sparse Causal Interventions, IJCAI 2023; card kind "vqvae"): an image x of the model's dataset picked
// by its factors, shown as itself, its reconstruction and the decoding of the current codes; the code
// grid (click a cell and set its code: a hard, sparse intervention); the action palette (the causal
// transition applied to the current codes, the changed codes outlined, a trajectory strip); the learned
// adjacency of an action; action retrieval p(a | x, y) for an image y (or a random true pair); and
// "Evaluate": action and factor accuracy on N dataset pairs, with progress and Cancel.
//
// The lx::VqModel lives in VqModelInfo's std::shared_ptr and is only used by model-free tasks on the
// compute worker (VqTasks). Every edit is an undo step on the window's stack and posts a newest-wins
// render (a latest task, Task::latest). The state goes into session documents (the "view"
// object's key "vq": sessionJson / restoreSessionJson).
#include "ui/compute/ModelKindView.h"
#include "ui/vq/VqTypes.h"

#include <QJsonObject>
#include <QMap>

class QAction;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QUndoStack;

namespace lx::ui {

class ComputeController;
class ExportMenu;
class ImageStrips;
class ImageView;
class ResponseMatrixPlot;
class VqActionPalette;
class VqCodeGrid;
class VqEvaluatePanel;
class VqFactorPicker;
class VqRetrievalPanel;

class VqView : public ModelKindView {
    Q_OBJECT
public:
    enum class Page { Adjacency, Retrieval, Evaluate };

    VqView(ComputeController* controller, QUndoStack* undo, QWidget* parent);
    ~VqView() override;

    // open(), kind() and isLoading(): ModelKindView (kind "vqvae").
    void close() override;
    bool isOpen() const override { return mInfo.model != nullptr; }
    const VqModelInfo& info() const { return mInfo; }
    // Replaces the dataset x and y come from (null: none, x decodes random codes), e.g. one the card
    // does not name; the state starts afresh (a new undo history).
    void setDataset(std::shared_ptr<const lx::FactorDataset> dataset);

    const VqViewState& state() const { return mState; }
    VqViewState defaultState() const;
    // Puts `state` on screen as it is (no undo step): sessions.
    void restoreState(const VqViewState& state);
    // An edit: an undo step from the current state to `after` (applied at once).
    void commit(const QString& text, const VqViewState& after, int mergeId = -1, quint64 mergeKey = 0);
    QJsonObject sessionJson() const;
    void restoreSessionJson(const QJsonObject& json);

    // The edits a user makes, as the controls make them (each one undo step).
    void applyAction(int action, int times = 1);
    void setCode(int node, int code);
    void resetCodes();
    // Draws a true one-step pair (lx::VqPairs::generate(dataset, 1, seed)): x, y and the codes start afresh.
    // False without a usable dataset.
    bool randomPair(quint64 seed);
    // Starts "Evaluate" in the task bar; returns its job id (0: no usable dataset, or one is running).
    quint64 evaluate(qint64 pairs, quint64 seed);
    void selectNode(int node);
    int selectedNode() const { return mSelected; }
    // The action whose adjacency is shown (lx::VqModel::kIdentity: the no-intervention graph).
    void setAdjacencyAction(int action);
    int adjacencyAction() const;

    Page page() const;
    void showPage(Page page);

    VqFactorPicker* sourcePicker() const { return mSource; }
    VqCodeGrid* codeGrid() const { return mGrid; }
    QSpinBox* codeBox() const { return mCodeBox; }
    VqActionPalette* actionPalette() const { return mPalette; }
    ImageView* originalView() const { return mOriginalView; }
    ImageView* reconstructionView() const { return mReconstructionView; }
    ImageView* currentView() const { return mCurrentView; }
    ImageStrips* trajectoryStrip() const { return mStrip; }
    QComboBox* adjacencyBox() const { return mAdjacencyBox; }
    ResponseMatrixPlot* adjacencyPlot() const { return mAdjacencyPlot; }
    VqRetrievalPanel* retrievalPanel() const { return mRetrieval; }
    VqEvaluatePanel* evaluatePanel() const { return mEvaluate; }
    QTabWidget* pages() const { return mPages; }
    ExportMenu* exportMenu() const { return mExportMenu; }
    QWidget* codesPanel() const { return mCodesPage; }
    // Analysis > Evaluate Action Retrieval: the Evaluate page with its pairs and seed (enabled while the
    // open model's dataset allows retrieval).
    QAction* evaluateAction() const { return mEvaluateAction; }
    // The current codes and images as arrays: codes, encoded ([1, B, h, w], integer values), x, decoded
    // ([1, C, H, W], model units), trajectory ([1, S + 1, B, h, w]); adjacency [M, M] and retrieval [1, A]
    // when shown.
    QMap<QString, lx::Array> codeArrays() const;
    QString statusText() const;

    const VqFrame& lastFrame() const { return mLastFrame; }
    const VqAdjacencyData& lastAdjacency() const { return mLastAdjacency; }
    const VqRetrievalData& lastRetrieval() const { return mLastRetrieval; }
    const VqEvaluationResult& lastEvaluation() const { return mLastEvaluation; }
    quint64 lastPostedRender() const { return mPostedRender; }
    quint64 lastShownRender() const { return mShownRender; }
    quint64 lastPostedAdjacency() const { return mPostedAdjacency; }
    quint64 lastShownAdjacency() const { return mShownAdjacency; }
    quint64 lastPostedRetrieval() const { return mPostedRetrieval; }
    quint64 lastShownRetrieval() const { return mShownRetrieval; }

    // As the CGN mixer: its images fit the height it is given (the scroll area's viewport).
    bool hasHeightForWidth() const override { return false; }
    int heightForWidth(int) const override { return -1; }

Q_SIGNALS: // and ModelKindView's opened, openFailed, stateChanged, message, errorOccurred
    void frameShown(quint64 seq);
    void adjacencyShown(quint64 seq);
    void retrievalShown(quint64 seq);
    void evaluationFinished(bool ok);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    FreeTaskBody loadTask(const QString& path, const lx::LoadOptions& options) const override;
    void takeLoaded(const QVariant& loaded) override;

private:
    QWidget* buildControls(QWidget* parent);
    QWidget* buildCodesPage(QWidget* parent);
    QWidget* buildAdjacencyPage(QWidget* parent);
    void buildExportMenu();
    void onLatestReady(const QString& key, quint64 seq, const QVariant& result);
    void onLatestFailed(const QString& key, quint64 seq, const QString& error);
    void setUpForModel();
    void applyState(const VqViewState& state);
    VqViewState normalized(VqViewState state) const;
    void postRender();
    void postAdjacency();
    void postRetrieval();
    void showFrame(const VqFrame& frame, quint64 seq);
    void showAdjacency(const VqAdjacencyData& data, quint64 seq);
    void updateCodeEditor();
    void updateHeader();
    void setPlaceholders();
    QString describeSource(qint64 index) const;
    bool retrievalUsable() const;

    QUndoStack* mUndo;
    VqModelInfo mInfo;
    VqViewState mState;
    VqFrame mLastFrame;
    VqAdjacencyData mLastAdjacency;
    VqRetrievalData mLastRetrieval;
    VqEvaluationResult mLastEvaluation;
    quint64 mPostedRender = 0, mShownRender = 0, mFirstRender = 0;
    quint64 mPostedAdjacency = 0, mShownAdjacency = 0, mFirstAdjacency = 0;
    quint64 mPostedRetrieval = 0, mShownRetrieval = 0, mFirstRetrieval = 0;
    int mSelected = -1;
    bool mApplying = false;

    VqFactorPicker* mSource = nullptr;
    VqActionPalette* mPalette = nullptr;
    QLabel* mCellLabel = nullptr;
    QSpinBox* mCodeBox = nullptr;
    QPushButton* mCellReset = nullptr;
    QWidget* mCodesPage = nullptr;
    QWidget* mImagesRow = nullptr;
    ImageView* mOriginalView = nullptr;
    ImageView* mReconstructionView = nullptr;
    ImageView* mCurrentView = nullptr;
    QLabel* mGridHeading = nullptr;
    VqCodeGrid* mGrid = nullptr;
    QLabel* mStripHeading = nullptr;
    ImageStrips* mStrip = nullptr;
    QTabWidget* mPages = nullptr;
    QComboBox* mAdjacencyBox = nullptr;
    ResponseMatrixPlot* mAdjacencyPlot = nullptr;
    VqRetrievalPanel* mRetrieval = nullptr;
    VqEvaluatePanel* mEvaluate = nullptr;
    ExportMenu* mExportMenu = nullptr;
    QLabel* mStatus = nullptr;
    QAction* mEvaluateAction = nullptr;
};

} // namespace lx::ui

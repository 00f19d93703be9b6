#pragma once
// The "Latent responses" workbench for autoencoders (Leeb, Bauer, Besserve, Schölkopf, NeurIPS 2022),
// the second tab of the main window's central area. On top: where the samples come from (aggregate
// posterior or prior, the data, N, seed) and one progress bar with Cancel (Esc) for its batch tasks.
// Below, four tabs:
//   Matrix                the latent response matrix (Ctrl+R)
//   Conditioned           the conditioned matrix and its CDS, when the card names a known dataset
//                         (Ctrl+Shift+R)
//   Response map          the response-map quad of a slice, click-to-decode, iterated paths
//                         (Ctrl+Shift+M)
//   Latents & traversals  sliders with R(z), traversal strips, iterated responses
// The Matrix and Conditioned tabs also open matrices computed elsewhere (an M.npy or C.npy of the CLI or
// of a merged cluster job, ResponseMatrixFile); they show and export as computed ones do.
// Batch tasks run in the TaskBar; interactive ones as latest tasks (ComputeController::run), only
// once the user works in this view (so the hybrid views' sequence numbers stay undisturbed).
// The view has no layout of its own: its widgets sit in a body resized to fill it, so a scroll area
// around the view takes its minimum size but not the heightForWidth of the images and maps inside
// (which would make the view taller than the window).
#include "ui/responses/ResponseTypes.h"
#include "ui/compute/TaskHandle.h"
#include "ui/compute/WorkerTypes.h"

#include <QJsonObject>
#include <QPointer>
#include <QWidget>

class QAction;
class QTabWidget;

namespace lx::ui {

class ComputeController;
class ConditionedPanel;
class LatentSlidersPanel;
class ResponseMapPanel;
class ResponseMatrixPanel;
class ResponseSourceBar;
class TaskBar;

class ResponsesView : public QWidget {
    Q_OBJECT
public:
    enum class Tab { Matrix = 0, Conditioned = 1, Map = 2, Latents = 3 };

    ResponsesView(ComputeController* controller, QWidget* parent);

    // A newly loaded model: cancels a running task, forgets results, and (for autoencoders) asks the
    // worker what the card says about datasets.
    void setModel(const ModelSummary& summary);
    bool isAvailable() const { return mAvailable; } // an autoencoder is loaded
    const ResponseModelInfo& modelInfo() const { return mInfo; }
    bool hasModelInfo() const { return mInfo.modelGeneration != 0; }

    void showTab(Tab tab);
    Tab currentTab() const;

    // The data source of the last computation started, for tests and the status line.
    const ResponseDataSource& lastSource() const { return mLastSource; }

    QAction* computeMatrixAction() const { return mMatrixAction; }
    QAction* computeConditionedAction() const { return mConditionedAction; }
    QAction* computeMapAction() const { return mMapAction; }
    QAction* openMatrixAction() const { return mOpenMatrixAction; }
    QAction* openConditionedAction() const { return mOpenConditionedAction; }
    QAction* cancelAction() const;
    QList<QAction*> actions() const;

    // The session's view object key "responses": the sub-tab, the sample source and each tab's settings.
    QJsonObject sessionJson() const;
    void restoreSessionJson(const QJsonObject& json);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    ResponseSourceBar* sourceBar() const { return mSource; }
    TaskBar* taskBar() const { return mTaskBar; }
    QTabWidget* tabs() const { return mTabs; }
    ResponseMatrixPanel* matrixPanel() const { return mMatrix; }
    ConditionedPanel* conditionedPanel() const { return mConditioned; }
    ResponseMapPanel* mapPanel() const { return mMap; }
    LatentSlidersPanel* latentsPanel() const { return mLatents; }

    // Shows the response matrix M [d, d] in the file at `path` (ResponseMatrixFile::readMatrix) as a
    // computed one is shown (matrixShown). False, with one line through `message` and the shown matrix
    // left as it was, when it is refused: no autoencoder, a task running, or a file that does not fit.
    bool openMatrix(const QString& path);
    // The same for a conditioned matrix C [F, d] (ResponseMatrixFile::readConditioned; conditionedShown).
    bool openConditioned(const QString& path);

public Q_SLOTS:
    void computeMatrix();
    void computeConditioned();
    void computeMap();
    void cancel();
    // Ask for a file (*.npy), then openMatrix / openConditioned.
    void openMatrixDialog();
    void openConditionedDialog();

protected:
    void resizeEvent(QResizeEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

Q_SIGNALS:
    void modelInfoReady(const lx::ui::ResponseModelInfo& info);
    void matrixShown();
    void conditionedShown();
    void mapShown();
    void message(const QString& text);

private:
    void onTabChanged(int index);
    void onModelInfo(const ResponseModelInfo& info);
    void updateActions();
    QString askForMatrix(const QString& caption);

    ComputeController* mController;
    ModelSummary mSummary;
    bool mAvailable = false;
    int mLatentSize = 0;
    ResponseModelInfo mInfo;
    QPointer<TaskHandle> mInfoJob;
    bool mLatentsStarted = false; // the sliders posted their first request for this model
    ResponseDataSource mLastSource;

    QWidget* mBody = nullptr;
    ResponseSourceBar* mSource = nullptr;
    TaskBar* mTaskBar = nullptr;
    QTabWidget* mTabs = nullptr;
    ResponseMatrixPanel* mMatrix = nullptr;
    ConditionedPanel* mConditioned = nullptr;
    ResponseMapPanel* mMap = nullptr;
    LatentSlidersPanel* mLatents = nullptr;
    QAction* mMatrixAction = nullptr;
    QAction* mConditionedAction = nullptr;
    QAction* mMapAction = nullptr;
    QAction* mOpenMatrixAction = nullptr;
    QAction* mOpenConditionedAction = nullptr;
};

} // namespace lx::ui

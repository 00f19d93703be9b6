#pragma once
// Dock panel for the elementary influence maps (EIMs) of the current layer: pairs and seeds, a
// Compute button (Ctrl+E) that starts a batch job on the worker, a progress bar and a Cancel button
// (Esc) while it runs, then the EimGallery. An Open… button (Ctrl+Shift+I) shows maps computed
// elsewhere instead: an EIM.npy of `latent-explorer-cli influence` or of a cluster job's `merge`
// (InfluenceMapFile checks it against the model; its provenance, when there is one, names the layer,
// which the panel then asks the main window to select). Results are cached per (model, layer, pairs,
// first seed, opened file): going back to a layer shows its maps at once. Opened maps flow on through
// mapsChanged exactly as computed ones. Clicking tiles asks for a channel selection.
#include "ui/influence/InfluenceCache.h"
#include "ui/compute/TaskHandle.h"
#include "ui/compute/WorkerTypes.h"

#include <QJsonObject>
#include <QPointer>
#include <QWidget>

class QAction;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace lx::ui {

class ComputeController;
class EimGallery;
class TaskBar;
class ViewSettings;

class InfluencePanel : public QWidget {
    Q_OBJECT
public:
    static constexpr int kDefaultPairs = 64;

    InfluencePanel(ComputeController* controller, QWidget* parent);

    // A newly loaded model: cancels a running job and forgets what is shown.
    void setModel(const ModelSummary& summary);
    // The current layer: shows its cached maps (the most recently computed for it), if any.
    void setLayer(int layer);
    // Highlights the channel panel's selection in the gallery.
    void setSelectedChannels(const QVector<int>& channels);
    // Shows the influence maps in an .npy file (InfluenceMapFile::read) for the current model: for the
    // layer its provenance names (asking for that layer with layerRequested when it is not the current
    // one), else for the current layer. Returns false and emits message() with one line saying why when
    // it refuses (no model, a running job, a file that does not fit); then nothing shown changes.
    bool openMaps(const QString& path);

    bool isRunning() const { return mJob != nullptr; }
    TaskHandle* currentJob() const { return mJob; }
    bool hasMaps() const { return !mShown.isEmpty(); }
    const InfluenceResult& maps() const { return mShown; } // what the gallery shows
    QString statusText() const;
    // The session's view object key "influence": the pairs and first seed the maps are computed from,
    // so that the modules a session keeps can be found again from the same maps.
    QJsonObject sessionJson() const;
    void restoreSessionJson(const QJsonObject& json);

    QAction* computeAction() const { return mComputeAction; }
    QAction* cancelAction() const; // Esc, in the Analysis menu; enabled only while computing
    QAction* openAction() const { return mOpenAction; } // Ctrl+Shift+I: openDialog()
    EimGallery* gallery() const { return mGallery; }
    QSpinBox* pairsBox() const { return mPairs; }
    QSpinBox* seedBox() const { return mSeed; }
    QPushButton* computeButton() const { return mCompute; }
    QPushButton* cancelButton() const;
    QPushButton* openButton() const { return mOpen; }
    QProgressBar* progressBar() const;

public Q_SLOTS:
    void compute(); // cached inputs are shown at once instead of recomputed
    void cancel();
    void openDialog(); // asks for an .npy file, then openMaps

Q_SIGNALS:
    // The maps shown changed (an empty result: none for this layer).
    void mapsChanged(const lx::ui::InfluenceResult& maps);
    void channelsRequested(const QVector<int>& channels);
    // Opened maps belong to another layer: the owner selects it (and calls setLayer) if it can.
    void layerRequested(int layer);
    void message(const QString& text); // one line for the status bar

private:
    // The value widgets saved in sessions, under their keys (sessionJson).
    ViewSettings viewSettings() const;
    void onResult(const QVariant& value);
    void onCancelled();
    void onFailed(const QString& error);
    void show(const InfluenceResult& result, bool cached);
    void showNone();
    QString computedText(const InfluenceResult& result, bool cached) const;
    QString openedText(const InfluenceResult& result, bool cached) const;
    void jobEnded();
    void updateState();
    QString layerName(int layer) const;

    ComputeController* mController;
    ModelSummary mSummary;
    bool mHasModel = false;
    int mLayer = -1;
    QPointer<TaskHandle> mJob;
    int mJobLayer = -1;
    InfluenceCache mCache;
    InfluenceResult mShown;

    QSpinBox* mPairs = nullptr;
    QSpinBox* mSeed = nullptr;
    QPushButton* mCompute = nullptr;
    QPushButton* mOpen = nullptr;
    TaskBar* mTasks = nullptr; // progress, Cancel and Esc of the running job
    QLabel* mStatus = nullptr;
    QLabel* mLegendLow = nullptr;
    QLabel* mLegendBar = nullptr;
    QLabel* mLegendHigh = nullptr;
    EimGallery* mGallery = nullptr;
    QAction* mComputeAction = nullptr;
    QAction* mOpenAction = nullptr;
};

} // namespace lx::ui

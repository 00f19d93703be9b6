#pragma once
// Dock panel for the elementary influence maps (EIMs) of the current layer: pairs and seeds, a
// Compute button (Ctrl+E) that starts a batch job on the worker, a progress bar and a Cancel button
// (Esc) while it runs, then the EimGallery. Results are cached per (model, layer, pairs, first
// seed): going back to a layer shows its maps at once. Clicking tiles asks for a channel selection.
#include "lx/ui/InfluenceCache.h"
#include "lx/ui/WorkerTypes.h"

#include <QWidget>

class QAction;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace lx::ui {

class ComputeController;
class EimGallery;

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

    bool isRunning() const { return mJob != 0; }
    quint64 currentJob() const { return mJob; }
    bool hasMaps() const { return !mShown.isEmpty(); }
    const InfluenceResult& maps() const { return mShown; }   // what the gallery shows
    QString statusText() const;

    QAction* computeAction() const { return mComputeAction; }
    QAction* cancelAction() const { return mCancelAction; }
    EimGallery* gallery() const { return mGallery; }
    QSpinBox* pairsBox() const { return mPairs; }
    QSpinBox* seedBox() const { return mSeed; }
    QPushButton* computeButton() const { return mCompute; }
    QPushButton* cancelButton() const { return mCancel; }
    QProgressBar* progressBar() const { return mProgress; }

public Q_SLOTS:
    void compute();   // cached inputs are shown at once instead of recomputed
    void cancel();

Q_SIGNALS:
    // The maps shown changed (an empty result: none for this layer).
    void mapsChanged(const lx::ui::InfluenceResult& maps);
    void channelsRequested(const QVector<int>& channels);
    void message(const QString& text);   // one line for the status bar

private:
    void onProgress(quint64 id, qint64 done, qint64 total);
    void onResult(const lx::ui::InfluenceResult& result);
    void onCancelled(quint64 id);
    void onFailed(quint64 id, const QString& error);
    void show(const InfluenceResult& result, bool cached);
    void showNone();
    void jobEnded();
    void updateState();
    QString layerName(int layer) const;

    ComputeController* mController;
    ModelSummary mSummary;
    bool mHasModel = false;
    int mLayer = -1;
    quint64 mJob = 0;
    int mJobLayer = -1;
    InfluenceCache mCache;
    InfluenceResult mShown;

    QSpinBox* mPairs = nullptr;
    QSpinBox* mSeed = nullptr;
    QPushButton* mCompute = nullptr;
    QPushButton* mCancel = nullptr;
    QProgressBar* mProgress = nullptr;
    QLabel* mStatus = nullptr;
    QLabel* mLegendLow = nullptr;
    QLabel* mLegendBar = nullptr;
    QLabel* mLegendHigh = nullptr;
    EimGallery* mGallery = nullptr;
    QAction* mComputeAction = nullptr;
    QAction* mCancelAction = nullptr;
};

} // namespace lx::ui

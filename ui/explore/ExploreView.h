#pragma once
// The Explore tab of the hybrid workbench: a latent interpolation from z1 to z2 (linear or
// spherical) as a strip, a t slider with a large preview that follows the drag (newest request wins) and
// plays as an animation, exported as a PNG sequence; and a sample grid of many prior seeds (with
// truncation), each shown plain and under the hybrid view's own transform (its edit, or the channels
// taken from z2), exported as PNG and .npy; and the channel view (ChannelStatsView) of the selected
// channels and PCA directions (DirectionsPanel). Everything is computed on the compute worker.
#include "lx/Session.h"
#include "ui/explore/ExploreTypes.h"
#include "ui/compute/WorkerTypes.h"

#include <QTimer>
#include <QWidget>

#include <functional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace lx::ui {

class ChannelStatsView;
class ComputeController;
class DirectionsPanel;
class ImageStrips;
class ImageView;
class TaskBar;
class ViewSettings;

class ExploreView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kSliderTicks = 100;
    static constexpr int kAnimationMs = 40;
    using SessionProvider = std::function<lx::Session()>;

    ExploreView(ComputeController* controller, QWidget* parent);

    void setModel(const ModelSummary& summary);
    // The hybrid view's current transform; the views recompute when it changes (while visible).
    void setTransform(const WorkbenchTransform& transform);
    // Model file and hash for the exports' provenance.
    void setSessionProvider(SessionProvider provider) { mSessionProvider = std::move(provider); }

    const WorkbenchTransform& transform() const { return mTransform; }
    const InterpolationData& interpolation() const { return mInterpolation; }
    const SampleGridData& sampleGrid() const { return mGrid; }
    const QImage& previewImage() const;
    double previewT() const { return mPreviewT; }
    bool playing() const { return mTimer.isActive(); }

    QComboBox* modeBox() const { return mMode; }
    QSpinBox* framesBox() const { return mFrames; }
    QCheckBox* applyBox() const { return mApply; }
    QComboBox* classPathBox() const { return mClassPath; }
    QCheckBox* rowPerClassBox() const { return mRowPerClass; }
    QSlider* slider() const { return mSlider; }
    QSpinBox* firstSeedBox() const { return mFirstSeed; }
    QSpinBox* rowsBox() const { return mRows; }
    QSpinBox* colsBox() const { return mCols; }
    QDoubleSpinBox* truncationBox() const { return mTruncation; }
    QCheckBox* originalsBox() const { return mShowOriginals; }
    ImageStrips* strip() const { return mStrip; }
    ImageStrips* gridStrips() const { return mGridStrips; }
    TaskBar* taskBar() const { return mTasks; }
    QAction* playAction() const { return mPlayAction; }
    ChannelStatsView* channelView() const { return mChannels; }
    DirectionsPanel* directionsPanel() const { return mDirections; }

    // The session's view object key "explore": path, frames, transform toggle, grid settings, directions.
    QJsonObject sessionJson() const;
    void restoreSessionJson(const QJsonObject& json);

    // Exports (also behind the buttons, which ask for the path). Throw lx::Error with a one-line message.
    void exportFrames(const QString& folder, int frames);
    // An animated GIF of the same frames at `fps` (GIF delays are in 1/100 s), looping forever.
    void exportGif(const QString& path, int frames, int fps = 25);
    void exportGridImage(const QString& path) const;
    void exportGridData(const QString& folder) const;

public Q_SLOTS:
    void refresh(); // both views
    void togglePlay();
    void nextSeeds(); // the grid's next page of seeds

Q_SIGNALS:
    void message(const QString& text);
    void interpolationShown();
    void previewShown();
    void gridShown();

protected:
    void showEvent(QShowEvent* event) override;

private:
    // The value widgets saved in sessions, under their keys (sessionJson).
    ViewSettings viewSettings() const;
    void postInterpolation();
    void postPreview();
    void postGrid();
    void onLatest(const QString& key, quint64 seq, const QVariant& result);
    void onLatestFailed(const QString& key, quint64 seq, const QString& error);
    void showGrid();
    void step();
    QByteArray provenance(const QString& what, const QJsonObject& extra) const;
    InterpolationRequest interpolationRequest(int frames) const;
    // Throws lx::Error before an export computes anything: no model, an export running, no such folder.
    void requireExportTarget(const QString& path) const;

    ComputeController* mController;
    SessionProvider mSessionProvider;
    ModelSummary mSummary;
    bool mHasModel = false;
    bool mStale = true; // the transform changed while hidden
    WorkbenchTransform mTransform;
    InterpolationData mInterpolation;
    SampleGridData mGrid;
    QImage mPreview;
    double mPreviewT = 0.0;
    bool rowPerClass() const; // the sample grid shows one row per class
    quint64 mFirstSeq = 0; // results older than the current model are ignored
    int mDirection = 1;
    QTimer mTimer;

    QComboBox* mMode = nullptr;
    QSpinBox* mFrames = nullptr;
    QCheckBox* mApply = nullptr;
    QComboBox* mClassPath = nullptr; // class-conditional models: what moves along the path
    QLabel* mClassPathLabel = nullptr;
    QCheckBox* mRowPerClass = nullptr; // class-conditional models: the sample grid's rows are the classes
    QPushButton* mPlay = nullptr;
    QAction* mPlayAction = nullptr;
    QPushButton* mExportFrames = nullptr;
    QPushButton* mExportGif = nullptr;
    QSpinBox* mExportCount = nullptr;
    ImageStrips* mStrip = nullptr;
    QSlider* mSlider = nullptr;
    QLabel* mTLabel = nullptr;
    ImageView* mPreviewView = nullptr;
    QSpinBox* mFirstSeed = nullptr;
    QSpinBox* mRows = nullptr;
    QSpinBox* mCols = nullptr;
    QDoubleSpinBox* mTruncation = nullptr;
    QCheckBox* mShowOriginals = nullptr;
    QPushButton* mExportGrid = nullptr;
    QPushButton* mExportData = nullptr;
    QLabel* mGridStatus = nullptr;
    ImageStrips* mGridStrips = nullptr;
    TaskBar* mTasks = nullptr;
    ChannelStatsView* mChannels = nullptr;
    DirectionsPanel* mDirections = nullptr;
};

} // namespace lx::ui

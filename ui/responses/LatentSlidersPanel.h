#pragma once
// The "Latents & traversals" tab: one slider per latent dimension with its value, and next to it the
// response R(z) = posterior mean of encode(decode(z)) as a number and a bar; the decoded x(z) and
// x(R(z)); traversal strips (z with dim i swept over [-r, r], one strip per dim, sorted by diagonal
// response); and the iterated responses z -> R(z) -> R(R(z)) ... as a decoded strip. Moving a slider
// posts an interactive task at once (newest wins); the strips follow after a short pause.
#include "ui/responses/ResponseTypes.h"
#include "ui/compute/WorkerTypes.h"

#include <QJsonObject>
#include <QTimer>
#include <QVector>
#include <QWidget>

class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QSlider;
class QSpinBox;

namespace lx::ui {

class ComputeController;
class ExportMenu;
class ImageStrips;
class ImageView;
class ValueBar;
class ViewSettings;

class LatentSlidersPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr double kSliderRange = 3.0; // sliders span [-3, 3]
    static constexpr int kTicksPerUnit = 100; // in steps of 0.01
    static constexpr int kStripDelayMs = 250; // the strips follow a slider after this pause
    static constexpr int kSlidersMinWidth = 380;
    static constexpr const char* kProbeKey = "responses/probe";
    static constexpr const char* kTraversalKey = "responses/traversals";
    static constexpr const char* kIterateKey = "responses/iterate";

    LatentSlidersPanel(ComputeController* controller, QWidget* parent);

    void setModel(const ModelSummary& summary, int latentSize);
    // Sort the traversal strips by this diagonal (a response matrix of the model); empty: by the sweep.
    void setMatrixDiagonal(const QVector<float>& diagonal);
    // Sets every dimension (sliders follow, clamped to their range) and posts one request.
    void setLatent(const QVector<float>& z);
    const QVector<float>& latent() const { return mZ; }
    int latentSize() const { return static_cast<int>(mZ.size()); }

    const LatentProbe& probe() const { return mProbe; }
    const TraversalStrips& strips() const { return mStrips; }
    const IteratedResponses& iterated() const { return mIterated; }
    quint64 lastProbeSeq() const { return mLastProbeSeq; }
    quint64 shownProbeSeq() const { return mShownProbeSeq; }

    QSlider* slider(int dim) const { return mSliders.value(dim); }
    QLabel* responseLabel(int dim) const { return mResponseLabels.value(dim); }
    ValueBar* bar(int dim) const { return mBars.value(dim); }
    ImageView* imageView() const { return mImageView; }
    ImageView* responseView() const { return mResponseView; }
    ImageStrips* traversalStrips() const { return mTraversals; }
    ImageStrips* iterateStrip() const { return mIterate; }
    // Its part of the session's view object (ResponsesView::sessionJson); restore keeps what a key lacks.
    QJsonObject sessionJson() const;
    void restoreSessionJson(const QJsonObject& json);
    QDoubleSpinBox* radiusBox() const { return mRadius; }
    QSpinBox* traversalStepsBox() const { return mTraversalSteps; }
    QSpinBox* iterateStepsBox() const { return mIterateSteps; }
    ExportMenu* exportMenu() const { return mExport; }
    // What "Save Data as .npy" writes: z, R(z), the iterated path, the strips' sort key.
    QMap<QString, lx::Array> arrays() const;

public Q_SLOTS:
    void samplePrior(); // z := the prior sample of the seed box's seed
    void zero(); // z := 0
    void applyResponse(); // z := R(z), one step of the iteration by hand
    void refreshStrips(); // posts the traversal and iteration requests now

Q_SIGNALS:
    void probeShown();
    void stripsShown();
    void iteratedShown();
    void message(const QString& text);

private:
    // The value widgets saved in sessions, under their keys (sessionJson).
    ViewSettings viewSettings() const;
    void buildSliders(int latentSize);
    void onSlider(int dim, int value);
    void postProbe();
    void onLatest(const QString& key, quint64 seq, const QVariant& result);
    void onLatestFailed(const QString& key, quint64 seq, const QString& error);
    void showProbe(const LatentProbe& probe);
    void showStrips(const TraversalStrips& strips);
    void showIterated(const IteratedResponses& iterated);
    QString valueText(double v) const;

    ComputeController* mController;
    quint64 mGeneration = 0;
    quint64 mFirstSeq = 0;
    quint64 mLastProbeSeq = 0;
    quint64 mShownProbeSeq = 0;
    QVector<float> mZ;
    QVector<float> mMatrixDiagonal;
    LatentProbe mProbe;
    TraversalStrips mStrips;
    IteratedResponses mIterated;
    QTimer mStripTimer;

    QWidget* mSliderArea = nullptr;
    QGridLayout* mGrid = nullptr;
    QVector<QSlider*> mSliders;
    QVector<QLabel*> mValueLabels;
    QVector<QLabel*> mResponseLabels;
    QVector<ValueBar*> mBars;
    QSpinBox* mSeed = nullptr;
    QDoubleSpinBox* mRadius = nullptr;
    QSpinBox* mTraversalSteps = nullptr;
    QSpinBox* mIterateSteps = nullptr;
    QLabel* mTraversalNote = nullptr;
    ImageView* mImageView = nullptr;
    ImageView* mResponseView = nullptr;
    ImageStrips* mTraversals = nullptr;
    ImageStrips* mIterate = nullptr;
    ExportMenu* mExport = nullptr;
};

} // namespace lx::ui

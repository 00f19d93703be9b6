#pragma once
// PCA directions (GANSpace, Härkönen et al. 2020) in the Explore tab: the principal components of a
// layer's activations over N prior samples, carried back to the latent (lx::PcaDirections), as one
// slider per direction in units of its standard deviation; the preview shows x(z1 + sum s_k sigma_k u_k)
// and follows the drag (newest request wins). Directions can be named; the computation runs as a batch
// task with progress and Cancel.
#include "lx/PcaDirections.h"
#include "ui/compute/WorkerTypes.h"

#include <QVector>
#include <QWidget>

class QComboBox;
class QJsonObject;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QSpinBox;

namespace lx::ui {

class ComputeController;
class ImageView;
class TaskBar;

class DirectionsPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr int kTicksPerSigma = 10; // slider ticks per standard deviation
    static constexpr int kMaxSigma = 3;

    DirectionsPanel(ComputeController* controller, QWidget* parent);

    void setModel(const ModelSummary& summary);
    void setSeed(quint64 seed1, int class1 = -1); // z1 and, for a class-conditional model, its class

    const lx::PcaDirectionsResult& directions() const { return mDirections; }
    bool hasDirections() const { return !mDirections.sigma.empty(); }
    std::vector<double> amounts() const; // slider positions in standard deviations
    QStringList names() const;
    const QImage& previewImage() const { return mPreview; }
    QComboBox* layerBox() const { return mLayer; }
    QSpinBox* samplesBox() const { return mSamples; }
    QSpinBox* kBox() const { return mK; }
    QPushButton* computeButton() const { return mCompute; }
    TaskBar* taskBar() const { return mTasks; }
    QSlider* slider(int k) const { return mSliders.value(k); }
    QLineEdit* nameEdit(int k) const { return mNames.value(k); }

    // For the session's view object: layer, samples, components, names and slider amounts. Restoring
    // recomputes the directions (they are deterministic for the same model) and then sets the names and
    // amounts. An empty object (no directions computed) restores nothing.
    QJsonObject sessionJson() const;
    void restoreSessionJson(const QJsonObject& json);

public Q_SLOTS:
    void compute();
    void resetAmounts();

Q_SIGNALS:
    void directionsReady();
    void previewShown();
    void message(const QString& text);

private:
    void showDirections(const lx::PcaDirectionsResult& directions);
    void postPreview();

    ComputeController* mController;
    ModelSummary mSummary;
    bool mHasModel = false;
    quint64 mSeed1 = 1;
    int mClass1 = -1;
    lx::PcaDirectionsResult mDirections;
    QImage mPreview;
    quint64 mFirstSeq = 0;
    QStringList mPendingNames; // restored from a session, applied when the directions arrive
    std::vector<double> mPendingAmounts;

    QComboBox* mLayer = nullptr;
    QSpinBox* mSamples = nullptr;
    QSpinBox* mK = nullptr;
    QPushButton* mCompute = nullptr;
    QPushButton* mReset = nullptr;
    QLabel* mStatus = nullptr;
    QWidget* mSliderBox = nullptr;
    QVector<QSlider*> mSliders;
    QVector<QLabel*> mValueLabels;
    QVector<QLineEdit*> mNames;
    ImageView* mPreviewView = nullptr;
    TaskBar* mTasks = nullptr;
};

} // namespace lx::ui

Q_DECLARE_METATYPE(lx::PcaDirectionsResult)

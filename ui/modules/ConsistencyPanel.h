#pragma once
// The "Consistency over K" part of the modules panel (Besserve et al.'s criterion for choosing K):
// K range, a Compute button, progress and Cancel (TaskBar), and the ConsistencyPlot. The maps shown
// in the influence panel are set A; the task computes set B over as many pairs from the seeds right
// after A's, smooths and thresholds both as the modules panel does, and compares NMF with k-means.
#include "ui/modules/ModuleAssayTypes.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QSpinBox;

namespace lx::ui {

class ComputeController;
class ConsistencyPlot;
class TaskBar;

class ConsistencyPanel : public QWidget {
    Q_OBJECT
public:
    ConsistencyPanel(ComputeController* controller, QWidget* parent);

    // Whether a curve can be computed now (maps of >= 2 channels are shown); clears the curve when
    // `key` (the maps' identity) changed.
    void setAvailable(bool available, const QString& key, int channels);
    // Queues the task for `request` (mapsA etc. filled in by the modules panel).
    void start(const ConsistencyRequest& request, quint64 modelGeneration);

    bool isRunning() const;
    bool hasResult() const { return !mResult.points.empty(); }
    const ConsistencyData& result() const { return mResult; }
    QSpinBox* kMinBox() const { return mKMin; }
    QSpinBox* kMaxBox() const { return mKMax; }
    QPushButton* computeButton() const { return mCompute; }
    TaskBar* taskBar() const { return mTasks; }
    ConsistencyPlot* plot() const { return mPlot; }

Q_SIGNALS:
    void computeRequested();
    void message(const QString& text);

private:
    void showResult(const ConsistencyData& data);
    void updateState();

    ComputeController* mController;
    QString mKey;
    QString mJobKey;
    bool mAvailable = false;
    ConsistencyData mResult;
    QSpinBox* mKMin = nullptr;
    QSpinBox* mKMax = nullptr;
    QPushButton* mCompute = nullptr;
    TaskBar* mTasks = nullptr;
    ConsistencyPlot* mPlot = nullptr;
};

} // namespace lx::ui

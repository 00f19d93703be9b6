#pragma once
// The Codes tab's "Evaluate" page: action retrieval on N dataset pairs from a seed (lx::VqPairs::evaluate,
// a batch task with progress and Cancel in its TaskBar), then action and factor accuracy beside their
// chance levels, and the confusion heatmap (rows: true action with its accuracy, columns: predicted).
#include "ui/vq/VqTypes.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QSpinBox;

namespace lx::ui {

class ComputeController;
class ResponseMatrixPlot;
class TaskBar;

class VqEvaluatePanel : public QWidget {
    Q_OBJECT
public:
    VqEvaluatePanel(ComputeController* controller, QWidget* parent);

    void setModel(const VqModelInfo& info);
    void showResult(const VqEvaluationResult& result, const VqModelInfo& info);
    void clear();

    QSpinBox* pairsBox() const { return mPairs; }
    QSpinBox* seedBox() const { return mSeed; }
    QPushButton* evaluateButton() const { return mEvaluate; }
    TaskBar* taskBar() const { return mTasks; }
    ResponseMatrixPlot* confusionPlot() const { return mConfusion; }
    QString resultText() const;

Q_SIGNALS:
    void evaluateRequested(qint64 pairs, quint64 seed);

private:
    QSpinBox* mPairs = nullptr;
    QSpinBox* mSeed = nullptr;
    QPushButton* mEvaluate = nullptr;
    TaskBar* mTasks = nullptr;
    QLabel* mResult = nullptr;
    QLabel* mNote = nullptr;
    ResponseMatrixPlot* mConfusion = nullptr;
    bool mUsable = false;
};

} // namespace lx::ui

#pragma once
// Classifier robustness to module hybrids (Besserve et al.): for the modules found in the modules
// panel, N pairs (z1, z2) from seeds, and a classifier file (card kind "classifier"; the bundled
// models/fashion_classifier.pt is proposed for the bundled DCGAN), runs lx::RobustnessAssay on the
// worker and shows per module the fraction of hybrids that keep x(z1)'s class next to the fraction
// that take x(z2)'s (RobustnessPlot), optionally only over pairs whose originals differ in class.
#include "ui/modules/ModuleAssayTypes.h"
#include "ui/compute/WorkerTypes.h"
#include "ui/modules/ModuleTypes.h"

#include <QJsonObject>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace lx::ui {

class ComputeController;
class RobustnessPlot;
class TaskBar;
class ViewSettings;

class RobustnessView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kDefaultPairs = 128;

    RobustnessView(ComputeController* controller, QWidget* parent);

    // A newly loaded model: forgets the result; proposes the bundled classifier for the bundled model.
    void setModel(const ModelSummary& summary);
    // The modules to assay: `result` found at `layer` (k = 0: none yet).
    void setModules(int layer, const ModulesResult& result);
    // The classifier proposed for a model file: fashion_classifier.pt beside fashion_dcgan.pt, else "".
    static QString defaultClassifierFor(const QString& modelPath);

    bool isRunning() const;
    bool hasResult() const { return mHasResult; }
    const RobustnessData& result() const { return mResult; }
    QLineEdit* classifierEdit() const { return mClassifier; }
    QSpinBox* pairsBox() const { return mPairs; }
    QSpinBox* seedBox() const { return mSeed; }
    QCheckBox* differingBox() const { return mDiffering; }
    QPushButton* runButton() const { return mRun; }
    TaskBar* taskBar() const { return mTasks; }
    RobustnessPlot* plot() const { return mPlot; }
    QString summaryText() const;
    // Its part of the session's view object (ModuleAssaysView::sessionJson): classifier file, pairs,
    // first seed and the differing-classes filter.
    QJsonObject sessionJson() const;
    void restoreSessionJson(const QJsonObject& json);

public Q_SLOTS:
    void run();

Q_SIGNALS:
    void message(const QString& text);

private:
    // The value widgets saved in sessions, under their keys (sessionJson).
    ViewSettings viewSettings() const;
    void browse();
    void showResult();
    void updateState();

    ComputeController* mController;
    ModelSummary mSummary;
    bool mHasModel = false;
    int mLayer = -1;
    ModulesResult mModules;
    RobustnessData mResult;
    bool mHasResult = false;

    QLineEdit* mClassifier = nullptr;
    QPushButton* mBrowse = nullptr;
    QSpinBox* mPairs = nullptr;
    QSpinBox* mSeed = nullptr;
    QCheckBox* mDiffering = nullptr;
    QPushButton* mRun = nullptr;
    TaskBar* mTasks = nullptr;
    QLabel* mSummaryLabel = nullptr;
    RobustnessPlot* mPlot = nullptr;
};

} // namespace lx::ui

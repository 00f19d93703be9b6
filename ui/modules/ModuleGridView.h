#pragma once
// The module hybrid grid (Besserve et al.'s figure): rows z1 (seeds), columns z2 (seeds), and in each
// cell the hybrid that takes one module's channels from z2. The module comes from the modules panel
// (M1..MK at the modules' layer) or is typed as a channel list ("3, 5-9", "all" or empty) at any
// layer. Computed on the worker (lx::HybridGrid) with progress and Cancel; drawn by ModuleGridCanvas.
#include "ui/modules/ModuleAssayTypes.h"
#include "ui/compute/WorkerTypes.h"
#include "ui/modules/ModuleTypes.h"

#include <QJsonObject>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace lx::ui {

class ComputeController;
class FigureMenu;
class ModuleGridCanvas;
class TaskBar;
class ViewSettings;

class ModuleGridView : public QWidget {
    Q_OBJECT
public:
    ModuleGridView(ComputeController* controller, QWidget* parent);

    void setModel(const ModelSummary& summary);
    // Modules found at `layer` (k = 0: none); the module list follows them.
    void setModules(int layer, const ModulesResult& result);
    // Picks the module whose channels are exactly `channels`, if there is one.
    void selectModuleByChannels(const QVector<int>& channels);

    bool isRunning() const;
    bool hasResult() const { return mHasResult; }
    const ModuleGridData& result() const { return mResult; }
    // Its part of the session's view object (ModuleAssaysView::sessionJson): layer, channels, row and
    // column seeds and classes; restore keeps what a key lacks.
    QJsonObject sessionJson() const;
    void restoreSessionJson(const QJsonObject& json);

    QComboBox* moduleBox() const { return mModule; }
    QComboBox* layerBox() const { return mLayer; }
    QLineEdit* channelsEdit() const { return mChannels; }
    QLineEdit* rowsEdit() const { return mRows; }
    QLineEdit* colsEdit() const { return mCols; }
    QComboBox* rowClassBox() const { return mRowClass; }
    QComboBox* colClassBox() const { return mColClass; }
    QCheckBox* classFromDonorBox() const { return mClassFromDonor; }
    QPushButton* computeButton() const { return mCompute; }
    TaskBar* taskBar() const { return mTasks; }
    ModuleGridCanvas* canvas() const { return mCanvas; }
    // Export: Save Figure (PDF/SVG/PNG), Copy Figure, Save Data, Figure Options.
    FigureMenu* figureMenu() const { return mFigureMenu; }
    QString headingText() const;

public Q_SLOTS:
    void compute();

Q_SIGNALS:
    void message(const QString& text);

private:
    // The value widgets saved in sessions, under their keys (sessionJson).
    ViewSettings viewSettings() const;
    void rebuildModuleList();
    void onModuleChosen();
    void updateState();
    bool customChannels() const;

    ComputeController* mController;
    ModelSummary mSummary;
    bool mHasModel = false;
    int mModulesLayer = -1;
    ModulesResult mModules;
    ModuleGridData mResult;
    bool mHasResult = false;

    QComboBox* mModule = nullptr;
    QComboBox* mLayer = nullptr;
    QLineEdit* mChannels = nullptr;
    QLineEdit* mRows = nullptr;
    QLineEdit* mCols = nullptr;
    // Class-conditional models: the rows' class, the columns' class, and the class after the cut.
    QComboBox* mRowClass = nullptr;
    QComboBox* mColClass = nullptr;
    QCheckBox* mClassFromDonor = nullptr;
    QWidget* mClassRow = nullptr;
    QPushButton* mCompute = nullptr;
    TaskBar* mTasks = nullptr;
    QLabel* mHeading = nullptr;
    ModuleGridCanvas* mCanvas = nullptr;
    FigureMenu* mFigureMenu = nullptr;
};

} // namespace lx::ui

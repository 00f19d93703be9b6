#pragma once
// The "Module assays" tab of the main window (Besserve et al.): the module hybrid grid and classifier
// robustness to module hybrids, as two sub-tabs. Both follow the loaded model (setModel) and the
// modules the modules panel found (ModulesPanel::modulesForLayer).
#include <QJsonObject>
#include <QWidget>

class QTabWidget;

namespace lx::ui {

class ComputeController;
class ModuleGridView;
class ModulesPanel;
class RobustnessView;
struct ModelSummary;

class ModuleAssaysView : public QWidget {
    Q_OBJECT
public:
    ModuleAssaysView(ComputeController* controller, ModulesPanel* modules, QWidget* parent);

    // A newly loaded generator: both assays forget their results; the robustness assay proposes a
    // classifier. Called with the other views, before a session's view settings are applied.
    void setModel(const ModelSummary& summary);

    // The session's view object key "module_assays": the sub-tab and both assays' settings.
    QJsonObject sessionJson() const;
    void restoreSessionJson(const QJsonObject& json);

    ModuleGridView* gridView() const { return mGrid; }
    RobustnessView* robustnessView() const { return mRobustness; }
    QTabWidget* tabs() const { return mTabs; }
    void showGrid();
    void showRobustness();

Q_SIGNALS:
    void message(const QString& text);

private:
    QTabWidget* mTabs = nullptr;
    ModuleGridView* mGrid = nullptr;
    RobustnessView* mRobustness = nullptr;
};

} // namespace lx::ui

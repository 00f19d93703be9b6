#pragma once
// Dock panel for module discovery (Besserve et al.): method (NMF / k-means), K, smoothing sigma,
// threshold quantile and seed; "Find modules" (Ctrl+M) runs a small job on the worker with the
// influence maps the InfluencePanel shows. Shows the templates and module influence maps
// (ModulePlot), a channel-to-module table and the error. Clicking a module (heatmap or table row)
// asks for its channels to be selected, so the hybrid swaps that module. After each result a task on
// the worker computes the real module influence maps (InfluenceEngine::groupMap, the whole module
// swapped, over the same pairs as the maps; for maps opened from a file, over as many seeded pairs).
// A second tab holds the consistency-over-K curve (ConsistencyPanel).
#include "lx/Session.h"
#include "ui/compute/TaskHandle.h"
#include "ui/compute/WorkerTypes.h"
#include "ui/modules/ModuleTypes.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

class QAction;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTabWidget;

namespace lx::ui {

class ComputeController;
class ConsistencyPanel;
class ModulePlot;

class ModulesPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr int kDefaultK = 3; // ours; the paper's K = 3 for faces is unverified

    ModulesPanel(ComputeController* controller, QWidget* parent);

    // The influence maps to work on (an empty result: none, and "Find modules" is disabled). Shows
    // the last modules found for these maps, if any.
    void setMaps(const InfluenceResult& maps);
    // Marks the module whose channels are exactly `channels` (if one is); emits nothing.
    void setSelectedChannels(const QVector<int>& channels);

    bool isRunning() const { return mJob != nullptr; }
    TaskHandle* currentJob() const { return mJob; } // module discovery while it runs, else nullptr
    // The influence maps the modules are found in, and their layer (-1: none).
    const InfluenceResult& maps() const { return mMaps; }
    int mapsLayer() const { return mMaps.isEmpty() ? -1 : mMaps.layer; }
    bool groupMapsRunning() const { return mGroupJob != nullptr; }
    bool hasResult() const { return mResult.k > 0; }
    const ModulesResult& result() const { return mResult; }
    QString statusText() const;

    QAction* findAction() const { return mFindAction; }
    QPushButton* findButton() const { return mFind; }
    // The discovery settings (method, K, smoothing, threshold, seed), as a session keeps them.
    lx::ModuleSettings settings() const;
    void setSettings(const lx::ModuleSettings& settings);
    // The modules found for `layer` (the channels of each), or none.
    QVector<QVector<int>> modulesOf(int layer) const;

    QSpinBox* kBox() const { return mK; }
    QDoubleSpinBox* sigmaBox() const { return mSigma; }
    QDoubleSpinBox* thresholdBox() const { return mThreshold; }
    QSpinBox* seedBox() const { return mSeed; }
    QComboBox* methodBox() const { return mMethod; }
    QTableWidget* table() const { return mTable; }
    ModulePlot* plot() const { return mPlot; }
    ConsistencyPanel* consistencyPanel() const { return mConsistency; }
    QTabWidget* tabs() const { return mTabs; }

public Q_SLOTS:
    void findModules();
    void selectModule(int module); // emits channelsRequested with its members

Q_SIGNALS:
    void channelsRequested(const QVector<int>& channels);
    void resultChanged(const lx::ui::ModulesResult& result);
    // The modules now shown and the layer of their maps; an empty result (k = 0) when none are.
    void modulesForLayer(int layer, const lx::ui::ModulesResult& result);
    void message(const QString& text);

private:
    void onResult(const lx::ui::ModulesResult& result);
    void watchEnd(TaskHandle* task);
    void onEnded(TaskHandle* task, const QString& error);
    void showResult(const ModulesResult& result);
    void clearResult();
    void highlight(int module);
    void updateState();
    static QString mapsKey(const InfluenceResult& maps);
    QString resultKey() const;
    void startGroupMaps();
    void onGroupMaps(const QVariant& result);
    void startConsistency();

    ComputeController* mController;
    InfluenceResult mMaps;
    QString mMapsKey;
    ModulesResult mResult;
    QHash<QString, ModulesResult> mByMaps; // the last result for each set of maps
    QPointer<TaskHandle> mJob;
    QString mJobKey;

    QComboBox* mMethod = nullptr;
    QSpinBox* mK = nullptr;
    QDoubleSpinBox* mSigma = nullptr;
    QDoubleSpinBox* mThreshold = nullptr;
    QSpinBox* mSeed = nullptr;
    QPushButton* mFind = nullptr;
    QLabel* mStatus = nullptr;
    ModulePlot* mPlot = nullptr;
    QTableWidget* mTable = nullptr;
    QAction* mFindAction = nullptr;
    QTabWidget* mTabs = nullptr;
    ConsistencyPanel* mConsistency = nullptr;
    QPointer<TaskHandle> mGroupJob;
    QString mGroupJobKey;
    QHash<QString, QVector<float>> mGroupMaps; // per result: the module influence maps
};

} // namespace lx::ui

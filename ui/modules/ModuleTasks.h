#pragma once
// The core computations behind the module assays (HybridGrid, RobustnessAssay, ModuleConsistency,
// InfluenceEngine::groupMap) as task bodies for Task::onModel. Each runs on the worker
// thread with the loaded model and returns a ModuleAssayTypes value in a QVariant; the compute*
// functions are the same without the QVariant (they throw lx::Error / lx::Cancelled).
#include "ui/compute/Task.h"
#include "ui/modules/ModuleAssayTypes.h"
#include "ui/compute/WorkerTypes.h"
#include "ui/modules/ModuleTypes.h"

namespace lx {
class Model;
}

namespace lx::ui {

class ModuleTasks {
public:
    static constexpr int kMaxGridSide = 32; // seeds per grid axis
    static constexpr int kMaxPairs = 1 << 15;

    static TaskBody gridTask(ModuleGridRequest request);
    static TaskBody robustnessTask(RobustnessRequest request);
    static TaskBody consistencyTask(ConsistencyRequest request);
    static TaskBody groupMapsTask(GroupMapsRequest request);
    // Modules of job.maps, as a model-free task (Task::modelFree); its result is a
    // ModulesResult (id left 0: the receiver knows the task id). Throws lx::Cancelled or lx::Error
    // (e.g. k larger than the channels).
    static FreeTaskBody modulesTask(ModulesJob job);
    static ModulesResult computeModules(const ModulesJob& job, const lx::CancelToken* cancel);

    static ModuleGridData computeGrid(lx::Model& model, const ModuleGridRequest& request,
                                      const lx::ProgressFn& progress, const lx::CancelToken* cancel);
    static RobustnessData computeRobustness(lx::Model& model, const RobustnessRequest& request,
                                            const lx::ProgressFn& progress, const lx::CancelToken* cancel);
    static ConsistencyData computeConsistency(lx::Model& model, const ConsistencyRequest& request,
                                              const lx::ProgressFn& progress, const lx::CancelToken* cancel);
    static GroupMapsData computeGroupMaps(lx::Model& model, const GroupMapsRequest& request,
                                          const lx::ProgressFn& progress, const lx::CancelToken* cancel);

    // "0-4, 7" -> {0, 1, 2, 3, 4, 7}. Returns false with a one-line `error` for bad text, an empty
    // list or more than `maxCount` values.
    static bool parseSeeds(const QString& text, int maxCount, QVector<quint64>* seeds, QString* error);
    // Channel lists for the grid: "all", "" (none), or "3, 5-9"; every channel below `channelCount`.
    static bool parseChannels(const QString& text, int channelCount, QVector<int>* channels, QString* error);
};

} // namespace lx::ui

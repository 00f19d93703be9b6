#pragma once
// The CGN mixer's computations as model-free task bodies (Task::modelFree, batch or latest): the lx::CgnModel they use is kept alive by the std::shared_ptr in CgnModelInfo,
// which each body captures, so the model is only ever used on the worker thread. Each body returns a
// CgnTypes value in a QVariant and throws lx::Error / lx::Cancelled like any task.
#include "ui/compute/Task.h"
#include "ui/cgn/CgnTypes.h"
#include "ui/compute/WorkerTypes.h"

namespace lx {
struct LoadOptions;
}

namespace lx::ui {

class CgnTasks {
public:
    // Loads a model of kind "cgn" (lx::CgnModel::load) -> CgnModelInfo.
    static FreeTaskBody load(const QString& path, const lx::LoadOptions& options);
    // One image with its mechanisms -> CgnFrame.
    static FreeTaskBody render(const CgnModelInfo& info, const lx::CgnRequest& request);
    // The counterfactual grid (one batch) -> CgnGridData.
    static FreeTaskBody grid(const CgnModelInfo& info, const CgnGridRequest& request);
    // A counterfactual dataset (lx::CgnDataset) with progress and Cancel -> CgnExportResult.
    static FreeTaskBody exportDataset(const CgnModelInfo& info, const CgnExportRequest& request);

    // Sample `index` of rendered images as display images (premask min-max normalised, mask [0, 1],
    // the rest in [low, high]); `raw` is left empty.
    static CgnFrame frame(const lx::CgnImages& images, int64_t index, double low, double high);
};

} // namespace lx::ui

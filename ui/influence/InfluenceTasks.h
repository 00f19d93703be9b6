#pragma once
// Influence maps of a layer (lx::InfluenceEngine over seed pairs) as a task on the compute worker.
#include "lx/Progress.h"
#include "ui/compute/Task.h"
#include "ui/compute/WorkerTypes.h"

namespace lx {
class Model;
}

namespace lx::ui {

class ComputeController;
class TaskHandle;

// Elementary influence maps of every channel of `layer` (Besserve et al.), over `pairs` latent
// pairs drawn from seeds firstSeed .. firstSeed + 2*pairs - 1 (pair i = (z[i], z[pairs + i])).
struct InfluenceJob {
    int layer = 0;
    int pairs = 64;
    quint64 firstSeed = 0;
    quint64 modelGeneration = 0; // the model the job was made for (0: whatever is loaded)
};

class InfluenceTasks {
public:
    // Most pairs one job may ask for (the latents alone are 2 * pairs rows).
    static constexpr int kMaxPairs = 65536;

    // EIMs of every channel of job.layer, with the model's path and job.modelGeneration. Throws
    // lx::Cancelled when `cancel` is set, lx::Error for a bad layer or pair count.
    static InfluenceResult computeMaps(lx::Model& model, const InfluenceJob& job, const lx::ProgressFn& progress,
                                       const lx::CancelToken* cancel);
    // The same as a task body; its result is an InfluenceResult (id left 0: the receiver knows the task id).
    static TaskBody mapsTask(InfluenceJob job);
    // Runs mapsTask(job) for job.modelGeneration on `controller`.
    static TaskHandle* start(ComputeController& controller, const InfluenceJob& job);
};

} // namespace lx::ui

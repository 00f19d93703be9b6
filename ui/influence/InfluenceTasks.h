#pragma once
// The computations behind the worker's batch jobs, as plain functions of their job values: influence
// maps of a layer (lx::InfluenceEngine) and module discovery (lx::Nmf / lx::KMeans after
// lx::EimPreprocess). They run on the worker thread; ComputeWorker turns their outcome (a result,
// lx::Cancelled or an error) into signals.
#include "lx/Array.h"
#include "lx/Progress.h"
#include "ui/compute/WorkerTypes.h"

namespace lx {
class Model;
}

namespace lx::ui {

class BatchJobs {
public:
    // Most pairs one job may ask for (the latents alone are 2 * pairs rows).
    static constexpr int kMaxPairs = 65536;

    // EIMs of every channel of job.layer. Throws lx::Cancelled when job.cancel is set, lx::Error
    // for a bad layer or pair count. The result's model fields are left for the caller.
    static InfluenceResult influence(lx::Model& model, const InfluenceJob& job,
                                     const lx::ProgressFn& progress);

    // Modules of job.maps. Throws lx::Cancelled or lx::Error (e.g. k larger than the channels).
    static ModulesResult modules(const ModulesJob& job);
};

} // namespace lx::ui

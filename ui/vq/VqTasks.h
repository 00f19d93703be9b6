#pragma once
// The Codes tab's computations as model-free task bodies (Task::modelFree, batch or latest): the lx::VqModel and the dataset they use are kept alive by the std::shared_ptrs in
// VqModelInfo, which each body captures, so the model is only ever used on the worker thread. Each body
// returns a VqTypes value in a QVariant and throws lx::Error / lx::Cancelled like any task.
#include "ui/compute/Task.h"
#include "ui/vq/VqTypes.h"
#include "ui/compute/WorkerTypes.h"

namespace lx {
struct LoadOptions;
}

namespace lx::ui {

class VqTasks {
public:
    // Loads a model of kind "vqvae" (lx::VqModel::load) and the dataset its card names (else lx-shapes
    // when the model takes [1, 64, 64] images) -> VqModelInfo.
    static FreeTaskBody load(const QString& path, const lx::LoadOptions& options);
    // The codes and images of a state -> VqFrame.
    static FreeTaskBody render(const VqModelInfo& info, const VqViewState& state);
    // The adjacency of one action (or lx::VqModel::kIdentity) -> VqAdjacencyData.
    static FreeTaskBody adjacency(const VqModelInfo& info, int action);
    // p(a | x, y) for dataset images x = source, y = target -> VqRetrievalData.
    static FreeTaskBody retrieval(const VqModelInfo& info, qint64 source, qint64 target);
    // Action and factor accuracy on `pairs` dataset pairs from `seed`, with progress and Cancel
    // -> VqEvaluationResult.
    static FreeTaskBody evaluate(const VqModelInfo& info, qint64 pairs, quint64 seed);

    // Sets `info.dataset` (null: none) with its note and whether action retrieval can use it (the model
    // has a transition, A = 2F of the dataset's factors, the card's factors are the dataset's names).
    // Reads only the dataset's and the card's names and shapes: safe on the UI thread.
    static void attachDataset(VqModelInfo& info, std::shared_ptr<const lx::FactorDataset> dataset);
    // The codes [1, B, h, w] a dataset-less source stands for: SplitMix64(seed), one code per node.
    static lx::Array randomCodes(const VqModelInfo& info, quint64 seed);
    // How many images of a trajectory the strip keeps: the start and the newest steps.
    static constexpr int kMaxTrajectory = 12;
};

} // namespace lx::ui

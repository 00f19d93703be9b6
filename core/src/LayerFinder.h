#pragma once
// Finds a model's layers: every submodule call of its generating method's TorchScript graph
// (lx::ModelGraph). Shapes come from one run on
// sample latents; each cut (lx::GraphCut) is checked numerically against the model's own output when it
// is first used. Calls that cannot be layers are reported with a reason.
#include "ModelImpl.h"

namespace lx {

class LayerFinder {
public:
    static void discover(Model::Impl& model);
    // The cut at graph layer `layer`, checked: prefix then suffix reproduces the model's output on the
    // sample latents, also when the suffix batch regroups the samples. Throws lx::Error otherwise.
    static std::unique_ptr<GraphCut> checkedCut(Model::Impl& model, int layer, bool classAfterCut = false);
};

} // namespace lx

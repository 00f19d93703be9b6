#pragma once
// Finds a model's layers (model contract v1): the lx_* method protocol when the model declares it,
// else a plain nn.Sequential in the module tree whose composition reproduces the model's output.
// Every candidate is checked numerically on sample latents; rejected ones are reported with a reason.
#include "ModelImpl.h"

namespace lx {

class LayerFinder {
public:
    static void discover(Model::Impl& model);
};

} // namespace lx

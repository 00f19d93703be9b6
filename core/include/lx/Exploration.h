#pragma once
// lx::Exploration: the hybrid workbench's exploration views (issue 5) in core: latent interpolation
// between z1 and z2 (linear, or spherical as is usual for Gaussian latents), and "the workbench's
// transform" of a batch of latents: every z gets what the hybrid view does to z1 (the layer's edit when
// it has one, else the selected channels taken from the donor), so a sample grid or an interpolation
// shows the same intervention on many samples.
#include "lx/Array.h"
#include "lx/LayerEdit.h"
#include "lx/Progress.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lx {

class Model;

enum class Interpolation { Linear, Spherical };

class Exploration {
public:
    // `steps` latents from z1 to z2 (both [*shape] or [1, *shape], the same shape), t_i = i / (steps - 1):
    // [steps, *shape]. The first row is z1 and the last z2 exactly. Linear: (1-t) z1 + t z2. Spherical:
    // slerp on the flattened vectors, sin((1-t)w)/sin(w) z1 + sin(tw)/sin(w) z2 with w the angle between
    // them (linear where w < 1e-6: the formula's limit). Throws lx::Error for steps < 2, other shapes, a
    // zero vector (spherical) or NaN/Inf.
    static Array interpolate(const Array& z1, const Array& z2, int64_t steps, Interpolation mode);
    // One point of the path at t in [0, 1] (the same formulas): [1, *shape].
    static Array at(const Array& z1, const Array& z2, double t, Interpolation mode);
    static std::string modeName(Interpolation mode);              // "linear", "spherical"
    static Interpolation modeFromName(const std::string& name);   // throws lx::Error listing the names

    // Images of latents z [N, *latent_shape] under the workbench's transform at `layer`: the `edit` when
    // it is not the identity (its copy-from-donor takes values from `donor`), else `channels` taken from
    // the donor (HybridEngine::hybrid). `donor` is [1, *latent_shape] (shared by every row) or [N, ...].
    // An identity edit with no channels gives generate(z) exactly. Computed in chunks of 64; progress
    // counts images; throws lx::Cancelled when cancelled and lx::Error for bad inputs.
    static Array transformed(Model& model, int layer, const Array& z, const Array& donor,
                             const std::vector<int>& channels, const LayerEdit& edit,
                             const ProgressFn& progress = {}, const CancelToken* cancel = nullptr);
};

} // namespace lx

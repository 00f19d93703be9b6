#pragma once
// lx::Exploration: the hybrid workbench's exploration views in core: latent interpolation
// between z1 and z2 (linear, or spherical as is usual for Gaussian latents), and "the workbench's
// transform" of a batch of latents: every z gets what the hybrid view does to z1 (the layer's edit when
// it has one, else the selected channels taken from the donor), so a sample grid or an interpolation
// shows the same intervention on many samples.
#include "lx/Array.h"
#include "lx/HybridEngine.h"
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
    // The class path of a one-hot class-conditional model from class c1 to class c2 of K: class weights
    // (1 - t) e_c1 + t e_c2 at t_i = i / (steps - 1), [steps, K] (first row e_c1, last e_c2 exactly), and
    // one point of it, [1, K]. Throws lx::Error for a class outside [0, K), steps < 2 or t outside [0, 1].
    static Array classPath(int64_t classCount, int64_t c1, int64_t c2, int64_t steps);
    static Array classAt(int64_t classCount, int64_t c1, int64_t c2, double t);
    static std::string modeName(Interpolation mode); // "linear", "spherical"
    static Interpolation modeFromName(const std::string& name); // throws lx::Error listing the names

    // Images of latents z [N, *latent_shape] under the workbench's transform at `layer`: the `edit` when
    // it is not the identity (its copy-from-donor takes values from `donor`), else `channels` taken from
    // the donor (HybridEngine::hybrid). `donor` is [1, *latent_shape] (shared by every row) or [N, ...].
    // An identity edit with no channels gives generate(z) exactly. Computed in chunks of 64; progress
    // counts images; throws lx::Cancelled when cancelled and lx::Error for bad inputs. A class-conditional
    // model takes the rows' classes in classes.base (one per row) and the donor's in classes.donor (one,
    // or one per row), as class indices or, for a one-hot model, class weights.
    static Array transformed(Model& model, int layer, const Array& z, const Array& donor,
                             const std::vector<int>& channels, const LayerEdit& edit, const ProgressFn& progress = {},
                             const CancelToken* cancel = nullptr, const ClassInputs& classes = {});
};

} // namespace lx

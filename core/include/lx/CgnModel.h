#pragma once
// lx::CgnModel: a Counterfactual Generative Network (Sauer & Geiger, ICLR 2021) with a card of kind
// "cgn" (models/CONTRACT.md). The TorchScript file exports three mechanisms, each taking noise
// u [N, latent] and class weights y [N, classes] (a one-hot row, or a mix of two for interpolation):
//   premask(u, y) -> [N, 1, H, W]   f_shape's output before clamping
//   foreground(u, y) -> [N, 3, H, W] f_text's output before the shuffler
//   background(u, y) -> [N, 3, H, W] f_bg's output before the shuffler
// The tool does the rest, as the paper does: mask m = clamp(premask, mask_clamp) (no sigmoid), the
// "shuffler" on foreground and background when the card asks for it (tile 2x2 and crop, which is a
// circular shift by an offset drawn from the mechanism's seed), and x = m*f + (1-m)*b.
// A CgnModel is used from one thread at a time.
#include "lx/Array.h"
#include "lx/Card.h"
#include "lx/Model.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace lx {

// One mechanism's input: noise from `seed` (LatentSampler), class weights (1-mix)*onehot(classA) +
// mix*onehot(classB).
struct CgnMechanismInput {
    int classA = 0;
    int classB = 0;
    double mix = 0.0; // 0 = classA, 1 = classB
    uint64_t seed = 0;
};

// One image: the three mechanisms' inputs.
struct CgnRequest {
    CgnMechanismInput shape;
    CgnMechanismInput texture;
    CgnMechanismInput background;
};

// Everything the mixer shows, in the model's units (output_range); N = number of requests.
struct CgnImages {
    Array premask; // [N, 1, H, W] before clamping
    Array mask; // [N, 1, H, W] clamped to mask_clamp
    Array foreground; // [N, 3, H, W] after the shuffler (when the card enables it)
    Array background; // [N, 3, H, W] after the shuffler
    Array composite; // [N, 3, H, W] = mask*foreground + (1-mask)*background
};

class CgnModel {
public:
    // Loads a model file of kind "cgn" (embedded card, else sidecar <path>.json) and probes each method
    // once (shapes [N,1,H,W] / [N,3,H,W] that agree with output_shape). Throws lx::Error with a one-line
    // message: missing file, not TorchScript, no card, another kind, a missing method, wrong shapes.
    static std::unique_ptr<CgnModel> load(const std::string& path, const LoadOptions& options = {});
    ~CgnModel();
    CgnModel(const CgnModel&) = delete;
    CgnModel& operator=(const CgnModel&) = delete;

    const std::string& path() const;
    const Card& card() const;
    int classCount() const; // card().classes.size()
    int64_t latentSize() const; // noise size per mechanism
    const std::vector<int64_t>& imageShape() const; // [3, H, W]
    std::string deviceName() const;

    // Renders a batch (any size; computed in chunks). Throws lx::Error for a class index out of range
    // or a mix outside [0, 1], naming the mechanism.
    CgnImages render(const std::vector<CgnRequest>& requests);

    // The paper's non-counterfactual pass on explicit inputs: all three mechanisms on the same noise u
    // [N, latent] and class weights y [N, classes] (any weights), mask clamped, NO shuffler (foreground
    // and background as the methods return them), composite of those. For port tests against a
    // reference and for callers that bring their own noise. Throws lx::Error for other shapes, NaN/Inf.
    CgnImages renderShared(const Array& u, const Array& y);

    // The composite alone, x = m*f + (1-m)*b with m [N,1,H,W] broadcast over colour; exact (no clamping
    // here). Throws lx::Error for mismatched shapes.
    static Array composite(const Array& mask, const Array& foreground, const Array& background);
    // The shuffler's circular shift (dy, dx) for a seed, each in [0, H) and [0, W).
    static std::pair<int, int> shuffleOffset(uint64_t seed, int height, int width);

private:
    CgnModel();
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace lx

#pragma once
// Counterfactual hybridization (Besserve et al., ICLR 2020): for pairs (z1, z2), a layer L and a
// channel set E, the output of L for the channels in E is taken from z2's pass and the rest from z1's,
// and the forward pass continues from L. The activations of L for z1 and z2 (the prefix) are cached, so
// changing E only recomputes the layers after L.
#include "lx/Array.h"
#include "lx/LayerEdit.h"

#include <memory>
#include <vector>

namespace lx {

class Model;

class HybridEngine {
public:
    explicit HybridEngine(Model& model);
    ~HybridEngine();
    HybridEngine(const HybridEngine&) = delete;
    HybridEngine& operator=(const HybridEngine&) = delete;

    // Sets the layer and the pairs (z1[i], z2[i]); z1 and z2 are [N, *latent_shape]. Runs the prefix
    // (up to L) and the un-intervened suffixes only when layer or latents changed. Returns true when
    // it had to recompute.
    // A class-conditional model (card class_input) takes one class index per latent in c1 and c2.
    bool setInputs(int layer, const Array& z1, const Array& z2, const Array& c1 = Array(), const Array& c2 = Array());
    // Which pass's class conditions the layers after the cut of a class-conditional model: the base's
    // (z1's, the default) or the donor's (Besserve et al.'s cross-class hybrids: the donor's class
    // embedding and class input, z1's everything else). Takes effect at the next hybrid().
    enum class ClassSource { Base, Donor };
    void setClassSource(ClassSource source);

    // Hybrids for the current inputs: [N, *outputShape]. An empty set gives x(z1) exactly; all
    // channels give x(z2) exactly. Throws lx::Error for a channel outside [0, C).
    Array hybrid(const std::vector<int>& channels);

    // Images for the current inputs with `edit` applied to layer L's output for z1 (CopyDonor takes
    // values from z2's output): [N, *outputShape]. Only the layers after L run. An identity edit gives
    // x(z1) exactly; CopyDonor of a channel set without a mask gives hybrid(channels) exactly. Throws
    // lx::Error for a bad edit (channel out of range, bad mask, a spatial mask on a flat layer).
    Array intervene(const LayerEdit& edit);

    Array original1() const; // x(z1), [N, *outputShape]
    Array original2() const; // x(z2)
    Array activations1() const; // layer L's output for z1, [N, *layerShape]
    int layer() const;
    int64_t channelCount() const;
    double lastPrefixMs() const; // time of the last prefix pass (0 when it was cached)
    double lastSuffixMs() const; // time of the last hybrid() suffix pass

    // Convenience for the CLI: Z holds 2N latents, pair i is (Z[i], Z[N+i]). Streams over chunks of
    // pairs so memory stays bounded. Returns [N, *outputShape].
    static Array hybridPairs(Model& model, int layer, const std::vector<int>& channels, const Array& latents,
                             int64_t chunkPairs = 64, const Array& classes = Array());

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// The classes of a class-conditional model's base samples and donors (card class_input) for the views
// that run many hybrids (HybridGrid, Exploration::transformed): class indices [N] (or, for a one-hot
// model, class weights [N, K]) of each, and which conditions the layers after the cut. Empty for an
// unconditional model.
struct ClassInputs {
    Array base, donor;
    HybridEngine::ClassSource afterCut = HybridEngine::ClassSource::Base;
    // From class index lists (empty lists: no classes), e.g. a FigureSpec's row and column classes.
    static ClassInputs of(const std::vector<int>& base, const std::vector<int>& donor, bool fromDonor);
};

} // namespace lx

#pragma once
// lx::Classifier: a TorchScript image classifier with a card of kind "classifier" (models/CONTRACT.md):
// forward(images [N, *input_shape] in input_range) -> logits [N, classes]. Used by the hybrid
// robustness assay (Besserve et al.): are hybrids still assigned the class of the sample they keep?
// A Classifier is used from one thread at a time.
#include "lx/Array.h"
#include "lx/Card.h"

#include <memory>
#include <string>
#include <vector>

namespace lx {

class Classifier {
public:
    // Loads a classifier file and its card (embedded latent_explorer.json, else sidecar <path>.json)
    // onto `device` ("cpu", "cuda", "cuda:0"; e.g. Model::deviceName()). Probes it once: the logits
    // must be [N, classes]. Throws lx::Error with a one-line message: missing file, not TorchScript,
    // no card, a card of another kind, logits of the wrong shape.
    static std::unique_ptr<Classifier> load(const std::string& path, const std::string& device = "cpu");
    ~Classifier();
    Classifier(const Classifier&) = delete;
    Classifier& operator=(const Classifier&) = delete;

    const std::string& path() const;
    const Card& card() const;
    int classCount() const;
    const std::vector<int64_t>& inputShape() const;

    // Throws lx::Error unless images of per-sample shape `imageShape` fit input_shape exactly.
    void requireImageShape(const std::vector<int64_t>& imageShape) const;
    // Logits [N, classes] for images [N, *input_shape] whose values lie in [imageLow, imageHigh] (a
    // generator's output_range); they are mapped linearly onto the card's input_range first (no
    // clamping). Runs in batches of at most 256. Throws lx::Error for a shape mismatch, NaN/Inf
    // images or NaN/Inf logits.
    Array logits(const Array& images, double imageLow, double imageHigh);
    // argmax of each row of logits [N, K] (the first maximum on ties).
    static std::vector<int> argmax(const Array& logits);
    // Softmax probability of each row's argmax class.
    static std::vector<double> confidence(const Array& logits);

private:
    Classifier();
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace lx

#pragma once
// Classifier robustness to module hybrids (Besserve et al., ICLR 2020): for pairs (z1, z2) and each
// module E of a layer, the hybrid takes E from z2 and the rest from z1 (z1 keeps the object and
// receives the module). The assay counts how often a classifier still assigns the hybrid the class
// it assigns x(z1) ("kept"), and how often the class of x(z2) ("donor"); also restricted to pairs
// whose originals get different classes, where the two are exclusive. Pairs follow CLI contract v1:
// latents Z hold 2N rows and pair i is (Z[i], Z[N+i]). Streams over chunks of pairs.
#include "lx/Array.h"
#include "lx/Progress.h"

#include <cstdint>
#include <vector>

namespace lx {

class Classifier;
class Model;

struct ModuleRobustness {
    int module = 0;
    std::vector<int> channels; // ascending
    int64_t pairs = 0; // n
    int64_t kept = 0; // hybrids classified as x(z1) was
    int64_t donor = 0; // hybrids classified as x(z2) was
    int64_t differingPairs = 0; // pairs whose originals get different classes
    int64_t keptDiffering = 0; // ... of which the hybrid keeps x(z1)'s class
    int64_t donorDiffering = 0; // ... of which the hybrid takes x(z2)'s class

    double keptFraction() const { return ratio(kept, pairs); }
    double donorFraction() const { return ratio(donor, pairs); }
    double keptFractionDiffering() const { return ratio(keptDiffering, differingPairs); }
    double donorFractionDiffering() const { return ratio(donorDiffering, differingPairs); }
    static double ratio(int64_t a, int64_t b) { return b > 0 ? double(a) / double(b) : 0.0; }
};

// What the classifier makes of the un-intervened samples x(z1), x(z2) of the pairs.
struct OriginalsSummary {
    int64_t pairs = 0;
    int64_t sameClassPairs = 0; // x(z1) and x(z2) get the same class
    std::vector<int64_t> classCounts; // predicted class of all 2N originals
    double meanConfidence = 0.0; // mean softmax probability of the predicted class
    double confidenceSum = 0.0; // its sum over the 2N originals (what shards of a job add up)
};

struct RobustnessResult {
    int layer = -1;
    std::vector<ModuleRobustness> modules; // one per module index 0..max(assignment)
    OriginalsSummary originals;
    double computeMs = 0.0;
};

struct RobustnessOptions {
    int64_t pairChunk = 32; // pairs whose prefix is computed together (memory stays bounded)
    // A class-conditional model (card class_input): one class index per latent (pair i is classes
    // (C[i], C[N+i]), as the latents), and whether the layers after the cut take z2's class.
    Array classes;
    bool classFromDonor = false;
};

class RobustnessAssay {
public:
    // assignment: the module of each channel of `layer` (-1 = in no module); modules are numbered
    // 0..max. The generator's images are mapped from its output_range to the classifier's
    // input_range. Progress counts pairs. Throws lx::Error for an assignment whose length is not the
    // layer's channel count, no module, odd or too few latents, or a classifier that does not fit the
    // generator's images; lx::Cancelled when cancelled.
    static RobustnessResult run(Model& model, Classifier& classifier, int layer, const std::vector<int>& assignment,
                                const Array& latents, const RobustnessOptions& options = {},
                                const ProgressFn& progress = {}, const CancelToken* cancel = nullptr);
    // Channels of each module 0..max(assignment).
    static std::vector<std::vector<int>> modulesOf(const std::vector<int>& assignment);
};

} // namespace lx

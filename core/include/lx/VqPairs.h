#pragma once
// lx::VqPairs: action pairs of a dataset with known factors, and action retrieval scored on them
// (CT-VAE, Gendron, Witbrock & Dobbie, IJCAI 2023; models/CONTRACT.md, kind "vqvae").
//
// Actions follow the paper's convention (datasets/transition.py): with F factors there are A = 2F
// actions; action f (f < F) steps factor f by +1, action F + f steps it by -1; the factor of action a is
// a mod F. A pair is (base image, the image with one factor stepped by one); the step never wraps
// around (not even for orientation): a factor at its last value is never stepped up, at 0 never down.
//
// generate() draws each pair from SplitMix64(seed), in order: the action uniformly among the actions
// whose factor has at least two values, then every factor's base value uniformly among the values that
// allow the step (all values for the other factors). The same (dataset, count, seed) gives the same
// pairs on every machine.
#include "lx/Array.h"
#include "lx/FactorDataset.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace lx {

class VqModel;

struct VqPairSet {
    std::vector<int64_t> base; // flat dataset indices of x
    std::vector<int64_t> stepped; // flat dataset indices of y (base with one factor stepped)
    std::vector<int> actions; // the true action of each pair, in [0, 2F)
    int64_t size() const { return static_cast<int64_t>(base.size()); }
};

// Action retrieval scored against true actions.
struct VqEvaluation {
    int64_t pairs = 0;
    int actionCount = 0; // A
    int factorCount = 0; // F (0: no factor accuracy, A odd and no factors in the card)
    double actionAccuracy = 0.0; // mean [argmax p == true action]
    double factorAccuracy = 0.0; // mean [argmax p mod F == true action mod F]
    double actionChance = 0.0; // 1 / A
    double factorChance = 0.0; // 1 / F
    double meanTrueProbability = 0.0; // mean p(true action | x, y)
    double trueProbabilitySum = 0.0; // its sum over the pairs (what shards of a job add up)
    std::vector<double> perActionAccuracy; // [A]: accuracy over the pairs of each true action (NaN: none)
    std::vector<int64_t> perActionPairs; // [A]: pairs per true action
    Array confusion; // [A, A] counts: row = true action, column = predicted
};

class VqPairs {
public:
    // `count` pairs from `seed` (see above). Throws lx::Error for a negative count or a dataset whose
    // factors all have a single value.
    static VqPairSet generate(const FactorDataset& data, int64_t count, uint64_t seed);
    // The flat index of `index` after action `action` (A = 2 * data.factorCount()), or -1 when the step
    // would leave the factor's range. Throws lx::Error for an index or action out of range.
    static int64_t step(const FactorDataset& data, int64_t index, int action);
    // The action name of the convention: "<factor>+" / "<factor>-".
    static std::string actionName(const FactorDataset& data, int action);

    // Images of `data` (in [0, 1]) for flat indices, mapped linearly onto the model's output_range, as the
    // model's encode takes them. Throws lx::Error when the dataset's image shape is not the model's.
    static Array imagesFor(const VqModel& model, const FactorDataset& data, const std::vector<int64_t>& indices);

    // Scores retrieval probabilities p [N, A] against the true actions. factorCount 0 skips factor
    // accuracy. Throws lx::Error for mismatched sizes or a true action outside [0, A).
    static VqEvaluation score(const Array& p, const std::vector<int>& trueActions, int factorCount);
    // The evaluation a confusion matrix [A, A] (counts; row = true action) and the sum of p(true action)
    // over its pairs describe: what score computes, and what the merged shards of a job give.
    static VqEvaluation fromCounts(const Array& confusion, double trueProbabilitySum, int factorCount);
    // Action retrieval of `model` on `count` pairs of `data` from `seed` (images through imagesFor),
    // encoded and scored in batches.
    // The model's actions must be the dataset's convention: A = 2F for the dataset's F factors, and the
    // card's factors (when given) the dataset's factor names, in order. `progress(done, total)` is called
    // after each batch when given. Only pairs [begin, end) of the `count` when given (end -1 = count):
    // one shard of a cluster job, the same pairs as in the whole job.
    static VqEvaluation evaluate(VqModel& model, const FactorDataset& data, int64_t count, uint64_t seed,
                                 const std::function<void(int64_t, int64_t)>& progress = {}, int64_t begin = 0,
                                 int64_t end = -1);
};

} // namespace lx

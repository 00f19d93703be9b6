#include "lx/VqPairs.h"

#include "lx/Error.h"
#include "lx/SplitMix64.h"
#include "lx/VqModel.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lx {

namespace {

constexpr int64_t kEvalBatch = 256; // pairs rendered, encoded and scored at a time

std::string str(int64_t v) { return std::to_string(v); }

void requireAction(const FactorDataset& data, int action)
{
    const int64_t a = 2 * data.factorCount();
    if (action < 0 || action >= a)
        throw Error(data.name() + ": action " + str(action) + " outside [0, " + str(a) + ") (2 per factor)");
}

// The model's actions must be the dataset's +/- per factor.
void requireConvention(const VqModel& model, const FactorDataset& data)
{
    const int64_t f = data.factorCount();
    if (!model.hasTransition())
        throw Error(model.path() + ": the model has no transition (its card lists no actions) to evaluate");
    if (model.actionCount() != 2 * f)
        throw Error(model.path() + ": the model has " + str(model.actionCount()) + " actions, " + data.name()
                    + " needs 2F = " + str(2 * f) + " (one + and one - per factor)");
    const std::vector<std::string>& factors = model.card().factors;
    if (!factors.empty() && factors != data.factorNames()) {
        std::string names;
        for (const std::string& n : data.factorNames())
            names += (names.empty() ? "" : ", ") + n;
        throw Error(model.path() + ": the card's factors are not " + data.name() + "'s (" + names + ", in this order)");
    }
}

} // namespace

int64_t VqPairs::step(const FactorDataset& data, int64_t index, int action)
{
    requireAction(data, action);
    std::vector<int64_t> factors = data.factorsOf(index);
    const int64_t f = data.factorCount();
    const int64_t factor = action % f;
    const int64_t to = factors[size_t(factor)] + (action < f ? 1 : -1);
    if (to < 0 || to >= data.factorSizes()[size_t(factor)])
        return -1;
    factors[size_t(factor)] = to;
    return data.indexOf(factors);
}

std::string VqPairs::actionName(const FactorDataset& data, int action)
{
    requireAction(data, action);
    const int64_t f = data.factorCount();
    return data.factorNames()[size_t(action % f)] + (action < f ? "+" : "-");
}

VqPairSet VqPairs::generate(const FactorDataset& data, int64_t count, uint64_t seed)
{
    if (count < 0)
        throw Error("vq pairs: count " + str(count) + " is negative");
    const int64_t f = data.factorCount();
    const std::vector<int64_t>& sizes = data.factorSizes();
    std::vector<int> steppable;
    for (int a = 0; a < int(2 * f); ++a) {
        if (sizes[size_t(a % f)] >= 2)
            steppable.push_back(a);
    }
    if (steppable.empty())
        throw Error("vq pairs: " + data.name() + " has no factor with two or more values to step");
    VqPairSet out;
    SplitMix64 rng(seed);
    std::vector<int64_t> factors(static_cast<size_t>(f));
    for (int64_t n = 0; n < count; ++n) {
        const int action = steppable[size_t(rng.below(steppable.size()))];
        const int64_t stepped = action % f;
        const bool up = action < f;
        for (int64_t k = 0; k < f; ++k) {
            if (k == stepped)
                factors[size_t(k)] = int64_t(rng.below(uint64_t(sizes[size_t(k)] - 1))) + (up ? 0 : 1);
            else
                factors[size_t(k)] = int64_t(rng.below(uint64_t(sizes[size_t(k)])));
        }
        const int64_t base = data.indexOf(factors);
        out.base.push_back(base);
        out.stepped.push_back(step(data, base, action));
        out.actions.push_back(action);
    }
    return out;
}

Array VqPairs::imagesFor(const VqModel& model, const FactorDataset& data, const std::vector<int64_t>& indices)
{
    if (data.imageShape() != model.imageShape())
        throw Error(model.path() + ": the model takes images " + Array::shapeString(model.imageShape()) + ", "
                    + data.name() + " has " + Array::shapeString(data.imageShape()));
    Array x = data.images(indices);
    const double low = model.card().outputLow, high = model.card().outputHigh;
    if (low != 0.0 || high != 1.0) {
        for (float& v : x.data())
            v = static_cast<float>(low + (high - low) * v);
    }
    return x;
}

VqEvaluation VqPairs::score(const Array& p, const std::vector<int>& trueActions, int factorCount)
{
    if (p.rank() != 2 || p.dim(0) != int64_t(trueActions.size()) || p.dim(1) < 1)
        throw Error("vq score: expected p [N, A] for " + str(int64_t(trueActions.size())) + " true actions, got "
                    + Array::shapeString(p.shape()));
    const int a = static_cast<int>(p.dim(1));
    if (factorCount < 0 || (factorCount > 0 && a != 2 * factorCount))
        throw Error("vq score: " + str(a) + " actions are not 2F for F = " + str(factorCount) + " factors");
    Array confusion({a, a});
    const std::vector<int> predicted = VqModel::predictedActions(p);
    double trueP = 0.0;
    for (size_t i = 0; i < trueActions.size(); ++i) {
        const int t = trueActions[i], q = predicted[i];
        if (t < 0 || t >= a)
            throw Error("vq score: true action " + str(t) + " of pair " + str(int64_t(i)) + " outside [0, " + str(a)
                        + ")");
        confusion.ptr()[t * a + q] += 1.0f;
        trueP += p.ptr()[int64_t(i) * a + t];
    }
    return fromCounts(confusion, trueP, factorCount);
}

VqEvaluation VqPairs::fromCounts(const Array& confusion, double trueProbabilitySum, int factorCount)
{
    if (confusion.rank() != 2 || confusion.dim(0) != confusion.dim(1) || confusion.dim(0) < 1)
        throw Error("vq score: a confusion matrix is [A, A], got " + Array::shapeString(confusion.shape()));
    const int a = static_cast<int>(confusion.dim(0));
    if (factorCount < 0 || (factorCount > 0 && a != 2 * factorCount))
        throw Error("vq score: " + str(a) + " actions are not 2F for F = " + str(factorCount) + " factors");
    VqEvaluation e;
    e.actionCount = a;
    e.factorCount = factorCount;
    e.actionChance = 1.0 / a;
    e.factorChance = factorCount ? 1.0 / factorCount : 0.0;
    e.confusion = confusion;
    e.perActionPairs.assign(size_t(a), 0);
    int64_t actionHits = 0, factorHits = 0;
    for (int t = 0; t < a; ++t)
        for (int q = 0; q < a; ++q) {
            const auto n = static_cast<int64_t>(confusion.ptr()[t * a + q]); // exact: counts below 2^24
            e.pairs += n;
            e.perActionPairs[size_t(t)] += n;
            actionHits += q == t ? n : 0;
            factorHits += factorCount && q % factorCount == t % factorCount ? n : 0;
        }
    const double n = double(std::max<int64_t>(1, e.pairs));
    e.actionAccuracy = double(actionHits) / n;
    e.factorAccuracy = double(factorHits) / n;
    e.trueProbabilitySum = trueProbabilitySum;
    e.meanTrueProbability = trueProbabilitySum / n;
    for (int k = 0; k < a; ++k) {
        const int64_t hits = static_cast<int64_t>(confusion.ptr()[k * a + k]);
        e.perActionAccuracy.push_back(e.perActionPairs[size_t(k)] ? double(hits) / double(e.perActionPairs[size_t(k)])
                                                                  : std::numeric_limits<double>::quiet_NaN());
    }
    return e;
}

VqEvaluation VqPairs::evaluate(VqModel& model, const FactorDataset& data, int64_t count, uint64_t seed,
                               const std::function<void(int64_t, int64_t)>& progress, int64_t first, int64_t last)
{
    requireConvention(model, data);
    if (count < 1)
        throw Error("vq evaluate: the number of pairs must be at least 1, got " + str(count));
    if (last < 0)
        last = count;
    if (first < 0 || first > last || last > count)
        throw Error("vq evaluate: pairs [" + str(first) + ", " + str(last) + ") are not within the " + str(count));
    const VqPairSet pairs = generate(data, count, seed);
    const int64_t a = model.actionCount();
    Array p({last - first, a});
    for (int64_t begin = first; begin < last; begin += kEvalBatch) {
        const int64_t end = std::min(last, begin + kEvalBatch);
        const std::vector<int64_t> xs(pairs.base.begin() + begin, pairs.base.begin() + end);
        const std::vector<int64_t> ys(pairs.stepped.begin() + begin, pairs.stepped.begin() + end);
        const Array part = model.retrieval(imagesFor(model, data, xs), imagesFor(model, data, ys));
        std::copy(part.data().begin(), part.data().end(), p.data().begin() + (begin - first) * a);
        if (progress)
            progress(end - first, last - first);
    }
    const std::vector<int> actions(pairs.actions.begin() + first, pairs.actions.begin() + last);
    return score(p, actions, int(data.factorCount()));
}

} // namespace lx

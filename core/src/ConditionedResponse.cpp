#include "lx/ConditionedResponse.h"

#include "lx/Error.h"
#include "lx/FactorDataset.h"
#include "lx/Model.h"
#include "lx/ResponseEngine.h"
#include "lx/SplitMix64.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace lx {

namespace {

// Keeps the stream of this computation apart from the other users of a seed.
constexpr uint64_t kConditionedSalt = 0x636f6e646974696full; // "conditio"

// Dataset images in [0, 1], mapped onto the model's output range, then encoded: [s, d].
Array encodeTraversal(Model& model, const FactorDataset& data, const std::vector<int64_t>& indices)
{
    Array x = data.images(indices);
    const double low = model.card().outputLow, high = model.card().outputHigh;
    if (low != 0.0 || high != 1.0) {
        for (float& v : x.data())
            v = static_cast<float>(low + (high - low) * v);
    }
    const Array z = model.encodeMean(x);
    return z.reshaped({z.dim(0), model.card().latentSize()});
}

// The random draws of one traversal, made before anything is computed, so that a slice of the job
// replays the draws of the items before it without encoding them.
struct TraversalDraw {
    int64_t baseIndex = 0; // the dataset image the traversal passes through
    std::vector<int64_t> members; // base point n: member b_n of the traversal
    std::vector<int64_t> others; // [batch, d]: the member whose value dimension i takes
};

// Base member b_n: with replacement when batch > s, else the first `batch` of a permutation. Value of
// dimension i for base point n: member (b_n + 1 + u) mod s, u uniform in [0, s - 2], a different member.
TraversalDraw drawTraversal(int64_t datasetSize, int64_t s, int64_t d, int batch, SplitMix64& rng)
{
    TraversalDraw draw;
    draw.baseIndex = int64_t(rng.below(uint64_t(datasetSize)));
    std::vector<int64_t>& members = draw.members;
    members.resize(static_cast<size_t>(s));
    std::iota(members.begin(), members.end(), int64_t(0));
    if (batch <= s) {
        for (int64_t k = s - 1; k > 0; --k)
            std::swap(members[size_t(k)], members[size_t(rng.below(uint64_t(k) + 1))]);
        members.resize(size_t(batch));
    } else {
        members.resize(size_t(batch));
        for (int64_t& m : members)
            m = int64_t(rng.below(uint64_t(s)));
    }
    draw.others.resize(static_cast<size_t>(batch * d));
    for (int64_t n = 0; n < batch; ++n) {
        for (int64_t i = 0; i < d; ++i)
            draw.others[size_t(n * d + i)] = (members[size_t(n)] + 1 + int64_t(rng.below(uint64_t(s - 1)))) % s;
    }
    return draw;
}

// The base points and intervention values of a drawn traversal whose posterior means are zt [s, d].
void forceDifferent(const Array& zt, const TraversalDraw& draw, Array& base, Array& values)
{
    const int64_t d = zt.dim(1), batch = static_cast<int64_t>(draw.members.size());
    base = Array({batch, d});
    values = Array({batch, d});
    for (int64_t n = 0; n < batch; ++n) {
        const int64_t b = draw.members[size_t(n)];
        std::copy(zt.ptr() + b * d, zt.ptr() + (b + 1) * d, base.ptr() + n * d);
        for (int64_t i = 0; i < d; ++i)
            values.ptr()[n * d + i] = zt.ptr()[draw.others[size_t(n * d + i)] * d + i];
    }
}

void checkJob(const Model& model, const FactorDataset& data, const ConditionedOptions& options)
{
    if (options.traversals < 1)
        throw Error("conditioned response matrix: traversals must be >= 1, got " + std::to_string(options.traversals));
    if (options.batch < 1)
        throw Error("conditioned response matrix: batch must be >= 1, got " + std::to_string(options.batch));
    if (model.outputShape() != data.imageShape())
        throw Error("conditioned response matrix: the model's images are " + Array::shapeString(model.outputShape())
                    + " but " + data.name() + " has " + Array::shapeString(data.imageShape()));
    for (int64_t k = 0; k < data.factorCount(); ++k) {
        if (data.factorSizes()[size_t(k)] < 2)
            throw Error("conditioned response matrix: factor " + data.factorNames()[size_t(k)] + " of " + data.name()
                        + " has fewer than 2 values");
    }
}

} // namespace

int64_t conditionedItemCount(const FactorDataset& data, const ConditionedOptions& options)
{
    return data.factorCount() * int64_t(std::max(options.traversals, 0));
}

PartialSum conditionedResponseSums(ResponseEngine& engine, Model& model, const FactorDataset& data,
                                   const ConditionedOptions& options, int64_t itemBegin, int64_t itemEnd,
                                   const ProgressFn& progress, const CancelToken* cancel)
{
    checkJob(model, data, options);
    const int64_t factors = data.factorCount(), d = model.card().latentSize();
    const int64_t items = conditionedItemCount(data, options);
    if (itemEnd < 0)
        itemEnd = items;
    if (itemBegin < 0 || itemBegin > itemEnd || itemEnd > items)
        throw Error("conditioned response matrix: traversals [" + std::to_string(itemBegin) + ", "
                    + std::to_string(itemEnd) + ") are not within the " + std::to_string(items) + " of the job");
    PartialSum out;
    out.shape = {factors, d};
    out.sum.assign(static_cast<size_t>(factors * d), 0.0);
    SplitMix64 rng(SplitMix64(options.seed ^ kConditionedSalt).next());
    if (progress)
        progress(0, itemEnd - itemBegin);
    // Item i is traversal t = i mod T of factor k = i / T; every item's draws are made in order, the
    // items before the slice only drawn.
    for (int64_t item = 0; item < itemEnd; ++item) {
        const int64_t k = item / options.traversals;
        const int64_t s = data.factorSizes()[size_t(k)];
        const TraversalDraw draw = drawTraversal(data.size(), s, d, options.batch, rng);
        if (item < itemBegin)
            continue;
        throwIfCancelled(cancel);
        const Array zt = encodeTraversal(model, data, data.traversal(k, draw.baseIndex));
        Array base, values;
        forceDifferent(zt, draw, base, values);
        const Array m = engine.responseMatrix(base, values, {}, cancel);
        for (int64_t j = 0; j < d; ++j)
            out.sum[size_t(k * d + j)] += m.ptr()[j * d + j];
        ++out.count;
        if (progress)
            progress(item + 1 - itemBegin, itemEnd - itemBegin);
    }
    return out;
}

ConditionedResult conditionedResponseMatrix(ResponseEngine& engine, Model& model, const FactorDataset& data,
                                            const ConditionedOptions& options, const ProgressFn& progress,
                                            const CancelToken* cancel)
{
    ConditionedResult result;
    result.matrix = conditionedResponseSums(engine, model, data, options, 0, -1, progress, cancel)
                        .finished(PartialSum::Finish::RowMean);
    result.factorNames = data.factorNames();
    result.dataset = data.name();
    result.cds = causalDisentanglementScore(result.matrix);
    return result;
}

double causalDisentanglementScore(const Array& conditioned)
{
    if (conditioned.rank() != 2 || conditioned.dim(0) < 1 || conditioned.dim(1) < 1)
        throw Error("causal disentanglement score: expected a conditioned matrix [F, d] with F, d >= 1, got "
                    + Array::shapeString(conditioned.shape()));
    conditioned.requireFinite("conditioned matrix");
    const int64_t factors = conditioned.dim(0), d = conditioned.dim(1);
    double total = 0, maxima = 0;
    for (int64_t j = 0; j < d; ++j) {
        double largest = 0;
        for (int64_t k = 0; k < factors; ++k) {
            const double c = conditioned.ptr()[k * d + j];
            if (c < 0)
                throw Error("conditioned matrix: entries must be >= 0, got " + std::to_string(c) + " at ["
                            + std::to_string(k) + ", " + std::to_string(j) + "]");
            total += c;
            largest = std::max(largest, c);
        }
        maxima += largest;
    }
    return total > 0 ? maxima / total : 0.0;
}

} // namespace lx

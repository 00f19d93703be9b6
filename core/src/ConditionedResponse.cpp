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
constexpr uint64_t kConditionedSalt = 0x636f6e646974696full;   // "conditio"

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

// Base points (rows of Z_t) and force_different intervention values for one traversal's response matrix.
// Base member b_n: with replacement when batch > s, else the first `batch` of a permutation. Value of
// dimension i for base point n: member (b_n + 1 + u) mod s, u uniform in [0, s - 2], a different member.
void forceDifferent(const Array& zt, int batch, SplitMix64& rng, Array& base, Array& values)
{
    const int64_t s = zt.dim(0), d = zt.dim(1);
    std::vector<int64_t> members(static_cast<size_t>(s));
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
    base = Array({batch, d});
    values = Array({batch, d});
    for (int64_t n = 0; n < batch; ++n) {
        const int64_t b = members[size_t(n)];
        std::copy(zt.ptr() + b * d, zt.ptr() + (b + 1) * d, base.ptr() + n * d);
        for (int64_t i = 0; i < d; ++i) {
            const int64_t other = (b + 1 + int64_t(rng.below(uint64_t(s - 1)))) % s;
            values.ptr()[n * d + i] = zt.ptr()[other * d + i];
        }
    }
}

} // namespace

ConditionedResult conditionedResponseMatrix(ResponseEngine& engine, Model& model, const FactorDataset& data,
                                            const ConditionedOptions& options, const ProgressFn& progress,
                                            const CancelToken* cancel)
{
    if (options.traversals < 1)
        throw Error("conditioned response matrix: traversals must be >= 1, got " + std::to_string(options.traversals));
    if (options.batch < 1)
        throw Error("conditioned response matrix: batch must be >= 1, got " + std::to_string(options.batch));
    if (model.outputShape() != data.imageShape())
        throw Error("conditioned response matrix: the model's images are " + Array::shapeString(model.outputShape())
                    + " but " + data.name() + " has " + Array::shapeString(data.imageShape()));
    const int64_t factors = data.factorCount(), d = model.card().latentSize();
    for (int64_t k = 0; k < factors; ++k) {
        if (data.factorSizes()[size_t(k)] < 2)
            throw Error("conditioned response matrix: factor " + data.factorNames()[size_t(k)] + " of " + data.name()
                        + " has fewer than 2 values");
    }
    ConditionedResult result;
    result.factorNames = data.factorNames();
    result.dataset = data.name();
    result.matrix = Array({factors, d});
    SplitMix64 rng(SplitMix64(options.seed ^ kConditionedSalt).next());
    const long long total = static_cast<long long>(factors) * options.traversals;
    if (progress)
        progress(0, total);
    for (int64_t k = 0; k < factors; ++k) {
        std::vector<double> sums(static_cast<size_t>(d), 0.0);
        for (int t = 0; t < options.traversals; ++t) {
            if (cancel && cancel->cancelled())
                throw Cancelled();
            const int64_t baseIndex = int64_t(rng.below(uint64_t(data.size())));
            const Array zt = encodeTraversal(model, data, data.traversal(k, baseIndex));
            Array base, values;
            forceDifferent(zt, options.batch, rng, base, values);
            const Array m = engine.responseMatrix(base, values, {}, cancel);
            for (int64_t j = 0; j < d; ++j)
                sums[size_t(j)] += m.ptr()[j * d + j];
            if (progress)
                progress(k * options.traversals + t + 1, total);
        }
        for (int64_t j = 0; j < d; ++j)
            result.matrix.ptr()[k * d + j] = static_cast<float>(sums[size_t(j)] / options.traversals);
    }
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

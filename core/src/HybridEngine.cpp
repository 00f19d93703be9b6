#include "lx/HybridEngine.h"

#include "ModelImpl.h"
#include "TensorConvert.h"
#include "lx/Error.h"

#include <chrono>

namespace lx {

namespace {

double msSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// The mask of one intervention, area-pooled to the layer's [H, W] and shaped [1, 1, H, W].
torch::Tensor spatialMask(const Intervention& i, const torch::Tensor& h)
{
    if (h.dim() != 4)
        throw Error("a spatial mask needs a layer with [C, H, W] outputs; this layer's output is "
                    + Array::shapeString(TensorConvert::sampleShape(h)));
    const torch::Tensor raw =
        torch::from_blob(const_cast<float*>(i.mask.data()), {1, 1, i.maskHeight, i.maskWidth}, torch::kFloat32)
            .to(h.device());
    return torch::adaptive_avg_pool2d(raw, {h.size(2), h.size(3)}).to(h.dtype());
}

// Layer output h1 with the edit's enabled interventions applied in order (h2: the donor's output).
torch::Tensor applyEdit(Model::Impl& m, int layer, const torch::Tensor& h1, const torch::Tensor& h2,
                        const LayerEdit& edit)
{
    edit.validate();
    torch::Tensor h = h1;
    for (const Intervention& i : edit.interventions) {
        if (!i.enabled || i.channels.empty())
            continue;
        const torch::Tensor channels = m.channelMask(layer, i.channels);
        torch::Tensor target;
        switch (i.op) {
        case EditOp::Set:
            target = torch::full_like(h, i.value);
            break;
        case EditOp::Scale:
            target = h * i.value;
            break;
        case EditOp::Offset:
            target = h + i.value;
            break;
        case EditOp::Ablate:
            target = torch::zeros_like(h);
            break;
        case EditOp::CopyDonor:
            target = h2;
            break;
        }
        if (i.hasMask())
            target = h + spatialMask(i, h) * (target - h);
        h = torch::where(channels, target, h);
    }
    return h;
}

} // namespace

struct HybridEngine::Impl {
    Model& model;
    int layer = -1;
    Array z1, z2, c1, c2; // the latents (and classes) the cache belongs to
    HybridEngine::ClassSource classSource = HybridEngine::ClassSource::Base;
    GraphCut::Prefix p1, p2; // the cached prefix passes of z1 and z2 (layer output and what the rest needs)
    torch::Tensor h1, h2; // layer output for z1, z2
    torch::Tensor x1, x2; // un-intervened images, computed through the same suffix
    double prefixMs = 0.0;
    double suffixMs = 0.0;

    explicit Impl(Model& m)
        : model(m)
    {
    }

    const GraphCut* via = nullptr; // the cut p1 and p2 were made with (null: the model's default)
    HybridEngine::ClassSource cachedSource = HybridEngine::ClassSource::Base;

    // The pass that provides everything after the cut but the layer's channels.
    GraphCut::Prefix base() const { return via ? via->withClassesOf(p1, p2) : p1; }

    void requireInputs() const
    {
        if (layer < 0)
            throw Error("hybrid: no layer and latents set");
    }
};

HybridEngine::HybridEngine(Model& model)
    : d(std::make_unique<Impl>(model))
{
}
HybridEngine::~HybridEngine() = default;

void HybridEngine::setClassSource(ClassSource source)
{
    d->classSource = source;
    if (d->layer >= 0 && source != d->cachedSource) {
        const int layer = d->layer;
        d->layer = -1; // recompute the cached passes with the cut this source needs
        setInputs(layer, Array(d->z1), Array(d->z2), Array(d->c1), Array(d->c2));
    }
}

bool HybridEngine::setInputs(int layer, const Array& z1, const Array& z2, const Array& c1, const Array& c2)
{
    Model::Impl& m = d->model.impl();
    m.requireLayerIndex(layer);
    if (layer == d->layer && z1 == d->z1 && z2 == d->z2 && c1 == d->c1 && c2 == d->c2
        && d->classSource == d->cachedSource) {
        d->prefixMs = 0.0; // cached: no prefix pass ran
        return false;
    }
    if (z1.rank() < 1 || z2.rank() < 1 || z1.dim(0) != z2.dim(0))
        throw Error("hybrid: z1 and z2 must hold the same number of latents (got " + Array::shapeString(z1.shape())
                    + " and " + Array::shapeString(z2.shape()) + ")");
    c10::InferenceMode guard;
    const auto start = std::chrono::steady_clock::now();
    // The un-intervened suffixes run per half, with the batch size hybrid() uses, so that
    // hybrid(empty) == x1 holds exactly whatever the backend's batch-size dependent kernels do (and
    // hybrid(all) == x2 where nothing but the layer carries z2's values past the cut).
    // With the donor's class after the cut, a cut that recomputes every class value there.
    d->via = d->classSource == ClassSource::Donor && m.card.conditional() && m.pathKind == LayerPath::Graph
        ? &m.cut(layer, true)
        : nullptr;
    d->p1 = m.prefix(layer, m.latents(z1, "z1"), m.classes(c1, z1.dim(0), "classes of z1"), d->via);
    d->p2 = m.prefix(layer, m.latents(z2, "z2"), m.classes(c2, z2.dim(0), "classes of z2"), d->via);
    d->h1 = d->p1.h.contiguous();
    d->h2 = d->p2.h.contiguous();
    d->x1 = m.toImages(m.suffix(layer, d->h1, d->p1, {}, d->via));
    d->x2 = m.toImages(m.suffix(layer, d->h2, d->p2, {}, d->via));
    d->cachedSource = d->classSource;
    d->layer = layer;
    d->z1 = z1;
    d->z2 = z2;
    d->c1 = c1;
    d->c2 = c2;
    d->prefixMs = msSince(start);
    return true;
}

Array HybridEngine::hybrid(const std::vector<int>& channels)
{
    d->requireInputs();
    Model::Impl& m = d->model.impl();
    c10::InferenceMode guard;
    const auto start = std::chrono::steady_clock::now();
    const torch::Tensor mask = m.channelMask(d->layer, channels);
    // where() copies values exactly: an empty set gives h1 and the full set gives h2 bit for bit, and the
    // suffix then runs exactly as it did for x1 and x2.
    const torch::Tensor out =
        m.toImages(m.suffix(d->layer, torch::where(mask, d->h2, d->h1), d->base(), {}, d->via, true));
    d->suffixMs = msSince(start);
    return TensorConvert::toArray(out);
}

Array HybridEngine::intervene(const LayerEdit& edit)
{
    d->requireInputs();
    Model::Impl& m = d->model.impl();
    c10::InferenceMode guard;
    const auto start = std::chrono::steady_clock::now();
    const torch::Tensor h = applyEdit(m, d->layer, d->h1, d->h2, edit);
    const torch::Tensor out = m.toImages(m.suffix(d->layer, h, d->base(), {}, d->via, !h.is_same(d->h1)));
    d->suffixMs = msSince(start);
    return TensorConvert::toArray(out);
}

Array HybridEngine::original1() const
{
    d->requireInputs();
    return TensorConvert::toArray(d->x1);
}
Array HybridEngine::original2() const
{
    d->requireInputs();
    return TensorConvert::toArray(d->x2);
}
Array HybridEngine::activations1() const
{
    d->requireInputs();
    return TensorConvert::toArray(d->h1);
}
int HybridEngine::layer() const { return d->layer; }
int64_t HybridEngine::channelCount() const { return d->layer < 0 ? 0 : d->h1.size(1); }
double HybridEngine::lastPrefixMs() const { return d->prefixMs; }
double HybridEngine::lastSuffixMs() const { return d->suffixMs; }

Array HybridEngine::hybridPairs(Model& model, int layer, const std::vector<int>& channels, const Array& latents,
                                int64_t chunkPairs, const Array& classes)
{
    const Array z = model.normalizeLatents(latents, "latents");
    if (classes.numel() > 0 && classes.numel() != z.dim(0))
        throw Error("classes: " + std::to_string(classes.numel()) + " class indices for " + std::to_string(z.dim(0))
                    + " latents");
    const int64_t total = z.dim(0);
    if (total % 2 != 0)
        throw Error("latents: expected 2N latents (pairs (Z[i], Z[N+i])), got " + std::to_string(total));
    const int64_t n = total / 2;
    HybridEngine engine(model);
    std::vector<float> data;
    std::vector<int64_t> sampleShape;
    for (int64_t begin = 0; begin < n; begin += chunkPairs) {
        const int64_t end = std::min(n, begin + chunkPairs);
        const auto classRows = [&](int64_t from, int64_t to) {
            return classes.numel() == 0 ? Array() : classes.rows(from, to);
        };
        engine.setInputs(layer, z.rows(begin, end), z.rows(n + begin, n + end), classRows(begin, end),
                         classRows(n + begin, n + end));
        const Array part = engine.hybrid(channels);
        sampleShape.assign(part.shape().begin() + 1, part.shape().end());
        data.insert(data.end(), part.data().begin(), part.data().end());
    }
    std::vector<int64_t> shape = sampleShape.empty() ? model.outputShape() : sampleShape;
    shape.insert(shape.begin(), n);
    return Array(shape, std::move(data));
}

ClassInputs ClassInputs::of(const std::vector<int>& base, const std::vector<int>& donor, bool fromDonor)
{
    const auto indices = [](const std::vector<int>& v) {
        return v.empty() ? Array() : Array({int64_t(v.size())}, std::vector<float>(v.begin(), v.end()));
    };
    ClassInputs c;
    c.base = indices(base);
    c.donor = indices(donor);
    c.afterCut = fromDonor ? HybridEngine::ClassSource::Donor : HybridEngine::ClassSource::Base;
    return c;
}

} // namespace lx

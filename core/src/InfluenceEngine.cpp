#include "lx/InfluenceEngine.h"

#include "LinearNext.h"
#include "ModelImpl.h"
#include "TensorConvert.h"
#include "lx/Error.h"

namespace lx {

namespace {

// The pairs as two [N, *latent] tensors on the model's device, with their class tensors (undefined
// for an unconditional model).
struct Pairs {
    torch::Tensor z1, z2, y1, y2;
    // Rows [p0, p0 + p) of each side: latents and classes.
    torch::Tensor y(const torch::Tensor& side, int64_t p0, int64_t p) const
    {
        return side.defined() ? side.narrow(0, p0, p) : side;
    }
};

Pairs splitPairs(Model::Impl& m, const Array& latents, const Array& classes)
{
    const torch::Tensor z = m.latents(latents, "latents");
    if (z.size(0) % 2 != 0)
        throw Error("latents: expected 2N latents (pairs (Z[i], Z[N+i])), got " + std::to_string(z.size(0)));
    const int64_t n = z.size(0) / 2;
    const torch::Tensor y = m.classes(classes, z.size(0), "classes");
    Pairs p{z.narrow(0, 0, n), z.narrow(0, n, n), {}, {}};
    if (y.defined()) {
        p.y1 = y.narrow(0, 0, n);
        p.y2 = y.narrow(0, n, n);
    }
    return p;
}

// |images - reference| averaged over colour channels, summed over the pair axis. images is
// [P, K, *out], reference [P, *out]; returns [K, H, W] (or [K, F] for flat outputs).
torch::Tensor absDiffSum(const torch::Tensor& images, const torch::Tensor& reference)
{
    torch::Tensor d = (images - reference.unsqueeze(1)).abs();
    if (d.dim() == 5) // [P, K, colours, H, W]
        d = d.mean(2);
    return d.sum(0);
}

// Whether a suffix batch may hold several rows per base sample at this layer.
bool regroups(Model::Impl& m, int layer) { return m.pathKind != LayerPath::Graph || m.cut(layer).regroups(); }

// Row i of a [P, K]-major suffix batch belongs to base sample i / K; undefined (identity) for K = 1.
torch::Tensor rowsOf(int64_t p, int64_t k, const torch::Device& device)
{
    if (k == 1)
        return {};
    return torch::arange(p, torch::TensorOptions().dtype(torch::kLong).device(device)).repeat_interleave(k);
}

// The largest per-sample output (elements) of the layers computed from `layer`'s output, itself included.
double largestAfter(Model::Impl& m, int layer)
{
    double largest = 1.0;
    if (m.pathKind != LayerPath::Graph)
        return largest;
    const auto after = m.graph->dependents(m.call(layer).output);
    for (size_t i = 0; i < m.layers.size(); ++i) {
        if (!after.count(m.call(static_cast<int>(i)).output))
            continue;
        double numel = 1.0;
        for (int64_t d : m.layers[i].shape)
            numel *= double(d);
        largest = std::max(largest, numel);
    }
    return largest;
}

// Suffix batches whose every activation stays under glibc's largest mmap threshold (32 MiB; Runtime
// raises the threshold to it) are served from the heap and reused, instead of being mapped and
// zero-filled anew for every batch.
constexpr double kBatchBytes = 24.0 * 1024 * 1024;

torch::Tensor finish(const torch::Tensor& sum, int64_t pairs) { return sum / static_cast<double>(pairs); }

// The generic hybrids of a chunk of channels: K copies of h1 [P, C, ...], copy k taking channel
// chunk[k] from h2; [P * K, C, ...] in (p, k) order.
torch::Tensor swappedChannels(const torch::Tensor& h1, const torch::Tensor& h2, const torch::Tensor& chunk)
{
    const int64_t k = chunk.size(0), channels = h1.size(1);
    std::vector<int64_t> maskShape(static_cast<size_t>(h1.dim()) + 1, 1);
    maskShape[1] = k;
    maskShape[2] = channels;
    const torch::Tensor onehot =
        torch::zeros({k, channels}, torch::TensorOptions().dtype(torch::kBool).device(h1.device()))
            .scatter_(1, chunk.unsqueeze(1), true)
            .reshape(maskShape);
    std::vector<int64_t> flat = TensorConvert::shapeOf(h1);
    flat[0] = h1.size(0) * k;
    return torch::where(onehot, h2.unsqueeze(1), h1.unsqueeze(1)).reshape(flat);
}

// The float64 map sums of `channels` channels for base images x1 [P, *out], zero: [channels, H, W] (or
// [channels, F]).
torch::Tensor zeroSum(int64_t channels, const torch::Tensor& x1)
{
    std::vector<int64_t> shape =
        TensorConvert::shapeOf(absDiffSum(x1.narrow(0, 0, 1).unsqueeze(1), x1.narrow(0, 0, 1)));
    shape[0] = channels;
    return torch::zeros(shape, x1.options().dtype(torch::kFloat64));
}

// Hybrid rows held at once per worker thread while streaming: the layer after the shortcut's output
// for this many bytes of pairs (at least one), small enough to stay in L2.
constexpr double kStreamBytes = 256.0 * 1024;

// Adds to sums [K, ...] the |hybrid - x1| of every (pair, channel chunk[j]) hybrid, streamed through
// the layer after the shortcut (LinearNext::hybridsThrough) and the rest of the network a few pairs at
// a time. Each channel's sum is written by one worker thread, in pair order.
void streamMaps(Model::Impl& m, const LinearNext& next, const torch::Tensor& nextBase, const torch::Tensor& delta,
                const torch::Tensor& chunk, const torch::Tensor& x1, torch::Tensor sums)
{
    const int t = next.through();
    const GraphCut& rest = m.cut(t);
    double bytes = sizeof(float);
    for (int64_t d : m.layers[static_cast<size_t>(t)].shape)
        bytes *= double(d);
    const int64_t group = std::max<int64_t>(1, static_cast<int64_t>(kStreamBytes / bytes));
    next.hybridsThrough(nextBase, delta, chunk, group, [&](const torch::Tensor& out, int64_t j, int64_t p0) {
        c10::InferenceMode guard; // on a worker thread
        GraphCut::Prefix none;
        none.batch = out.size(0);
        const torch::Tensor images = m.toImages(m.suffix(t, out, none, {}, &rest, true));
        sums[j].add_(absDiffSum(images.unsqueeze(1), x1.narrow(0, p0, out.size(0)))[0]);
    });
}

} // namespace

std::string InfluenceEngine::shortcutKind(Model& model, int layer)
{
    model.impl().requireLayerIndex(layer);
    return LinearNext::find(model.impl(), layer).description();
}

Array InfluenceEngine::elementaryMaps(Model& model, int layer, const Array& latents, const InfluenceOptions& options,
                                      const ProgressFn& progress, const CancelToken* cancel)
{
    return elementaryMaps(model, layer, latents, Array(), options, progress, cancel);
}

Array InfluenceEngine::elementaryMaps(Model& model, int layer, const Array& latents, const Array& classes,
                                      const InfluenceOptions& options, const ProgressFn& progress,
                                      const CancelToken* cancel)
{
    InfluenceOptions all = options;
    all.pairBegin = 0;
    all.pairEnd = -1;
    return elementaryMapSum(model, layer, latents, classes, all, progress, cancel).finished(PartialSum::Finish::Mean);
}

PartialSum InfluenceEngine::elementaryMapSum(Model& model, int layer, const Array& latents, const Array& classes,
                                             const InfluenceOptions& options, const ProgressFn& progress,
                                             const CancelToken* cancel)
{
    Model::Impl& m = model.impl();
    m.requireLayerIndex(layer);
    c10::InferenceMode guard;
    const Pairs pairs = splitPairs(m, latents, classes);
    const torch::Tensor &z1 = pairs.z1, &z2 = pairs.z2;
    const int64_t n = z1.size(0);
    const int64_t channels = m.layers[static_cast<size_t>(layer)].channels();
    LinearNext next = options.linearShortcut ? LinearNext::find(m, layer) : LinearNext{};
    next.setLibTorchOnly(options.libTorchShortcut);
    const int64_t pairChunk = std::max<int64_t>(1, std::min(options.pairChunk, n));
    const int64_t byBytes = static_cast<int64_t>(kBatchBytes / (sizeof(float) * largestAfter(m, layer)));
    const int64_t channelChunk = !regroups(m, layer) && next.kind().empty()
        ? 1
        : std::max<int64_t>(1, std::min({channels, options.batchBudget / pairChunk, byBytes / pairChunk}));
    const int64_t first = options.pairBegin, last = options.pairEnd < 0 ? n : options.pairEnd;
    if (first < 0 || first > last || last > n)
        throw Error("influence: pairs [" + std::to_string(first) + ", " + std::to_string(last) + ") are not within the "
                    + std::to_string(n) + " pairs");
    const bool streaming = options.streamHybrids && next.through() >= 0;
    const int64_t pairSteps = (last - first + pairChunk - 1) / pairChunk;
    const int64_t channelSteps = (channels + channelChunk - 1) / channelChunk;
    const auto longs = torch::TensorOptions().dtype(torch::kLong).device(m.device);

    torch::Tensor sum; // float64: shards' sums then add up to the whole job's
    int64_t done = 0;
    for (int64_t p0 = first; p0 < last; p0 += pairChunk) {
        const int64_t p = std::min(pairChunk, last - p0);
        // The prefix for this chunk of pairs, once for all channels; every value but the layer's
        // channels comes from z1's pass.
        const torch::Tensor y1 = pairs.y(pairs.y1, p0, p);
        const GraphCut::Prefix base = m.prefix(layer, z1.narrow(0, p0, p), y1);
        const torch::Tensor h1 = base.h, h2 = m.forwardTo(layer, z2.narrow(0, p0, p), pairs.y(pairs.y2, p0, p));
        // With the shortcut: the base pass's values where the hybrid suffixes restart (entryBase), and
        // the linear layer's base output made ready for hybrids() (nextBase).
        GraphCut::Prefix entryBase;
        torch::Tensor nextBase;
        if (!next.kind().empty()) {
            // The linear layer reads only h1, so its output and the entry's (folded BatchNorm, ReLU)
            // come from h1 directly. A suffix from the entry that needs no other value of the pass (a
            // plain chain) runs on that alone; otherwise the prefix pass up to the entry gives them.
            const torch::Tensor nextOutput = next.output(h1);
            if (m.cut(next.entry()).contextSize() == 0) {
                entryBase.h = next.entryOutput(nextOutput);
                entryBase.batch = p;
            } else {
                entryBase = m.prefix(next.entry(), z1.narrow(0, p0, p), y1);
            }
            nextBase = next.prepareBase(nextOutput);
        }
        // The base images, from the shorter suffix where there is one.
        const torch::Tensor x1 = m.toImages(next.kind().empty() ? m.suffix(layer, h1, base)
                                                                : m.suffix(next.entry(), entryBase.h, entryBase));
        const torch::Tensor delta = h2 - h1;
        if (!sum.defined())
            sum = zeroSum(channels, x1);
        const bool streamed = streaming && next.throughApplies(nextBase, delta);
        for (int64_t c0 = 0; c0 < channels; c0 += channelChunk) {
            throwIfCancelled(cancel);
            const int64_t k = std::min(channelChunk, channels - c0);
            const torch::Tensor chunk = torch::arange(c0, c0 + k, longs);
            if (streamed) {
                // The hybrids' rows go straight into the layer after the shortcut; the rest runs on a
                // few hybrids at a time and is reduced into the maps as it comes.
                streamMaps(m, next, nextBase, delta.narrow(1, c0, k), chunk, x1, sum.narrow(0, c0, k));
            } else {
                // With the shortcut, the next layer's output = base + the swapped channel's own
                // contribution, then the rest; else the whole suffix of the layer.
                torch::Tensor images = m.toImages(
                    next.kind().empty()
                        ? m.suffix(layer, swappedChannels(h1, h2, chunk), base, rowsOf(p, k, m.device), nullptr, true)
                        : m.suffix(next.entry(), next.hybrids(nextBase, delta.index_select(1, chunk), chunk), entryBase,
                                   rowsOf(p, k, m.device), nullptr, true));
                std::vector<int64_t> shape = TensorConvert::shapeOf(images);
                shape[0] = k;
                shape.insert(shape.begin(), p);
                sum.narrow(0, c0, k).add_(absDiffSum(images.reshape(shape), x1));
            }
            if (progress)
                progress(++done, pairSteps * channelSteps);
        }
    }
    PartialSum out;
    out.count = last - first;
    if (sum.defined()) {
        const torch::Tensor host = sum.cpu().contiguous();
        out.shape = TensorConvert::shapeOf(host);
        out.sum.assign(host.data_ptr<double>(), host.data_ptr<double>() + host.numel());
    }
    return out;
}

Array InfluenceEngine::groupMap(Model& model, int layer, const std::vector<int>& channels, const Array& latents,
                                const CancelToken* cancel, const Array& classes)
{
    Model::Impl& m = model.impl();
    m.requireLayerIndex(layer);
    c10::InferenceMode guard;
    const Pairs pairs = splitPairs(m, latents, classes);
    const torch::Tensor &z1 = pairs.z1, &z2 = pairs.z2;
    const torch::Tensor mask = m.channelMask(layer, channels);
    torch::Tensor sum;
    const int64_t n = z1.size(0), chunk = 64;
    for (int64_t p0 = 0; p0 < n; p0 += chunk) {
        throwIfCancelled(cancel);
        const int64_t p = std::min(chunk, n - p0);
        const GraphCut::Prefix base = m.prefix(layer, z1.narrow(0, p0, p), pairs.y(pairs.y1, p0, p));
        const torch::Tensor h1 = base.h, h2 = m.forwardTo(layer, z2.narrow(0, p0, p), pairs.y(pairs.y2, p0, p));
        const torch::Tensor x1 = m.toImages(m.suffix(layer, h1, base));
        const torch::Tensor hybrid = m.toImages(m.suffix(layer, torch::where(mask, h2, h1), base, {}, nullptr, true));
        const torch::Tensor part = absDiffSum(hybrid.unsqueeze(1), x1)[0];
        sum = sum.defined() ? sum + part : part;
    }
    return TensorConvert::toArray(finish(sum, n));
}

Array InfluenceEngine::elementaryMapsPlain(Model& model, int layer, const Array& latents, int64_t pairChunk,
                                           const CancelToken* cancel, const Array& classes)
{
    Model::Impl& m = model.impl();
    m.requireLayerIndex(layer);
    c10::InferenceMode guard;
    const Pairs pairs = splitPairs(m, latents, classes);
    const torch::Tensor &z1 = pairs.z1, &z2 = pairs.z2;
    const int64_t n = z1.size(0);
    const int64_t channels = m.layers[static_cast<size_t>(layer)].channels();
    std::vector<torch::Tensor> maps;
    for (int64_t c = 0; c < channels; ++c) {
        torch::Tensor sum;
        for (int64_t p0 = 0; p0 < n; p0 += pairChunk) {
            throwIfCancelled(cancel);
            const int64_t p = std::min(pairChunk, n - p0);
            const torch::Tensor a = z1.narrow(0, p0, p), b = z2.narrow(0, p0, p);
            const torch::Tensor ya = pairs.y(pairs.y1, p0, p), yb = pairs.y(pairs.y2, p0, p);
            // What a notebook does: two full forward passes with a hook on the layer.
            const torch::Tensor x1 = m.toImages(m.runModel(a, ya));
            const GraphCut::Prefix base = m.prefix(layer, a, ya);
            torch::Tensor h1 = base.h.clone();
            h1.select(1, c).copy_(m.forwardTo(layer, b, yb).select(1, c));
            const torch::Tensor part =
                absDiffSum(m.toImages(m.suffix(layer, h1, base, {}, nullptr, true)).unsqueeze(1), x1)[0];
            sum = sum.defined() ? sum + part : part;
        }
        maps.push_back(finish(sum, n));
    }
    return TensorConvert::toArray(torch::stack(maps));
}

namespace {

// Multiply-add FLOPs (x2) of graph layer i's module per sample, from its weight and the shapes seen at
// load; 0 for modules that are not Conv2d, ConvTranspose2d or Linear.
double moduleFlops(Model::Impl& m, size_t i)
{
    const ModelGraph::Call& call = m.call(static_cast<int>(i));
    if (!call.module.hasattr("weight") || !call.module.attr("weight").isTensor())
        return 0.0;
    const double weights = double(call.module.attr("weight").toTensor().numel());
    const std::vector<int64_t>& in = m.layerInputShapes[i];
    const std::vector<int64_t>& out = m.layers[i].shape;
    const std::string& type = m.layers[i].type;
    if (type == "Linear")
        return 2.0 * weights;
    if (type == "Conv2d" && out.size() == 3)
        return 2.0 * weights * double(out[1] * out[2]);
    if (type == "ConvTranspose2d" && in.size() == 3)
        return 2.0 * weights * double(in[1] * in[2]);
    return 0.0;
}

} // namespace

std::string InfluenceEngine::streamedThrough(Model& model, int layer)
{
    Model::Impl& m = model.impl();
    m.requireLayerIndex(layer);
    const LinearNext next = LinearNext::find(m, layer);
    return next.through() >= 0 ? m.layers[static_cast<size_t>(next.through())].name : std::string();
}

double InfluenceEngine::suffixFlopsPerSample(Model& model, int layer)
{
    Model::Impl& m = model.impl();
    m.requireLayerIndex(layer);
    double flops = 0.0;
    if (m.pathKind != LayerPath::Graph)
        return flops;
    // Every module call computed from the layer's output.
    const auto after = m.graph->dependents(m.call(layer).output);
    for (size_t i = 0; i < m.layers.size(); ++i)
        if (static_cast<int>(i) != layer && after.count(m.call(static_cast<int>(i)).output))
            flops += moduleFlops(m, i);
    return flops;
}

double InfluenceEngine::suffixBytesPerSample(Model& model, int layer)
{
    Model::Impl& m = model.impl();
    m.requireLayerIndex(layer);
    double bytes = 0.0;
    if (m.pathKind != LayerPath::Graph)
        return bytes;
    const auto after = m.graph->dependents(m.call(layer).output);
    std::unordered_set<const torch::jit::Value*> counted;
    for (size_t i = 0; i < m.layers.size(); ++i) {
        const torch::jit::Value* out = m.call(static_cast<int>(i)).output;
        if (after.count(out) && counted.insert(out).second) {
            double numel = 1.0;
            for (int64_t d : m.layers[i].shape)
                numel *= double(d);
            bytes += 2.0 * sizeof(float) * numel;
        }
    }
    return bytes;
}

double InfluenceEngine::forwardFlopsPerSample(Model& model)
{
    Model::Impl& m = model.impl();
    double flops = 0.0;
    if (m.pathKind == LayerPath::Graph)
        for (size_t i = 0; i < m.layers.size(); ++i)
            flops += moduleFlops(m, i);
    return flops;
}

double InfluenceEngine::fastFlopsPerHybrid(Model& model, int layer)
{
    Model::Impl& m = model.impl();
    m.requireLayerIndex(layer);
    const LinearNext next = LinearNext::find(m, layer);
    if (next.kind().empty())
        return suffixFlopsPerSample(model, layer);
    // One input channel's share of the linear layer, then what follows it.
    const double channels = double(m.layers[static_cast<size_t>(layer)].channels());
    return moduleFlops(m, static_cast<size_t>(next.layer())) / channels + suffixFlopsPerSample(model, next.layer());
}

} // namespace lx

#include "lx/InfluenceEngine.h"

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
    torch::Tensor y(const torch::Tensor& side, int64_t p0, int64_t p) const { return side.defined() ? side.narrow(0, p0, p) : side; }
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
    if (d.dim() == 5)   // [P, K, colours, H, W]
        d = d.mean(2);
    return d.sum(0);
}

std::vector<int64_t> intsOf(const c10::IValue& v)
{
    if (v.isInt())
        return {v.toInt()};
    if (v.isIntList())
        return v.toIntVector();
    std::vector<int64_t> out;
    if (v.isTuple()) {
        for (const c10::IValue& e : v.toTupleRef().elements()) {
            if (!e.isInt())
                return {};
            out.push_back(e.toInt());
        }
    }
    return out;
}

// The layer that consumes L's output, when it is L's only reader, linear in its input, and we know
// how to apply one input channel's slice of its weight.
struct LinearNext {
    std::string kind;   // "Conv2d", "ConvTranspose2d", "Linear"; empty when no shortcut applies
    int layer = -1;     // its layer index
    torch::Tensor weight;
    std::vector<int64_t> stride, padding, outputPadding, dilation;

    // The change of the next layer's output when channel chunk[k] of its input changes by delta[:, k]:
    // [P, K, *nextShape].
    torch::Tensor contribution(const torch::Tensor& delta, const torch::Tensor& chunk) const
    {
        const int64_t k = chunk.size(0);
        if (kind == "Linear")
            return delta.unsqueeze(2) * weight.index_select(1, chunk).t().unsqueeze(0);
        torch::Tensor out;
        if (kind == "Conv2d") {
            // weight [Cout, Cin, kh, kw] -> K groups of one input channel each.
            const torch::Tensor w = weight.index_select(1, chunk).transpose(0, 1).reshape({-1, 1, weight.size(2), weight.size(3)});
            out = at::conv2d(delta, w, {}, stride, padding, dilation, k);
        } else {
            // weight [Cin, Cout, kh, kw]: a grouped transposed conv takes [K, Cout, kh, kw] as it is.
            out = at::conv_transpose2d(delta, weight.index_select(0, chunk), {}, stride, padding, outputPadding, k, dilation);
        }
        return out.view({delta.size(0), k, -1, out.size(2), out.size(3)});
    }
};

// The layer whose module call reads L's output as its only use, through one linear op.
int consumerLayer(Model::Impl& m, int layer)
{
    if (m.pathKind != LayerPath::Graph)
        return -1;
    const torch::jit::Value* v = m.call(layer).output;
    if (v->uses().size() != 1 || v->uses()[0].offset != 0)
        return -1;
    const torch::jit::Node* user = v->uses()[0].user;
    const std::string op = user->kind().toQualString();
    if (op != "aten::linear" && op != "aten::conv2d" && op != "aten::_convolution" && op != "aten::conv_transpose2d")
        return -1;
    // The module whose call that op is (a container returning the same value may come first).
    for (size_t j = 0; j < m.layers.size(); ++j) {
        const std::string& type = m.layers[j].type;
        if (user->outputs().size() == 1 && m.call(static_cast<int>(j)).output == user->output()
            && (type == "Conv2d" || type == "ConvTranspose2d" || type == "Linear"))
            return static_cast<int>(j);
    }
    return -1;
}

LinearNext linearNext(Model::Impl& m, int layer)
{
    LinearNext next;
    const int j = consumerLayer(m, layer);
    if (j < 0)
        return next;
    const torch::jit::Module& stage = m.call(j).module;
    const std::string type = m.layers[static_cast<size_t>(j)].type;
    if (type != "Conv2d" && type != "ConvTranspose2d" && type != "Linear")
        return next;
    if (!stage.hasattr("weight") || !stage.attr("weight").isTensor())
        return next;
    next.weight = stage.attr("weight").toTensor();
    next.layer = j;
    if (type == "Linear") {
        if (m.layers[static_cast<size_t>(layer)].shape.size() != 1)
            return next;
        next.kind = type;
        return next;
    }
    const auto attrInts = [&](const char* name) { return stage.hasattr(name) ? intsOf(stage.attr(name)) : std::vector<int64_t>{}; };
    next.stride = attrInts("stride");
    next.padding = attrInts("padding");
    next.dilation = attrInts("dilation");
    next.outputPadding = type == "ConvTranspose2d" ? attrInts("output_padding") : std::vector<int64_t>{0, 0};
    const std::vector<int64_t> groups = attrInts("groups");
    const bool zeros = !stage.hasattr("padding_mode") || stage.attr("padding_mode").toStringRef() == "zeros";
    if (next.stride.size() == 2 && next.padding.size() == 2 && next.dilation.size() == 2 && next.outputPadding.size() == 2
        && groups == std::vector<int64_t>{1} && zeros && next.weight.dim() == 4)
        next.kind = type;
    return next;
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

void checkCancel(const CancelToken* cancel)
{
    if (cancel && cancel->cancelled())
        throw Cancelled();
}

torch::Tensor finish(const torch::Tensor& sum, int64_t pairs) { return sum / static_cast<double>(pairs); }

} // namespace

std::string InfluenceEngine::shortcutKind(Model& model, int layer)
{
    model.impl().requireLayerIndex(layer);
    return linearNext(model.impl(), layer).kind;
}

Array InfluenceEngine::elementaryMaps(Model& model, int layer, const Array& latents, const InfluenceOptions& options,
                                      const ProgressFn& progress, const CancelToken* cancel)
{
    return elementaryMaps(model, layer, latents, Array(), options, progress, cancel);
}

Array InfluenceEngine::elementaryMaps(Model& model, int layer, const Array& latents, const Array& classes,
                                      const InfluenceOptions& options, const ProgressFn& progress, const CancelToken* cancel)
{
    Model::Impl& m = model.impl();
    m.requireLayerIndex(layer);
    c10::InferenceMode guard;
    const Pairs pairs = splitPairs(m, latents, classes);
    const torch::Tensor &z1 = pairs.z1, &z2 = pairs.z2;
    const int64_t n = z1.size(0);
    const int64_t channels = m.layers[static_cast<size_t>(layer)].channels();
    LinearNext next = options.linearShortcut ? linearNext(m, layer) : LinearNext{};
    if (!next.kind.empty() && !regroups(m, next.layer))
        next = LinearNext{};
    const int64_t pairChunk = std::max<int64_t>(1, std::min(options.pairChunk, n));
    const int64_t channelChunk = !regroups(m, layer) && next.kind.empty()
        ? 1 : std::max<int64_t>(1, std::min(channels, options.batchBudget / pairChunk));
    const int64_t pairSteps = (n + pairChunk - 1) / pairChunk;
    const int64_t channelSteps = (channels + channelChunk - 1) / channelChunk;
    const auto longs = torch::TensorOptions().dtype(torch::kLong).device(m.device);

    torch::Tensor sum;
    int64_t done = 0;
    for (int64_t p0 = 0; p0 < n; p0 += pairChunk) {
        const int64_t p = std::min(pairChunk, n - p0);
        // The prefix for this chunk of pairs, once for all channels; every value but the layer's
        // channels comes from z1's pass.
        const torch::Tensor y1 = pairs.y(pairs.y1, p0, p);
        const GraphCut::Prefix base = m.prefix(layer, z1.narrow(0, p0, p), y1);
        const torch::Tensor h1 = base.h, h2 = m.forwardTo(layer, z2.narrow(0, p0, p), pairs.y(pairs.y2, p0, p));
        const torch::Tensor x1 = m.toImages(m.suffix(layer, h1, base));
        const GraphCut::Prefix nextBase = next.kind.empty() ? GraphCut::Prefix{} : m.prefix(next.layer, z1.narrow(0, p0, p), y1);
        const torch::Tensor delta = h2 - h1;
        for (int64_t c0 = 0; c0 < channels; c0 += channelChunk) {
            checkCancel(cancel);
            const int64_t k = std::min(channelChunk, channels - c0);
            const torch::Tensor chunk = torch::arange(c0, c0 + k, longs);
            torch::Tensor images;
            if (!next.kind.empty()) {
                // Next layer's output = base + the swapped channel's own contribution; then the nonlinear rest.
                torch::Tensor y = nextBase.h.unsqueeze(1) + next.contribution(delta.index_select(1, chunk), chunk);
                y = y.reshape([&] { std::vector<int64_t> s = TensorConvert::shapeOf(nextBase.h); s[0] = p * k; return s; }());
                images = m.suffix(next.layer, y, nextBase, rowsOf(p, k, m.device), nullptr, true);
            } else {
                // Generic: K copies of h1, copy k takes channel chunk[k] from h2.
                std::vector<int64_t> maskShape(static_cast<size_t>(h1.dim()) + 1, 1);
                maskShape[1] = k;
                maskShape[2] = channels;
                const torch::Tensor onehot = torch::zeros({k, channels}, torch::TensorOptions().dtype(torch::kBool).device(m.device))
                                                 .scatter_(1, chunk.unsqueeze(1), true).reshape(maskShape);
                torch::Tensor mixed = torch::where(onehot, h2.unsqueeze(1), h1.unsqueeze(1));
                std::vector<int64_t> flat = TensorConvert::shapeOf(h1);
                flat[0] = p * k;
                images = m.suffix(layer, mixed.reshape(flat), base, rowsOf(p, k, m.device), nullptr, true);
            }
            images = m.toImages(images);
            std::vector<int64_t> shape = TensorConvert::shapeOf(images);
            shape[0] = k;
            shape.insert(shape.begin(), p);
            const torch::Tensor part = absDiffSum(images.reshape(shape), x1);
            if (!sum.defined()) {
                std::vector<int64_t> s = TensorConvert::shapeOf(part);
                s[0] = channels;
                sum = torch::zeros(s, part.options());
            }
            sum.narrow(0, c0, k).add_(part);
            if (progress)
                progress(++done, pairSteps * channelSteps);
        }
    }
    return TensorConvert::toArray(finish(sum, n));
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
        checkCancel(cancel);
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
            checkCancel(cancel);
            const int64_t p = std::min(pairChunk, n - p0);
            const torch::Tensor a = z1.narrow(0, p0, p), b = z2.narrow(0, p0, p);
            const torch::Tensor ya = pairs.y(pairs.y1, p0, p), yb = pairs.y(pairs.y2, p0, p);
            // What a notebook does: two full forward passes with a hook on the layer.
            const torch::Tensor x1 = m.toImages(m.runModel(a, ya));
            const GraphCut::Prefix base = m.prefix(layer, a, ya);
            torch::Tensor h1 = base.h.clone();
            h1.select(1, c).copy_(m.forwardTo(layer, b, yb).select(1, c));
            const torch::Tensor part = absDiffSum(m.toImages(m.suffix(layer, h1, base, {}, nullptr, true)).unsqueeze(1), x1)[0];
            sum = sum.defined() ? sum + part : part;
        }
        maps.push_back(finish(sum, n));
    }
    return TensorConvert::toArray(torch::stack(maps));
}

double InfluenceEngine::suffixFlopsPerSample(Model& model, int layer)
{
    Model::Impl& m = model.impl();
    m.requireLayerIndex(layer);
    double flops = 0.0;
    if (m.pathKind != LayerPath::Graph)
        return flops;
    // Every module call computed from the layer's output, by its weight and the shapes seen at load.
    const auto after = m.graph->dependents(m.call(layer).output);
    for (size_t i = 0; i < m.layers.size(); ++i) {
        const ModelGraph::Call& call = m.call(static_cast<int>(i));
        if (static_cast<int>(i) == layer || !after.count(call.output))
            continue;
        if (!call.module.hasattr("weight") || !call.module.attr("weight").isTensor())
            continue;
        const torch::Tensor w = call.module.attr("weight").toTensor();
        const std::vector<int64_t>& in = m.layerInputShapes[i];
        const std::vector<int64_t>& out = m.layers[i].shape;
        const std::string& type = m.layers[i].type;
        if (type == "Linear")
            flops += 2.0 * double(w.numel());
        else if (type == "Conv2d" && out.size() == 3)
            flops += 2.0 * double(w.numel()) * double(out[1] * out[2]);
        else if (type == "ConvTranspose2d" && in.size() == 3)
            flops += 2.0 * double(w.numel()) * double(in[1] * in[2]);
    }
    return flops;
}

} // namespace lx

#include "lx/InfluenceEngine.h"

#include "ModelImpl.h"
#include "TensorConvert.h"
#include "lx/Error.h"

namespace lx {

namespace {

// The pairs as two [N, *latent] tensors on the model's device.
std::pair<torch::Tensor, torch::Tensor> splitPairs(Model::Impl& m, const Array& latents)
{
    const torch::Tensor z = m.latents(latents, "latents");
    if (z.size(0) % 2 != 0)
        throw Error("latents: expected 2N latents (pairs (Z[i], Z[N+i])), got " + std::to_string(z.size(0)));
    const int64_t n = z.size(0) / 2;
    return {z.narrow(0, 0, n), z.narrow(0, n, n)};
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

// The first layer after L, when it is linear in its input and we know how to apply one input
// channel's slice of its weight.
struct LinearNext {
    std::string kind;   // "Conv2d", "ConvTranspose2d", "Linear"; empty when no shortcut applies
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

LinearNext linearNext(Model::Impl& m, int layer)
{
    LinearNext next;
    const size_t i = static_cast<size_t>(layer) + 1;
    if (m.pathKind != LayerPath::Sequential || i >= m.stages.size())
        return next;
    const torch::jit::Module& stage = m.stages[i];
    const std::string type = m.layers[i].type;
    if (type != "Conv2d" && type != "ConvTranspose2d" && type != "Linear")
        return next;
    if (!stage.hasattr("weight") || !stage.attr("weight").isTensor())
        return next;
    next.weight = stage.attr("weight").toTensor();
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
    Model::Impl& m = model.impl();
    m.requireLayerIndex(layer);
    c10::InferenceMode guard;
    const auto [z1, z2] = splitPairs(m, latents);
    const int64_t n = z1.size(0);
    const int64_t channels = m.layers[static_cast<size_t>(layer)].channels();
    const LinearNext next = options.linearShortcut ? linearNext(m, layer) : LinearNext{};
    const int64_t pairChunk = std::max<int64_t>(1, std::min(options.pairChunk, n));
    const int64_t channelChunk = std::max<int64_t>(1, std::min(channels, options.batchBudget / pairChunk));
    const int64_t pairSteps = (n + pairChunk - 1) / pairChunk;
    const int64_t channelSteps = (channels + channelChunk - 1) / channelChunk;
    const auto longs = torch::TensorOptions().dtype(torch::kLong).device(m.device);

    torch::Tensor sum;
    int64_t done = 0;
    for (int64_t p0 = 0; p0 < n; p0 += pairChunk) {
        const int64_t p = std::min(pairChunk, n - p0);
        // The prefix for this chunk of pairs, once for all channels.
        const torch::Tensor h = m.forwardTo(layer, torch::cat({z1.narrow(0, p0, p), z2.narrow(0, p0, p)}, 0));
        const torch::Tensor h1 = h.narrow(0, 0, p), h2 = h.narrow(0, p, p);
        const torch::Tensor x1 = m.toImages(m.forwardFrom(layer, h1));
        const torch::Tensor base = next.kind.empty() ? torch::Tensor() : m.stages[static_cast<size_t>(layer) + 1].forward({h1}).toTensor();
        const torch::Tensor delta = h2 - h1;
        for (int64_t c0 = 0; c0 < channels; c0 += channelChunk) {
            checkCancel(cancel);
            const int64_t k = std::min(channelChunk, channels - c0);
            const torch::Tensor chunk = torch::arange(c0, c0 + k, longs);
            torch::Tensor images;
            if (!next.kind.empty()) {
                // Next layer's output = base + the swapped channel's own contribution; then the nonlinear rest.
                torch::Tensor y = base.unsqueeze(1) + next.contribution(delta.index_select(1, chunk), chunk);
                y = y.reshape([&] { std::vector<int64_t> s = TensorConvert::shapeOf(base); s[0] = p * k; return s; }());
                images = m.forwardFrom(layer + 1, y);
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
                images = m.forwardFrom(layer, mixed.reshape(flat));
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
                                const CancelToken* cancel)
{
    Model::Impl& m = model.impl();
    m.requireLayerIndex(layer);
    c10::InferenceMode guard;
    const auto [z1, z2] = splitPairs(m, latents);
    const torch::Tensor mask = m.channelMask(layer, channels);
    torch::Tensor sum;
    const int64_t n = z1.size(0), chunk = 64;
    for (int64_t p0 = 0; p0 < n; p0 += chunk) {
        checkCancel(cancel);
        const int64_t p = std::min(chunk, n - p0);
        const torch::Tensor h = m.forwardTo(layer, torch::cat({z1.narrow(0, p0, p), z2.narrow(0, p0, p)}, 0));
        const torch::Tensor h1 = h.narrow(0, 0, p), h2 = h.narrow(0, p, p);
        const torch::Tensor x1 = m.toImages(m.forwardFrom(layer, h1));
        const torch::Tensor hybrid = m.toImages(m.forwardFrom(layer, torch::where(mask, h2, h1)));
        const torch::Tensor part = absDiffSum(hybrid.unsqueeze(1), x1)[0];
        sum = sum.defined() ? sum + part : part;
    }
    return TensorConvert::toArray(finish(sum, n));
}

Array InfluenceEngine::elementaryMapsPlain(Model& model, int layer, const Array& latents, int64_t pairChunk,
                                           const CancelToken* cancel)
{
    Model::Impl& m = model.impl();
    m.requireLayerIndex(layer);
    c10::InferenceMode guard;
    const auto [z1, z2] = splitPairs(m, latents);
    const int64_t n = z1.size(0);
    const int64_t channels = m.layers[static_cast<size_t>(layer)].channels();
    std::vector<torch::Tensor> maps;
    for (int64_t c = 0; c < channels; ++c) {
        torch::Tensor sum;
        for (int64_t p0 = 0; p0 < n; p0 += pairChunk) {
            checkCancel(cancel);
            const int64_t p = std::min(pairChunk, n - p0);
            const torch::Tensor a = z1.narrow(0, p0, p), b = z2.narrow(0, p0, p);
            // What a notebook does: two full forward passes with a hook on the layer.
            const torch::Tensor x1 = m.toImages(m.runModel(a));
            torch::Tensor h1 = m.forwardTo(layer, a).clone();
            h1.select(1, c).copy_(m.forwardTo(layer, b).select(1, c));
            const torch::Tensor part = absDiffSum(m.toImages(m.forwardFrom(layer, h1)).unsqueeze(1), x1)[0];
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
    for (size_t i = static_cast<size_t>(layer) + 1; i < m.stages.size(); ++i) {
        const torch::jit::Module& stage = m.stages[i];
        if (!stage.hasattr("weight") || !stage.attr("weight").isTensor())
            continue;
        const torch::Tensor w = stage.attr("weight").toTensor();
        const std::vector<int64_t>& in = m.layers[i - 1].shape;
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

#include "ModelImpl.h"

#include "ConvTransposeKernel.h"
#include "LayerFinder.h"

#include "TensorConvert.h"
#include "lx/Error.h"

#include <torch/csrc/jit/api/function_impl.h>

#include <cmath>
#include <sstream>

namespace lx {

torch::Tensor Model::Impl::asTensor(const c10::IValue& value, const std::string& what)
{
    if (value.isTensor())
        return value.toTensor();
    // encode() may return (mu, logvar): the posterior mean comes first.
    if (value.isTuple() && !value.toTupleRef().elements().empty() && value.toTupleRef().elements()[0].isTensor())
        return value.toTupleRef().elements()[0].toTensor();
    if (value.isList() && value.toListRef().size() > 0 && value.toListRef()[0].isTensor())
        return value.toListRef()[0].toTensor();
    throw Error(what + " returned " + value.tagKind() + ", expected a tensor");
}

torch::Tensor Model::Impl::latents(const Array& z, const std::string& what) const
{
    const int64_t size = card.latentSize();
    if (z.rank() < 1 || z.dim(0) < 1)
        throw Error(what + ": expected latents of shape [N, " + std::to_string(size) + "], got "
                    + Array::shapeString(z.shape()));
    const int64_t n = z.dim(0);
    if (z.numel() != n * size)
        throw Error(what + ": latents of shape " + Array::shapeString(z.shape()) + " do not match the card's "
                    + "latent_shape " + Array::shapeString(card.latentShape));
    z.requireFinite(what);
    std::vector<int64_t> shape = card.latentShape;
    shape.insert(shape.begin(), n);
    return TensorConvert::toTensor(z, device).reshape(shape);
}

torch::Tensor Model::Impl::classes(const Array& indices, int64_t n, const std::string& what) const
{
    if (!card.conditional()) {
        if (indices.numel() > 0)
            throw Error(what
                        + ": the model is not class-conditional (its card has no class_input), so it takes no classes");
        return {};
    }
    const int64_t k = static_cast<int64_t>(card.inputClasses.size());
    if (indices.numel() == 0)
        throw Error(what + ": the model is class-conditional (card class_input, " + std::to_string(k)
                    + " classes): give one class index per latent");
    if (indices.rank() == 2 && indices.dim(1) == k && indices.dim(0) == n && k > 1)
        return mixture(indices, what);
    if (indices.rank() > 1 && !(indices.rank() == 2 && indices.dim(1) == 1))
        throw Error(what + ": expected " + std::to_string(n) + " class indices or class weights of shape ["
                    + std::to_string(n) + ", " + std::to_string(k) + "], got " + Array::shapeString(indices.shape()));
    if (indices.numel() != n)
        throw Error(what + ": " + std::to_string(indices.numel()) + " class indices for " + std::to_string(n)
                    + " latents");
    std::vector<int64_t> idx(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        const float v = indices.data()[static_cast<size_t>(i)];
        if (!std::isfinite(v) || v != std::floor(v)) {
            std::ostringstream shown;
            shown << v;
            throw Error(what + ": class index " + shown.str() + " (at " + std::to_string(i)
                        + ") is not a whole number");
        }
        if (v < 0 || v >= float(k))
            throw Error(what + ": class " + std::to_string(int64_t(v)) + " (at " + std::to_string(i)
                        + ") is out of range [0, " + std::to_string(k) + ")");
        idx[static_cast<size_t>(i)] = static_cast<int64_t>(v);
    }
    const torch::Tensor t = torch::tensor(idx, torch::kLong);
    if (card.classEncoding == ClassEncoding::Index)
        return t.to(device);
    return torch::one_hot(t, k).to(torch::kFloat32).to(device);
}

torch::Tensor Model::Impl::mixture(const Array& weights, const std::string& what) const
{
    if (card.classEncoding != ClassEncoding::OneHot)
        throw Error(what + ": class weights need a model with class_input encoding \"onehot\"; this one takes class "
                    "indices (encoding \"index\")");
    weights.requireFinite(what);
    const int64_t n = weights.dim(0), k = weights.dim(1);
    for (int64_t i = 0; i < n; ++i) {
        double sum = 0.0;
        for (int64_t j = 0; j < k; ++j) {
            const float w = weights.data()[static_cast<size_t>(i * k + j)];
            if (w < 0.0f)
                throw Error(what + ": class weight " + std::to_string(w) + " (row " + std::to_string(i)
                            + ") is negative");
            sum += w;
        }
        if (std::abs(sum - 1.0) > 1e-4)
            throw Error(what + ": the class weights of row " + std::to_string(i) + " sum to " + std::to_string(sum)
                        + ", not 1");
    }
    return TensorConvert::toTensor(weights, device);
}

std::vector<c10::IValue> Model::Impl::methodInputs(const torch::Tensor& z, const torch::Tensor& y) const
{
    if (card.conditional() != y.defined())
        throw Error(card.conditional()
                        ? "the model is class-conditional (card class_input): it needs a class per latent"
                        : "the model is not class-conditional, so it takes no classes");
    if (y.defined())
        return {z, y};
    return {z};
}

torch::Tensor Model::Impl::runModel(const torch::Tensor& z, const torch::Tensor& y)
{
    const std::vector<c10::IValue> inputs = methodInputs(z, y);
    const std::string args = y.defined() ? "(z, y)" : "(z)";
    if (pathKind == LayerPath::Graph && graph) {
        if (!flatMethod) {
            const std::shared_ptr<torch::jit::Graph> g = graph->graph()->copy();
            ConvTransposeKernel::useIn(*g);
            flatMethod = std::make_shared<torch::jit::GraphFunction>("lx_flat_" + graph->method(), g, nullptr,
                                                                     torch::jit::ExecutorExecutionMode::SIMPLE);
        }
        std::vector<c10::IValue> stack{module._ivalue()};
        stack.insert(stack.end(), inputs.begin(), inputs.end());
        flatMethod->run(stack);
        return asTensor(stack.at(0), graph->method() + args);
    }
    if (card.kind == ModelKind::Generator)
        return asTensor(module.forward(inputs), "forward" + args);
    return asTensor(module.get_method("decode")(inputs), "decode" + args);
}

void Model::Impl::requireLayerIndex(int layer) const
{
    if (layer < 0 || layer >= static_cast<int>(layers.size()))
        throw Error("layer index " + std::to_string(layer) + " out of range (the model has "
                    + std::to_string(layers.size()) + " layers)");
}

torch::Tensor Model::Impl::channelMask(int layer, const std::vector<int>& channels) const
{
    requireLayerIndex(layer);
    const LayerInfo& info = layers[static_cast<size_t>(layer)];
    const int64_t count = info.channels();
    torch::Tensor mask = torch::zeros({count}, torch::kBool);
    auto* m = mask.data_ptr<bool>();
    for (int c : channels) {
        if (c < 0 || c >= count)
            throw Error("channel " + std::to_string(c) + " out of range for layer " + info.name + " with "
                        + std::to_string(count) + " channels");
        m[c] = true;
    }
    std::vector<int64_t> shape(info.shape.size() + 1, 1);
    shape[1] = count;
    return mask.reshape(shape).to(device);
}

GraphCut::Prefix Model::Impl::prefix(int layer, const torch::Tensor& z, const torch::Tensor& y, const GraphCut* via)
{
    requireLayerIndex(layer);
    return (via ? *via : cut(layer)).prefix(methodInputs(z, y));
}

torch::Tensor Model::Impl::suffix(int layer, const torch::Tensor& h, const GraphCut::Prefix& base,
                                  const torch::Tensor& rows, const GraphCut* via, bool hIsTemporary)
{
    requireLayerIndex(layer);
    return asTensor((via ? *via : cut(layer)).suffix(h, base, rows, hIsTemporary),
                    layers[static_cast<size_t>(layer)].name);
}

const GraphCut& Model::Impl::cut(int layer, bool classAfterCut)
{
    requireLayerIndex(layer);
    if (pathKind != LayerPath::Graph)
        throw Error("layer " + layers[static_cast<size_t>(layer)].name + " is not a graph layer");
    std::unique_ptr<GraphCut>& slot = (classAfterCut ? classCuts : cuts)[static_cast<size_t>(layer)];
    if (!slot)
        slot = LayerFinder::checkedCut(*this, layer, classAfterCut);
    return *slot;
}

torch::Tensor Model::Impl::encodeMean(const torch::Tensor& x)
{
    if (card.kind != ModelKind::Autoencoder)
        throw Error("encode: the model is a " + Card::kindName(card.kind) + ", not an autoencoder");
    torch::Tensor mean = asTensor(module.get_method("encode")({x}), "encode(x)");
    std::vector<int64_t> shape = card.latentShape;
    shape.insert(shape.begin(), mean.size(0));
    if (mean.numel() != mean.size(0) * card.latentSize())
        throw Error("encode(x) returned shape " + Array::shapeString(TensorConvert::shapeOf(mean))
                    + ", which does not match the card's latent_shape " + Array::shapeString(card.latentShape));
    return mean.reshape(shape);
}

torch::Tensor Model::Impl::toImages(const torch::Tensor& raw) const
{
    std::vector<int64_t> shape = outputShape;
    shape.insert(shape.begin(), raw.size(0));
    return raw.reshape(shape);
}

} // namespace lx

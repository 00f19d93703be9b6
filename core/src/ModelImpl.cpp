#include "ModelImpl.h"

#include "TensorConvert.h"
#include "lx/Error.h"

namespace lx {

namespace {

torch::Tensor asTensor(const c10::IValue& value, const std::string& what)
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

} // namespace

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

torch::Tensor Model::Impl::runModel(const torch::Tensor& z)
{
    if (card.kind == ModelKind::Generator)
        return asTensor(module.forward({z}), "forward(z)");
    return asTensor(module.get_method("decode")({z}), "decode(z)");
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

torch::Tensor Model::Impl::forwardTo(int layer, const torch::Tensor& z)
{
    requireLayerIndex(layer);
    if (pathKind == LayerPath::Protocol)
        return asTensor(module.get_method("lx_forward_to")({z, static_cast<int64_t>(layer)}), "lx_forward_to");
    torch::Tensor x = z;
    for (int i = 0; i <= layer; ++i)
        x = asTensor(stages[static_cast<size_t>(i)].forward({x}), layers[static_cast<size_t>(i)].name);
    return x;
}

torch::Tensor Model::Impl::forwardFrom(int layer, const torch::Tensor& h)
{
    requireLayerIndex(layer);
    if (pathKind == LayerPath::Protocol)
        return asTensor(module.get_method("lx_forward_from")({h, static_cast<int64_t>(layer)}), "lx_forward_from");
    torch::Tensor x = h;
    for (size_t i = static_cast<size_t>(layer) + 1; i < stages.size(); ++i)
        x = asTensor(stages[i].forward({x}), layers[i].name);
    return x;
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

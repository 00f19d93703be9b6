#pragma once
// Model::Impl: the tensor-level side of lx::Model. Private to core's .cpp files.
#include "lx/Model.h"

#include <torch/script.h>

namespace lx {

enum class LayerPath { None, Sequential, Protocol };

struct Model::Impl {
    std::string path;
    Card card;
    torch::jit::Module module;
    torch::Device device{torch::kCPU};
    int threads = 1;
    std::vector<int64_t> outputShape;   // per sample, after the card's output_shape
    std::vector<int64_t> rawOutputShape;   // per sample, as forward/decode return it (encode's input)
    std::vector<LayerInfo> layers;
    LayerDiscovery discovery;
    LayerPath pathKind = LayerPath::None;
    std::vector<torch::jit::Module> stages;   // the Sequential's children, for LayerPath::Sequential

    // Latents as a [N, *latent_shape] tensor on the device; accepts [N, *latent_shape] or [N, D].
    torch::Tensor latents(const Array& z, const std::string& what) const;
    // The model's own output for latents: forward(z) or decode(z), as the model returns it.
    torch::Tensor runModel(const torch::Tensor& z);
    torch::Tensor forwardTo(int layer, const torch::Tensor& z);
    torch::Tensor forwardFrom(int layer, const torch::Tensor& h);
    torch::Tensor encodeMean(const torch::Tensor& x);
    // Reshapes raw outputs to [N, *outputShape].
    torch::Tensor toImages(const torch::Tensor& raw) const;
    void requireLayerIndex(int layer) const;
    // Boolean mask over layer `layer`'s channels, shaped to broadcast over its [N, C, ...] output: true
    // for the listed channels. Throws lx::Error for a channel outside [0, C).
    torch::Tensor channelMask(int layer, const std::vector<int>& channels) const;
};

} // namespace lx

#pragma once
// Model::Impl: the tensor-level side of lx::Model. Private to core's .cpp files.
#include "GraphCut.h"
#include "lx/Model.h"

#include <torch/script.h>

namespace lx {

enum class LayerPath { None, Graph };

struct Model::Impl {
    std::string path;
    Card card;
    torch::jit::Module module;
    torch::Device device{torch::kCPU};
    int threads = 1;
    std::uint64_t serial = 0;
    std::vector<int64_t> outputShape; // per sample, after the card's output_shape
    std::vector<int64_t> rawOutputShape; // per sample, as forward/decode return it (encode's input)
    std::vector<LayerInfo> layers;
    LayerDiscovery discovery;
    LayerPath pathKind = LayerPath::None;
    std::unique_ptr<ModelGraph> graph; // the flat generating graph, for LayerPath::Graph
    std::vector<size_t> layerCalls; // per layer: its index in graph->calls()
    std::vector<std::vector<int64_t>> layerInputShapes; // per layer: per-sample shape of its input ({} if none)
    std::vector<std::unique_ptr<GraphCut>> cuts; // per layer, built on first use
    std::vector<std::unique_ptr<GraphCut>> classCuts; // the same with class values recomputed after the cut
    // The flat generating graph as one function, with the same kernels as the cuts (runModel), built on
    // first use.
    std::shared_ptr<torch::jit::GraphFunction> flatMethod;
    torch::Tensor probeLatents, probeClasses,
        probeOutput; // sample latents and the model's output for them, to check cuts

    // The tensor a model method returned: itself, or the first element of a tuple or list.
    static torch::Tensor asTensor(const c10::IValue& value, const std::string& what);
    // Latents as a [N, *latent_shape] tensor on the device; accepts [N, *latent_shape] or [N, D].
    torch::Tensor latents(const Array& z, const std::string& what) const;
    // The class argument for n samples of a class-conditional model (card class_input) from class
    // indices (whole numbers in [0, K)): int64 [N] or one-hot float [N, K] on the device. Undefined for
    // an unconditional model, which must get no classes. Throws lx::Error naming `what` otherwise.
    // For a one-hot model, `indices` may instead be class weights [n, K] (rows of non-negative numbers
    // summing to 1), passed as y unchanged: the class mixtures of a class interpolation.
    torch::Tensor classes(const Array& indices, int64_t n, const std::string& what) const;
    torch::Tensor mixture(const Array& weights, const std::string& what) const;
    // The generating method's arguments after self: {z} or {z, y}.
    std::vector<c10::IValue> methodInputs(const torch::Tensor& z, const torch::Tensor& y) const;
    // The model's own output for latents (and classes): forward or decode, as the model returns it. A
    // graph-path model runs its flat graph with the cuts' kernels (ConvTransposeKernel), so that a
    // suffix rerun on an unchanged layer output gives the model's output bit for bit.
    torch::Tensor runModel(const torch::Tensor& z, const torch::Tensor& y = {});
    // The pass up to layer `layer` for latents z, with what the rest of the network needs from it.
    // `via`: the cut to use (default: cut(layer)).
    GraphCut::Prefix prefix(int layer, const torch::Tensor& z, const torch::Tensor& y = {},
                            const GraphCut* via = nullptr);
    torch::Tensor forwardTo(int layer, const torch::Tensor& z, const torch::Tensor& y = {})
    {
        return prefix(layer, z, y).h;
    }
    // The model's raw output when layer `layer` outputs h and every other value comes from the pass
    // `base`; rows (int64, optional) gives the base sample of each row of h.
    // hIsTemporary: the caller does not need h afterwards (no copy where the suffix writes into it).
    torch::Tensor suffix(int layer, const torch::Tensor& h, const GraphCut::Prefix& base,
                         const torch::Tensor& rows = {}, const GraphCut* via = nullptr, bool hIsTemporary = false);
    // The cut at a graph layer, built and checked against the model's own output on first use; with
    // classAfterCut, the variant whose suffix recomputes the class values (GraphCut).
    const GraphCut& cut(int layer, bool classAfterCut = false);
    // The graph call of a graph layer.
    const ModelGraph::Call& call(int layer) const { return graph->calls()[layerCalls[static_cast<size_t>(layer)]]; }
    torch::Tensor encodeMean(const torch::Tensor& x);
    // Reshapes raw outputs to [N, *outputShape].
    torch::Tensor toImages(const torch::Tensor& raw) const;
    void requireLayerIndex(int layer) const;
    // Boolean mask over layer `layer`'s channels, shaped to broadcast over its [N, C, ...] output: true
    // for the listed channels. Throws lx::Error for a channel outside [0, C).
    torch::Tensor channelMask(int layer, const std::vector<int>& channels) const;
};

} // namespace lx

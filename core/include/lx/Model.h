#pragma once
// lx::Model: a TorchScript model plus its card (model contract v1, models/CONTRACT.md), loaded onto a
// device, in eval mode, with its generating path split into layers. All inference runs without
// gradients. A Model is used from one thread at a time (the compute worker, or the CLI).
#include "lx/Array.h"
#include "lx/Card.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lx {

enum class DeviceChoice { Auto, Cpu, Cuda };

// A device as users name it (the GUI's device field, the CLI's --device, a session's "device"): "auto" or
// nothing, "cpu", "cuda" or "gpu", in any letter case and with white space around it. nullopt otherwise.
std::optional<DeviceChoice> parseDeviceChoice(const std::string& text);

struct LoadOptions {
    DeviceChoice device = DeviceChoice::Auto; // Auto: CUDA when LibTorch has it, else CPU
    int threads = 0; // intra-op threads; 0 = number of cores
};

struct LayerInfo {
    std::string name; // attribute path, e.g. "main.5" or "blocks.1.conv2" ("@2" for a second call)
    std::string type; // the module's class, e.g. "ConvTranspose2d"
    std::vector<int64_t> shape; // per-sample output shape, [C, H, W] or [F]
    int64_t channels() const { return shape.empty() ? 0 : shape[0]; }
};

// How the layers were found, and why candidates were turned down (for the model panel and `info`).
struct LayerDiscovery {
    std::string method; // "graph" or "none"
    std::string path; // the method whose graph gave the layers ("forward", "decode")
    std::vector<std::string> rejected; // one line per rejected candidate, with the reason
};

class Model {
public:
    // Loads a model file and its card (embedded `latent_explorer.json`, else sidecar `<path>.json`).
    // Throws lx::Error with a one-line message: missing or unreadable file, not TorchScript, no or bad
    // card, missing methods, a latent_shape the model does not accept.
    static std::unique_ptr<Model> load(const std::string& path, const LoadOptions& options = {});
    // The card of a model file (embedded, else sidecar) without loading the model, e.g. to route a file
    // by its kind (a cgn goes to lx::CgnModel, a classifier to lx::Classifier). Throws lx::Error as load().
    static Card readCard(const std::string& path);
    ~Model();
    Model(const Model&) = delete;
    Model& operator=(const Model&) = delete;

    const std::string& path() const;
    const Card& card() const;
    const std::vector<LayerInfo>& layers() const;
    const LayerDiscovery& discovery() const;
    // Index of a layer by name, or -1.
    int layerIndex(const std::string& name) const;
    // Throws lx::Error("unknown layer 'x' (layers: a, b, ...)") when absent.
    int requireLayer(const std::string& name) const;
    // Per-sample shape of what generate() returns (the card's output_shape when given).
    const std::vector<int64_t>& outputShape() const;
    std::string deviceName() const; // "cpu" or "cuda:0"
    int threads() const;
    // A number no other Model of this process has (counting from 1), so that caches built for one model
    // (e.g. a HybridEngine kept across requests) can tell that another one replaced it, even at the
    // same address.
    std::uint64_t serial() const;

    // Checks a latent batch: shape [N, *latent_shape] (or [N, latentSize]); throws lx::Error otherwise.
    Array normalizeLatents(const Array& z, const std::string& what) const;

    // Images for latents z [N, *latent_shape]: forward(z) for generators, decode(z) for autoencoders,
    // shaped [N, *outputShape()]. A class-conditional model (card class_input) takes one class index per
    // latent in `classes` (N whole numbers in [0, K)) and runs forward(z, y); other models take none.
    Array generate(const Array& z, const Array& classes = Array());
    // Output of layer `layer` for latents z (and classes): [N, *layers()[layer].shape].
    Array forwardTo(int layer, const Array& z, const Array& classes = Array());
    // Images when layer `layer` outputs h and every other value the rest of the network needs (other
    // inputs, skip connections, ...) comes from the pass of latents z (one per row of h): [N, *outputShape()].
    Array forwardFrom(int layer, const Array& h, const Array& z, const Array& classes = Array());
    // Posterior mean of encode(x) for autoencoders, [N, *latent_shape]; x as generate() returns it.
    Array encodeMean(const Array& x);

    struct Impl;
    Impl& impl() { return *d; } // for core's own .cpp files (tensor-level access)

private:
    Model();
    std::unique_ptr<Impl> d;
};

} // namespace lx

#include "lx/Model.h"

#include "LayerFinder.h"
#include "ModelFile.h"
#include "ModelImpl.h"
#include "TensorConvert.h"
#include "lx/Error.h"
#include "lx/ErrorMessage.h"
#include "lx/LatentSampler.h"
#include "lx/Runtime.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cctype>

namespace lx {

namespace {

void requireMethods(Model::Impl& m)
{
    if (m.card.kind == ModelKind::Classifier)
        throw Error(m.path + ": the card says classifier; a classifier is not a generator or autoencoder to explore "
                    "(use it as the classifier of the robustness assay)");
    if (m.card.kind == ModelKind::Cgn)
        throw Error(m.path + ": the card says cgn; a counterfactual generative network is not a generator or "
                    "autoencoder to explore (open it in the CGN mixer, or use the cli commands cgn and cgn-dataset)");
    if (m.card.kind == ModelKind::VqVae)
        throw Error(m.path + ": the card says vqvae; a VQ-VAE's latents are discrete code indices, not a latent to "
                    "explore (use the cli commands vq-encode, vq-decode, vq-apply and vq-evaluate)");
    const std::vector<std::string> needed = m.card.kind == ModelKind::Generator
        ? std::vector<std::string>{"forward"}
        : std::vector<std::string>{"encode", "decode"};
    for (const std::string& name : needed) {
        if (!m.module.find_method(name))
            throw Error(m.path + ": the card says " + Card::kindName(m.card.kind) + " but the model has no '" + name
                        + "' method");
    }
}

// The generating method must take what the card says: z, and y when the card has class_input.
void requireArity(Model::Impl& m)
{
    const std::string method = m.card.kind == ModelKind::Generator ? "forward" : "decode";
    const auto& arguments = m.module.get_method(method).function().getSchema().arguments();
    size_t required = 0;
    for (size_t i = 1; i < arguments.size(); ++i)
        required += arguments[i].default_value() ? 0 : 1;
    const size_t given = m.card.conditional() ? 2 : 1;
    if (required > given)
        throw Error(m.path + ": " + method + "() takes " + std::to_string(required) + " inputs but the card describes "
                    + (m.card.conditional() ? "two (z and the class y)" : "one (z)")
                    + (m.card.conditional()
                           ? ""
                           : "; a class-conditional model needs class_input in its card (models/CONTRACT.md)"));
    if (arguments.size() - 1 < given)
        throw Error(m.path + ": the card has class_input but " + method + "() takes only the latent");
}

// Runs the model on two sample latents (classes 0 and 1 for a conditional model): the latent shape
// must be accepted, the output finite, and the card's output_shape must fit. Sets m.outputShape.
void probeOutput(Model::Impl& m)
{
    const Array z = LatentSampler(m.card.latentShape).sample({0, 1});
    const int64_t k = static_cast<int64_t>(m.card.inputClasses.size());
    const Array c = m.card.conditional() ? Array({2}, {0.0f, float(std::min<int64_t>(1, k - 1))}) : Array();
    torch::Tensor out;
    try {
        out = m.runModel(m.latents(z, m.path), m.classes(c, 2, m.path));
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        if (isOutOfMemory(e)) // not a shape problem: say what it is (a model too large for this machine)
            throw Error(m.path + ": " + errorMessage(e) + ", running it on two sample latents at load");
        throw Error(m.path + ": the model does not accept latents of shape "
                    + Array::shapeString(TensorConvert::shapeOf(m.latents(z, m.path))) + " (card latent_shape "
                    + Array::shapeString(m.card.latentShape) + "): " + firstLine(e.what()));
    }
    if (out.dim() < 1 || out.size(0) != 2)
        throw Error(m.path + ": the model's output " + Array::shapeString(TensorConvert::shapeOf(out))
                    + " has no batch axis");
    if (!torch::isfinite(out).all().item<bool>())
        throw Error(m.path + ": the model produces NaN or Inf for sample latents");
    const std::vector<int64_t> own = TensorConvert::sampleShape(out);
    m.rawOutputShape = own;
    if (m.card.outputShape.empty()) {
        m.outputShape = own;
    } else {
        if (Array::product(m.card.outputShape) != Array::product(own))
            throw Error(m.path + ": card output_shape " + Array::shapeString(m.card.outputShape)
                        + " does not fit the model's output " + Array::shapeString(own));
        m.outputShape = m.card.outputShape;
    }
    if (m.card.kind == ModelKind::Autoencoder) {
        try {
            m.encodeMean(out);
        } catch (const Error& e) {
            throw Error(m.path + ": " + e.what());
        } catch (const std::exception& e) {
            throw Error(m.path + ": encode(decode(z)) fails: " + firstLine(e.what()));
        }
    }
}

} // namespace

Model::Model()
    : d(std::make_unique<Impl>())
{
}
Model::~Model() = default;

std::optional<DeviceChoice> parseDeviceChoice(const std::string& text)
{
    const auto space = [](unsigned char c) { return std::isspace(c) != 0; };
    const auto first = std::find_if_not(text.begin(), text.end(), space);
    const auto last = std::find_if_not(text.rbegin(), std::string::const_reverse_iterator(first), space).base();
    std::string name(first, last);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (name.empty() || name == "auto")
        return DeviceChoice::Auto;
    if (name == "cpu")
        return DeviceChoice::Cpu;
    if (name == "cuda" || name == "gpu")
        return DeviceChoice::Cuda;
    return std::nullopt;
}

std::unique_ptr<Model> Model::load(const std::string& path, const LoadOptions& options)
{
    std::unique_ptr<Model> model(new Model());
    Impl& m = *model->d;
    static std::atomic<std::uint64_t> lastSerial{0};
    m.serial = ++lastSerial;
    m.path = path;
    m.threads = Runtime::configureThreads(options.threads);
    m.device = ModelFile::chooseDevice(options.device);

    ModelFile file = ModelFile::load(path, m.device, "model");
    m.module = std::move(file.module);
    m.card = std::move(file.card);
    requireMethods(m);
    requireArity(m);

    c10::InferenceMode guard;
    probeOutput(m);
    LayerFinder::discover(m);
    spdlog::info("loaded {} ({}, latent {}, output {}, {} layers via {}, {})", path, Card::kindName(m.card.kind),
                 Array::shapeString(m.card.latentShape), Array::shapeString(m.outputShape), m.layers.size(),
                 m.discovery.method, m.device.str());
    for (const std::string& why : m.discovery.rejected) {
        if (m.layers.empty())
            spdlog::warn("layer discovery: {}", why);
        else
            spdlog::debug("layer discovery: {}", why);
    }
    return model;
}

Card Model::readCard(const std::string& path) { return ModelFile::readCard(path, "model"); }

const std::string& Model::path() const { return d->path; }
const Card& Model::card() const { return d->card; }
const std::vector<LayerInfo>& Model::layers() const { return d->layers; }
const LayerDiscovery& Model::discovery() const { return d->discovery; }
const std::vector<int64_t>& Model::outputShape() const { return d->outputShape; }
std::string Model::deviceName() const { return d->device.str(); }
int Model::threads() const { return d->threads; }
std::uint64_t Model::serial() const { return d->serial; }

int Model::layerIndex(const std::string& name) const
{
    for (size_t i = 0; i < d->layers.size(); ++i) {
        if (d->layers[i].name == name)
            return static_cast<int>(i);
    }
    return -1;
}

int Model::requireLayer(const std::string& name) const
{
    const int index = layerIndex(name);
    if (index >= 0)
        return index;
    std::string names;
    for (const LayerInfo& l : d->layers)
        names += (names.empty() ? "" : ", ") + l.name;
    throw Error("unknown layer '" + name + "' (layers: " + (names.empty() ? "none found" : names) + ")");
}

Array Model::normalizeLatents(const Array& z, const std::string& what) const
{
    return TensorConvert::toArray(d->latents(z, what));
}

Array Model::generate(const Array& z, const Array& classes)
{
    c10::InferenceMode guard;
    const torch::Tensor latents = d->latents(z, "latents");
    return TensorConvert::toArray(d->toImages(d->runModel(latents, d->classes(classes, latents.size(0), "classes"))));
}

Array Model::forwardTo(int layer, const Array& z, const Array& classes)
{
    c10::InferenceMode guard;
    const torch::Tensor latents = d->latents(z, "latents");
    return TensorConvert::toArray(d->forwardTo(layer, latents, d->classes(classes, latents.size(0), "classes")));
}

Array Model::forwardFrom(int layer, const Array& h, const Array& z, const Array& classes)
{
    c10::InferenceMode guard;
    d->requireLayerIndex(layer);
    const std::vector<int64_t>& shape = d->layers[static_cast<size_t>(layer)].shape;
    if (h.rank() < 1 || h.numel() != h.dim(0) * Array::product(shape))
        throw Error("activations of shape " + Array::shapeString(h.shape()) + " do not match layer "
                    + d->layers[static_cast<size_t>(layer)].name + " " + Array::shapeString(shape));
    const torch::Tensor latents = d->latents(z, "latents");
    if (latents.size(0) != h.dim(0))
        throw Error("forwardFrom: " + std::to_string(h.dim(0)) + " activations but " + std::to_string(latents.size(0))
                    + " latents");
    std::vector<int64_t> full = shape;
    full.insert(full.begin(), h.dim(0));
    const GraphCut::Prefix base = d->prefix(layer, latents, d->classes(classes, latents.size(0), "classes"));
    return TensorConvert::toArray(
        d->toImages(d->suffix(layer, TensorConvert::toTensor(h.reshaped(full), d->device), base)));
}

Array Model::encodeMean(const Array& x)
{
    c10::InferenceMode guard;
    if (x.rank() < 1 || x.numel() != x.dim(0) * Array::product(d->outputShape))
        throw Error("images of shape " + Array::shapeString(x.shape()) + " do not match the model's output "
                    + Array::shapeString(d->outputShape));
    x.requireFinite("images");
    // encode() takes what decode() returns: use the raw output layout of the probe.
    std::vector<int64_t> rawShape = d->rawOutputShape;
    rawShape.insert(rawShape.begin(), x.dim(0));
    return TensorConvert::toArray(d->encodeMean(TensorConvert::toTensor(x, d->device).reshape(rawShape)));
}

} // namespace lx

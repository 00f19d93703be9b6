#include "LayerFinder.h"

#include "TensorConvert.h"
#include "lx/Error.h"
#include "lx/LatentSampler.h"

#include <cmath>
#include <sstream>

namespace lx {

namespace {

std::string typeName(const torch::jit::Module& module)
{
    const auto name = module.type()->name();
    if (!name)
        return {};
    const std::string q = name->qualifiedName();
    const auto dot = q.rfind('.');
    return dot == std::string::npos ? q : q.substr(dot + 1);
}

// Largest absolute difference when the shapes agree, or a reason when they do not.
bool reproduces(const torch::Tensor& got, const torch::Tensor& want, std::string& why)
{
    if (got.sizes() != want.sizes()) {
        why = "its output has shape " + Array::shapeString(TensorConvert::shapeOf(got)) + ", the model's "
              + Array::shapeString(TensorConvert::shapeOf(want));
        return false;
    }
    const double diff = (got.to(torch::kFloat64) - want.to(torch::kFloat64)).abs().max().item<double>();
    const double scale = 1.0 + want.abs().max().item<double>();
    if (!(diff <= 1e-4 * scale)) {
        std::ostringstream s;
        s << "its composition differs from the model's output (max |diff| = " << diff << ")";
        why = s.str();
        return false;
    }
    return true;
}

bool tryProtocol(Model::Impl& m, const torch::Tensor& z, const torch::Tensor& reference)
{
    if (!m.module.find_method("lx_layers"))
        return false;
    for (const char* method : {"lx_forward_to", "lx_forward_from"}) {
        if (!m.module.find_method(method)) {
            m.discovery.rejected.push_back(std::string("protocol: lx_layers() is declared but ") + method + "() is missing");
            return false;
        }
    }
    try {
        const c10::IValue names = m.module.get_method("lx_layers")(std::vector<c10::IValue>{});
        std::vector<LayerInfo> layers;
        for (const c10::IValue& n : names.toListRef())
            layers.push_back(LayerInfo{n.toStringRef(), "", {}});
        if (layers.empty()) {
            m.discovery.rejected.push_back("protocol: lx_layers() returned no layers");
            return false;
        }
        m.layers = layers;
        m.pathKind = LayerPath::Protocol;
        for (size_t i = 0; i < layers.size(); ++i) {
            const torch::Tensor h = m.forwardTo(static_cast<int>(i), z);
            std::string why;
            if (!reproduces(m.forwardFrom(static_cast<int>(i), h), reference, why)) {
                m.discovery.rejected.push_back("protocol: at layer '" + layers[i].name + "' " + why);
                m.layers.clear();
                m.pathKind = LayerPath::None;
                return false;
            }
            m.layers[i].shape = TensorConvert::sampleShape(h);
        }
    } catch (const std::exception& e) {
        m.discovery.rejected.push_back("protocol: " + firstLine(e.what()));
        m.layers.clear();
        m.pathKind = LayerPath::None;
        return false;
    }
    m.discovery.method = "protocol";
    return true;
}

bool trySequential(Model::Impl& m, const std::string& path, const torch::jit::Module& seq,
                   const torch::Tensor& z, const torch::Tensor& reference)
{
    const std::string shown = path.empty() ? "(root)" : path;
    std::vector<torch::jit::Module> stages;
    std::vector<LayerInfo> layers;
    torch::Tensor x = z;
    for (const auto& child : seq.named_children()) {
        const std::string name = path.empty() ? child.name : path + "." + child.name;
        try {
            torch::jit::Module stage = child.value;   // forward() is non-const; modules are handles
            const c10::IValue out = stage.forward({x});
            if (!out.isTensor()) {
                m.discovery.rejected.push_back("Sequential " + shown + ": layer " + name + " does not return a tensor");
                return false;
            }
            x = out.toTensor();
        } catch (const std::exception& e) {
            m.discovery.rejected.push_back("Sequential " + shown + ": applied to the latents, layer " + name
                                           + " fails (" + firstLine(e.what()) + ")");
            return false;
        }
        stages.push_back(child.value);
        layers.push_back(LayerInfo{name, typeName(child.value), TensorConvert::sampleShape(x)});
    }
    if (stages.empty())
        return false;
    std::string why;
    if (!reproduces(x, reference, why)) {
        m.discovery.rejected.push_back("Sequential " + shown + ": " + why);
        return false;
    }
    m.stages = std::move(stages);
    m.layers = std::move(layers);
    m.pathKind = LayerPath::Sequential;
    m.discovery.method = "sequential";
    m.discovery.path = path;
    return true;
}

bool isSequential(const torch::jit::Module& module)
{
    const auto name = module.type()->name();
    if (!name)
        return false;
    const std::string q = name->qualifiedName();
    const std::string suffix = ".Sequential";
    return q.size() > suffix.size() && q.compare(q.size() - suffix.size(), suffix.size(), suffix) == 0
           && q.find("torch.nn.modules.container") != std::string::npos;
}

} // namespace

void LayerFinder::discover(Model::Impl& m)
{
    m.discovery = LayerDiscovery{"none", "", {}};
    m.layers.clear();
    m.stages.clear();
    m.pathKind = LayerPath::None;

    const torch::Tensor z = m.latents(LatentSampler(m.card.latentShape).sample({11, 12}), "probe latents");
    const torch::Tensor reference = m.runModel(z);
    if (tryProtocol(m, z, reference))
        return;
    for (const auto& entry : m.module.named_modules()) {
        if (isSequential(entry.value) && trySequential(m, entry.name, entry.value, z, reference))
            return;
    }
    if (m.discovery.rejected.empty())
        m.discovery.rejected.push_back("no nn.Sequential generating path and no lx_layers() protocol found");
}

} // namespace lx

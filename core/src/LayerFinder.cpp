#include "LayerFinder.h"

#include "GraphCut.h"

#include "TensorConvert.h"
#include "lx/Error.h"
#include "lx/LatentSampler.h"

#include <cmath>
#include <sstream>

namespace lx {

namespace {

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

bool tryGraph(Model::Impl& m, const torch::Tensor& z)
{
    const std::string method = m.card.kind == ModelKind::Generator ? "forward" : "decode";
    std::vector<std::pair<torch::Tensor, torch::Tensor>> values;
    try {
        m.graph = std::make_unique<ModelGraph>(m.module, method);
        values = m.graph->callValues(m.methodInputs(z, m.probeClasses));
    } catch (const std::exception& e) {
        m.discovery.rejected.push_back("graph of " + method + "(): " + firstLine(e.what()));
        m.graph.reset();
        return false;
    }
    for (const std::string& why : m.graph->skipped())
        m.discovery.rejected.push_back(why);
    const auto& calls = m.graph->calls();
    for (size_t i = 0; i < calls.size(); ++i) {
        const torch::Tensor& out = values[i].first;
        if (out.dim() < 2 || out.size(0) != z.size(0)) {
            m.discovery.rejected.push_back(calls[i].name + ": its output "
                                           + Array::shapeString(TensorConvert::shapeOf(out)) + " has no batch axis");
            continue;
        }
        m.layers.push_back(LayerInfo{calls[i].name, calls[i].type, TensorConvert::sampleShape(out)});
        m.layerCalls.push_back(i);
        const torch::Tensor& in = values[i].second;
        m.layerInputShapes.push_back(in.defined() && in.dim() >= 1 ? TensorConvert::sampleShape(in)
                                                                   : std::vector<int64_t>{});
    }
    if (m.layers.empty()) {
        m.discovery.rejected.push_back("graph of " + method + "(): no submodule call returns a batch of tensors");
        m.graph.reset();
        return false;
    }
    m.cuts.resize(m.layers.size());
    m.classCuts.resize(m.layers.size());
    m.pathKind = LayerPath::Graph;
    m.discovery.method = "graph";
    m.discovery.path = method;
    return true;
}

} // namespace

void LayerFinder::discover(Model::Impl& m)
{
    m.discovery = LayerDiscovery{"none", "", {}};
    m.layers.clear();
    m.graph.reset();
    m.layerCalls.clear();
    m.layerInputShapes.clear();
    m.cuts.clear();
    m.classCuts.clear();
    m.pathKind = LayerPath::None;

    m.probeLatents = m.latents(LatentSampler(m.card.latentShape).sample({11, 12}), "probe latents");
    const float last = float(std::max<size_t>(1, m.card.inputClasses.size()) - 1);
    m.probeClasses = m.classes(m.card.conditional() ? Array({2}, {last, 0.0f}) : Array(), 2, "probe classes");
    m.probeOutput = m.runModel(m.probeLatents, m.probeClasses);
    tryGraph(m, m.probeLatents);
}

std::unique_ptr<GraphCut> LayerFinder::checkedCut(Model::Impl& m, int layer, bool classAfterCut)
{
    const std::string& name = m.layers[static_cast<size_t>(layer)].name;
    c10::InferenceMode guard;
    std::unique_ptr<GraphCut> cut;
    try {
        cut = std::make_unique<GraphCut>(*m.graph, m.layerCalls[static_cast<size_t>(layer)], classAfterCut);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error("layer " + name + ": the model's graph cannot be cut there: " + firstLine(e.what()));
    }
    std::string why;
    try {
        const GraphCut::Prefix p = cut->prefix(m.methodInputs(m.probeLatents, m.probeClasses));
        if (!reproduces(Model::Impl::asTensor(cut->suffix(p.h, p), name), m.probeOutput, why))
            throw Error("layer " + name + ": the model cut there does not reproduce its output: " + why);
        // Regrouped rows (sample 1, 0, 1), as batched analyses ask for.
        const torch::Tensor rows =
            torch::tensor({int64_t(1), int64_t(0), int64_t(1)}, torch::TensorOptions().device(m.device));
        const torch::Tensor want = m.probeOutput.index_select(0, rows);
        bool regroups = false;
        try {
            regroups =
                reproduces(Model::Impl::asTensor(cut->suffix(p.h.index_select(0, rows), p, rows), name), want, why);
        } catch (const std::exception&) {
            regroups = false;
        }
        cut->setRegroups(regroups);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error("layer " + name + ": running the model cut there fails: " + firstLine(e.what()));
    }
    return cut;
}

} // namespace lx

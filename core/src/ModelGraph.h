#pragma once
// The TorchScript graph of a model's generating method (forward or decode), flattened: every method
// and function call inlined, scalar module attributes turned into constants and the branches they
// decide folded away. While inlining, each submodule `forward` call is recorded as a candidate layer,
// named by its attribute path ("main.5", "blocks.1.conv2"; a later call of the same module gets "@2",
// "@3"). The graph can then be cut at any recorded layer (lx::GraphCut). Private to core's .cpp files.
#include <torch/script.h>
#include <torch/csrc/jit/ir/ir.h>

#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

namespace lx {

class GraphCut;

class ModelGraph {
public:
    struct Call {
        std::string name; // attribute path, "@k" for the k-th call of the same module
        std::string type; // the module's class name, e.g. "ConvTranspose2d"
        torch::jit::Module module; // the called submodule
        torch::jit::Value* output = nullptr; // the call's result in the flat graph
        torch::jit::Value* input = nullptr; // its first argument after self, when a tensor
    };

    // Flattens `method` of `module`. Throws lx::Error when the method has no graph (a native method).
    ModelGraph(torch::jit::Module module, const std::string& method);
    ~ModelGraph();

    const std::shared_ptr<torch::jit::Graph>& graph() const { return mGraph; }
    const torch::jit::Module& module() const { return mModule; }
    const std::string& method() const { return mMethod; }
    // Calls whose result is a tensor computed from the model's inputs, at the top level of the graph
    // (not inside a branch or loop that TorchScript kept) and used by the result, in call order (a
    // container before its children). A container returning the method's result itself (the whole
    // network, e.g. the DCGAN's `main`) is represented by its last child.
    const std::vector<Call>& calls() const { return mCalls; }
    // Why other calls are not offered as layers, one line each.
    const std::vector<std::string>& skipped() const { return mSkipped; }
    // Runs the whole graph once and returns, for every call() in order, its output and its tensor
    // input (undefined when it has none), for shapes.
    std::vector<std::pair<torch::Tensor, torch::Tensor>> callValues(const std::vector<c10::IValue>& inputs) const;
    // The top-level values computed from v (v included), or from any of `values`.
    std::unordered_set<const torch::jit::Value*> dependents(const torch::jit::Value* v) const
    {
        return dependents(std::unordered_set<const torch::jit::Value*>{v});
    }
    std::unordered_set<const torch::jit::Value*> dependents(std::unordered_set<const torch::jit::Value*> values) const;
    // The top-level values computed from the model's inputs (every graph input but self).
    std::unordered_set<const torch::jit::Value*> fromInputs() const;
    // Whether node n (at the top level) reads, directly or inside its blocks, any value in `values`.
    static bool reads(const torch::jit::Node* n, const std::unordered_set<const torch::jit::Value*>& values);

private:
    void inlineAll();
    void foldAttributes();
    void selectCalls(std::vector<Call> recorded);

    torch::jit::Module mModule;
    std::string mMethod;
    std::shared_ptr<torch::jit::Graph> mGraph;
    std::vector<Call> mCalls;
    std::vector<std::string> mSkipped;
    std::unique_ptr<torch::jit::GraphFunction> mProbe; // the flat graph returning every call's output
};

} // namespace lx

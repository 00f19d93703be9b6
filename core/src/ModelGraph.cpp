#include "ModelGraph.h"

#include "lx/Error.h"

#include <torch/csrc/jit/api/function_impl.h>
#include <torch/csrc/jit/passes/constant_propagation.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>

#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace lx {

using torch::jit::Block;
using torch::jit::Graph;
using torch::jit::Node;
using torch::jit::Value;
namespace prim = c10::prim;

namespace {

std::string className(const c10::ClassTypePtr& type)
{
    if (!type || !type->name())
        return {};
    const std::string q = type->name()->qualifiedName();
    const auto dot = q.rfind('.');
    return dot == std::string::npos ? q : q.substr(dot + 1);
}

// The attribute path from the graph's self to a module-typed value ({} for self itself), or false
// when the value is not reached through attributes alone.
bool modulePath(const Value* v, const Value* self, std::vector<std::string>& path)
{
    std::vector<std::string> reversed;
    while (v != self) {
        const Node* n = v->node();
        if (n->kind() != prim::GetAttr)
            return false;
        reversed.push_back(n->s(c10::attr::name));
        v = n->input(0);
    }
    path.assign(reversed.rbegin(), reversed.rend());
    return true;
}

std::string joined(const std::vector<std::string>& path)
{
    std::string s;
    for (const std::string& p : path)
        s += (s.empty() ? "" : ".") + p;
    return s;
}

bool isTensor(const Value* v) { return v->type()->kind() == c10::TypeKind::TensorType; }

// The first call node (method or function) in document order that has not been given up on.
Node* firstCall(Block* block, const std::unordered_set<Node*>& skip)
{
    for (Node* n : block->nodes()) {
        if ((n->kind() == prim::CallMethod || n->kind() == prim::CallFunction) && !skip.count(n))
            return n;
        for (Block* b : n->blocks()) {
            if (Node* found = firstCall(b, skip))
                return found;
        }
    }
    return nullptr;
}

void collectReads(const Node* n, std::unordered_set<const Value*>& out)
{
    for (const Value* v : n->inputs())
        out.insert(v);
    for (const Block* b : n->blocks()) {
        for (const Node* inner : b->nodes())
            collectReads(inner, out);
        for (const Value* v : b->outputs())
            out.insert(v);
    }
}

} // namespace

bool ModelGraph::reads(const Node* n, const std::unordered_set<const Value*>& values)
{
    std::unordered_set<const Value*> used;
    collectReads(n, used);
    for (const Value* v : used) {
        if (values.count(v))
            return true;
    }
    return false;
}

std::unordered_set<const Value*> ModelGraph::dependents(std::unordered_set<const Value*> values) const
{
    for (const Node* n : mGraph->nodes()) {
        if (reads(n, values))
            values.insert(n->outputs().begin(), n->outputs().end());
    }
    return values;
}

std::unordered_set<const Value*> ModelGraph::fromInputs() const
{
    return dependents(std::unordered_set<const Value*>(mGraph->inputs().begin() + 1, mGraph->inputs().end()));
}

ModelGraph::ModelGraph(torch::jit::Module module, const std::string& method)
    : mModule(std::move(module))
    , mMethod(method)
{
    torch::jit::GraphFunction* fn = torch::jit::tryToGraphFunction(mModule.get_method(method).function());
    if (!fn)
        throw Error("the model's " + method + "() has no TorchScript graph");
    mGraph = fn->graph()->copy();
    inlineAll();
}

ModelGraph::~ModelGraph() = default;

void ModelGraph::inlineAll()
{
    Graph& g = *mGraph;
    const Value* self = g.inputs()[0];
    std::vector<Call> recorded;
    std::map<std::string, int> callCount;
    std::unordered_set<Node*> giveUp;
    while (Node* n = firstCall(g.block(), giveUp)) {
        torch::jit::GraphFunction* callee = nullptr;
        std::vector<Value*> args(n->inputs().begin(), n->inputs().end());
        c10::ClassTypePtr moduleType;
        if (n->kind() == prim::CallMethod) {
            moduleType = n->input(0)->type()->cast<c10::ClassType>();
            if (torch::jit::Function* f = moduleType ? moduleType->findMethod(n->s(c10::attr::name)) : nullptr)
                callee = torch::jit::tryToGraphFunction(*f);
        } else if (auto fnType = n->input(0)->type()->cast<c10::FunctionType>()) {
            callee = torch::jit::tryToGraphFunction(*fnType->function());
            args.erase(args.begin());
        }
        if (!callee) {
            giveUp.insert(n);
            continue;
        }
        // Record a submodule's forward call with the value it returns, before the call disappears.
        std::vector<std::string> path;
        const bool isModuleForward = moduleType && moduleType->is_module() && n->s(c10::attr::name) == "forward"
            && modulePath(n->input(0), self, path) && !path.empty();
        torch::jit::WithInsertPoint guard(n);
        const std::vector<Value*> outs = torch::jit::insertGraph(g, *callee->graph(), args);
        if (isModuleForward) {
            const std::string base = joined(path);
            const int k = ++callCount[base];
            Call call;
            call.name = k == 1 ? base : base + "@" + std::to_string(k);
            call.type = className(moduleType);
            call.module = mModule;
            for (const std::string& p : path)
                call.module = call.module.attr(p).toModule();
            call.output = outs.size() == 1 ? outs[0] : nullptr;
            call.input = args.size() > 1 && isTensor(args[1]) ? args[1] : nullptr;
            recorded.push_back(std::move(call));
        }
        for (size_t i = 0; i < outs.size() && i < n->outputs().size(); ++i) {
            Value* old = n->outputs()[i];
            // A recorded call may return (or take) this call's result: follow the replacement.
            for (Call& c : recorded) {
                if (c.output == old)
                    c.output = outs[i];
                if (c.input == old)
                    c.input = outs[i];
            }
            old->replaceAllUsesWith(outs[i]);
        }
        n->destroy();
    }
    // Keep every recorded value alive and findable through the passes below: graph outputs are
    // updated when a pass replaces a value, and dead-code elimination keeps them.
    const size_t realOutputs = g.outputs().size();
    std::vector<std::pair<int, int>> slots; // per call: output index of its result, of its input (-1: none)
    for (const Call& c : recorded) {
        int out = -1, in = -1;
        if (c.output) {
            out = static_cast<int>(g.outputs().size());
            g.registerOutput(c.output);
        }
        if (c.input) {
            in = static_cast<int>(g.outputs().size());
            g.registerOutput(c.input);
        }
        slots.emplace_back(out, in);
    }
    foldAttributes();
    torch::jit::ConstantPropagation(mGraph);
    torch::jit::EliminateDeadCode(mGraph);
    for (size_t i = 0; i < recorded.size(); ++i) {
        recorded[i].output = slots[i].first >= 0 ? g.outputs()[static_cast<size_t>(slots[i].first)] : nullptr;
        recorded[i].input = slots[i].second >= 0 ? g.outputs()[static_cast<size_t>(slots[i].second)] : nullptr;
    }
    selectCalls(std::move(recorded));
    // The probe returns every offered call's output in one tuple; the flat graph itself returns only
    // what the method returns.
    std::shared_ptr<Graph> probe = mGraph->copy();
    std::vector<Value*> keep;
    std::unordered_map<const Value*, size_t> index;
    for (size_t i = 0; i < g.outputs().size(); ++i)
        index[g.outputs()[i]] = i;
    for (const Call& c : mCalls)
        keep.push_back(probe->outputs()[index.at(c.output)]);
    for (const Call& c : mCalls)
        keep.push_back(probe->outputs()[index.at(c.input ? c.input : c.output)]);
    while (probe->outputs().size() > 0)
        probe->eraseOutput(probe->outputs().size() - 1);
    probe->registerOutput(probe->insertNode(probe->createTuple(keep))->output());
    torch::jit::EliminateDeadCode(probe);
    mProbe = std::make_unique<torch::jit::GraphFunction>("lx_probe", probe, nullptr);
    // mCalls' values must stay alive in mGraph, but its outputs are only what the method returns.
    while (g.outputs().size() > realOutputs)
        g.eraseOutput(g.outputs().size() - 1);
}

void ModelGraph::foldAttributes()
{
    Graph& g = *mGraph;
    const Value* self = g.inputs()[0];
    // Attributes the method writes are not constants.
    std::set<std::pair<std::string, std::string>> written;
    std::vector<Node*> reads;
    std::vector<Block*> blocks{g.block()};
    while (!blocks.empty()) {
        Block* b = blocks.back();
        blocks.pop_back();
        for (Node* n : b->nodes()) {
            std::vector<std::string> path;
            if ((n->kind() == prim::SetAttr || n->kind() == prim::GetAttr) && modulePath(n->input(0), self, path)) {
                if (n->kind() == prim::SetAttr)
                    written.emplace(joined(path), n->s(c10::attr::name));
                else
                    reads.push_back(n);
            }
            for (Block* inner : n->blocks())
                blocks.push_back(inner);
        }
    }
    for (Node* n : reads) {
        const auto owner_type = n->input(0)->type()->cast<c10::ClassType>();
        if (!owner_type || !owner_type->is_module())
            continue;
        const c10::TypePtr type = n->output()->type();
        const auto kind = type->kind();
        if (kind == c10::TypeKind::TensorType || kind == c10::TypeKind::ClassType || kind == c10::TypeKind::AnyType)
            continue;
        std::vector<std::string> path;
        modulePath(n->input(0), self, path);
        const std::string name = n->s(c10::attr::name);
        if (written.count({joined(path), name}))
            continue;
        torch::jit::Module owner = mModule;
        for (const std::string& p : path)
            owner = owner.attr(p).toModule();
        const c10::IValue value = owner.attr(name);
        if (value.isTensor() || value.isObject() || value.isTensorList() || value.isModule())
            continue;
        try {
            torch::jit::WithInsertPoint guard(n);
            Value* constant = g.insertConstant(value);
            if (constant->type()->isSubtypeOf(*type))
                constant->setType(type);
            n->output()->replaceAllUsesWith(constant);
            n->destroy();
        } catch (const std::exception&) {
            // A value TorchScript cannot hold as a constant stays an attribute read.
        }
    }
}

void ModelGraph::selectCalls(std::vector<Call> recorded)
{
    Graph& g = *mGraph;
    const std::unordered_set<const Value*> computedFromInputs = fromInputs();
    // Values the method's result is computed from.
    std::unordered_set<const Value*> reachesOutput(g.outputs().begin(), g.outputs().begin() + 1);
    for (auto it = g.nodes().rbegin(); it != g.nodes().rend(); ++it) {
        bool needed = false;
        for (const Value* o : it->outputs())
            needed = needed || reachesOutput.count(o);
        if (needed)
            collectReads(*it, reachesOutput);
    }
    std::unordered_map<const Value*, size_t> lastCallOf; // a value's latest (innermost) call
    for (size_t i = 0; i < recorded.size(); ++i) {
        if (recorded[i].output)
            lastCallOf[recorded[i].output] = i;
    }
    for (size_t i = 0; i < recorded.size(); ++i) {
        const Call& c = recorded[i];
        if (!c.output || !isTensor(c.output)) {
            mSkipped.push_back(c.name + ": does not return a tensor");
            continue;
        }
        if (lastCallOf.at(c.output) != i && c.output == g.outputs()[0])
            continue; // the whole network (a container returning the method's result): its last child stands for it
        if (c.output->node()->owningBlock() != g.block()) {
            mSkipped.push_back(c.name + ": runs inside a branch or loop that depends on the input");
            continue;
        }
        if (!reachesOutput.count(c.output)) {
            mSkipped.push_back(c.name + ": does not reach the output");
            continue;
        }
        if (!computedFromInputs.count(c.output)) {
            mSkipped.push_back(c.name + ": does not depend on the model's input");
            continue;
        }
        mCalls.push_back(c);
    }
}

std::vector<std::pair<torch::Tensor, torch::Tensor>> ModelGraph::callValues(
    const std::vector<c10::IValue>& inputs) const
{
    std::vector<c10::IValue> stack;
    stack.push_back(mModule._ivalue());
    stack.insert(stack.end(), inputs.begin(), inputs.end());
    mProbe->run(stack);
    const auto& values = stack.at(0).toTupleRef().elements();
    std::vector<std::pair<torch::Tensor, torch::Tensor>> out;
    for (size_t i = 0; i < mCalls.size(); ++i)
        out.emplace_back(values[i].toTensor(),
                         mCalls[i].input ? values[mCalls.size() + i].toTensor() : torch::Tensor());
    return out;
}

} // namespace lx

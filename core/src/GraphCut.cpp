#include "GraphCut.h"

#include "ConvTransposeKernel.h"

#include "lx/Error.h"

#include <torch/csrc/jit/api/function_impl.h>
#include <torch/csrc/jit/ir/alias_analysis.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>

#include <functional>
#include <unordered_map>
#include <unordered_set>

namespace lx {

using torch::jit::Graph;
using torch::jit::Node;
using torch::jit::Value;

namespace {

bool anyTensor(const Node* n)
{
    for (const Value* v : n->outputs()) {
        if (v->type()->kind() == c10::TypeKind::TensorType)
            return true;
    }
    return false;
}

// Values n reads from outside itself (its inputs, and values its blocks read from enclosing scopes).
void outerReads(Node* n, std::vector<Value*>& out)
{
    std::unordered_set<const Value*> inside;
    std::function<void(Node*)> visit = [&](Node* node) {
        for (Value* v : node->inputs()) {
            if (!inside.count(v))
                out.push_back(v);
        }
        for (torch::jit::Block* b : node->blocks()) {
            for (const Value* p : b->inputs())
                inside.insert(p);
            for (Node* inner : b->nodes()) {
                visit(inner);
                for (const Value* o : inner->outputs())
                    inside.insert(o);
            }
            for (Value* v : b->outputs()) {
                if (!inside.count(v))
                    out.push_back(v);
            }
        }
    };
    visit(n);
}

Node* cloneInto(Graph& target, Node* n, std::unordered_map<const Value*, Value*>& env)
{
    Node* c = target.createClone(n, [&](Value* v) { return env.at(v); });
    target.insertNode(c);
    for (size_t i = 0; i < n->outputs().size(); ++i)
        env[n->outputs()[i]] = c->outputs()[i];
    return c;
}

} // namespace

GraphCut::GraphCut(const ModelGraph& graph, size_t call, bool classAfterCut)
    : mGraph(graph)
{
    Graph& g = *graph.graph();
    const ModelGraph::Call& layer = graph.calls().at(call);
    Value* const v = layer.output;
    Value* const self = g.inputs()[0];
    Value* const result = g.outputs()[0];

    // The suffix: every top-level node that depends on the layer's output.
    const std::unordered_set<const Value*> dependent = graph.dependents(v);
    std::unordered_set<const Node*> inSuffix;
    for (Node* n : g.nodes()) {
        if (ModelGraph::reads(n, dependent))
            inSuffix.insert(n);
    }
    if (!dependent.count(result))
        throw Error("layer " + layer.name + " does not reach the model's output");
    const std::unordered_set<const Value*> fromInputs = graph.fromInputs();
    const std::unordered_set<const Value*> fromClass =
        g.inputs().size() > 2 ? graph.dependents(g.inputs()[2]) : std::unordered_set<const Value*>{};

    // What the suffix reads from before the cut: recompute what is cheap and input-free or not a
    // tensor; take the rest from the prefix pass as context.
    std::vector<Value*> context;
    std::unordered_set<const Value*> inContext;
    std::unordered_set<const Node*> recomputed;
    std::function<void(Value*)> need = [&](Value* u) {
        if (u == v || u == self || dependent.count(u) || inContext.count(u))
            return;
        Node* p = u->node();
        if (p->owningBlock() != g.block() && p->kind() != c10::prim::Param)
            return; // defined inside the node that reads it
        if (recomputed.count(p))
            return;
        const bool cheap = p->kind() != c10::prim::Param && p->blocks().empty() && !p->hasSideEffects()
            && (!fromInputs.count(u) || !anyTensor(p) || (classAfterCut && fromClass.count(u)));
        if (cheap) {
            recomputed.insert(p);
            for (Value* in : p->inputs())
                need(in);
            return;
        }
        inContext.insert(u);
        context.push_back(u);
    };
    for (Node* n : g.nodes()) {
        if (!inSuffix.count(n))
            continue;
        std::vector<Value*> reads;
        outerReads(n, reads);
        for (Value* u : reads)
            need(u);
    }
    mContextSize = context.size();
    if (g.inputs().size() > 2) {
        const auto fromLatent = graph.dependents(g.inputs()[1]);
        for (const Value* c : context)
            mClassOnly.push_back(fromClass.count(c) && !fromLatent.count(c));
    } else {
        mClassOnly.assign(context.size(), false);
    }

    // Prefix: the method's inputs -> (layer output, context...).
    auto pre = std::make_shared<Graph>();
    std::unordered_map<const Value*, Value*> env;
    for (Value* in : g.inputs())
        env[in] = pre->addInput()->setType(in->type());
    for (Node* n : g.nodes()) {
        if (!inSuffix.count(n))
            cloneInto(*pre, n, env);
    }
    std::vector<Value*> outs{env.at(v)};
    for (Value* c : context)
        outs.push_back(env.at(c));
    pre->registerOutput(pre->insertNode(pre->createTuple(outs))->output());
    torch::jit::EliminateDeadCode(pre);

    // Suffix: (self, layer output, context...) -> the method's result.
    auto post = std::make_shared<Graph>();
    env.clear();
    env[self] = post->addInput()->setType(self->type());
    env[v] = post->addInput()->setType(v->type());
    for (Value* c : context)
        env[c] = post->addInput()->setType(c->type());
    for (Node* n : g.nodes()) {
        if (inSuffix.count(n) || recomputed.count(n))
            cloneInto(*post, n, env);
    }
    post->registerOutput(env.at(result));
    torch::jit::EliminateDeadCode(post);
    {
        torch::jit::AliasDb alias(post);
        for (size_t i = 1; i < post->inputs().size(); ++i)
            mCopyInput.push_back(alias.hasWriters(post->inputs()[i]));
    }
    // Both halves' transposed convolutions go to the faster CPU kernel where they fit it (LibTorch's op
    // otherwise, decided per call): hybrid batches run the suffix over and over.
    ConvTransposeKernel::useIn(*pre);
    ConvTransposeKernel::useIn(*post);
    // The simple executor: the suffix runs with many batch sizes (one per channel chunk), which the
    // profiling executor would re-profile and guard for each.
    mPrefix = std::make_unique<torch::jit::GraphFunction>("lx_prefix_" + layer.name, pre, nullptr,
                                                          torch::jit::ExecutorExecutionMode::SIMPLE);
    mSuffix = std::make_unique<torch::jit::GraphFunction>("lx_suffix_" + layer.name, post, nullptr,
                                                          torch::jit::ExecutorExecutionMode::SIMPLE);
}

GraphCut::~GraphCut() = default;

GraphCut::Prefix GraphCut::prefix(const std::vector<c10::IValue>& inputs) const
{
    std::vector<c10::IValue> stack;
    stack.push_back(mGraph.module()._ivalue());
    stack.insert(stack.end(), inputs.begin(), inputs.end());
    mPrefix->run(stack);
    const auto& values = stack.at(0).toTupleRef().elements();
    Prefix p;
    p.h = values[0].toTensor();
    p.context.assign(values.begin() + 1, values.end());
    p.batch = inputs.empty() || !inputs[0].isTensor() ? p.h.size(0) : inputs[0].toTensor().size(0);
    return p;
}

GraphCut::Prefix GraphCut::withClassesOf(const Prefix& base, const Prefix& donor) const
{
    Prefix mixed = base;
    for (size_t i = 0; i < mixed.context.size() && i < mClassOnly.size(); ++i) {
        if (mClassOnly[i])
            mixed.context[i] = donor.context[i];
    }
    return mixed;
}

c10::IValue GraphCut::suffix(const torch::Tensor& h, const Prefix& base, const torch::Tensor& rows,
                             bool hIsTemporary) const
{
    if (rows.defined() && !mRegroups)
        throw Error("the values after this layer cannot be regrouped into a batch of another size");
    std::vector<c10::IValue> stack;
    stack.reserve(2 + base.context.size());
    stack.push_back(mGraph.module()._ivalue());
    stack.push_back(mCopyInput[0] && !hIsTemporary ? h.clone() : h);
    for (size_t i = 0; i < base.context.size(); ++i) {
        c10::IValue value = base.context[i];
        if (value.isTensor()) {
            torch::Tensor t = value.toTensor();
            if (rows.defined() && t.dim() > 0 && t.size(0) == base.batch)
                t = t.index_select(0, rows); // a new tensor: the suffix may write into it
            else if (mCopyInput[i + 1])
                t = t.clone();
            value = t;
        }
        stack.push_back(std::move(value));
    }
    mSuffix->run(stack);
    return stack.at(0);
}

} // namespace lx

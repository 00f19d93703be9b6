#pragma once
// A model's flat graph (lx::ModelGraph) cut at one layer: the prefix computes the layer's output and
// every other value the rest of the network needs (other inputs, class embeddings, z chunks, style
// vectors, skip connections, accumulated outputs); the suffix reruns the rest from a (changed) layer
// output and those values. Values that need no input (constants, parameters, attribute reads) and
// small non-tensor values (sizes, lists, chunks) are recomputed in the suffix, so that a suffix batch
// can hold several rows per base sample. Private to core's .cpp files.
#include "ModelGraph.h"

namespace lx {

class GraphCut {
public:
    // What a prefix pass leaves for the suffix.
    struct Prefix {
        torch::Tensor h; // the layer's output, [N, ...]
        std::vector<c10::IValue> context; // the other values the suffix needs, from the same pass
        int64_t batch = 0; // N
    };

    // Cuts at graph.calls()[call]. Throws lx::Error when the layer does not reach the output. With
    // classAfterCut, every value after the cut that is computed from the class input (graph input 2)
    // is recomputed in the suffix from that input, so that withClassesOf() can give the layers after
    // the cut another sample's class.
    GraphCut(const ModelGraph& graph, size_t call, bool classAfterCut = false);
    ~GraphCut();

    // inputs: the method's arguments after self, e.g. {z} or {z, y}.
    Prefix prefix(const std::vector<c10::IValue>& inputs) const;
    // The method's result when the layer outputs h and everything else comes from `base`. With rows
    // undefined, h has base.batch rows; otherwise row i of h belongs to base sample rows[i] (int64).
    // A suffix that writes into its input (an in-place ReLU after the layer) gets a copy of h, unless
    // hIsTemporary says the caller does not need h afterwards.
    c10::IValue suffix(const torch::Tensor& h, const Prefix& base, const torch::Tensor& rows = {},
                       bool hIsTemporary = false) const;
    // `base` with every context value computed from the class input alone (y, class embeddings) taken
    // from `donor` instead: the layers after the cut are conditioned on the donor's class.
    Prefix withClassesOf(const Prefix& base, const Prefix& donor) const;
    // The number of context values (0 for a plain chain of layers).
    size_t contextSize() const { return mContextSize; }
    // Whether suffix() may regroup base samples (rows); false when a value after the cut depends on the
    // batch in a way the cut cannot follow (found by LayerFinder's check).
    bool regroups() const { return mRegroups; }
    void setRegroups(bool regroups) { mRegroups = regroups; }

private:
    const ModelGraph& mGraph;
    std::unique_ptr<torch::jit::GraphFunction> mPrefix, mSuffix;
    std::vector<bool> mClassOnly; // per context value: computed from the class input (graph input 2) alone
    std::vector<bool> mCopyInput; // per suffix input after self (h, then the context): the suffix writes to it
    size_t mContextSize = 0;
    bool mRegroups = true;
};

} // namespace lx

#pragma once
// lx::VqModel: a VQ-VAE over discrete code indices, optionally with a causal transition on the codes
// (the CT-VAE of Gendron, Witbrock & Dobbie, IJCAI 2023), card kind "vqvae" (models/CONTRACT.md).
// The TorchScript file exports, in eval mode:
//   encode(x) -> idx                      x float32 [N, C, H, W] in output_range -> int64 [N, B, h, w]
//   decode(idx) -> x                      int64 [N, B, h, w] -> float32 [N, C, H, W]
// and, iff the card lists `actions` (A of them):
//   transition_logits(idx, action) -> [N, B, h, w, K] logits of the codes after the action; action is
//                                     float32 [N, A], a one-hot row, or all zeros for the identity
//   adjacency(action) -> [N, M, M]    learned edge probabilities between the M = B*h*w code nodes
//                                     (row-major over [B, h, w]); [i, j] = edge from node j into node i
// Code indices cross this boundary as float32 Arrays holding integer values (exact below 2^24). An
// action is an index in [0, A), or -1 for the identity (an all-zero action row). All work runs in
// batches (kBatch samples per pass) without gradients. A VqModel is used from one thread at a time.
#include "lx/Array.h"
#include "lx/Card.h"
#include "lx/Model.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace lx {

// One code that differs between two index arrays (VqModel::changedCodes).
struct VqCodeChange {
    int64_t sample = 0;
    int64_t node = 0; // row-major over [B, h, w]
    int64_t codebook = 0, row = 0, col = 0;
    int64_t before = 0, after = 0;
};

class VqModel {
public:
    static constexpr int64_t kBatch = 256; // samples per forward pass
    static constexpr int kIdentity = -1; // the all-zero action row

    // Loads a model file of kind "vqvae" (embedded card, else sidecar <path>.json) and probes it on two
    // images: encode's shape [N, B, h, w], integer dtype and range [0, K); decode's shape [N, C, H, W];
    // with actions, transition_logits' shape [N, B, h, w, K] (and the identity row giving the codes back)
    // and adjacency's [N, M, M] with entries in [0, 1]. transition_logits and adjacency must exist iff
    // the card lists actions. Throws lx::Error with a one-line message naming the problem.
    static std::unique_ptr<VqModel> load(const std::string& path, const LoadOptions& options = {});
    ~VqModel();
    VqModel(const VqModel&) = delete;
    VqModel& operator=(const VqModel&) = delete;

    const std::string& path() const;
    const Card& card() const;
    std::string deviceName() const;
    const std::vector<int64_t>& imageShape() const; // [C, H, W] (card input_shape)
    const std::vector<int64_t>& gridShape() const; // [B, h, w]
    int64_t codebookSize() const; // K
    int64_t nodeCount() const; // M = B * h * w
    bool hasTransition() const; // the card lists actions
    int actionCount() const; // A (0 without a transition)
    const std::vector<std::string>& actionNames() const;
    // F: the card's factor count, else A / 2 when A is even, else 0 (no factor accuracy).
    int factorCount() const;
    // An action by name ("shape+") or index ("3"); "identity" / "none" give kIdentity. Throws lx::Error
    // listing the actions otherwise.
    int actionIndex(const std::string& nameOrIndex) const;
    // The name of action a ("identity" for kIdentity).
    std::string actionName(int action) const;

    // Code indices of images [N, C, H, W] (finite): [N, B, h, w].
    Array encode(const Array& images);
    // Images [N, C, H, W] of code indices [N, B, h, w] (checked by requireCodes).
    Array decode(const Array& codes);
    // Logits [N, B, h, w, K] of the codes after action actions[n] (kIdentity allowed) on sample n.
    Array transitionLogits(const Array& codes, const std::vector<int>& actions);
    // argmax_K transition_logits: the codes after one application, the same action for every sample or
    // one per sample.
    Array apply(const Array& codes, int action);
    Array apply(const Array& codes, const std::vector<int>& actions);
    // `steps` repeated applications of `action`: [N, steps + 1, B, h, w], step 0 being `codes`.
    Array trajectory(const Array& codes, int action, int steps);
    // The learned adjacency of an action (kIdentity: the all-zero row, the "no intervention" graph): [M, M].
    Array adjacency(int action);
    // Action retrieval between image pairs (x[n], y[n]): p(a | x, y) [N, A] = softmax_a(-CE_a), CE_a the
    // mean over the M nodes of -log_softmax(transition_logits(encode(x), onehot(a)))[encode(y)].
    Array retrieval(const Array& x, const Array& y);
    // The same from code indices of x and y.
    Array retrievalFromCodes(const Array& codesX, const Array& codesY);
    // Predicted action per row of p [N, A] (argmax; the first on ties).
    static std::vector<int> predictedActions(const Array& p);

    // Throws lx::Error unless `codes` is [N, B, h, w] of integer values in [0, K) (names `what`, the
    // first bad value and its position).
    void requireCodes(const Array& codes, const std::string& what) const;
    // A copy of `codes` with the code of (sample, codebook b, row i, column j) set to `code` (a manual
    // hard intervention). Throws lx::Error for a position outside the batch or grid, or a code outside [0, K).
    Array setCode(const Array& codes, int64_t sample, int64_t b, int64_t i, int64_t j, int64_t code) const;
    // Every code that differs between two index arrays of one shape [N, B, h, w] (sample-major, then
    // node order). Throws lx::Error for different shapes or a rank other than 4.
    static std::vector<VqCodeChange> changedCodes(const Array& before, const Array& after);

private:
    VqModel();
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace lx

#pragma once
// Influence maps (Besserve et al., ICLR 2020). The elementary influence map (EIM) of channel c at layer
// L is the per-pixel mean over pairs (z1, z2) of |hybrid_c(z1, z2) - x(z1)|, averaged over the
// output's colour channels; the influence map of a channel group swaps the whole group at once.
// Pairs follow CLI contract v1: latents Z hold 2N rows and pair i is (Z[i], Z[N+i]).
#include "lx/Array.h"
#include "lx/PartialResult.h"
#include "lx/Progress.h"

#include <string>
#include <vector>

namespace lx {

class Model;

struct InfluenceOptions {
    int64_t pairChunk = 16; // pairs whose prefix is computed together (memory: streamed)
    int64_t batchBudget = 256; // at most this many hybrids in one suffix pass
    bool linearShortcut = true; // add single-channel contributions through the first linear layer
    bool libTorchShortcut = false; // that shortcut with LibTorch ops (as on CUDA) instead of the CPU kernel
    // With the CPU kernel, when a 4x4 stride-2 transposed convolution alone reads the shortcut's output,
    // feed the hybrids' rows straight into it instead of holding whole batches of hybrids.
    bool streamHybrids = true;
    // The pairs summed by elementaryMapSum: [pairBegin, pairEnd) of all N, pairEnd -1 = N. They go in
    // chunks of pairChunk pairs from pairBegin (the chunk and batch sizes follow from N, not from the
    // slice), so a slice starting on a multiple of pairChunk computes the whole job's chunks exactly.
    int64_t pairBegin = 0;
    int64_t pairEnd = -1;
};

class InfluenceEngine {
public:
    // EIMs of every channel of `layer`: [C, H, W] for image outputs [colours, H, W], else [C, F].
    static Array elementaryMaps(Model& model, int layer, const Array& latents, const InfluenceOptions& options = {},
                                const ProgressFn& progress = {}, const CancelToken* cancel = nullptr);
    // The same for a class-conditional model: classes holds one class index per latent (pair i is
    // (Z[i], C[i]) with (Z[N+i], C[N+i])); everything but the layer's channels comes from the base pass.
    static Array elementaryMaps(Model& model, int layer, const Array& latents, const Array& classes,
                                const InfluenceOptions& options, const ProgressFn& progress = {},
                                const CancelToken* cancel = nullptr);
    // The sum over the pairs of options' slice behind elementaryMaps (float64, [C, H, W] or [C, F], with
    // the pair count): what one shard of a cluster job writes. Empty (count 0) for an empty slice.
    static PartialSum elementaryMapSum(Model& model, int layer, const Array& latents, const Array& classes,
                                       const InfluenceOptions& options, const ProgressFn& progress = {},
                                       const CancelToken* cancel = nullptr);
    // Influence map of one channel group: [H, W] (or [F]).
    static Array groupMap(Model& model, int layer, const std::vector<int>& channels, const Array& latents,
                          const CancelToken* cancel = nullptr, const Array& classes = Array());
    // The straightforward way, for benchmarks and checks: per channel and pair chunk, a full forward
    // pass with the layer's output patched. Same result as elementaryMaps.
    static Array elementaryMapsPlain(Model& model, int layer, const Array& latents, int64_t pairChunk = 16,
                                     const CancelToken* cancel = nullptr, const Array& classes = Array());
    // Which fast path applies after `layer`: "Conv2d", "ConvTranspose2d", "Linear" or "" (generic), with
    // "+BatchNorm2d" and "+ReLU" for the eval BatchNorm2d and ReLU right after it that it folds in.
    static std::string shortcutKind(Model& model, int layer);
    // The layer the hybrids stream through after that shortcut (InfluenceOptions::streamHybrids), by
    // name: a 4x4 stride-2 transposed convolution alone reading the shortcut's output, whose suffix reads
    // nothing else; empty when there is none. It streams where the CPU kernel runs (float32, AVX2).
    static std::string streamedThrough(Model& model, int layer);
    // Multiply-add FLOPs (x2) of the Conv/ConvTranspose/Linear layers after `layer`, per sample: the work
    // one hybrid needs; achieved useful GFLOP/s = channels * pairs * this / seconds.
    static double suffixFlopsPerSample(Model& model, int layer);
    // Bytes the layers after `layer` write and read at least once per sample (float32 module outputs,
    // each written and read once; elementwise work between modules not counted): a traffic floor.
    static double suffixBytesPerSample(Model& model, int layer);
    // The same for the whole forward pass: what the plain way spends per hybrid.
    static double forwardFlopsPerSample(Model& model);
    // What elementaryMaps spends per (channel, pair): the shortcut's one-channel share of the next
    // linear layer and the layers after it, or the suffix when no shortcut applies.
    static double fastFlopsPerHybrid(Model& model, int layer);
};

} // namespace lx

#pragma once
// The module hybrid grid (Besserve et al., ICLR 2020, the hybridization figure): rows z1_i, columns
// z2_j, and in cell (i, j) the hybrid that takes the channels of one module at layer L from z2_j and
// the rest from z1_i. The figure's first row shows the donors x(z2_j), its first column the originals
// x(z1_i). Built on HybridEngine: each row keeps one engine whose prefix (z1_i repeated once per column,
// and the columns) is cached, so changing the module only reruns the layers after L.
//
// Identities (bit for bit): an empty channel set gives originals[i] in every cell of row i; all
// channels give donors[j] in every cell of column j.
#include "lx/Array.h"
#include "lx/HybridEngine.h"
#include "lx/Progress.h"

#include <memory>
#include <vector>

namespace lx {

class Model;

struct HybridGridResult {
    int layer = -1;
    std::vector<int> channels; // the channels taken from the column samples
    Array originals; // x(z1_i): [rows, *outputShape]
    Array donors; // x(z2_j): [cols, *outputShape]
    Array hybrids; // [rows, cols, *outputShape]

    int64_t rows() const { return originals.empty() ? 0 : originals.dim(0); }
    int64_t cols() const { return donors.empty() ? 0 : donors.dim(0); }
    Array cell(int64_t row, int64_t col) const; // [*outputShape]
    // The figure's tiles, (rows + 1) x (cols + 1) row-major: a blank corner (empty Array), the donors
    // along the top, the originals down the left, the hybrids inside (for ImageGrid::compose).
    std::vector<Array> figureTiles() const;
};

class HybridGrid {
public:
    explicit HybridGrid(Model& model);
    ~HybridGrid();
    HybridGrid(const HybridGrid&) = delete;
    HybridGrid& operator=(const HybridGrid&) = delete;

    // rowLatents: [R, *latent_shape] (z1), colLatents: [C, *latent_shape] (z2); a class-conditional
    // model takes one class per row latent (classes.base) and per column latent (classes.donor). Runs the prefixes when
    // the layer or the latents changed (progress counts rows). Throws lx::Error for bad latents or layer,
    // lx::Cancelled when cancelled.
    void setInputs(int layer, const Array& rowLatents, const Array& colLatents, const ProgressFn& progress = {},
                   const CancelToken* cancel = nullptr, const ClassInputs& classes = {});
    // The grid for one channel set (progress counts rows). Throws lx::Error for a channel outside the
    // layer or when no inputs were set.
    HybridGridResult compute(const std::vector<int>& channels, const ProgressFn& progress = {},
                             const CancelToken* cancel = nullptr);

    // One-shot convenience.
    static HybridGridResult compute(Model& model, int layer, const std::vector<int>& channels, const Array& rowLatents,
                                    const Array& colLatents, const ProgressFn& progress = {},
                                    const CancelToken* cancel = nullptr, const ClassInputs& classes = {});
    // The same for seeds: the latents are LatentSampler draws of rowSeeds (z1) and colSeeds (z2), so the
    // GUI, the CLI's module-grid and `render` all make the same grid for the same seeds.
    static HybridGridResult computeSeeds(Model& model, int layer, const std::vector<int>& channels,
                                         const std::vector<uint64_t>& rowSeeds, const std::vector<uint64_t>& colSeeds,
                                         const ProgressFn& progress = {}, const CancelToken* cancel = nullptr,
                                         const ClassInputs& classes = {});

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace lx

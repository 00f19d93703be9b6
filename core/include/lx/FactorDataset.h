#pragma once
// lx::FactorDataset: a dataset with known generative factors (dSprites / 3D-Shapes style), where every
// combination of factor values is one image, addressable by a flat index. The conditioned response
// matrix and the causal disentanglement score (Leeb et al., NeurIPS 2022) need one.
//
// Flat index = mixed radix over the factors with the LAST factor fastest (as in dSprites and
// 3D-Shapes): for sizes [s0, s1, ..., s_{F-1}] and factor indices [f0, ..., f_{F-1}],
//   index = ((f0 * s1 + f1) * s2 + f2) ... * s_{F-1} + f_{F-1}.
#include "lx/Array.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace lx {

class FactorDataset {
public:
    virtual ~FactorDataset();

    virtual std::string name() const = 0; // e.g. "lx-shapes"
    virtual const std::vector<std::string>& factorNames() const = 0; // F names, in index order
    virtual const std::vector<int64_t>& factorSizes() const = 0; // F sizes (values per factor)

    int64_t factorCount() const; // F
    int64_t size() const; // number of images: the product of the factor sizes
    // Factor indices [F] of a flat index; throws lx::Error when index is outside [0, size()).
    std::vector<int64_t> factorsOf(int64_t index) const;
    // Flat index of factor indices [F]; throws lx::Error for a wrong count or an index out of range.
    int64_t indexOf(const std::vector<int64_t>& factors) const;
    // Index of a factor by name, or -1.
    int64_t factorIndex(const std::string& factorName) const;
    // The values of factor `factor`, one per index (for axes and labels). The default gives the indices
    // 0, 1, ...; datasets with physical values override it. Throws lx::Error for a bad factor.
    virtual std::vector<double> factorValues(int64_t factor) const;

    // Per-image shape, e.g. [1, 64, 64].
    virtual std::vector<int64_t> imageShape() const = 0;
    // Images for flat indices: [N, *imageShape()] float32. Deterministic. Throws lx::Error for an
    // index out of range. N = 0 gives an empty [0, *imageShape()] array.
    virtual Array images(const std::vector<int64_t>& indices) const = 0;
    // Factor indices of flat indices as a float32 table [N, F] (for .npy export).
    Array factorTable(const std::vector<int64_t>& indices) const;

    // Flat indices of the full traversal of `factor` through baseIndex: all sizes[factor] values of
    // that factor in order (value 0 first), every other factor as in baseIndex. Throws lx::Error for a
    // bad factor or index.
    std::vector<int64_t> traversal(int64_t factor, int64_t baseIndex) const;

protected:
    void checkIndex(int64_t index) const; // throws lx::Error("... index i is outside [0, size)")
    void checkFactor(int64_t factor) const; // throws lx::Error("... factor k is outside [0, F)")
};

// The datasets core can build by name: currently "lx-shapes" (ShapesDataset).
std::vector<std::string> factorDatasetNames();
// A dataset by name; throws lx::Error("unknown dataset 'x' (known datasets: lx-shapes)") otherwise.
std::unique_ptr<FactorDataset> makeFactorDataset(const std::string& name);

} // namespace lx

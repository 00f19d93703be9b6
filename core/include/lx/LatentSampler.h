#pragma once
// Reproducible latent draws from integer seeds: the same seed gives the same latent on every machine,
// compiler and device (our own generator and Box-Muller, not std::normal_distribution).
#include "lx/Array.h"

#include <cstdint>
#include <vector>

namespace lx {

class LatentSampler {
public:
    explicit LatentSampler(std::vector<int64_t> latentShape);

    // One standard-normal latent per seed: shape [seeds.size(), *latentShape]. With truncation > 0,
    // each value is redrawn until |v| <= truncation.
    Array sample(const std::vector<uint64_t>& seeds, double truncation = 0.0) const;

    // Seeds first, first+1, ... (count of them).
    static std::vector<uint64_t> seedRange(uint64_t first, int64_t count);

private:
    std::vector<int64_t> mLatentShape;
};

} // namespace lx

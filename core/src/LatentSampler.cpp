#include "lx/LatentSampler.h"

#include "lx/Error.h"
#include "lx/SplitMix64.h"

#include <cmath>

namespace lx {

LatentSampler::LatentSampler(std::vector<int64_t> latentShape)
    : mLatentShape(std::move(latentShape))
{
    Array::product(mLatentShape); // validates
}

Array LatentSampler::sample(const std::vector<uint64_t>& seeds, double truncation) const
{
    if (truncation < 0.0)
        throw Error("truncation must be >= 0 (0 = off), got " + std::to_string(truncation));
    const int64_t size = Array::product(mLatentShape);
    std::vector<int64_t> shape = mLatentShape;
    shape.insert(shape.begin(), static_cast<int64_t>(seeds.size()));
    Array out(shape);
    float* p = out.ptr();
    for (uint64_t seed : seeds) {
        SplitMix64 rng(seed);
        for (int64_t i = 0; i < size; ++i) {
            double v = rng.normal();
            while (truncation > 0.0 && std::fabs(v) > truncation)
                v = rng.normal();
            *p++ = static_cast<float>(v);
        }
    }
    return out;
}

std::vector<uint64_t> LatentSampler::seedRange(uint64_t first, int64_t count)
{
    std::vector<uint64_t> seeds;
    for (int64_t i = 0; i < count; ++i)
        seeds.push_back(first + static_cast<uint64_t>(i));
    return seeds;
}

} // namespace lx

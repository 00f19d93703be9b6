#include "lx/LatentSampler.h"

#include "lx/Error.h"

#include <cmath>

namespace lx {

namespace {

// SplitMix64: a small, fully specified generator, so a seed means the same latent everywhere.
class SplitMix64 {
public:
    explicit SplitMix64(uint64_t seed) : mState(seed) {}
    uint64_t next()
    {
        uint64_t z = (mState += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform in (0, 1): 53 random bits, never exactly 0.
    double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * (1.0 / 9007199254740992.0); }

private:
    uint64_t mState;
};

double standardNormal(SplitMix64& rng)
{
    const double u1 = rng.uniform();
    const double u2 = rng.uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

} // namespace

LatentSampler::LatentSampler(std::vector<int64_t> latentShape) : mLatentShape(std::move(latentShape))
{
    Array::product(mLatentShape);   // validates
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
            double v = standardNormal(rng);
            while (truncation > 0.0 && std::fabs(v) > truncation)
                v = standardNormal(rng);
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

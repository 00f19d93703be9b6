#pragma once
// SplitMix64: a small, fully specified random generator. Core uses it wherever a seed must mean the
// same numbers on every machine and compiler (latents, NMF/k-means initialisation, value shuffles);
// std::normal_distribution and friends are implementation-defined.
#include <cmath>
#include <cstdint>

namespace lx {

class SplitMix64 {
public:
    explicit SplitMix64(uint64_t seed)
        : mState(seed)
    {
    }
    uint64_t next()
    {
        uint64_t z = (mState += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform in (0, 1): 53 random bits, never exactly 0.
    double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * (1.0 / 9007199254740992.0); }
    // Uniform integer in [0, n).
    uint64_t below(uint64_t n) { return n ? next() % n : 0; }
    // Standard normal (Box-Muller, one value per two uniforms).
    double normal()
    {
        const double u1 = uniform();
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

private:
    uint64_t mState;
};

} // namespace lx

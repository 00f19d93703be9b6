#pragma once
// Timing helpers for benchmarks (tests/bench and `latent-explorer-cli bench`): run a callable, collect
// milliseconds, take percentiles.
#include <algorithm>
#include <chrono>
#include <functional>
#include <vector>

namespace lx {

class BenchStats {
public:
    static std::vector<double> timeMs(int repeats, const std::function<void()>& work)
    {
        std::vector<double> ms;
        for (int i = 0; i < repeats; ++i) {
            const auto start = std::chrono::steady_clock::now();
            work();
            ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        }
        return ms;
    }
    static double percentile(std::vector<double> values, double p)
    {
        if (values.empty())
            return 0.0;
        std::sort(values.begin(), values.end());
        const size_t at = std::min(values.size() - 1, static_cast<size_t>(p / 100.0 * double(values.size() - 1) + 0.5));
        return values[at];
    }
};

} // namespace lx

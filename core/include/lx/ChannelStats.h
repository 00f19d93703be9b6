#pragma once
// lx::ChannelStats: mean, standard deviation and maximum of chosen channels of a layer's activations
// (the Explore tab's channel view), over every position of every sample added, streamed batch by batch so a
// large batch of samples needs one chunk of activations at a time. The standard deviation is the
// population one (divisor = number of values), accumulated in double with a shifted sum so it stays
// exact for large means.
#include "lx/Array.h"

#include <cstdint>
#include <vector>

namespace lx {

struct ChannelStat {
    int channel = 0;
    double mean = 0.0;
    double std = 0.0;
    double max = 0.0;
    int64_t count = 0; // values seen (samples x positions)
};

class ChannelStats {
public:
    // Throws lx::Error for an empty list or a negative channel.
    explicit ChannelStats(std::vector<int> channels);
    // Adds activations [N, C, ...] (C > every chosen channel; a flat layer [N, F] counts a feature as
    // a channel of one position). Throws lx::Error for a rank below 2, a channel outside [0, C), a
    // channel count that changed between calls, or NaN/Inf.
    void add(const Array& activations);
    std::vector<ChannelStat> result() const; // in the order of the channels given
    // One batch at once.
    static std::vector<ChannelStat> of(const Array& activations, const std::vector<int>& channels);

private:
    std::vector<int> mChannels;
    std::vector<double> mShift, mSum, mSumSq, mMax;
    std::vector<int64_t> mCount;
    int64_t mChannelCount = -1;
};

} // namespace lx

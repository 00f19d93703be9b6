#include "lx/ChannelStats.h"

#include "lx/Error.h"

#include <cmath>
#include <limits>

namespace lx {

ChannelStats::ChannelStats(std::vector<int> channels)
    : mChannels(std::move(channels))
{
    if (mChannels.empty())
        throw Error("channel statistics: no channels chosen");
    for (int c : mChannels) {
        if (c < 0)
            throw Error("channel statistics: channel " + std::to_string(c) + " is negative");
    }
    const size_t n = mChannels.size();
    mShift.assign(n, 0.0);
    mSum.assign(n, 0.0);
    mSumSq.assign(n, 0.0);
    mMax.assign(n, -std::numeric_limits<double>::infinity());
    mCount.assign(n, 0);
}

void ChannelStats::add(const Array& activations)
{
    if (activations.rank() < 2)
        throw Error("channel statistics: activations must be [N, C, ...], not "
                    + Array::shapeString(activations.shape()));
    const int64_t n = activations.dim(0), c = activations.dim(1);
    if (mChannelCount >= 0 && c != mChannelCount)
        throw Error("channel statistics: " + std::to_string(c) + " channels after " + std::to_string(mChannelCount));
    mChannelCount = c;
    activations.requireFinite("channel statistics: activations");
    const int64_t plane = (n * c) > 0 ? activations.numel() / (n * c) : 0;
    for (size_t k = 0; k < mChannels.size(); ++k) {
        const int ch = mChannels[k];
        if (ch >= c)
            throw Error("channel statistics: channel " + std::to_string(ch) + " outside [0, " + std::to_string(c)
                        + ")");
        for (int64_t i = 0; i < n; ++i) {
            const float* p = activations.ptr() + (i * c + ch) * plane;
            if (mCount[k] == 0 && plane > 0)
                mShift[k] = p[0]; // shifted sums: exact variance for large means
            for (int64_t j = 0; j < plane; ++j) {
                const double v = double(p[j]) - mShift[k];
                mSum[k] += v;
                mSumSq[k] += v * v;
                mMax[k] = std::max(mMax[k], double(p[j]));
            }
            mCount[k] += plane;
        }
    }
}

std::vector<ChannelStat> ChannelStats::result() const
{
    std::vector<ChannelStat> out;
    for (size_t k = 0; k < mChannels.size(); ++k) {
        ChannelStat s;
        s.channel = mChannels[k];
        s.count = mCount[k];
        if (mCount[k] > 0) {
            const double m = mSum[k] / double(mCount[k]);
            s.mean = mShift[k] + m;
            s.std = std::sqrt(std::max(0.0, mSumSq[k] / double(mCount[k]) - m * m));
            s.max = mMax[k];
        }
        out.push_back(s);
    }
    return out;
}

std::vector<ChannelStat> ChannelStats::of(const Array& activations, const std::vector<int>& channels)
{
    ChannelStats stats(channels);
    stats.add(activations);
    return stats.result();
}

} // namespace lx

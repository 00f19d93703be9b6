#include "ui/widgets/FrameRate.h"

namespace lx::ui {

FrameRate::FrameRate() { mClock.start(); }

void FrameRate::frame() { frame(mClock.elapsed()); }

void FrameRate::frame(qint64 atMs)
{
    mTimes << atMs;
    dropOld(atMs);
}

void FrameRate::dropOld(qint64 nowMs)
{
    qsizetype first = 0;
    while (first < mTimes.size() && mTimes[first] < nowMs - kWindowMs)
        ++first;
    mTimes.remove(0, first);
}

double FrameRate::fps() const
{
    if (mTimes.size() < 2 || mTimes.last() == mTimes.first())
        return 0.0;
    return 1000.0 * double(mTimes.size() - 1) / double(mTimes.last() - mTimes.first());
}

} // namespace lx::ui

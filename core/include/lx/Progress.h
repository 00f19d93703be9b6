#pragma once
// Plain-C++ progress reporting and cancellation for long jobs. The UI maps them to a progress bar and a
// Cancel button; the CLI to stderr lines.
#include <atomic>
#include <functional>

namespace lx {

// Called with done/total units of work; may be called from the computing thread.
using ProgressFn = std::function<void(long long done, long long total)>;

class CancelToken {
public:
    void cancel() { mCancelled.store(true, std::memory_order_relaxed); }
    void reset() { mCancelled.store(false, std::memory_order_relaxed); }
    bool cancelled() const { return mCancelled.load(std::memory_order_relaxed); }

private:
    std::atomic<bool> mCancelled{false};
};

// Thrown by long jobs when their CancelToken was cancelled.
class Cancelled : public std::exception {
public:
    const char* what() const noexcept override { return "cancelled"; }
};

// Throws Cancelled when `cancel` is set; a null token never is.
inline void throwIfCancelled(const CancelToken* cancel)
{
    if (cancel && cancel->cancelled())
        throw Cancelled();
}

} // namespace lx

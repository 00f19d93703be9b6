#pragma once
// The influence maps' shortcut through the linear layer after a cut. When layer L's output is read
// only by a Conv2d, ConvTranspose2d or Linear call, swapping channel c of L changes that layer's output
// by c's own contribution (one input channel's slice of the weight applied to the channel's change), so
// the hybrids' next-layer outputs are base + contribution and only the rest of the network is rerun.
// An eval-mode BatchNorm2d (per-channel affine) and a ReLU right after a convolution are folded in as
// well: the suffix then restarts after them. Private to core's .cpp files.
#include "ModelImpl.h"

namespace lx {

class LinearNext {
public:
    // The shortcut after graph layer `layer` of m; kind() is empty when none applies, which includes a
    // suffix from entry() that cannot take several hybrid rows per base sample. The one test of whether
    // the shortcut, and streaming through through(), are used.
    static LinearNext find(Model::Impl& m, int layer);

    // "Conv2d", "ConvTranspose2d", "Linear"; empty when no shortcut applies.
    const std::string& kind() const { return mKind; }
    // kind() and what is folded after it: "ConvTranspose2d+BatchNorm2d+ReLU", "Conv2d+ReLU", ...
    std::string description() const
    {
        return mKind.empty() ? mKind : mKind + (mScale.defined() ? "+BatchNorm2d" : "") + (mRelu ? "+ReLU" : "");
    }
    // The linear layer reading L's output.
    int layer() const { return mLayer; }
    // The layer whose output hybrids() gives and the suffix restarts from: layer(), or the BatchNorm2d /
    // ReLU folded after it.
    int entry() const { return mEntry; }

    // The linear layer's output for its input h (the cut layer's output): the module's own operation.
    torch::Tensor output(const torch::Tensor& h) const;
    // entry()'s output from the linear layer's output: the folded BatchNorm and ReLU applied.
    torch::Tensor entryOutput(const torch::Tensor& nextOutput) const;
    // The next layer's output on the base pass ([P, ...], from output() or forwardTo(layer())), made ready for
    // hybrids(): with the folded BatchNorm applied and, for the CPU kernel, channels last.
    torch::Tensor prepareBase(const torch::Tensor& nextOutput) const;
    // entry()'s output for every (pair p, channel chunk[k]) hybrid: [P * K, ...] in (p, k) order, from
    // the prepared base and delta [P, K, ...], the change of L's output in those channels.
    torch::Tensor hybrids(const torch::Tensor& base, const torch::Tensor& delta, const torch::Tensor& chunk) const;

    // The transposed convolution that alone reads entry()'s output when the CPU kernel can take its
    // input straight from hybrids() rows (throughApplies) and the suffix from it reads nothing but its
    // output, one sample a row: its layer, or -1.
    int through() const { return mThrough; }
    // Whether hybridsThrough() runs for this prepared base and delta.
    bool throughApplies(const torch::Tensor& base, const torch::Tensor& delta) const;
    // hybrids() fed through the layer through() without holding them (ConvTransposeKernel::hybridsThrough):
    // that layer's output for up to `group` pairs p0.. of channel chunk[j] at a time goes to sink.
    void hybridsThrough(const torch::Tensor& base, const torch::Tensor& delta, const torch::Tensor& chunk,
                        int64_t group, const std::function<void(const torch::Tensor&, int64_t, int64_t)>& sink) const;

    // Use LibTorch ops everywhere (as on CUDA) instead of the CPU kernel; for tests of that path.
    void setLibTorchOnly(bool on) { mLibTorchOnly = on; }

private:
    // find() before the test that the suffix from entry() takes several rows per base sample.
    static LinearNext candidate(Model::Impl& m, int layer);
    // The next layer's output with the folded BatchNorm applied (itself when there is none).
    torch::Tensor withBatchNorm(const torch::Tensor& nextOutput) const;
    bool cpuKernel(const torch::Tensor& t) const { return !mLibTorchOnly && t.device().is_cpu() && mKind != "Linear"; }
    // The CPU kernel for a 4x4, stride 2, padding 1 transposed convolution (ConvTransposeKernel), which
    // works on channels-first planes; t is the next layer's output.
    bool phaseKernel(const torch::Tensor& t) const;
    torch::Tensor libTorchHybrids(const torch::Tensor& base, const torch::Tensor& delta,
                                  const torch::Tensor& chunk) const;
    torch::Tensor kernelHybrids(const torch::Tensor& base, const torch::Tensor& delta,
                                const torch::Tensor& chunk) const;

    std::string mKind;
    int mLayer = -1, mEntry = -1;
    torch::Tensor mModuleWeight, mBias; // as the module holds them (mBias undefined: none)
    torch::Tensor mWeight; // scaled by the folded BatchNorm
    torch::Tensor mTaps; // CPU kernel: [Cin, kh * kw, Cout], scaled by the folded BatchNorm
    std::vector<int64_t> mStride, mPadding, mOutputPadding, mDilation;
    torch::Tensor mScale, mShift; // the folded BatchNorm2d: y -> y * scale + shift per channel (undefined: none)
    bool mRelu = false; // a ReLU folded after it
    int mThrough = -1; // through()
    torch::Tensor mThroughWeight, mThroughBias; // its module's (mThroughBias undefined: none)
    bool mLibTorchOnly = false;
};

} // namespace lx

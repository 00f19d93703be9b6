#pragma once
// A CPU kernel for the transposed convolution of DCGAN-style generators and VAE decoders (4x4 kernel,
// stride 2, padding 1: each layer doubles the resolution), and the graph rewrite that routes a
// suffix's transposed convolutions to it. LibTorch runs that layer as one GEMM per sample followed by a
// serial col2im scatter, at a third to a half of the machine's matmul rate, and worst when the layer
// has few output channels (the image layer: 3). The kernel computes the four output phases (row and
// column parity) directly: each output pixel of a phase reads a 2x2 window of the input, so a row of 8
// output columns is a sum of vector multiply-adds over input channels and taps, with both column
// phases sharing their input loads and written out interleaved. Anything else (other shapes,
// strides, dtypes, devices, autograd, a CPU without AVX2/FMA) goes to at::conv_transpose2d, so the
// rewritten graph computes the same function everywhere. Private to core's .cpp files.
#include <torch/script.h>

#include <functional>

namespace lx {

class ConvTransposeKernel {
public:
    // at::conv_transpose2d's arguments and result; the kernel when applies(), LibTorch otherwise.
    static torch::Tensor run(const torch::Tensor& input, const torch::Tensor& weight,
                             const c10::optional<torch::Tensor>& bias, c10::IntArrayRef stride,
                             c10::IntArrayRef padding, c10::IntArrayRef outputPadding, int64_t groups,
                             c10::IntArrayRef dilation);
    // Whether the kernel (rather than LibTorch) computes run() with these arguments.
    static bool applies(const torch::Tensor& input, const torch::Tensor& weight,
                        const c10::optional<torch::Tensor>& bias, c10::IntArrayRef stride, c10::IntArrayRef padding,
                        c10::IntArrayRef outputPadding, int64_t groups, c10::IntArrayRef dilation);
    // Whether a layer of this weight and geometry is the kind the kernel computes (4x4 kernel, stride 2,
    // padding 1, no output padding or dilation), whatever its input, dtype and device.
    static bool phaseLayer(const torch::Tensor& weight, c10::IntArrayRef stride, c10::IntArrayRef padding,
                           c10::IntArrayRef outputPadding, c10::IntArrayRef dilation);
    // The influence maps' shortcut (LinearNext) through such a layer: whether the kernel below takes
    // this next-layer output `base` [P, Cout, 2h, 2w] of a layer with this weight [Cin, Cout, 4, 4]
    // and geometry.
    static bool fitsHybrids(const torch::Tensor& base, const torch::Tensor& weight, c10::IntArrayRef stride,
                            c10::IntArrayRef padding, c10::IntArrayRef outputPadding, c10::IntArrayRef dilation);
    // The next layer's output for every (pair p, channel chunk[j]) hybrid, [P * K, Cout, 2h, 2w] in (p, j)
    // order: base[p] + the transposed convolution of delta[p, j] ([P, K, h, w], the change of that input
    // channel) through weight[chunk[j]], then ReLU when `relu`. Stride 2, padding 1, no bias (it is in
    // base). Requires fitsHybrids(base, weight).
    static torch::Tensor hybrids(const torch::Tensor& base, const torch::Tensor& delta, const torch::Tensor& weight,
                                 const torch::Tensor& chunk, bool relu);
    // hybrids() fed straight into a second such layer, without holding the hybrids: for every (pair p,
    // channel chunk[j]) hybrid, hybrids()' output is computed a row at a time into a ring of three rows
    // (in L1) from which the second layer (weight2 [Cout, Cout2, 4, 4], bias2) computes its rows. Its
    // outputs for up to `group` consecutive pairs p0.. of one channel j, [n, Cout2, 4h, 4w], go to
    // sink(out, j, p0) on the worker thread that computed them. One channel's hybrids are all computed
    // by one thread in pair order, so calls for one j never overlap and their order does not depend on
    // the thread count; `out` is reused once sink returns. Requires fitsHybrids(base, weight) and
    // applies(base, weight2, bias2, ...) (base stands for the second layer's input: same shape).
    using Sink = std::function<void(const torch::Tensor& out, int64_t j, int64_t p0)>;
    static void hybridsThrough(const torch::Tensor& base, const torch::Tensor& delta, const torch::Tensor& weight,
                               const torch::Tensor& chunk, bool relu, const torch::Tensor& weight2,
                               const c10::optional<torch::Tensor>& bias2, int64_t group, const Sink& sink);
    // Replaces every aten::conv_transpose2d and transposed aten::_convolution of `graph` by run()
    // (registered as lx::conv_transpose2d); returns how many it replaced.
    static int useIn(torch::jit::Graph& graph);
};

} // namespace lx

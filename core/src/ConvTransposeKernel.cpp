#include "ConvTransposeKernel.h"

#include <ATen/Parallel.h>
#include <immintrin.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

namespace lx {

namespace {

bool hasAvx2Fma()
{
    static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return has;
}

// Output row 2y + a reads input rows y + kRowShift[a][t] through kernel rows kRowTap[a][t]
// (oy = 2 iy - 1 + ky). Columns likewise: ox = 2x reads x (kx 1) and x - 1 (kx 3); ox = 2x + 1
// reads x (kx 2) and x + 1 (kx 0).
constexpr int kRowShift[2][2] = {{0, -1}, {0, 1}};
constexpr int kRowTap[2][2] = {{1, 3}, {2, 0}};
// Per (input channel, row tap) the packed weights hold four groups of CB output channels, in the
// order the kernel uses them: left input (x - 1) into even columns (kx 3), centre into even (kx 1),
// centre into odd (kx 2), right (x + 1) into odd (kx 0).
constexpr int kColTap[4] = {3, 1, 2, 0};

// A sample copied zero-padded by one pixel, rows outermost: [h + 2][cin][w + 2]. The channels' rows of
// one input row then lie next to each other (the channels of a NCHW tensor with 32x32 planes are 4 KiB
// apart and fall into the same L1 sets), and the taps at columns -1 and w and at rows -1 and h read
// zeros without bounds checks. Every worker thread fills one for each sample it takes; only the
// padding is zeroed up front, since fill() writes the rest.
class PaddedSample {
public:
    PaddedSample(int64_t cin, int64_t h, int64_t w)
        : mCin(cin)
        , mH(h)
        , mW(w)
        , mData(new float[size_t((h + 2) * cin * (w + 2))])
    {
        const int64_t rowFloats = cin * (w + 2);
        std::fill_n(mData.get(), rowFloats, 0.0f);
        std::fill_n(mData.get() + (h + 1) * rowFloats, rowFloats, 0.0f);
        for (int64_t y = 0; y < h; ++y)
            for (int64_t ci = 0; ci < cin; ++ci) {
                row(y, ci)[-1] = 0.0f;
                row(y, ci)[w] = 0.0f;
            }
    }

    void fill(const float* sample)
    {
        for (int64_t y = 0; y < mH; ++y)
            for (int64_t ci = 0; ci < mCin; ++ci)
                std::memcpy(row(y, ci), sample + (ci * mH + y) * mW, size_t(mW) * sizeof(float));
    }
    // Input row y (-1 .. h) of channel ci, at column 0 (column -1 is row(y, ci)[-1]).
    float* row(int64_t y, int64_t ci) { return mData.get() + ((y + 1) * mCin + ci) * (mW + 2) + 1; }
    int64_t channelStride() const { return mW + 2; }

private:
    int64_t mCin, mH, mW;
    std::unique_ptr<float[]> mData; // not value-initialised: the constructor zeroes the padding alone
};

// The two input rows output row 2y + a reads (row taps t = 0, 1), at column 0 of channel 0.
struct TapRows {
    const float* row[2];
    int64_t channelStride;
};

TapRows tapRows(PaddedSample& in, int64_t y, int a)
{
    return {{in.row(y + kRowShift[a][0], 0), in.row(y + kRowShift[a][1], 0)}, in.channelStride()};
}

// Even and odd output columns interleaved: 16 contiguous outputs per vector pair.
__attribute__((target("avx2,fma"))) inline void storeInterleaved(float* dst, __m256 even, __m256 odd)
{
    const __m256 lo = _mm256_unpacklo_ps(even, odd), hi = _mm256_unpackhi_ps(even, odd);
    _mm256_storeu_ps(dst, _mm256_permute2f128_ps(lo, hi, 0x20));
    _mm256_storeu_ps(dst + 8, _mm256_permute2f128_ps(lo, hi, 0x31));
}

// One output row 2y + a, output channels [co, co + valid) of a CB block, 8 XB columns at a time: per
// input channel and row tap, the left, centre and right input vectors (columns x - 1, x, x + 1) go into
// the even and odd output columns of CB x XB accumulators, one broadcast weight live at a time so that
// accumulators and inputs keep the other registers. `packed` is the block's [cin][2][4][CB] weights,
// `out` the output row in channel co, `outPlane` apart from one channel to the next.
template <int CB, int XB>
__attribute__((target("avx2,fma"))) void phaseRow(const TapRows& taps, int64_t cin, int64_t w, const float* packed,
                                                  const float* bias, float* out, int64_t outPlane, int64_t valid)
{
    for (int64_t x0 = 0; x0 < w; x0 += 8 * XB) {
        __m256 even[CB][XB], odd[CB][XB];
#pragma GCC unroll 4
        for (int c = 0; c < CB; ++c)
#pragma GCC unroll 4
            for (int v = 0; v < XB; ++v)
                even[c][v] = odd[c][v] = _mm256_set1_ps(bias[c]);
        const float* wt = packed;
        for (int64_t ci = 0; ci < cin; ++ci) {
#pragma GCC unroll 2
            for (int t = 0; t < 2; ++t, wt += 4 * CB) {
                const float* r = taps.row[t] + ci * taps.channelStride + x0;
                __m256 left[XB], centre[XB], right[XB];
#pragma GCC unroll 4
                for (int v = 0; v < XB; ++v) {
                    left[v] = _mm256_loadu_ps(r + 8 * v - 1);
                    centre[v] = _mm256_loadu_ps(r + 8 * v);
                    right[v] = _mm256_loadu_ps(r + 8 * v + 1);
                }
#pragma GCC unroll 4
                for (int c = 0; c < CB; ++c) {
                    __m256 wv = _mm256_broadcast_ss(wt + c);
#pragma GCC unroll 4
                    for (int v = 0; v < XB; ++v)
                        even[c][v] = _mm256_fmadd_ps(wv, left[v], even[c][v]);
                    wv = _mm256_broadcast_ss(wt + CB + c);
#pragma GCC unroll 4
                    for (int v = 0; v < XB; ++v)
                        even[c][v] = _mm256_fmadd_ps(wv, centre[v], even[c][v]);
                    wv = _mm256_broadcast_ss(wt + 2 * CB + c);
#pragma GCC unroll 4
                    for (int v = 0; v < XB; ++v)
                        odd[c][v] = _mm256_fmadd_ps(wv, centre[v], odd[c][v]);
                    wv = _mm256_broadcast_ss(wt + 3 * CB + c);
#pragma GCC unroll 4
                    for (int v = 0; v < XB; ++v)
                        odd[c][v] = _mm256_fmadd_ps(wv, right[v], odd[c][v]);
                }
            }
        }
        for (int c = 0; c < CB && c < valid; ++c)
            for (int v = 0; v < XB; ++v)
                storeInterleaved(out + c * outPlane + 2 * (x0 + 8 * v), even[c][v], odd[c][v]);
    }
}

// One column phase B (0 even, 1 odd) of 8 XB columns from x0, for at most three output channels (the
// image layer), as a GEMM micro-kernel: each step (input channel, row tap, column tap) broadcasts CB
// weights and streams XB input vectors into CB x XB accumulators; at 3 x 4 that is 12 multiply-adds per
// 7 loads in the 16 vector registers. `wt` is the phase's [cin][2 row taps][2 column taps][CB] weights.
template <int CB, int XB, int B>
__attribute__((target("avx2,fma"))) void splitPhase(const TapRows& taps, int64_t x0, int64_t cin, const float* wt,
                                                    const float* bias, float (*sums)[XB][8])
{
    __m256 acc[CB][XB];
#pragma GCC unroll 4
    for (int c = 0; c < CB; ++c)
#pragma GCC unroll 4
        for (int v = 0; v < XB; ++v)
            acc[c][v] = _mm256_set1_ps(bias[c]);
    for (int64_t ci = 0; ci < cin; ++ci) {
#pragma GCC unroll 2
        for (int t = 0; t < 2; ++t) {
            const float* r = taps.row[t] + ci * taps.channelStride + x0;
#pragma GCC unroll 2
            for (int u = 0; u < 2; ++u, wt += CB) {
                // Column tap u of the even phase reads columns x - 1, x; of the odd phase x, x + 1.
                const int shift = B == 0 ? u - 1 : u;
                __m256 w[CB];
#pragma GCC unroll 4
                for (int c = 0; c < CB; ++c)
                    w[c] = _mm256_broadcast_ss(wt + c);
#pragma GCC unroll 4
                for (int v = 0; v < XB; ++v) {
                    const __m256 in = _mm256_loadu_ps(r + 8 * v + shift);
#pragma GCC unroll 4
                    for (int c = 0; c < CB; ++c)
                        acc[c][v] = _mm256_fmadd_ps(w[c], in, acc[c][v]);
                }
            }
        }
    }
#pragma GCC unroll 4
    for (int c = 0; c < CB; ++c)
#pragma GCC unroll 4
        for (int v = 0; v < XB; ++v)
            _mm256_store_ps(sums[c][v], acc[c][v]);
}

// phaseRow for at most three output channels: the even and the odd phase one after the other (their
// sums meet in memory to be interleaved). `packed` is [2 column phases][cin][2][2][CB].
template <int CB, int XB>
__attribute__((target("avx2,fma"))) void splitRow(const TapRows& taps, int64_t cin, int64_t w, const float* packed,
                                                  const float* bias, float* out, int64_t outPlane, int64_t valid)
{
    for (int64_t x0 = 0; x0 < w; x0 += 8 * XB) {
        alignas(32) float even[CB][XB][8], odd[CB][XB][8];
        splitPhase<CB, XB, 0>(taps, x0, cin, packed, bias, even);
        splitPhase<CB, XB, 1>(taps, x0, cin, packed + cin * 2 * 2 * CB, bias, odd);
        for (int c = 0; c < CB && c < valid; ++c)
            for (int v = 0; v < XB; ++v)
                storeInterleaved(out + c * outPlane + 2 * (x0 + 8 * v), _mm256_load_ps(even[c][v]),
                                 _mm256_load_ps(odd[c][v]));
    }
}

// One output row 2y + a, every output channel, of a hybrid whose next-layer output is `base` plus one
// input channel's contribution: taps reads the channel's change (a one-channel padded sample),
// `weight` is that channel's [cout][4][4] kernel. out = base + contribution (then ReLU); base rows are
// `plane` apart from one output channel to the next, out rows `outStride`.
__attribute__((target("avx2,fma"))) void singleChannelRow(const TapRows& taps, int64_t w, const float* weight, int a,
                                                          int64_t cout, const float* base, int64_t plane, float* out,
                                                          int64_t outStride, bool relu)
{
    const int ky0 = kRowTap[a][0], ky1 = kRowTap[a][1];
    const __m256 zero = _mm256_setzero_ps();
    for (int64_t x0 = 0; x0 < w; x0 += 8) {
        const float *q0 = taps.row[0] + x0, *q1 = taps.row[1] + x0;
        const __m256 l0 = _mm256_loadu_ps(q0 - 1), c0 = _mm256_loadu_ps(q0), r0 = _mm256_loadu_ps(q0 + 1);
        const __m256 l1 = _mm256_loadu_ps(q1 - 1), c1 = _mm256_loadu_ps(q1), r1 = _mm256_loadu_ps(q1 + 1);
        for (int64_t o = 0; o < cout; ++o) {
            const float* k = weight + o * 16;
            __m256 even = _mm256_mul_ps(_mm256_broadcast_ss(k + ky0 * 4 + 3), l0);
            even = _mm256_fmadd_ps(_mm256_broadcast_ss(k + ky0 * 4 + 1), c0, even);
            even = _mm256_fmadd_ps(_mm256_broadcast_ss(k + ky1 * 4 + 3), l1, even);
            even = _mm256_fmadd_ps(_mm256_broadcast_ss(k + ky1 * 4 + 1), c1, even);
            __m256 odd = _mm256_mul_ps(_mm256_broadcast_ss(k + ky0 * 4 + 2), c0);
            odd = _mm256_fmadd_ps(_mm256_broadcast_ss(k + ky0 * 4 + 0), r0, odd);
            odd = _mm256_fmadd_ps(_mm256_broadcast_ss(k + ky1 * 4 + 2), c1, odd);
            odd = _mm256_fmadd_ps(_mm256_broadcast_ss(k + ky1 * 4 + 0), r1, odd);
            const __m256 lo = _mm256_unpacklo_ps(even, odd), hi = _mm256_unpackhi_ps(even, odd);
            const float* b = base + o * plane + 2 * x0;
            // The next row's base (the caller's next call): the channels' rows are a plane apart, too
            // many streams for the hardware prefetcher.
            _mm_prefetch(reinterpret_cast<const char*>(b + 2 * w), _MM_HINT_T1);
            _mm_prefetch(reinterpret_cast<const char*>(b + 2 * w + 15), _MM_HINT_T1);
            __m256 first = _mm256_add_ps(_mm256_loadu_ps(b), _mm256_permute2f128_ps(lo, hi, 0x20));
            __m256 second = _mm256_add_ps(_mm256_loadu_ps(b + 8), _mm256_permute2f128_ps(lo, hi, 0x31));
            if (relu) {
                first = _mm256_max_ps(first, zero);
                second = _mm256_max_ps(second, zero);
            }
            float* dst = out + o * outStride + 2 * x0;
            _mm256_storeu_ps(dst, first);
            _mm256_storeu_ps(dst + 8, second);
        }
    }
}

using RowFn = void (*)(const TapRows&, int64_t, int64_t, const float*, const float*, float*, int64_t, int64_t);

// Blocks that keep accumulators, inputs and weights in the 16 vector registers: two output channels
// by two column vectors where the row is wide enough; for the image layer (at most three channels) the
// split phases; else three channels by one column vector.
struct Blocking {
    int cb;
    RowFn fn;
    bool split; // splitRow's weight order (column phase outermost) rather than phaseRow's
};

Blocking blockingFor(int64_t cout, int64_t w)
{
    if (w % 16 == 0 && cout % 2 == 0)
        return {2, &phaseRow<2, 2>, false};
    if (w % 32 == 0 && cout <= 3)
        return cout == 3 ? Blocking{3, &splitRow<3, 4>, true}
            : cout == 2  ? Blocking{2, &splitRow<2, 4>, true}
                         : Blocking{1, &splitRow<1, 4>, true};
    if (cout % 3 == 0 || cout > 3)
        return {3, &phaseRow<3, 1>, false};
    if (cout == 2)
        return {2, &phaseRow<2, 1>, false};
    return {1, &phaseRow<1, 1>, false};
}

bool intsAre(c10::IntArrayRef v, int64_t a, int64_t b) { return v.size() == 2 && v[0] == a && v[1] == b; }

// The one geometry the kernel computes: stride 2, padding 1, no output padding, no dilation.
bool phaseGeometry(c10::IntArrayRef stride, c10::IntArrayRef padding, c10::IntArrayRef outputPadding,
                   c10::IntArrayRef dilation)
{
    return intsAre(stride, 2, 2) && intsAre(padding, 1, 1) && intsAre(outputPadding, 0, 0) && intsAre(dilation, 1, 1);
}

// A layer's weights packed per (row phase a, channel block b) in the order its row function reads
// them, zero beyond cout: [cin][row tap][4 column uses][cb] (phaseRow) or [2 column phases][cin][row tap]
// [2 column taps][cb] (splitRow); column use u is column phase u / 2, column tap u % 2 in both.
struct PackedWeights {
    Blocking blocking;
    int64_t cin, cout, blocks;
    std::vector<float> weights, biases;

    PackedWeights(const torch::Tensor& weight, const c10::optional<torch::Tensor>& bias, int64_t w)
        : blocking(blockingFor(weight.size(1), w))
        , cin(weight.size(0))
        , cout(weight.size(1))
        , blocks((cout + blocking.cb - 1) / blocking.cb)
        , weights(size_t(2 * blocks * cin * 2 * 4 * blocking.cb), 0.0f)
        , biases(size_t(blocks * blocking.cb), 0.0f)
    {
        const int64_t cb = blocking.cb;
        const torch::Tensor wc = weight.contiguous();
        const float* wd = wc.data_ptr<float>();
        for (int a = 0; a < 2; ++a)
            for (int64_t b = 0; b < blocks; ++b)
                for (int64_t ci = 0; ci < cin; ++ci)
                    for (int t = 0; t < 2; ++t)
                        for (int u = 0; u < 4; ++u)
                            for (int64_t c = 0; c < cb && b * cb + c < cout; ++c) {
                                const int64_t inBlock =
                                    blocking.split ? (((u / 2) * cin + ci) * 2 + t) * 2 + u % 2 : (ci * 2 + t) * 4 + u;
                                weights[size_t(((a * blocks + b) * cin * 8 + inBlock) * cb + c)] =
                                    wd[((ci * cout + b * cb + c) * 4 + kRowTap[a][t]) * 4 + kColTap[u]];
                            }
        if (bias && bias->defined()) {
            const torch::Tensor bc = bias->contiguous();
            std::copy(bc.data_ptr<float>(), bc.data_ptr<float>() + cout, biases.begin());
        }
    }

    // Output row 2y + a (y from taps) of every output channel: `out` is that row in channel 0, `outPlane`
    // apart from one channel to the next; w is the input width.
    void row(const TapRows& taps, int a, int64_t w, float* out, int64_t outPlane) const
    {
        const int64_t cb = blocking.cb;
        for (int64_t b = 0; b < blocks; ++b)
            blocking.fn(taps, cin, w, weights.data() + size_t((a * blocks + b) * cin * 8 * cb), biases.data() + b * cb,
                        out + b * cb * outPlane, outPlane, std::min(cb, cout - b * cb));
    }
};

torch::Tensor kernel(const torch::Tensor& input, const torch::Tensor& weight, const c10::optional<torch::Tensor>& bias)
{
    const torch::Tensor x = input.contiguous();
    const int64_t n = x.size(0), cin = x.size(1), h = x.size(2), w = x.size(3), cout = weight.size(1);
    const PackedWeights packed(weight, bias, w);
    const float* xd = x.data_ptr<float>();
    torch::Tensor out = torch::empty({n, cout, 2 * h, 2 * w}, x.options());
    float* od = out.data_ptr<float>();
    const int64_t outPlane = 4 * h * w;
    // A sample per task: each thread pads it into its own buffer (in L2) and computes all its rows.
    at::parallel_for(0, n, 1, [&](int64_t begin, int64_t end) {
        PaddedSample in(cin, h, w);
        for (int64_t s = begin; s < end; ++s) {
            in.fill(xd + s * cin * h * w);
            for (int a = 0; a < 2; ++a)
                for (int64_t y = 0; y < h; ++y)
                    packed.row(tapRows(in, y, a), a, w, od + s * cout * outPlane + (2 * y + a) * 2 * w, outPlane);
        }
    });
    return out;
}

torch::Tensor runOp(const torch::Tensor& input, const torch::Tensor& weight, const c10::optional<torch::Tensor>& bias,
                    std::vector<int64_t> stride, std::vector<int64_t> padding, std::vector<int64_t> outputPadding,
                    int64_t groups, std::vector<int64_t> dilation)
{
    return ConvTransposeKernel::run(input, weight, bias, stride, padding, outputPadding, groups, dilation);
}

TORCH_LIBRARY(lx, m)
{
    // A pure function of its arguments (no aliasing, no writes), as aten::conv_transpose2d.
    m.def(torch::schema("conv_transpose2d(Tensor input, Tensor weight, Tensor? bias, int[] stride, int[] padding, "
                        "int[] output_padding, int groups, int[] dilation) -> Tensor",
                        c10::AliasAnalysisKind::FROM_SCHEMA),
          &runOp);
}

} // namespace

bool ConvTransposeKernel::applies(const torch::Tensor& input, const torch::Tensor& weight,
                                  const c10::optional<torch::Tensor>& bias, c10::IntArrayRef stride,
                                  c10::IntArrayRef padding, c10::IntArrayRef outputPadding, int64_t groups,
                                  c10::IntArrayRef dilation)
{
    // Outside autograd (GradMode off, as under InferenceMode) a parameter's requires_grad does not matter.
    const bool grad = at::GradMode::is_enabled();
    const auto cpuFloat = [grad](const torch::Tensor& t) {
        return t.device().is_cpu() && t.scalar_type() == torch::kFloat && t.layout() == torch::kStrided
            && !(grad && t.requires_grad());
    };
    const bool biasOk =
        !bias || !bias->defined() || (cpuFloat(*bias) && bias->dim() == 1 && bias->size(0) == weight.size(1));
    return hasAvx2Fma() && cpuFloat(input) && cpuFloat(weight) && biasOk && input.dim() == 4
        && phaseLayer(weight, stride, padding, outputPadding, dilation) && weight.size(0) == input.size(1)
        && input.size(3) % 8 == 0 && input.size(0) > 0 && input.size(2) > 0 && groups == 1;
}

bool ConvTransposeKernel::phaseLayer(const torch::Tensor& weight, c10::IntArrayRef stride, c10::IntArrayRef padding,
                                     c10::IntArrayRef outputPadding, c10::IntArrayRef dilation)
{
    return weight.dim() == 4 && weight.size(2) == 4 && weight.size(3) == 4
        && phaseGeometry(stride, padding, outputPadding, dilation);
}

torch::Tensor ConvTransposeKernel::run(const torch::Tensor& input, const torch::Tensor& weight,
                                       const c10::optional<torch::Tensor>& bias, c10::IntArrayRef stride,
                                       c10::IntArrayRef padding, c10::IntArrayRef outputPadding, int64_t groups,
                                       c10::IntArrayRef dilation)
{
    if (applies(input, weight, bias, stride, padding, outputPadding, groups, dilation))
        return kernel(input, weight, bias);
    return at::conv_transpose2d(input, weight, bias, stride, padding, outputPadding, groups, dilation);
}

bool ConvTransposeKernel::fitsHybrids(const torch::Tensor& base, const torch::Tensor& weight, c10::IntArrayRef stride,
                                      c10::IntArrayRef padding, c10::IntArrayRef outputPadding,
                                      c10::IntArrayRef dilation)
{
    return hasAvx2Fma() && phaseLayer(weight, stride, padding, outputPadding, dilation) && base.device().is_cpu()
        && base.scalar_type() == torch::kFloat && weight.scalar_type() == torch::kFloat && base.dim() == 4
        && weight.size(1) == base.size(1) && base.size(2) % 2 == 0 && base.size(3) % 16 == 0;
}

torch::Tensor ConvTransposeKernel::hybrids(const torch::Tensor& base, const torch::Tensor& delta,
                                           const torch::Tensor& weight, const torch::Tensor& chunk, bool relu)
{
    const torch::Tensor b = base.contiguous(), wc = weight.contiguous();
    const torch::Tensor channels = chunk.to(torch::kCPU).contiguous();
    const int64_t p = delta.size(0), k = delta.size(1), h = delta.size(2), w = delta.size(3), cout = b.size(1);
    const int64_t plane = 4 * h * w;
    const torch::Tensor d = delta.contiguous();
    torch::Tensor out = torch::empty({p * k, cout, 2 * h, 2 * w}, b.options());
    const float* dd = d.data_ptr<float>();
    const float* bd = b.data_ptr<float>();
    const float* wd = wc.data_ptr<float>();
    const int64_t* channel = channels.data_ptr<int64_t>();
    float* od = out.data_ptr<float>();
    at::parallel_for(0, p * k, 1, [&](int64_t begin, int64_t end) {
        PaddedSample change(1, h, w);
        for (int64_t r = begin; r < end; ++r) {
            change.fill(dd + r * h * w);
            for (int a = 0; a < 2; ++a)
                for (int64_t y = 0; y < h; ++y) {
                    const int64_t row = (2 * y + a) * 2 * w;
                    singleChannelRow(tapRows(change, y, a), w, wd + channel[r % k] * cout * 16, a, cout,
                                     bd + (r / k) * cout * plane + row, plane, od + r * cout * plane + row, plane,
                                     relu);
                }
        }
    });
    return out;
}

void ConvTransposeKernel::hybridsThrough(const torch::Tensor& base, const torch::Tensor& delta,
                                         const torch::Tensor& weight, const torch::Tensor& chunk, bool relu,
                                         const torch::Tensor& weight2, const c10::optional<torch::Tensor>& bias2,
                                         int64_t group, const Sink& sink)
{
    const torch::Tensor b = base.contiguous(), wc = weight.contiguous(), d = delta.contiguous();
    const torch::Tensor channels = chunk.to(torch::kCPU).contiguous();
    const int64_t p = d.size(0), k = d.size(1), h = d.size(2), w = d.size(3), cout = b.size(1);
    const int64_t plane = 4 * h * w, ringStride = 2 * w + 2, cout2 = weight2.size(1), outPlane = 16 * h * w;
    const PackedWeights second(weight2, bias2, 2 * w);
    const float* dd = d.data_ptr<float>();
    const float* bd = b.data_ptr<float>();
    const float* wd = wc.data_ptr<float>();
    const int64_t* channel = channels.data_ptr<int64_t>();
    group = std::max<int64_t>(1, std::min(group, p));
    at::parallel_for(0, k, 1, [&](int64_t begin, int64_t end) {
        PaddedSample change(1, h, w);
        // Rows Y of the first layer's output, [cout][2w + 2] each with zero columns at both ends, in slot
        // Y % 3; rows -1 and 2h read the zero row.
        std::vector<float> ring(size_t(3 * cout * ringStride), 0.0f), zero(size_t(cout * ringStride), 0.0f);
        const auto rowAt = [&](int64_t y) -> const float* {
            return (y < 0 || y >= 2 * h ? zero.data() : ring.data() + (y % 3) * cout * ringStride) + 1;
        };
        torch::Tensor out = torch::empty({group, cout2, 4 * h, 4 * w}, b.options());
        float* od = out.data_ptr<float>();
        for (int64_t j = begin; j < end; ++j) {
            const float* kernelOfJ = wd + channel[j] * cout * 16;
            for (int64_t p0 = 0; p0 < p; p0 += group) {
                const int64_t n = std::min(group, p - p0);
                for (int64_t i = 0; i < n; ++i) {
                    change.fill(dd + ((p0 + i) * k + j) * h * w);
                    const float* baseOfP = bd + (p0 + i) * cout * plane;
                    float* image = od + i * cout2 * outPlane;
                    // Second-layer output rows 2y + a of input row y read first-layer rows y - 1, y (a = 0)
                    // and y, y + 1 (a = 1): emitted once row y + 1 is in the ring.
                    const auto emit = [&](int64_t y) {
                        for (int a = 0; a < 2; ++a) {
                            const TapRows taps{{rowAt(y + kRowShift[a][0]), rowAt(y + kRowShift[a][1])}, ringStride};
                            second.row(taps, a, 2 * w, image + (2 * y + a) * 4 * w, outPlane);
                        }
                    };
                    for (int64_t y = 0; y < 2 * h; ++y) {
                        singleChannelRow(tapRows(change, y / 2, int(y % 2)), w, kernelOfJ, int(y % 2), cout,
                                         baseOfP + y * 2 * w, plane, ring.data() + (y % 3) * cout * ringStride + 1,
                                         ringStride, relu);
                        if (y >= 1)
                            emit(y - 1);
                    }
                    emit(2 * h - 1);
                }
                sink(out.narrow(0, 0, n), j, p0);
            }
        }
    });
}

int ConvTransposeKernel::useIn(torch::jit::Graph& graph)
{
    static const c10::Symbol convTranspose = c10::Symbol::fromQualString("aten::conv_transpose2d");
    static const c10::Symbol convolution = c10::Symbol::fromQualString("aten::_convolution");
    static const c10::Symbol ours = c10::Symbol::fromQualString("lx::conv_transpose2d");
    std::vector<torch::jit::Node*> found;
    for (torch::jit::Node* node : graph.nodes())
        if (node->kind() == convTranspose || node->kind() == convolution)
            found.push_back(node);
    int replaced = 0;
    for (torch::jit::Node* node : found) {
        std::vector<torch::jit::Value*> args;
        const auto in = node->inputs();
        if (node->kind() == convTranspose && in.size() == 8 && node->outputs().size() == 1) {
            args.assign(in.begin(),
                        in.end()); // (input, weight, bias, stride, padding, output_padding, groups, dilation)
        } else if (node->kind() == convolution && in.size() >= 9 && node->outputs().size() == 1) {
            // (input, weight, bias, stride, padding, dilation, transposed, output_padding, groups, ...): only a
            // constant transposed = true.
            const c10::optional<c10::IValue> transposed = torch::jit::toIValue(in[6]);
            if (!transposed || !transposed->isBool() || !transposed->toBool())
                continue;
            args = {in[0], in[1], in[2], in[3], in[4], in[7], in[8], in[5]};
        } else {
            continue;
        }
        torch::jit::Node* call = graph.create(ours, args, 1);
        call->insertBefore(node);
        call->output()->setType(node->output()->type());
        node->output()->replaceAllUsesWith(call->output());
        node->destroy();
        ++replaced;
    }
    return replaced;
}

} // namespace lx

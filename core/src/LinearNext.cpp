#include "LinearNext.h"

#include "ConvTransposeKernel.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cstring>

namespace lx {

namespace {

std::vector<int64_t> intsOf(const c10::IValue& v)
{
    if (v.isInt())
        return {v.toInt()};
    if (v.isIntList())
        return v.toIntVector();
    std::vector<int64_t> out;
    if (v.isTuple()) {
        for (const c10::IValue& e : v.toTupleRef().elements()) {
            if (!e.isInt())
                return {};
            out.push_back(e.toInt());
        }
    }
    return out;
}

// Whether every use of v but `only` merely reads its shape (aten::dim, aten::size: no tensor results),
// so that `only` is the one computation v flows into.
bool onlyTensorUse(const torch::jit::Value* v, const torch::jit::Node* only)
{
    bool seen = false;
    for (const torch::jit::Use& use : v->uses()) {
        if (use.user == only && use.offset == 0 && !seen) {
            seen = true;
            continue;
        }
        for (const torch::jit::Value* out : use.user->outputs())
            if (out->type()->kind() == c10::TypeKind::TensorType)
                return false;
    }
    return seen;
}

// The layer whose module call returns `node`'s output and whose type is one of `types`; -1 if none.
int layerOfNode(Model::Impl& m, const torch::jit::Node* node, std::initializer_list<const char*> types)
{
    if (node->outputs().size() != 1)
        return -1;
    for (size_t j = 0; j < m.layers.size(); ++j) {
        if (m.call(static_cast<int>(j)).output != node->output())
            continue;
        for (const char* type : types)
            if (m.layers[j].type == type)
                return static_cast<int>(j);
    }
    return -1;
}

// The single node v flows into, when every other use only reads its shape.
const torch::jit::Node* soleReader(const torch::jit::Value* v)
{
    for (const torch::jit::Use& use : v->uses())
        if (onlyTensorUse(v, use.user))
            return use.user;
    return nullptr;
}

// One hybrid's plane, channels last in acc [oh * ow, cout] (holding the base): adds delta src [h, w]
// through the taps [kh * kw, cout]; reach[axis][i * k + t] is the output row / column input index i
// meets through tap t, or -1. Compiled for AVX2 too (chosen at run time), since the update is a
// contiguous multiply-add over cout.
__attribute__((target_clones("avx2", "default"))) void accumulate(float* __restrict acc, const float* __restrict src,
                                                                  const float* __restrict taps, const int64_t* rows,
                                                                  const int64_t* cols, int64_t h, int64_t w, int64_t kh,
                                                                  int64_t kw, int64_t ow, int64_t cout)
{
    for (int64_t i = 0; i < h; ++i) {
        for (int64_t j = 0; j < w; ++j) {
            const float v = src[i * w + j];
            if (v == 0.0f)
                continue;
            for (int64_t ty = 0; ty < kh; ++ty) {
                const int64_t y = rows[i * kh + ty];
                if (y < 0)
                    continue;
                for (int64_t tx = 0; tx < kw; ++tx) {
                    const int64_t x = cols[j * kw + tx];
                    if (x < 0)
                        continue;
                    float* __restrict out = acc + (y * ow + x) * cout;
                    const float* __restrict wt = taps + (ty * kw + tx) * cout;
                    for (int64_t o = 0; o < cout; ++o)
                        out[o] += v * wt[o];
                }
            }
        }
    }
}

// What a convolution module's attributes say: weight, bias (undefined: none) and geometry, empty where
// an attribute is missing; a Conv2d has no output padding, read as {0, 0}.
struct ConvAttributes {
    torch::Tensor weight, bias;
    std::vector<int64_t> stride, padding, outputPadding, dilation, groups;
    bool zeroPadded = true;

    ConvAttributes(const torch::jit::Module& conv, bool transposed)
    {
        if (conv.hasattr("weight") && conv.attr("weight").isTensor())
            weight = conv.attr("weight").toTensor();
        if (conv.hasattr("bias") && conv.attr("bias").isTensor())
            bias = conv.attr("bias").toTensor();
        const auto ints = [&](const char* name) {
            return conv.hasattr(name) ? intsOf(conv.attr(name)) : std::vector<int64_t>{};
        };
        stride = ints("stride");
        padding = ints("padding");
        dilation = ints("dilation");
        outputPadding = transposed ? ints("output_padding") : std::vector<int64_t>{0, 0};
        groups = ints("groups");
        zeroPadded = !conv.hasattr("padding_mode") || conv.attr("padding_mode").toStringRef() == "zeros";
    }
    // A plain 2-D convolution of one group with zero padding, as the shortcut and the kernel take.
    bool plain() const
    {
        return weight.defined() && weight.dim() == 4 && stride.size() == 2 && padding.size() == 2
            && dilation.size() == 2 && outputPadding.size() == 2 && groups == std::vector<int64_t>{1} && zeroPadded;
    }
};

} // namespace

LinearNext LinearNext::find(Model::Impl& m, int layer)
{
    // The hybrids are a batch of several rows per base sample: the suffix from the entry must take them.
    LinearNext next = candidate(m, layer);
    return next.mKind.empty() || m.cut(next.mEntry).regroups() ? next : LinearNext{};
}

LinearNext LinearNext::candidate(Model::Impl& m, int layer)
{
    LinearNext next;
    if (m.pathKind != LayerPath::Graph)
        return next;
    const torch::jit::Value* v = m.call(layer).output;
    if (v->uses().size() != 1 || v->uses()[0].offset != 0)
        return next;
    const std::string op = v->uses()[0].user->kind().toQualString();
    if (op != "aten::linear" && op != "aten::conv2d" && op != "aten::_convolution" && op != "aten::conv_transpose2d")
        return next;
    const int j = layerOfNode(m, v->uses()[0].user, {"Conv2d", "ConvTranspose2d", "Linear"});
    if (j < 0)
        return next;
    const std::string type = m.layers[static_cast<size_t>(j)].type;
    const ConvAttributes stage(m.call(j).module, type == "ConvTranspose2d");
    if (!stage.weight.defined())
        return next;
    next.mWeight = next.mModuleWeight = stage.weight;
    next.mBias = stage.bias;
    next.mLayer = next.mEntry = j;
    if (type == "Linear") {
        if (m.layers[static_cast<size_t>(layer)].shape.size() == 1)
            next.mKind = type;
        return next;
    }
    next.mStride = stage.stride;
    next.mPadding = stage.padding;
    next.mDilation = stage.dilation;
    next.mOutputPadding = stage.outputPadding;
    if (!stage.plain())
        return next;
    next.mKind = type;

    // Fold an eval-mode BatchNorm2d with running statistics, then a ReLU, when each is the sole reader.
    const torch::jit::Value* out = m.call(j).output;
    const torch::jit::Node* reader = soleReader(out);
    const int bn = reader && reader->kind() == c10::Symbol::fromQualString("aten::batch_norm")
        ? layerOfNode(m, reader, {"BatchNorm2d"})
        : -1;
    if (bn >= 0) {
        const torch::jit::Module& norm = m.call(bn).module;
        const auto tensor = [&](const char* name) {
            return norm.hasattr(name) && norm.attr(name).isTensor() ? norm.attr(name).toTensor() : torch::Tensor();
        };
        const torch::Tensor mean = tensor("running_mean"), var = tensor("running_var"), gamma = tensor("weight"),
                            beta = tensor("bias");
        if (!norm.is_training() && mean.defined() && var.defined() && norm.hasattr("eps")
            && norm.attr("eps").isDouble()) {
            next.mScale = 1.0 / torch::sqrt(var + norm.attr("eps").toDouble());
            if (gamma.defined())
                next.mScale = next.mScale * gamma;
            next.mShift = -mean * next.mScale;
            if (beta.defined())
                next.mShift = next.mShift + beta;
            next.mEntry = bn;
            out = m.call(bn).output;
            reader = soleReader(out);
        }
    }
    const std::string readerKind = reader ? reader->kind().toQualString() : "";
    const int relu = readerKind == "aten::relu" || readerKind == "aten::relu_" ? layerOfNode(m, reader, {"ReLU"}) : -1;
    if (relu >= 0) {
        next.mRelu = true;
        next.mEntry = relu;
    }
    // A 4x4 stride-2 transposed convolution reading the entry alone, for hybridsThrough() (which needs
    // the next layer to be one too), whose suffix reads nothing but its output, one sample a row.
    const torch::jit::Node* after = soleReader(m.call(next.mEntry).output);
    const std::string afterKind = after ? after->kind().toQualString() : "";
    const int t = afterKind == "aten::conv_transpose2d" || afterKind == "aten::_convolution"
        ? layerOfNode(m, after, {"ConvTranspose2d"})
        : -1;
    if (t >= 0 && type == "ConvTranspose2d"
        && ConvTransposeKernel::phaseLayer(next.mModuleWeight, next.mStride, next.mPadding, next.mOutputPadding,
                                           next.mDilation)) {
        const ConvAttributes conv(m.call(t).module, true);
        if (conv.plain()
            && ConvTransposeKernel::phaseLayer(conv.weight, conv.stride, conv.padding, conv.outputPadding,
                                               conv.dilation)
            && m.cut(t).contextSize() == 0 && m.cut(t).regroups()) {
            next.mThrough = t;
            next.mThroughWeight = conv.weight;
            next.mThroughBias = conv.bias;
        }
    }
    // The folded BatchNorm's scale goes into the weight: per output channel (dim 1 of a transposed
    // convolution's weight, dim 0 of a convolution's).
    const bool transposed = type == "ConvTranspose2d";
    if (next.mScale.defined())
        next.mWeight = next.mWeight
            * next.mScale.view(transposed ? std::vector<int64_t>{1, -1, 1, 1} : std::vector<int64_t>{-1, 1, 1, 1});
    // The CPU kernel's taps: [Cin, kh * kw, Cout].
    const torch::Tensor taps = transposed ? next.mWeight.permute({0, 2, 3, 1}) : next.mWeight.permute({1, 2, 3, 0});
    next.mTaps = taps.reshape({taps.size(0), taps.size(1) * taps.size(2), taps.size(3)}).contiguous();
    return next;
}

torch::Tensor LinearNext::output(const torch::Tensor& h) const
{
    if (mKind == "Linear")
        return at::linear(h, mModuleWeight, mBias);
    if (mKind == "Conv2d")
        return at::conv2d(h, mModuleWeight, mBias, mStride, mPadding, mDilation, 1);
    return ConvTransposeKernel::run(h, mModuleWeight, mBias, mStride, mPadding, mOutputPadding, 1, mDilation);
}

torch::Tensor LinearNext::withBatchNorm(const torch::Tensor& nextOutput) const
{
    return mScale.defined() ? nextOutput * mScale.view({1, -1, 1, 1}) + mShift.view({1, -1, 1, 1}) : nextOutput;
}

torch::Tensor LinearNext::entryOutput(const torch::Tensor& nextOutput) const
{
    const torch::Tensor y = withBatchNorm(nextOutput);
    return mRelu ? y.relu() : y;
}

bool LinearNext::phaseKernel(const torch::Tensor& t) const
{
    return cpuKernel(t) && mKind == "ConvTranspose2d"
        && ConvTransposeKernel::fitsHybrids(t, mWeight, mStride, mPadding, mOutputPadding, mDilation);
}

torch::Tensor LinearNext::prepareBase(const torch::Tensor& nextOutput) const
{
    const torch::Tensor y = withBatchNorm(nextOutput);
    if (phaseKernel(y))
        return y.contiguous();
    return cpuKernel(y) ? y.permute({0, 2, 3, 1}).contiguous() : y;
}

torch::Tensor LinearNext::hybrids(const torch::Tensor& base, const torch::Tensor& delta,
                                  const torch::Tensor& chunk) const
{
    if (phaseKernel(base) && delta.scalar_type() == torch::kFloat)
        return ConvTransposeKernel::hybrids(base, delta, mWeight, chunk, mRelu);
    return cpuKernel(base) && base.scalar_type() == torch::kFloat && delta.scalar_type() == torch::kFloat
        ? kernelHybrids(base, delta, chunk)
        : libTorchHybrids(cpuKernel(base) ? base.permute({0, 3, 1, 2}) : base, delta, chunk);
}

bool LinearNext::throughApplies(const torch::Tensor& base, const torch::Tensor& delta) const
{
    const c10::optional<torch::Tensor> bias =
        mThroughBias.defined() ? c10::optional<torch::Tensor>(mThroughBias) : c10::nullopt;
    return mThrough >= 0 && phaseKernel(base) && delta.scalar_type() == torch::kFloat
        && ConvTransposeKernel::applies(base, mThroughWeight, bias, {2, 2}, {1, 1}, {0, 0}, 1, {1, 1});
}

void LinearNext::hybridsThrough(const torch::Tensor& base, const torch::Tensor& delta, const torch::Tensor& chunk,
                                int64_t group,
                                const std::function<void(const torch::Tensor&, int64_t, int64_t)>& sink) const
{
    const c10::optional<torch::Tensor> bias =
        mThroughBias.defined() ? c10::optional<torch::Tensor>(mThroughBias) : c10::nullopt;
    ConvTransposeKernel::hybridsThrough(base, delta, mWeight, chunk, mRelu, mThroughWeight, bias, group, sink);
}

torch::Tensor LinearNext::libTorchHybrids(const torch::Tensor& base, const torch::Tensor& delta,
                                          const torch::Tensor& chunk) const
{
    const int64_t p = delta.size(0), k = chunk.size(0);
    torch::Tensor contribution;
    if (mKind == "Linear") {
        contribution = delta.unsqueeze(2) * mWeight.index_select(1, chunk).t().unsqueeze(0);
    } else if (mKind == "Conv2d") {
        // weight [Cout, Cin, kh, kw] -> K groups of one input channel each.
        const torch::Tensor w =
            mWeight.index_select(1, chunk).transpose(0, 1).reshape({-1, 1, mWeight.size(2), mWeight.size(3)});
        contribution = at::conv2d(delta, w, {}, mStride, mPadding, mDilation, k);
    } else {
        // weight [Cin, Cout, kh, kw]: a grouped transposed conv takes [K, Cout, kh, kw] as it is.
        contribution = at::conv_transpose2d(delta, mWeight.index_select(0, chunk), {}, mStride, mPadding,
                                            mOutputPadding, k, mDilation);
    }
    std::vector<int64_t> shape = base.sizes().vec();
    shape.insert(shape.begin() + 1, k);
    torch::Tensor y = base.unsqueeze(1) + contribution.view(shape);
    shape.erase(shape.begin() + 1);
    shape[0] = p * k;
    y = y.reshape(shape);
    return mRelu ? y.relu_() : y;
}

// Each (pair, channel) hybrid on its own: its plane of the next layer's output starts, channels last in
// a scratch buffer (L2-sized for common layers), as the base and gets, for every non-zero input pixel of
// the channel's delta and every kernel tap, delta x the tap's Cout weights added at the output pixel the
// tap reaches (a contiguous, vectorised update); the plane is then written out channels first (what
// LibTorch's CPU convolutions after it run fastest on), with the folded ReLU.
torch::Tensor LinearNext::kernelHybrids(const torch::Tensor& base, const torch::Tensor& delta,
                                        const torch::Tensor& chunk) const
{
    const torch::Tensor d = delta.contiguous();
    const torch::Tensor channels = chunk.to(torch::kCPU).contiguous();
    const int64_t p = d.size(0), k = d.size(1), h = d.size(2), w = d.size(3);
    const int64_t oh = base.size(1), ow = base.size(2), cout = base.size(3);
    const int64_t kh = mWeight.size(2), kw = mWeight.size(3);
    const bool transposed = mKind == "ConvTranspose2d";
    torch::Tensor out = torch::empty({p * k, cout, oh, ow}, base.options());
    const float* baseData = base.data_ptr<float>();
    const float* deltaData = d.data_ptr<float>();
    const float* tapData = mTaps.data_ptr<float>();
    const int64_t* channel = channels.data_ptr<int64_t>();
    float* outData = out.data_ptr<float>();
    const int64_t pixels = oh * ow, plane = pixels * cout;
    // Output row (or column) that input index i reaches through tap t along one axis, or -1.
    const auto reach = [transposed](int64_t size, int64_t taps, int64_t out, int64_t stride, int64_t pad, int64_t dil) {
        std::vector<int64_t> to(static_cast<size_t>(size * taps), -1);
        for (int64_t i = 0; i < size; ++i)
            for (int64_t t = 0; t < taps; ++t) {
                int64_t o = -1;
                if (transposed)
                    o = i * stride - pad + t * dil;
                else if (const int64_t num = i + pad - t * dil; num >= 0 && num % stride == 0)
                    o = num / stride;
                if (o >= 0 && o < out)
                    to[static_cast<size_t>(i * taps + t)] = o;
            }
        return to;
    };
    const std::vector<int64_t> rows = reach(h, kh, oh, mStride[0], mPadding[0], mDilation[0]);
    const std::vector<int64_t> cols = reach(w, kw, ow, mStride[1], mPadding[1], mDilation[1]);
    at::parallel_for(0, p * k, 1, [&](int64_t begin, int64_t end) {
        std::vector<float> scratch(static_cast<size_t>(plane));
        float* acc = scratch.data();
        for (int64_t r = begin; r < end; ++r) {
            std::memcpy(acc, baseData + (r / k) * plane, size_t(plane) * sizeof(float));
            accumulate(acc, deltaData + r * h * w, tapData + channel[r % k] * kh * kw * cout, rows.data(), cols.data(),
                       h, w, kh, kw, ow, cout);
            // Channels first, in tiles of 16 pixels so that reads stay in L1 and writes are contiguous.
            float* dst = outData + r * plane;
            for (int64_t q0 = 0; q0 < pixels; q0 += 16) {
                const int64_t q1 = std::min(pixels, q0 + 16);
                for (int64_t o = 0; o < cout; ++o) {
                    float* row = dst + o * pixels;
                    for (int64_t q = q0; q < q1; ++q)
                        row[q] = acc[q * cout + o];
                    if (mRelu)
                        for (int64_t q = q0; q < q1; ++q)
                            row[q] = std::max(row[q], 0.0f);
                }
            }
        }
    });
    return out;
}

} // namespace lx

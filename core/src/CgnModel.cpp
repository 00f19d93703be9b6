#include "lx/CgnModel.h"

#include "ModelFile.h"
#include "TensorConvert.h"
#include "lx/Error.h"
#include "lx/LatentSampler.h"
#include "lx/Runtime.h"
#include "lx/SplitMix64.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>

namespace lx {

namespace {

// Requests per forward pass. On the CPU small chunks win by far: the imported MNIST CGN (32x32, 1
// thread) renders ~630 images/s in chunks of 32 but ~110 in chunks of 256 (bench_cgn). GPUs like more.
constexpr int64_t kCpuChunk = 32;
constexpr int64_t kCudaChunk = 256;
// The shuffle offset and the noise both come from the mechanism's seed; the salt keeps them apart.
constexpr uint64_t kShuffleSalt = 0x5348554646434e31ull; // "SHUFFCN1"

const char* const kMethods[] = {"premask", "foreground", "background"};

struct Mechanism {
    const char* name; // for messages: shape, texture, background
    CgnMechanismInput CgnRequest::*input;
};
const Mechanism kMechanisms[] = {
    {"shape", &CgnRequest::shape}, {"texture", &CgnRequest::texture}, {"background", &CgnRequest::background}};

void requireValid(const CgnMechanismInput& in, const char* mechanism, int classCount)
{
    for (int c : {in.classA, in.classB}) {
        if (c < 0 || c >= classCount)
            throw Error(std::string(mechanism) + ": class " + std::to_string(c) + " out of range (the model has "
                        + std::to_string(classCount) + " classes, 0 to " + std::to_string(classCount - 1) + ")");
    }
    if (!(in.mix >= 0.0 && in.mix <= 1.0))
        throw Error(std::string(mechanism) + ": class mix " + std::to_string(in.mix) + " outside [0, 1]");
}

// Copies `part` ([n, ...]) into rows [at, at + n) of `out`.
void putRows(const Array& part, Array& out, int64_t at)
{
    if (part.numel())
        std::memcpy(out.ptr() + at * (out.numel() / out.dim(0)), part.ptr(), size_t(part.numel()) * sizeof(float));
}

// The shuffler on one sample [C, H, W]: out[ch, r, c] = in[ch, (r + dy) % H, (c + dx) % W].
void shiftCircular(const float* in, float* out, int64_t channels, int64_t h, int64_t w, int dy, int dx)
{
    for (int64_t ch = 0; ch < channels; ++ch) {
        for (int64_t r = 0; r < h; ++r) {
            const float* src = in + (ch * h + (r + dy) % h) * w;
            float* dst = out + (ch * h + r) * w;
            for (int64_t c = 0; c < w; ++c)
                dst[c] = src[(c + dx) % w];
        }
    }
}

// mask = clamp(premask, mask_clamp), no sigmoid (as the paper).
Array clampMask(const Array& premask, const Card& card)
{
    Array mask = premask;
    const float low = static_cast<float>(card.maskLow), high = static_cast<float>(card.maskHigh);
    for (float& v : mask.data())
        v = std::clamp(v, low, high);
    return mask;
}

} // namespace

struct CgnModel::Impl {
    std::string path;
    Card card;
    torch::jit::Module module;
    torch::Device device{torch::kCPU};
    std::vector<int64_t> imageShape; // [3, H, W]

    int classCount() const { return static_cast<int>(card.classes.size()); }

    // Noise u [n, L] from the seeds (LatentSampler) and class weights y [n, C], on the device.
    torch::Tensor noise(const std::vector<CgnMechanismInput>& inputs) const
    {
        std::vector<uint64_t> seeds;
        for (const CgnMechanismInput& in : inputs)
            seeds.push_back(in.seed);
        const Array u = LatentSampler(card.latentShape).sample(seeds);
        return TensorConvert::toTensor(u.reshaped({u.dim(0), card.latentSize()}), device);
    }
    torch::Tensor weights(const std::vector<CgnMechanismInput>& inputs) const
    {
        const int64_t k = classCount();
        Array y({static_cast<int64_t>(inputs.size()), k});
        for (size_t i = 0; i < inputs.size(); ++i) {
            float* row = y.ptr() + int64_t(i) * k;
            row[inputs[i].classA] += static_cast<float>(1.0 - inputs[i].mix);
            row[inputs[i].classB] += static_cast<float>(inputs[i].mix);
        }
        return TensorConvert::toTensor(y, device);
    }

    // One mechanism's method on (u, y): the output must be [n, channels, H, W] and finite; `who(i)` names
    // sample i in messages.
    Array run(int method, const torch::Tensor& u, const torch::Tensor& y, int64_t channels,
              const std::function<std::string(int64_t)>& who)
    {
        const char* name = kMethods[method];
        torch::Tensor out;
        try {
            const c10::IValue value = module.get_method(name)({u, y});
            if (!value.isTensor())
                throw Error(path + ": " + name + "(u, y) returned " + value.tagKind() + ", expected a tensor");
            out = value.toTensor();
        } catch (const Error&) {
            throw;
        } catch (const std::exception& e) {
            throw Error(path + ": " + name + " fails on u " + Array::shapeString(TensorConvert::shapeOf(u)) + " and y "
                        + Array::shapeString(TensorConvert::shapeOf(y)) + " (" + firstLine(e.what()) + ")");
        }
        const std::vector<int64_t> want{u.size(0), channels, imageShape[1], imageShape[2]};
        if (TensorConvert::shapeOf(out) != want)
            throw Error(path + ": " + name + " returns " + Array::shapeString(TensorConvert::shapeOf(out))
                        + ", expected " + Array::shapeString(want) + " (card output_shape "
                        + Array::shapeString(imageShape) + ")");
        if (torch::isfinite(out).all().item<bool>())
            return TensorConvert::toArray(out);
        const torch::Tensor finite = torch::isfinite(out).flatten(1).all(1).cpu();
        int64_t bad = 0;
        while (bad + 1 < finite.size(0) && finite[bad].item<bool>())
            ++bad;
        throw Error(path + ": " + name + " returned NaN or Inf (" + who(bad) + ")");
    }
    Array run(int method, const std::vector<CgnMechanismInput>& inputs, int64_t channels)
    {
        return run(method, noise(inputs), weights(inputs), channels, [&](int64_t i) {
            const CgnMechanismInput& in = inputs[size_t(i)];
            return "class " + std::to_string(in.classA)
                + (in.mix > 0.0 ? " mixed with " + std::to_string(in.classB) : std::string()) + ", seed "
                + std::to_string(in.seed);
        });
    }
};

CgnModel::CgnModel()
    : d(std::make_unique<Impl>())
{
}
CgnModel::~CgnModel() = default;

std::unique_ptr<CgnModel> CgnModel::load(const std::string& path, const LoadOptions& options)
{
    std::unique_ptr<CgnModel> model(new CgnModel());
    Impl& m = *model->d;
    m.path = path;
    ModelFile file = ModelFile::loadKind(
        path, options, ModelKind::Cgn,
        "a cgn's card has kind \"cgn\", latent_shape, output_shape, output_range, classes",
        {kMethods[0], kMethods[1], kMethods[2]}, "a cgn needs premask, foreground, background", &m.device);
    m.module = std::move(file.module);
    m.card = std::move(file.card);
    m.imageShape = m.card.outputShape;

    // Probe: two samples of class 0 through each method.
    c10::InferenceMode guard;
    const std::vector<CgnMechanismInput> probe{{0, 0, 0.0, 0}, {0, 0, 0.0, 1}};
    m.run(0, probe, 1);
    m.run(1, probe, 3);
    m.run(2, probe, 3);
    spdlog::info("loaded cgn {} ({} classes, latent {}, images {}, shuffle {}, {})", path, m.card.classes.size(),
                 Array::shapeString(m.card.latentShape), Array::shapeString(m.imageShape),
                 m.card.shuffle == CgnShuffle::Tile2x2 ? "tile2x2" : "none", m.device.str());
    return model;
}

const std::string& CgnModel::path() const { return d->path; }
const Card& CgnModel::card() const { return d->card; }
int CgnModel::classCount() const { return d->classCount(); }
int64_t CgnModel::latentSize() const { return d->card.latentSize(); }
const std::vector<int64_t>& CgnModel::imageShape() const { return d->imageShape; }
std::string CgnModel::deviceName() const { return d->device.str(); }

CgnImages CgnModel::render(const std::vector<CgnRequest>& requests)
{
    for (const CgnRequest& r : requests) {
        for (const Mechanism& mech : kMechanisms)
            requireValid(r.*mech.input, mech.name, classCount());
    }
    const int64_t n = static_cast<int64_t>(requests.size());
    const int64_t h = d->imageShape[1], w = d->imageShape[2], plane = h * w;
    CgnImages out;
    out.premask = Array({n, 1, h, w});
    out.foreground = Array({n, 3, h, w});
    out.background = Array({n, 3, h, w});
    const bool shuffle = d->card.shuffle == CgnShuffle::Tile2x2;

    c10::InferenceMode guard;
    const int64_t chunk = d->device.is_cuda() ? kCudaChunk : kCpuChunk;
    for (int64_t begin = 0; begin < n; begin += chunk) {
        const int64_t end = std::min(n, begin + chunk);
        std::vector<CgnMechanismInput> inputs[3];
        for (int64_t i = begin; i < end; ++i) {
            for (int k = 0; k < 3; ++k)
                inputs[k].push_back(requests[size_t(i)].*kMechanisms[k].input);
        }
        putRows(d->run(0, inputs[0], 1), out.premask, begin);
        Array* shuffled[2] = {&out.foreground, &out.background};
        for (int k = 1; k < 3; ++k) {
            const Array raw = d->run(k, inputs[k], 3);
            if (!shuffle) {
                putRows(raw, *shuffled[k - 1], begin);
                continue;
            }
            for (int64_t i = begin; i < end; ++i) {
                const auto [dy, dx] = shuffleOffset(inputs[k][size_t(i - begin)].seed, int(h), int(w));
                shiftCircular(raw.ptr() + (i - begin) * 3 * plane, shuffled[k - 1]->ptr() + i * 3 * plane, 3, h, w, dy,
                              dx);
            }
        }
    }
    out.mask = clampMask(out.premask, d->card);
    out.composite = composite(out.mask, out.foreground, out.background);
    return out;
}

CgnImages CgnModel::renderShared(const Array& u, const Array& y)
{
    const int64_t latent = latentSize(), classes = classCount();
    if (u.rank() != 2 || u.dim(1) != latent || y.rank() != 2 || y.dim(1) != classes || u.dim(0) != y.dim(0))
        throw Error("cgn: expected noise u [N, " + std::to_string(latent) + "] and class weights y [N, "
                    + std::to_string(classes) + "], got " + Array::shapeString(u.shape()) + " and "
                    + Array::shapeString(y.shape()));
    u.requireFinite("cgn noise u");
    y.requireFinite("cgn class weights y");
    c10::InferenceMode guard;
    const torch::Tensor ut = TensorConvert::toTensor(u, d->device), yt = TensorConvert::toTensor(y, d->device);
    const auto who = [](int64_t i) { return "sample " + std::to_string(i); };
    CgnImages out;
    out.premask = d->run(0, ut, yt, 1, who);
    out.foreground = d->run(1, ut, yt, 3, who);
    out.background = d->run(2, ut, yt, 3, who);
    out.mask = clampMask(out.premask, d->card);
    out.composite = composite(out.mask, out.foreground, out.background);
    return out;
}

Array CgnModel::composite(const Array& mask, const Array& foreground, const Array& background)
{
    if (foreground.rank() != 4 || mask.rank() != 4 || mask.dim(1) != 1 || foreground.shape() != background.shape()
        || mask.dim(0) != foreground.dim(0) || mask.dim(2) != foreground.dim(2) || mask.dim(3) != foreground.dim(3))
        throw Error("cgn composite: expected mask [N, 1, H, W] and foreground, background [N, C, H, W], got "
                    + Array::shapeString(mask.shape()) + ", " + Array::shapeString(foreground.shape()) + ", "
                    + Array::shapeString(background.shape()));
    Array out(foreground.shape());
    const int64_t n = foreground.dim(0), channels = foreground.dim(1), plane = foreground.dim(2) * foreground.dim(3);
    const float* m = mask.ptr();
    const float* f = foreground.ptr();
    const float* b = background.ptr();
    float* x = out.ptr();
    for (int64_t i = 0; i < n; ++i) {
        for (int64_t ch = 0; ch < channels; ++ch) {
            const int64_t at = (i * channels + ch) * plane;
            for (int64_t p = 0; p < plane; ++p) {
                const float mp = m[i * plane + p];
                x[at + p] = mp * f[at + p] + (1.0f - mp) * b[at + p];
            }
        }
    }
    return out;
}

std::pair<int, int> CgnModel::shuffleOffset(uint64_t seed, int height, int width)
{
    if (height < 1 || width < 1)
        throw Error("cgn shuffle: image size " + std::to_string(height) + " x " + std::to_string(width) + " is empty");
    SplitMix64 rng(seed ^ kShuffleSalt);
    const int dy = static_cast<int>(rng.below(uint64_t(height)));
    const int dx = static_cast<int>(rng.below(uint64_t(width)));
    return {dy, dx};
}

} // namespace lx

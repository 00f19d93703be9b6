#include "lx/ResponseEngine.h"

#include "ModelImpl.h"
#include "TensorConvert.h"
#include "lx/Error.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/SplitMix64.h"

#include <algorithm>
#include <numeric>

namespace lx {

namespace {

// Automatic pass size: about this many output values per decode pass, within the row bounds below.
// On a GPU, big passes keep it busy: 2^24 values (64 MB of float32 images; the activations inside
// the decoder and encoder are a small multiple of that). On the CPU the cost per row hardly depends
// on the pass size (measured on conv_vae64 and mlp_vae, 21 to 4096 rows), but big tensors are where
// glibc's malloc may hand memory back and page-fault it in again on every pass (measured 3-5x slower),
// so passes stay small: 2^20 values (4 MB of images, ~11 MB for conv_vae64's largest activation).
constexpr int64_t kAutoOutputValuesGpu = int64_t(1) << 24;
constexpr int64_t kAutoOutputValuesCpu = int64_t(1) << 20;
constexpr int64_t kAutoMinRows = 16;
constexpr int64_t kAutoMaxRows = 4096;

// Salts that keep the seed streams of the two value helpers apart from each other and from the
// seeds users give `sample` (which seeds LatentSampler directly).
constexpr uint64_t kAggregateSalt = 0x6167677265676174ull; // "aggregat"
constexpr uint64_t kPriorSalt = 0x7072696f7276616cull; // "priorval"

// A seed for stream `stream` derived from a user seed: the first output of a generator seeded with
// the salted seed, offset by the stream. Distinct streams of one seed give distinct generators.
uint64_t derivedSeed(uint64_t seed, uint64_t salt, uint64_t stream)
{
    return SplitMix64(seed ^ salt).next() + stream * 0xD1B54A32D192ED03ull;
}

} // namespace

struct ResponseEngine::Impl {
    Model& model;
    int64_t chunkRows = 0;

    explicit Impl(Model& m)
        : model(m)
    {
    }

    int64_t latentSize() const { return model.card().latentSize(); }

    // R for a batch of flat latents [rows, d]: decode, re-encode, posterior mean, flat [rows, d].
    // The cancel token is also checked between the two halves of the pass.
    torch::Tensor respond(const torch::Tensor& zFlat, const CancelToken* cancel)
    {
        Model::Impl& m = model.impl();
        std::vector<int64_t> shape = m.card.latentShape;
        shape.insert(shape.begin(), zFlat.size(0));
        const torch::Tensor x = m.runModel(zFlat.reshape(shape));
        throwIfCancelled(cancel);
        return m.encodeMean(x).reshape({zFlat.size(0), latentSize()});
    }

    // Values [N, d] (or [N, *latent_shape]) as a flat [N, d] tensor on the model's device.
    torch::Tensor valuesTensor(const Array& values, int64_t n) const
    {
        const int64_t size = model.card().latentSize();
        if (values.rank() < 1 || values.dim(0) != n || values.numel() != n * size)
            throw Error("values: expected shape [N, d] = [" + std::to_string(n) + ", " + std::to_string(size)
                        + "] (one value per latent and dimension), got " + Array::shapeString(values.shape()));
        values.requireFinite("values");
        return TensorConvert::toTensor(values, model.impl().device).reshape({n, size});
    }
};

ResponseEngine::ResponseEngine(Model& model)
    : d(std::make_unique<Impl>(model))
{
    if (model.card().kind != ModelKind::Autoencoder)
        throw Error("latent responses need an autoencoder, but " + model.path() + " is a "
                    + Card::kindName(model.card().kind));
}

ResponseEngine::~ResponseEngine() = default;

void ResponseEngine::setChunkRows(int64_t rows)
{
    if (rows < 0)
        throw Error("chunk rows must be >= 0 (0 = automatic), got " + std::to_string(rows));
    d->chunkRows = rows;
}

int64_t ResponseEngine::chunkRows() const { return d->chunkRows; }

int64_t ResponseEngine::latentSize() const { return d->latentSize(); }

int64_t ResponseEngine::effectiveChunkRows() const
{
    if (d->chunkRows > 0)
        return d->chunkRows;
    const Model::Impl& m = d->model.impl();
    const int64_t perSample = std::max<int64_t>(1, Array::product(m.rawOutputShape));
    const int64_t budget = m.device.is_cpu() ? kAutoOutputValuesCpu : kAutoOutputValuesGpu;
    return std::clamp(budget / perSample, kAutoMinRows, kAutoMaxRows);
}

Array ResponseEngine::response(const Array& z)
{
    c10::InferenceMode guard;
    Model::Impl& m = d->model.impl();
    const torch::Tensor latents = m.latents(z, "latents");
    const int64_t n = latents.size(0);
    const torch::Tensor flat = latents.reshape({n, d->latentSize()});
    const int64_t chunk = effectiveChunkRows();
    std::vector<torch::Tensor> parts;
    for (int64_t begin = 0; begin < n; begin += chunk)
        parts.push_back(d->respond(flat.narrow(0, begin, std::min(chunk, n - begin)), nullptr));
    return TensorConvert::toArray(torch::cat(parts, 0).reshape(latents.sizes()));
}

Array ResponseEngine::iterate(const Array& z, int steps, const ProgressFn& progress, const CancelToken* cancel)
{
    if (steps < 0)
        throw Error("iterate: steps must be >= 0, got " + std::to_string(steps));
    c10::InferenceMode guard;
    Model::Impl& m = d->model.impl();
    const torch::Tensor latents = m.latents(z, "latents");
    const int64_t n = latents.size(0), chunk = effectiveChunkRows();
    std::vector<torch::Tensor> path{latents.reshape({n, d->latentSize()})};
    if (progress)
        progress(0, steps);
    for (int step = 1; step <= steps; ++step) {
        std::vector<torch::Tensor> parts;
        for (int64_t begin = 0; begin < n; begin += chunk) {
            throwIfCancelled(cancel);
            parts.push_back(d->respond(path.back().narrow(0, begin, std::min(chunk, n - begin)), cancel));
        }
        path.push_back(torch::cat(parts, 0));
        if (progress)
            progress(step, steps);
    }
    return TensorConvert::toArray(torch::stack(path, 0));
}

// The response matrix as one stream of (d + 1) * N rows: first the N un-intervened latents (their
// responses R0 are kept), then for every dimension i the N latents with z_i := values[n, i] (row
// N + i * N + n). Each pass takes the next chunk of rows, builds its latents on the fly, decodes and
// re-encodes them, and adds (R - R0[n])^2 of the intervened rows into row i of a float64 sum. Base
// rows come before the intervened rows that need them, so R0[n] is known by then.
struct ResponseEngine::MatrixStream {
    torch::Tensor base; // z, flat [N, d]
    torch::Tensor values; // flat [N, d]
    torch::Tensor baseResponse; // R0, [N, d]
    torch::Tensor sums; // float64 [d, d]: sum over n of the squared response differences
    int64_t n = 0, size = 0;

    int64_t totalRows() const { return (size + 1) * n; }

    // Intervened latents for stream rows N + k, k in [kBegin, kEnd): copies of z_n with entry i replaced
    // by values[n, i]. Sets `sample` (n) and `dimension` (i) per row.
    torch::Tensor intervened(int64_t kBegin, int64_t kEnd, torch::Tensor& sample, torch::Tensor& dimension) const
    {
        const auto longs = torch::TensorOptions().dtype(torch::kLong).device(base.device());
        const torch::Tensor k = torch::arange(kBegin, kEnd, longs);
        sample = k.remainder(n);
        dimension = k.div(n, "trunc");
        torch::Tensor z = base.index_select(0, sample).contiguous();
        const torch::Tensor rowStarts = torch::arange(kEnd - kBegin, longs) * size; // flat: row * d + i
        z.view(-1).index_copy_(0, rowStarts + dimension, values.reshape(-1).index_select(0, sample * size + dimension));
        return z;
    }

    // One pass over stream rows [begin, end).
    void pass(Impl& engine, int64_t begin, int64_t end, const CancelToken* cancel)
    {
        const int64_t baseCount = std::max<int64_t>(0, std::min(end, n) - begin);
        const int64_t kBegin = std::max(begin, n) - n, kEnd = end - n;
        torch::Tensor sample, dimension;
        std::vector<torch::Tensor> batch;
        if (baseCount > 0)
            batch.push_back(base.narrow(0, begin, baseCount));
        if (kEnd > kBegin)
            batch.push_back(intervened(kBegin, kEnd, sample, dimension));
        const torch::Tensor r = engine.respond(batch.size() == 1 ? batch[0] : torch::cat(batch, 0), cancel);
        if (baseCount > 0)
            baseResponse.narrow(0, begin, baseCount).copy_(r.narrow(0, 0, baseCount));
        if (kEnd > kBegin) {
            const torch::Tensor diff = r.narrow(0, baseCount, kEnd - kBegin) - baseResponse.index_select(0, sample);
            sums.index_add_(0, dimension, diff.to(torch::kFloat64).square());
        }
    }
};

Array ResponseEngine::responseMatrix(const Array& z, const Array& values, const ProgressFn& progress,
                                     const CancelToken* cancel)
{
    return responseSums(z, values, progress, cancel).finished(PartialSum::Finish::RootMean);
}

PartialSum ResponseEngine::responseSums(const Array& z, const Array& values, const ProgressFn& progress,
                                        const CancelToken* cancel)
{
    c10::InferenceMode guard;
    Model::Impl& m = d->model.impl();
    MatrixStream stream;
    stream.size = d->latentSize();
    const torch::Tensor latents = m.latents(z, "latents");
    stream.n = latents.size(0);
    stream.base = latents.reshape({stream.n, stream.size});
    stream.values = d->valuesTensor(values, stream.n);
    stream.baseResponse = torch::zeros({stream.n, stream.size}, torch::TensorOptions().device(m.device));
    stream.sums =
        torch::zeros({stream.size, stream.size}, torch::TensorOptions().dtype(torch::kFloat64).device(m.device));

    const int64_t total = stream.totalRows(), chunk = effectiveChunkRows();
    if (progress)
        progress(0, total);
    for (int64_t begin = 0; begin < total; begin += chunk) {
        throwIfCancelled(cancel);
        const int64_t end = std::min(total, begin + chunk);
        stream.pass(*d, begin, end, cancel);
        if (progress)
            progress(end, total);
    }
    const torch::Tensor host = stream.sums.cpu().contiguous();
    PartialSum out;
    out.shape = {stream.size, stream.size};
    out.sum.assign(host.data_ptr<double>(), host.data_ptr<double>() + host.numel());
    out.count = stream.n;
    return out;
}

Array ResponseEngine::aggregatePosteriorValues(const Array& posteriorMeans, int64_t n, uint64_t seed)
{
    if (posteriorMeans.rank() < 1 || posteriorMeans.dim(0) < 1 || posteriorMeans.numel() == 0)
        throw Error("posterior means: expected shape [M, d] with M >= 1, got "
                    + Array::shapeString(posteriorMeans.shape()));
    if (n < 1)
        throw Error("aggregate posterior values: the number of values must be >= 1, got " + std::to_string(n));
    posteriorMeans.requireFinite("posterior means");
    const int64_t count = posteriorMeans.dim(0);
    const int64_t size = posteriorMeans.numel() / count;
    Array out({n, size});
    std::vector<int64_t> order(static_cast<size_t>(count));
    for (int64_t i = 0; i < size; ++i) {
        SplitMix64 rng(derivedSeed(seed, kAggregateSalt, static_cast<uint64_t>(i)));
        for (int64_t row = 0; row < n; ++row) {
            const int64_t at = row % count;
            if (at == 0) {
                // A fresh Fisher-Yates permutation of the M samples for this dimension.
                std::iota(order.begin(), order.end(), int64_t(0));
                for (int64_t k = count - 1; k > 0; --k)
                    std::swap(order[size_t(k)], order[size_t(rng.below(uint64_t(k) + 1))]);
            }
            out.ptr()[row * size + i] = posteriorMeans.ptr()[order[size_t(at)] * size + i];
        }
    }
    return out;
}

Array ResponseEngine::priorValues(int64_t n, int64_t d, uint64_t seed)
{
    if (n < 1 || d < 1)
        throw Error("prior values: the number of values and of dimensions must be >= 1, got " + std::to_string(n)
                    + " and " + std::to_string(d));
    std::vector<uint64_t> seeds;
    for (int64_t k = 0; k < n; ++k)
        seeds.push_back(derivedSeed(seed, kPriorSalt, static_cast<uint64_t>(k)));
    return LatentSampler({d}).sample(seeds);
}

} // namespace lx

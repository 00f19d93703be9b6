#include "lx/Classifier.h"

#include "ModelFile.h"
#include "TensorConvert.h"
#include "lx/Error.h"

#include <spdlog/spdlog.h>

#include <cmath>

namespace lx {

namespace {

constexpr int64_t kBatch = 256;

} // namespace

struct Classifier::Impl {
    std::string path;
    Card card;
    torch::jit::Module module;
    torch::Device device{torch::kCPU};

    torch::Tensor run(const torch::Tensor& x)
    {
        torch::Tensor out;
        try {
            out = module.forward({x}).toTensor();
        } catch (const std::exception& e) {
            throw Error(path + ": the classifier fails on images of shape "
                        + Array::shapeString(TensorConvert::shapeOf(x)) + " (" + firstLine(e.what()) + ")");
        }
        const int64_t k = static_cast<int64_t>(card.classes.size());
        if (out.dim() != 2 || out.size(0) != x.size(0) || out.size(1) != k)
            throw Error(path + ": the classifier returns " + Array::shapeString(TensorConvert::shapeOf(out))
                        + ", expected logits [N, " + std::to_string(k) + "] (one per class in the card)");
        return out;
    }
};

Classifier::Classifier()
    : d(std::make_unique<Impl>())
{
}
Classifier::~Classifier() = default;

std::unique_ptr<Classifier> Classifier::load(const std::string& path, const std::string& device)
{
    std::unique_ptr<Classifier> c(new Classifier());
    Impl& m = *c->d;
    m.path = path;
    try {
        m.device = torch::Device(device);
    } catch (const std::exception&) {
        throw Error("classifier: unknown device '" + device + "'");
    }
    ModelFile file = ModelFile::load(path, m.device, "classifier");
    m.module = std::move(file.module);
    m.card = std::move(file.card);
    if (m.card.kind != ModelKind::Classifier)
        throw Error(
            path + ": the card says " + Card::kindName(m.card.kind)
            + ", not classifier (a classifier's card has kind \"classifier\", input_shape, input_range, classes)");

    c10::InferenceMode guard;
    std::vector<int64_t> probeShape = m.card.inputShape;
    probeShape.insert(probeShape.begin(), 2);
    const double mid = 0.5 * (m.card.inputLow + m.card.inputHigh);
    m.run(torch::full(probeShape, mid, torch::TensorOptions().dtype(torch::kFloat32).device(m.device)));
    spdlog::info("loaded classifier {} (input {}, {} classes, {})", path, Array::shapeString(m.card.inputShape),
                 m.card.classes.size(), m.device.str());
    return c;
}

const std::string& Classifier::path() const { return d->path; }
const Card& Classifier::card() const { return d->card; }
int Classifier::classCount() const { return static_cast<int>(d->card.classes.size()); }
const std::vector<int64_t>& Classifier::inputShape() const { return d->card.inputShape; }

void Classifier::requireImageShape(const std::vector<int64_t>& imageShape) const
{
    if (imageShape != d->card.inputShape)
        throw Error("classifier " + d->path + " expects images " + Array::shapeString(d->card.inputShape)
                    + ", the generator makes " + Array::shapeString(imageShape));
}

Array Classifier::logits(const Array& images, double imageLow, double imageHigh)
{
    if (images.rank() < 1)
        throw Error("classifier: no images");
    requireImageShape(std::vector<int64_t>(images.shape().begin() + 1, images.shape().end()));
    if (!(imageLow < imageHigh))
        throw Error("classifier: the image range must have low < high");
    images.requireFinite("classifier input images");
    const double scale = (d->card.inputHigh - d->card.inputLow) / (imageHigh - imageLow);
    const double shift = d->card.inputLow - imageLow * scale;
    c10::InferenceMode guard;
    const int64_t n = images.dim(0);
    std::vector<torch::Tensor> parts;
    for (int64_t begin = 0; begin < n; begin += kBatch) {
        const int64_t end = std::min(n, begin + kBatch);
        torch::Tensor x = TensorConvert::toTensor(images.rows(begin, end), d->device).mul(scale).add(shift);
        parts.push_back(d->run(x));
    }
    const torch::Tensor out = parts.empty() ? torch::empty({0, int64_t(classCount())}) : torch::cat(parts, 0);
    if (!torch::isfinite(out).all().item<bool>())
        throw Error(d->path + ": the classifier returned NaN or Inf logits");
    return TensorConvert::toArray(out);
}

std::vector<int> Classifier::argmax(const Array& logits)
{
    if (logits.rank() != 2)
        throw Error("argmax: expected logits [N, K], got " + Array::shapeString(logits.shape()));
    const int64_t n = logits.dim(0), k = logits.dim(1);
    std::vector<int> out(static_cast<size_t>(n), 0);
    for (int64_t i = 0; i < n; ++i) {
        const float* row = logits.ptr() + i * k;
        int best = 0;
        for (int64_t j = 1; j < k; ++j) {
            if (row[j] > row[best])
                best = static_cast<int>(j);
        }
        out[size_t(i)] = best;
    }
    return out;
}

std::vector<double> Classifier::confidence(const Array& logits)
{
    const std::vector<int> best = argmax(logits);
    const int64_t k = logits.dim(1);
    std::vector<double> out(best.size());
    for (size_t i = 0; i < best.size(); ++i) {
        const float* row = logits.ptr() + int64_t(i) * k;
        double sum = 0.0;
        for (int64_t j = 0; j < k; ++j)
            sum += std::exp(double(row[j]) - double(row[best[i]]));
        out[i] = 1.0 / sum;
    }
    return out;
}

} // namespace lx

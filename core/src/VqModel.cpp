#include "lx/VqModel.h"

#include "ModelFile.h"
#include "TensorConvert.h"
#include "lx/Error.h"
#include "lx/Runtime.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

namespace lx {

namespace {

// Per-action cross-entropies are clamped here before the softmin, so that a model whose logits hold
// -inf for impossible codes gives a uniform p rather than NaN when every action misses.
constexpr double kMaxCrossEntropy = 1e9;

std::string str(int64_t v) { return std::to_string(v); }

std::string shapeOf(const torch::Tensor& t) { return Array::shapeString(TensorConvert::shapeOf(t)); }

// "[0, 1, 2, 3]": the multi-index of flat position `flat` in `shape`.
std::string positionOf(int64_t flat, const std::vector<int64_t>& shape)
{
    std::vector<int64_t> at(shape.size());
    for (size_t k = shape.size(); k-- > 0;) {
        at[k] = shape[k] ? flat % shape[k] : 0;
        flat = shape[k] ? flat / shape[k] : 0;
    }
    return Array::shapeString(at);
}

std::string valueString(float v)
{
    std::ostringstream s;
    s << v;
    return s.str();
}

// Copies `part` ([n, ...]) into rows [at, at + n) of `out`.
void putRows(const Array& part, Array& out, int64_t at)
{
    if (part.numel())
        std::memcpy(out.ptr() + at * (out.numel() / out.dim(0)), part.ptr(), size_t(part.numel()) * sizeof(float));
}

std::vector<int64_t> withBatch(int64_t n, const std::vector<int64_t>& sample)
{
    std::vector<int64_t> shape{n};
    shape.insert(shape.end(), sample.begin(), sample.end());
    return shape;
}

} // namespace

struct VqModel::Impl {
    std::string path;
    Card card;
    torch::jit::Module module;
    torch::Device device{torch::kCPU};

    int64_t nodes() const { return Array::product(card.gridShape); }
    int64_t actions() const { return static_cast<int64_t>(card.actions.size()); }
    std::vector<int64_t> gridOf(int64_t n) const { return withBatch(n, card.gridShape); }

    torch::Tensor call(const char* method, const std::vector<c10::IValue>& inputs, const std::string& inputText)
    {
        c10::IValue value;
        try {
            value = module.get_method(method)(inputs);
        } catch (const std::exception& e) {
            throw Error(path + ": " + method + " fails on " + inputText + " (" + firstLine(e.what()) + ")");
        }
        if (!value.isTensor())
            throw Error(path + ": " + method + " returned " + value.tagKind() + ", expected a tensor");
        return value.toTensor();
    }

    void requireShape(const char* method, const torch::Tensor& out, const std::vector<int64_t>& want,
                      const std::string& why)
    {
        if (TensorConvert::shapeOf(out) != want)
            throw Error(path + ": " + method + " returns " + shapeOf(out) + ", expected " + Array::shapeString(want)
                        + " (" + why + ")");
    }

    void requireNoNan(const char* method, const torch::Tensor& out)
    {
        if (torch::isnan(out).any().item<bool>())
            throw Error(path + ": " + method + " returned NaN");
    }

    // encode on a float32 batch [n, C, H, W]: int64 codes [n, B, h, w] in [0, K).
    torch::Tensor encode(const torch::Tensor& x)
    {
        torch::Tensor out = call("encode", {x}, "images " + shapeOf(x));
        requireShape("encode", out, gridOf(x.size(0)), "card grid_shape " + Array::shapeString(card.gridShape));
        if (!c10::isIntegralType(out.scalar_type(), false))
            throw Error(path + ": encode returns " + std::string(c10::toString(out.scalar_type()))
                        + " values, expected int64 code indices");
        out = out.to(torch::kLong);
        if (out.numel()) {
            const int64_t lo = out.min().item<int64_t>(), hi = out.max().item<int64_t>();
            if (lo < 0 || hi >= card.codebookSize)
                throw Error(path + ": encode returns code " + str(lo < 0 ? lo : hi) + ", outside [0, "
                            + str(card.codebookSize) + ") (card codebook_size)");
        }
        return out;
    }

    torch::Tensor decode(const torch::Tensor& idx)
    {
        torch::Tensor out = call("decode", {idx}, "codes " + shapeOf(idx));
        requireShape("decode", out, withBatch(idx.size(0), card.inputShape),
                     "card input_shape " + Array::shapeString(card.inputShape));
        if (!out.is_floating_point())
            throw Error(path + ": decode returns " + std::string(c10::toString(out.scalar_type()))
                        + " values, expected float32 images");
        if (!torch::isfinite(out).all().item<bool>())
            throw Error(path + ": decode returned NaN or Inf");
        return out;
    }

    // Action rows [n, A]: one-hot of actions[i], or zeros for kIdentity.
    torch::Tensor actionRows(const std::vector<int>& chosen, size_t begin, size_t end) const
    {
        Array rows({int64_t(end - begin), actions()});
        for (size_t i = begin; i < end; ++i) {
            if (chosen[i] >= 0)
                rows.ptr()[int64_t(i - begin) * actions() + chosen[i]] = 1.0f;
        }
        return TensorConvert::toTensor(rows, device);
    }

    torch::Tensor logits(const torch::Tensor& idx, const torch::Tensor& action)
    {
        torch::Tensor out =
            call("transition_logits", {idx, action}, "codes " + shapeOf(idx) + " and actions " + shapeOf(action));
        std::vector<int64_t> want = gridOf(idx.size(0));
        want.push_back(card.codebookSize);
        requireShape("transition_logits", out, want, "[N, B, h, w, K] from card grid_shape and codebook_size");
        requireNoNan("transition_logits", out);
        return out.to(torch::kFloat32);
    }

    torch::Tensor adjacency(const torch::Tensor& action)
    {
        torch::Tensor out = call("adjacency", {action}, "actions " + shapeOf(action));
        const int64_t m = nodes();
        requireShape("adjacency", out, {action.size(0), m, m}, "[N, M, M], M = B*h*w = " + str(m) + " code nodes");
        requireNoNan("adjacency", out);
        if (out.numel() && (out.min().item<double>() < 0.0 || out.max().item<double>() > 1.0))
            throw Error(path + ": adjacency returns values outside [0, 1] (expected edge probabilities)");
        return out.to(torch::kFloat32);
    }

    // Validated codes as an int64 tensor on the device.
    torch::Tensor codesTensor(const Array& codes, int64_t begin, int64_t end) const
    {
        return TensorConvert::toTensor(codes.rows(begin, end), device).to(torch::kLong);
    }

    void requireTransition(const std::string& what) const
    {
        if (card.actions.empty())
            throw Error(what + ": " + path + " has no transition (its card lists no actions)");
    }

    void requireActions(const std::vector<int>& chosen, int64_t n, const std::string& what) const
    {
        requireTransition(what);
        if (int64_t(chosen.size()) != n)
            throw Error(what + ": " + str(int64_t(chosen.size())) + " actions for " + str(n) + " samples");
        for (int a : chosen) {
            if (a < VqModel::kIdentity || a >= actions())
                throw Error(what + ": action " + str(a) + " outside [0, " + str(actions())
                            + ") (or -1 for the identity)");
        }
    }
};

VqModel::VqModel()
    : d(std::make_unique<Impl>())
{
}
VqModel::~VqModel() = default;

std::unique_ptr<VqModel> VqModel::load(const std::string& path, const LoadOptions& options)
{
    std::unique_ptr<VqModel> model(new VqModel());
    Impl& m = *model->d;
    m.path = path;
    ModelFile file = ModelFile::loadKind(path, options, ModelKind::VqVae,
                                         "a vqvae's card has kind \"vqvae\", input_shape, output_range, grid_shape, "
                                         "codebook_size",
                                         {"encode", "decode"}, "a vqvae needs encode and decode", &m.device);
    m.module = std::move(file.module);
    m.card = std::move(file.card);
    const bool transition = !m.card.actions.empty();
    for (const char* name : {"transition_logits", "adjacency"}) {
        const bool has = m.module.find_method(name).has_value();
        if (transition && !has)
            throw Error(path + ": model has no method '" + std::string(name) + "' (the card lists " + str(m.actions())
                        + " actions, so it needs transition_logits and adjacency)");
        if (!transition && has)
            throw Error(path + ": model has a '" + std::string(name)
                        + "' method but its card lists no actions (name the actions in the card's 'actions')");
    }

    // Probe on two images: a flat gray and a ramp over the output range.
    c10::InferenceMode guard;
    const int64_t pixels = Array::product(m.card.inputShape);
    const double lo = m.card.outputLow, hi = m.card.outputHigh;
    torch::Tensor x = torch::empty(withBatch(2, m.card.inputShape), torch::kFloat32);
    x[0].fill_(lo + 0.25 * (hi - lo));
    x[1].copy_(torch::linspace(lo, hi, pixels).view(m.card.inputShape));
    x = x.to(m.device);
    const torch::Tensor idx = m.encode(x);
    m.decode(idx);
    if (transition) {
        torch::Tensor a = torch::zeros({2, m.actions()}, torch::kFloat32);
        a[0][0] = 1.0f; // row 1 stays zero: the identity
        a = a.to(m.device);
        const torch::Tensor same = m.logits(idx, a)[1].argmax(-1);
        const int64_t differ = same.ne(idx[1]).sum().item<int64_t>();
        if (differ)
            throw Error(path + ": transition_logits with an all-zero (identity) action row changes " + str(differ)
                        + " of " + str(m.nodes()) + " codes (the identity must give the codes back)");
        torch::Tensor b = torch::zeros({2, m.actions()}, torch::kFloat32);
        b[0][0] = 1.0f;
        b[1][m.actions() - 1] = 1.0f;
        m.adjacency(b.to(m.device));
    }
    spdlog::info("loaded vqvae {} (images {}, grid {}, K {}, {} actions, {})", path,
                 Array::shapeString(m.card.inputShape), Array::shapeString(m.card.gridShape), m.card.codebookSize,
                 m.actions(), m.device.str());
    return model;
}

const std::string& VqModel::path() const { return d->path; }
const Card& VqModel::card() const { return d->card; }
std::string VqModel::deviceName() const { return d->device.str(); }
const std::vector<int64_t>& VqModel::imageShape() const { return d->card.inputShape; }
const std::vector<int64_t>& VqModel::gridShape() const { return d->card.gridShape; }
int64_t VqModel::codebookSize() const { return d->card.codebookSize; }
int64_t VqModel::nodeCount() const { return d->nodes(); }
bool VqModel::hasTransition() const { return !d->card.actions.empty(); }
int VqModel::actionCount() const { return static_cast<int>(d->card.actions.size()); }
const std::vector<std::string>& VqModel::actionNames() const { return d->card.actions; }

int VqModel::factorCount() const
{
    if (!d->card.factors.empty())
        return static_cast<int>(d->card.factors.size());
    return actionCount() % 2 == 0 ? actionCount() / 2 : 0;
}

int VqModel::actionIndex(const std::string& text) const
{
    if (text == "identity" || text == "none")
        return kIdentity;
    const auto& names = d->card.actions;
    const auto named = std::find(names.begin(), names.end(), text);
    if (named != names.end())
        return static_cast<int>(named - names.begin());
    size_t used = 0;
    long index = -2;
    try {
        index = std::stol(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (!text.empty() && used == text.size() && index >= kIdentity && index < long(names.size()))
        return static_cast<int>(index);
    std::string list;
    for (const std::string& n : names)
        list += (list.empty() ? "" : ", ") + n;
    if (names.empty())
        throw Error("action '" + text + "': " + d->path + " has no transition (its card lists no actions)");
    throw Error("unknown action '" + text + "' (actions: " + list + "; or an index 0.." + str(int64_t(names.size()) - 1)
                + ", or identity)");
}

std::string VqModel::actionName(int action) const
{
    if (action == kIdentity)
        return "identity";
    if (action < 0 || action >= actionCount())
        throw Error("action " + str(action) + " outside [0, " + str(actionCount()) + ")");
    return d->card.actions[size_t(action)];
}

void VqModel::requireCodes(const Array& codes, const std::string& what) const
{
    const std::vector<int64_t>& grid = d->card.gridShape;
    if (codes.rank() != 4 || codes.dim(1) != grid[0] || codes.dim(2) != grid[1] || codes.dim(3) != grid[2])
        throw Error(what + ": expected code indices [N, " + str(grid[0]) + ", " + str(grid[1]) + ", " + str(grid[2])
                    + "] (card grid_shape), got " + Array::shapeString(codes.shape()));
    const float k = static_cast<float>(d->card.codebookSize);
    for (int64_t i = 0; i < codes.numel(); ++i) {
        const float v = codes.ptr()[i];
        if (std::isnan(v) || std::isinf(v))
            throw Error(what + ": " + valueString(v) + " at " + positionOf(i, codes.shape())
                        + " is not a code index (codes are integers in [0, " + str(d->card.codebookSize) + "))");
        if (v != std::floor(v))
            throw Error(what + ": " + valueString(v) + " at " + positionOf(i, codes.shape())
                        + " is not an integer code index");
        if (v < 0.0f || v >= k)
            throw Error(what + ": code " + valueString(v) + " at " + positionOf(i, codes.shape()) + " is outside [0, "
                        + str(d->card.codebookSize) + ") (card codebook_size)");
    }
}

Array VqModel::encode(const Array& images)
{
    const std::vector<int64_t>& shape = d->card.inputShape;
    if (images.rank() != 4 || std::vector<int64_t>(images.shape().begin() + 1, images.shape().end()) != shape)
        throw Error("vq encode: expected images [N, " + str(shape[0]) + ", " + str(shape[1]) + ", " + str(shape[2])
                    + "] (card input_shape), got " + Array::shapeString(images.shape()));
    images.requireFinite("vq encode: images");
    const int64_t n = images.dim(0);
    Array out(d->gridOf(n));
    c10::InferenceMode guard;
    for (int64_t begin = 0; begin < n; begin += kBatch) {
        const int64_t end = std::min(n, begin + kBatch);
        putRows(TensorConvert::toArray(d->encode(TensorConvert::toTensor(images.rows(begin, end), d->device))), out,
                begin);
    }
    return out;
}

Array VqModel::decode(const Array& codes)
{
    requireCodes(codes, "vq decode: codes");
    const int64_t n = codes.dim(0);
    Array out(withBatch(n, d->card.inputShape));
    c10::InferenceMode guard;
    for (int64_t begin = 0; begin < n; begin += kBatch) {
        const int64_t end = std::min(n, begin + kBatch);
        putRows(TensorConvert::toArray(d->decode(d->codesTensor(codes, begin, end))), out, begin);
    }
    return out;
}

Array VqModel::transitionLogits(const Array& codes, const std::vector<int>& actions)
{
    requireCodes(codes, "vq transition: codes");
    const int64_t n = codes.dim(0);
    d->requireActions(actions, n, "vq transition");
    std::vector<int64_t> shape = d->gridOf(n);
    shape.push_back(d->card.codebookSize);
    Array out(shape);
    c10::InferenceMode guard;
    for (int64_t begin = 0; begin < n; begin += kBatch) {
        const int64_t end = std::min(n, begin + kBatch);
        putRows(TensorConvert::toArray(
                    d->logits(d->codesTensor(codes, begin, end), d->actionRows(actions, size_t(begin), size_t(end)))),
                out, begin);
    }
    return out;
}

Array VqModel::apply(const Array& codes, int action)
{
    requireCodes(codes, "vq apply: codes");
    return apply(codes, std::vector<int>(size_t(codes.dim(0)), action));
}

Array VqModel::apply(const Array& codes, const std::vector<int>& actions)
{
    requireCodes(codes, "vq apply: codes");
    const int64_t n = codes.dim(0);
    d->requireActions(actions, n, "vq apply");
    Array out(codes.shape());
    c10::InferenceMode guard;
    for (int64_t begin = 0; begin < n; begin += kBatch) {
        const int64_t end = std::min(n, begin + kBatch);
        const torch::Tensor logits =
            d->logits(d->codesTensor(codes, begin, end), d->actionRows(actions, size_t(begin), size_t(end)));
        putRows(TensorConvert::toArray(logits.argmax(-1)), out, begin);
    }
    return out;
}

Array VqModel::trajectory(const Array& codes, int action, int steps)
{
    requireCodes(codes, "vq trajectory: codes");
    if (steps < 0 || steps > 10000)
        throw Error("vq trajectory: steps " + str(steps) + " outside [0, 10000]");
    const int64_t n = codes.dim(0), m = nodeCount();
    Array out({n, int64_t(steps) + 1, d->card.gridShape[0], d->card.gridShape[1], d->card.gridShape[2]});
    Array current = codes;
    for (int s = 0; s <= steps; ++s) {
        if (s > 0)
            current = apply(current, action);
        for (int64_t i = 0; i < n; ++i)
            std::memcpy(out.ptr() + (i * (steps + 1) + s) * m, current.ptr() + i * m, size_t(m) * sizeof(float));
    }
    return out;
}

Array VqModel::adjacency(int action)
{
    d->requireActions({action}, 1, "vq adjacency");
    c10::InferenceMode guard;
    const torch::Tensor adj = d->adjacency(d->actionRows({action}, 0, 1));
    return TensorConvert::toArray(adj[0]);
}

Array VqModel::retrieval(const Array& x, const Array& y)
{
    if (x.shape() != y.shape())
        throw Error("vq retrieval: x " + Array::shapeString(x.shape()) + " and y " + Array::shapeString(y.shape())
                    + " differ in shape (one y per x)");
    d->requireTransition("vq retrieval");
    return retrievalFromCodes(encode(x), encode(y));
}

Array VqModel::retrievalFromCodes(const Array& codesX, const Array& codesY)
{
    d->requireTransition("vq retrieval");
    requireCodes(codesX, "vq retrieval: codes of x");
    requireCodes(codesY, "vq retrieval: codes of y");
    if (codesX.dim(0) != codesY.dim(0))
        throw Error("vq retrieval: " + str(codesX.dim(0)) + " codes of x but " + str(codesY.dim(0)) + " of y");
    const int64_t n = codesX.dim(0), a = d->actions();
    Array out({n, a});
    c10::InferenceMode guard;
    for (int64_t begin = 0; begin < n; begin += kBatch) {
        const int64_t end = std::min(n, begin + kBatch);
        const torch::Tensor ix = d->codesTensor(codesX, begin, end);
        const torch::Tensor iy = d->codesTensor(codesY, begin, end).unsqueeze(-1);
        torch::Tensor ce =
            torch::empty({end - begin, a}, torch::TensorOptions().dtype(torch::kFloat64).device(d->device));
        for (int64_t k = 0; k < a; ++k) {
            const std::vector<int> chosen(size_t(end - begin), int(k));
            const torch::Tensor logp = torch::log_softmax(d->logits(ix, d->actionRows(chosen, 0, chosen.size())), -1);
            ce.select(1, k).copy_(-logp.gather(-1, iy).squeeze(-1).flatten(1).to(torch::kFloat64).mean(1));
        }
        ce = torch::nan_to_num(ce, kMaxCrossEntropy, kMaxCrossEntropy, kMaxCrossEntropy).clamp_max(kMaxCrossEntropy);
        putRows(TensorConvert::toArray(torch::softmax(-ce, 1)), out, begin);
    }
    return out;
}

std::vector<int> VqModel::predictedActions(const Array& p)
{
    if (p.rank() != 2 || p.dim(1) < 1)
        throw Error("vq retrieval: expected p [N, A], got " + Array::shapeString(p.shape()));
    std::vector<int> out;
    const int64_t a = p.dim(1);
    for (int64_t i = 0; i < p.dim(0); ++i) {
        const float* row = p.ptr() + i * a;
        out.push_back(static_cast<int>(std::max_element(row, row + a) - row));
    }
    return out;
}

Array VqModel::setCode(const Array& codes, int64_t sample, int64_t b, int64_t i, int64_t j, int64_t code) const
{
    requireCodes(codes, "vq set code: codes");
    const std::vector<int64_t>& grid = d->card.gridShape;
    if (sample < 0 || sample >= codes.dim(0))
        throw Error("vq set code: sample " + str(sample) + " outside [0, " + str(codes.dim(0)) + ")");
    if (b < 0 || b >= grid[0] || i < 0 || i >= grid[1] || j < 0 || j >= grid[2])
        throw Error("vq set code: position (codebook " + str(b) + ", row " + str(i) + ", column " + str(j)
                    + ") outside the grid " + Array::shapeString(grid));
    if (code < 0 || code >= d->card.codebookSize)
        throw Error("vq set code: code " + str(code) + " outside [0, " + str(d->card.codebookSize)
                    + ") (card codebook_size)");
    Array out = codes;
    out.ptr()[((sample * grid[0] + b) * grid[1] + i) * grid[2] + j] = static_cast<float>(code);
    return out;
}

std::vector<VqCodeChange> VqModel::changedCodes(const Array& before, const Array& after)
{
    if (before.rank() != 4 || before.shape() != after.shape())
        throw Error("vq changed codes: expected two code arrays of one shape [N, B, h, w], got "
                    + Array::shapeString(before.shape()) + " and " + Array::shapeString(after.shape()));
    const int64_t bs = before.dim(1), h = before.dim(2), w = before.dim(3), m = bs * h * w;
    std::vector<VqCodeChange> out;
    for (int64_t k = 0; k < before.numel(); ++k) {
        if (before.ptr()[k] == after.ptr()[k])
            continue;
        VqCodeChange c;
        c.sample = k / m;
        c.node = k % m;
        c.codebook = c.node / (h * w);
        c.row = (c.node / w) % h;
        c.col = c.node % w;
        c.before = static_cast<int64_t>(before.ptr()[k]);
        c.after = static_cast<int64_t>(after.ptr()[k]);
        out.push_back(c);
    }
    return out;
}

} // namespace lx

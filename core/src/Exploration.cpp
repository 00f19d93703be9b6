#include "lx/Exploration.h"

#include "lx/Error.h"
#include "lx/HybridEngine.h"
#include "lx/Model.h"

#include <algorithm>
#include <cmath>
#include <memory>

namespace lx {

namespace {

constexpr int64_t kChunk = 64;

// A single latent as [*shape]: drops a leading axis of 1.
Array single(const Array& z, const char* what)
{
    if (z.rank() >= 2 && z.dim(0) == 1)
        return z.row(0);
    if (z.rank() < 1 || z.empty())
        throw Error(std::string("interpolation: ") + what + " is empty");
    return z;
}

} // namespace

Array Exploration::at(const Array& z1, const Array& z2, double t, Interpolation mode)
{
    const Array a = single(z1, "z1"), b = single(z2, "z2");
    if (a.shape() != b.shape())
        throw Error("interpolation: z1 " + Array::shapeString(a.shape()) + " and z2 " + Array::shapeString(b.shape())
                    + " differ in shape");
    if (!std::isfinite(t) || t < 0.0 || t > 1.0)
        throw Error("interpolation: t must lie in [0, 1]");
    a.requireFinite("interpolation: z1");
    b.requireFinite("interpolation: z2");
    double wa = 1.0 - t, wb = t;
    if (mode == Interpolation::Spherical) {
        double dot = 0.0, na = 0.0, nb = 0.0;
        for (int64_t i = 0; i < a.numel(); ++i) {
            dot += double(a.ptr()[i]) * double(b.ptr()[i]);
            na += double(a.ptr()[i]) * double(a.ptr()[i]);
            nb += double(b.ptr()[i]) * double(b.ptr()[i]);
        }
        if (na == 0.0 || nb == 0.0)
            throw Error("interpolation: spherical interpolation needs two non-zero latents");
        const double omega = std::acos(std::clamp(dot / std::sqrt(na * nb), -1.0, 1.0));
        if (omega >= 1e-6) {
            wa = std::sin((1.0 - t) * omega) / std::sin(omega);
            wb = std::sin(t * omega) / std::sin(omega);
        }
    }
    std::vector<int64_t> shape = a.shape();
    shape.insert(shape.begin(), 1);
    Array out(shape);
    // The ends are the inputs exactly (no rounding from the weights).
    const Array& exact = t == 0.0 ? a : b;
    for (int64_t i = 0; i < a.numel(); ++i)
        out.ptr()[i] = (t == 0.0 || t == 1.0) ? exact.ptr()[i] : static_cast<float>(wa * a.ptr()[i] + wb * b.ptr()[i]);
    return out;
}

Array Exploration::interpolate(const Array& z1, const Array& z2, int64_t steps, Interpolation mode)
{
    if (steps < 2)
        throw Error("interpolation: steps must be at least 2, not " + std::to_string(steps));
    std::vector<Array> points;
    points.reserve(static_cast<size_t>(steps));
    for (int64_t i = 0; i < steps; ++i)
        points.push_back(at(z1, z2, double(i) / double(steps - 1), mode).row(0));
    return Array::stack(points);
}

std::string Exploration::modeName(Interpolation mode) { return mode == Interpolation::Linear ? "linear" : "spherical"; }

Interpolation Exploration::modeFromName(const std::string& name)
{
    if (name == "linear")
        return Interpolation::Linear;
    if (name == "spherical" || name == "slerp")
        return Interpolation::Spherical;
    throw Error("unknown interpolation '" + name + "' (linear, spherical)");
}

Array Exploration::classAt(int64_t classCount, int64_t c1, int64_t c2, double t)
{
    for (int64_t c : {c1, c2})
        if (c < 0 || c >= classCount)
            throw Error("class interpolation: class " + std::to_string(c) + " is out of range [0, "
                        + std::to_string(classCount) + ")");
    if (!std::isfinite(t) || t < 0.0 || t > 1.0)
        throw Error("class interpolation: t must lie in [0, 1]");
    Array w({1, classCount});
    w.ptr()[c1] += static_cast<float>(1.0 - t);
    w.ptr()[c2] += static_cast<float>(t);
    return w;
}

Array Exploration::classPath(int64_t classCount, int64_t c1, int64_t c2, int64_t steps)
{
    if (steps < 2)
        throw Error("class interpolation: needs at least 2 steps");
    std::vector<Array> rows;
    for (int64_t i = 0; i < steps; ++i)
        rows.push_back(classAt(classCount, c1, c2, i == steps - 1 ? 1.0 : double(i) / double(steps - 1)).row(0));
    return Array::stack(rows);
}

Array Exploration::transformed(Model& model, int layer, const Array& z, const Array& donor,
                               const std::vector<int>& channels, const LayerEdit& edit, const ProgressFn& progress,
                               const CancelToken* cancel, const ClassInputs& classes)
{
    const Array zs = model.normalizeLatents(z, "latents");
    const Array ds = model.normalizeLatents(donor, "donor");
    const int64_t n = zs.dim(0);
    if (ds.dim(0) != 1 && ds.dim(0) != n)
        throw Error("donor: give one latent or one per row (" + std::to_string(n) + "), not "
                    + std::to_string(ds.dim(0)));
    const auto count = [](const Array& c) { return c.numel() == 0 ? int64_t(0) : c.dim(0); };
    if (count(classes.base) > 0 && count(classes.base) != n)
        throw Error("classes: " + std::to_string(count(classes.base)) + " classes for " + std::to_string(n)
                    + " latents");
    if (count(classes.donor) > 0 && count(classes.donor) != 1 && count(classes.donor) != n)
        throw Error("donor classes: give one class or one per row (" + std::to_string(n) + "), not "
                    + std::to_string(count(classes.donor)));
    // The rows `begin..end` of a per-row array, or its one row repeated.
    const auto rowsOf = [&](const Array& a, int64_t begin, int64_t end) {
        if (a.numel() == 0 || a.dim(0) == n)
            return a.numel() == 0 ? a : a.rows(begin, end);
        return Array::stack(std::vector<Array>(static_cast<size_t>(end - begin), a.row(0)));
    };
    edit.validate();
    const bool edited = !edit.isIdentity();
    // Nothing to change: the plain images (no engine, no layer needed).
    const bool plain = !edited && channels.empty();
    std::unique_ptr<HybridEngine> engine = plain ? nullptr : std::make_unique<HybridEngine>(model);
    if (engine)
        engine->setClassSource(classes.afterCut);
    std::vector<float> out;
    std::vector<int64_t> shape;
    for (int64_t begin = 0; begin < n; begin += kChunk) {
        throwIfCancelled(cancel);
        const int64_t end = std::min(n, begin + kChunk);
        const Array rows = zs.rows(begin, end);
        Array images;
        const Array rowClasses = rowsOf(classes.base, begin, end);
        if (plain) {
            images = model.generate(rows, rowClasses);
        } else {
            engine->setInputs(layer, rows, rowsOf(ds, begin, end), rowClasses, rowsOf(classes.donor, begin, end));
            images = edited ? engine->intervene(edit) : engine->hybrid(channels);
        }
        if (shape.empty())
            shape = images.shape();
        out.insert(out.end(), images.data().begin(), images.data().end());
        if (progress)
            progress(end, n);
    }
    shape[0] = n;
    return Array(shape, std::move(out));
}

} // namespace lx

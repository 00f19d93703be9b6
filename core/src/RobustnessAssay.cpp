#include "lx/RobustnessAssay.h"

#include "lx/Classifier.h"
#include "lx/Error.h"
#include "lx/HybridEngine.h"
#include "lx/Model.h"

#include <algorithm>
#include <chrono>

namespace lx {

std::vector<std::vector<int>> RobustnessAssay::modulesOf(const std::vector<int>& assignment)
{
    int count = 0;
    for (int m : assignment)
        count = std::max(count, m + 1);
    std::vector<std::vector<int>> modules(static_cast<size_t>(count));
    for (size_t c = 0; c < assignment.size(); ++c) {
        if (assignment[c] >= 0)
            modules[size_t(assignment[c])].push_back(static_cast<int>(c));
    }
    return modules;
}

RobustnessResult RobustnessAssay::run(Model& model, Classifier& classifier, int layer,
                                      const std::vector<int>& assignment, const Array& latents,
                                      const RobustnessOptions& options, const ProgressFn& progress,
                                      const CancelToken* cancel)
{
    const auto start = std::chrono::steady_clock::now();
    if (layer < 0 || layer >= static_cast<int>(model.layers().size()))
        throw Error("robustness: layer index " + std::to_string(layer) + " out of range");
    const LayerInfo& info = model.layers()[size_t(layer)];
    if (static_cast<int64_t>(assignment.size()) != info.channels())
        throw Error("robustness: the module assignment lists " + std::to_string(assignment.size())
                    + " channels but layer " + info.name + " has " + std::to_string(info.channels()));
    for (int m : assignment) {
        if (m < -1)
            throw Error("robustness: module numbers must be >= 0 (or -1 for none), got " + std::to_string(m));
    }
    const std::vector<std::vector<int>> modules = modulesOf(assignment);
    if (modules.empty())
        throw Error("robustness: the assignment puts no channel in a module");
    classifier.requireImageShape(model.outputShape());
    const Array z = model.normalizeLatents(latents, "latents");
    if (z.dim(0) % 2 != 0 || z.dim(0) < 2)
        throw Error("latents: expected 2N latents (pairs (Z[i], Z[N+i])), got " + std::to_string(z.dim(0)));
    const int64_t n = z.dim(0) / 2;
    const int64_t chunk = std::max<int64_t>(1, options.pairChunk);
    const double low = model.card().outputLow, high = model.card().outputHigh;

    RobustnessResult result;
    result.layer = layer;
    for (size_t m = 0; m < modules.size(); ++m) {
        ModuleRobustness r;
        r.module = static_cast<int>(m);
        r.channels = modules[m];
        result.modules.push_back(r);
    }
    OriginalsSummary& o = result.originals;
    o.classCounts.assign(static_cast<size_t>(classifier.classCount()), 0);
    double confidenceSum = 0.0;

    const Array& classes = options.classes;
    if (classes.numel() > 0 && classes.numel() != z.dim(0))
        throw Error("classes: " + std::to_string(classes.numel()) + " class indices for " + std::to_string(z.dim(0))
                    + " latents");

    HybridEngine engine(model);
    engine.setClassSource(options.classFromDonor ? HybridEngine::ClassSource::Donor : HybridEngine::ClassSource::Base);
    for (int64_t begin = 0; begin < n; begin += chunk) {
        throwIfCancelled(cancel);
        const int64_t end = std::min(n, begin + chunk), count = end - begin;
        if (classes.numel() > 0)
            engine.setInputs(layer, z.rows(begin, end), z.rows(n + begin, n + end), classes.rows(begin, end),
                             classes.rows(n + begin, n + end));
        else
            engine.setInputs(layer, z.rows(begin, end), z.rows(n + begin, n + end));
        const Array logits1 = classifier.logits(engine.original1(), low, high);
        const Array logits2 = classifier.logits(engine.original2(), low, high);
        const std::vector<int> c1 = Classifier::argmax(logits1), c2 = Classifier::argmax(logits2);
        for (const Array* l : {&logits1, &logits2}) {
            for (double p : Classifier::confidence(*l))
                confidenceSum += p;
        }
        for (int64_t i = 0; i < count; ++i) {
            ++o.classCounts[size_t(c1[size_t(i)])];
            ++o.classCounts[size_t(c2[size_t(i)])];
            o.sameClassPairs += c1[size_t(i)] == c2[size_t(i)] ? 1 : 0;
        }
        for (ModuleRobustness& r : result.modules) {
            throwIfCancelled(cancel);
            const std::vector<int> h = Classifier::argmax(classifier.logits(engine.hybrid(r.channels), low, high));
            for (int64_t i = 0; i < count; ++i) {
                const int a = c1[size_t(i)], b = c2[size_t(i)], got = h[size_t(i)];
                r.pairs += 1;
                r.kept += got == a ? 1 : 0;
                r.donor += got == b ? 1 : 0;
                if (a != b) {
                    r.differingPairs += 1;
                    r.keptDiffering += got == a ? 1 : 0;
                    r.donorDiffering += got == b ? 1 : 0;
                }
            }
        }
        o.pairs += count;
        if (progress)
            progress(end, n);
    }
    o.confidenceSum = confidenceSum;
    o.meanConfidence = confidenceSum / double(2 * n);
    result.computeMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return result;
}

} // namespace lx

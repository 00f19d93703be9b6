#include "lx/HybridGrid.h"

#include "lx/Error.h"
#include "lx/HybridEngine.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"

namespace lx {

namespace {

// How many samples a class array holds (indices [N] or class weights [N, K]).
int64_t classCount(const Array& c) { return c.numel() == 0 ? 0 : c.dim(0); }

// `count` copies of row `i` of z.
Array repeatRow(const Array& z, int64_t i, int64_t count)
{
    const Array one = z.row(i);
    return Array::stack(std::vector<Array>(static_cast<size_t>(count), one));
}

} // namespace

Array HybridGridResult::cell(int64_t row, int64_t col) const
{
    if (row < 0 || row >= rows() || col < 0 || col >= cols())
        throw Error("hybrid grid: no cell (" + std::to_string(row) + ", " + std::to_string(col) + ")");
    return hybrids.row(row).row(col);
}

std::vector<Array> HybridGridResult::figureTiles() const
{
    const int64_t r = rows(), c = cols();
    std::vector<Array> tiles;
    tiles.reserve(static_cast<size_t>((r + 1) * (c + 1)));
    tiles.emplace_back(); // the blank corner
    for (int64_t j = 0; j < c; ++j)
        tiles.push_back(donors.row(j));
    for (int64_t i = 0; i < r; ++i) {
        tiles.push_back(originals.row(i));
        for (int64_t j = 0; j < c; ++j)
            tiles.push_back(cell(i, j));
    }
    return tiles;
}

struct HybridGrid::Impl {
    Model& model;
    int layer = -1;
    Array rowLatents, colLatents, rowClasses, colClasses;
    HybridEngine::ClassSource afterCut = HybridEngine::ClassSource::Base;
    std::vector<std::unique_ptr<HybridEngine>> engines; // one per row

    explicit Impl(Model& m)
        : model(m)
    {
    }
};

HybridGrid::HybridGrid(Model& model)
    : d(std::make_unique<Impl>(model))
{
}
HybridGrid::~HybridGrid() = default;

void HybridGrid::setInputs(int layer, const Array& rowLatents, const Array& colLatents, const ProgressFn& progress,
                           const CancelToken* cancel, const ClassInputs& classes)
{
    const Array z1 = d->model.normalizeLatents(rowLatents, "hybrid grid rows");
    const Array z2 = d->model.normalizeLatents(colLatents, "hybrid grid columns");
    if (z1.dim(0) < 1 || z2.dim(0) < 1)
        throw Error("hybrid grid: needs at least one row and one column latent");
    if (layer < 0 || layer >= static_cast<int>(d->model.layers().size()))
        throw Error("hybrid grid: layer index " + std::to_string(layer) + " out of range (the model has "
                    + std::to_string(d->model.layers().size()) + " layers)");
    const bool conditional = d->model.card().conditional();
    if (conditional && (classCount(classes.base) != z1.dim(0) || classCount(classes.donor) != z2.dim(0)))
        throw Error("hybrid grid: the model is class-conditional (card class_input): give one class per row ("
                    + std::to_string(z1.dim(0)) + ") and per column (" + std::to_string(z2.dim(0)) + "), not "
                    + std::to_string(classCount(classes.base)) + " and " + std::to_string(classCount(classes.donor)));
    if (!conditional && (classes.base.numel() > 0 || classes.donor.numel() > 0))
        throw Error(
            "hybrid grid: the model is not class-conditional (its card has no class_input), so it takes no classes");
    if (layer == d->layer && z1 == d->rowLatents && z2 == d->colLatents && classes.base == d->rowClasses
        && classes.donor == d->colClasses && classes.afterCut == d->afterCut && d->engines.size() == size_t(z1.dim(0)))
        return;
    d->layer = -1; // invalid until every row is ready
    const int64_t rows = z1.dim(0), cols = z2.dim(0);
    d->engines.resize(static_cast<size_t>(rows));
    for (int64_t i = 0; i < rows; ++i) {
        throwIfCancelled(cancel);
        auto& engine = d->engines[size_t(i)];
        if (!engine)
            engine = std::make_unique<HybridEngine>(d->model);
        engine->setClassSource(classes.afterCut);
        if (conditional)
            engine->setInputs(layer, repeatRow(z1, i, cols), z2, repeatRow(classes.base, i, cols), classes.donor);
        else
            engine->setInputs(layer, repeatRow(z1, i, cols), z2);
        if (progress)
            progress(i + 1, rows);
    }
    d->layer = layer;
    d->rowLatents = z1;
    d->colLatents = z2;
    d->rowClasses = classes.base;
    d->colClasses = classes.donor;
    d->afterCut = classes.afterCut;
}

HybridGridResult HybridGrid::compute(const std::vector<int>& channels, const ProgressFn& progress,
                                     const CancelToken* cancel)
{
    if (d->layer < 0)
        throw Error("hybrid grid: no layer and latents set");
    const int64_t rows = static_cast<int64_t>(d->engines.size());
    HybridGridResult result;
    result.layer = d->layer;
    result.channels = channels;
    std::vector<Array> hybrids, originals;
    for (int64_t i = 0; i < rows; ++i) {
        throwIfCancelled(cancel);
        HybridEngine& engine = *d->engines[size_t(i)];
        hybrids.push_back(engine.hybrid(channels));
        originals.push_back(engine.original1().row(0));
        if (progress)
            progress(i + 1, rows);
    }
    result.hybrids = Array::stack(hybrids);
    result.originals = Array::stack(originals);
    result.donors = d->engines.front()->original2();
    return result;
}

HybridGridResult HybridGrid::compute(Model& model, int layer, const std::vector<int>& channels, const Array& rowLatents,
                                     const Array& colLatents, const ProgressFn& progress, const CancelToken* cancel,
                                     const ClassInputs& classes)
{
    HybridGrid grid(model);
    // Progress: the prefixes, then the hybrids, one unit per row each.
    const int64_t rows = rowLatents.rank() > 0 ? rowLatents.dim(0) : 0;
    grid.setInputs(layer, rowLatents, colLatents,
                   progress ? ProgressFn([&](long long done, long long) { progress(done, 2 * rows); }) : ProgressFn(),
                   cancel, classes);
    return grid.compute(channels,
                        progress ? ProgressFn([&](long long done, long long) { progress(rows + done, 2 * rows); })
                                 : ProgressFn(),
                        cancel);
}

HybridGridResult HybridGrid::computeSeeds(Model& model, int layer, const std::vector<int>& channels,
                                          const std::vector<uint64_t>& rowSeeds, const std::vector<uint64_t>& colSeeds,
                                          const ProgressFn& progress, const CancelToken* cancel,
                                          const ClassInputs& classes)
{
    const LatentSampler sampler(model.card().latentShape);
    return compute(model, layer, channels, sampler.sample(rowSeeds), sampler.sample(colSeeds), progress, cancel,
                   classes);
}

} // namespace lx

#pragma once
// Influence maps already computed or opened, keyed by (model file, layer, pairs, first seed, source
// file), so that going back to a layer shows its maps at once. Maps opened from a file
// (InfluenceResult::sourcePath) are kept apart from computed ones: find() never returns them. Most
// recently used first; bounded by an entry count and by the number of floats held.
#include "ui/compute/WorkerTypes.h"

#include <QString>
#include <QVector>

namespace lx::ui {

class InfluenceCache {
public:
    explicit InfluenceCache(int maxEntries = 24, qint64 maxFloats = 64 * 1024 * 1024);

    // Adds (or replaces) the result for its key and makes it the most recent.
    void insert(const InfluenceResult& result);
    // The computed result for exactly these inputs, or nullptr. Marks it most recent.
    const InfluenceResult* find(const QString& modelPath, int layer, int pairs, quint64 firstSeed);
    // The most recently used result for a layer of a model (any pairs / seeds, computed or opened), or
    // nullptr.
    const InfluenceResult* latest(const QString& modelPath, int layer);
    void clear() { mEntries.clear(); }
    int size() const { return static_cast<int>(mEntries.size()); }

private:
    void touch(int index);
    void evict();

    int mMaxEntries;
    qint64 mMaxFloats;
    QVector<InfluenceResult> mEntries; // most recent first
};

} // namespace lx::ui

#include "ui/influence/InfluenceCache.h"

#include <algorithm>

namespace lx::ui {
namespace {

bool sameInputs(const InfluenceResult& r, const QString& path, int layer, int pairs, quint64 seed,
                const QString& source)
{
    return r.layer == layer && r.pairs == pairs && r.firstSeed == seed && r.modelPath == path && r.sourcePath == source;
}

} // namespace

InfluenceCache::InfluenceCache(int maxEntries, qint64 maxFloats)
    : mMaxEntries(std::max(1, maxEntries))
    , mMaxFloats(maxFloats)
{
}

void InfluenceCache::insert(const InfluenceResult& result)
{
    for (int i = 0; i < mEntries.size(); ++i) {
        if (sameInputs(mEntries[i], result.modelPath, result.layer, result.pairs, result.firstSeed,
                       result.sourcePath)) {
            mEntries.removeAt(i);
            break;
        }
    }
    mEntries.prepend(result);
    evict();
}

const InfluenceResult* InfluenceCache::find(const QString& modelPath, int layer, int pairs, quint64 firstSeed)
{
    for (int i = 0; i < mEntries.size(); ++i) {
        if (sameInputs(mEntries[i], modelPath, layer, pairs, firstSeed, QString())) {
            touch(i);
            return &mEntries.first();
        }
    }
    return nullptr;
}

const InfluenceResult* InfluenceCache::latest(const QString& modelPath, int layer)
{
    for (int i = 0; i < mEntries.size(); ++i) {
        if (mEntries[i].layer == layer && mEntries[i].modelPath == modelPath) {
            touch(i);
            return &mEntries.first();
        }
    }
    return nullptr;
}

void InfluenceCache::touch(int index)
{
    if (index > 0)
        mEntries.move(index, 0);
}

void InfluenceCache::evict()
{
    qint64 floats = 0;
    int keep = 0;
    // Keep the newest entries while they fit (the newest always stays).
    for (; keep < mEntries.size() && keep < mMaxEntries; ++keep) {
        floats += mEntries[keep].maps.size();
        if (keep > 0 && floats > mMaxFloats)
            break;
    }
    if (keep < mEntries.size())
        mEntries.resize(keep);
}

} // namespace lx::ui

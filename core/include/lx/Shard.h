#pragma once
// A shard of a job whose work is a list of items (pairs, latents): shard K of N takes one contiguous
// slice of the items, the same slice on every machine, so N array tasks of a cluster job together do
// the whole job exactly once. K counts from 0, as Slurm's $SLURM_ARRAY_TASK_ID does with --array=0-(N-1).
#include <cstdint>
#include <string>
#include <utility>

namespace lx {

struct Shard {
    int64_t index = 0; // K, 0 <= K < N
    int64_t count = 1; // N

    static constexpr int64_t kMaxCount = 100000;

    // "K/N" with 0 <= K < N <= kMaxCount. Throws lx::Error naming the text otherwise.
    static Shard parse(const std::string& text);
    std::string text() const; // "K/N"
    bool whole() const { return count == 1; }

    // Items [begin, end) of `total` for this shard. The slices are cut in whole units of `unit` items
    // (only the job's last unit may be shorter), so that a shard's chunks of work are the unsharded
    // job's chunks; shard K gets units [floor(U K / N), floor(U (K + 1) / N)) of the U units. Shards past
    // the last unit get an empty slice (begin == end).
    std::pair<int64_t, int64_t> slice(int64_t total, int64_t unit = 1) const;
};

} // namespace lx

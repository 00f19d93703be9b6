#pragma once
// The partial result of one shard of a job whose result is a mean over items (pairs, latents): the
// sum and the item count, never the mean, plus what identifies the job. The N shards' parts merge
// exactly: the sums are added in shard order and the result finished once, the way the unsharded
// command finishes its own sum, so a merge of N = 1 is the unsharded result bit for bit.
//
// File: the line "LXPART 1", one line of JSON (job, finish, shard, slice, shape, count, meta,
// compute_ms), then the sum
// as little-endian float64 values, row-major.
#include "lx/Array.h"
#include "lx/Shard.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace lx {

// A sum over items of equally shaped values, in float64.
struct PartialSum {
    std::vector<int64_t> shape;
    std::vector<double> sum;
    int64_t count = 0; // items summed

    // Mean: sum / count. RootMean: sqrt(sum / count). RowMean: each row of the sum is over its own items,
    // every row the same number of them, count / rows (the items of a conditioned matrix are per factor).
    // Sum: the sum itself (items that fill disjoint entries, such as the points of a curve).
    enum class Finish { Mean, RootMean, RowMean, Sum };
    // float32 of the finished sum. Throws lx::Error when count is 0 (or not a multiple of the rows).
    Array finished(Finish finish) const;
};

struct PartialResult {
    // What makes two parts one job, in order: command, model hash, layer, input hashes, parameters.
    std::vector<std::pair<std::string, std::string>> job;
    PartialSum::Finish finish = PartialSum::Finish::Mean;
    Shard shard;
    int64_t total = 0; // items of the whole job
    int64_t begin = 0, end = 0; // this shard's slice of them
    PartialSum data; // empty shape and count 0 for an empty slice
    // Not part of the job's identity: what the merged result's report needs besides the sums (JSON
    // text, the same in every part: factor names, parameters for a report), and the shard's time.
    std::string meta = "{}";
    double computeMs = 0.0;

    // Writes the whole file or nothing (lx::AtomicFile).
    void write(const std::string& path) const;
    // Throws lx::Error naming the path for a file that is not a complete part.
    static PartialResult read(const std::string& path);

    // The N parts of one job, each once, summed in shard order: a part whose shard.count is 1 and whose
    // slice is the whole job. Throws lx::Error with one line naming the offending part: another job
    // (and which field differs), a shard given twice, a shard missing, slices that do not tile the job.
    // `parts` pairs each part with the name to report (its path).
    static PartialResult merge(const std::vector<std::pair<std::string, PartialResult>>& parts);
};

} // namespace lx

#include "lx/Shard.h"

#include "lx/Error.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

namespace lx {

namespace {

// A whole decimal number of the text, or -1 when it is not one.
int64_t wholeNumber(const std::string& text)
{
    if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
        return -1;
    return std::strtoll(text.c_str(), nullptr, 10);
}

} // namespace

Shard Shard::parse(const std::string& text)
{
    const size_t slash = text.find('/');
    const int64_t k = slash == std::string::npos ? -1 : wholeNumber(text.substr(0, slash));
    const int64_t n = slash == std::string::npos ? -1 : wholeNumber(text.substr(slash + 1));
    if (k < 0 || n < 1 || n > kMaxCount || k >= n)
        throw Error("shard '" + printable(text) + "' must be K/N with 0 <= K < N <= " + std::to_string(kMaxCount)
                    + " (K counts from 0, as $SLURM_ARRAY_TASK_ID)");
    return Shard{k, n};
}

std::string Shard::text() const { return std::to_string(index) + "/" + std::to_string(count); }

std::pair<int64_t, int64_t> Shard::slice(int64_t total, int64_t unit) const
{
    if (total < 0 || unit < 1)
        throw Error("shard slice: total must be >= 0 and unit >= 1, got " + std::to_string(total) + " and "
                    + std::to_string(unit));
    const int64_t units = (total + unit - 1) / unit;
    const auto cut = [&](int64_t k) { return static_cast<int64_t>(static_cast<__int128>(units) * k / count); };
    const int64_t first = cut(index), last = cut(index + 1);
    return {std::min(total, first * unit), std::min(total, last * unit)};
}

} // namespace lx

#include "lx/PartialResult.h"

#include "lx/AtomicFile.h"
#include "lx/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

namespace lx {

namespace {

constexpr const char* kMagic = "LXPART 1\n";

const char* const kFinishNames[] = {"mean", "root_mean", "row_mean", "sum"};

const char* finishName(PartialSum::Finish f) { return kFinishNames[static_cast<int>(f)]; }

std::string sliceText(const PartialResult& p)
{
    return "[" + std::to_string(p.begin) + ", " + std::to_string(p.end) + ")";
}

} // namespace

Array PartialSum::finished(Finish finish) const
{
    if (count < 1)
        throw Error("partial sum: no items were summed, so there is no mean");
    double n = static_cast<double>(count);
    if (finish == Finish::RowMean) {
        const int64_t rows = shape.empty() ? 1 : shape[0];
        if (rows < 1 || count % rows != 0)
            throw Error("partial sum: " + std::to_string(count) + " items do not divide among " + std::to_string(rows)
                        + " rows");
        n = static_cast<double>(count / rows);
    }
    std::vector<float> out(sum.size());
    for (size_t i = 0; i < sum.size(); ++i) {
        const double v = finish == Finish::Sum ? sum[i] : sum[i] / n;
        out[i] = static_cast<float>(finish == Finish::RootMean ? std::sqrt(v) : v);
    }
    return Array(shape, std::move(out));
}

void PartialResult::write(const std::string& path) const
{
    static_assert(sizeof(double) == 8, "float64 sums");
    nlohmann::ordered_json header;
    header["job"] = nlohmann::ordered_json::array();
    for (const auto& [key, value] : job)
        header["job"].push_back({key, value});
    header["finish"] = finishName(finish);
    header["shard"] = {shard.index, shard.count};
    header["total"] = total;
    header["slice"] = {begin, end};
    header["shape"] = data.shape;
    header["count"] = data.count;
    header["values"] = data.sum.size();
    header["meta"] = nlohmann::ordered_json::parse(meta);
    header["compute_ms"] = computeMs;
    std::string bytes = kMagic + header.dump() + "\n";
    const size_t at = bytes.size();
    bytes.resize(at + data.sum.size() * sizeof(double));
    if (!data.sum.empty())
        std::memcpy(&bytes[at], data.sum.data(), data.sum.size() * sizeof(double)); // little-endian hosts
    AtomicFile::write(path, bytes);
}

PartialResult PartialResult::read(const std::string& path)
{
    const std::string bytes = AtomicFile::read(path);
    const auto bad = [&](const std::string& why) {
        return Error(path + ": not a shard's partial result (" + why + ")");
    };
    const size_t magic = std::strlen(kMagic);
    if (bytes.compare(0, magic, kMagic) != 0)
        throw bad("no LXPART header; write parts with --shard K/N");
    const size_t eol = bytes.find('\n', magic);
    if (eol == std::string::npos)
        throw bad("truncated header");
    PartialResult p;
    try {
        const nlohmann::json h = nlohmann::json::parse(bytes.substr(magic, eol - magic));
        for (const auto& kv : h.at("job"))
            p.job.emplace_back(kv.at(0).get<std::string>(), kv.at(1).get<std::string>());
        const std::string finish = h.at("finish").get<std::string>();
        const auto known = std::find(std::begin(kFinishNames), std::end(kFinishNames), finish);
        if (known == std::end(kFinishNames))
            throw bad("unknown finish '" + printable(finish) + "'");
        p.finish = static_cast<PartialSum::Finish>(known - std::begin(kFinishNames));
        p.shard = Shard{h.at("shard").at(0).get<int64_t>(), h.at("shard").at(1).get<int64_t>()};
        p.total = h.at("total").get<int64_t>();
        p.begin = h.at("slice").at(0).get<int64_t>();
        p.end = h.at("slice").at(1).get<int64_t>();
        p.data.shape = h.at("shape").get<std::vector<int64_t>>();
        p.data.count = h.at("count").get<int64_t>();
        const int64_t values = h.at("values").get<int64_t>();
        p.meta = h.contains("meta") ? h.at("meta").dump() : "{}";
        p.computeMs = h.value("compute_ms", 0.0);
        if (p.shard.count < 1 || p.shard.index < 0 || p.shard.index >= p.shard.count || p.begin < 0 || p.begin > p.end
            || p.end > p.total || p.data.count < 0 || values < 0
            || (values > 0 && values != Array::product(p.data.shape)))
            throw bad("inconsistent header");
        if (bytes.size() - eol - 1 != static_cast<size_t>(values) * sizeof(double))
            throw bad("holds " + std::to_string(bytes.size() - eol - 1) + " data bytes, the header says "
                      + std::to_string(values * int64_t(sizeof(double))) + "; truncated?");
        p.data.sum.resize(static_cast<size_t>(values));
        if (values > 0)
            std::memcpy(p.data.sum.data(), bytes.data() + eol + 1, p.data.sum.size() * sizeof(double));
    } catch (const nlohmann::json::exception& e) {
        throw bad(firstLine(e.what()));
    }
    for (double v : p.data.sum)
        if (!std::isfinite(v))
            throw bad("a sum is NaN or Inf");
    return p;
}

PartialResult PartialResult::merge(const std::vector<std::pair<std::string, PartialResult>>& parts)
{
    if (parts.empty())
        throw Error("no parts given");
    const auto& [firstName, first] = parts.front();
    std::map<int64_t, size_t> byShard; // shard index -> position in parts
    for (size_t i = 0; i < parts.size(); ++i) {
        const auto& [name, p] = parts[i];
        for (size_t k = 0; k < std::max(p.job.size(), first.job.size()); ++k) {
            const bool has = k < p.job.size(), firstHas = k < first.job.size();
            if (!has || !firstHas || p.job[k] != first.job[k]) {
                const std::string key = firstHas ? first.job[k].first : p.job[k].first;
                throw Error("" + name + " belongs to another job than " + firstName + ": " + key + " is "
                            + (has ? "'" + printable(p.job[k].second, 80) + "'" : "missing") + ", not "
                            + (firstHas ? "'" + printable(first.job[k].second, 80) + "'" : "absent"));
            }
        }
        if (p.shard.count != first.shard.count)
            throw Error("" + name + " is shard " + p.shard.text() + " of a job cut into "
                        + std::to_string(p.shard.count) + ", " + firstName + " of one cut into "
                        + std::to_string(first.shard.count));
        if (p.total != first.total || p.finish != first.finish)
            throw Error("" + name + " covers " + std::to_string(p.total) + " items, " + firstName + " "
                        + std::to_string(first.total) + ": not the same job");
        const auto [it, fresh] = byShard.emplace(p.shard.index, i);
        if (!fresh)
            throw Error("shard " + p.shard.text() + " given twice: " + parts[it->second].first + " and " + name);
    }
    const int64_t n = first.shard.count;
    std::string missing;
    for (int64_t k = 0; k < n; ++k)
        if (!byShard.count(k))
            missing += (missing.empty() ? "" : ", ") + std::to_string(k);
    if (!missing.empty())
        throw Error("shard" + std::string(byShard.size() + 1 < size_t(n) ? "s " : " ") + missing + " of "
                    + std::to_string(n) + " missing (" + std::to_string(byShard.size())
                    + " given); resubmit them with --shard K/" + std::to_string(n));

    PartialResult out = first;
    out.computeMs = 0.0;
    for (const auto& [name, p] : parts)
        out.computeMs += p.computeMs;
    out.shard = Shard{};
    out.begin = 0;
    out.end = first.total;
    out.data = PartialSum{};
    int64_t at = 0;
    for (const auto& [index, i] : byShard) {
        const auto& [name, p] = parts[i];
        if (p.begin != at)
            throw Error("" + name + " (shard " + p.shard.text() + ") covers items " + sliceText(p)
                        + ", expected to start at " + std::to_string(at));
        at = p.end;
        if (p.data.count != p.end - p.begin)
            throw Error("" + name + " summed " + std::to_string(p.data.count) + " items for the slice " + sliceText(p));
        if (p.data.count == 0)
            continue;
        if (out.data.count == 0) {
            out.data.shape = p.data.shape;
            out.data.sum.assign(p.data.sum.size(), 0.0);
        } else if (p.data.shape != out.data.shape) {
            throw Error("" + name + " holds sums of shape " + Array::shapeString(p.data.shape)
                        + ", the parts before it " + Array::shapeString(out.data.shape));
        }
        for (size_t v = 0; v < p.data.sum.size(); ++v)
            out.data.sum[v] += p.data.sum[v];
        out.data.count += p.data.count;
    }
    if (at != first.total)
        throw Error("the parts cover items [0, " + std::to_string(at) + ") of " + std::to_string(first.total));
    if (out.data.count == 0)
        throw Error("the parts hold no items");
    return out;
}

} // namespace lx

#include "lx/CgnDataset.h"

#include "lx/AtomicFile.h"
#include "lx/Error.h"
#include "lx/ImageGrid.h"
#include "lx/Png.h"
#include "lx/Sha256.h"
#include "lx/SplitMix64.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sstream>

namespace lx {

namespace {

using OrderedJson = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

constexpr double kLabelsEverySeconds = 1.0; // labels.csv is rewritten whole: not after every batch

// A generator for draw stream `stream` of item `index`, from the dataset seed.
SplitMix64 streamRng(uint64_t seed, uint64_t stream, uint64_t index)
{
    const uint64_t base = SplitMix64(seed ^ (stream * 0xD1B54A32D192ED03ull)).next();
    return SplitMix64(SplitMix64(base + index).next());
}

CgnMechanismInput draw(SplitMix64& rng, int classCount)
{
    CgnMechanismInput in;
    in.classA = in.classB = static_cast<int>(rng.below(uint64_t(classCount)));
    in.seed = rng.next() >> 33;
    return in;
}

bool isFile(const fs::path& path)
{
    std::error_code ec;
    return fs::is_regular_file(path, ec);
}

OrderedJson parameters(const CgnModel& model, const CgnDatasetOptions& o, const std::string& sha256)
{
    const Card& card = model.card();
    OrderedJson j;
    j["format"] = "latent-explorer cgn counterfactual dataset";
    j["tool_version"] = o.toolVersion;
    j["model"] = model.path();
    j["model_sha256"] = sha256;
    j["count"] = o.count;
    j["counterfactuals"] = o.counterfactuals;
    j["seed"] = o.seed;
    j["classes"] = card.classes;
    j["image_shape"] = model.imageShape();
    j["output_range"] = {card.outputLow, card.outputHigh};
    j["labels"] = "labels.csv";
    j["images"] = "images/NNNNNN.png, 8-bit RGB, output_range mapped to 0..255";
    return j;
}

// Refuses a folder that holds another dataset (or files that look like one without dataset.json).
void requireCompatible(const fs::path& folder, const OrderedJson& want)
{
    const fs::path info = folder / "dataset.json";
    if (!isFile(info)) {
        std::error_code ec;
        if (isFile(folder / "labels.csv") || fs::exists(folder / "images", ec))
            throw Error(folder.string() + " has images/ or labels.csv but no dataset.json: not resuming into it "
                        "(choose an empty folder)");
        return;
    }
    OrderedJson have;
    try {
        have = OrderedJson::parse(AtomicFile::read(info.string()));
    } catch (const OrderedJson::exception& e) {
        throw Error(info.string() + ": not valid JSON (" + firstLine(e.what()) + ")");
    }
    std::string differ;
    for (const char* key : {"model_sha256", "count", "counterfactuals", "seed", "classes"}) {
        if (!have.contains(key) || have.at(key) != want.at(key))
            differ += std::string(differ.empty() ? "" : ", ") + key + " "
                + (have.contains(key) ? have.at(key).dump() : "missing") + " here, " + want.at(key).dump() + " asked";
    }
    if (!differ.empty()) {
        if (differ.size() > 160)
            differ = differ.substr(0, 157) + "...";
        throw Error(folder.string() + " already holds a counterfactual dataset with other parameters (" + differ
                    + "); use another folder, or the same parameters to resume");
    }
}

void writeLabels(const fs::path& folder, const CgnDatasetOptions& o, int classCount, int64_t rows)
{
    std::string csv = "index,file,shape_class,texture_class,background_class,shape_seed,texture_seed,background_seed\n";
    char line[256];
    for (int64_t i = 0; i < rows; ++i) {
        const CgnRequest r = CgnDataset::request(o.seed, o.counterfactuals, classCount, i);
        std::snprintf(line, sizeof line, "%lld,%s,%d,%d,%d,%llu,%llu,%llu\n", static_cast<long long>(i),
                      CgnDataset::imageName(i, o.count).c_str(), r.shape.classA, r.texture.classA, r.background.classA,
                      static_cast<unsigned long long>(r.shape.seed), static_cast<unsigned long long>(r.texture.seed),
                      static_cast<unsigned long long>(r.background.seed));
        csv += line;
    }
    AtomicFile::write((folder / "labels.csv").string(), csv);
}

} // namespace

CgnRequest CgnDataset::request(uint64_t seed, int64_t counterfactuals, int classCount, int64_t index)
{
    if (classCount < 1 || counterfactuals < 1 || index < 0)
        throw Error("cgn dataset: need at least one class and one counterfactual per mask, and index >= 0");
    CgnRequest r;
    SplitMix64 shapeRng = streamRng(seed, 1, uint64_t(index / counterfactuals));
    r.shape = draw(shapeRng, classCount);
    SplitMix64 rng = streamRng(seed, 2, uint64_t(index));
    r.texture = draw(rng, classCount);
    r.background = draw(rng, classCount);
    return r;
}

std::string CgnDataset::imageName(int64_t index, int64_t count)
{
    int digits = 6;
    for (int64_t limit = 1000000; count > limit && digits < 18; limit *= 10)
        ++digits;
    char name[64];
    std::snprintf(name, sizeof name, "images/%0*lld.png", digits, static_cast<long long>(index));
    return name;
}

CgnDatasetResult CgnDataset::write(CgnModel& model, const CgnDatasetOptions& o, const ProgressFn& progress,
                                   const CancelToken* cancel)
{
    if (o.folder.empty())
        throw Error("cgn dataset: no output folder");
    if (o.count < 1)
        throw Error("cgn dataset: the image count must be at least 1, got " + std::to_string(o.count));
    if (o.counterfactuals < 1)
        throw Error("cgn dataset: counterfactuals per mask must be at least 1, got "
                    + std::to_string(o.counterfactuals));
    if (o.batch < 1)
        throw Error("cgn dataset: the batch size must be at least 1, got " + std::to_string(o.batch));
    const int64_t first = o.begin, last = o.end < 0 ? o.count : o.end;
    if (first < 0 || first > last || last > o.count)
        throw Error("cgn dataset: images [" + std::to_string(first) + ", " + std::to_string(last)
                    + ") are not within the " + std::to_string(o.count) + " of the dataset");
    const bool labels = first == 0; // labels.csv lists images 0.. in order
    const auto start = Clock::now();
    const fs::path folder(o.folder);
    const int classCount = model.classCount();
    const OrderedJson want = parameters(model, o, Sha256::fileHex(model.path()));
    requireCompatible(folder, want);
    std::error_code ec;
    fs::create_directories(folder / "images", ec);
    if (ec)
        throw Error("cannot create folder " + (folder / "images").string() + ": " + ec.message());
    if (!isFile(folder / "dataset.json"))
        AtomicFile::write((folder / "dataset.json").string(), want.dump(2) + "\n");

    ImageGridOptions display;
    display.low = model.card().outputLow;
    display.high = model.card().outputHigh;
    display.padding = 0;
    CgnDatasetResult result;
    auto labelsAt = Clock::now();
    for (int64_t begin = first; begin < last; begin += o.batch) {
        if (cancel && cancel->cancelled()) {
            if (labels)
                writeLabels(folder, o, classCount, begin);
            throw Cancelled();
        }
        const int64_t end = std::min(last, begin + o.batch);
        std::vector<int64_t> todo;
        std::vector<CgnRequest> requests;
        for (int64_t i = begin; i < end; ++i) {
            if (isFile(folder / imageName(i, o.count))) {
                ++result.skipped;
            } else {
                todo.push_back(i);
                requests.push_back(request(o.seed, o.counterfactuals, classCount, i));
            }
        }
        if (!requests.empty()) {
            const Array composite = model.render(requests).composite;
            for (size_t k = 0; k < todo.size(); ++k)
                Png::write((folder / imageName(todo[k], o.count)).string(),
                           ImageGrid::compose({composite.row(int64_t(k))}, 1, 1, display));
            result.written += static_cast<int64_t>(todo.size());
        }
        const auto now = Clock::now();
        if (labels && (end == last || std::chrono::duration<double>(now - labelsAt).count() >= kLabelsEverySeconds)) {
            writeLabels(folder, o, classCount, end);
            labelsAt = now;
        }
        if (progress)
            progress(end - first, last - first);
    }
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    result.imagesPerSecond = result.seconds > 0.0 ? double(result.written) / result.seconds : 0.0;
    spdlog::info("cgn dataset {}: {} written, {} skipped in {:.2f} s", o.folder, result.written, result.skipped,
                 result.seconds);
    return result;
}

} // namespace lx

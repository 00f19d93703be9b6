// Counterfactual Generative Networks (Sauer & Geiger, ICLR 2021): `cgn` renders one mix of
// shape, texture and background mechanisms, `cgn-dataset` exports a counterfactual dataset, and `info`
// describes a cgn file through cgnInfo.
#include "CliCommands.h"

#include "lx/Array.h"
#include "lx/CgnDataset.h"
#include "lx/CgnModel.h"
#include "lx/Error.h"
#include "lx/ImageGrid.h"
#include "lx/Npy.h"
#include "lx/Png.h"
#include "lx/Sha256.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <tuple>

namespace {

using Json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

std::unique_ptr<lx::CgnModel> openCgn(const CliArgs& args)
{
    return lx::CgnModel::load(args.positionalAt(0, "MODEL argument"), CliCommands::loadOptions(args));
}

// A class given as its index or its name in the card.
int classOf(const std::string& text, const lx::CgnModel& model, const std::string& option)
{
    const std::vector<std::string>& names = model.card().classes;
    const auto named = std::find(names.begin(), names.end(), text);
    if (named != names.end())
        return static_cast<int>(named - names.begin());
    size_t used = 0;
    int index = -1;
    try {
        index = std::stoi(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || text.empty())
        throw UsageError("--" + option + ": '" + text + "' is neither a class index nor a class name of the model");
    return index; // range checked by CgnModel::render, naming the mechanism
}

// CLASS or CLASS:CLASS2:T (class interpolation, T in [0, 1]).
lx::CgnMechanismInput mechanismOf(const CliArgs& args, const std::string& option, const lx::CgnModel& model)
{
    const std::string spec = args.value(option, "0");
    lx::CgnMechanismInput in;
    const size_t first = spec.find(':');
    if (first == std::string::npos) {
        in.classA = in.classB = classOf(spec, model, option);
        return in;
    }
    const size_t second = spec.find(':', first + 1);
    if (second == std::string::npos || spec.find(':', second + 1) != std::string::npos)
        throw UsageError("--" + option + " must be CLASS or CLASS:CLASS2:T, got '" + spec + "'");
    in.classA = classOf(spec.substr(0, first), model, option);
    in.classB = classOf(spec.substr(first + 1, second - first - 1), model, option);
    const std::string t = spec.substr(second + 1);
    size_t used = 0;
    try {
        in.mix = std::stod(t, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != t.size() || t.empty())
        throw UsageError("--" + option + ": the mix '" + t + "' is not a number");
    return in;
}

Json rangeOf(const lx::Array& a)
{
    const auto [lo, hi] = std::minmax_element(a.data().begin(), a.data().end());
    return {*lo, *hi};
}

// One mechanism's inputs; `shuffled`: foreground / background, which pass the shuffler.
Json describe(const lx::CgnMechanismInput& in, const lx::CgnModel& model, bool shuffled)
{
    const auto& names = model.card().classes;
    Json j = {{"class", in.classA}, {"class_name", names[size_t(in.classA)]}};
    if (in.mix > 0.0)
        j.update({{"class_b", in.classB}, {"class_b_name", names[size_t(in.classB)]}, {"mix", in.mix}});
    j["seed"] = in.seed;
    if (shuffled && model.card().shuffle == lx::CgnShuffle::Tile2x2) {
        const auto [dy, dx] =
            lx::CgnModel::shuffleOffset(in.seed, int(model.imageShape()[1]), int(model.imageShape()[2]));
        j["shuffle_offset"] = {dy, dx};
    }
    return j;
}

// mask | foreground | background | composite, the mask drawn gray in the model's output range.
lx::Image8 strip(const lx::CgnImages& x, const lx::CgnModel& model, int scale)
{
    const lx::Card& card = model.card();
    lx::Array mask({3, x.mask.dim(2), x.mask.dim(3)});
    const int64_t plane = x.mask.dim(2) * x.mask.dim(3);
    for (int64_t ch = 0; ch < 3; ++ch) {
        for (int64_t p = 0; p < plane; ++p)
            mask.ptr()[ch * plane + p] = float(card.outputLow + x.mask.ptr()[p] * (card.outputHigh - card.outputLow));
    }
    lx::ImageGridOptions options;
    options.low = card.outputLow;
    options.high = card.outputHigh;
    options.scale = scale;
    return lx::ImageGrid::compose({mask, x.foreground.row(0), x.background.row(0), x.composite.row(0)}, 1, 4, options);
}

int runCgn(const CliArgs& args)
{
    args.allowOnly({"shape", "texture", "background", "seeds", "out", "scale"});
    const long long scale = args.integer("scale", 4);
    if (scale < 1 || scale > 16)
        throw UsageError("--scale must lie in 1..16");
    std::vector<uint64_t> seeds =
        args.has("seeds") ? CliCommands::seedList(args, "seeds") : std::vector<uint64_t>{0, 1, 2};
    if (seeds.size() == 1)
        seeds = {seeds[0], seeds[0], seeds[0]};
    if (seeds.size() != 3)
        throw UsageError("--seeds takes one seed (shared by the three mechanisms) or three: shape,texture,background");
    auto model = openCgn(args);
    lx::CgnRequest request;
    request.shape = mechanismOf(args, "shape", *model);
    request.texture = mechanismOf(args, "texture", *model);
    request.background = mechanismOf(args, "background", *model);
    request.shape.seed = seeds[0];
    request.texture.seed = seeds[1];
    request.background.seed = seeds[2];

    const auto start = Clock::now();
    const lx::CgnImages x = model->render({request});
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();

    Json out;
    out["model"] = model->path();
    out["image_shape"] = model->imageShape();
    out["shuffle"] = model->card().shuffle == lx::CgnShuffle::Tile2x2 ? "tile2x2" : "none";
    out["shape"] = describe(request.shape, *model, false);
    out["texture"] = describe(request.texture, *model, true);
    out["background"] = describe(request.background, *model, true);
    double maskSum = 0.0;
    for (float v : x.mask.data())
        maskSum += v;
    out["mask_mean"] = maskSum / double(std::max<int64_t>(1, x.mask.numel()));
    out["ranges"] = {{"premask", rangeOf(x.premask)},
                     {"mask", rangeOf(x.mask)},
                     {"foreground", rangeOf(x.foreground)},
                     {"background", rangeOf(x.background)},
                     {"composite", rangeOf(x.composite)}};
    out["render_ms"] = ms;
    if (args.has("out")) {
        const std::string dir = args.require("out");
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        if (ec)
            throw lx::Error("cannot create " + dir + ": " + ec.message());
        const std::pair<const char*, const lx::Array*> arrays[] = {{"premask", &x.premask},
                                                                   {"mask", &x.mask},
                                                                   {"foreground", &x.foreground},
                                                                   {"background", &x.background},
                                                                   {"composite", &x.composite}};
        Json files = Json::array();
        for (const auto& [name, array] : arrays) {
            lx::Npy::write(dir + "/" + name + ".npy", *array);
            files.push_back(dir + "/" + name + ".npy");
        }
        lx::Png::write(dir + "/strip.png", strip(x, *model, int(scale)));
        files.push_back(dir + "/strip.png");
        out["files"] = files;
    }
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
}

// The JSON cgn-dataset prints, for its own run and for a merge of its shards' parts.
std::string cgnDatasetReport(const lx::CgnDatasetOptions& options, const lx::CgnModel& model, int64_t written,
                             int64_t skipped, double seconds)
{
    const Json out = {
        {"folder", options.folder},
        {"model", model.path()},
        {"device", model.deviceName()},
        {"images", options.count},
        {"cfs", options.counterfactuals},
        {"seed", options.seed},
        {"written", written},
        {"skipped", skipped},
        {"seconds", seconds},
        {"images_per_second", seconds > 0.0 ? double(written) / seconds : 0.0},
    };
    return out.dump(2);
}

int runCgnDataset(const CliArgs& args)
{
    args.allowOnly({"n", "cfs", "seed", "out", "batch", "quiet", "shard", "part"});
    lx::CgnDatasetOptions options;
    options.folder = args.require("out");
    options.count = args.integer("n", 0, 1, 10000000);
    options.counterfactuals = args.integer("cfs", 10, 1, 10000);
    const long long seed = args.integer("seed", 0, 0, CliArgs::kMaxSeed);
    options.batch = args.integer("batch", 256, 1, 65536);
    if (!args.has("n"))
        throw UsageError("--n (the number of images) must be given and at least 1");
    options.seed = static_cast<uint64_t>(seed);
    options.toolVersion = LX_VERSION;
    const lx::Shard shard = CliCommands::shardOf(args);
    if (args.has("shard") != args.has("part"))
        throw UsageError(
            "--shard K/N and --part PART go together (the shard's images go to --out, its record to --part)");
    std::tie(options.begin, options.end) = shard.slice(options.count);
    const bool quiet = args.flag("quiet");
    auto model = openCgn(args);
    auto shown = Clock::now();
    const lx::CgnDatasetResult r = lx::CgnDataset::write(*model, options, [&](long long done, long long total) {
        const auto now = Clock::now();
        if (quiet || (done < total && std::chrono::duration<double>(now - shown).count() < 0.5))
            return;
        shown = now;
        std::fprintf(stderr, "cgn-dataset: %lld/%lld images\n", done, total);
    });
    if (args.has("shard")) {
        // The shard's images are in the folder; its part records the range and the counts, and merge
        // completes the folder (labels.csv) the way a rerun of the whole command does.
        lx::PartialResult part;
        part.job = CliCommands::jobOf(args, "cgn-dataset",
                                      {{"folder", std::filesystem::absolute(options.folder).string()},
                                       {"n", std::to_string(options.count)},
                                       {"cfs", std::to_string(options.counterfactuals)},
                                       {"seed", std::to_string(options.seed)}});
        part.finish = lx::PartialSum::Finish::Sum;
        part.shard = shard;
        part.total = options.count;
        part.begin = options.begin;
        part.end = options.end;
        part.data = {{2}, {double(r.written), double(r.skipped)}, options.end - options.begin};
        part.meta = Json{{"model", std::filesystem::absolute(model->path()).string()}, {"batch", options.batch}}.dump();
        part.computeMs = r.seconds * 1000.0;
        part.write(args.require("part"));
    }
    std::printf("%s\n", cgnDatasetReport(options, *model, r.written, r.skipped, r.seconds).c_str());
    return 0;
}

// A merge of cgn-dataset's parts: every shard's images are in the folder `out`; the whole command run
// again skips them all and writes labels.csv. Prints the report with the shards' counts and time.
void finishCgnDataset(const lx::PartialResult& merged, const std::string& out)
{
    const Json meta = Json::parse(merged.meta);
    const auto job = [&](const std::string& key) {
        for (const auto& [k, v] : merged.job) {
            if (k == key)
                return v;
        }
        throw lx::Error("cgn-dataset parts: no " + key + " in the job");
    };
    auto model = lx::CgnModel::load(meta.at("model").get<std::string>());
    if (lx::Sha256::fileHex(model->path()) != job("model_sha256"))
        throw lx::Error(model->path() + " changed since the shards ran (its SHA-256 differs)");
    lx::CgnDatasetOptions options;
    options.folder = out;
    options.count = std::stoll(job("n"));
    options.counterfactuals = std::stoll(job("cfs"));
    options.seed = std::stoull(job("seed"));
    options.batch = meta.at("batch").get<int64_t>();
    options.toolVersion = LX_VERSION;
    const lx::CgnDatasetResult r = lx::CgnDataset::write(*model, options);
    if (r.written > 0)
        spdlog::warn("cgn-dataset merge: {} images were missing from {} and were rendered now", r.written, out);
    std::printf("%s\n",
                cgnDatasetReport(options, *model, int64_t(merged.data.sum[0]) + r.written, int64_t(merged.data.sum[1]),
                                 merged.computeMs / 1000.0)
                    .c_str());
}

} // namespace

int CliCommands::cgnInfo(const CliArgs& args)
{
    auto model = openCgn(args);
    const lx::Card& card = model->card();
    Json out;
    out["kind"] = lx::Card::kindName(card.kind);
    out["latent_shape"] = card.latentShape;
    out["output_shape"] = model->imageShape();
    out["output_range"] = {card.outputLow, card.outputHigh};
    if (!card.name.empty())
        out["name"] = card.name;
    if (!card.description.empty())
        out["description"] = card.description;
    out["classes"] = card.classes;
    out["mask_clamp"] = {card.maskLow, card.maskHigh};
    out["shuffle"] = card.shuffle == lx::CgnShuffle::Tile2x2 ? "tile2x2" : "none";
    out["noise"] = card.noise == lx::CgnNoise::Shared ? "shared" : "per_mechanism";
    out["methods"] = {"premask", "foreground", "background"};
    out["device"] = model->deviceName();
    out["layers"] = Json::array();
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
}

std::vector<CliCommand> CliCommands::cgnCommands()
{
    return {
        {"cgn",
         "mix a CGN's shape, texture and background mechanisms (.npy, PNG strip, JSON)",
         "Usage: latent-explorer-cli cgn MODEL [--shape SPEC] [--texture SPEC] [--background SPEC]\n"
         "                               [--seeds S | S1,S2,S3] [--out DIR] [--scale 4]\n\n"
         "Renders one image of a counterfactual generative network (card kind \"cgn\"). Each mechanism takes\n"
         "a class SPEC: CLASS (an index or a class name of the card), or CLASS:CLASS2:T for the class weights\n"
         "(1-T)*onehot(CLASS) + T*onehot(CLASS2), T in [0, 1] (default 0 for all three). --seeds gives the\n"
         "noise seeds of shape, texture and background (one seed = the same for all three; default 0,1,2).\n"
         "mask = clamp(premask, mask_clamp); foreground and background pass the shuffler when the card says\n"
         "tile2x2 (a circular shift drawn from the mechanism's seed); composite = mask*fg + (1-mask)*bg.\n"
         "Prints JSON: the inputs (with shuffle offsets), image_shape, mask_mean, the value ranges of each\n"
         "part and render_ms. With --out DIR also writes premask.npy, mask.npy [1, 1, H, W],\n"
         "foreground.npy, background.npy, composite.npy [1, 3, H, W] (model units) and strip.png (mask,\n"
         "foreground, background, composite; upscaled --scale times).\n",
         {},
         runCgn},
        {"cgn-dataset",
         "export a counterfactual dataset from a CGN (PNGs + labels.csv)",
         "Usage: latent-explorer-cli cgn-dataset MODEL --n N --out DIR [--cfs 10] [--seed 0] [--batch 256]\n"
         "                                       [--quiet] [--shard K/N --part PART]\n\n"
         "Writes N counterfactual images as in the paper: every --cfs consecutive images share one mask\n"
         "(shape class and noise); texture and background each get an independently drawn class and seed.\n"
         "All draws are a pure function of (--seed, --cfs, index). DIR gets images/NNNNNN.png (8-bit RGB),\n"
         "labels.csv (index,file,shape_class,texture_class,background_class,shape_seed,texture_seed,\n"
         "background_seed) and dataset.json (the parameters, the model's SHA-256, the class names). Every\n"
         "file is written atomically; running the same command again skips the images already there (an\n"
         "interrupted export resumes); a DIR holding a dataset with other parameters is refused. Progress\n"
         "goes to stderr (unless --quiet); prints JSON: written, skipped, seconds, images_per_second.\n"
         "--shard K/N (K = 0..N-1) writes only shard K's slice of the images into DIR (labels.csv only from\n"
         "shard 0, for its own images) and records it in PART; `merge PARTS --out DIR` completes labels.csv.\n",
         {"quiet"},
         runCgnDataset,
         false,
         finishCgnDataset,
         "part"},
    };
}

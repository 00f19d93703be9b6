#include "CliCommands.h"

#include "lx/ImageGrid.h"

#include "lx/Array.h"
#include "lx/Error.h"
#include "lx/HybridEngine.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/Npy.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>

double msSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

namespace {

const char kCommon[] =
    "\nCommon options:\n"
    "  --device auto|cpu|cuda   where to compute (default auto: CUDA when LibTorch has it)\n"
    "  --threads N              LibTorch intra-op threads (default: number of cores)\n"
    "  --verbose                log progress and timings to stderr\n";

} // namespace

lx::LoadOptions CliCommands::loadOptions(const CliArgs& args)
{
    lx::LoadOptions options;
    const std::string device = args.value("device", "auto");
    const std::optional<lx::DeviceChoice> choice = lx::parseDeviceChoice(device);
    if (!choice)
        throw UsageError("--device must be auto, cpu or cuda, got '" + device + "'");
    options.device = *choice;
    const long long threads = args.integer("threads", 0);
    if (threads < 0 || threads > 1024)
        throw UsageError("--threads must be between 0 and 1024");
    options.threads = static_cast<int>(threads);
    return options;
}

namespace {

std::vector<uint64_t> seedsOf(const CliArgs& args) { return CliCommands::seedList(args, "seeds"); }

int runInfo(const CliArgs& args)
{
    args.allowOnly({});
    const lx::ModelKind kind = lx::Model::readCard(args.positionalAt(0, "MODEL argument")).kind;
    if (kind == lx::ModelKind::Cgn)
        return CliCommands::cgnInfo(args);
    if (kind == lx::ModelKind::VqVae)
        return CliCommands::vqInfo(args);
    auto model = CliCommands::openModel(args);
    nlohmann::ordered_json out;
    const lx::Card& card = model->card();
    out["kind"] = lx::Card::kindName(card.kind);
    out["latent_shape"] = card.latentShape;
    out["output_shape"] = model->outputShape();
    out["output_range"] = {card.outputLow, card.outputHigh};
    if (!card.name.empty())
        out["name"] = card.name;
    if (!card.description.empty())
        out["description"] = card.description;
    if (card.conditional())
        out["class_input"] = {{"encoding", card.classEncoding == lx::ClassEncoding::Index ? "index" : "onehot"},
                              {"classes", card.inputClasses}};
    out["device"] = model->deviceName();
    out["layers"] = nlohmann::json::array();
    for (const lx::LayerInfo& layer : model->layers())
        out["layers"].push_back({{"name", layer.name}, {"type", layer.type}, {"shape", layer.shape}});
    const lx::LayerDiscovery& discovery = model->discovery();
    out["layer_discovery"] = {{"method", discovery.method}, {"path", discovery.path}, {"rejected", discovery.rejected}};
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
}

int runSample(const CliArgs& args)
{
    args.allowOnly({"seeds", "truncation", "out"});
    auto model = CliCommands::openModel(args);
    const lx::Array z =
        lx::LatentSampler(model->card().latentShape).sample(seedsOf(args), args.real("truncation", 0.0));
    lx::Npy::write(args.require("out"), z);
    return 0;
}

int runGenerate(const CliArgs& args)
{
    args.allowOnly({"latents", "classes", "out"});
    const std::string out = args.require("out");
    auto model = CliCommands::openModel(args);
    const lx::Array latents = args.npy("latents");
    const lx::Array classes = CliCommands::classes(args, latents.rank() > 0 ? latents.dim(0) : 0);
    lx::Npy::write(out, model->generate(latents, classes));
    return 0;
}

int runHybrid(const CliArgs& args)
{
    args.allowOnly({"layer", "channels", "latents", "classes", "out"});
    const std::string out = args.require("out");
    const std::vector<int> channels = args.intList("channels");
    const lx::Array latents = args.npy("latents");
    const lx::Array classes = CliCommands::classes(args, latents.rank() > 0 ? latents.dim(0) : 0);
    auto model = CliCommands::openModel(args);
    const int layer = model->requireLayer(args.require("layer"));
    const auto start = std::chrono::steady_clock::now();
    const lx::Array x = lx::HybridEngine::hybridPairs(*model, layer, channels, latents, 64, classes);
    const double ms = msSince(start);
    spdlog::info("hybrid: {} pairs at layer {} ({} channels) in {:.2f} ms", x.dim(0), args.require("layer"),
                 channels.size(), ms);
    lx::Npy::write(out, x);
    return 0;
}

} // namespace

std::vector<uint64_t> CliCommands::seedList(const CliArgs& args, const std::string& name)
{
    std::vector<uint64_t> seeds;
    for (long long s : CliArgs::parseList(args.require(name), "--" + name, 0, CliArgs::kMaxSeed))
        seeds.push_back(static_cast<uint64_t>(s));
    if (seeds.empty())
        throw UsageError("--" + name + " is empty");
    return seeds;
}

lx::Array CliCommands::classes(const CliArgs& args, int64_t rows)
{
    if (!args.has("classes"))
        return lx::Array();
    const lx::Array c = args.npy("classes");
    if (c.numel() != rows)
        throw lx::Error(args.require("classes") + ": " + std::to_string(c.numel()) + " class indices for "
                        + std::to_string(rows) + " latents (one per latent row)");
    return c.reshaped({rows});
}

std::unique_ptr<lx::Model> CliCommands::openModel(const CliArgs& args)
{
    return lx::Model::load(args.positionalAt(0, "MODEL argument"), loadOptions(args));
}

const std::vector<CliCommand>& CliCommands::all()
{
    static const std::vector<CliCommand> commands = [] {
        std::vector<CliCommand> list = modelCommands();
        for (auto family : {moduleCommands, responseCommands, shapesCommands, moduleAssayCommands, interventionCommands,
                            renderCommands, cgnCommands, exploreCommands, vqCommands, clusterCommands, slurmCommands}) {
            for (CliCommand& c : family())
                list.push_back(std::move(c));
        }
        return list;
    }();
    return commands;
}

const CliCommand* CliCommands::find(const std::string& name)
{
    for (const CliCommand& c : all()) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

std::set<std::string> CliCommands::allFlags()
{
    std::set<std::string> flags{"help", "verbose"};
    for (const CliCommand& c : all())
        flags.insert(c.flags.begin(), c.flags.end());
    return flags;
}

std::vector<CliCommand> CliCommands::modelCommands()
{
    return {
        {"info",
         "describe a model: kind, shapes, layers (JSON)",
         "Usage: latent-explorer-cli info MODEL\n\n"
         "Prints JSON: kind, latent_shape, output_shape, output_range, device, layers[{name, type, shape}],\n"
         "and how the layers were found (layer_discovery, with the reasons candidates were rejected).\n"
         "For a cgn (counterfactual generative network): kind, latent_shape, output_shape, output_range,\n"
         "classes, mask_clamp, shuffle, noise, methods, device (no layers).\n"
         "For a vqvae (VQ-VAE over code indices, with or without a causal transition): kind, input_shape,\n"
         "output_shape, latent_shape (= grid_shape [B, h, w]), output_range, codebook_size, nodes,\n"
         "factors, actions, dataset, methods, device (no layers).\n",
         {},
         runInfo},
        {"sample",
         "latents from integer seeds (.npy)",
         "Usage: latent-explorer-cli sample MODEL --seeds 0-7 --out Z.npy [--truncation T]\n\n"
         "Writes one standard-normal latent per seed, shape (N, *latent_shape). The same seed gives the\n"
         "same latent on every machine. --seeds takes lists and ranges: 0,5,9 or 0-63. --truncation T > 0\n"
         "redraws values with |v| > T.\n",
         {},
         runSample},
        {"generate",
         "images for latents (.npy)",
         "Usage: latent-explorer-cli generate MODEL --latents Z.npy [--classes C.npy] --out X.npy\n\n"
         "X is (N, *output_shape) in raw model units: forward(z), or decode(z) for autoencoders. A\n"
         "class-conditional model (card class_input) needs --classes: one class index per latent row\n"
         "(float32 whole numbers or int64), and runs forward(z, y).\n",
         {},
         runGenerate},
        {"hybrid",
         "counterfactual hybrids at a layer (.npy)",
         "Usage: latent-explorer-cli hybrid MODEL --layer L --channels 3,17,200 --latents Z.npy [--classes C.npy]\n"
         "                              --out X.npy\n\n"
         "Z holds 2N latents; pair i is (Z[i], Z[N+i]). The output of layer L for the listed channels is\n"
         "taken from Z[N+i], every other value the rest of the network needs (other inputs, skip\n"
         "connections, class embeddings) from Z[i]'s pass, and the forward pass continues. X is\n"
         "(N, C, H, W) in raw model units. --channels accepts lists and ranges (0-15,40); an empty list\n"
         "gives x(Z[i]). A class-conditional model needs --classes (one index per row of Z: pair i is\n"
         "(Z[i], C[i]) with (Z[N+i], C[N+i])).\n",
         {},
         runHybrid},
    };
}

const char* CliCommands::commonHelp() { return kCommon; }

lx::Image8 CliCommands::displayImage(const lx::Array& batch, int64_t index, const lx::Model& model)
{
    lx::ImageGridOptions options;
    options.low = model.card().outputLow;
    options.high = model.card().outputHigh;
    options.padding = 0;
    return lx::ImageGrid::compose({batch.row(index)}, 1, 1, options);
}

#ifndef LX_HAVE_FIGURES
// Without Qt (LX_BUILD_GUI=OFF) there is no figure drawing; `render` says so instead of being missing.
std::vector<CliCommand> CliCommands::renderCommands()
{
    return {{"render",
             "remake an exported figure from its session (needs a build with Qt)",
             "Usage: latent-explorer-cli render SESSION --out FIG.pdf\n\nThis build has no figure drawing.\n",
             {},
             [](const CliArgs&) -> int {
                 throw lx::Error("render needs Qt Gui: this latent-explorer-cli was built with LX_BUILD_GUI=OFF");
             }}};
}
#endif

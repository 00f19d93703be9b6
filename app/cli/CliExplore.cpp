// Exploration, headless: `directions` computes GANSpace PCA directions at a layer (what the
// Explore tab's sliders use); `interpolate` writes the path from z1 to z2 as images and an animated GIF.
#include "CliCommands.h"

#include "lx/Error.h"
#include "lx/Exploration.h"
#include "lx/SeedClasses.h"
#include "lx/Gif.h"
#include "lx/LatentSampler.h"
#include "lx/Model.h"
#include "lx/Npy.h"
#include "lx/PcaDirections.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace {

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int runDirections(const CliArgs& args)
{
    args.allowOnly({"layer", "samples", "k", "first-seed", "out"});
    const long long samples = args.integer("samples", 2000, 2, 10000000), k = args.integer("k", 6, 1, 64);
    const long long first = args.integer("first-seed", 0, 0, CliArgs::kMaxSeed);
    auto model = CliCommands::openModel(args);
    const int layer = model->requireLayer(args.require("layer"));
    const auto start = std::chrono::steady_clock::now();
    const lx::PcaDirectionsResult r = lx::PcaDirections::compute(*model, layer, samples, int(k), uint64_t(first));
    const double seconds = secondsSince(start);
    if (args.has("out"))
        lx::Npy::write(args.require("out"), r.latentDirections);
    nlohmann::ordered_json out;
    out["layer"] = r.layerName;
    out["samples"] = r.samples;
    out["first_seed"] = r.firstSeed;
    out["sigma"] = r.sigma;
    out["explained"] = r.explained;
    out["seconds"] = seconds;
    if (args.has("out"))
        out["directions"] = args.require("out");
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
}

int runInterpolate(const CliArgs& args)
{
    args.allowOnly({"seeds", "frames", "mode", "out", "gif", "fps", "classes", "class-path"});
    const std::vector<uint64_t> seeds = CliCommands::seedList(args, "seeds");
    if (seeds.size() != 2)
        throw UsageError("--seeds takes two seeds: z1,z2");
    const long long frames = args.integer("frames", 9), fps = args.integer("fps", 25);
    if (frames < 2 || frames > 1000 || fps < 1 || fps > 100)
        throw UsageError("--frames must lie in 2..1000 and --fps in 1..100");
    const lx::Interpolation mode = lx::Exploration::modeFromName(args.value("mode", "spherical"));
    if (!args.has("out") && !args.has("gif"))
        throw UsageError("give --out X.npy and/or --gif F.gif");
    const std::string classPath = args.value("class-path", "latent");
    if (classPath != "latent" && classPath != "class" && classPath != "both")
        throw UsageError("--class-path must be latent, class or both");
    const std::vector<int> classes = args.has("classes") ? args.intList("classes") : std::vector<int>();
    if (classes.size() > 2 || (classPath != "latent" && classes.size() != 2))
        throw UsageError("--classes takes z1's class, or two classes C1,C2 (needed by --class-path class|both)");
    auto model = CliCommands::openModel(args);
    const lx::LatentSampler sampler(model->card().latentShape);
    const lx::Array z1 = sampler.sample({seeds[0]});
    lx::Array path = classPath == "class" ? lx::Array::stack(std::vector<lx::Array>(size_t(frames), z1.row(0)))
                                          : lx::Exploration::interpolate(z1, sampler.sample({seeds[1]}), frames, mode);
    lx::Array y;
    if (classPath != "latent") {
        if (model->card().classEncoding != lx::ClassEncoding::OneHot)
            throw lx::Error("--class-path " + classPath + ": the model's class_input encoding is not \"onehot\", so its "
                            "class cannot be interpolated");
        y = lx::Exploration::classPath(int64_t(model->card().inputClasses.size()), classes[0], classes[1], frames);
    } else if (!classes.empty()) {
        y = lx::SeedClasses::repeated(model->card(), classes[0], frames);
        if (y.numel() == 0)
            throw lx::Error("--classes: the model is not class-conditional (its card has no class_input)");
    }
    const lx::Array images = model->generate(path, y); // path: [frames, *latent_shape]
    if (args.has("out"))
        lx::Npy::write(args.require("out"), images);
    if (args.has("gif")) {
        std::vector<lx::Image8> gif;
        for (int64_t i = 0; i < images.dim(0); ++i)
            gif.push_back(CliCommands::displayImage(images, i, *model));
        lx::Gif::write(args.require("gif"), gif, std::max(1, int(std::lround(100.0 / double(fps)))));
    }
    nlohmann::ordered_json out;
    out["seeds"] = seeds;
    out["frames"] = frames;
    out["mode"] = lx::Exploration::modeName(mode);
    if (!classes.empty()) {
        out["classes"] = classes;
        out["class_path"] = classPath;
    }
    if (args.has("out"))
        out["out"] = args.require("out");
    if (args.has("gif"))
        out["gif"] = args.require("gif");
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
}

} // namespace

std::vector<CliCommand> CliCommands::exploreCommands()
{
    return {
        {"directions",
         "PCA (GANSpace) latent directions of a layer's activations (JSON, .npy)",
         "Usage: latent-explorer-cli directions MODEL --layer L [--samples 2000] [--k 6] [--first-seed 0]\n"
         "                                      [--out U.npy]\n\n"
         "The top K principal components of layer L's activations over the prior samples of seeds\n"
         "first-seed .. first-seed+samples-1, each regressed back to the latent: U[k] is the latent step\n"
         "per unit of component k's coordinate, so z + s * sigma[k] * U[k] moves the layer by about s\n"
         "standard deviations along it (the GUI's Explore tab uses the same). Prints JSON: sigma,\n"
         "explained (variance fractions), seconds.\n",
         {},
         runDirections},
        {"interpolate",
         "images along the path from z1 to z2 (.npy, animated GIF)",
         "Usage: latent-explorer-cli interpolate MODEL --seeds Z1,Z2 [--frames 9] [--mode spherical|linear]\n"
         "                                       [--out X.npy] [--gif F.gif] [--fps 25]\n"
         "                                       [--classes C1[,C2]] [--class-path latent|class|both]\n\n"
         "t_i = i / (frames - 1); spherical (slerp) keeps Gaussian latents at a typical norm. X is\n"
         "(frames, *output_shape) in model units; the GIF loops, gray images keep their 256 levels.\n"
         "A class-conditional model needs --classes: the path runs in class C1 (latent), or, for a one-hot\n"
         "model, its class moves from C1 to C2 as (1 - t) e_C1 + t e_C2 with z1 fixed (class) or along\n"
         "with the latent (both).\n",
         {},
         runInterpolate},
    };
}

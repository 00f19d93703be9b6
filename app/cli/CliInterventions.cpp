// Live interventions: `edit` replays a per-layer edit (sessions and figures remake it
// headless), `bench` measures what a slider drag costs in the GUI's path.
#include "CliCommands.h"

#include "lx/Array.h"
#include "lx/BenchStats.h"
#include "lx/Error.h"
#include "lx/HybridEngine.h"
#include "lx/LatentSampler.h"
#include "lx/LayerEdit.h"
#include "lx/Model.h"
#include "lx/Npy.h"
#include "lx/Runtime.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace {

std::string readText(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw lx::Error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

int runEdit(const CliArgs& args)
{
    args.allowOnly({"layer", "edit", "latents", "classes", "out"});
    const std::string out = args.require("out");
    const std::string editPath = args.require("edit");
    args.require("latents"); // usage first (exit 2), then the files (exit 1)
    const std::string layerName = args.require("layer");
    const lx::LayerEdit edit = lx::LayerEdit::fromJson(readText(editPath));
    const lx::Array latents = args.npy("latents");
    const lx::Array classes = CliCommands::classes(args, latents.rank() > 0 ? latents.dim(0) : 0);
    auto model = CliCommands::openModel(args);
    const int layer = model->requireLayer(layerName);
    const lx::Array z = model->normalizeLatents(latents, "latents");
    if (z.dim(0) % 2 != 0)
        throw lx::Error("latents: expected 2N latents (pairs (Z[i], Z[N+i])), got " + std::to_string(z.dim(0)));
    const int64_t n = z.dim(0) / 2;
    lx::HybridEngine engine(*model);
    engine.setInputs(layer, z.rows(0, n), z.rows(n, 2 * n), classes.numel() ? classes.rows(0, n) : lx::Array(),
                     classes.numel() ? classes.rows(n, 2 * n) : lx::Array());
    lx::Npy::write(out, engine.intervene(edit));
    return 0;
}

int runBench(const CliArgs& args)
{
    args.allowOnly({"layer", "frames", "channels", "seed", "classes"});
    const long long frames = args.integer("frames", 200);
    if (frames < 5 || frames > 1000000)
        throw UsageError("--frames must lie in 5..1000000");
    const long long seed = args.integer("seed", 0, 0, CliArgs::kMaxSeed);
    const std::string layerName = args.require("layer");
    auto model = CliCommands::openModel(args);
    const int layer = model->requireLayer(layerName);
    std::vector<int> channels = args.has("channels") ? args.intList("channels") : std::vector<int>{};
    const int64_t channelCount = model->layers()[size_t(layer)].channels();
    if (channels.empty()) {
        // Default: a quarter of the layer's channels, as a selected module would be.
        for (int c = 0; c < std::max<int64_t>(1, channelCount / 4); ++c)
            channels.push_back(c);
    }
    const lx::LatentSampler sampler(model->card().latentShape);
    const lx::Array z1 = sampler.sample({uint64_t(seed)}), z2 = sampler.sample({uint64_t(seed) + 1});
    const lx::Array classes = CliCommands::classes(args, 2);
    lx::HybridEngine engine(*model);
    engine.setInputs(layer, z1, z2, classes.numel() ? classes.rows(0, 1) : lx::Array(),
                     classes.numel() ? classes.rows(1, 2) : lx::Array());

    // A slider drag: each frame scales the selected channels by a new factor, then the image is made
    // ready for display. The bare suffix forward is the same engine with an identity edit.
    lx::LayerEdit edit;
    edit.interventions.push_back({lx::EditOp::Scale, channels, 1.0, {}, 0, 0, true});
    long long frame = 0;
    const int warmup = 5;
    for (int i = 0; i < warmup; ++i)
        CliCommands::displayImage(engine.intervene(edit), 0, *model);
    const std::vector<double> frameMs = lx::BenchStats::timeMs(int(frames), [&] {
        edit.interventions[0].value = 1.0 + std::sin(0.05 * double(frame++));
        CliCommands::displayImage(engine.intervene(edit), 0, *model);
    });
    const lx::LayerEdit identity;
    const std::vector<double> suffixMs = lx::BenchStats::timeMs(int(frames), [&] { engine.intervene(identity); });
    const std::vector<double> fullMs = lx::BenchStats::timeMs(
        int(frames), [&] { model->generate(z1, classes.numel() ? classes.rows(0, 1) : lx::Array()); });

    const double frame50 = lx::BenchStats::percentile(frameMs, 50), frame95 = lx::BenchStats::percentile(frameMs, 95);
    const double suffix50 = lx::BenchStats::percentile(suffixMs, 50),
                 suffix95 = lx::BenchStats::percentile(suffixMs, 95);
    const nlohmann::json result = {
        {"model", model->path()},
        {"layer", layerName},
        {"channels", channels.size()},
        {"frames", frames},
        {"device", model->deviceName()},
        {"threads", model->threads()},
        {"frame_p50_ms", frame50},
        {"frame_p95_ms", frame95},
        {"suffix_p50_ms", suffix50},
        {"suffix_p95_ms", suffix95},
        {"full_p50_ms", lx::BenchStats::percentile(fullMs, 50)},
        {"fps_p50", frame50 > 0 ? 1000.0 / frame50 : 0.0},
        // What the intervention and the display conversion add on top of the bare suffix forward.
        {"overhead_p50_pct", suffix50 > 0 ? 100.0 * (frame50 / suffix50 - 1.0) : 0.0},
        {"overhead_p95_pct", suffix95 > 0 ? 100.0 * (frame95 / suffix95 - 1.0) : 0.0},
    };
    std::printf("%s\n", result.dump(2).c_str());
    return 0;
}

} // namespace

std::vector<CliCommand> CliCommands::interventionCommands()
{
    return {
        {"edit",
         "apply a per-layer intervention edit to latent pairs (.npy)",
         "Usage: latent-explorer-cli edit MODEL --layer L --edit EDIT.json --latents Z.npy [--classes C.npy] --out "
         "X.npy\n\n"
         "Z holds 2N latents; pair i is (Z[i], Z[N+i]). Layer L's output for Z[i] is edited and the rest of\n"
         "the network runs; copy-donor interventions take values from Z[N+i]. X is (N, *output_shape).\n"
         "EDIT.json: {\"interventions\": [{\"op\": \"set|scale|offset|ablate|copy-donor\", \"channels\": [..],\n"
         "\"value\": v, \"enabled\": true, \"mask\": {\"height\": h, \"width\": w, \"values\": [h*w values in\n"
         "[0, 1]]}}]}, applied in order; a mask (any resolution) is area-pooled to the layer's size and blends\n"
         "h + m * (target - h). The GUI's session files hold the same edits.\n",
         {},
         runEdit},
        {"bench",
         "frame times of a slider drag at a layer (JSON)",
         "Usage: latent-explorer-cli bench MODEL --layer L [--frames 200] [--channels LIST] [--seed 0]\n"
         "                             [--classes C.npy]   (two class indices, for a class-conditional model)\n\n"
         "Times what one slider step costs in the GUI's path: the selected channels (default: the first\n"
         "quarter of the layer's) are scaled by a new factor, the layers after L run from the cached\n"
         "activations, and the image is converted to 8 bits for display. Prints JSON: frame_p50_ms,\n"
         "frame_p95_ms (a slider step), suffix_p50_ms / suffix_p95_ms (bare forward from the layer),\n"
         "full_p50_ms (bare full forward), fps_p50 and overhead_p50_pct / overhead_p95_pct (frame vs\n"
         "bare suffix). Run it on an idle machine.\n",
         {},
         runBench},
    };
}

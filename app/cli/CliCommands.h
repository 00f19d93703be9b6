#pragma once
// The subcommands of latent-explorer-cli (CLI contract v1 in docs/ARCHITECTURE.md). Each returns the exit code;
// bad usage throws UsageError (exit 2), bad input throws lx::Error (exit 1).
#include "CliArgs.h"

#include "lx/Image8.h"
#include "lx/Model.h"
#include "lx/PartialResult.h"
#include "lx/Shard.h"

#include <chrono>
#include <memory>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace lx {
class FactorDataset;
}

// Milliseconds since `start`, for the timings commands print.
double msSince(std::chrono::steady_clock::time_point start);

struct CliCommand {
    std::string name;
    std::string summary;
    std::string usage; // full help text for `latent-explorer-cli NAME --help`
    std::set<std::string> flags;
    std::function<int(const CliArgs&)> run;
    // Runs another command given after it (slurm): its arguments are parsed with every command's flags.
    bool wrapsCommand = false;
    // Set for a command that takes --shard K/N: writes the result of the merged parts to `out`, the file
    // the unsharded command writes (`merge`, and so `slurm`, run it).
    std::function<void(const lx::PartialResult& merged, const std::string& out)> finishMerge = {};
    // The option a shard writes its part to: --out, or --part for a command whose --out every shard
    // writes into (cgn-dataset's folder).
    std::string partOption = "out";
};

class CliCommands {
public:
    // Every command, in help order: model commands (this file), then each method family's.
    static const std::vector<CliCommand>& all();
    // One list per method family, each defined in its own CliXxx.cpp.
    static std::vector<CliCommand> modelCommands(); // info, sample, generate, hybrid
    static std::vector<CliCommand> moduleCommands(); // influence, modules (CliModules.cpp)
    static std::vector<CliCommand> responseCommands(); // responses, encode, response-map, iterate (CliResponses.cpp)
    static std::vector<CliCommand> shapesCommands(); // shapes, conditioned (CliShapes.cpp)
    static std::vector<CliCommand> interventionCommands(); // edit, bench (CliInterventions.cpp)
    static std::vector<CliCommand> moduleAssayCommands(); // module-grid, robustness (CliModuleAssays.cpp)
    static std::vector<CliCommand> renderCommands(); // render (CliRender.cpp; needs Qt Gui)
    static std::vector<CliCommand> cgnCommands(); // cgn, cgn-dataset (CliCgn.cpp)
    static std::vector<CliCommand> exploreCommands(); // directions, interpolate (CliExplore.cpp)
    static std::vector<CliCommand> clusterCommands(); // merge, sweep-table (CliCluster.cpp)
    static std::vector<CliCommand> slurmCommands(); // slurm (CliSlurm.cpp)
    // The command NAME; nullptr when there is none.
    static const CliCommand* find(const std::string& name);
    // Every command's flags (options without a value) and the common ones: how a command that runs
    // another (slurm) reads that command's arguments.
    static std::set<std::string> allFlags();
    static std::vector<CliCommand> vqCommands(); // vq-encode, vq-decode, vq-apply, vq-evaluate (CliVq.cpp)
    // `info` on a model file whose card says cgn (CliCgn.cpp).
    static int cgnInfo(const CliArgs& args);
    // `info` on a model file whose card says vqvae (CliVq.cpp).
    static int vqInfo(const CliArgs& args);
    // --indices of a factor dataset: all, random:N (with --seed) or a list and ranges (CliShapes.cpp).
    static std::vector<int64_t> datasetIndices(const CliArgs& args, const lx::FactorDataset& data);
    // Seeds from option --NAME (lists and ranges, as `sample --seeds`): non-negative, not empty.
    static std::vector<uint64_t> seedList(const CliArgs& args, const std::string& name);
    // The class indices of --classes C.npy (one per latent row, float32 whole numbers or int64), flattened
    // to [rows]; empty when the option is absent. Throws lx::Error naming the file on a count mismatch.
    static lx::Array classes(const CliArgs& args, int64_t rows);
    // Opens the MODEL positional with --device / --threads applied.
    static std::unique_ptr<lx::Model> openModel(const CliArgs& args);
    // Sample `index` of model output as the GUI shows it: 8-bit, through the card's output_range, no padding.
    static lx::Image8 displayImage(const lx::Array& batch, int64_t index, const lx::Model& model);
    // --shard K/N (lx::Shard::parse; a bad value is a UsageError); the whole job when absent.
    static lx::Shard shardOf(const CliArgs& args);
    // The job identity every part of a sharded command records (lx::PartialResult::job): the command,
    // the MODEL positional's SHA-256, then `more` (parameters and the SHA-256 of input files).
    static std::vector<std::pair<std::string, std::string>> jobOf(
        const CliArgs& args, const std::string& command, std::vector<std::pair<std::string, std::string>> more);
    // finishMerge of the commands whose result is the finished sum as .npy (influence, responses).
    static void mergeToNpy(const lx::PartialResult& merged, const std::string& out);
    // SHA-256 of the file option --NAME names, as a job entry "NAME_sha256".
    static std::pair<std::string, std::string> fileHash(const CliArgs& args, const std::string& name);
    // --device / --threads as load options.
    static lx::LoadOptions loadOptions(const CliArgs& args);
    // The options every command accepts, for help texts.
    static const char* commonHelp();
};

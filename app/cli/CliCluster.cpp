// Sharded jobs: `--shard K/N` support shared by the commands that have it, `merge`, and the table
// that ends a sweep over models.
#include "CliCommands.h"

#include "lx/AtomicFile.h"
#include "lx/ConditionedResponse.h"
#include "lx/Error.h"
#include "lx/Npy.h"
#include "lx/PartialResult.h"
#include "lx/Sha256.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <sstream>

lx::Shard CliCommands::shardOf(const CliArgs& args)
{
    if (!args.has("shard"))
        return lx::Shard{};
    try {
        return lx::Shard::parse(args.require("shard"));
    } catch (const lx::Error& e) {
        throw UsageError(std::string("--") + e.what());
    }
}

std::pair<std::string, std::string> CliCommands::fileHash(const CliArgs& args, const std::string& name)
{
    return {name + "_sha256", lx::Sha256::fileHex(args.require(name))};
}

std::vector<std::pair<std::string, std::string>> CliCommands::jobOf(
    const CliArgs& args, const std::string& command, std::vector<std::pair<std::string, std::string>> more)
{
    std::vector<std::pair<std::string, std::string>> job{
        {"command", command}, {"model_sha256", lx::Sha256::fileHex(args.positionalAt(0, "MODEL argument"))}};
    job.insert(job.end(), more.begin(), more.end());
    return job;
}

void CliCommands::mergeToNpy(const lx::PartialResult& merged, const std::string& out)
{
    lx::Npy::write(out, merged.data.finished(merged.finish));
}

namespace {

// "a,b" as one CSV field (quoted when it holds a comma, quote or newline).
std::string csvField(const std::string& text)
{
    if (text.find_first_of(",\"\n\r") == std::string::npos)
        return text;
    std::string out = "\"";
    for (char c : text)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

int runMerge(const CliArgs& args)
{
    args.allowOnly({"out"});
    const std::string out = args.require("out");
    if (args.positional().empty())
        throw UsageError("missing PARTS (the files the shards wrote)");
    std::vector<std::pair<std::string, lx::PartialResult>> parts;
    for (const std::string& path : args.positional())
        parts.emplace_back(path, lx::PartialResult::read(path));
    const lx::PartialResult merged = lx::PartialResult::merge(parts);
    const std::string command = merged.job.empty() ? "" : merged.job.front().second;
    const CliCommand* c = CliCommands::find(command);
    if (!c || !c->finishMerge)
        throw lx::Error(parts.front().first + ": parts of '" + lx::printable(command)
                        + "', which this version cannot merge");
    for (const auto& [path, p] : parts)
        spdlog::info("merge: shard {} items [{}, {}) in {:.1f} ms ({})", p.shard.text(), p.begin, p.end, p.computeMs,
                     path);
    spdlog::info("merge: {} parts of {} ({} items, {:.1f} ms of shard time)", parts.size(), command, merged.data.count,
                 merged.computeMs);
    c->finishMerge(merged, out);
    // Where the result came from, beside it (the GUI reads it when it opens the result).
    nlohmann::ordered_json provenance;
    provenance["tool"] = std::string("latent-explorer-cli ") + LX_VERSION;
    provenance["job"] = nlohmann::ordered_json::object();
    for (const auto& [key, value] : merged.job)
        provenance["job"][key] = value;
    provenance["shards"] = parts.front().second.shard.count;
    provenance["items"] = merged.data.count;
    provenance["shard_compute_ms"] = merged.computeMs;
    lx::AtomicFile::write(out + ".provenance.json", provenance.dump(2) + "\n");
    return 0;
}

// One row of a sweep's table: the scores of model k's result.
nlohmann::ordered_json sweepRow(const std::string& command, const std::string& results, int64_t k,
                                const std::string& model)
{
    const std::string stem = results + "/model-" + std::to_string(k);
    if (!std::filesystem::exists(stem + ".npy"))
        throw lx::Error("model " + std::to_string(k) + " (" + model + ") has no result " + stem
                        + ".npy: its task failed or has not run; see the job's logs/task-" + std::to_string(k)
                        + ".out");
    const lx::Array m = lx::Npy::read(stem + ".npy");
    nlohmann::ordered_json row;
    row["index"] = k;
    row["model"] = model;
    row["model_sha256"] = lx::Sha256::fileHex(model);
    row["result"] = stem + ".npy";
    if (m.rank() != 2)
        throw lx::Error(stem + ".npy: expected a matrix, got shape " + lx::Array::shapeString(m.shape()));
    const int64_t rows = m.dim(0), d = m.dim(1);
    row["dims"] = d;
    if (command == "conditioned") {
        const nlohmann::json report = nlohmann::json::parse(lx::AtomicFile::read(stem + ".json"));
        row["dataset"] = report.at("dataset");
        row["factors"] = report.at("factors");
        row["cds"] = lx::causalDisentanglementScore(m);
        return row;
    }
    if (rows != d)
        throw lx::Error(stem + ".npy: a response matrix is square, got shape " + lx::Array::shapeString(m.shape()));
    // Informative dimensions light up on the diagonal, collapsed ones stay near 0; off-diagonal entries
    // are links between dimensions (Leeb et al.).
    double diagonal = 0, off = 0;
    std::vector<float> diag;
    for (int64_t i = 0; i < d; ++i)
        for (int64_t j = 0; j < d; ++j) {
            const float v = m.ptr()[i * d + j];
            (i == j ? diagonal : off) += v;
            if (i == j)
                diag.push_back(v);
        }
    row["diagonal_mean"] = diagonal / double(d);
    row["off_diagonal_mean"] = d > 1 ? off / double(d * (d - 1)) : 0.0;
    row["diagonal"] = diag;
    return row;
}

int runSweepTable(const CliArgs& args)
{
    args.allowOnly({"command", "models", "results", "out"});
    const std::string command = args.require("command"), out = args.require("out");
    if (command != "responses" && command != "conditioned")
        throw UsageError("--command must be responses or conditioned, got '" + command + "'");
    const std::string results = args.require("results");
    std::istringstream list(lx::AtomicFile::read(args.require("models")));
    nlohmann::ordered_json table = nlohmann::ordered_json::array();
    std::string line;
    int64_t k = 0;
    while (std::getline(list, line)) {
        if (!line.empty())
            table.push_back(sweepRow(command, results, k++, line));
    }
    if (table.empty())
        throw lx::Error(args.require("models") + ": lists no models");
    const bool conditioned = command == "conditioned";
    std::string csv = conditioned ? "index,model,model_sha256,dataset,dims,cds,result\n"
                                  : "index,model,model_sha256,dims,diagonal_mean,off_diagonal_mean,result\n";
    for (const auto& row : table) {
        csv += std::to_string(row["index"].get<int64_t>()) + "," + csvField(row["model"].get<std::string>()) + ","
            + row["model_sha256"].get<std::string>() + ",";
        if (conditioned)
            csv += csvField(row["dataset"].get<std::string>()) + "," + std::to_string(row["dims"].get<int64_t>()) + ","
                + row["cds"].dump();
        else
            csv += std::to_string(row["dims"].get<int64_t>()) + "," + row["diagonal_mean"].dump() + ","
                + row["off_diagonal_mean"].dump();
        csv += "," + csvField(row["result"].get<std::string>()) + "\n";
    }
    const std::filesystem::path csvPath(out);
    std::filesystem::path jsonPath = csvPath;
    jsonPath.replace_extension(".json");
    if (jsonPath == csvPath)
        jsonPath += ".json";
    lx::AtomicFile::write(jsonPath.string(),
                          nlohmann::ordered_json{{"command", command}, {"models", table}}.dump(2) + "\n");
    lx::AtomicFile::write(out, csv);
    spdlog::info("sweep-table: {} models into {} and {}", table.size(), out, jsonPath.string());
    return 0;
}

} // namespace

std::vector<CliCommand> CliCommands::clusterCommands()
{
    return {
        {"merge",
         "merge the parts of a sharded job into its result",
         "Usage: latent-explorer-cli merge PARTS... --out RESULT\n\n"
         "PARTS are the files a command run with --shard K/N wrote, one per shard K = 0..N-1, in any order.\n"
         "They must be one job: the same command, model file (SHA-256), parameters and input files, the\n"
         "same N, every shard once; otherwise merge names the part at fault (or the shards missing) and\n"
         "writes nothing. Parts hold float64 sums and counts, added in shard order and finished once, so\n"
         "RESULT is the file the unsharded command writes (a merge of N = 1 bit for bit; for N > 1 up to\n"
         "the order of float64 additions). RESULT.provenance.json records the job and the shards' time.\n",
         {},
         runMerge},
        {"sweep-table",
         "one table of scores from a sweep's per-model results (CSV + JSON)",
         "Usage: latent-explorer-cli sweep-table --command responses|conditioned --models LIST.txt\n"
         "           --results DIR --out TABLE.csv\n\n"
         "The last job of `slurm responses|conditioned --models LIST.txt`: model k (line k of LIST, from 0)\n"
         "has its result in DIR/model-k.npy (and DIR/model-k.json for conditioned). TABLE.csv has one row\n"
         "per model: index, model, model_sha256, then for conditioned dataset, dims, cds (the causal\n"
         "disentanglement score of C); for responses dims, diagonal_mean, off_diagonal_mean of the response\n"
         "matrix; and the result file. TABLE.json holds the same rows, with the factors or the diagonal.\n",
         {},
         runSweepTable},
    };
}

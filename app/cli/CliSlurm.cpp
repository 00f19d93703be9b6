// `slurm`: a sharded command (or a sweep over models) as a Slurm array job and a merge job that depends
// on it. Scripts come from lx::SlurmScript; sbatch, scontrol and scancel are Slurm's own clients.
#include "CliCommands.h"

#include "lx/AtomicFile.h"
#include "lx/Error.h"
#include "lx/Model.h"
#include "lx/SlurmScript.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

// Options `slurm` keeps for itself; every other option goes to the command it runs.
const std::set<std::string> kSlurmOptions{"shards", "models",  "partition", "time", "gpus", "cpus-per-task",
                                          "mem",    "job-dir", "out",       "only", "cli",  "poll"};
const std::set<std::string> kSlurmFlags{"wait", "dry-run"};
// Commands a sweep over models runs once per model (a sharded job runs any command that `merge` can
// finish: those with CliCommand::finishMerge).
const std::set<std::string> kSweepable{"responses", "conditioned"};

std::string shardableCommands()
{
    std::string names;
    for (const CliCommand& c : CliCommands::all()) {
        if (c.finishMerge)
            names += (names.empty() ? "" : ", ") + c.name;
    }
    return names;
}

struct Plan {
    std::string command;
    std::vector<std::string> passOn; // the command's own arguments, in order
    int positionals = 0; // of them, those that are not options (MODEL)
    std::vector<std::string> models; // a sweep's model files (empty: a sharded job)
    int64_t tasks = 0; // array tasks: shards, or models
    std::vector<int64_t> only; // tasks to (re)submit; empty = all
    fs::path jobDir, result, cli;
    lx::SlurmResources resources;
};

// Runs a shell command line, returns its exit status and what it printed (stdout and stderr).
int runCapture(const std::string& commandLine, std::string& output)
{
    output.clear();
    FILE* pipe = popen((commandLine + " 2>&1").c_str(), "r");
    if (!pipe)
        throw lx::Error("cannot run '" + commandLine + "'");
    char buffer[4096];
    size_t got;
    while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
        output.append(buffer, got);
    const int status = pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

bool onPath(const std::string& program)
{
    std::string ignored;
    return runCapture("command -v " + lx::SlurmScript::quote(program) + " >/dev/null", ignored) == 0;
}

std::string commandLine(const std::vector<std::string>& words)
{
    std::string out;
    for (const std::string& w : words)
        out += (out.empty() ? "" : " ") + lx::SlurmScript::quote(w);
    return out;
}

fs::path absolute(const std::string& path) { return fs::absolute(fs::path(path)).lexically_normal(); }

std::vector<std::string> readModelList(const std::string& path)
{
    std::istringstream in(lx::AtomicFile::read(path));
    std::vector<std::string> models;
    std::string line;
    while (std::getline(in, line)) {
        const size_t first = line.find_first_not_of(" \t\r"), last = line.find_last_not_of(" \t\r");
        if (first == std::string::npos || line[first] == '#')
            continue;
        const std::string model = line.substr(first, last - first + 1);
        if (!fs::is_regular_file(model))
            throw lx::Error(path + ": line " + std::to_string(models.size() + 1) + " names '" + lx::printable(model, 80)
                            + "', which is not a file");
        models.push_back(absolute(model).string());
    }
    if (models.empty())
        throw lx::Error(path + ": lists no model files (one path a line)");
    return models;
}

// Splits `slurm COMMAND ARGS...` into the command's arguments and slurm's own options.
Plan planOf(const CliArgs& args)
{
    const std::vector<std::string>& raw = args.raw();
    Plan plan;
    if (raw.empty() || raw[0].rfind("--", 0) == 0)
        throw UsageError(
            "missing COMMAND (one of the commands that take --shard, or responses/conditioned with --models)");
    plan.command = raw[0];
    const std::set<std::string> flags = CliCommands::allFlags();
    for (size_t i = 1; i < raw.size(); ++i) {
        const std::string& word = raw[i];
        std::string name = word.rfind("--", 0) == 0 ? word.substr(2) : "";
        const bool inline_ = name.find('=') != std::string::npos;
        if (inline_)
            name = name.substr(0, name.find('='));
        const bool takesValue = !name.empty() && !inline_ && !flags.count(name) && !kSlurmFlags.count(name);
        if (!name.empty() && (kSlurmOptions.count(name) || kSlurmFlags.count(name))) {
            i += takesValue ? 1 : 0; // slurm's own: CliArgs already holds its value
            continue;
        }
        if (name == "shard" || name == "part")
            throw UsageError("--" + name + " is set by slurm for each task; give --shards N");
        if (name.empty())
            ++plan.positionals;
        plan.passOn.push_back(word);
        if (takesValue && i + 1 < raw.size())
            plan.passOn.push_back(raw[++i]);
    }
    return plan;
}

std::string partName(const Plan& plan, int64_t k)
{
    return (plan.jobDir / "parts" / ("part-" + std::to_string(k) + ".lxpart")).string();
}

// The array job's script: task k runs shard k/N, or the command on model k of a sweep.
std::string arrayScript(const Plan& plan)
{
    std::string s =
        lx::SlurmScript::header("lx-" + plan.command, fs::current_path().string(),
                                (plan.jobDir / "logs" / "task-%a.out").string(), plan.resources, plan.tasks);
    s += "# Made by latent-explorer-cli slurm. Task k = $SLURM_ARRAY_TASK_ID; resubmit tasks alone with\n"
         "#   sbatch --array=K,K " + (plan.jobDir / "array.sbatch").string() + "\n"
         "k=${SLURM_ARRAY_TASK_ID:?submit with sbatch --array}\n";
    const std::string cli = lx::SlurmScript::quote(plan.cli.string());
    std::string args = commandLine(plan.passOn);
    // LibTorch threads: as many as the task's CPUs (Slurm sets SLURM_CPUS_PER_TASK with --cpus-per-task;
    // a task gets one CPU otherwise), not the node's core count, unless --threads was given.
    bool threads = false;
    for (const std::string& w : plan.passOn)
        threads = threads || w == "--threads" || w.rfind("--threads=", 0) == 0;
    if (!threads)
        args += " --threads \"${SLURM_CPUS_PER_TASK:-1}\"";
    if (plan.models.empty()) {
        // The part goes to --out, or to --part for a command whose shards all write into RESULT itself.
        const std::string partOption = CliCommands::find(plan.command)->partOption;
        if (partOption != "out")
            args += " --out " + lx::SlurmScript::quote(plan.result.string());
        s += "exec " + cli + " " + lx::SlurmScript::quote(plan.command) + " " + args + " --verbose --shard \"$k/"
            + std::to_string(plan.tasks) + "\" --" + partOption + " "
            + lx::SlurmScript::quote((plan.jobDir / "parts").string()) + "\"/part-$k.lxpart\"\n";
        return s;
    }
    s += "models=(" + commandLine(plan.models) + ")\n";
    s += "results=" + lx::SlurmScript::quote((plan.jobDir / "results").string()) + "\n";
    const std::string run = cli + " " + lx::SlurmScript::quote(plan.command) + " \"${models[$k]}\" " + args
        + " --verbose --out \"$results/model-$k.npy\"";
    // conditioned prints its report (JSON) on stdout: kept whole or not at all.
    if (plan.command == "conditioned")
        s += run + " > \"$results/model-$k.json.tmp\"\nmv \"$results/model-$k.json.tmp\" \"$results/model-$k.json\"\n";
    else
        s += "exec " + run + "\n";
    return s;
}

std::string mergeScript(const Plan& plan)
{
    // The merge adds sums on one CPU: it asks for no GPU and no extra CPUs (it would only wait for them).
    lx::SlurmResources resources = plan.resources;
    resources.gpus.clear();
    resources.cpusPerTask = 0;
    std::string s = lx::SlurmScript::header("lx-" + plan.command + "-merge", fs::current_path().string(),
                                            (plan.jobDir / "logs" / "merge-%j.out").string(), resources, 0);
    s += "# Made by latent-explorer-cli slurm: runs after every task of the array job succeeded.\n";
    std::vector<std::string> words{plan.cli.string()};
    if (plan.models.empty()) {
        words.push_back("merge");
        for (int64_t k = 0; k < plan.tasks; ++k)
            words.push_back(partName(plan, k));
    } else {
        words.insert(words.end(),
                     {"sweep-table", "--command", plan.command, "--models", (plan.jobDir / "models.txt").string(),
                      "--results", (plan.jobDir / "results").string()});
    }
    words.insert(words.end(), {"--verbose", "--out", plan.result.string()});
    return s + "exec " + commandLine(words) + "\n";
}

std::string sbatch(const std::vector<std::string>& words)
{
    std::string output;
    const int status = runCapture(commandLine(words), output);
    if (status != 0)
        throw lx::Error("sbatch failed (exit " + std::to_string(status)
                        + "): " + lx::printable(lx::firstLine(output), 200));
    return lx::SlurmScript::parseJobId(output);
}

std::vector<lx::SlurmJobState> jobStates(const std::string& id)
{
    std::string output;
    runCapture("scontrol show job -o " + lx::SlurmScript::quote(id), output); // exit 1 once the job is purged
    return lx::SlurmScript::parseJobStates(output);
}

// Blocks until the merge job ends (or can never run because a task failed); returns the exit status.
int waitFor(const Plan& plan, const std::string& arrayId, const std::string& mergeId, double pollSeconds)
{
    const auto submitted = fs::file_time_type::clock::now();
    for (;;) {
        std::this_thread::sleep_for(std::chrono::duration<double>(pollSeconds));
        const std::vector<lx::SlurmJobState> merge = jobStates(mergeId);
        const std::vector<lx::SlurmJobState> tasks = jobStates(arrayId);
        std::set<int64_t> failedTasks;
        bool tasksRunning = false;
        for (const lx::SlurmJobState& t : tasks) {
            if (t.finished() && !t.succeeded())
                failedTasks.insert(t.arrayTask);
            tasksRunning = tasksRunning || !t.finished();
        }
        std::string failed;
        for (int64_t k : failedTasks)
            failed += (failed.empty() ? "" : ",") + std::to_string(k);
        if (merge.empty()) {
            // Purged from slurmctld's memory (MinJobAge): the result file tells.
            std::error_code ec;
            if (fs::exists(plan.result, ec) && fs::last_write_time(plan.result, ec) >= submitted)
                return 0;
            throw lx::Error("merge job " + mergeId + " is no longer known to Slurm and " + plan.result.string()
                            + " was not written; see " + (plan.jobDir / "logs").string());
        }
        const lx::SlurmJobState& m = merge.front();
        const bool never = m.reason.find("DependencyNeverSatisfied") != std::string::npos;
        // A failed task: the merge can never run. Report once every task has ended, naming them all.
        if (!failed.empty() && !tasksRunning && (never || m.finished())) {
            std::string ignored;
            if (!m.finished())
                runCapture("scancel " + lx::SlurmScript::quote(mergeId), ignored);
            throw lx::Error("task" + std::string(failed.find(',') == std::string::npos ? " " : "s ") + failed
                            + " of job " + arrayId + " failed, so merge job " + mergeId + " did not run; logs in "
                            + (plan.jobDir / "logs").string() + "; resubmit them alone with --only " + failed);
        }
        if (m.finished()) {
            spdlog::info("slurm: merge job {} {} (exit {})", mergeId, m.state, m.exitCode);
            if (m.succeeded())
                return 0;
            std::fprintf(stderr, "latent-explorer-cli slurm: merge job %s ended %s with exit code %d; log: %s\n",
                         mergeId.c_str(), m.state.c_str(), m.exitCode,
                         (plan.jobDir / "logs" / ("merge-" + mergeId + ".out")).string().c_str());
            return m.exitCode != 0 ? m.exitCode : 1;
        }
    }
}

int runSlurm(const CliArgs& args)
{
    Plan plan = planOf(args);
    const bool sweep = args.has("models");
    const CliCommand* command = CliCommands::find(plan.command);
    if (sweep ? !kSweepable.count(plan.command) : !(command && command->finishMerge))
        throw UsageError("'" + plan.command + "' cannot run as a cluster job "
                         + (sweep ? "over --models (sweeps: responses, conditioned)"
                                  : "(commands with --shard: " + shardableCommands() + ")"));
    if (sweep == args.has("shards"))
        throw UsageError(sweep ? "--shards and --models exclude each other"
                               : "missing --shards N (or --models LIST for a sweep)");
    plan.result = absolute(args.require("out"));
    if (sweep) {
        if (plan.positionals > 0)
            throw UsageError("a sweep takes its models from --models; give no MODEL after " + plan.command);
        plan.models = readModelList(args.require("models"));
        plan.tasks = static_cast<int64_t>(plan.models.size());
    } else {
        plan.tasks = args.integer("shards", 1, 1, lx::Shard::kMaxCount);
        if (plan.positionals != 1 || plan.passOn[0].rfind("--", 0) == 0)
            throw UsageError("give one MODEL right after " + plan.command);
        lx::Model::readCard(plan.passOn[0]); // a missing or broken model fails here, not in N tasks
    }
    if (args.has("only")) {
        for (long long k : CliArgs::parseList(args.require("only"), "--only", 0, plan.tasks - 1))
            plan.only.push_back(k);
    }
    plan.jobDir = absolute(args.value("job-dir", plan.result.string() + ".slurm"));
    plan.cli = args.has("cli") ? absolute(args.require("cli")) : fs::read_symlink("/proc/self/exe");
    plan.resources.partition = args.value("partition", "");
    plan.resources.time = args.value("time", "");
    plan.resources.gpus = args.value("gpus", "");
    plan.resources.cpusPerTask = static_cast<int>(args.integer("cpus-per-task", 0, 0, 4096));
    plan.resources.mem = args.value("mem", "");
    const double poll = args.real("poll", 2.0);
    if (!(poll >= 0.1 && poll <= 600))
        throw UsageError("--poll must be between 0.1 and 600 seconds");

    const std::string array = arrayScript(plan), merge = mergeScript(plan);
    const std::string arrayPath = (plan.jobDir / "array.sbatch").string(),
                      mergePath = (plan.jobDir / "merge.sbatch").string();
    std::string only;
    for (int64_t k : plan.only)
        only += (only.empty() ? "" : ",") + std::to_string(k);
    const std::string arrayFlag = "--array=" + (only.empty() ? "0-" + std::to_string(plan.tasks - 1) : only);
    if (args.flag("dry-run")) {
        std::printf(
            "# %s\n%s\n# %s\n%s\n# submit:\n#   id=$(sbatch --parsable %s %s)\n#   sbatch --dependency=afterok:$id "
            "%s\n",
            arrayPath.c_str(), array.c_str(), mergePath.c_str(), merge.c_str(), arrayFlag.c_str(),
            lx::SlurmScript::quote(arrayPath).c_str(), lx::SlurmScript::quote(mergePath).c_str());
        return 0;
    }

    for (const char* sub : {"logs", "parts", "results"})
        fs::create_directories(plan.jobDir / sub);
    if (plan.only.empty()) {
        // A fresh whole job: parts or results of an earlier one must not be merged with it.
        for (const char* sub : {"parts", "results"})
            for (const auto& entry : fs::directory_iterator(plan.jobDir / sub))
                fs::remove(entry.path());
    }
    lx::AtomicFile::write(arrayPath, array);
    lx::AtomicFile::write(mergePath, merge);
    if (sweep) {
        std::string list;
        for (const std::string& m : plan.models)
            list += m + "\n";
        lx::AtomicFile::write((plan.jobDir / "models.txt").string(), list);
    }
    if (!onPath("sbatch")) {
        std::printf(
            "sbatch is not on PATH: the scripts are in %s. Submit them on the cluster with\n"
            "  id=$(sbatch --parsable %s %s)\n  sbatch --dependency=afterok:$id %s\n",
            plan.jobDir.string().c_str(), arrayFlag.c_str(), lx::SlurmScript::quote(arrayPath).c_str(),
            lx::SlurmScript::quote(mergePath).c_str());
        return 0;
    }
    const std::string arrayId = sbatch({"sbatch", "--parsable", arrayFlag, arrayPath});
    const std::string mergeId = sbatch({"sbatch", "--parsable", "--dependency=afterok:" + arrayId, mergePath});
    nlohmann::ordered_json report{
        {"command", plan.command},       {"tasks", plan.tasks},  {"submitted", arrayFlag.substr(8)},
        {"array_job", arrayId},          {"merge_job", mergeId}, {"job_dir", plan.jobDir.string()},
        {"result", plan.result.string()}};
    lx::AtomicFile::write((plan.jobDir / "job.json").string(), report.dump(2) + "\n");
    std::printf("%s\n", report.dump().c_str());
    std::fflush(stdout);
    if (!args.flag("wait"))
        return 0;
    return waitFor(plan, arrayId, mergeId, poll);
}

} // namespace

std::vector<CliCommand> CliCommands::slurmCommands()
{
    CliCommand slurm{
        "slurm",
        "run a sharded command or a sweep over models as a Slurm array job + merge job",
        "Usage: latent-explorer-cli slurm COMMAND MODEL ARGS... --shards N --out RESULT\n"
        "       latent-explorer-cli slurm responses|conditioned ARGS... --models LIST.txt --out TABLE.csv\n"
        "           [--partition P] [--time T] [--gpus G] [--cpus-per-task C] [--mem M] [--job-dir DIR]\n"
        "           [--only K,K] [--wait [--poll SECONDS]] [--dry-run] [--cli PATH]\n\n"
        "Runs COMMAND on a Slurm cluster (it must share the file system with this machine): an array job with\n"
        "one task per shard (task K runs COMMAND ARGS --shard K/N and writes DIR/parts/part-K.lxpart) and a\n"
        "merge job that depends on it (--dependency=afterok) and runs `merge`, writing RESULT exactly as\n"
        "the unsharded COMMAND ARGS --out RESULT would. COMMAND: influence, responses, conditioned,\n"
        "consistency, robustness, vq-evaluate, cgn-dataset (its shards write their images into the folder\n"
        "RESULT).\n"
        "With --models LIST.txt (one model file a line) the array runs responses or conditioned once per\n"
        "model (ARGS without MODEL and --out) and the last job writes one table of scores per model,\n"
        "TABLE.csv and TABLE.json (`sweep-table`).\n"
        "DIR (--job-dir, default RESULT.slurm) holds array.sbatch, merge.sbatch, job.json, parts/ or\n"
        "results/, and logs/ (task-K.out, merge-ID.out). Prints JSON {array_job, merge_job, ...}.\n"
        "  --wait      block until the merge job ends; exit with its status (1 naming the failed tasks when\n"
        "              a task failed; resubmit those with --only)\n"
        "  --only K,K  submit only these tasks (after a failure) and a new merge job; other parts stay\n"
        "  --dry-run   print the two scripts and how to submit them; write and submit nothing\n"
        "  --cli PATH  the latent-explorer-cli the nodes run (default: this one)\n"
        "Without sbatch on PATH the scripts are written to DIR and the submit commands printed.\n",
        {"wait", "dry-run"},
        runSlurm};
    slurm.wrapsCommand = true;
    return {slurm};
}

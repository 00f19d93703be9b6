#pragma once
// Batch scripts for Slurm's sbatch and the parsing of what Slurm's clients print: a cluster job of
// latent-explorer-cli is an array job (one task per shard, or per model of a sweep) and a merge job
// that depends on it. Only text is made and read here; the CLI runs sbatch, squeue and scontrol.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace lx {

// What the user asks of the scheduler; empty = the cluster's default. Checked by SlurmScript::check.
struct SlurmResources {
    std::string partition; // --partition
    std::string time; // --time, Slurm's formats: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S
    std::string gpus; // --gpus (a count, or type:count)
    int cpusPerTask = 0; // --cpus-per-task; 0 = default
    std::string mem; // --mem (e.g. 8G)
};

// One job's state as `scontrol show job -o ID` prints it (one line per array task).
struct SlurmJobState {
    std::string jobId; // JobId=
    int64_t arrayTask = -1; // ArrayTaskId= (-1 when not an array task or a pending range)
    std::string state; // JobState=, e.g. PENDING, RUNNING, COMPLETED, FAILED
    std::string reason; // Reason=
    int exitCode = 0; // first number of ExitCode=N:S
    int exitSignal = 0; // second number

    bool finished() const; // a terminal state (COMPLETED, FAILED, CANCELLED, TIMEOUT, ...)
    bool succeeded() const { return state == "COMPLETED" && exitCode == 0; }
};

class SlurmScript {
public:
    // The text as one bash word in single quotes ('it'\''s').
    static std::string quote(const std::string& word);
    // Throws lx::Error naming the option for a value sbatch would refuse or that could break the script.
    static void check(const SlurmResources& resources);

    // "#!/bin/bash" and the #SBATCH lines: job name, working directory, log file (%a = array task, %j =
    // job id), the resources, and --array=0-(tasks-1) when tasks > 0; then `set -euo pipefail`. The
    // caller appends the body.
    static std::string header(const std::string& jobName, const std::string& workDir, const std::string& logPattern,
                              const SlurmResources& resources, int64_t arrayTasks);

    // The job id sbatch --parsable printed ("123" or "123;cluster"). Throws lx::Error when there is none.
    static std::string parseJobId(const std::string& sbatchOutput);
    // The records of `scontrol show job -o` output (one per line; fields as above).
    static std::vector<SlurmJobState> parseJobStates(const std::string& scontrolOutput);
};

} // namespace lx

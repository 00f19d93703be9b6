#include "lx/SlurmScript.h"

#include "lx/Error.h"

#include <cctype>
#include <cstring>
#include <regex>
#include <sstream>

namespace lx {

namespace {

bool allOf(const std::string& text, const char* allowed)
{
    for (char c : text) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && !std::strchr(allowed, c))
            return false;
    }
    return true;
}

// The value of `Key=` in one `scontrol show job -o` record (fields are space separated; values we
// read hold no spaces), or "" when absent.
std::string field(const std::string& record, const std::string& key)
{
    const std::string tag = key + "=";
    size_t at = 0;
    while ((at = record.find(tag, at)) != std::string::npos) {
        if (at == 0 || record[at - 1] == ' ') {
            const size_t start = at + tag.size(), end = record.find(' ', start);
            return record.substr(start, end == std::string::npos ? std::string::npos : end - start);
        }
        at += tag.size();
    }
    return "";
}

} // namespace

bool SlurmJobState::finished() const
{
    static const char* const terminal[] = {"COMPLETED",     "FAILED",    "CANCELLED", "TIMEOUT",  "NODE_FAIL",
                                           "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE",  "PREEMPTED"};
    for (const char* t : terminal) {
        if (state == t)
            return true;
    }
    return false;
}

std::string SlurmScript::quote(const std::string& word)
{
    std::string out = "'";
    for (char c : word)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

void SlurmScript::check(const SlurmResources& r)
{
    if (!allOf(r.partition, "_-.,"))
        throw Error("--partition '" + printable(r.partition) + "' is not a partition name (letters, digits, _-.,)");
    static const std::regex timeFormat(
        R"(^(\d+|\d+:\d+|\d+:\d+:\d+|\d+-\d+|\d+-\d+:\d+|\d+-\d+:\d+:\d+|UNLIMITED|INFINITE)$)");
    if (!r.time.empty() && !std::regex_match(r.time, timeFormat))
        throw Error("--time '" + printable(r.time) + "' is not a Slurm time (M, M:S, H:M:S, D-H, D-H:M or D-H:M:S)");
    static const std::regex gpuFormat(R"(^([A-Za-z0-9_.-]+:)?[1-9]\d*$)");
    if (!r.gpus.empty() && !std::regex_match(r.gpus, gpuFormat))
        throw Error("--gpus '" + printable(r.gpus) + "' must be a count or TYPE:COUNT");
    if (r.cpusPerTask < 0 || r.cpusPerTask > 4096)
        throw Error("--cpus-per-task must be in [0, 4096], got " + std::to_string(r.cpusPerTask));
    static const std::regex memFormat(R"(^[1-9]\d*[KMGT]?$)");
    if (!r.mem.empty() && !std::regex_match(r.mem, memFormat))
        throw Error("--mem '" + printable(r.mem) + "' must be a size such as 4000, 8G or 512M");
}

std::string SlurmScript::header(const std::string& jobName, const std::string& workDir, const std::string& logPattern,
                                const SlurmResources& r, int64_t arrayTasks)
{
    check(r);
    // #SBATCH lines are not parsed by a shell: a value may not hold a newline; sbatch splits on spaces
    // unless the value is double-quoted.
    for (const std::string* s : {&jobName, &workDir, &logPattern}) {
        if (s->find_first_of("\n\r\"") != std::string::npos)
            throw Error("cannot put '" + printable(*s) + "' into a batch script (newline or double quote)");
    }
    std::ostringstream out;
    out << "#!/bin/bash\n";
    out << "#SBATCH --job-name=\"" << jobName << "\"\n";
    out << "#SBATCH --chdir=\"" << workDir << "\"\n";
    out << "#SBATCH --output=\"" << logPattern << "\"\n";
    if (arrayTasks > 0)
        out << "#SBATCH --array=0-" << arrayTasks - 1 << "\n";
    out << "#SBATCH --ntasks=1\n";
    if (!r.partition.empty())
        out << "#SBATCH --partition=" << r.partition << "\n";
    if (!r.time.empty())
        out << "#SBATCH --time=" << r.time << "\n";
    if (!r.gpus.empty())
        out << "#SBATCH --gpus=" << r.gpus << "\n";
    if (r.cpusPerTask > 0)
        out << "#SBATCH --cpus-per-task=" << r.cpusPerTask << "\n";
    if (!r.mem.empty())
        out << "#SBATCH --mem=" << r.mem << "\n";
    out << "set -euo pipefail\n";
    return out.str();
}

std::string SlurmScript::parseJobId(const std::string& sbatchOutput)
{
    std::istringstream lines(sbatchOutput);
    std::string line;
    while (std::getline(lines, line)) {
        const std::string id = line.substr(0, line.find(';'));
        if (!id.empty() && id.find_first_not_of("0123456789") == std::string::npos)
            return id;
    }
    throw Error("sbatch printed no job id: '" + printable(firstLine(sbatchOutput), 120) + "'");
}

std::vector<SlurmJobState> SlurmScript::parseJobStates(const std::string& scontrolOutput)
{
    std::vector<SlurmJobState> out;
    std::istringstream lines(scontrolOutput);
    std::string line;
    while (std::getline(lines, line)) {
        SlurmJobState s;
        s.jobId = field(line, "JobId");
        if (s.jobId.empty())
            continue;
        const std::string task = field(line, "ArrayTaskId");
        if (!task.empty() && task.find_first_not_of("0123456789") == std::string::npos)
            s.arrayTask = std::stoll(task);
        s.state = field(line, "JobState");
        s.reason = field(line, "Reason");
        const std::string exit = field(line, "ExitCode");
        const size_t colon = exit.find(':');
        try {
            if (!exit.empty())
                s.exitCode = std::stoi(exit.substr(0, colon));
            if (colon != std::string::npos)
                s.exitSignal = std::stoi(exit.substr(colon + 1));
        } catch (const std::exception&) {
            s.exitCode = 1; // unreadable: not a success
        }
        out.push_back(s);
    }
    return out;
}

} // namespace lx

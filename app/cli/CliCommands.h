#pragma once
// The subcommands of latent-explorer-cli (CLI contract v1 in DESIGN.md). Each returns the exit code;
// bad usage throws UsageError (exit 2), bad input throws lx::Error (exit 1).
#include "CliArgs.h"

#include <functional>
#include <string>
#include <vector>

struct CliCommand {
    std::string name;
    std::string summary;
    std::string usage;     // full help text for `latent-explorer-cli NAME --help`
    std::set<std::string> flags;
    std::function<int(const CliArgs&)> run;
};

class CliCommands {
public:
    static const std::vector<CliCommand>& all();
    // The options every command accepts, for help texts.
    static const char* commonHelp();
};

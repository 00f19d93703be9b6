// latent-explorer-cli: the headless twin of the GUI (CLI contract v1, docs/ARCHITECTURE.md).
#include "CliCommands.h"

#include "lx/Error.h"
#include "lx/ErrorMessage.h"
#include "lx/Runtime.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstring>

namespace {

void printUsage(std::FILE* to)
{
    std::fprintf(to, "Usage: latent-explorer-cli COMMAND [ARGS] [OPTIONS]\n\nCommands:\n");
    for (const CliCommand& c : CliCommands::all())
        std::fprintf(to, "  %-16s %s\n", c.name.c_str(), c.summary.c_str());
    std::fprintf(to,
                 "\n`latent-explorer-cli COMMAND --help` explains one command; `latent-explorer-cli help --all`\n"
                 "explains them all.\n"
                 "Exit codes: 0 success, 1 bad input or failed computation, 2 bad usage.\n%s",
                 CliCommands::commonHelp());
}

// `help`, `help COMMAND` (as COMMAND --help) and `help --all`: the usage, then every command's help
// under a header line "latent-explorer-cli NAME" underlined with dashes (the man page is made from it).
int help(int argc, char** argv)
{
    if (argc < 3) {
        printUsage(stdout);
        return 0;
    }
    if (argc == 3 && !std::strcmp(argv[2], "--all")) {
        printUsage(stdout);
        for (const CliCommand& c : CliCommands::all()) {
            const std::string header = "latent-explorer-cli " + c.name;
            std::printf("\n%s\n%s\n%s", header.c_str(), std::string(header.size(), '-').c_str(), c.usage.c_str());
        }
        return 0;
    }
    const CliCommand* command = argc == 3 ? CliCommands::find(argv[2]) : nullptr;
    if (!command) {
        std::fprintf(stderr, "latent-explorer-cli help: expected one command or --all, got '%s'%s (see --help)\n",
                     argv[2], argc > 3 ? " and more" : "");
        return 2;
    }
    std::printf("%s%s", command->usage.c_str(), CliCommands::commonHelp());
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    lx::Runtime::preferPassiveThreadWaiting(argv);
    // Logs go to stderr so that stdout stays clean JSON for `info`.
    auto logger = spdlog::stderr_color_mt("lx");
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::warn);
    spdlog::set_pattern("%^%l%$: %v");

    if (argc < 2) {
        printUsage(stderr);
        return 2;
    }
    if (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help"))
        return help(argc, argv);
    if (!std::strcmp(argv[1], "--version")) {
        std::printf("latent-explorer-cli %s (%s)\n", LX_VERSION, lx::Runtime::describe().c_str());
        return 0;
    }
    for (const CliCommand& command : CliCommands::all()) {
        if (command.name != argv[1])
            continue;
        std::set<std::string> flags = command.wrapsCommand ? CliCommands::allFlags() : command.flags;
        flags.insert({"help", "verbose"});
        try {
            const CliArgs args(argc, argv, 2, flags);
            if (args.flag("help")) {
                std::printf("%s%s", command.usage.c_str(), CliCommands::commonHelp());
                return 0;
            }
            if (args.flag("verbose"))
                spdlog::set_level(spdlog::level::info);
            return command.run(args);
        } catch (const UsageError& e) {
            std::fprintf(stderr, "latent-explorer-cli %s: %s (see --help)\n", argv[1], e.what());
            return 2;
        } catch (const lx::Error& e) {
            std::fprintf(stderr, "latent-explorer-cli %s: %s\n", argv[1], e.what());
            return 1;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "latent-explorer-cli %s: %s\n", argv[1], lx::errorMessage(e).c_str());
            return 1;
        }
    }
    std::string names;
    for (const CliCommand& c : CliCommands::all())
        names += (names.empty() ? "" : ", ") + c.name;
    std::fprintf(stderr, "latent-explorer-cli: unknown command '%s' (commands: %s; see --help)\n", argv[1],
                 names.c_str());
    return 2;
}

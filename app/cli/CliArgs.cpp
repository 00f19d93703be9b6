#include "CliArgs.h"

#include "lx/Npy.h"

#include <cerrno>
#include <cstdlib>

CliArgs::CliArgs(int argc, char** argv, int first, const std::set<std::string>& flags)
{
    for (int i = first; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg.rfind("--", 0) == 0 && arg.size() > 2) {
            std::string name = arg.substr(2);
            const auto eq = name.find('=');
            if (eq != std::string::npos) {
                mOptions[name.substr(0, eq)] = name.substr(eq + 1);
            } else if (flags.count(name)) {
                mFlags.insert(name);
            } else {
                if (i + 1 >= argc)
                    throw UsageError("option --" + name + " needs a value");
                mOptions[name] = argv[++i];
            }
        } else {
            mPositional.push_back(arg);
        }
    }
}

std::string CliArgs::positionalAt(size_t index, const std::string& what) const
{
    if (index >= mPositional.size())
        throw UsageError("missing " + what);
    return mPositional[index];
}

lx::Array CliArgs::npy(const std::string& name) const
{
    const std::string path = require(name);
    lx::Array array = lx::Npy::read(path);
    array.requireFinite(path);
    return array;
}

std::string CliArgs::require(const std::string& name) const
{
    const auto it = mOptions.find(name);
    if (it == mOptions.end())
        throw UsageError("missing required option --" + name);
    return it->second;
}

std::string CliArgs::value(const std::string& name, const std::string& fallback) const
{
    const auto it = mOptions.find(name);
    return it == mOptions.end() ? fallback : it->second;
}

long long CliArgs::integer(const std::string& name, long long fallback) const
{
    if (!has(name))
        return fallback;
    const std::string text = require(name);
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno == ERANGE)
        throw UsageError("--" + name + " must be an integer, got '" + text + "'");
    return v;
}

double CliArgs::real(const std::string& name, double fallback) const
{
    if (!has(name))
        return fallback;
    const std::string text = require(name);
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0')
        throw UsageError("--" + name + " must be a number, got '" + text + "'");
    return v;
}

std::vector<int> CliArgs::intList(const std::string& name) const { return parseIntList(require(name), "--" + name); }

std::vector<int> CliArgs::parseIntList(const std::string& text, const std::string& what)
{
    std::vector<int> out;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t comma = text.find(',', pos);
        if (comma == std::string::npos)
            comma = text.size();
        const std::string item = text.substr(pos, comma - pos);
        pos = comma + 1;
        if (item.empty())
            continue;
        const auto dash = item.find('-', 1);
        char* end = nullptr;
        const long a = std::strtol(item.c_str(), &end, 10);
        if (dash == std::string::npos) {
            if (*end != '\0')
                throw UsageError(what + ": '" + item + "' is not an integer");
            out.push_back(static_cast<int>(a));
            continue;
        }
        const std::string right = item.substr(dash + 1);
        char* end2 = nullptr;
        const long b = std::strtol(right.c_str(), &end2, 10);
        if (end != item.c_str() + dash || right.empty() || *end2 != '\0' || b < a || b - a > 1000000)
            throw UsageError(what + ": '" + item + "' is not a range like 0-7");
        for (long v = a; v <= b; ++v)
            out.push_back(static_cast<int>(v));
    }
    return out;
}

void CliArgs::allowOnly(const std::set<std::string>& names) const
{
    static const std::set<std::string> common{"device", "threads", "verbose", "help"};
    for (const auto& [name, value] : mOptions) {
        if (!names.count(name) && !common.count(name))
            throw UsageError("unknown option --" + name);
    }
    for (const std::string& name : mFlags) {
        if (!names.count(name) && !common.count(name))
            throw UsageError("unknown option --" + name);
    }
}

#include "CliArgs.h"

#include "lx/Npy.h"

#include <algorithm>
#include <cerrno>
#include <limits>
#include <cstdlib>

CliArgs::CliArgs(int argc, char** argv, int first, const std::set<std::string>& flags)
    : mRaw(argv + std::min(first, argc), argv + argc)
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

long long CliArgs::integer(const std::string& name, long long fallback, long long lo, long long hi) const
{
    const long long v = integer(name, fallback);
    if (has(name) && (v < lo || v > hi))
        throw UsageError("--" + name + " must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi)
                         + "], got '" + require(name) + "'");
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

std::vector<long long> CliArgs::parseList(const std::string& text, const std::string& what, long long lo, long long hi)
{
    std::vector<long long> out;
    // A number outside [lo, hi] (or beyond 64 bits) is refused by name, never wrapped to another number.
    const auto number = [&](const std::string& item, const std::string& part, const char* shape) {
        char* end = nullptr;
        errno = 0;
        const long long v = std::strtoll(part.c_str(), &end, 10);
        if (part.empty() || *end != '\0')
            throw UsageError(what + ": '" + item + "' is not " + shape);
        if (errno == ERANGE || v < lo || v > hi)
            throw UsageError(what + ": '" + item + "' is out of range [" + std::to_string(lo) + ", "
                             + std::to_string(hi) + "]");
        return v;
    };
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
        if (dash == std::string::npos) {
            out.push_back(number(item, item, "an integer"));
            continue;
        }
        const long long a = number(item, item.substr(0, dash), "a range like 0-7");
        const long long b = number(item, item.substr(dash + 1), "a range like 0-7");
        if (b < a || b - a > 1000000)
            throw UsageError(what + ": '" + item + "' is not a range like 0-7");
        for (long long v = a; v <= b; ++v)
            out.push_back(v);
    }
    return out;
}

std::vector<int> CliArgs::parseIntList(const std::string& text, const std::string& what)
{
    const std::vector<long long> values =
        parseList(text, what, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
    return std::vector<int>(values.begin(), values.end());
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

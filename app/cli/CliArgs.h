#pragma once
// Command-line arguments of one latent-explorer-cli subcommand: positionals and --name value options.
#include "lx/Array.h"

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

// Bad command-line usage (exit code 2), as opposed to bad input data (lx::Error, exit code 1).
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class CliArgs {
public:
    // Parses argv[first..]. `flags` are options without a value; every other --option takes one.
    CliArgs(int argc, char** argv, int first, const std::set<std::string>& flags);

    const std::vector<std::string>& positional() const { return mPositional; }
    // argv[first..] as given, for a command that passes most of them on to another (slurm).
    const std::vector<std::string>& raw() const { return mRaw; }
    std::string positionalAt(size_t index, const std::string& what) const;
    bool has(const std::string& name) const { return mOptions.count(name) > 0; }
    bool flag(const std::string& name) const { return mFlags.count(name) > 0; }
    std::string require(const std::string& name) const;
    // The .npy file --name names (lx::Npy::read), its values checked finite: every array the commands read
    // must be. Throws lx::Error naming the file ("<path>: contains NaN or Inf (at flat index 3)").
    lx::Array npy(const std::string& name) const;
    std::string value(const std::string& name, const std::string& fallback) const;
    long long integer(const std::string& name, long long fallback) const;
    // The same, refused unless it lies in [lo, hi]: "--name must be an integer in [lo, hi], got 'text'".
    long long integer(const std::string& name, long long fallback, long long lo, long long hi) const;
    double real(const std::string& name, double fallback) const;
    // "3,17,200" (empty string = none); also ranges "0-7". Every item must fit an int: a larger one is
    // refused (it is never truncated to another value).
    std::vector<int> intList(const std::string& name) const;
    // Refuses options other than these (and the common ones).
    void allowOnly(const std::set<std::string>& names) const;

    static std::vector<int> parseIntList(const std::string& text, const std::string& what);
    // The same for 64-bit values within [lo, hi] (seeds).
    static std::vector<long long> parseList(const std::string& text, const std::string& what, long long lo,
                                            long long hi);
    // The largest seed the options accept (seeds are uint64; a bound far from wrapping when offsets are added).
    static constexpr long long kMaxSeed = 1LL << 53;

private:
    std::vector<std::string> mRaw;
    std::vector<std::string> mPositional;
    std::map<std::string, std::string> mOptions;
    std::set<std::string> mFlags;
};

#pragma once
// Command line of the benchmark programs: `bench_x MODEL [--name value]... [--flag]...`, and the
// model loaded with the common --device cpu|cuda and --threads T options.
#include "lx/Model.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <string>

class BenchArgs {
public:
    // argv[1] is the model; `flags` take no value, every other --option takes the next argument.
    BenchArgs(int argc, char** argv, const std::set<std::string>& flags = {})
        : mModel(argc > 1 ? argv[1] : "")
    {
        for (int i = 2; i < argc; ++i) {
            const std::string opt = argv[i];
            if (opt.rfind("--", 0) != 0)
                continue;
            if (flags.count(opt.substr(2)))
                mFlags.insert(opt.substr(2));
            else if (i + 1 < argc)
                mValues[opt.substr(2)] = argv[++i];
        }
    }

    const std::string& model() const { return mModel; }
    bool flag(const std::string& name) const { return mFlags.count(name) > 0; }
    std::string value(const std::string& name, const std::string& fallback) const
    {
        const auto it = mValues.find(name);
        return it == mValues.end() ? fallback : it->second;
    }
    long long integer(const std::string& name, long long fallback) const
    {
        const auto it = mValues.find(name);
        return it == mValues.end() ? fallback : std::atoll(it->second.c_str());
    }

    lx::LoadOptions loadOptions() const
    {
        lx::LoadOptions options;
        options.device = value("device", "cpu") == "cuda" ? lx::DeviceChoice::Cuda : lx::DeviceChoice::Cpu;
        options.threads = static_cast<int>(integer("threads", 0));
        return options;
    }
    std::unique_ptr<lx::Model> loadModel() const { return lx::Model::load(mModel, loadOptions()); }

private:
    std::string mModel;
    std::map<std::string, std::string> mValues;
    std::set<std::string> mFlags;
};

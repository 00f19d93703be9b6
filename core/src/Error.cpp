#include "lx/Error.h"
#include "lx/ErrorMessage.h"

#include <cstdio>
#include <new>
#include <sstream>

namespace lx {

Error::Error(const std::string& message)
    : std::runtime_error(firstLine(message))
{
}

namespace {

// The first line holding a printable character, trimmed, with control bytes dropped; empty if none.
std::string firstPrintableLine(const std::string& text)
{
    std::istringstream in(text);
    std::string raw;
    while (std::getline(in, raw)) {
        std::string line;
        for (const char c : raw) {
            if (c == '\t')
                line += ' ';
            else if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f)
                line += c;
        }
        const auto begin = line.find_first_not_of(' ');
        if (begin == std::string::npos)
            continue;
        const auto end = line.find_last_not_of(' ');
        return line.substr(begin, end - begin + 1);
    }
    return {};
}

} // namespace

std::string firstLine(const std::string& text)
{
    // TorchScript interpreter errors open with a generic sentence and a traceback; the line that says
    // what went wrong reads "RuntimeError: ...". Prefer it, unless nothing printable follows it.
    const auto at = text.rfind("\nRuntimeError: ");
    if (at != std::string::npos) {
        const std::string line = firstPrintableLine(text.substr(at + 15));
        if (!line.empty())
            return line;
    }
    const std::string line = firstPrintableLine(text);
    return line.empty() ? "unknown error" : line;
}

std::string printable(const std::string& text, size_t maxLength)
{
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (out.size() >= maxLength) {
            out += "...";
            break;
        }
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7f) {
            out += static_cast<char>(c);
        } else {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

namespace {

const char* const kCpuAllocator = "DefaultCPUAllocator: ";
const char* const kCudaOutOfMemory = "CUDA out of memory.";

bool cpuAllocatorFailed(const std::string& what)
{
    return what.find(kCpuAllocator) != std::string::npos
        && (what.find("can't allocate memory") != std::string::npos
            || what.find("not enough memory") != std::string::npos);
}

// "9007199254740992 bytes" -> "8.0 PiB"; empty when `what` names no size.
std::string requestedSize(const std::string& what)
{
    const std::string key = "you tried to allocate ";
    const auto at = what.find(key);
    if (at == std::string::npos)
        return {};
    double bytes = 0.0;
    size_t i = at + key.size();
    for (; i < what.size() && what[i] >= '0' && what[i] <= '9'; ++i)
        bytes = bytes * 10.0 + (what[i] - '0');
    if (i == at + key.size())
        return {};
    const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int unit = 0;
    while (bytes >= 1024.0 && unit < 6) {
        bytes /= 1024.0;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", bytes, units[unit]);
    return text;
}

} // namespace

bool isOutOfMemory(const std::exception& e)
{
    if (dynamic_cast<const std::bad_alloc*>(&e))
        return true;
    const std::string what = e.what();
    return cpuAllocatorFailed(what) || what.find(kCudaOutOfMemory) != std::string::npos;
}

std::string errorMessage(const std::exception& e)
{
    if (dynamic_cast<const std::bad_alloc*>(&e))
        return "out of memory (the computation needs more memory than is free; try fewer samples or a smaller batch)";
    const std::string what = e.what();
    if (cpuAllocatorFailed(what)) {
        const std::string size = requestedSize(what);
        return "out of memory (the computation asked for " + (size.empty() ? std::string("more") : size + ", more")
            + " than is free; try fewer samples or a smaller batch)";
    }
    const auto cuda = what.find(kCudaOutOfMemory);
    if (cuda != std::string::npos)
        return "out of GPU memory (" + firstLine(what.substr(cuda))
            + "; try fewer samples or a smaller batch, or open the model on the CPU with --device cpu)";
    const auto cudaError = what.find("CUDA error");
    if (cudaError != std::string::npos)
        return firstLine(what.substr(cudaError))
            + " (the GPU failed; open the model again, or on the CPU with --device cpu)";
    return firstLine(what);
}

} // namespace lx

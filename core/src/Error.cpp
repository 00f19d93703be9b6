#include "lx/Error.h"
#include "lx/ErrorMessage.h"

#include <new>
#include <sstream>

namespace lx {

Error::Error(const std::string& message) : std::runtime_error(firstLine(message)) {}

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

std::string errorMessage(const std::exception& e)
{
    if (dynamic_cast<const std::bad_alloc*>(&e))
        return "out of memory (the computation needs more memory than is free; try fewer samples or a smaller batch)";
    return firstLine(e.what());
}

} // namespace lx

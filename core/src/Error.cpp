#include "lx/Error.h"

#include <sstream>

namespace lx {

Error::Error(const std::string& message) : std::runtime_error(firstLine(message)) {}

std::string firstLine(const std::string& text)
{
    // TorchScript interpreter errors open with a generic sentence and a traceback; the line that says
    // what went wrong reads "RuntimeError: ...". Prefer it.
    const auto at = text.rfind("\nRuntimeError: ");
    if (at != std::string::npos)
        return firstLine(text.substr(at + 15));
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        const auto begin = line.find_first_not_of(" \t\r");
        if (begin == std::string::npos)
            continue;
        const auto end = line.find_last_not_of(" \t\r");
        return line.substr(begin, end - begin + 1);
    }
    return "unknown error";
}

} // namespace lx

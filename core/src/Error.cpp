#include "lx/Error.h"
#include "lx/ErrorMessage.h"

#include <new>
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

std::string errorMessage(const std::exception& e)
{
    if (dynamic_cast<const std::bad_alloc*>(&e))
        return "out of memory (the computation needs more memory than is free; try fewer samples or a smaller batch)";
    return firstLine(e.what());
}

} // namespace lx

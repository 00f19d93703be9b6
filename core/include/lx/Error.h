#pragma once
// lx::Error: the one exception type core throws for bad input or failed computation. Its message is
// always a single line that names the problem (the file, key, layer or channel at fault), fit to show
// a user as it is.
#include <stdexcept>
#include <string>

namespace lx {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message);
};

// Keeps the first meaningful line of a (possibly multi-line, LibTorch) exception message, trimmed.
std::string firstLine(const std::string& text);

// User-supplied text (a dtype, a key, a value read from a file) made safe to quote in a one-line
// message: control and non-ASCII bytes become \xNN escapes and text past maxLength is cut with "...".
std::string printable(const std::string& text, size_t maxLength = 40);

} // namespace lx

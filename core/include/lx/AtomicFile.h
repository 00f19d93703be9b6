#pragma once
// Writes a whole file or nothing: the bytes go to a temporary file in the same folder, which is then
// renamed over the target. Core's counterpart of QSaveFile (core has no Qt).
#include <string>

namespace lx {

class AtomicFile {
public:
    // Throws lx::Error("cannot write <path>: <reason>") and leaves any existing file untouched.
    static void write(const std::string& path, const std::string& bytes);
    // Reads a whole file. Throws lx::Error("cannot read <path>: <reason>").
    static std::string read(const std::string& path);
};

} // namespace lx

#pragma once
// Reading and writing NumPy .npy files (version 1/2/3 headers), float32 on the way out.
#include "lx/Array.h"

#include <string>

namespace lx {

class Npy {
public:
    // Reads a little-endian float32 ('<f4') or float64 ('<f8', converted) C-order array.
    // Throws lx::Error naming the file and the problem (missing, truncated, dtype, fortran order...).
    static Array read(const std::string& path);
    // Writes float32, atomically: a temporary file beside the target, then rename. Throws lx::Error
    // (naming the path) if it cannot be written; the target is then left as it was.
    static void write(const std::string& path, const Array& array);
    // The bytes of an .npy file for an array (for tests and in-memory use).
    static std::string encode(const Array& array);
    static Array decode(const std::string& bytes, const std::string& nameForErrors);
};

} // namespace lx

#pragma once
// PNG files without Qt (libpng's simplified API), for the CLI's figures: 8-bit gray or RGB.
#include "lx/Image8.h"

#include <string>

namespace lx {

class Png {
public:
    // The bytes of a PNG file for the image. Throws lx::Error for an empty image or a channel count
    // other than 1 or 3.
    static std::string encode(const Image8& image);
    // Decodes PNG bytes into 8-bit gray (gray files) or RGB (everything else; alpha is dropped over
    // black). Throws lx::Error("<name>: not a PNG file (...)").
    static Image8 decode(const std::string& bytes, const std::string& nameForErrors);
    // Writes atomically (AtomicFile). Throws lx::Error naming the path.
    static void write(const std::string& path, const Image8& image);
    static Image8 read(const std::string& path);
};

} // namespace lx

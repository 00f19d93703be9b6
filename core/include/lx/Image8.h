#pragma once
// lx::Image8: an 8-bit image in memory, gray (1 channel) or RGB (3 channels, interleaved), row-major.
// What ImageGrid composes and Png writes; core's Qt-free counterpart of QImage.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace lx {

struct Image8 {
    int width = 0;
    int height = 0;
    int channels = 1; // 1 = gray, 3 = RGB
    std::vector<uint8_t> pixels; // height * width * channels

    Image8() = default;
    Image8(int w, int h, int c, uint8_t fill = 0)
        : width(w)
        , height(h)
        , channels(c)
        , pixels(static_cast<size_t>(w) * static_cast<size_t>(h) * static_cast<size_t>(c), fill)
    {
    }

    bool empty() const { return pixels.empty(); }
    uint8_t* at(int x, int y) { return pixels.data() + (static_cast<size_t>(y) * width + x) * channels; }
    const uint8_t* at(int x, int y) const { return pixels.data() + (static_cast<size_t>(y) * width + x) * channels; }
    bool operator==(const Image8& o) const
    {
        return width == o.width && height == o.height && channels == o.channels && pixels == o.pixels;
    }
};

} // namespace lx

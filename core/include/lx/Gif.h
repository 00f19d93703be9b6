#pragma once
// Animated GIF files without Qt or another library (the Explore tab's export of interpolations and
// slider sweeps): GIF89a, one global palette, LZW-compressed frames, a NETSCAPE2.0 loop block. Gray
// frames keep their 256 grey levels exactly; colour frames are quantised to a 3-3-2 RGB palette
// (8 x 8 x 4 levels, nearest level per channel), which is what a GIF can hold without dithering.
#include "lx/Image8.h"

#include <string>
#include <vector>

namespace lx {

class Gif {
public:
    // The bytes of an animated GIF. `delayCentiseconds` per frame (GIF's unit; 4 = 25 fps), `loops` 0 =
    // forever. Throws lx::Error for no frames, frames of different sizes, a size above 65535, an empty
    // frame or a channel count other than 1 or 3.
    static std::string encode(const std::vector<Image8>& frames, int delayCentiseconds, int loops = 0);
    // Writes atomically (AtomicFile). Throws lx::Error naming the path.
    static void write(const std::string& path, const std::vector<Image8>& frames, int delayCentiseconds, int loops = 0);
    // The palette index of an RGB colour in the 3-3-2 palette, and that entry's colour.
    static int colourIndex(uint8_t r, uint8_t g, uint8_t b);
    static void paletteColour(int index, uint8_t* rgb);
};

} // namespace lx

#pragma once
// Composes model outputs into one 8-bit picture: a grid of tiles with padding, for figures written
// without Qt (the CLI's PNGs). Tile values are mapped linearly from [low, high] (a model's
// output_range) to 0..255 and clamped.
#include "lx/Array.h"
#include "lx/Image8.h"

#include <cstdint>
#include <vector>

namespace lx {

struct ImageGridOptions {
    double low = -1.0; // value drawn as 0
    double high = 1.0; // value drawn as 255
    int padding = 2; // pixels between tiles and around the grid (before upscaling)
    int headerGap = 0; // extra pixels after the first row and after the first column
    uint8_t background = 255; // gray level of the padding
    int scale = 1; // nearest-neighbour integer upscale of the whole picture (1..16)
};

class ImageGrid {
public:
    // tiles: rows * cols entries, row-major. Each is [C, H, W] with C = 1 (gray) or 3 (RGB), or [H, W]
    // (gray); all non-empty tiles share one shape. An empty Array leaves its cell blank (background).
    // The picture is RGB when the tiles have 3 channels, else gray. Throws lx::Error for other shapes,
    // a tile count other than rows * cols, no tile at all, low >= high or a scale outside 1..16.
    static Image8 compose(const std::vector<Array>& tiles, int rows, int cols, const ImageGridOptions& options = {});
    // One value to 0..255 as compose() maps it (rounded, clamped; NaN gives 0).
    static uint8_t toByte(float value, double low, double high);
};

} // namespace lx

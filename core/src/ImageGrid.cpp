#include "lx/ImageGrid.h"

#include "lx/Error.h"

#include <algorithm>
#include <cmath>

namespace lx {

uint8_t ImageGrid::toByte(float value, double low, double high)
{
    const double v = (static_cast<double>(value) - low) / (high - low) * 255.0;
    if (!(v > 0.0)) // also NaN
        return 0;
    return v >= 255.0 ? 255 : static_cast<uint8_t>(std::lround(v));
}

Image8 ImageGrid::compose(const std::vector<Array>& tiles, int rows, int cols, const ImageGridOptions& options)
{
    if (rows < 1 || cols < 1 || tiles.size() != static_cast<size_t>(rows) * static_cast<size_t>(cols))
        throw Error("image grid: expected rows x cols = " + std::to_string(rows) + " x " + std::to_string(cols)
                    + " tiles, got " + std::to_string(tiles.size()));
    if (!(options.low < options.high))
        throw Error("image grid: the value range must have low < high");
    if (options.scale < 1 || options.scale > 16)
        throw Error("image grid: scale must be between 1 and 16, got " + std::to_string(options.scale));
    if (options.padding < 0 || options.headerGap < 0)
        throw Error("image grid: padding must not be negative");

    std::vector<int64_t> shape;
    for (const Array& t : tiles) {
        if (t.empty())
            continue;
        if (shape.empty())
            shape = t.shape();
        else if (t.shape() != shape)
            throw Error("image grid: tiles of different shapes " + Array::shapeString(shape) + " and "
                        + Array::shapeString(t.shape()));
    }
    if (shape.empty())
        throw Error("image grid: no tile to draw");
    const bool planar = shape.size() == 3;
    if (!(shape.size() == 2 || (planar && (shape[0] == 1 || shape[0] == 3))))
        throw Error("image grid: cannot draw outputs of shape " + Array::shapeString(shape)
                    + " as images (need [1, H, W], [3, H, W] or [H, W])");
    const int channels = planar ? static_cast<int>(shape[0]) : 1;
    const int th = static_cast<int>(shape[shape.size() - 2]), tw = static_cast<int>(shape[shape.size() - 1]);
    const int pad = options.padding, gap = options.headerGap;
    const int width = cols * tw + (cols + 1) * pad + (cols > 1 ? gap : 0);
    const int height = rows * th + (rows + 1) * pad + (rows > 1 ? gap : 0);

    Image8 grid(width, height, channels, options.background);
    const int64_t plane = int64_t(th) * tw;
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            const Array& t = tiles[size_t(r) * size_t(cols) + size_t(c)];
            if (t.empty())
                continue;
            const int x0 = pad + c * (tw + pad) + (c > 0 ? gap : 0);
            const int y0 = pad + r * (th + pad) + (r > 0 ? gap : 0);
            for (int y = 0; y < th; ++y) {
                for (int x = 0; x < tw; ++x) {
                    uint8_t* px = grid.at(x0 + x, y0 + y);
                    for (int k = 0; k < channels; ++k)
                        px[k] = toByte(t.ptr()[k * plane + int64_t(y) * tw + x], options.low, options.high);
                }
            }
        }
    }
    if (options.scale == 1)
        return grid;
    const int s = options.scale;
    Image8 big(width * s, height * s, channels);
    for (int y = 0; y < big.height; ++y) {
        for (int x = 0; x < big.width; ++x) {
            const uint8_t* from = grid.at(x / s, y / s);
            std::copy(from, from + channels, big.at(x, y));
        }
    }
    return big;
}

} // namespace lx

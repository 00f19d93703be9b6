#pragma once
// lx::ShapesDataset ("lx-shapes"): a procedural dSprites-style dataset generated on the fly, no
// download. 64x64 grayscale images in [0, 1] (background 0, shape 1) of one white shape, with five
// factors (flat index: mixed radix, last factor fastest, see FactorDataset.h):
//
//   factor        size  values (factorValues)
//   shape         3     0 = square, 1 = ellipse, 2 = heart (values 0, 1, 2)
//   scale         6     linspace(0.5, 1, 6)
//   orientation   16    2 pi k / 16 radians, k = 0..15 (counterclockwise as seen on screen)
//   pos_x         16    linspace(0, 1, 16): centre column cx = 16 + 32 pos_x pixels
//   pos_y         16    linspace(0, 1, 16): centre row    cy = 16 + 32 pos_y pixels (row 0 at the top)
//
// 3 * 6 * 16 * 16 * 16 = 73,728 images. Geometry: pixel (row r, column c) covers [c, c+1) x [r, r+1);
// its value is the fraction of a 4x4 grid of sample points (c + (i + 0.5) / 4, r + (j + 0.5) / 4)
// inside the shape (deterministic supersampling; values are multiples of 1/16). Each shape is a unit
// shape inside the unit disc, scaled to a radius of 14 * scale pixels, so every shape lies at least
// 2 pixels inside the frame at every position and orientation:
//   square   |u|, |v| <= 1/sqrt(2)             (area 2 * (14 scale)^2 pixels)
//   ellipse  u^2 + (2 v)^2 <= 1                (long axis horizontal at orientation 0)
//   heart    (x^2 + y^2 - 1)^3 - x^2 y^3 <= 0, x = 1.25 u, y = 1.25 v + 0.25 (tip down at orientation 0)
// with (u, v) the point in shape coordinates (v up on screen), rotated by -orientation. Rotations by
// multiples of 90 degrees are exact (a square at orientation k and k + 4 renders identically).
#include "lx/FactorDataset.h"

namespace lx {

class ShapesDataset : public FactorDataset {
public:
    ShapesDataset();

    std::string name() const override; // "lx-shapes"
    const std::vector<std::string>& factorNames() const override; // shape, scale, orientation, pos_x, pos_y
    const std::vector<int64_t>& factorSizes() const override; // 3, 6, 16, 16, 16
    std::vector<int64_t> imageShape() const override; // [1, 64, 64]
    Array images(const std::vector<int64_t>& indices) const override;

    // The values of factor `factor` (see the table above); throws lx::Error for a bad factor.
    std::vector<double> factorValues(int64_t factor) const override;
    // The names of the shape factor's values: square, ellipse, heart.
    static const std::vector<std::string>& shapeNames();

    static constexpr int kImageSize = 64;
    static constexpr int kSupersample = 4; // sample points per pixel along each axis

private:
    void render(int64_t index, float* out) const; // one [64, 64] image

    std::vector<std::string> mNames;
    std::vector<int64_t> mSizes;
};

} // namespace lx

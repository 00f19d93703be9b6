#pragma once
// Response maps on a 2-D slice of an autoencoder's latent space (Leeb et al., NeurIPS 2022):
// dimensions x = dimX and y = dimY vary over an n x n grid on [-r, r]^2, every other dimension stays
// at the base point's value, and the field is the latent response minus the latent on (x, y):
//   u(z) = (R_x(z) - z_x, R_y(z) - z_y),   R(z) = posterior mean of encode(decode(z)).
// Derived maps:
//   magnitude   |u|
//   divergence  d u_x / d(ix) + d u_y / d(iy), with np.gradient semantics: central differences
//               (f[i+1] - f[i-1]) / 2 inside, one-sided f[1] - f[0] and f[n-1] - f[n-2] at the
//               borders, in INDEX units (no 1 / delta; delta = 2r / (n - 1) is the grid step). Sinks
//               (negative divergence) are where the encode-decode loop contracts.
//   curvature   mean curvature -1/2 div(u / |u|), same finite differences; where |u| = 0 the unit
//               vector is taken as 0.
//
// ORIENTATION (every [n, n] map, and the histogram): element [row, col] = map.ptr()[row * n + col] is
// the grid point z_x = axis[col], z_y = axis[row]. Row 0 is y = -r, row n-1 is y = +r; column 0 is
// x = -r. So a plot with y pointing UP draws row 0 at the BOTTOM (no flip needed in a y-up plot; an
// image with row 0 at the top must be flipped vertically). This is the original code's meshgrid('ij')
// result transposed, so that rows follow y.
#include "lx/Array.h"
#include "lx/Progress.h"

#include <vector>

namespace lx {

class ResponseEngine;

struct ResponseMapOptions {
    int dimX = 0; // latent dimension on the horizontal axis
    int dimY = 1; // latent dimension on the vertical axis (must differ from dimX)
    int gridSize = 64; // n >= 2 grid values per axis (the paper: 64; 100 for 3D-Shapes)
    double radius = 2.0; // r > 0: the grid spans [-r, r] on both axes
};

struct ResponseMapResult {
    Array base; // [d]: the base point (dimensions x and y are overwritten on the grid)
    Array fieldX, fieldY; // [n, n]: u_x, u_y (see ORIENTATION above)
    Array magnitude; // [n, n]: |u|
    Array divergence; // [n, n]: index units
    Array curvature; // [n, n]: index units
    Array histogram; // [n/2, n/2] counts of posterior means (x, y) per bin over [-r, r]^2,
        // same orientation (row = y bin); empty when no posterior means were
        // given. Bins as numpy.histogram2d: [e_i, e_{i+1}), the last bin closed;
        // points outside [-r, r]^2 are not counted.
    std::vector<double> axis; // the n grid values, linspace(-r, r, n), for both x and y
};

// Computes the maps. base is one latent of d values ([d], [1, d], [*latent_shape] ...); posteriorMeans is [M, d] (or
// [M, *latent_shape]) or empty (no histogram). The n*n grid latents go through the model in passes of
// engine.effectiveChunkRows(); `progress` gets (grid points done, n * n) and a cancelled token makes it
// throw lx::Cancelled between passes. Throws lx::Error for bad dimensions, n < 2, r <= 0, or shapes.
ResponseMapResult responseMap(ResponseEngine& engine, const Array& base, const ResponseMapOptions& options,
                              const Array& posteriorMeans, const ProgressFn& progress = {},
                              const CancelToken* cancel = nullptr);

// The pieces, for tests and other grids. Both take [n, n] maps (row = y index, column = x index).
// np.gradient-style divergence of the field (fx, fy) in index units: [n, n].
Array gridDivergence(const Array& fieldX, const Array& fieldY);
// -1/2 div(u / |u|), the unit vector being 0 where |u| = 0: [n, n].
Array gridMeanCurvature(const Array& fieldX, const Array& fieldY);
// Counts of the points (xs[m], ys[m]) in bins x bins equal cells over [-r, r]^2: [bins, bins], row = y.
Array histogram2d(const std::vector<float>& xs, const std::vector<float>& ys, int bins, double radius);

} // namespace lx

#pragma once
// Preprocessing of influence maps before module discovery: spatial Gaussian smoothing and a per-map
// quantile threshold. Both are user parameters (the paper's constants are unverified; 0 = off).
#include "lx/Array.h"

namespace lx {

class EimPreprocess {
public:
    // maps: [C, H, W]. Separable Gaussian of standard deviation sigma pixels (radius ceil(3 sigma)),
    // mirrored at the borders. sigma = 0 returns the maps unchanged.
    static Array smooth(const Array& maps, double sigma);
    // maps: [C, ...]. In each map, values below its q-quantile (linear interpolation, as numpy's) are set
    // to 0. q = 0 returns the maps unchanged; q must lie in [0, 1).
    static Array threshold(const Array& maps, double q);
};

} // namespace lx

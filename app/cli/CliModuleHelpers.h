#pragma once
// Pieces of module discovery shared by the module commands (CliModules.cpp) and the module assays
// (CliModuleAssays.cpp).
#include "lx/Array.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lx {
class Model;
}

namespace CliModuleHelpers {

// Elementary influence maps of `layer` over the pairs of seeds (first + i, first + pairs + i) (within-class
// pairs for a class-conditional model, as lx::SeedClasses deals them), smoothed (sigma pixels, image maps
// only; 0 = off) and thresholded at each map's q-quantile (0 = off): the matrix module discovery factorises.
lx::Array preprocessedMaps(lx::Model& model, int layer, uint64_t first, int64_t pairs, double sigma, double q);

// The "assignment" list of DIR/modules.json (as the `modules` command writes it). Throws lx::Error
// naming the file when it is missing or malformed.
std::vector<int> readAssignment(const std::string& dir);

} // namespace CliModuleHelpers

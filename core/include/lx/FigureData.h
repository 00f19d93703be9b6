#pragma once
// The arrays behind an exported hybrid-grid figure, so it can be remade in matplotlib: a
// folder with originals.npy [R, *image], donors.npy [C, *image], hybrids.npy [R, C, *image] (float32,
// model units), cells.csv (one row per hybrid: row, col, row_seed, col_seed, and the mean absolute
// change from the original, in model units) and provenance.json. Every file is written atomically.
#include "lx/FigureSpec.h"
#include "lx/HybridGrid.h"

#include <string>
#include <vector>

namespace lx {

class FigureData {
public:
    // Creates `folder` when missing. Returns the paths written. Throws lx::Error naming the file that
    // could not be written, or a grid whose size does not match the spec's seeds.
    static std::vector<std::string> writeHybridGrid(const std::string& folder, const HybridGridResult& grid,
                                                    const FigureSpec& spec, const std::string& provenanceJson);
    // cells.csv as text (for tests and the clipboard).
    static std::string cellsCsv(const HybridGridResult& grid, const FigureSpec& spec);
};

} // namespace lx

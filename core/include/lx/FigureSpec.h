#pragma once
// lx::FigureSpec: everything needed to remake an exported figure from its session document:
// what the figure shows (a module hybrid grid: layer, channels, row and column seeds, a label) and how it
// is drawn (FigureStyle: size, fonts, DPI, labels). The GUI records one per export in the session's
// "figures" list, and `latent-explorer-cli render SESSION --out FIG.pdf` recomputes and redraws it with
// the same drawing code, so both give the same pixels. JSON:
//   {"kind": "hybrid-grid", "name": "grid-m2", "layer": "main.5", "channels": [..], "label": "..",
//    "row_seeds": [..], "col_seeds": [..],
//    "row_classes": [..], "col_classes": [..], "class_after_cut": "base" | "donor",   (conditional models)
//    "style": {"dpi": 300, "font_family": "DejaVu Sans", "font_pt": 7, "tile_mm": 10, "title": "..",
//              "show_title": true, "show_seeds": true, "show_bands": true}}
#include <cstdint>
#include <string>
#include <vector>

namespace lx {

struct FigureStyle {
    double dpi = 300.0; // PNG resolution (vector formats ignore it)
    std::string fontFamily = "DejaVu Sans";
    double fontPt = 7.0; // label size; the title is 1.2x
    double tileMm = 10.0; // side of one image tile
    std::string title; // empty: made from the label and layer
    bool showTitle = true;
    bool showSeeds = true; // seed labels on rows and columns
    bool showBands = true; // coloured marks on the donor row / original column

    std::string toJson() const; // the "style" object
    // Throws lx::Error naming the bad key (value ranges as FigureSpec::fromJson checks them).
    static FigureStyle fromJson(const std::string& text);
    bool operator==(const FigureStyle& o) const;
};

struct FigureSpec {
    static constexpr const char* kHybridGrid = "hybrid-grid";

    std::string kind = kHybridGrid;
    std::string name; // e.g. the exported file's stem; `render --figure NAME` finds it
    std::string layer; // layer name
    std::vector<int> channels; // taken from the column samples
    std::string label; // what the channels are, e.g. "module M2 (8 of 64 channels, NMF)"
    std::vector<uint64_t> rowSeeds; // z1 per row
    std::vector<uint64_t> colSeeds; // z2 per column
    // A class-conditional model's class index per row and per column (empty for other models), and
    // whether the layers after the cut take the column's class (the cross-class hybrid).
    std::vector<int> rowClasses, colClasses;
    bool classFromDonor = false;
    FigureStyle style;

    // The title drawn when style.title is empty.
    std::string defaultTitle() const;
    std::string toJson() const; // one JSON object
    // What is embedded in every export of this figure: tool version, model file name and SHA-256, and
    // the spec itself (layer, channels, seeds, style), as one JSON object.
    std::string provenanceJson(const std::string& modelFile, const std::string& modelSha256,
                               const std::string& toolVersion) const;
    // Throws lx::Error (one line) naming the bad key: unknown kind, no seeds, negative channel, dpi
    // outside [36, 2400], font size outside [3, 72], tile size outside [2, 100] mm, classes that are not
    // one per row and column or negative.
    static FigureSpec fromJson(const std::string& text);
    bool operator==(const FigureSpec& o) const;
};

} // namespace lx

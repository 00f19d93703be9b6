#pragma once
// Writes a HybridGridFigure as PDF or SVG (vector: labels and marks stay text and shapes, the model's
// images are embedded pixel for pixel) or PNG at the style's DPI, atomically (QSaveFile: a failed write
// leaves any earlier file as it was). Provenance (tool version, model hash, layer, channels, seeds,
// style) is embedded as metadata: PNG text chunks "Software"/"Description", the PDF's Creator entry,
// the SVG's <desc>.
#include <QString>

namespace lx::ui {

class HybridGridFigure;

class FigureWriter {
public:
    enum class Format { Pdf, Svg, Png };

    // The format a path asks for by its extension. Throws lx::Error("unknown figure format '.jpg' (use
    // .pdf, .svg or .png)").
    static Format formatOf(const QString& path);
    // Throws lx::Error naming the path: unknown extension, a folder that does not exist or cannot be
    // written, a failed commit. `provenanceJson` is stored as metadata.
    static void write(const QString& path, const HybridGridFigure& figure, const QString& provenanceJson);
};

} // namespace lx::ui

#pragma once
// A module hybrid grid laid out for a paper: the donors x(z2_j) along the top, the originals
// x(z1_i) down the left, the hybrids inside, seed labels, an optional title and coloured marks, sized in
// points from a FigureStyle (tile side in mm, fonts in pt). One drawing routine serves the GUI's export,
// the clipboard and `latent-explorer-cli render`, so all of them give the same pixels. Needs only Qt Gui
// (a QGuiApplication for the fonts), no widgets.
#include "lx/FigureSpec.h"
#include "lx/HybridGrid.h"

#include <QImage>
#include <QRectF>
#include <QSizeF>
#include <QString>
#include <QVector>

class QPainter;

namespace lx::ui {

class HybridGridFigure {
public:
    // `grid` in model units, mapped from [low, high] (output_range) to 0..255.
    HybridGridFigure(const lx::HybridGridResult& grid, double low, double high, const lx::FigureSpec& spec);

    QSizeF sizePt() const { return mSize; }
    QString title() const;
    const lx::FigureSpec& spec() const { return mSpec; }
    // Tile (row, col) of the figure in points: row 0 = donors, col 0 = originals (the corner is empty).
    QRectF tileRect(int row, int col) const;

    // Draws in points onto a painter whose device has a logical DPI of 72 (PDF, SVG) or that was scaled
    // to points (rasterize()).
    void paint(QPainter& painter) const;
    // The figure as an RGB image at `dpi` (the PNG export and the clipboard).
    QImage rasterize(double dpi) const;

private:
    void layout();

    lx::FigureSpec mSpec;
    int mRows = 0;
    int mCols = 0;
    QVector<QImage> mTiles; // (rows + 1) x (cols + 1), row-major; the corner is null
    double mTile = 0.0; // tile side, pt
    double mGap = 0.0;
    double mHeaderGap = 0.0;
    double mMargin = 0.0;
    double mTitleHeight = 0.0;
    double mTopLabels = 0.0;
    double mLeftLabels = 0.0;
    QPointF mOrigin; // top-left of tile (0, 0)
    QSizeF mSize;
};

} // namespace lx::ui

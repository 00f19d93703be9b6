#pragma once
// Draws a module hybrid grid (ModuleGridData) the way Besserve et al.'s figure lays it out: the top
// row holds the donors x(z2_j) on an orange band, the left column the originals x(z1_i) on a blue
// band, the hybrids fill the rest; seeds label the rows and columns; the corner stays empty. Tiles
// stay square and are scaled with nearest-neighbour sampling so the model's pixels stay visible.
#include "ui/modules/ModuleAssayTypes.h"

#include <QWidget>

namespace lx::ui {

class ModuleGridCanvas : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxTileSide = 192;

    explicit ModuleGridCanvas(QWidget* parent);

    void setData(const ModuleGridData& data);
    void clear(const QString& placeholder);
    bool hasData() const { return mHasData; }

    // Where tile (row, col) of the figure is drawn: row 0 = donors, col 0 = originals (for tests).
    QRect tileRect(int row, int col) const;
    int tileSide() const;

    QSize sizeHint() const override { return {640, 520}; }
    QSize minimumSizeHint() const override { return {200, 160}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    struct Geometry {
        int side = 0;
        int gap = 0;
        int headerGap = 0;
        QPoint origin; // top-left of tile (0, 0)
    };
    Geometry geometry() const;

    ModuleGridData mData;
    bool mHasData = false;
    QString mPlaceholder;
};

} // namespace lx::ui

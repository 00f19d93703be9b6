#pragma once
// Draws a counterfactual grid (CgnGridData): the fixed mask on the left, on a band, then rows x cols
// composites that share it, each with its own random texture and background. Tiles are square, scaled
// with nearest-neighbour sampling (whole multiples of the model's pixels when they are at least twice
// as large) and separated by thin gaps; hovering a tile names its classes and seeds.
#include "ui/cgn/CgnTypes.h"

#include <QWidget>

namespace lx::ui {

class CgnGridCanvas : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxTileSide = 160;
    static constexpr int kGap = 2;

    explicit CgnGridCanvas(QWidget* parent);

    void setData(const CgnGridData& data, const QStringList& classes);
    void clear(const QString& placeholder);
    bool hasData() const { return mHasData; }
    const CgnGridData& data() const { return mData; }

    // Where cell (row, col) is drawn; col -1 is the mask (row 0 only). Empty when there is none.
    QRect tileRect(int row, int col) const;
    int tileSide() const;
    // The text of the tooltip over cell (row, col).
    QString cellText(int row, int col) const;

    QSize sizeHint() const override { return {760, 420}; }
    QSize minimumSizeHint() const override { return {240, 140}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Geometry {
        int side = 0;
        QPoint origin; // top-left of cell (0, 0)
        QPoint maskOrigin;
    };
    Geometry geometry() const;

    CgnGridData mData;
    QStringList mClasses;
    bool mHasData = false;
    QString mPlaceholder;
};

} // namespace lx::ui

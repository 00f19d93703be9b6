#pragma once
// A gallery of elementary influence maps: one heatmap tile per channel (magma ramp, one scale for
// all channels, 0 .. the largest value), sorted by total influence, largest first, with the channel
// index and its total under each. Hovering shows the value under the cursor; clicking (Ctrl: toggle,
// Shift: range in gallery order) asks for a channel selection, which the owner applies to the
// channel panel and feeds back with setSelectedChannels. Meant to sit in a QScrollArea (it has a
// height for its width).
#include "ui/compute/WorkerTypes.h"

#include <QImage>
#include <QSet>
#include <QWidget>

namespace lx::ui {

class EimGallery : public QWidget {
    Q_OBJECT
public:
    explicit EimGallery(QWidget* parent);

    void setMaps(const InfluenceResult& result);
    void clear();
    void setPlaceholderText(const QString& text);
    // Highlights these channels; emits nothing.
    void setSelectedChannels(const QVector<int>& channels);

    int tileCount() const { return static_cast<int>(mOrder.size()); }
    const QVector<int>& order() const { return mOrder; } // channels, in gallery order
    double scaleMax() const { return mScaleMax; }
    // The image part of tile `tile` (gallery order), in widget coordinates.
    QRect tileImageRect(int tile) const;
    int tileAt(const QPoint& pos) const; // -1 when not on a tile
    QString toolTipAt(const QPoint& pos) const;

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void selectionRequested(const QVector<int>& channels);

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    int columns(int width) const;
    QSize cellSize() const;
    QRect cellRect(int tile) const;

    InfluenceResult mResult;
    QVector<int> mOrder; // channel of each tile
    QVector<QImage> mImages; // per channel, native size
    double mScaleMax = 0.0;
    QSet<int> mSelected;
    int mAnchor = -1; // tile of the last plain or Ctrl click, for Shift ranges
    QString mPlaceholder;
};

} // namespace lx::ui

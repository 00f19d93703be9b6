#pragma once
// Shows one image scaled to fit (aspect ratio kept) under a caption. Small images are enlarged with
// nearest-neighbour sampling so their pixels stay crisp. Keeps showing the last image until the next
// one arrives; shows a placeholder text while it has none.
//
// Mask brush (interventions): while the brush is on, the left button paints and the right button
// (or Shift) erases discs of brushRadius() image pixels into a mask at the image's resolution; maskEdited
// is emitted when a stroke ends. A mask shows as an outline (and a translucent fill while brushing).
// Off by default.
#include <QImage>
#include <QString>
#include <QWidget>

class QPainter;

namespace lx::ui {

class ImageView : public QWidget {
    Q_OBJECT
public:
    ImageView(const QString& title, QWidget* parent);

    void setImage(const QImage& image);
    void clear();
    const QImage& image() const { return mImage; }

    void setTitle(const QString& title);
    const QString& title() const { return mTitle; }
    void setSubtitle(const QString& subtitle);
    void setPlaceholderText(const QString& text);

    void setBrushEnabled(bool enabled);
    bool brushEnabled() const { return mBrush; }
    void setBrushRadius(double radiusPx); // in image pixels
    double brushRadius() const { return mBrushRadius; }
    // The mask shown (Grayscale8, 255 = inside; null = none). Resized to the image on the next stroke.
    void setMask(const QImage& mask);
    const QImage& mask() const { return mMask; }
    // Where the image is drawn, in widget coordinates.
    QRect imageRect() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;

Q_SIGNALS:
    void maskEdited(const QImage& mask);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    QRect imageArea() const;
    int captionHeight() const;
    // The image's rectangle and the top of the caption above it.
    QRect layoutImage(int* top) const;
    void paintMaskAt(const QPointF& position);
    void paintMask(QPainter& painter, const QRect& destination) const;

    QString mTitle;
    QString mSubtitle;
    QString mPlaceholder;
    QImage mImage;
    bool mBrush = false;
    double mBrushRadius = 3.0;
    QImage mMask;
    bool mStroke = false;
    bool mErasing = false;
};

} // namespace lx::ui

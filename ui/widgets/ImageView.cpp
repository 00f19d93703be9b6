#include "ui/widgets/ImageView.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPaintEvent>

#include <algorithm>

namespace lx::ui {
namespace {
constexpr int kViewMargin = 6;
} // namespace

ImageView::ImageView(const QString& title, QWidget* parent)
    : QWidget(parent)
    , mTitle(title)
    , mPlaceholder(tr("No image yet"))
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAccessibleName(title);
}

void ImageView::setImage(const QImage& image)
{
    mImage = image;
    update();
}

void ImageView::clear()
{
    mImage = QImage();
    update();
}

void ImageView::setTitle(const QString& title)
{
    mTitle = title;
    setAccessibleName(title);
    update();
}

void ImageView::setSubtitle(const QString& subtitle)
{
    mSubtitle = subtitle;
    update();
}

void ImageView::setPlaceholderText(const QString& text)
{
    mPlaceholder = text;
    update();
}

QSize ImageView::sizeHint() const { return {360, 360 + captionHeight()}; }

QSize ImageView::minimumSizeHint() const { return {120, 120 + captionHeight()}; }

int ImageView::heightForWidth(int width) const { return width + captionHeight(); }

int ImageView::captionHeight() const
{
    QFont bold = font();
    bold.setBold(true);
    int h = QFontMetrics(bold).height() + kViewMargin;
    if (!mSubtitle.isEmpty())
        h += fontMetrics().height();
    return h + kViewMargin;
}

QRect ImageView::imageArea() const { return rect().adjusted(kViewMargin, captionHeight(), -kViewMargin, -kViewMargin); }

QRect ImageView::imageRect() const { return layoutImage(nullptr); }

QRect ImageView::layoutImage(int* topOut) const
{
    // Where the image goes: the largest rectangle of its aspect ratio (square while empty) that fits
    // under the caption. Small images are enlarged by a whole factor when that nearly fills it, so
    // every source pixel is the same size on screen.
    const QRect area = imageArea();
    if (area.width() <= 0 || area.height() <= 0)
        return {};
    const QSize source = mImage.isNull() ? QSize(1, 1) : mImage.size();
    QSize target = source.scaled(area.size(), Qt::KeepAspectRatio);
    const bool enlarging = !mImage.isNull() && target.width() >= source.width();
    if (enlarging) {
        const int factor = std::max(1, std::min(area.width() / source.width(), area.height() / source.height()));
        if (factor * source.width() >= target.width() * 3 / 4)
            target = source * factor;
    }
    // The caption and the image form one block, centred vertically.
    const int caption = captionHeight();
    const int top = std::max(0, (height() - caption - target.height() - kViewMargin) / 2);
    QRect destination(QPoint(0, 0), target);
    destination.moveCenter(QPoint(area.center().x(), top + caption + target.height() / 2));
    if (topOut)
        *topOut = top;
    return destination;
}

void ImageView::paintEvent(QPaintEvent* /*event*/)
{
    QPainter painter(this);
    const QPalette& pal = palette();
    painter.fillRect(rect(), pal.color(QPalette::Window));
    int top = 0;
    const QRect destination = layoutImage(&top);
    if (destination.isEmpty())
        return;
    const bool enlarging = !mImage.isNull() && destination.width() >= mImage.width();

    // Caption: a bold title, centred, with an optional smaller line under it.
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.setPen(pal.color(QPalette::WindowText));
    const int titleHeight = QFontMetrics(bold).height();
    painter.drawText(QRect(0, top + kViewMargin, width(), titleHeight), Qt::AlignCenter, mTitle);
    if (!mSubtitle.isEmpty()) {
        painter.setFont(font());
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(QRect(0, top + kViewMargin + titleHeight, width(), fontMetrics().height()), Qt::AlignCenter,
                         fontMetrics().elidedText(mSubtitle, Qt::ElideRight, width() - 2 * kViewMargin));
    }

    // A dark well with a thin frame, so gray images keep their contrast on any palette.
    painter.fillRect(destination.adjusted(-1, -1, 1, 1), QColor(24, 24, 28));
    if (mImage.isNull()) {
        painter.setFont(font());
        painter.setPen(QColor(170, 170, 178));
        painter.drawText(destination.adjusted(3 * kViewMargin, 3 * kViewMargin, -3 * kViewMargin, -3 * kViewMargin),
                         Qt::AlignCenter | Qt::TextWordWrap, mPlaceholder);
        return;
    }
    // Nearest-neighbour when enlarging (crisp pixels), smooth filtering when shrinking.
    painter.setRenderHint(QPainter::SmoothPixmapTransform, !enlarging);
    painter.drawImage(destination, mImage);
    if (!mMask.isNull())
        paintMask(painter, destination);
}

void ImageView::paintMask(QPainter& painter, const QRect& destination) const
{
    const QColor accent(240, 138, 60);
    if (mBrush) {
        // While brushing: the region in the warm accent, translucent, pixel for pixel over the image.
        QImage overlay(mMask.size(), QImage::Format_ARGB32_Premultiplied);
        for (int y = 0; y < mMask.height(); ++y) {
            const uchar* in = mMask.constScanLine(y);
            auto* out = reinterpret_cast<QRgb*>(overlay.scanLine(y));
            for (int x = 0; x < mMask.width(); ++x)
                out[x] = qPremultiply(qRgba(accent.red(), accent.green(), accent.blue(), in[x] * 90 / 255));
        }
        painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
        painter.drawImage(destination, overlay);
    }
    // Always its outline: the pixel edges between inside (>= half) and outside, so the image stays visible.
    const double sx = double(destination.width()) / mMask.width();
    const double sy = double(destination.height()) / mMask.height();
    const auto inside = [this](int x, int y) {
        return x >= 0 && y >= 0 && x < mMask.width() && y < mMask.height() && mMask.constScanLine(y)[x] >= 128;
    };
    QVector<QLineF> edges;
    for (int y = 0; y <= mMask.height(); ++y) {
        for (int x = 0; x <= mMask.width(); ++x) {
            const QPointF corner(destination.x() + x * sx, destination.y() + y * sy);
            if (inside(x, y) != inside(x - 1, y) && y < mMask.height())
                edges << QLineF(corner, corner + QPointF(0, sy));
            if (inside(x, y) != inside(x, y - 1) && x < mMask.width())
                edges << QLineF(corner, corner + QPointF(sx, 0));
        }
    }
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setPen(QPen(accent, 2));
    painter.drawLines(edges);
}

void ImageView::setBrushEnabled(bool enabled)
{
    mBrush = enabled;
    mStroke = false;
    setCursor(enabled ? Qt::CrossCursor : Qt::ArrowCursor);
    update();
}

void ImageView::setBrushRadius(double radiusPx) { mBrushRadius = std::max(0.5, radiusPx); }

void ImageView::setMask(const QImage& mask)
{
    mMask = mask.isNull() ? QImage() : mask.convertToFormat(QImage::Format_Grayscale8);
    update();
}

void ImageView::mousePressEvent(QMouseEvent* event)
{
    if (!mBrush || mImage.isNull() || !(event->button() == Qt::LeftButton || event->button() == Qt::RightButton)) {
        QWidget::mousePressEvent(event);
        return;
    }
    mStroke = true;
    mErasing = event->button() == Qt::RightButton || (event->modifiers() & Qt::ShiftModifier);
    if (mMask.size() != mImage.size()) {
        mMask = QImage(mImage.size(), QImage::Format_Grayscale8);
        mMask.fill(0);
    }
    paintMaskAt(event->position());
}

void ImageView::mouseMoveEvent(QMouseEvent* event)
{
    if (mStroke)
        paintMaskAt(event->position());
    else
        QWidget::mouseMoveEvent(event);
}

void ImageView::mouseReleaseEvent(QMouseEvent* event)
{
    if (!mStroke) {
        QWidget::mouseReleaseEvent(event);
        return;
    }
    mStroke = false;
    Q_EMIT maskEdited(mMask);
}

void ImageView::paintMaskAt(const QPointF& position)
{
    const QRect destination = imageRect();
    if (destination.isEmpty() || mMask.isNull())
        return;
    // Widget position to image pixels (continuous: pixel x covers [x, x + 1)).
    const double cx = (position.x() - destination.x()) * mMask.width() / destination.width();
    const double cy = (position.y() - destination.y()) * mMask.height() / destination.height();
    const double r = mBrushRadius;
    const uchar value = mErasing ? 0 : 255;
    for (int y = std::max(0, int(cy - r)); y <= std::min(mMask.height() - 1, int(cy + r)); ++y) {
        uchar* row = mMask.scanLine(y);
        for (int x = std::max(0, int(cx - r)); x <= std::min(mMask.width() - 1, int(cx + r)); ++x) {
            const double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
            if (dx * dx + dy * dy <= r * r)
                row[x] = value;
        }
    }
    update();
}

} // namespace lx::ui

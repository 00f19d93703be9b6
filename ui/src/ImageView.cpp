#include "lx/ui/ImageView.h"

#include <QPainter>
#include <QPaintEvent>

#include <algorithm>

namespace lx::ui {
namespace {
constexpr int kMargin = 6;
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

QSize ImageView::sizeHint() const
{
    return {360, 360 + captionHeight()};
}

QSize ImageView::minimumSizeHint() const
{
    return {120, 120 + captionHeight()};
}

int ImageView::heightForWidth(int width) const
{
    return width + captionHeight();
}

int ImageView::captionHeight() const
{
    QFont bold = font();
    bold.setBold(true);
    int h = QFontMetrics(bold).height() + kMargin;
    if (!mSubtitle.isEmpty())
        h += fontMetrics().height();
    return h + kMargin;
}

QRect ImageView::imageArea() const
{
    return rect().adjusted(kMargin, captionHeight(), -kMargin, -kMargin);
}

void ImageView::paintEvent(QPaintEvent* /*event*/)
{
    QPainter painter(this);
    const QPalette& pal = palette();
    painter.fillRect(rect(), pal.color(QPalette::Window));

    // Where the image goes: the largest rectangle of its aspect ratio (square while empty) that fits
    // under the caption. Small images are enlarged by a whole factor when that nearly fills it, so
    // every source pixel is the same size on screen.
    const QRect area = imageArea();
    if (area.width() <= 0 || area.height() <= 0)
        return;
    const QSize source = mImage.isNull() ? QSize(1, 1) : mImage.size();
    QSize target = source.scaled(area.size(), Qt::KeepAspectRatio);
    const bool enlarging = !mImage.isNull() && target.width() >= source.width();
    if (enlarging) {
        const int factor = std::max(1, std::min(area.width() / source.width(),
                                                area.height() / source.height()));
        if (factor * source.width() >= target.width() * 3 / 4)
            target = source * factor;
    }
    // The caption and the image form one block, centred vertically.
    const int caption = captionHeight();
    const int top = std::max(0, (height() - caption - target.height() - kMargin) / 2);
    QRect destination(QPoint(0, 0), target);
    destination.moveCenter(QPoint(area.center().x(), top + caption + target.height() / 2));

    // Caption: a bold title, centred, with an optional smaller line under it.
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.setPen(pal.color(QPalette::WindowText));
    const int titleHeight = QFontMetrics(bold).height();
    painter.drawText(QRect(0, top + kMargin, width(), titleHeight), Qt::AlignCenter, mTitle);
    if (!mSubtitle.isEmpty()) {
        painter.setFont(font());
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(QRect(0, top + kMargin + titleHeight, width(), fontMetrics().height()),
                         Qt::AlignCenter,
                         fontMetrics().elidedText(mSubtitle, Qt::ElideRight, width() - 2 * kMargin));
    }

    // A dark well with a thin frame, so gray images keep their contrast on any palette.
    painter.fillRect(destination.adjusted(-1, -1, 1, 1), QColor(24, 24, 28));
    if (mImage.isNull()) {
        painter.setFont(font());
        painter.setPen(QColor(170, 170, 178));
        painter.drawText(destination.adjusted(3 * kMargin, 3 * kMargin, -3 * kMargin, -3 * kMargin),
                         Qt::AlignCenter | Qt::TextWordWrap, mPlaceholder);
        return;
    }
    // Nearest-neighbour when enlarging (crisp pixels), smooth filtering when shrinking.
    painter.setRenderHint(QPainter::SmoothPixmapTransform, !enlarging);
    painter.drawImage(destination, mImage);
}

} // namespace lx::ui

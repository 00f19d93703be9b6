#include "ui/influence/EimGallery.h"

#include "ui/widgets/ColorMap.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <numeric>

namespace lx::ui {
namespace {

constexpr int kImageSide = 64;
constexpr int kPad = 5;
constexpr int kGalleryMargin = 6;

QString formatValue(double v) { return QString::number(v, 'g', 3); }

} // namespace

EimGallery::EimGallery(QWidget* parent)
    : QWidget(parent)
    , mPlaceholder(tr("No influence maps for this layer yet"))
{
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    setMouseTracking(true);
}

void EimGallery::setMaps(const InfluenceResult& result)
{
    mResult = result;
    mOrder.resize(result.channels);
    std::iota(mOrder.begin(), mOrder.end(), 0);
    std::stable_sort(mOrder.begin(), mOrder.end(),
                     [&](int a, int b) { return result.totals.value(a) > result.totals.value(b); });
    mScaleMax = 0.0;
    for (float v : result.maps)
        mScaleMax = std::max(mScaleMax, static_cast<double>(v));
    mImages.clear();
    mImages.reserve(result.channels);
    for (int c = 0; c < result.channels; ++c)
        mImages << ColorMap::heatmap(result.map(c), result.height, result.width, 0.0, mScaleMax);
    mAnchor = -1;
    updateGeometry();
    update();
}

void EimGallery::clear()
{
    mResult = InfluenceResult();
    mOrder.clear();
    mImages.clear();
    mScaleMax = 0.0;
    mAnchor = -1;
    updateGeometry();
    update();
}

void EimGallery::setPlaceholderText(const QString& text)
{
    mPlaceholder = text;
    update();
}

void EimGallery::setSelectedChannels(const QVector<int>& channels)
{
    QSet<int> selected(channels.begin(), channels.end());
    if (selected == mSelected)
        return;
    mSelected = std::move(selected);
    update();
}

QSize EimGallery::cellSize() const
{
    const int text = 2 * fontMetrics().height();
    return {kImageSide + 2 * kPad + 8, kImageSide + 2 * kPad + text + 2};
}

int EimGallery::columns(int width) const { return std::max(1, (width - 2 * kGalleryMargin) / cellSize().width()); }

int EimGallery::heightForWidth(int width) const
{
    if (mOrder.isEmpty())
        return 4 * fontMetrics().height();
    const int cols = columns(width);
    const int rows = (tileCount() + cols - 1) / cols;
    return 2 * kGalleryMargin + rows * cellSize().height();
}

QSize EimGallery::sizeHint() const
{
    const int width = 2 * kGalleryMargin + 8 * cellSize().width();
    return {width, heightForWidth(width)};
}

QSize EimGallery::minimumSizeHint() const
{
    return {2 * kGalleryMargin + cellSize().width(), 4 * fontMetrics().height()};
}

QRect EimGallery::cellRect(int tile) const
{
    const int cols = columns(width());
    const QSize cell = cellSize();
    return {kGalleryMargin + (tile % cols) * cell.width(), kGalleryMargin + (tile / cols) * cell.height(), cell.width(),
            cell.height()};
}

QRect EimGallery::tileImageRect(int tile) const
{
    if (tile < 0 || tile >= tileCount())
        return {};
    const QRect cell = cellRect(tile);
    const QImage& image = mImages[mOrder[tile]];
    QSize size = image.size().scaled(kImageSide, kImageSide, Qt::KeepAspectRatio);
    size = size.expandedTo(QSize(1, 12)); // flat outputs: a strip, not a hairline
    QRect rect(QPoint(0, 0), size);
    rect.moveCenter(QPoint(cell.center().x(), cell.top() + kPad + kImageSide / 2));
    return rect;
}

int EimGallery::tileAt(const QPoint& pos) const
{
    for (int tile = 0; tile < tileCount(); ++tile) {
        if (cellRect(tile).adjusted(2, 2, -2, -2).contains(pos))
            return tile;
    }
    return -1;
}

QString EimGallery::toolTipAt(const QPoint& pos) const
{
    const int tile = tileAt(pos);
    if (tile < 0)
        return {};
    const int channel = mOrder[tile];
    QString text = tr("Channel %1\nTotal influence %2 (rank %3 of %4)")
                       .arg(channel)
                       .arg(formatValue(mResult.totals.value(channel)))
                       .arg(tile + 1)
                       .arg(tileCount());
    const QRect image = tileImageRect(tile);
    if (image.contains(pos)) {
        const int x = std::clamp((pos.x() - image.left()) * mResult.width / image.width(), 0, mResult.width - 1);
        const int y = std::clamp((pos.y() - image.top()) * mResult.height / image.height(), 0, mResult.height - 1);
        const float v = mResult.map(channel)[qint64(y) * mResult.width + x];
        text += tr("\nPixel (%1, %2): %3").arg(x).arg(y).arg(formatValue(v));
    }
    return text;
}

bool EimGallery::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty()) {
            QToolTip::hideText();
            event->ignore();
            return true;
        }
        // The tooltip stays while the cursor is on the same source pixel, then follows it.
        const int tile = tileAt(help->pos());
        const QRect image = tileImageRect(tile);
        QRect area = cellRect(tile);
        if (image.contains(help->pos()) && mResult.width > 0 && mResult.height > 0) {
            const int px = (help->pos().x() - image.left()) * mResult.width / image.width();
            const int py = (help->pos().y() - image.top()) * mResult.height / image.height();
            area = QRect(image.left() + px * image.width() / mResult.width,
                         image.top() + py * image.height() / mResult.height, std::max(1, image.width() / mResult.width),
                         std::max(1, image.height() / mResult.height));
        }
        QToolTip::showText(help->globalPos(), text, this, area);
        return true;
    }
    return QWidget::event(event);
}

void EimGallery::mousePressEvent(QMouseEvent* event)
{
    const int tile = tileAt(event->position().toPoint());
    if (event->button() != Qt::LeftButton || tile < 0) {
        QWidget::mousePressEvent(event);
        return;
    }
    const int channel = mOrder[tile];
    const Qt::KeyboardModifiers mods = event->modifiers();
    QSet<int> selection;
    if (mods & Qt::ShiftModifier && mAnchor >= 0 && mAnchor < tileCount()) {
        if (mods & Qt::ControlModifier)
            selection = mSelected;
        for (int t = std::min(mAnchor, tile); t <= std::max(mAnchor, tile); ++t)
            selection.insert(mOrder[t]);
    } else if (mods & Qt::ControlModifier) {
        selection = mSelected;
        if (!selection.remove(channel))
            selection.insert(channel);
        mAnchor = tile;
    } else {
        selection.insert(channel);
        mAnchor = tile;
    }
    mSelected = selection;
    QVector<int> channels(selection.begin(), selection.end());
    std::sort(channels.begin(), channels.end());
    update();
    Q_EMIT selectionRequested(channels);
}

void EimGallery::paintEvent(QPaintEvent* event)
{
    QPainter painter(this);
    const QPalette& pal = palette();
    painter.fillRect(rect(), pal.color(QPalette::Base));
    if (mOrder.isEmpty()) {
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(rect().adjusted(12, 8, -12, -8), Qt::AlignCenter | Qt::TextWordWrap, mPlaceholder);
        return;
    }
    const QFontMetrics fm = fontMetrics();
    QFont bold = font();
    bold.setBold(true);
    for (int tile = 0; tile < tileCount(); ++tile) {
        const QRect cell = cellRect(tile).adjusted(2, 2, -2, -2);
        if (!cell.intersects(event->rect()))
            continue;
        const int channel = mOrder[tile];
        if (mSelected.contains(channel)) { // the channel panel's z2 accent
            painter.setPen(QPen(QColor(0xe8, 0x82, 0x2f), 2));
            painter.setBrush(QColor(240, 138, 60, 70));
            painter.drawRoundedRect(QRectF(cell).adjusted(1, 1, -1, -1), 4, 4);
        }
        const QRect image = tileImageRect(tile);
        painter.fillRect(image.adjusted(-1, -1, 1, 1), QColor(24, 24, 28));
        painter.setRenderHint(QPainter::SmoothPixmapTransform, image.width() < mImages[channel].width());
        painter.drawImage(image, mImages[channel]);

        const int textTop = cell.top() + kPad + kImageSide + 3;
        painter.setPen(pal.color(QPalette::Text));
        painter.setFont(bold);
        painter.drawText(QRect(cell.left(), textTop, cell.width(), fm.height()), Qt::AlignCenter,
                         QStringLiteral("#%1").arg(channel));
        painter.setFont(font());
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(QRect(cell.left(), textTop + fm.height(), cell.width(), fm.height()), Qt::AlignCenter,
                         formatValue(mResult.totals.value(channel)));
    }
}

} // namespace lx::ui

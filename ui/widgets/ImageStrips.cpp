#include "ui/widgets/ImageStrips.h"

#include "ui/figure/ExportMenu.h"

#include <QPainter>
#include <QSaveFile>

#include <algorithm>

namespace lx::ui {
namespace {
constexpr int kGap = 2;
constexpr int kStripMargin = 4;
} // namespace

ImageStrips::ImageStrips(QWidget* parent)
    : QWidget(parent)
{
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

void ImageStrips::setRows(const QVector<Row>& rows, const QStringList& columnCaptions)
{
    mRows = rows;
    mCaptions = columnCaptions;
    mPlaceholder.clear();
    updateGeometry();
    update();
}

void ImageStrips::clear(const QString& placeholder)
{
    mRows.clear();
    mCaptions.clear();
    mPlaceholder = placeholder;
    updateGeometry();
    update();
}

int ImageStrips::columns() const
{
    int cols = 0;
    for (const Row& row : mRows)
        cols = std::max(cols, static_cast<int>(row.images.size()));
    return cols;
}

int ImageStrips::labelWidth() const
{
    int width = 0;
    for (const Row& row : mRows)
        width = std::max(width, fontMetrics().horizontalAdvance(row.label));
    return width > 0 ? width + 2 * kStripMargin : 0;
}

int ImageStrips::captionHeight() const { return mCaptions.isEmpty() ? 0 : fontMetrics().height() + kGap; }

int ImageStrips::tileSize(int width) const
{
    const int cols = std::max(1, columns());
    const int room = (width - labelWidth() - kStripMargin) / cols - kGap;
    return std::clamp(room, kMinTile, kMaxTile);
}

int ImageStrips::heightForWidth(int width) const
{
    if (mRows.isEmpty())
        return 3 * fontMetrics().height();
    return captionHeight() + static_cast<int>(mRows.size()) * (tileSize(width) + kGap) + kStripMargin;
}

QSize ImageStrips::sizeHint() const
{
    const int width = 480;
    return {width, heightForWidth(width)};
}

void ImageStrips::paintEvent(QPaintEvent* /*event*/)
{
    QPainter painter(this);
    const QPalette& pal = palette();
    painter.fillRect(rect(), pal.color(QPalette::Window));
    if (mRows.isEmpty()) {
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(rect().adjusted(kStripMargin, kStripMargin, -kStripMargin, -kStripMargin),
                         Qt::AlignCenter | Qt::TextWordWrap, mPlaceholder);
        return;
    }
    const int tile = tileSize(width());
    const int left = labelWidth();
    int top = 0;
    if (!mCaptions.isEmpty()) {
        painter.setPen(pal.color(QPalette::PlaceholderText));
        for (int c = 0; c < mCaptions.size(); ++c) {
            painter.drawText(QRect(left + c * (tile + kGap), 0, tile, fontMetrics().height()), Qt::AlignCenter,
                             fontMetrics().elidedText(mCaptions[c], Qt::ElideRight, tile));
        }
        top = captionHeight();
    }
    for (const Row& row : mRows) {
        painter.setPen(pal.color(QPalette::WindowText));
        painter.drawText(QRect(0, top, left - kStripMargin, tile), Qt::AlignRight | Qt::AlignVCenter, row.label);
        for (int c = 0; c < row.images.size(); ++c) {
            const QRect target(left + c * (tile + kGap), top, tile, tile);
            painter.fillRect(target, QColor(24, 24, 28));
            const QImage& image = row.images[c];
            if (image.isNull())
                continue;
            const QSize size = image.size().scaled(target.size(), Qt::KeepAspectRatio);
            QRect place(QPoint(0, 0), size);
            place.moveCenter(target.center());
            painter.setRenderHint(QPainter::SmoothPixmapTransform, size.width() < image.width());
            painter.drawImage(place, image);
        }
        top += tile + kGap;
    }
}

bool ImageStrips::saveImage(const QString& path, QString* error) const
{
    return ExportMenu::saveWidget(const_cast<ImageStrips*>(this), path, error);
}

} // namespace lx::ui

#include "ui/figure/HybridGridFigure.h"

#include "lx/Error.h"
#include "ui/figure/ImageConvert.h"

#include <QFont>
#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>

namespace lx::ui {
namespace {

constexpr double kPtPerMm = 72.0 / 25.4;
const QColor kDonorColor(0xe8, 0x82, 0x2f);
const QColor kOriginalColor(0x2f, 0x6f, 0xb5);

// A font whose point size is in the painter's units when the device has 72 logical DPI.
QFont figureFont(const lx::FigureStyle& style, double scale = 1.0)
{
    QFont font(QString::fromStdString(style.fontFamily));
    font.setPointSizeF(style.fontPt * scale);
    font.setHintingPreference(QFont::PreferNoHinting); // the same glyph shapes at every DPI
    return font;
}

// A 72-DPI device for measuring text in points.
const QImage& pointDevice()
{
    static const QImage device = [] {
        QImage image(1, 1, QImage::Format_RGB32);
        image.setDotsPerMeterX(qRound(72.0 / 0.0254));
        image.setDotsPerMeterY(qRound(72.0 / 0.0254));
        return image;
    }();
    return device;
}

QString seedText(const char* which, uint64_t seed)
{
    return QStringLiteral("%1 = %2").arg(QString::fromUtf8(which)).arg(seed);
}

} // namespace

HybridGridFigure::HybridGridFigure(const lx::HybridGridResult& grid, double low, double high,
                                   const lx::FigureSpec& spec)
    : mSpec(spec)
    , mRows(static_cast<int>(grid.rows()))
    , mCols(static_cast<int>(grid.cols()))
{
    if (mRows == 0 || mCols == 0)
        throw lx::Error("figure: the hybrid grid is empty");
    if (static_cast<size_t>(mRows) != spec.rowSeeds.size() || static_cast<size_t>(mCols) != spec.colSeeds.size())
        throw lx::Error("figure: the grid's size does not match the figure's seeds");
    const std::vector<lx::Array> tiles = grid.figureTiles();
    mTiles.reserve(static_cast<int>(tiles.size()));
    for (const lx::Array& t : tiles)
        mTiles.push_back(t.empty() ? QImage() : ImageConvert::toImage(t, low, high));
    layout();
}

QString HybridGridFigure::title() const
{
    return QString::fromStdString(mSpec.style.title.empty() ? mSpec.defaultTitle() : mSpec.style.title);
}

void HybridGridFigure::layout()
{
    const lx::FigureStyle& style = mSpec.style;
    const double f = style.fontPt;
    mTile = style.tileMm * kPtPerMm;
    mGap = std::max(0.75, 0.04 * mTile);
    mHeaderGap = std::max(3.0, 0.22 * mTile);
    mMargin = 0.6 * f;
    const QFontMetricsF labels(figureFont(style), &pointDevice());
    const QFontMetricsF titles(figureFont(style, 1.2), &pointDevice());
    mTitleHeight = style.showTitle ? titles.height() + 0.6 * f : 0.0;
    mTopLabels = style.showSeeds ? labels.height() + 0.3 * f : 0.0;
    mLeftLabels = 0.0;
    if (style.showSeeds) {
        for (uint64_t s : mSpec.rowSeeds)
            mLeftLabels = std::max(mLeftLabels, labels.horizontalAdvance(seedText("z\u2081", s)));
        mLeftLabels += 0.5 * f;
    }
    mOrigin = QPointF(mMargin + mLeftLabels, mMargin + mTitleHeight + mTopLabels);
    const double gridWidth = (mCols + 1) * mTile + mCols * mGap + mHeaderGap;
    const double gridHeight = (mRows + 1) * mTile + mRows * mGap + mHeaderGap;
    double width = mOrigin.x() + gridWidth + mMargin;
    if (style.showTitle)
        width = std::max(width, titles.horizontalAdvance(title()) + 2 * mMargin);
    mSize = QSizeF(width, mOrigin.y() + gridHeight + mMargin);
}

QRectF HybridGridFigure::tileRect(int row, int col) const
{
    const double x = mOrigin.x() + col * (mTile + mGap) + (col > 0 ? mHeaderGap : 0.0);
    const double y = mOrigin.y() + row * (mTile + mGap) + (row > 0 ? mHeaderGap : 0.0);
    return QRectF(x, y, mTile, mTile);
}

void HybridGridFigure::paint(QPainter& painter) const
{
    const lx::FigureStyle& style = mSpec.style;
    painter.save();
    painter.fillRect(QRectF(QPointF(0, 0), mSize), Qt::white);
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false); // the model's pixels stay visible
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setRenderHint(QPainter::TextAntialiasing, true);
    for (int r = 0; r <= mRows; ++r) {
        for (int c = 0; c <= mCols; ++c) {
            const QImage& tile = mTiles[r * (mCols + 1) + c];
            if (!tile.isNull())
                painter.drawImage(tileRect(r, c), tile);
        }
    }
    if (style.showBands) {
        const double band = std::max(1.0, 0.3 * mHeaderGap);
        const QRectF donors = tileRect(0, 1).united(tileRect(0, mCols));
        const QRectF originals = tileRect(1, 0).united(tileRect(mRows, 0));
        painter.fillRect(QRectF(donors.left(), donors.bottom() + (mHeaderGap - band) / 2, donors.width(), band),
                         kDonorColor);
        painter.fillRect(QRectF(originals.right() + (mHeaderGap - band) / 2, originals.top(), band, originals.height()),
                         kOriginalColor);
    }
    painter.setPen(Qt::black);
    if (style.showSeeds) {
        painter.setFont(figureFont(style));
        for (int c = 1; c <= mCols; ++c) {
            const QRectF t = tileRect(0, c);
            painter.drawText(QRectF(t.left() - mGap, t.top() - mTopLabels, t.width() + 2 * mGap, mTopLabels),
                             Qt::AlignHCenter | Qt::AlignBottom, seedText("z\u2082", mSpec.colSeeds[size_t(c - 1)]));
        }
        for (int r = 1; r <= mRows; ++r) {
            const QRectF t = tileRect(r, 0);
            painter.drawText(QRectF(mMargin, t.top(), mLeftLabels - 0.5 * style.fontPt, t.height()),
                             Qt::AlignRight | Qt::AlignVCenter, seedText("z\u2081", mSpec.rowSeeds[size_t(r - 1)]));
        }
    }
    if (style.showTitle) {
        painter.setFont(figureFont(style, 1.2));
        painter.drawText(QRectF(mMargin, mMargin, mSize.width() - 2 * mMargin, mTitleHeight - 0.6 * style.fontPt),
                         Qt::AlignLeft | Qt::AlignVCenter, title());
    }
    painter.restore();
}

QImage HybridGridFigure::rasterize(double dpi) const
{
    const double scale = dpi / 72.0;
    const QSize pixels(std::max(1, qRound(mSize.width() * scale)), std::max(1, qRound(mSize.height() * scale)));
    QImage image(pixels, QImage::Format_RGB32);
    // Paint in points on a 72-DPI image (fonts in pt = painter units), then record the real DPI.
    image.setDotsPerMeterX(qRound(72.0 / 0.0254));
    image.setDotsPerMeterY(qRound(72.0 / 0.0254));
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        painter.scale(scale, scale);
        paint(painter);
    }
    image.setDotsPerMeterX(qRound(dpi / 0.0254));
    image.setDotsPerMeterY(qRound(dpi / 0.0254));
    return image.convertToFormat(QImage::Format_RGB888);
}

} // namespace lx::ui

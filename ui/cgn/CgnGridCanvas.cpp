#include "ui/cgn/CgnGridCanvas.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace lx::ui {
namespace {

const QColor kMaskBand(0x2f, 0x6f, 0xb5); // the fixed part, in the originals' accent
constexpr int kMaskGap = 16; // between the mask and the grid
constexpr int kCanvasMargin = 8;

} // namespace

CgnGridCanvas::CgnGridCanvas(QWidget* parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    clear(tr("The counterfactual grid appears here"));
}

void CgnGridCanvas::setData(const CgnGridData& data, const QStringList& classes)
{
    mData = data;
    mClasses = classes;
    mHasData = data.request.rows > 0 && data.request.cols > 0
        && data.composites.size() == data.request.rows * data.request.cols;
    mPlaceholder.clear();
    update();
}

void CgnGridCanvas::clear(const QString& placeholder)
{
    mData = CgnGridData();
    mHasData = false;
    mPlaceholder = placeholder;
    update();
}

CgnGridCanvas::Geometry CgnGridCanvas::geometry() const
{
    Geometry g;
    if (!mHasData)
        return g;
    const int rows = mData.request.rows;
    const int cols = mData.request.cols;
    const int labelHeight = fontMetrics().height() + 4;
    // The mask takes one column's width beside the grid.
    const int availW = width() - 2 * kCanvasMargin - kMaskGap - cols * kGap;
    const int availH = height() - 2 * kCanvasMargin - labelHeight - (rows - 1) * kGap;
    g.side = std::clamp(std::min(availW / (cols + 1), availH / rows), 4, kMaxTileSide);
    const int imageSide = std::max(mData.mask.width(), mData.mask.height());
    // Whole multiples of the model's pixels (every pixel the same size) unless that loses a fifth of the tile.
    if (imageSide > 0 && g.side >= 2 * imageSide && 5 * (g.side / imageSide * imageSide) >= 4 * g.side)
        g.side = g.side / imageSide * imageSide;
    const int gridW = (cols + 1) * g.side + kMaskGap + (cols - 1) * kGap;
    const int gridH = rows * g.side + (rows - 1) * kGap;
    const int left = std::max(kCanvasMargin, (width() - gridW) / 2);
    const int top = std::max(kCanvasMargin + labelHeight, (height() - gridH + labelHeight) / 2);
    g.maskOrigin = QPoint(left, top);
    g.origin = QPoint(left + g.side + kMaskGap, top);
    return g;
}

int CgnGridCanvas::tileSide() const { return geometry().side; }

QRect CgnGridCanvas::tileRect(int row, int col) const
{
    if (!mHasData || row < 0 || row >= mData.request.rows || col < -1 || col >= mData.request.cols)
        return {};
    const Geometry g = geometry();
    if (col == -1)
        return row == 0 ? QRect(g.maskOrigin, QSize(g.side, g.side)) : QRect();
    return {g.origin.x() + col * (g.side + kGap), g.origin.y() + row * (g.side + kGap), g.side, g.side};
}

QString CgnGridCanvas::cellText(int row, int col) const
{
    if (!mHasData || row < 0 || row >= mData.request.rows || col < 0 || col >= mData.request.cols)
        return {};
    const lx::CgnRequest& r = mData.cells[size_t(row * mData.request.cols + col)];
    const auto name = [this](int k) { return mClasses.value(k, QString::number(k)); };
    return tr("texture: %1 (seed %2)\nbackground: %3 (seed %4)")
        .arg(name(r.texture.classA))
        .arg(r.texture.seed)
        .arg(name(r.background.classA))
        .arg(r.background.seed);
}

bool CgnGridCanvas::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip && mHasData) {
        const auto* help = static_cast<QHelpEvent*>(event);
        for (int row = 0; row < mData.request.rows; ++row) {
            for (int col = -1; col < mData.request.cols; ++col) {
                if (!tileRect(row, col).contains(help->pos()))
                    continue;
                QToolTip::showText(
                    help->globalPos(),
                    col < 0 ? tr("The fixed mask (shape mechanism), shared by every cell") : cellText(row, col), this);
                return true;
            }
        }
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    return QWidget::event(event);
}

void CgnGridCanvas::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    if (!mHasData) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap, mPlaceholder);
        return;
    }
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);

    // The mask, on a band, captioned.
    const QRect maskRect = tileRect(0, -1);
    QColor band = kMaskBand;
    band.setAlpha(55);
    p.setPen(Qt::NoPen);
    p.setBrush(band);
    p.drawRoundedRect(maskRect.adjusted(-4, -4, 4, 4), 4, 4);
    p.drawImage(maskRect, mData.mask);
    const QFontMetrics fm(font());
    p.setPen(kMaskBand.darker(140));
    p.drawText(QRect(maskRect.left() - kMaskGap / 2, maskRect.top() - fm.height() - 6, maskRect.width() + kMaskGap,
                     fm.height()),
               Qt::AlignHCenter | Qt::AlignBottom, tr("mask"));

    // The counterfactuals: crisp tiles with thin gaps (the background shows through).
    const int rows = mData.request.rows;
    const int cols = mData.request.cols;
    for (int row = 0; row < rows; ++row) {
        for (int col = 0; col < cols; ++col)
            p.drawImage(tileRect(row, col), mData.cell(row, col));
    }
    p.setPen(palette().color(QPalette::PlaceholderText));
    const QRect first = tileRect(0, 0);
    const QRect last = tileRect(0, cols - 1);
    p.drawText(QRect(first.left(), first.top() - fm.height() - 6, last.right() - first.left(), fm.height()),
               Qt::AlignHCenter | Qt::AlignBottom,
               fm.elidedText(tr("%1 × %2 counterfactuals (grid seed %3)").arg(rows).arg(cols).arg(mData.request.seed),
                             Qt::ElideRight, last.right() - first.left()));
}

} // namespace lx::ui

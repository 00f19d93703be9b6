#include "ui/vq/VqCodeGrid.h"

#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QPixmap>
#include <QPolygon>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace lx::ui {
namespace {

// Tableau 10, then its light companions: distinct at a glance for the small codebooks of most models.
const QRgb kBase[20] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2,
                        0x7f7f7f, 0xbcbd22, 0x17becf, 0xaec7e8, 0xffbb78, 0x98df8a, 0xff9896,
                        0xc5b0d5, 0xc49c94, 0xf7b6d2, 0xc7c7c7, 0xdbdb8d, 0x9edae5};

const QColor kChangedPen(20, 20, 20);
const QColor kHighlightPen(10, 10, 10); // the last step's changes
const QColor kSelectedPen(0x3d, 0xa5, 0xd9); // as the matrix plots' row highlight
constexpr int kMinNumberCell = 14; // px: smaller cells show colour only
constexpr int kMaxCell = 48;

} // namespace

VqCodeGrid::VqCodeGrid(QWidget* parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    clear(tr("No codes yet"));
}

QColor VqCodeGrid::codeColour(int code, int codebookSize)
{
    if (code < 0)
        return QColor(0, 0, 0, 0);
    if (code < 20 && codebookSize <= 20)
        return QColor(kBase[code]);
    // Larger codebooks: golden-ratio hue steps over three saturation / value levels.
    const double hue = std::fmod(code * 0.6180339887498949, 1.0);
    const int level = code % 3;
    return QColor::fromHsvF(static_cast<float>(hue), 0.80f - 0.22f * level, 0.92f - 0.17f * ((code / 3) % 2));
}

QColor VqCodeGrid::textColour(const QColor& fill)
{
    const double luminance = 0.2126 * fill.redF() + 0.7152 * fill.greenF() + 0.0722 * fill.blueF();
    return luminance > 0.55 ? QColor(20, 20, 20) : QColor(250, 250, 250);
}

void VqCodeGrid::setShape(int codebooks, int rows, int cols, int codebookSize)
{
    mCodebooks = std::max(0, codebooks);
    mRows = std::max(0, rows);
    mCols = std::max(0, cols);
    mK = std::max(0, codebookSize);
    mCodes.clear();
    mReference.clear();
    mHighlighted.clear();
    mSelected = -1;
    updateGeometry();
    update();
}

void VqCodeGrid::setCodes(const QVector<int>& codes, const QVector<int>& reference)
{
    mCodes = codes.size() == nodeCount() ? codes : QVector<int>();
    mReference = reference.size() == nodeCount() ? reference : QVector<int>();
    update();
}

void VqCodeGrid::setHighlighted(const QVector<int>& nodes)
{
    mHighlighted = nodes;
    update();
}

void VqCodeGrid::setSelected(int node)
{
    mSelected = node >= 0 && node < nodeCount() ? node : -1;
    update();
}

void VqCodeGrid::clear(const QString& placeholder)
{
    mCodes.clear();
    mReference.clear();
    mHighlighted.clear();
    mPlaceholder = placeholder;
    update();
}

QVector<int> VqCodeGrid::changedNodes() const
{
    QVector<int> out;
    if (mReference.size() != mCodes.size())
        return out;
    for (int n = 0; n < mCodes.size(); ++n) {
        if (mCodes[n] != mReference[n])
            out << n;
    }
    return out;
}

VqCodeGrid::Layout VqCodeGrid::layoutFor(const QSize& size) const
{
    Layout l;
    if (nodeCount() == 0)
        return l;
    l.label = fontMetrics().height() + 4;
    l.gap = 14;
    // The arrangement of code maps (blocks in rows) that gives the largest cells.
    for (int perRow = 1; perRow <= mCodebooks; ++perRow) {
        const int blockRows = (mCodebooks + perRow - 1) / perRow;
        const int byWidth = (size.width() - (perRow - 1) * l.gap) / (perRow * mCols);
        const int byHeight = (size.height() - blockRows * l.label - (blockRows - 1) * l.gap) / (blockRows * mRows);
        const int cell = std::min({byWidth, byHeight, kMaxCell});
        if (cell > l.cell) {
            l.cell = cell;
            l.perRow = perRow;
        }
    }
    l.cell = std::max(l.cell, 2);
    const int blockRows = (mCodebooks + l.perRow - 1) / l.perRow;
    const int width = l.perRow * mCols * l.cell + (l.perRow - 1) * l.gap;
    const int height = blockRows * (l.label + mRows * l.cell) + (blockRows - 1) * l.gap;
    l.origin = QPoint(std::max(0, (size.width() - width) / 2), std::max(0, (size.height() - height) / 2));
    return l;
}

QRect VqCodeGrid::blockRect(const Layout& l, int codebook) const
{
    const int bx = codebook % l.perRow;
    const int by = codebook / l.perRow;
    const int x = l.origin.x() + bx * (mCols * l.cell + l.gap);
    const int y = l.origin.y() + by * (l.label + mRows * l.cell + l.gap) + l.label;
    return QRect(x, y, mCols * l.cell, mRows * l.cell);
}

QRect VqCodeGrid::cellRect(int node) const
{
    if (node < 0 || node >= nodeCount())
        return {};
    const Layout l = layoutFor(size());
    const int plane = mRows * mCols;
    const QRect block = blockRect(l, node / plane);
    const int i = (node % plane) / mCols;
    const int j = node % mCols;
    return QRect(block.left() + j * l.cell, block.top() + i * l.cell, l.cell, l.cell);
}

int VqCodeGrid::nodeAt(const QPoint& point) const
{
    if (nodeCount() == 0)
        return -1;
    const Layout l = layoutFor(size());
    for (int b = 0; b < mCodebooks; ++b) {
        const QRect block = blockRect(l, b);
        if (block.contains(point)) {
            const int i = std::min(mRows - 1, (point.y() - block.top()) / l.cell);
            const int j = std::min(mCols - 1, (point.x() - block.left()) / l.cell);
            return b * mRows * mCols + i * mCols + j;
        }
    }
    return -1;
}

QString VqCodeGrid::cellText(int node) const
{
    if (node < 0 || node >= nodeCount())
        return QString();
    const int plane = mRows * mCols;
    const QString where =
        tr("codebook %1, row %2, column %3").arg(node / plane).arg((node % plane) / mCols).arg(node % mCols);
    if (mCodes.isEmpty())
        return where;
    QString text = tr("%1: code %2").arg(where).arg(mCodes[node]);
    if (!mReference.isEmpty() && mReference[node] != mCodes[node])
        text += tr(" (encoded: %1)").arg(mReference[node]);
    return text;
}

bool VqCodeGrid::numbersShown() const
{
    const Layout l = layoutFor(size());
    const int digits = QString::number(std::max(0, mK - 1)).size();
    return l.cell >= kMinNumberCell && fontMetrics().horizontalAdvance(QString(digits, QLatin1Char('8'))) <= l.cell - 4;
}

QSize VqCodeGrid::sizeHint() const
{
    if (nodeCount() == 0)
        return {320, 240};
    const int cell = 34;
    const int label = fontMetrics().height() + 4;
    return {mCodebooks * mCols * cell + (mCodebooks - 1) * 14, mRows * cell + label};
}

QSize VqCodeGrid::minimumSizeHint() const { return {160, 120}; }

bool VqCodeGrid::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(event);
        const int node = nodeAt(help->pos());
        if (node >= 0)
            QToolTip::showText(help->globalPos(), cellText(node), this, cellRect(node));
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

void VqCodeGrid::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    if (nodeCount() == 0 || mCodes.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, mPlaceholder);
        return;
    }
    const Layout l = layoutFor(size());
    const bool numbers = numbersShown();
    QFont small = font();
    small.setPixelSize(std::clamp(l.cell / 2, 8, 15));
    const int plane = mRows * mCols;
    for (int b = 0; b < mCodebooks; ++b) {
        const QRect block = blockRect(l, b);
        painter.setPen(palette().color(QPalette::Text));
        painter.setFont(font());
        painter.drawText(QRect(block.left(), block.top() - l.label, block.width(), l.label),
                         Qt::AlignLeft | Qt::AlignVCenter, mCodebooks > 1 ? tr("codebook %1").arg(b) : tr("codes"));
        painter.setFont(small);
        for (int n = b * plane; n < (b + 1) * plane; ++n) {
            const QRect cell = cellRect(n);
            const QColor fill = codeColour(mCodes[n], mK);
            painter.fillRect(cell, fill);
            if (numbers) {
                painter.setPen(textColour(fill));
                painter.drawText(cell, Qt::AlignCenter, QString::number(mCodes[n]));
            }
        }
        painter.setPen(QPen(palette().color(QPalette::Mid), 1));
        painter.drawRect(block.adjusted(0, 0, -1, -1));
    }
    // Outlines, weakest first: changed versus the encoded codes (dashed), the last step's changes (a thick
    // black frame with a white inner line: visible on every code colour), then the selection.
    const int width = std::clamp(l.cell / 12, 2, 4);
    if (!mReference.isEmpty()) {
        QPen dashed(kChangedPen, width, Qt::DashLine);
        dashed.setDashPattern({2.0, 1.5});
        for (int n : changedNodes()) {
            const QRect cell = cellRect(n).adjusted(width / 2, width / 2, -(width + 1) / 2, -(width + 1) / 2);
            painter.setPen(QPen(Qt::white, width));
            painter.drawRect(cell);
            painter.setPen(dashed);
            painter.drawRect(cell);
        }
    }
    const int thick = width + 2;
    for (int n : std::as_const(mHighlighted)) {
        if (n < 0 || n >= nodeCount())
            continue;
        const QRect cell = cellRect(n);
        painter.setPen(QPen(kHighlightPen, thick, Qt::SolidLine, Qt::SquareCap, Qt::MiterJoin));
        painter.drawRect(cell.adjusted(thick / 2, thick / 2, -(thick + 1) / 2, -(thick + 1) / 2));
        painter.setPen(QPen(Qt::white, 1));
        painter.drawRect(cell.adjusted(thick, thick, -thick - 1, -thick - 1));
    }
    if (mSelected >= 0) {
        const QRect cell = cellRect(mSelected);
        painter.setPen(QPen(kSelectedPen, thick, Qt::SolidLine, Qt::SquareCap, Qt::MiterJoin));
        painter.drawRect(cell.adjusted(-1, -1, 0, 0));
        // A corner mark, so the selection reads on a blue code too.
        const int mark = std::max(6, l.cell / 4);
        painter.setPen(Qt::NoPen);
        painter.setBrush(Qt::white);
        painter.drawPolygon(
            QPolygon({cell.topLeft(), cell.topLeft() + QPoint(mark, 0), cell.topLeft() + QPoint(0, mark)}));
        painter.setBrush(Qt::NoBrush);
    }
}

void VqCodeGrid::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || mCodes.isEmpty())
        return QWidget::mousePressEvent(event);
    const int node = nodeAt(event->position().toPoint());
    if (node < 0)
        return;
    setSelected(node);
    Q_EMIT cellClicked(node);
}

void VqCodeGrid::contextMenuEvent(QContextMenuEvent* event)
{
    const int node = nodeAt(event->pos());
    if (node < 0 || mCodes.isEmpty())
        return;
    setSelected(node);
    Q_EMIT cellClicked(node);
    QMenu menu(this);
    menu.addSection(cellText(node));
    QMenu* set = menu.addMenu(tr("Set Code"));
    // Long codebooks in submenus of 32.
    constexpr int kPerMenu = 32;
    for (int first = 0; first < mK; first += kPerMenu) {
        QMenu* target =
            mK <= kPerMenu ? set : set->addMenu(tr("%1 – %2").arg(first).arg(std::min(mK, first + kPerMenu) - 1));
        for (int c = first; c < std::min(mK, first + kPerMenu); ++c) {
            QPixmap swatch(12, 12);
            swatch.fill(codeColour(c, mK));
            QAction* action = target->addAction(QIcon(swatch), tr("code %1").arg(c));
            action->setCheckable(true);
            action->setChecked(c == mCodes[node]);
            connect(action, &QAction::triggered, this, [this, node, c] { Q_EMIT codeRequested(node, c); });
        }
    }
    if (!mReference.isEmpty()) {
        QAction* reset = menu.addAction(tr("Back to the Encoded Code (%1)").arg(mReference[node]));
        reset->setEnabled(mReference[node] != mCodes[node]);
        const int code = mReference[node];
        connect(reset, &QAction::triggered, this, [this, node, code] { Q_EMIT codeRequested(node, code); });
    }
    menu.exec(event->globalPos());
}

} // namespace lx::ui

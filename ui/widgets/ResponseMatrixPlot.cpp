#include "ui/widgets/ResponseMatrixPlot.h"

#include "ui/widgets/PlotSupport.h"

#include <QResizeEvent>

#include <algorithm>
#include <cmath>

namespace lx::ui {
namespace {

// Tick labels for `count` cells: the given names, else the indices; at most ~`maxLabels` shown.
QSharedPointer<QCPAxisTickerText> cellTicks(int count, const QStringList& names, int maxLabels)
{
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const int step = std::max(1, (count + maxLabels - 1) / maxLabels);
    for (int i = 0; i < count; i += step)
        ticker->addTick(i, names.value(i, QString::number(i)));
    return ticker;
}

QString formatValue(double v, double high) { return QString::number(v, 'f', PlotSupport::decimalsFor(high)); }

} // namespace

ResponseMatrixPlot::ResponseMatrixPlot(QWidget* parent)
    : QWidget(parent)
{
    setMinimumSize(240, 200);
    mPlot = new QCustomPlot(this);
    mPlot->setInteractions(QCP::Interactions());
    mPlot->setBackground(palette().color(QPalette::Base));
    connect(mPlot, &QCustomPlot::afterLayout, this, &ResponseMatrixPlot::keepCellsSquare);
    connect(mPlot, &QCustomPlot::mousePress, this, &ResponseMatrixPlot::onMousePress);
    clearMatrix(tr("Compute to see the matrix here"));
}

void ResponseMatrixPlot::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    mPlot->setGeometry(rect());
}

void ResponseMatrixPlot::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    PlotSupport::replot(mPlot); // changes made while hidden were not drawn
}

QWidget* ResponseMatrixPlot::canvas() const { return mPlot; }

void ResponseMatrixPlot::reset()
{
    mValues.clear();
    mRows = mCols = 0;
    mMap = nullptr;
    mScale = nullptr;
    mTexts.clear();
    mHighlightedRow = -1;
    mLabels = Labels();
    mPlot->clearItems();
    mPlot->clearPlottables();
    mPlot->plotLayout()->clear();
}

void ResponseMatrixPlot::clearMatrix(const QString& placeholder)
{
    reset();
    auto* text = new QCPTextElement(mPlot, placeholder);
    text->setTextColor(palette().color(QPalette::PlaceholderText));
    mPlot->plotLayout()->addElement(0, 0, text);
    PlotSupport::replot(mPlot);
}

void ResponseMatrixPlot::setMatrix(const QVector<float>& values, int rows, int cols, const Labels& labels)
{
    if (rows <= 0 || cols <= 0 || values.size() != qint64(rows) * cols) {
        clearMatrix(tr("No matrix"));
        return;
    }
    reset();
    mValues = values;
    mRows = rows;
    mCols = cols;
    mLabels = labels;

    QFont titleFont = font();
    titleFont.setBold(true);
    auto* heading = new QCPTextElement(mPlot, labels.title, titleFont);
    heading->setTextColor(palette().color(QPalette::Text));
    mPlot->plotLayout()->addElement(0, 0, heading);

    auto* rect = new QCPAxisRect(mPlot);
    mPlot->plotLayout()->addElement(1, 0, rect);
    mScale = new QCPColorScale(mPlot);
    mPlot->plotLayout()->addElement(1, 1, mScale);
    mPlot->plotLayout()->setColumnStretchFactors({1.0, 0.01});
    auto* group = new QCPMarginGroup(mPlot);
    rect->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    mScale->setMarginGroup(QCP::msTop | QCP::msBottom, group);

    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    x->setLabel(labels.columnTitle);
    y->setLabel(labels.rowTitle);
    y->setRangeReversed(true); // row 0 at the top, as a matrix is written
    x->setTicker(cellTicks(cols, labels.columns, 32));
    y->setTicker(cellTicks(rows, labels.rows, 32));
    for (QCPAxis* axis : {x, y}) {
        axis->grid()->setVisible(false);
        axis->setSubTicks(false);
        axis->setTickLength(0, 3);
    }

    double high = 0.0;
    for (float v : values) {
        if (std::isfinite(v))
            high = std::max(high, static_cast<double>(v));
    }
    if (!(high > 0.0))
        high = 1.0;
    mMap = new QCPColorMap(x, y);
    mMap->data()->setSize(cols, rows);
    mMap->data()->setRange(QCPRange(0, cols - 1), QCPRange(0, rows - 1));
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c)
            mMap->data()->setCell(c, r, values[r * cols + c]);
    }
    mMap->setInterpolate(false);
    mMap->setTightBoundary(false);
    mScale->setType(QCPAxis::atRight);
    mScale->setGradient(PlotSupport::magmaGradient());
    mScale->setDataRange(QCPRange(0.0, high));
    mScale->setBarWidth(12);
    mScale->axis()->setLabel(labels.scaleTitle);
    mMap->setColorScale(mScale);
    mMap->setGradient(PlotSupport::magmaGradient());
    mMap->setDataRange(QCPRange(0.0, high));

    const QString zero = formatValue(0.0, high);
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            const double v = values[r * cols + c];
            auto* text = new QCPItemText(mPlot);
            text->setClipToAxisRect(true);
            text->setClipAxisRect(rect);
            text->position->setAxes(x, y);
            text->position->setCoords(c, r);
            const QString shown = formatValue(v, high);
            text->setText(shown);
            text->setPositionAlignment(Qt::AlignCenter);
            // Dark cells (the low end of magma) get light text; entries that round to 0 stay faint, so
            // the ones that respond stand out.
            QColor colour = v / high < 0.6 ? QColor(245, 245, 245) : QColor(20, 20, 20);
            if (shown == zero)
                colour.setAlpha(90);
            text->setColor(colour);
            mTexts << text;
        }
    }
    x->setRange(-0.5, cols - 0.5);
    y->setRange(-0.5, rows - 0.5);
    PlotSupport::replot(mPlot);
}

void ResponseMatrixPlot::keepCellsSquare()
{
    if (!mMap)
        return;
    QCPAxis* x = mMap->keyAxis();
    QCPAxis* y = mMap->valueAxis();
    const QRect r = x->axisRect()->rect();
    if (r.width() <= 0 || r.height() <= 0)
        return;
    const double cell = std::min(double(r.width()) / mCols, double(r.height()) / mRows);
    const double cx = (mCols - 1) / 2.0;
    const double cy = (mRows - 1) / 2.0;
    x->setRange(cx - r.width() / cell / 2, cx + r.width() / cell / 2);
    y->setRange(cy - r.height() / cell / 2, cy + r.height() / cell / 2);
    updateAnnotations();
}

void ResponseMatrixPlot::updateAnnotations()
{
    if (!mMap || mTexts.isEmpty())
        return;
    const double cell = std::abs(mMap->keyAxis()->coordToPixel(1.0) - mMap->keyAxis()->coordToPixel(0.0));
    const bool visible = cell >= kMinAnnotatedCellPx;
    QFont small = font();
    // "0.00" fits a cell with a little room to spare.
    small.setPixelSize(std::clamp(static_cast<int>(cell / 3.2), 7, 14));
    for (QCPItemText* text : mTexts) {
        text->setVisible(visible);
        text->setFont(small);
    }
}

bool ResponseMatrixPlot::annotationsVisible() const { return !mTexts.isEmpty() && mTexts.first()->visible(); }

double ResponseMatrixPlot::scaleHigh() const { return mScale ? mScale->dataRange().upper : 0.0; }

double ResponseMatrixPlot::cellValue(int row, int col) const
{
    if (!mMap || row < 0 || row >= mRows || col < 0 || col >= mCols)
        return std::nan("");
    return mMap->data()->cell(col, row);
}

QString ResponseMatrixPlot::cellText(int row, int col) const
{
    if (row < 0 || row >= mRows || col < 0 || col >= mCols || mTexts.isEmpty())
        return {};
    QCPItemText* text = mTexts[row * mCols + col];
    return text->visible() ? text->text() : QString();
}

QPoint ResponseMatrixPlot::cellCenter(int row, int col) const
{
    if (!mMap)
        return {};
    return QPoint(static_cast<int>(std::lround(mMap->keyAxis()->coordToPixel(col))),
                  static_cast<int>(std::lround(mMap->valueAxis()->coordToPixel(row))));
}

void ResponseMatrixPlot::setHighlightedRow(int row)
{
    mHighlightedRow = row;
    if (!mMap)
        return;
    for (int i = mPlot->itemCount() - 1; i >= 0; --i) {
        if (mPlot->item(i)->objectName() == QLatin1String("rowHighlight"))
            mPlot->removeItem(i);
    }
    if (row >= 0 && row < mRows) {
        auto* frame = new QCPItemRect(mPlot);
        frame->setObjectName(QStringLiteral("rowHighlight"));
        frame->setClipAxisRect(mMap->keyAxis()->axisRect());
        for (QCPItemPosition* p : {frame->topLeft, frame->bottomRight})
            p->setAxes(mMap->keyAxis(), mMap->valueAxis());
        frame->topLeft->setCoords(-0.5, row - 0.5);
        frame->bottomRight->setCoords(mCols - 0.5, row + 0.5);
        frame->setPen(QPen(QColor(0x3d, 0xa5, 0xd9), 2));
    }
    PlotSupport::replot(mPlot);
}

void ResponseMatrixPlot::onMousePress(QMouseEvent* event)
{
    if (!mMap || event->button() != Qt::LeftButton)
        return;
    const QPointF pos = event->position();
    if (!mMap->keyAxis()->axisRect()->rect().contains(pos.toPoint()))
        return;
    const int col = static_cast<int>(std::lround(mMap->keyAxis()->pixelToCoord(pos.x())));
    const int row = static_cast<int>(std::lround(mMap->valueAxis()->pixelToCoord(pos.y())));
    if (row >= 0 && row < mRows && col >= 0 && col < mCols)
        Q_EMIT cellClicked(row, col);
}

bool ResponseMatrixPlot::savePlot(const QString& path, QString* error)
{
    return PlotSupport::savePlot(mPlot, path, error);
}

} // namespace lx::ui

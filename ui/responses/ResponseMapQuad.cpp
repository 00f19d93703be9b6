#include "ui/responses/ResponseMapQuad.h"

#include "ui/widgets/PlotSupport.h"

#include <QResizeEvent>

#include <algorithm>
#include <cmath>

namespace lx::ui {
namespace {

const QColor kPathColour(0x2e, 0xd1, 0x7a);
const QColor kMarkerColour(0x3d, 0xa5, 0xd9);

double maxAbs(const QVector<float>& values, double* low = nullptr, double* high = nullptr)
{
    double lo = 0.0, hi = 0.0;
    for (float v : values) {
        if (!std::isfinite(v))
            continue;
        lo = std::min(lo, double(v));
        hi = std::max(hi, double(v));
    }
    if (low)
        *low = lo;
    if (high)
        *high = hi;
    return std::max(-lo, hi);
}

// The q-quantile of |v| over the finite values (0 when there are none).
double absQuantile(const QVector<float>& values, double q)
{
    std::vector<double> magnitudes;
    for (float v : values) {
        if (std::isfinite(v))
            magnitudes.push_back(std::abs(double(v)));
    }
    if (magnitudes.empty())
        return 0.0;
    const auto k = static_cast<size_t>(std::floor(q * double(magnitudes.size() - 1)));
    std::nth_element(magnitudes.begin(), magnitudes.begin() + long(k), magnitudes.end());
    return magnitudes[k];
}

QString dimLabel(int dim) { return QStringLiteral("z%1").arg(dim); }

} // namespace

ResponseMapQuad::ResponseMapQuad(QWidget* parent)
    : QWidget(parent)
{
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    setMinimumSize(320, 300);
    mPlot = new QCustomPlot(this);
    mPlot->setInteractions(QCP::Interactions());
    mPlot->setBackground(palette().color(QPalette::Base));
    connect(mPlot, &QCustomPlot::afterLayout, this, &ResponseMapQuad::keepSquare);
    connect(mPlot, &QCustomPlot::mousePress, this, &ResponseMapQuad::onMousePress);
    clearData(tr("Compute a response map to see it here"));
}

void ResponseMapQuad::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    mPlot->setGeometry(rect());
}

int ResponseMapQuad::heightForWidth(int width) const { return std::max(300, width * 15 / 16); }

void ResponseMapQuad::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    PlotSupport::replot(mPlot); // changes made while hidden were not drawn
}

QWidget* ResponseMapQuad::canvas() const { return mPlot; }

void ResponseMapQuad::reset()
{
    mData = ResponseMapData();
    mRects.clear();
    mMaps.clear();
    mScales.clear();
    mPath.clear();
    mMarker = QPointF(qQNaN(), qQNaN());
    mArrowCount = 0;
    mPlot->clearItems();
    mPlot->clearPlottables();
    mPlot->plotLayout()->clear();
}

void ResponseMapQuad::clearData(const QString& placeholder)
{
    reset();
    auto* text = new QCPTextElement(mPlot, placeholder);
    text->setTextColor(palette().color(QPalette::PlaceholderText));
    mPlot->plotLayout()->addElement(0, 0, text);
    PlotSupport::replot(mPlot);
}

QCPAxisRect* ResponseMapQuad::addPanel(int row, int col, const QString& title, QCPColorScale** scale)
{
    auto* cell = new QCPLayoutGrid;
    mPlot->plotLayout()->addElement(row, col, cell);
    QFont titleFont = font();
    titleFont.setBold(true);
    auto* heading = new QCPTextElement(mPlot, title, titleFont);
    heading->setTextColor(palette().color(QPalette::Text));
    cell->addElement(0, 0, heading);
    auto* rect = new QCPAxisRect(mPlot);
    cell->addElement(1, 0, rect);
    *scale = new QCPColorScale(mPlot);
    cell->addElement(1, 1, *scale);
    cell->setColumnStretchFactors({1.0, 0.01});
    cell->setRowStretchFactors({0.01, 1.0});
    auto* group = new QCPMarginGroup(mPlot);
    rect->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    (*scale)->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    (*scale)->setBarWidth(9);
    (*scale)->setType(QCPAxis::atRight);
    (*scale)->axis()->ticker()->setTickCount(4);
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    x->setLabel(dimLabel(mData.request.dimX));
    y->setLabel(dimLabel(mData.request.dimY)); // y points up: no reversed range
    for (QCPAxis* axis : {x, y}) {
        axis->grid()->setVisible(false);
        axis->ticker()->setTickCount(4);
    }
    return rect;
}

QCPColorMap* ResponseMapQuad::addMap(QCPAxisRect* rect, QCPColorScale* scale, const QVector<float>& values, int size,
                                     double extent)
{
    auto* map = new QCPColorMap(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    map->data()->setSize(size, size);
    // Cell centres: the grid values (maps), or the bin centres (histogram), over [-extent, extent].
    map->data()->setRange(QCPRange(-extent, extent), QCPRange(-extent, extent));
    // Row 0 of the data is y = -r: the bottom of this y-up plot, so rows go in as they are.
    for (int row = 0; row < size; ++row) {
        for (int col = 0; col < size; ++col)
            map->data()->setCell(col, row, values.value(row * size + col));
    }
    map->setInterpolate(false);
    map->setTightBoundary(false);
    map->setColorScale(scale);
    return map;
}

void ResponseMapQuad::setData(const ResponseMapData& data)
{
    const int n = data.grid();
    if (n < 2 || data.magnitude.size() != qint64(n) * n) {
        clearData(tr("No response map"));
        return;
    }
    reset();
    mData = data;
    const double r = data.request.radius;
    mRects.resize(kPanels);
    mMaps.resize(kPanels);
    mScales.resize(kPanels);

    // Magnitude, with the quiver overlay.
    QCPColorScale* scale = nullptr;
    QCPAxisRect* rect = addPanel(0, 0, tr("magnitude |R(z) − z|"), &scale);
    QCPColorMap* map = addMap(rect, scale, data.magnitude, n, r);
    double high = maxAbs(data.magnitude);
    map->setGradient(PlotSupport::magmaGradient());
    map->setDataRange(QCPRange(0.0, high > 0.0 ? high : 1.0));
    scale->setGradient(PlotSupport::magmaGradient());
    scale->setDataRange(map->dataRange());
    scale->axis()->setLabel(tr("|u|"));
    mRects[0] = rect;
    mMaps[0] = map;
    mScales[0] = scale;
    addQuiver(rect);

    // Divergence: each sign normalised on its own onto [-1, 1].
    rect = addPanel(0, 1, tr("divergence (sinks < 0)"), &scale);
    double low = 0.0;
    maxAbs(data.divergence, &low, &high);
    QVector<float> normalised(data.divergence.size());
    for (int i = 0; i < data.divergence.size(); ++i)
        normalised[i] = static_cast<float>(PlotSupport::normaliseSigned(data.divergence[i], low, high));
    map = addMap(rect, scale, normalised, n, r);
    map->setGradient(PlotSupport::divergingGradient());
    map->setDataRange(QCPRange(-1.0, 1.0));
    scale->setGradient(PlotSupport::divergingGradient());
    scale->setDataRange(QCPRange(-1.0, 1.0));
    scale->axis()->setTicker(PlotSupport::signedTicks(low, high));
    scale->axis()->setLabel(tr("div u (each sign scaled)"));
    mRects[1] = rect;
    mMaps[1] = map;
    mScales[1] = scale;

    // Mean curvature, symmetric around 0. It peaks sharply where the field vanishes (the unit vector
    // turns around a fixed point), so the colours span the 98th percentile of |curvature| and clip above.
    rect = addPanel(1, 0, tr("mean curvature"), &scale);
    map = addMap(rect, scale, data.curvature, n, r);
    double bound = absQuantile(data.curvature, kCurvatureQuantile);
    if (!(bound > 0.0))
        bound = maxAbs(data.curvature);
    map->setGradient(PlotSupport::divergingGradient());
    map->setDataRange(QCPRange(-(bound > 0 ? bound : 1.0), bound > 0 ? bound : 1.0));
    scale->setGradient(PlotSupport::divergingGradient());
    scale->setDataRange(map->dataRange());
    scale->axis()->setLabel(bound < maxAbs(data.curvature) ? tr("−½ div(u/|u|), clipped") : tr("−½ div(u/|u|)"));
    mRects[2] = rect;
    mMaps[2] = map;
    mScales[2] = scale;

    // Posterior histogram.
    rect = addPanel(1, 1, tr("posterior means (histogram)"), &scale);
    mRects[3] = rect;
    mScales[3] = scale;
    if (data.bins > 0 && data.histogram.size() == qint64(data.bins) * data.bins) {
        const double binHalf = r / data.bins; // bins span [-r, r]: centres at ±(r - half a bin)
        map = addMap(rect, scale, data.histogram, data.bins, r - binHalf);
        map->setGradient(PlotSupport::magmaGradient());
        high = maxAbs(data.histogram);
        map->setDataRange(QCPRange(0.0, high > 0.0 ? high : 1.0));
        scale->setGradient(PlotSupport::magmaGradient());
        scale->setDataRange(map->dataRange());
        scale->axis()->setLabel(tr("count"));
        mMaps[3] = map;
    } else {
        scale->setVisible(false);
        auto* note = new QCPItemText(mPlot);
        note->setClipAxisRect(rect);
        note->position->setType(QCPItemPosition::ptAxisRectRatio);
        note->position->setAxisRect(rect);
        note->position->setCoords(0.5, 0.5);
        note->setText(tr("no data:\nthe histogram needs\nposterior samples"));
        note->setColor(palette().color(QPalette::PlaceholderText));
    }
    for (QCPAxisRect* each : mRects) {
        each->axis(QCPAxis::atBottom)->setRange(-r, r);
        each->axis(QCPAxis::atLeft)->setRange(-r, r);
    }
    redrawOverlays();
}

void ResponseMapQuad::addQuiver(QCPAxisRect* rect)
{
    const int n = mData.grid();
    const int step = std::max(1, n / kArrowsPerAxis);
    double longest = 0.0;
    for (int row = step / 2; row < n; row += step) {
        for (int col = step / 2; col < n; col += step)
            longest = std::max(longest, double(std::hypot(mData.fieldX[row * n + col], mData.fieldY[row * n + col])));
    }
    if (!(longest > 0.0))
        return; // no field to show (e.g. a perfect autoencoder)
    const double spacing = step * (mData.axis[1] - mData.axis[0]);
    const double scale = 0.9 * spacing / longest; // the longest arrow spans 90% of the arrow spacing
    const QPen pen(QColor(255, 255, 255, 210), 1.2);
    for (int row = step / 2; row < n; row += step) {
        for (int col = step / 2; col < n; col += step) {
            const double ux = mData.fieldX[row * n + col];
            const double uy = mData.fieldY[row * n + col];
            if (std::hypot(ux, uy) * scale < 1e-3 * spacing)
                continue;
            auto* arrow = new QCPItemLine(mPlot);
            arrow->setClipAxisRect(rect);
            for (QCPItemPosition* p : {arrow->start, arrow->end})
                p->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            const double x = mData.axis[col], y = mData.axis[row];
            arrow->start->setCoords(x, y);
            arrow->end->setCoords(x + scale * ux, y + scale * uy);
            arrow->setPen(pen);
            arrow->setHead(QCPLineEnding(QCPLineEnding::esSpikeArrow, 5, 6));
            ++mArrowCount;
        }
    }
}

void ResponseMapQuad::setMarker(const QPointF& point)
{
    mMarker = point;
    redrawOverlays();
}

void ResponseMapQuad::setPath(const QVector<QPointF>& path)
{
    mPath = path;
    redrawOverlays();
}

void ResponseMapQuad::redrawOverlays()
{
    for (int i = mPlot->plottableCount() - 1; i >= 0; --i) {
        if (qobject_cast<QCPCurve*>(mPlot->plottable(i)))
            mPlot->removePlottable(i);
    }
    if (!hasData()) {
        PlotSupport::replot(mPlot);
        return;
    }
    for (QCPAxisRect* rect : mRects) {
        QCPAxis* x = rect->axis(QCPAxis::atBottom);
        QCPAxis* y = rect->axis(QCPAxis::atLeft);
        if (mPath.size() > 1) {
            auto* curve = new QCPCurve(x, y);
            for (const QPointF& p : mPath)
                curve->addData(p.x(), p.y());
            curve->setPen(QPen(kPathColour, 2));
            curve->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, kPathColour, 5));
        }
        if (std::isfinite(mMarker.x()) && std::isfinite(mMarker.y())) {
            auto* marker = new QCPCurve(x, y);
            marker->addData(mMarker.x(), mMarker.y());
            marker->setLineStyle(QCPCurve::lsNone);
            marker->setScatterStyle(
                QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(kMarkerColour, 2.5), QBrush(Qt::NoBrush), 11));
        }
    }
    PlotSupport::replot(mPlot);
}

void ResponseMapQuad::keepSquare()
{
    const double r = mData.request.radius;
    for (QCPAxisRect* rect : mRects) {
        const QRect px = rect->rect();
        if (px.width() <= 0 || px.height() <= 0 || !(r > 0))
            continue;
        // Equal units on both axes; the cells of the grid are [-r - h, r + h] with h half a step.
        const double half = mData.grid() > 1 ? (mData.axis[1] - mData.axis[0]) / 2 : 0.0;
        const double unit = std::min(px.width(), px.height()) / (2 * (r + half));
        rect->axis(QCPAxis::atBottom)->setRange(-px.width() / unit / 2, px.width() / unit / 2);
        rect->axis(QCPAxis::atLeft)->setRange(-px.height() / unit / 2, px.height() / unit / 2);
    }
}

double ResponseMapQuad::shownValue(Panel panel, int row, int col) const
{
    const QCPColorMap* map = mMaps.value(int(panel));
    if (!map || row < 0 || col < 0 || col >= map->data()->keySize() || row >= map->data()->valueSize())
        return std::nan("");
    return map->data()->cell(col, row);
}

QPair<double, double> ResponseMapQuad::scaleRange(Panel panel) const
{
    const QCPColorScale* scale = mScales.value(int(panel));
    return scale ? qMakePair(scale->dataRange().lower, scale->dataRange().upper) : qMakePair(0.0, 0.0);
}

bool ResponseMapQuad::histogramShown() const { return mMaps.value(int(Panel::Histogram)) != nullptr; }

QPoint ResponseMapQuad::pixelOf(Panel panel, const QPointF& latent) const
{
    const QCPAxisRect* rect = mRects.value(int(panel));
    if (!rect)
        return {};
    return QPoint(static_cast<int>(std::lround(rect->axis(QCPAxis::atBottom)->coordToPixel(latent.x()))),
                  static_cast<int>(std::lround(rect->axis(QCPAxis::atLeft)->coordToPixel(latent.y()))));
}

QPointF ResponseMapQuad::latentAt(const QPoint& canvasPos, bool* inside) const
{
    const double r = mData.request.radius;
    for (const QCPAxisRect* rect : mRects) {
        if (!rect->rect().contains(canvasPos))
            continue;
        const QPointF p(rect->axis(QCPAxis::atBottom)->pixelToCoord(canvasPos.x()),
                        rect->axis(QCPAxis::atLeft)->pixelToCoord(canvasPos.y()));
        if (inside)
            *inside = std::abs(p.x()) <= r && std::abs(p.y()) <= r;
        return p;
    }
    if (inside)
        *inside = false;
    return {};
}

void ResponseMapQuad::onMousePress(QMouseEvent* event)
{
    if (!hasData() || event->button() != Qt::LeftButton)
        return;
    bool inside = false;
    const QPointF p = latentAt(event->position().toPoint(), &inside);
    if (inside)
        Q_EMIT pointClicked(p);
}

bool ResponseMapQuad::savePlot(const QString& path, QString* error)
{
    return PlotSupport::savePlot(mPlot, path, error);
}

} // namespace lx::ui

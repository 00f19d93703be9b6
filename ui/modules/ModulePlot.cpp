#include "ui/modules/ModulePlot.h"

#include "ui/widgets/PlotSupport.h"

#include <QResizeEvent>

#include <algorithm>

namespace lx::ui {
namespace {

const QColor kHighlight(0xe8, 0x82, 0x2f); // the channel panel's z2 accent

} // namespace

ModulePlot::ModulePlot(QWidget* parent)
    : QWidget(parent)
{
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    // No layout: a layout would answer heightForWidth in place of this widget.
    mPlot = new QCustomPlot(this);
    mPlot->setInteractions(QCP::Interactions());
    mPlot->setBackground(palette().color(QPalette::Base));
    // After each layout pass (resize, new result) and before drawing: keep the pixels square.
    connect(mPlot, &QCustomPlot::afterLayout, this, &ModulePlot::keepPixelsSquare);
    connect(mPlot, &QCustomPlot::mousePress, this, &ModulePlot::onMousePress);
    clearResult();
}

void ModulePlot::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    mPlot->setGeometry(rect());
}

QWidget* ModulePlot::canvas() const { return mPlot; }

void ModulePlot::clearResult()
{
    mResult = ModulesResult();
    mGroupMaps.clear();
    mGroupPairs = 0;
    mMapsTitle.clear();
    mTemplateRects.clear();
    mMapRects.clear();
    mHighlighted = -1;
    mPlot->clearPlottables();
    mPlot->plotLayout()->clear();
    qDeleteAll(mGroups);
    mGroups.clear();
    auto* text = new QCPTextElement(mPlot, tr("Module templates and influence maps appear here"));
    text->setTextColor(palette().color(QPalette::PlaceholderText));
    mPlot->plotLayout()->addElement(0, 0, text);
    mPlot->replot();
    updateGeometry();
}

int ModulePlot::heightForWidth(int width) const
{
    const QFontMetrics fm(font());
    if (mResult.k <= 0 || mResult.width <= 0)
        return 4 * fm.height();
    const int cols = std::min(mResult.k, kMaxColumns);
    const int rows = (mResult.k + cols - 1) / cols;
    const int tileWidth = std::clamp((width - kScaleWidth) / cols - 8, 24, kMaxTileSide);
    const int tileHeight = std::min(kMaxTileSide, tileWidth * mResult.height / mResult.width);
    const int section = fm.height() + 12 + rows * (tileHeight + fm.height() + 12);
    return std::min(2 * section + fm.height() + 4, kMaxHeight); // the maps' title has two lines
}

void ModulePlot::setResult(const ModulesResult& result)
{
    clearResult();
    mResult = result;
    render();
}

void ModulePlot::setGroupMaps(const QVector<float>& maps, int pairs)
{
    if (mResult.k <= 0 || maps.size() != qint64(mResult.k) * mResult.height * mResult.width)
        return;
    mGroupMaps = maps;
    mGroupPairs = pairs;
    render();
}

void ModulePlot::render()
{
    const int highlighted = mHighlighted;
    const ModulesResult result = mResult;
    mTemplateRects.clear();
    mMapRects.clear();
    mPlot->clearPlottables();
    mPlot->plotLayout()->clear();
    qDeleteAll(mGroups);
    mGroups.clear();
    mHighlighted = -1;
    if (result.k <= 0 || result.height <= 0 || result.width <= 0)
        return;
    const QString templatesTitle =
        result.method == ModuleMethod::Nmf ? tr("Templates (rows of H, max 1)") : tr("Templates (centroids, max 1)");
    mTemplateRects = addSection(0, templatesTitle, tr("relative"), result.templates, 1.0, true);
    const bool group = !mGroupMaps.isEmpty();
    const QVector<float>& maps = group ? mGroupMaps : result.moduleMaps;
    double high = 0.0;
    for (float v : maps)
        high = std::max(high, static_cast<double>(v));
    mMapsTitle = group ? tr("Module influence maps\n(whole module swapped, %1 pairs)").arg(mGroupPairs)
                       : tr("Mean of member EIMs\n(module influence maps computing…)");
    mMapRects = addSection(2, mMapsTitle, tr("mean |Δx|"), maps, high, false);
    setHighlightedModule(highlighted);
    mPlot->replot();
    updateGeometry();
}

QVector<QCPAxisRect*> ModulePlot::addSection(int row, const QString& title, const QString& scaleLabel,
                                             const QVector<float>& values, double high, bool perModuleMax)
{
    QFont titleFont = font();
    titleFont.setBold(true);
    auto* heading = new QCPTextElement(mPlot, title, titleFont);
    heading->setTextColor(palette().color(QPalette::Text));
    mPlot->plotLayout()->addElement(row, 0, heading);

    auto* section = new QCPLayoutGrid;
    mPlot->plotLayout()->addElement(row + 1, 0, section);
    auto* tiles = new QCPLayoutGrid;
    section->addElement(0, 0, tiles);
    auto* group = new QCPMarginGroup(mPlot);
    mGroups << group;

    auto* scale = new QCPColorScale(mPlot);
    section->addElement(0, 1, scale);
    scale->setType(QCPAxis::atRight);
    scale->setGradient(PlotSupport::magmaGradient());
    scale->setDataRange(QCPRange(0.0, high > 0.0 ? high : 1.0));
    scale->setBarWidth(9);
    scale->axis()->setLabel(scaleLabel);
    scale->axis()->ticker()->setTickCount(3);
    scale->setMaximumSize(kScaleWidth, QWIDGETSIZE_MAX);
    scale->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    section->setColumnStretchFactors({1.0, 0.01});

    const int k = mResult.k;
    const int w = mResult.width;
    const int h = mResult.height;
    const qint64 plane = qint64(w) * h;
    const int cols = std::min(k, kMaxColumns);
    QVector<QCPAxisRect*> rects;
    for (int m = 0; m < k; ++m) {
        auto* rect = new QCPAxisRect(mPlot);
        tiles->addElement(m / cols, m % cols, rect);
        rect->setupFullAxesBox();
        for (QCPAxis* axis : rect->axes()) {
            axis->setTicks(false);
            axis->setTickLabels(false);
            axis->grid()->setVisible(false);
        }
        rect->axis(QCPAxis::atLeft)->setRangeReversed(true); // image rows go down
        const int members = static_cast<int>(mResult.members(m).size());
        rect->axis(QCPAxis::atBottom)->setLabel(tr("M%1 · %2 ch").arg(m + 1).arg(members));
        rect->setMarginGroup(QCP::msTop | QCP::msBottom, group);
        rect->setMinimumMargins(QMargins(2, 2, 2, 2));

        auto* map = new QCPColorMap(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        map->data()->setSize(w, h);
        map->data()->setRange(QCPRange(0, w - 1), QCPRange(0, h - 1));
        const float* src = values.constData() + m * plane;
        double scaleBy = 1.0;
        if (perModuleMax) {
            const float top = plane > 0 ? *std::max_element(src, src + plane) : 0.0f;
            scaleBy = top > 0.0f ? 1.0 / top : 1.0;
        }
        for (int y = 0; y < h; ++y) {
            for (int x = 0; x < w; ++x)
                map->data()->setCell(x, y, src[qint64(y) * w + x] * scaleBy);
        }
        map->setInterpolate(false);
        map->setTightBoundary(false);
        map->setGradient(PlotSupport::magmaGradient());
        map->setColorScale(scale); // takes the scale's gradient and data range
        map->setDataRange(scale->dataRange());
        rect->axis(QCPAxis::atBottom)->setRange(-0.5, w - 0.5);
        rect->axis(QCPAxis::atLeft)->setRange(-0.5, h - 0.5);
        styleFrame(rect, false);
        rects << rect;
    }
    return rects;
}

void ModulePlot::keepPixelsSquare()
{
    const int w = mResult.width;
    const int h = mResult.height;
    for (const auto& rects : {mTemplateRects, mMapRects}) {
        for (QCPAxisRect* rect : rects) {
            const QRect r = rect->rect();
            if (r.width() <= 0 || r.height() <= 0 || w <= 0 || h <= 0)
                continue;
            // The largest square pixel that fits; the spare room becomes margin around the image.
            const double pixel = std::min(double(r.width()) / w, double(r.height()) / h);
            const double spanX = r.width() / pixel;
            const double spanY = r.height() / pixel;
            const double cx = (w - 1) / 2.0;
            const double cy = (h - 1) / 2.0;
            rect->axis(QCPAxis::atBottom)->setRange(cx - spanX / 2, cx + spanX / 2);
            rect->axis(QCPAxis::atLeft)->setRange(cy - spanY / 2, cy + spanY / 2);
        }
    }
}

void ModulePlot::styleFrame(QCPAxisRect* rect, bool highlighted)
{
    const QPen pen = highlighted ? QPen(kHighlight, 3) : QPen(QColor(150, 150, 158), 1);
    for (QCPAxis* axis : rect->axes())
        axis->setBasePen(pen);
    rect->axis(QCPAxis::atBottom)->setLabelFont(font()); // bold would spill out of narrow tiles
    rect->axis(QCPAxis::atBottom)
        ->setLabelColor(highlighted ? kHighlight.darker(130) : palette().color(QPalette::Text));
}

void ModulePlot::setHighlightedModule(int module)
{
    if (module == mHighlighted)
        return;
    mHighlighted = module;
    for (const auto& rects : {mTemplateRects, mMapRects}) {
        for (int m = 0; m < rects.size(); ++m)
            styleFrame(rects[m], m == module);
    }
    mPlot->replot();
}

int ModulePlot::moduleAt(const QPointF& pos) const
{
    for (const auto& rects : {mTemplateRects, mMapRects}) {
        for (int m = 0; m < rects.size(); ++m) {
            if (rects[m]->outerRect().contains(pos.toPoint()))
                return m;
        }
    }
    return -1;
}

QRect ModulePlot::templateRect(int module) const
{
    return mTemplateRects.value(module) ? mTemplateRects[module]->rect() : QRect();
}

void ModulePlot::onMousePress(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return;
    const int module = moduleAt(event->position());
    if (module >= 0)
        Q_EMIT moduleClicked(module);
}

} // namespace lx::ui

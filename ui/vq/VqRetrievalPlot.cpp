#include "ui/vq/VqRetrievalPlot.h"

#include "ui/widgets/PlotSupport.h"

#include <algorithm>

namespace lx::ui {
namespace {

const QColor kBarColour(0x2f, 0x6f, 0xb5);
const QColor kTrueColour(0xe8, 0x82, 0x2f);

} // namespace

VqRetrievalPlot::VqRetrievalPlot(QWidget* parent)
    : QWidget(parent)
{
    mPlot = PlotSupport::embeddedPlot(this);

    mBars = PlotSupport::addBars(mPlot, tr("p(a | x, y)"), kBarColour, 0.7);
    mTrueBar = PlotSupport::addBars(mPlot, tr("true action"), kTrueColour, 0.7);

    mPlot->yAxis->setLabel(tr("p(a | x, y)"));
    mPlot->yAxis->setRange(0.0, 1.12);
    mPlot->xAxis->setTickLength(0, 3);
    mPlot->xAxis->setTickLabelRotation(-40);
    mPlot->xAxis->grid()->setVisible(false);
    mTitle = PlotSupport::addTitleRow(mPlot);
    clear(tr("Pick y to see which action takes x to it"));
}

void VqRetrievalPlot::setTitle(const QString& text, bool placeholder)
{
    PlotSupport::setTitle(mTitle, text, placeholder);
}

void VqRetrievalPlot::clear(const QString& placeholder)
{
    mBars->data()->clear();
    mTrueBar->data()->clear();
    mPlot->clearItems();
    mValues.clear();
    mTicks.clear();
    mTrue = -1;
    mPlot->xAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    mPlot->xAxis->setRange(-0.6, 5.6);
    setTitle(placeholder, true);
    PlotSupport::replot(mPlot);
}

void VqRetrievalPlot::setProbabilities(const QVector<double>& p, const QStringList& actions, int trueAction,
                                       const QString& title)
{
    mValues = p;
    mTrue = trueAction >= 0 && trueAction < p.size() ? trueAction : -1;
    mTicks.clear();
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    QVector<double> keys, values, trueKey, trueValue;
    for (int a = 0; a < p.size(); ++a) {
        const QString tick = actions.value(a, QString::number(a));
        ticker->addTick(a, tick);
        mTicks << tick;
        if (a == mTrue) {
            trueKey << a;
            trueValue << p[a];
        } else {
            keys << a;
            values << p[a];
        }
    }
    mBars->setData(keys, values, true);
    mTrueBar->setData(trueKey, trueValue, true);
    mPlot->clearItems();
    const int best = p.isEmpty() ? -1 : int(std::max_element(p.begin(), p.end()) - p.begin());
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    // The predicted action's value above its bar; the true action's marked "true" (one label when they agree).
    for (int a : {best, mTrue}) {
        if (a < 0)
            continue;
        auto* text = new QCPItemText(mPlot);
        text->position->setType(QCPItemPosition::ptPlotCoords);
        text->position->setCoords(a, p[a]);
        text->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        text->setPadding(QMargins(0, 0, 0, 2));
        text->setFont(small);
        text->setText(a == mTrue ? tr("true · %1").arg(p[a], 0, 'f', 2) : QString::number(p[a], 'f', 2));
        if (best == mTrue)
            break;
    }
    mPlot->xAxis->setTicker(ticker);
    mPlot->xAxis->setRange(-0.6, p.size() - 0.4);
    setTitle(title, false);
    PlotSupport::replot(mPlot);
}

QVector<double> VqRetrievalPlot::values() const { return mValues; }

bool VqRetrievalPlot::savePlot(const QString& path, QString* error)
{
    return PlotSupport::savePlot(mPlot, path, error);
}

} // namespace lx::ui

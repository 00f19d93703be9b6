#include "lx/ui/VqRetrievalPlot.h"

#include "PlotSupport.h"

#include <QVBoxLayout>

#include <algorithm>

namespace lx::ui {
namespace {

const QColor kBarColour(0x2f, 0x6f, 0xb5);
const QColor kTrueColour(0xe8, 0x82, 0x2f);

} // namespace

VqRetrievalPlot::VqRetrievalPlot(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    mPlot = new QCustomPlot(this);
    mPlot->setBackground(palette().color(QPalette::Base));
    mPlot->setInteractions(QCP::Interactions());
    layout->addWidget(mPlot);

    mBars = new QCPBars(mPlot->xAxis, mPlot->yAxis);
    mBars->setName(tr("p(a | x, y)"));
    mBars->setPen(QPen(kBarColour.darker(130)));
    mBars->setBrush(kBarColour);
    mBars->setWidth(0.7);
    mTrueBar = new QCPBars(mPlot->xAxis, mPlot->yAxis);
    mTrueBar->setName(tr("true action"));
    mTrueBar->setPen(QPen(kTrueColour.darker(130)));
    mTrueBar->setBrush(kTrueColour);
    mTrueBar->setWidth(0.7);

    mPlot->yAxis->setLabel(tr("p(a | x, y)"));
    mPlot->yAxis->setRange(0.0, 1.12);
    mPlot->xAxis->setTickLength(0, 3);
    mPlot->xAxis->setTickLabelRotation(-40);
    mPlot->xAxis->grid()->setVisible(false);
    mPlot->plotLayout()->insertRow(0);
    mTitle = new QCPTextElement(mPlot, QString());
    mPlot->plotLayout()->addElement(0, 0, mTitle);
    clear(tr("Pick y to see which action takes x to it"));
}

void VqRetrievalPlot::setTitle(const QString& text, bool placeholder)
{
    mTitle->setText(text);
    mTitle->setTextColor(palette().color(placeholder ? QPalette::PlaceholderText : QPalette::Text));
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

QVector<double> VqRetrievalPlot::values() const
{
    return mValues;
}

bool VqRetrievalPlot::savePlot(const QString& path, QString* error)
{
    return PlotSupport::savePlot(mPlot, path, error);
}

} // namespace lx::ui

#include "ui/modules/RobustnessPlot.h"

#include "ui/widgets/PlotSupport.h"

#include <utility>

namespace lx::ui {
namespace {

const QColor kKeptColour(0x2f, 0x6f, 0xb5); // z1's side
const QColor kDonorColour(0xe8, 0x82, 0x2f); // z2's accent, as in the channel panel

} // namespace

RobustnessPlot::RobustnessPlot(QWidget* parent)
    : QWidget(parent)
{
    mPlot = PlotSupport::embeddedPlot(this);

    mKept = PlotSupport::addBars(mPlot, tr("kept: class of x(z1)"), kKeptColour, 0.36);
    mDonor = PlotSupport::addBars(mPlot, tr("donor: class of x(z2)"), kDonorColour, 0.36);
    auto* group = new QCPBarsGroup(mPlot);
    group->setSpacingType(QCPBarsGroup::stAbsolute);
    group->setSpacing(2);
    for (QCPBars* bars : {mKept, mDonor})
        bars->setBarsGroup(group);

    mPlot->yAxis->setLabel(tr("fraction of hybrids"));
    mPlot->yAxis->setRange(0.0, 1.08);
    mPlot->xAxis->setTickLength(0, 3);
    mPlot->xAxis->grid()->setVisible(false);
    mPlot->legend->setVisible(true);
    mPlot->legend->setBrush(QColor(255, 255, 255, 225));
    mPlot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    mTitle = PlotSupport::addTitleRow(mPlot);
    clear(tr("Find modules, choose a classifier and press Run assay"));
}

void RobustnessPlot::setTitle(const QString& text, bool placeholder)
{
    PlotSupport::setTitle(mTitle, text, placeholder);
}

void RobustnessPlot::clear(const QString& placeholder)
{
    mKept->data()->clear();
    mDonor->data()->clear();
    mPlot->clearItems();
    mTicks.clear();
    mPlot->xAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    mPlot->xAxis->setRange(0.4, 4.6);
    setTitle(placeholder, true);
    mPlot->replot();
}

void RobustnessPlot::setResult(const lx::RobustnessResult& result, bool differingOnly, const QString& title)
{
    QVector<double> keys, kept, donor;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    mTicks.clear();
    for (const lx::ModuleRobustness& m : result.modules) {
        const double key = m.module + 1;
        keys << key;
        kept << (differingOnly ? m.keptFractionDiffering() : m.keptFraction());
        donor << (differingOnly ? m.donorFractionDiffering() : m.donorFraction());
        const QString tick = tr("M%1\n%2 ch").arg(m.module + 1).arg(m.channels.size());
        ticker->addTick(key, tick);
        mTicks << tick;
    }
    mKept->setData(keys, kept, true);
    mDonor->setData(keys, donor, true);
    // The values above the bars, in percent (the two bars of a module sit either side of its key).
    mPlot->clearItems();
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    for (int i = 0; i < keys.size(); ++i) {
        for (const auto& [value, side] : {std::pair{kept[i], -1.0}, std::pair{donor[i], 1.0}}) {
            auto* text = new QCPItemText(mPlot);
            text->position->setType(QCPItemPosition::ptPlotCoords);
            text->position->setCoords(keys[i] + side * (mKept->width() / 2 + 0.005), value);
            text->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
            text->setPadding(QMargins(0, 0, 0, 2));
            text->setFont(small);
            text->setText(QString::number(100.0 * value, 'f', 0) + QLatin1Char('%'));
        }
    }
    mPlot->xAxis->setTicker(ticker);
    mPlot->xAxis->setRange(0.4, keys.size() + 0.6);
    setTitle(title, false);
    mPlot->replot();
}

QVector<double> RobustnessPlot::keptValues() const { return PlotSupport::valuesOf(mKept); }
QVector<double> RobustnessPlot::donorValues() const { return PlotSupport::valuesOf(mDonor); }
QStringList RobustnessPlot::tickLabels() const { return mTicks; }

} // namespace lx::ui

#include "ui/modules/ConsistencyPlot.h"

#include "ui/widgets/PlotSupport.h"

#include <algorithm>
#include <cmath>

namespace lx::ui {
namespace {

const QColor kNmfColour(0x2f, 0x6f, 0xb5);
const QColor kKMeansColour(0xe8, 0x82, 0x2f);

} // namespace

ConsistencyPlot::ConsistencyPlot(QWidget* parent)
    : QWidget(parent)
{
    mPlot = PlotSupport::embeddedPlot(this);

    QCPGraph* nmf = mPlot->addGraph();
    nmf->setName(tr("NMF"));
    nmf->setPen(QPen(kNmfColour, 2));
    nmf->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, kNmfColour, Qt::white, 7));
    QCPGraph* kmeans = mPlot->addGraph();
    kmeans->setName(tr("k-means"));
    kmeans->setPen(QPen(kKMeansColour, 2, Qt::DashLine));
    kmeans->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, kKMeansColour, Qt::white, 7));

    mPlot->xAxis->setLabel(tr("K (modules)"));
    mPlot->yAxis->setLabel(tr("consistency (mean matched cosine)"));
    auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
    ticker->setTickStep(1.0);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    mPlot->xAxis->setTicker(ticker);
    mPlot->yAxis->setRange(0.0, 1.05);
    mPlot->legend->setVisible(true);
    mPlot->legend->setBrush(QColor(255, 255, 255, 220));
    mPlot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignLeft);
    mTitle = PlotSupport::addTitleRow(mPlot);
    clear(tr("Press Compute curve to compare K values"));
}

void ConsistencyPlot::setTitle(const QString& text, bool placeholder)
{
    PlotSupport::setTitle(mTitle, text, placeholder);
}

void ConsistencyPlot::clear(const QString& placeholder)
{
    mPlot->graph(0)->data()->clear();
    mPlot->graph(1)->data()->clear();
    mPlot->xAxis->setRange(1.5, 8.5);
    mPlot->yAxis->setRange(0.0, 1.05);
    setTitle(placeholder, true);
    mPlot->replot();
}

void ConsistencyPlot::setPoints(const std::vector<lx::ConsistencyPoint>& points, const QString& title)
{
    QVector<double> k, nmf, kmeans;
    for (const lx::ConsistencyPoint& p : points) {
        k << p.k;
        nmf << p.nmf;
        kmeans << p.kmeans;
    }
    mPlot->graph(0)->setData(k, nmf, true);
    mPlot->graph(1)->setData(k, kmeans, true);
    if (!k.isEmpty())
        mPlot->xAxis->setRange(k.first() - 0.5, k.last() + 0.5);
    double low = 1.0;
    for (double v : nmf + kmeans)
        low = std::min(low, v);
    // Zoomed on the values (they are usually all near 1), in steps of 0.1 from 0.
    mPlot->yAxis->setRange(std::max(0.0, std::floor((low - 0.05) * 10.0) / 10.0), 1.02);
    setTitle(title, false);
    mPlot->replot();
}

QVector<double> ConsistencyPlot::ks() const
{
    QVector<double> out;
    for (auto it = mPlot->graph(0)->data()->constBegin(); it != mPlot->graph(0)->data()->constEnd(); ++it)
        out << it->key;
    return out;
}

QVector<double> ConsistencyPlot::nmfValues() const { return PlotSupport::valuesOf(mPlot->graph(0)); }
QVector<double> ConsistencyPlot::kmeansValues() const { return PlotSupport::valuesOf(mPlot->graph(1)); }

} // namespace lx::ui
